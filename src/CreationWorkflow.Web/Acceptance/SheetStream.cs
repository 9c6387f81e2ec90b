using System.IO.Compression;
using System.Xml;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// A one-sheet XLSX written row by row straight into a stream, for sheets too long to hold (the board's 100k rows):
/// the same look as <see cref="SheetWriter"/> (its styles, fonts, frozen and printed header row, A4 landscape, row
/// heights from the wrapped text), but the package is written by hand — [Content_Types].xml, the relationships,
/// docProps/core.xml, the workbook and styles, then the worksheet as rows come, then the shared strings (only the
/// distinct texts are held, and a long sheet repeats few: units, items, dates). Entries come in a fixed order with
/// the sheet's date as their stamp, so the same rows give the same bytes.
/// </summary>
internal sealed class SheetStream : IDisposable
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string OfficeRels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private readonly ZipArchive zip;
    private readonly DateTimeOffset stamp;
    private readonly IReadOnlyList<double> widths;
    private readonly IReadOnlyList<(int Row, int FromCol, int ToCol)> merges;
    private readonly Dictionary<string, int> strings = new(StringComparer.Ordinal);
    private readonly List<string> order = [];
    private readonly Stream sheetEntry;
    private readonly XmlWriter sheet;
    private int rows;

    /// <param name="output">Where the XLSX goes; written synchronously (see <see cref="WriteAsync"/> for a response).</param>
    /// <param name="merges">Cells merged across columns within one row (the title): row (1-based), first and last column.</param>
    public SheetStream(Stream output, string sheetName, IReadOnlyList<double> columnWidths, string title, string creator, DateOnly date, int headerRow,
        IReadOnlyList<(int Row, int FromCol, int ToCol)> merges)
    {
        widths = columnWidths;
        this.merges = merges;
        stamp = OfficeFiles.Stamp(date);
        zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        Entry("[Content_Types].xml", w =>
        {
            w.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
            Default(w, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(w, "xml", "application/xml");
            Override(w, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            Override(w, "/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            Override(w, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            Override(w, "/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml");
            Override(w, "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
            w.WriteEndElement();
        });
        Entry("_rels/.rels", w => Relationships(w,
            ("rId1", OfficeRels + "/officeDocument", "xl/workbook.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml")));
        using (var core = Open("docProps/core.xml"))
        {
            OfficeFiles.WriteCoreProperties(core, title, creator, date);
        }
        Entry("xl/_rels/workbook.xml.rels", w => Relationships(w,
            ("rId1", OfficeRels + "/worksheet", "worksheets/sheet1.xml"),
            ("rId2", OfficeRels + "/styles", "styles.xml"),
            ("rId3", OfficeRels + "/sharedStrings", "sharedStrings.xml")));
        Entry("xl/workbook.xml", w =>
        {
            w.WriteStartElement("workbook", Main);
            w.WriteAttributeString("xmlns", "r", null, OfficeRels);
            w.WriteStartElement("bookViews", Main);
            Empty(w, "workbookView", ("activeTab", "0"));
            w.WriteEndElement();
            w.WriteStartElement("sheets", Main);
            w.WriteStartElement("sheet", Main);
            w.WriteAttributeString("name", sheetName);
            w.WriteAttributeString("sheetId", "1");
            w.WriteAttributeString("id", OfficeRels, "rId1");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteStartElement("definedNames", Main);
            w.WriteStartElement("definedName", Main);
            w.WriteAttributeString("name", "_xlnm.Print_Titles");
            w.WriteAttributeString("localSheetId", "0");
            w.WriteString($"'{sheetName}'!${headerRow}:${headerRow}");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        });
        using (var styles = Open("xl/styles.xml"))
        {
            var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" + SheetWriter.Stylesheet().OuterXml);
            styles.Write(bytes);
        }

        sheetEntry = Open("xl/worksheets/sheet1.xml");
        sheet = XmlWriter.Create(sheetEntry, Settings);
        sheet.WriteStartDocument(true);
        sheet.WriteStartElement("worksheet", Main);
        sheet.WriteAttributeString("xmlns", "r", null, OfficeRels);
        sheet.WriteStartElement("sheetPr", Main);
        Empty(sheet, "pageSetUpPr", ("fitToPage", "1"));
        sheet.WriteEndElement();
        var first = SheetWriter.Ref(0, headerRow + 1);
        sheet.WriteStartElement("sheetViews", Main);
        sheet.WriteStartElement("sheetView", Main);
        sheet.WriteAttributeString("tabSelected", "1");
        sheet.WriteAttributeString("workbookViewId", "0");
        Empty(sheet, "pane", ("ySplit", headerRow.ToString(CultureInfo.InvariantCulture)), ("topLeftCell", first), ("activePane", "bottomLeft"), ("state", "frozen"));
        Empty(sheet, "selection", ("pane", "bottomLeft"), ("activeCell", first), ("sqref", first));
        sheet.WriteEndElement();
        sheet.WriteEndElement();
        Empty(sheet, "sheetFormatPr", ("defaultRowHeight", "15"));
        sheet.WriteStartElement("cols", Main);
        for (var i = 0; i < widths.Count; i++)
        {
            var col = (i + 1).ToString(CultureInfo.InvariantCulture);
            Empty(sheet, "col", ("min", col), ("max", col), ("width", widths[i].ToString(CultureInfo.InvariantCulture)), ("customWidth", "1"));
        }
        sheet.WriteEndElement();
        sheet.WriteStartElement("sheetData", Main);
    }

    /// <summary>An element of the main namespace with attributes only.</summary>
    private static void Empty(XmlWriter w, string name, params (string Name, string Value)[] attributes)
    {
        w.WriteStartElement(name, Main);
        foreach (var (attribute, value) in attributes)
        {
            w.WriteAttributeString(attribute, value);
        }
        w.WriteEndElement();
    }

    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), CloseOutput = false };

    /// <summary>Appends a row; returns its 1-based number.</summary>
    public int Row(params SheetCell[] cells)
    {
        rows++;
        var height = SheetWriter.LinePoints + 4;
        for (var c = 0; c < cells.Length; c++)
        {
            if (string.IsNullOrEmpty(cells[c].Text))
            {
                continue;
            }
            var span = merges.FirstOrDefault(m => m.Row == rows && m.FromCol == c);
            var width = span.Row == rows ? Enumerable.Range(c, span.ToCol - c + 1).Sum(Width) : Width(c);
            var scale = cells[c].Style == SheetStyle.Title ? 16 / 11.0 : 1;
            height = Math.Max(height, SheetWriter.Lines(cells[c].Text!, width / scale) * SheetWriter.LinePoints * scale + 4);
        }
        sheet.WriteStartElement("row", Main);
        sheet.WriteAttributeString("r", rows.ToString(CultureInfo.InvariantCulture));
        sheet.WriteAttributeString("ht", height.ToString(CultureInfo.InvariantCulture));
        sheet.WriteAttributeString("customHeight", "1");
        for (var c = 0; c < cells.Length; c++)
        {
            var cell = cells[c];
            sheet.WriteStartElement("c", Main);
            sheet.WriteAttributeString("r", SheetWriter.Ref(c, rows));
            sheet.WriteAttributeString("s", ((uint)cell.Style).ToString(CultureInfo.InvariantCulture));
            if (cell.Number is { } n)
            {
                sheet.WriteAttributeString("t", "n");
                sheet.WriteElementString("v", Main, n.ToString(CultureInfo.InvariantCulture));
            }
            else if (!string.IsNullOrEmpty(cell.Text))
            {
                if (!strings.TryGetValue(cell.Text, out var index))
                {
                    index = order.Count;
                    strings.Add(cell.Text, index);
                    order.Add(cell.Text);
                }
                sheet.WriteAttributeString("t", "s");
                sheet.WriteElementString("v", Main, index.ToString(CultureInfo.InvariantCulture));
            }
            sheet.WriteEndElement();
        }
        sheet.WriteEndElement();
        return rows;
    }

    private double Width(int col) => col < widths.Count ? widths[col] : 8.43;

    /// <summary>Ends the sheet, writes the shared strings and closes the package.</summary>
    public void Dispose()
    {
        sheet.WriteEndElement(); // sheetData
        if (merges.Count > 0)
        {
            sheet.WriteStartElement("mergeCells", Main);
            sheet.WriteAttributeString("count", merges.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var (row, from, to) in merges)
            {
                Empty(sheet, "mergeCell", ("ref", $"{SheetWriter.Ref(from, row)}:{SheetWriter.Ref(to, row)}"));
            }
            sheet.WriteEndElement();
        }
        Empty(sheet, "printOptions", ("horizontalCentered", "1"));
        sheet.WriteStartElement("pageMargins", Main);
        foreach (var (name, value) in new[] { ("left", "0.4"), ("right", "0.4"), ("top", "0.6"), ("bottom", "0.6"), ("header", "0.3"), ("footer", "0.3") })
        {
            sheet.WriteAttributeString(name, value);
        }
        sheet.WriteEndElement();
        Empty(sheet, "pageSetup", ("paperSize", "9"), ("orientation", "landscape"), ("fitToWidth", "1"), ("fitToHeight", "0"));
        sheet.WriteStartElement("headerFooter", Main);
        sheet.WriteElementString("oddFooter", Main, "&C第 &P 页，共 &N 页");
        sheet.WriteEndElement();
        sheet.WriteEndElement(); // worksheet
        sheet.WriteEndDocument();
        sheet.Dispose();
        sheetEntry.Dispose();

        Entry("xl/sharedStrings.xml", w =>
        {
            w.WriteStartElement("sst", Main);
            w.WriteAttributeString("count", order.Count.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("uniqueCount", order.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var text in order)
            {
                w.WriteStartElement("si", Main);
                w.WriteStartElement("t", Main);
                w.WriteAttributeString("xml", "space", null, "preserve");
                w.WriteString(text);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        });
        zip.Dispose();
    }

    /// <summary>
    /// Streams an XLSX to <paramref name="output"/> (an HTTP response: non-seekable, no synchronous writes): the package
    /// is written on its own thread into a small pipe copied asynchronously to the output, as <see cref="PackageBuilder"/> does.
    /// <paramref name="write"/> runs on that thread and may block on the rows' source.
    /// </summary>
    public static Task WriteAsync(Stream output, Action<Stream, CancellationToken> write, CancellationToken ct) =>
        OutputPipe.RunAsync(output, (stream, token) =>
        {
            write(stream, token);
            return true;
        }, 256 * 1024, ct);

    private Stream Open(string name)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = stamp;
        return entry.Open();
    }

    private void Entry(string name, Action<XmlWriter> write)
    {
        using var stream = Open(name);
        using var w = XmlWriter.Create(stream, Settings);
        w.WriteStartDocument(true);
        write(w);
        w.WriteEndDocument();
    }

    private static void Default(XmlWriter w, string extension, string type)
    {
        w.WriteStartElement("Default", "http://schemas.openxmlformats.org/package/2006/content-types");
        w.WriteAttributeString("Extension", extension);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Override(XmlWriter w, string part, string type)
    {
        w.WriteStartElement("Override", "http://schemas.openxmlformats.org/package/2006/content-types");
        w.WriteAttributeString("PartName", part);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Relationships(XmlWriter w, params (string Id, string Type, string Target)[] relationships)
    {
        w.WriteStartElement("Relationships", Rels);
        foreach (var (id, type, target) in relationships)
        {
            w.WriteStartElement("Relationship", Rels);
            w.WriteAttributeString("Id", id);
            w.WriteAttributeString("Type", type);
            w.WriteAttributeString("Target", target);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }
}
