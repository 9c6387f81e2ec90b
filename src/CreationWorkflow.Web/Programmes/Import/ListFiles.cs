using CreationWorkflow.Core.Programmes.Lists;
using DocumentFormat.OpenXml.Packaging;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace CreationWorkflow.Web.Programmes.Import;

/// <summary>What an uploaded list file holds: the list table and, for an export read back, the 规则 sheet (key → JSON).</summary>
public sealed record ListFile(ListTable Table, IReadOnlyDictionary<string, string> Machine);

/// <summary>
/// Reads an uploaded XLSX or DOCX into a <see cref="ListTable"/>: the first sheet (or Word table) that has the list's
/// header; merged cells (XLSX mergeCells, Word vMerge/gridSpan) keep their text in the first row and column only; line
/// breaks inside a cell stay '\n'. The file is sniffed (a ZIP package of the declared kind), bounded, and refused in zh-CN.
/// </summary>
public static class ListFiles
{
    public const long MaxFileBytes = 5 * 1024 * 1024;

    public static ListFile Read(string fileName, byte[] bytes)
    {
        if (bytes.Length > MaxFileBytes)
        {
            throw Refused(fileName, SheetImport.TooLarge(bytes.Length, MaxFileBytes));
        }
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K')
        {
            throw Refused(fileName, "不是 XLSX 或 DOCX 文件（请用 Excel、Word 或 WPS 另存为 .xlsx / .docx）。");
        }
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return extension switch
            {
                ".xlsx" => ReadXlsx(fileName, stream),
                ".docx" => ReadDocx(fileName, stream),
                _ => throw Refused(fileName, "仅接受 .xlsx 或 .docx 文件。"),
            };
        }
        catch (Exception e) when (e is InvalidDataException or OpenXmlPackageException or InvalidOperationException
            or System.Xml.XmlException or ArgumentException or FormatException or NullReferenceException)
        {
            throw Refused(fileName, $"不是有效的 {extension.TrimStart('.').ToUpperInvariant()} 文件，无法读取。");
        }
    }

    private static ListFormatException Refused(string fileName, string reason) => new([new ListError(fileName, null, null, reason)]);

    private static ListFile ReadXlsx(string fileName, Stream stream)
    {
        using var doc = SpreadsheetDocument.Open(stream, false);
        var workbook = doc.WorkbookPart ?? throw new InvalidDataException("no workbook");
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<S.SharedStringItem>().Select(Text).ToList() ?? [];
        string CellText(S.Cell c) => c.DataType?.Value == S.CellValues.SharedString && int.TryParse(c.CellValue?.Text, out var i) && i < shared.Count ? shared[i]
            : c.DataType?.Value == S.CellValues.InlineString ? (c.InlineString is { } s ? Text(s) : "")
            : c.CellValue?.Text ?? "";
        var tables = new List<ListTable>();
        var machine = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sheet in workbook.Workbook.Sheets?.Elements<S.Sheet>() ?? [])
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var name = sheet.Name?.Value ?? "";
            var covered = new HashSet<(int, int)>();
            foreach (var merge in part.Worksheet.Descendants<S.MergeCell>())
            {
                var refs = (merge.Reference?.Value ?? "").Split(':');
                if (refs.Length == 2)
                {
                    var (c1, r1) = Parse(refs[0]);
                    var (c2, r2) = Parse(refs[1]);
                    for (var r = r1; r <= r2; r++)
                    {
                        for (var c = c1; c <= c2; c++)
                        {
                            if (r != r1 || c != c1)
                            {
                                covered.Add((r, c));
                            }
                        }
                    }
                }
            }
            var rows = new List<ListRow>();
            foreach (var row in part.Worksheet.Descendants<S.Row>())
            {
                var number = (int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1));
                var cells = new List<string>();
                foreach (var cell in row.Elements<S.Cell>())
                {
                    var (col, _) = Parse(cell.CellReference?.Value ?? "");
                    while (cells.Count <= col)
                    {
                        cells.Add("");
                    }
                    cells[col] = covered.Contains((number, col)) ? "" : CellText(cell);
                }
                rows.Add(new ListRow(number, cells));
            }
            if (name == ListDraft.RulesSheet)
            {
                foreach (var row in rows.Where(r => r.Cells.Count >= 2 && r.Cells[0].Length > 0))
                {
                    machine[row.Cells[0]] = row.Cells[1];
                }
                continue;
            }
            tables.Add(new ListTable($"工作表 {name}", rows));
        }
        return new ListFile(Pick(fileName, tables), machine);
    }

    private static string Text(DocumentFormat.OpenXml.OpenXmlElement e) =>
        string.Concat(e.Descendants<S.Text>().Select(t => t.Text));

    private static (int Col, int Row) Parse(string reference)
    {
        var letters = new string([.. reference.TakeWhile(char.IsAsciiLetter)]).ToUpperInvariant();
        var col = letters.Aggregate(0, (n, ch) => n * 26 + ch - 'A' + 1) - 1;
        return (col, int.TryParse(reference[letters.Length..], out var r) ? r : 0);
    }

    private static ListFile ReadDocx(string fileName, Stream stream)
    {
        using var doc = WordprocessingDocument.Open(stream, false);
        var body = doc.MainDocumentPart?.Document?.Body ?? throw new InvalidDataException("no body");
        var tables = new List<ListTable>();
        var n = 0;
        foreach (var table in body.Descendants<W.Table>())
        {
            n++;
            var rows = new List<ListRow>();
            var r = 0;
            foreach (var row in table.Elements<W.TableRow>())
            {
                r++;
                var cells = new List<string>();
                foreach (var cell in row.Elements<W.TableCell>())
                {
                    var props = cell.TableCellProperties;
                    var span = props?.GridSpan?.Val?.Value ?? 1;
                    var continues = props?.VerticalMerge is { } v && (v.Val is null || v.Val.Value == W.MergedCellValues.Continue);
                    cells.Add(continues ? "" : CellText(cell));
                    for (var i = 1; i < span; i++)
                    {
                        cells.Add("");
                    }
                }
                rows.Add(new ListRow(r, cells));
            }
            tables.Add(new ListTable($"表格{n}", rows));
        }
        return new ListFile(Pick(fileName, tables), new Dictionary<string, string>());
    }

    /// <summary>A Word cell's text: paragraphs and breaks as '\n'.</summary>
    private static string CellText(W.TableCell cell) =>
        string.Join("\n", cell.Elements<W.Paragraph>().Select(p => string.Concat(p.Descendants().Select(e => e switch
        {
            W.Text t => t.Text,
            W.Break => "\n",
            W.TabChar => " ",
            _ => "",
        }))));

    /// <summary>The first table whose first rows name the list's 测评内容 column; else the first one (its header fault is then named).</summary>
    private static ListTable Pick(string fileName, List<ListTable> tables) =>
        tables.FirstOrDefault(t => t.Rows.Take(20).Any(r => r.Cells.Any(c => c.Replace(" ", "", StringComparison.Ordinal) == ResponsibilityList.ContentColumn)))
        ?? tables.FirstOrDefault()
        ?? throw Refused(fileName, "文件中没有表格。");
}
