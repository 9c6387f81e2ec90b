using System.Text;

namespace CreationWorkflow.Core.Programmes.Lists;

/// <summary>One row of a table as read from a sheet or a Word table: its 1-based number there and its cells in column order.</summary>
public sealed record ListRow(int Number, IReadOnlyList<string> Cells);

/// <summary>
/// A table as read (a sheet, or a Word table): a merged cell's text stands in its first row and column only, the cells
/// it covers are empty; line breaks inside a cell are kept as '\n'.
/// </summary>
public sealed record ListTable(string Name, IReadOnlyList<ListRow> Rows);

/// <summary>One fault of an imported list: the sheet or table, the row and column, and why (zh-CN).</summary>
public sealed record ListError(string Table, int? Row, string? Column, string Reason)
{
    public override string ToString() =>
        $"「{Table}」{(Row is { } r ? $"第{r}行" : "")}{(Column is { } c ? $" {c}列" : "")}：{Reason}";
}

/// <summary>A list refused: every fault found. Nothing was stored.</summary>
public sealed class ListFormatException(IReadOnlyList<ListError> errors) : Exception(errors[0].ToString())
{
    public IReadOnlyList<ListError> Errors { get; } = errors;
}

public enum ListSection { Item, Bonus, Penalty, Negative }

/// <summary>One scored item or bonus/penalty/negative item as read from a row, before its rules are read.</summary>
public sealed record ListEntry(
    ListSection Section, int No, int Indicator, string Text, decimal Points,
    IReadOnlyList<string> Lead, IReadOnlyList<string> Responsible, IReadOnlyList<EvaluationMethod> Methods, string Method, int Row)
{
    /// <summary>"7" for item 7, "B1"/"P1"/"N1" for bonus, penalty and negative items (the seed's rule id prefixes).</summary>
    public string Key => KeyOf(Section, No);

    public static string KeyOf(ListSection section, int no) => new ItemKey(section, no).ToString();
}

/// <summary>What the table holds: targets and indicators (with their rows) and the entries in document order.</summary>
public sealed record ParsedList(string Table, IReadOnlyList<(string Name, int Row, IReadOnlyList<(string Name, int Row)> Indicators)> Targets, IReadOnlyList<ListEntry> Entries);

/// <summary>
/// The layout of Hechi's 附件2 (测评指标责任清单): 测评目标 | 测评指标 | 测评内容 | 分值 | 牵头单位 | 责任单位 | 测评方法, targets and
/// indicators as merged cells, then 奖惩清单 as a last target whose indicators are 加分事项 / 减分事项 (and 负面清单).
/// Reads a table of that layout; see docs/list-format.md.
/// </summary>
public static partial class ResponsibilityList
{
    public const string TargetColumn = "测评目标";
    public const string IndicatorColumn = "测评指标";
    public const string ContentColumn = "测评内容";
    public const string PointsColumn = "分值";
    public const string LeadColumn = "牵头单位";
    public const string ResponsibleColumn = "责任单位";
    public const string MethodColumn = "测评方法";

    public static readonly IReadOnlyList<string> Columns = [TargetColumn, IndicatorColumn, ContentColumn, PointsColumn, LeadColumn, ResponsibleColumn, MethodColumn];
    public static readonly IReadOnlyList<string> Required = [TargetColumn, IndicatorColumn, ContentColumn, PointsColumn];

    public const int MaxRows = 2000;

    public static readonly IReadOnlyDictionary<string, EvaluationMethod> MethodNames = new Dictionary<string, EvaluationMethod>
    {
        ["网上申报"] = EvaluationMethod.Online,
        ["实地核查"] = EvaluationMethod.Onsite,
        ["第三方评估"] = EvaluationMethod.ThirdParty,
    };

    /// <summary>
    /// Reads the table. <paramref name="knownUnit"/> tells whether a name is a unit or group already known, so a name that
    /// itself holds "、" (各县（区）党委、人民政府) is kept whole. Throws <see cref="ListFormatException"/> with every fault.
    /// </summary>
    public static ParsedList Parse(ListTable table, Func<string, bool> knownUnit)
    {
        var errors = new List<ListError>();
        void Fail(int? row, string? column, string reason) => errors.Add(new ListError(table.Name, row, column, reason));

        var (headerRow, columns) = FindHeader(table);
        var missing = Required.Where(c => !columns.ContainsKey(c)).ToList();
        if (headerRow is null || missing.Count > 0)
        {
            Fail(headerRow?.Number, null, headerRow is null
                ? $"未找到表头（须有 {string.Join("、", Columns)} 列）。"
                : $"缺少「{string.Join("」「", missing)}」列（表头须为 {string.Join("、", Columns)}）。");
            throw new ListFormatException(errors);
        }
        string Cell(ListRow row, string column) =>
            columns.TryGetValue(column, out var i) && i < row.Cells.Count ? row.Cells[i] ?? "" : "";

        var targets = new List<(string Name, int Row, List<(string Name, int Row)> Indicators)>();
        var entries = new List<ListEntry>();
        string? target = null, indicator = null;
        var adjustTarget = false;
        var section = ListSection.Item;
        var indicatorNo = 0;
        var counters = new Dictionary<ListSection, int>();
        var dataRows = 0;
        foreach (var row in table.Rows.Where(r => r.Number > headerRow.Number))
        {
            if (row.Cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            if (++dataRows > MaxRows)
            {
                Fail(row.Number, null, $"一份清单最多 {MaxRows} 行。");
                break;
            }
            var targetCell = Name(Cell(row, TargetColumn));
            var indicatorCell = Name(Cell(row, IndicatorColumn));
            var text = Content(Cell(row, ContentColumn));
            var pointsCell = Cell(row, PointsColumn).Trim();
            if (targetCell.Length > 0 && targetCell != target)
            {
                target = targetCell;
                indicator = null;
                adjustTarget = targetCell.Contains("奖惩", StringComparison.Ordinal) || targetCell.Contains("负面清单", StringComparison.Ordinal);
                section = targetCell.Contains("负面清单", StringComparison.Ordinal) ? ListSection.Negative
                    : adjustTarget ? ListSection.Bonus : ListSection.Item;
                if (!adjustTarget)
                {
                    targets.Add((targetCell, row.Number, []));
                }
            }
            if (indicatorCell.Length > 0 && indicatorCell != indicator && target is not null)
            {
                indicator = indicatorCell;
                if (adjustTarget)
                {
                    section = indicatorCell.Contains("加分", StringComparison.Ordinal) ? ListSection.Bonus
                        : indicatorCell.Contains("负面", StringComparison.Ordinal) ? ListSection.Negative
                        : indicatorCell.Contains("减分", StringComparison.Ordinal) || indicatorCell.Contains("扣分", StringComparison.Ordinal) ? ListSection.Penalty
                        : section;
                }
                else
                {
                    indicatorNo++;
                    targets[^1].Indicators.Add((indicatorCell, row.Number));
                }
            }
            var lead = Cell(row, LeadColumn);
            var responsible = Cell(row, ResponsibleColumn);
            var method = Cell(row, MethodColumn);
            if (text.Length == 0)
            {
                if (pointsCell.Length > 0 || lead.Trim().Length > 0 || responsible.Trim().Length > 0)
                {
                    Fail(row.Number, ContentColumn, "测评内容为空（该行填有分值或单位）。");
                }
                continue;
            }
            if (target is null)
            {
                Fail(row.Number, TargetColumn, "该行不属于任何测评目标（此前没有测评目标）。");
                continue;
            }
            if (indicator is null && !adjustTarget)
            {
                Fail(row.Number, IndicatorColumn, "该行不属于任何测评指标（此前没有测评指标）。");
                continue;
            }
            decimal points = 0;
            if (section == ListSection.Item)
            {
                if (pointsCell.Length == 0)
                {
                    Fail(row.Number, PointsColumn, "分值为空。");
                    continue;
                }
                if (ParsePoints(pointsCell) is not { } p)
                {
                    Fail(row.Number, PointsColumn, $"'{pointsCell}' 不是数字。");
                    continue;
                }
                if (p <= 0 || p > 100)
                {
                    Fail(row.Number, PointsColumn, $"分值 {pointsCell} 须大于0且不超过100。");
                    continue;
                }
                points = p;
            }
            var methods = new List<EvaluationMethod>();
            foreach (var m in Split(method))
            {
                if (MethodNames.TryGetValue(m, out var known))
                {
                    if (!methods.Contains(known))
                    {
                        methods.Add(known);
                    }
                }
                else
                {
                    Fail(row.Number, MethodColumn, $"「{m}」不是测评方法（{string.Join("、", MethodNames.Keys)}）。");
                }
            }
            var no = counters[section] = counters.GetValueOrDefault(section) + 1;
            entries.Add(new ListEntry(section, no, section == ListSection.Item ? indicatorNo : 0, text, points,
                Units(lead, knownUnit), Units(responsible, knownUnit), methods, Content(method), row.Number));
        }
        if (errors.Count == 0 && !entries.Any(e => e.Section == ListSection.Item))
        {
            Fail(null, ContentColumn, "表中没有测评内容。");
        }
        if (errors.Count > 0)
        {
            throw new ListFormatException(errors);
        }
        return new ParsedList(table.Name, [.. targets.Where(t => t.Indicators.Count > 0).Select(t => (t.Name, t.Row, (IReadOnlyList<(string, int)>)t.Indicators))], entries);
    }

    /// <summary>The header: the first of the first 20 rows that names the most required columns; column name → index.</summary>
    private static (ListRow? Row, Dictionary<string, int> Columns) FindHeader(ListTable table)
    {
        (ListRow? Row, Dictionary<string, int> Columns) best = (null, []);
        foreach (var row in table.Rows.Take(20))
        {
            var columns = new Dictionary<string, int>();
            for (var i = 0; i < row.Cells.Count; i++)
            {
                var name = Whitespace().Replace(row.Cells[i] ?? "", "");
                if (Columns.Contains(name))
                {
                    columns.TryAdd(name, i);
                }
            }
            if (columns.Keys.Count(Required.Contains) > best.Columns.Keys.Count(Required.Contains))
            {
                best = (row, columns);
            }
        }
        return best;
    }

    /// <summary>'３', '2.5', '２．５分' → a number; full-width digits and points are read as ASCII.</summary>
    public static decimal? ParsePoints(string text)
    {
        var s = Whitespace().Replace(text.Normalize(NormalizationForm.FormKC), "");
        if (s.EndsWith('分'))
        {
            s = s[..^1];
        }
        return decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>A target or indicator cell: lines joined, the numbering ("一、", "（一）", "1.", full-width too) taken off.</summary>
    public static string Name(string cell) => Numbering().Replace(Content(cell), "", 1);

    /// <summary>An item cell: lines joined (a break inside a cell is layout, not content), the leading "1." taken off.</summary>
    public static string Content(string cell)
    {
        var joined = string.Concat((cell ?? "").Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()));
        return ItemNumber().Replace(joined, "", 1);
    }

    /// <summary>Splits a cell on line breaks and 、，,；; ("网上申报\n实地核查").</summary>
    private static IEnumerable<string> Split(string cell) =>
        Separators().Split(cell ?? "").Select(s => s.Trim()).Where(s => s.Length > 0);

    /// <summary>
    /// The unit names of a cell, split on line breaks and 、，,；; — but a run of pieces that is a known name as a whole
    /// ("各县（区）党委" + "、" + "人民政府") is kept whole, and so is "…党委、…人民政府" (a county's two bodies, one unit).
    /// </summary>
    public static IReadOnlyList<string> Units(string cell, Func<string, bool> known)
    {
        var names = new List<string>();
        foreach (var line in (cell ?? "").Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var parts = PieceSeparators().Split(line);
            // parts alternate: piece, separator, piece, …
            for (var i = 0; i < parts.Length; i += 2)
            {
                var piece = parts[i].Trim();
                var end = i;
                for (var j = parts.Length - 1; j > i; j -= 2)
                {
                    var whole = string.Concat(parts[i..(j + 1)]).Trim();
                    if (known(whole) || (j == i + 2 && piece.EndsWith("党委", StringComparison.Ordinal) && parts[j].Trim().EndsWith("人民政府", StringComparison.Ordinal)))
                    {
                        (piece, end) = (whole, j);
                        break;
                    }
                }
                if (piece.Length > 0 && !names.Contains(piece))
                {
                    names.Add(piece);
                }
                i = end;
            }
        }
        return names;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[\n、，,；;]+")]
    private static partial Regex Separators();

    [GeneratedRegex(@"([、，,；;])")]
    private static partial Regex PieceSeparators();

    [GeneratedRegex(@"^\s*(?:[（(][一二三四五六七八九十百0-9０-９]+[）)]|[一二三四五六七八九十百]+[、.．]|[0-9０-９]+[、.．](?![0-9０-９]))\s*")]
    private static partial Regex Numbering();

    [GeneratedRegex(@"^\s*[0-9０-９]+[、.．](?![0-9０-９])\s*")]
    private static partial Regex ItemNumber();
}
