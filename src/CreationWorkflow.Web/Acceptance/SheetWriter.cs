using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CreationWorkflow.Web.Acceptance;

internal enum SheetStyle : uint
{
    Default = 0,
    Header = 1,
    Text = 2,
    Centre = 3,
    Number = 4,
    TotalLabel = 5,
    TotalNumber = 6,
    Title = 7,
}

/// <summary>A cell: text or a number (a number is written as a number, so it can be summed and read back).</summary>
internal readonly record struct SheetCell(string? Text, decimal? Number, SheetStyle Style)
{
    public static SheetCell Of(string? text, SheetStyle style = SheetStyle.Text) => new(text, null, style);

    public static SheetCell Of(decimal? number, SheetStyle style = SheetStyle.Number) => new(null, number, style);
}

/// <summary>
/// A one-sheet XLSX writer: a title row, a header row that is frozen and repeated on every printed page, merged
/// cells, A4 landscape fitted to the page width, and 宋体 (charset GB2312) as the workbook font.
/// </summary>
internal sealed class SheetWriter(string sheetName, IReadOnlyList<double> columnWidths)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private readonly List<IReadOnlyList<SheetCell>> rows = [];
    private readonly List<string> merges = [];
    private readonly Dictionary<string, int> strings = new(StringComparer.Ordinal);
    private readonly List<string> stringOrder = [];

    /// <summary>Appends a row; returns its 1-based number.</summary>
    public int Row(params SheetCell[] cells)
    {
        rows.Add(cells);
        return rows.Count;
    }

    private (string Name, IReadOnlyList<IReadOnlyList<string>> Rows)? extra;

    /// <summary>A second, plain sheet of text rows (machine data that goes with the first, e.g. the list export's 规则).</summary>
    public void Extra(string name, IReadOnlyList<IReadOnlyList<string>> rows) => extra = (name, rows);

    /// <summary>Merges columns <paramref name="fromCol"/>..<paramref name="toCol"/> (0-based) over rows <paramref name="fromRow"/>..<paramref name="toRow"/>.</summary>
    public void Merge(int fromRow, int fromCol, int toRow, int toCol)
    {
        if (fromRow != toRow || fromCol != toCol)
        {
            merges.Add($"{Ref(fromCol, fromRow)}:{Ref(toCol, toRow)}");
        }
    }

    public static string Column(int index) =>
        index < 26 ? ((char)('A' + index)).ToString() : Column(index / 26 - 1) + (char)('A' + index % 26);

    public static string Ref(int col, int row) => Column(col) + row;

    /// <summary>The finished XLSX, reproducible byte for byte (see <see cref="OfficeFiles"/>).</summary>
    public byte[] Save(string title, string creator, DateOnly date, int headerRow)
    {
        var written = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(written, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddNewPart<WorkbookPart>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rId1");
            OfficeFiles.WriteCoreProperties(doc, "rId2", title, creator, date);

            var sheetPart = workbook.AddNewPart<WorksheetPart>("rId1");
            workbook.AddNewPart<WorkbookStylesPart>("rId2").Stylesheet = Stylesheet();
            var sheetData = new SheetData();
            var heights = Heights();
            for (var r = 0; r < rows.Count; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1), Height = heights[r], CustomHeight = true };
                for (var c = 0; c < rows[r].Count; c++)
                {
                    row.Append(Cell(rows[r][c], c, r + 1));
                }
                sheetData.Append(row);
            }
            var last = Ref(columnWidths.Count - 1, Math.Max(rows.Count, 1));
            var worksheet = new Worksheet(
                new SheetProperties(new PageSetupProperties { FitToPage = true }),
                new SheetDimension { Reference = $"A1:{last}" },
                new SheetViews(new SheetView(
                    new Pane
                    {
                        VerticalSplit = headerRow,
                        TopLeftCell = Ref(0, headerRow + 1),
                        ActivePane = PaneValues.BottomLeft,
                        State = PaneStateValues.Frozen,
                    },
                    new Selection { Pane = PaneValues.BottomLeft, ActiveCell = Ref(0, headerRow + 1), SequenceOfReferences = new ListValue<StringValue> { InnerText = Ref(0, headerRow + 1) } })
                { TabSelected = true, WorkbookViewId = 0 }),
                new SheetFormatProperties { DefaultRowHeight = 15 },
                new Columns(columnWidths.Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true })),
                sheetData);
            if (merges.Count > 0)
            {
                worksheet.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })) { Count = (uint)merges.Count });
            }
            worksheet.Append(
                new PrintOptions { HorizontalCentered = true },
                new PageMargins { Left = 0.4, Right = 0.4, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 },
                new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 },
                new HeaderFooter(new OddFooter("&C第 &P 页，共 &N 页")));
            sheetPart.Worksheet = worksheet;

            var sheets = new Sheets(new Sheet { Name = sheetName, SheetId = 1, Id = "rId1" });
            if (extra is { } x)
            {
                var data = new SheetData();
                for (var r = 0; r < x.Rows.Count; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < x.Rows[r].Count; c++)
                    {
                        row.Append(Cell(SheetCell.Of(x.Rows[r][c], SheetStyle.Default), c, r + 1));
                    }
                    data.Append(row);
                }
                workbook.AddNewPart<WorksheetPart>("rId4").Worksheet = new Worksheet(new Columns(new Column { Min = 1, Max = 1, Width = 16, CustomWidth = true }, new Column { Min = 2, Max = 2, Width = 120, CustomWidth = true }), data);
                sheets.Append(new Sheet { Name = x.Name, SheetId = 2, Id = "rId4" });
            }
            var sharedStrings = workbook.AddNewPart<SharedStringTablePart>("rId3");
            sharedStrings.SharedStringTable = new SharedStringTable(stringOrder.Select(s => new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve })))
            {
                Count = (uint)stringOrder.Count,
                UniqueCount = (uint)stringOrder.Count,
            };

            workbook.Workbook = new Workbook(
                new BookViews(new WorkbookView { ActiveTab = 0 }),
                sheets,
                new DefinedNames(new DefinedName { Name = "_xlnm.Print_Titles", LocalSheetId = 0, Text = $"'{sheetName}'!${headerRow}:${headerRow}" }));
        }
        return OfficeFiles.Canonical(written, date);
    }

    /// <summary>Points per line of 11 pt text: Noto CJK's line gap is the largest of the faces that stand in for 宋体.</summary>
    internal const double LinePoints = 16;

    /// <summary>
    /// Row heights, in points, from the wrapped text: neither Excel nor LibreOffice (on conversion) fits rows to
    /// their content when opening a file, so a row without a height shows one line of a long 测评内容. A merged cell's
    /// text is spread over its rows; the last row grows if they are not tall enough.
    /// </summary>
    private double[] Heights()
    {
        var heights = new double[rows.Count];
        var spans = merges.Select(m => m.Split(':')).Select(p => (From: Parse(p[0]), To: Parse(p[1]))).ToList();
        bool InSpan(int col, int row, out (int Col, int Row) from, out (int Col, int Row) to)
        {
            foreach (var (f, t) in spans)
            {
                if (col >= f.Col && col <= t.Col && row >= f.Row && row <= t.Row)
                {
                    (from, to) = (f, t);
                    return true;
                }
            }
            (from, to) = ((col, row), (col, row));
            return false;
        }
        var tall = new List<(int FromRow, int ToRow, double Needed)>();
        for (var r = 0; r < rows.Count; r++)
        {
            heights[r] = LinePoints + 4;
            for (var c = 0; c < rows[r].Count; c++)
            {
                var cell = rows[r][c];
                if (string.IsNullOrEmpty(cell.Text))
                {
                    continue;
                }
                var merged = InSpan(c, r + 1, out var from, out var to);
                var width = Enumerable.Range(from.Col, to.Col - from.Col + 1).Sum(i => i < columnWidths.Count ? columnWidths[i] : 8.43);
                var scale = cell.Style == SheetStyle.Title ? 16 / 11.0 : 1;
                var needed = Lines(cell.Text, width / scale) * LinePoints * scale + 4;
                if (merged && to.Row > from.Row)
                {
                    tall.Add((from.Row - 1, to.Row - 1, needed));
                }
                else
                {
                    heights[r] = Math.Max(heights[r], needed);
                }
            }
        }
        foreach (var (fromRow, toRow, needed) in tall)
        {
            var have = Enumerable.Range(fromRow, toRow - fromRow + 1).Sum(i => heights[i]);
            if (have < needed)
            {
                heights[toRow] += needed - have;
            }
        }
        return heights;
    }

    /// <summary>Lines a text wraps to in a column so many characters ("0") wide: a Chinese character takes about two.</summary>
    internal static int Lines(string text, double width)
    {
        var usable = Math.Max(1, width - 1);
        return text.Split('\n').Sum(line => Math.Max(1, (int)Math.Ceiling(line.Sum(ch => ch < 0x2E80 ? 1.1 : 2.05) / usable)));
    }

    private static (int Col, int Row) Parse(string reference)
    {
        var letters = new string(reference.TakeWhile(char.IsAsciiLetter).ToArray());
        var col = letters.Aggregate(0, (n, ch) => n * 26 + ch - 'A' + 1) - 1;
        return (col, int.Parse(reference[letters.Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private Cell Cell(SheetCell cell, int col, int row)
    {
        var result = new Cell { CellReference = Ref(col, row), StyleIndex = (uint)cell.Style };
        if (cell.Number is { } n)
        {
            result.CellValue = new CellValue(n);
            result.DataType = CellValues.Number;
        }
        else if (!string.IsNullOrEmpty(cell.Text))
        {
            if (!strings.TryGetValue(cell.Text, out var index))
            {
                index = stringOrder.Count;
                strings.Add(cell.Text, index);
                stringOrder.Add(cell.Text);
            }
            result.CellValue = new CellValue(index);
            result.DataType = CellValues.SharedString;
        }
        return result;
    }

    private static Font Font(double size, bool bold, string face)
    {
        var font = new Font();
        if (bold)
        {
            font.Append(new Bold());
        }
        font.Append(new FontSize { Val = size }, new FontName { Val = face }, new FontFamilyNumbering { Val = 3 }, new FontCharSet { Val = 134 });
        return font;
    }

    internal static Stylesheet Stylesheet()
    {
        CellFormat Format(uint font, uint fill, uint border, HorizontalAlignmentValues horizontal, VerticalAlignmentValues vertical, bool wrap) =>
            new(new Alignment { Horizontal = horizontal, Vertical = vertical, WrapText = wrap })
            {
                NumberFormatId = 0,
                FontId = font,
                FillId = fill,
                BorderId = border,
                ApplyFont = font != 0,
                ApplyFill = fill != 0,
                ApplyBorder = border != 0,
                ApplyAlignment = true,
            };

        var thin = () => new Border(
            new LeftBorder(new Color { Indexed = 64 }) { Style = BorderStyleValues.Thin },
            new RightBorder(new Color { Indexed = 64 }) { Style = BorderStyleValues.Thin },
            new TopBorder(new Color { Indexed = 64 }) { Style = BorderStyleValues.Thin },
            new BottomBorder(new Color { Indexed = 64 }) { Style = BorderStyleValues.Thin },
            new DiagonalBorder());

        return new Stylesheet(
            new Fonts(Font(11, false, OfficeFiles.Song), Font(11, true, OfficeFiles.Song), Font(16, false, OfficeFiles.Hei)) { Count = 3 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE7E6E6" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }))
            { Count = 3 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), thin()) { Count = 2 },
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new CellFormats(
                new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 },
                Format(1, 2, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center, true),
                Format(0, 0, 1, HorizontalAlignmentValues.Left, VerticalAlignmentValues.Center, true),
                Format(0, 0, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center, true),
                Format(0, 0, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center, false),
                Format(1, 0, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center, true),
                Format(1, 0, 1, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center, false),
                Format(2, 0, 0, HorizontalAlignmentValues.Center, VerticalAlignmentValues.Center, false))
            { Count = 8 },
            new CellStyles(new DocumentFormat.OpenXml.Spreadsheet.CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }
}
