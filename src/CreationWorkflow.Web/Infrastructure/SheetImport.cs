using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CreationWorkflow.Web.Infrastructure;

/// <summary>
/// A sheet that cannot be read as asked (not an XLSX, a column missing, too many rows), or an import refused: every reason,
/// zh-CN, each naming its row and column where it has one. Nothing was stored.
/// </summary>
public class SheetImportException(string fileName, IReadOnlyList<string> errors) : Exception($"「{fileName}」未导入：{errors[0]}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads the first sheet of an uploaded XLSX for an import: the header in row 1 names the columns (any order), the data rows
/// follow by their Excel row number, blank rows are skipped. The bytes must start as a ZIP does (sniffed), and a broken
/// workbook is refused in Chinese, never with a .NET message.
/// </summary>
public static class SheetImport
{
    /// <summary>The refusal of an upload of <paramref name="length"/> bytes over the limit of <paramref name="maxBytes"/>.</summary>
    public static string TooLarge(long length, long maxBytes) => $"文件过大（{length / 1024} KB），上限为 {maxBytes / 1024 / 1024} MB。";

    /// <summary>
    /// An XLSX upload to an API endpoint: 400 without a file; what the import gives; or, when the sheet is refused (nothing
    /// stored), 400 with every reason under "file" and <paramref name="refusedTitle"/>.
    /// </summary>
    public static async Task<Results<Ok<T>, ValidationProblem>> UploadAsync<T>(IFormFile? file, Func<IFormFile, Stream, Task<T>> import, string refusedTitle)
    {
        if (file is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["请上传 XLSX 文件（表单字段 file）。"] }, title: "请求有误");
        }
        try
        {
            await using var content = file.OpenReadStream();
            return TypedResults.Ok(await import(file, content));
        }
        catch (SheetImportException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [.. e.Errors] }, detail: e.Message, title: refusedTitle);
        }
    }

    /// <param name="required">Columns the header must name.</param>
    /// <param name="optional">Columns read when present.</param>
    /// <param name="what">What a row is, for the row limit's message (账户, 创建单位).</param>
    public static List<(int Row, Dictionary<string, string> Cells)> Read(
        string fileName, Stream content, IReadOnlyList<string> required, IReadOnlyList<string> optional, int maxRows, string what)
    {
        var buffered = new MemoryStream();
        content.CopyTo(buffered);
        buffered.Position = 0;
        if (buffered.Length < 4 || buffered.ReadByte() != 'P' || buffered.ReadByte() != 'K')
        {
            throw new SheetImportException(fileName, ["不是 XLSX 工作簿（请用 Excel 或 WPS 另存为 .xlsx）。"]);
        }
        buffered.Position = 0;
        var known = required.Concat(optional).ToHashSet();
        try
        {
            using var doc = SpreadsheetDocument.Open(buffered, false);
            var workbook = doc.WorkbookPart ?? throw new InvalidDataException("no workbook");
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new InvalidDataException("no sheet");
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
            string Text(Cell c) => c.DataType?.Value == CellValues.SharedString && int.TryParse(c.CellValue?.Text, out var i) && i < shared.Count ? shared[i]
                : c.DataType?.Value == CellValues.InlineString ? c.InlineString?.InnerText ?? ""
                : c.CellValue?.Text ?? "";
            var rows = part.Worksheet.Descendants<Row>().ToList();
            var header = rows.FirstOrDefault(r => r.RowIndex?.Value == 1);
            var columns = header is null ? [] : header.Elements<Cell>().ToDictionary(c => ColumnOf(c.CellReference?.Value), c => Text(c).Trim());
            var missing = required.Where(c => !columns.ContainsValue(c)).ToList();
            if (missing.Count > 0)
            {
                throw new SheetImportException(fileName, [$"第1行：缺少「{string.Join("」「", missing)}」列（表头须为 {string.Join("、", required)}）。"]);
            }
            var result = new List<(int, Dictionary<string, string>)>();
            foreach (var row in rows.Where(r => r.RowIndex?.Value > 1))
            {
                var cells = new Dictionary<string, string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    if (columns.TryGetValue(ColumnOf(cell.CellReference?.Value), out var column) && known.Contains(column))
                    {
                        cells[column] = Text(cell);
                    }
                }
                if (cells.Values.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                if (result.Count == maxRows)
                {
                    throw new SheetImportException(fileName, [$"第{row.RowIndex!.Value}行：一次最多导入 {maxRows} 个{what}。"]);
                }
                result.Add(((int)row.RowIndex!.Value, cells));
            }
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or OpenXmlPackageException
            or InvalidOperationException or System.Xml.XmlException or ArgumentException or FormatException)
        {
            throw new SheetImportException(fileName, ["不是有效的 XLSX 工作簿，无法读取（请用 Excel 或 WPS 另存为 .xlsx）。"]);
        }
    }

    private static string ColumnOf(string? reference) => new((reference ?? "").TakeWhile(char.IsLetter).ToArray());
}
