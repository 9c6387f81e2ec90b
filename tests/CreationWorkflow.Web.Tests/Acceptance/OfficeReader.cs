using DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace CreationWorkflow.Web.Tests.Acceptance;

/// <summary>Reads the package's documents back with the Open XML SDK, as plain text and numbers.</summary>
public static class OfficeReader
{
    /// <summary>The first sheet: row number → column letter → cell text (shared strings resolved, numbers as written).</summary>
    public static SortedDictionary<int, Dictionary<string, string>> Sheet(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var workbook = doc.WorkbookPart!;
        var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var sheet = workbook.WorksheetParts.Single().Worksheet;
        var rows = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var row in sheet.Descendants<Row>())
        {
            var cells = new Dictionary<string, string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = new string(cell.CellReference!.Value!.TakeWhile(char.IsLetter).ToArray());
                var raw = cell.CellValue?.Text;
                if (raw is null)
                {
                    continue;
                }
                cells[column] = cell.DataType?.Value == CellValues.SharedString ? strings[int.Parse(raw, CultureInfo.InvariantCulture)] : raw;
            }
            rows[(int)row.RowIndex!.Value] = cells;
        }
        return rows;
    }

    public static decimal Number(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The merged ranges of the first sheet ("A3:A13", …).</summary>
    public static IReadOnlyList<string> Merges(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        return doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!).ToList();
    }

    /// <summary>Every paragraph's text outside tables, and every table as rows of cell texts.</summary>
    public static (IReadOnlyList<string> Paragraphs, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> Tables) Word(byte[] docx)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var body = doc.MainDocumentPart!.Document.Body!;
        var paragraphs = body.Elements<W.Paragraph>().Select(p => p.InnerText).ToList();
        var tables = body.Elements<W.Table>()
            .Select(t => (IReadOnlyList<IReadOnlyList<string>>)t.Elements<W.TableRow>()
                .Select(r => (IReadOnlyList<string>)r.Elements<W.TableCell>().Select(c => c.InnerText).ToList()).ToList())
            .ToList();
        return (paragraphs, tables);
    }

    /// <summary>The East Asian fonts the document's runs and styles name.</summary>
    public static HashSet<string> EastAsiaFonts(byte[] docx)
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(docx), false);
        return doc.MainDocumentPart!.StyleDefinitionsPart!.Styles!.Descendants<W.RunFonts>()
            .Select(f => f.EastAsia?.Value).OfType<string>().ToHashSet();
    }
}
