using DocumentFormat.OpenXml;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace CreationWorkflow.Web.Tests.Programmes;

/// <summary>
/// Builds real list files in the layout of 附件2 for the import tests: an XLSX sheet with merged cells, or a DOCX table
/// whose target and indicator columns continue by vMerge and whose title and note rows span all columns (gridSpan).
/// A '\n' in a cell is a line break inside it (a new paragraph in Word).
/// </summary>
public static class ListFileBuilder
{
    public static readonly string[] Header = ["测评目标", "测评指标", "测评内容", "分值", "牵头单位", "责任单位", "测评方法"];

    /// <summary>An XLSX with one sheet; number-looking ASCII text is written as a number (as 分值 usually is), the rest as text.</summary>
    public static byte[] Xlsx(string?[][] rows, IReadOnlyList<string> merges, string sheet = "附件2")
    {
        var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new S.Workbook();
            var ws = wb.AddNewPart<WorksheetPart>();
            var data = new S.SheetData();
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new S.Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    if (rows[r][c] is not { } text)
                    {
                        continue;
                    }
                    var reference = $"{(char)('A' + c)}{r + 1}";
                    row.Append(decimal.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) && text.All(char.IsAscii)
                        ? new S.Cell { CellReference = reference, CellValue = new S.CellValue(n), DataType = S.CellValues.Number }
                        : new S.Cell { CellReference = reference, DataType = S.CellValues.InlineString, InlineString = new S.InlineString(new S.Text(text) { Space = SpaceProcessingModeValues.Preserve }) });
                }
                data.Append(row);
            }
            ws.Worksheet = new S.Worksheet(data);
            if (merges.Count > 0)
            {
                ws.Worksheet.Append(new S.MergeCells(merges.Select(m => new S.MergeCell { Reference = m })));
            }
            wb.Workbook.Append(new S.Sheets(new S.Sheet { Name = sheet, SheetId = 1, Id = wb.GetIdOfPart(ws) }));
        }
        return stream.ToArray();
    }

    /// <summary>
    /// A DOCX whose table has the header and rows (a row of one cell, e.g. a title, spans all columns); a null target or
    /// indicator cell continues the one above (vMerge), and a note row spanning all columns closes the table.
    /// </summary>
    public static byte[] Docx(string?[][] rows)
    {
        var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var table = new W.Table();
            W.TableCell Spanning(string text) =>
                new(new W.TableCellProperties(new W.GridSpan { Val = Header.Length }), new W.Paragraph(new W.Run(new W.Text(text))));
            var seenHeader = false;
            foreach (var cells in rows)
            {
                if (cells.Length == 1)
                {
                    table.Append(new W.TableRow(Spanning(cells[0] ?? "")));
                    continue;
                }
                var row = new W.TableRow();
                for (var c = 0; c < Header.Length; c++)
                {
                    var text = c < cells.Length ? cells[c] : null;
                    var props = new W.TableCellProperties();
                    if (seenHeader && c < 2)
                    {
                        props.Append(new W.VerticalMerge { Val = text is null ? W.MergedCellValues.Continue : W.MergedCellValues.Restart });
                    }
                    var cell = new W.TableCell(props);
                    foreach (var line in (text ?? "").Split('\n'))
                    {
                        cell.Append(new W.Paragraph(new W.Run(new W.Text(line) { Space = SpaceProcessingModeValues.Preserve })));
                    }
                    row.Append(cell);
                }
                seenHeader = true;
                table.Append(row);
            }
            table.Append(new W.TableRow(Spanning("说明：以上为测评指标。")));
            main.Document = new W.Document(new W.Body(new W.Paragraph(new W.Run(new W.Text("附件2"))), table));
        }
        return stream.ToArray();
    }
}
