using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using DocumentFormat.OpenXml.Packaging;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// What the DOCX and XLSX files share: the fonts they name, their core properties, and the step that makes them
/// byte-for-byte reproducible.
/// <para>
/// The Open XML SDK (through System.IO.Packaging) stamps every part with the current time, and names package
/// relationships and the core-properties part with random ids. So the documents give every relationship an
/// explicit id, write their own docProps/core.xml, and are then re-zipped here with a fixed entry order and a
/// fixed timestamp.
/// </para>
/// </summary>
internal static class OfficeFiles
{
    /// <summary>
    /// The two Chinese faces every Chinese Windows/Office has: 宋体 (SimSun) for text, 黑体 (SimHei) for headings.
    /// Named by their English names, which Word and WPS resolve to the same fonts and which fontconfig knows as
    /// serif and sans-serif: where the face is missing (LibreOffice on Linux) the text falls back to a Chinese face
    /// of the same kind (Noto Serif CJK SC / Noto Sans CJK SC with fonts-noto-cjk), not to boxes. LibreOffice reads
    /// no fallback from the file (it ignores w:altName and w:panose1), so the name itself has to carry it; the
    /// font table still records the Chinese name, the GB2312 charset and the PANOSE class for Word.
    /// </summary>
    public const string Song = "SimSun";
    public const string Hei = "SimHei";
    public const string Latin = "Times New Roman";

    public static readonly IReadOnlyList<(string Name, string Alt, string Panose, bool Serif)> ChineseFaces =
    [
        (Song, "宋体", "02010600030101010101", true),
        (Hei, "黑体", "02010609060101010101", false),
    ];

    /// <summary>Created/modified on the application date (midnight, China Standard Time): no clock is read.</summary>
    public static DateTimeOffset Stamp(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));

    /// <summary>docProps/core.xml: title, creator, language and fixed dates.</summary>
    public static void WriteCoreProperties(OpenXmlPackage package, string relationshipId, string title, string creator, DateOnly date)
    {
        var part = package.AddNewPart<CoreFilePropertiesPart>(relationshipId);
        using var stream = part.GetStream(FileMode.Create, FileAccess.Write);
        WriteCoreProperties(stream, title, creator, date);
    }

    /// <summary>docProps/core.xml into a stream (a package written by hand, such as <see cref="SheetStream"/>).</summary>
    public static void WriteCoreProperties(Stream stream, string title, string creator, DateOnly date)
    {
        XNamespace cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        XNamespace dcterms = "http://purl.org/dc/terms/";
        XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var when = Stamp(date).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var xml = new XElement(cp + "coreProperties",
            new XAttribute(XNamespace.Xmlns + "cp", cp), new XAttribute(XNamespace.Xmlns + "dc", dc),
            new XAttribute(XNamespace.Xmlns + "dcterms", dcterms), new XAttribute(XNamespace.Xmlns + "xsi", xsi),
            new XElement(dc + "title", title),
            new XElement(dc + "creator", creator),
            new XElement(cp + "lastModifiedBy", creator),
            new XElement(dc + "language", "zh-CN"),
            new XElement(dcterms + "created", new XAttribute(xsi + "type", "dcterms:W3CDTF"), when),
            new XElement(dcterms + "modified", new XAttribute(xsi + "type", "dcterms:W3CDTF"), when));
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        new XDocument(new XDeclaration("1.0", "utf-8", "yes"), xml).Save(writer);
    }

    /// <summary>
    /// Re-zips an SDK-written package: [Content_Types].xml first, then _rels/.rels, then the parts by name; every
    /// entry with the same timestamp. The parts' contents are left as the SDK wrote them.
    /// </summary>
    public static byte[] Canonical(MemoryStream written, DateOnly date)
    {
        written.Position = 0;
        using var source = new ZipArchive(written, ZipArchiveMode.Read);
        var target = new MemoryStream();
        using (var zip = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true))
        {
            var ordered = source.Entries
                .OrderBy(e => e.FullName switch { "[Content_Types].xml" => 0, "_rels/.rels" => 1, _ => 2 })
                .ThenBy(e => e.FullName, StringComparer.Ordinal);
            foreach (var entry in ordered)
            {
                var copy = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = Stamp(date);
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }
        return target.ToArray();
    }
}
