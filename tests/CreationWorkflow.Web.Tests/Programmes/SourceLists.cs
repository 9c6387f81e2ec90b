using CreationWorkflow.Tests.Shared;

namespace CreationWorkflow.Web.Tests.Programmes;

/// <summary>A list as the tests lay it out in 附件2: its rows (title, header, then one per entry) and XLSX merges.</summary>
public sealed record SourceList(string?[][] Rows, IReadOnlyList<string> Merges, IReadOnlyList<string> ContentFromSeed, IReadOnlyList<string> PointsFromSeed);

/// <summary>
/// The two source documents (docs/sources/, copies of ../shared/seeds/) laid out as an office's 附件2 file, cell texts
/// taken from the documents themselves, so importing them and comparing with seed/ tests the importer and the clause
/// reader on the printed words, not on seed/'s own copy of them:
/// <list type="bullet">
/// <item>Hechi (附件2): each 测评内容 cell is the item's text as printed, with the document's line breaks (and the PDF's
/// "（得 1分）" spaces), found where seed/'s text occurs verbatim (ignoring whitespace); its 分值 is the number printed
/// right after it. The three rows garbled in the extraction (items 4, 6, 7, columns interleaved character by character)
/// take seed/'s rebuilt text and points (listed in <see cref="SourceList.ContentFromSeed"/>). Target and indicator names,
/// units and methods, interleaved column by column in the extraction, are seed/'s.</item>
/// <item>Taijiang: read from the document alone — each area (一、…) a target, each 考核内容 (a numbered line without
/// points) an indicator, each 考核指标 line split at its numbering ("1." "2、") into items, 负面清单 last. The document
/// prints no 分值 column, so the 分值 cell is seed/'s points (all listed in <see cref="SourceList.PointsFromSeed"/>).</item>
/// </list>
/// The layout exercises what offices' files have: numbering "一、" "（一）" "1." and full-width "１．", full-width digits
/// in 分值 on every other row, line breaks inside target, indicator, unit and method cells, and merged target and
/// indicator cells.
/// </summary>
public static partial class SourceLists
{
    private static string Read(string file) => File.ReadAllText(Path.Combine(AppFactory.RepoRoot, "docs", "sources", file));

    public static SourceList Hechi(Programme seed)
    {
        var source = Read(seed.Items[0].Source.File);
        var (compact, map) = Whitespace.Removed(source);
        var rows = new List<string?[]> { new[] { "河池市创建全国民族团结进步示范市测评指标责任清单" }, ListFileBuilder.Header };
        var merges = new List<string>();
        var fromSeed = new List<string>();
        var pointsFromSeed = new List<string>();
        string? Printed(string text, out string? pointsAfter)
        {
            pointsAfter = null;
            var key = Whitespace.Removed(text).Text;
            var at = compact.IndexOf(key, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }
            var end = map[at + key.Length - 1] + 1;
            var after = PointsAfter().Match(source, end);
            pointsAfter = after.Success ? after.Groups[1].Value : null;
            return Lines(source[map[at]..end]);
        }
        var indicatorNo = 0;
        foreach (var target in seed.Targets)
        {
            var targetStart = rows.Count;
            foreach (var indicator in target.Indicators)
            {
                var indicatorStart = rows.Count;
                indicatorNo++;
                foreach (var item in seed.Items.Where(i => i.Indicator == indicator.No))
                {
                    var content = Printed(item.Text, out var points);
                    if (content is null)
                    {
                        fromSeed.Add(item.No.ToString());
                        content = item.Text;
                    }
                    if (points is null)
                    {
                        pointsFromSeed.Add(item.No.ToString());
                        points = item.Points.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    var odd = item.No % 2 == 1;
                    rows.Add([
                        rows.Count == targetStart ? $"{Numeral(target.No)}、\n{Break(target.Name)}" : null,
                        rows.Count == indicatorStart ? $"（{Numeral(indicatorNo)}）{Break(indicator.Name)}" : null,
                        (odd ? $"{FullWidth(item.No.ToString())}．" : $"{item.No}.") + content,
                        odd ? FullWidth(points) : points,
                        Units(item.LeadUnits), Units(item.ResponsibleUnits), Methods(item.Methods),
                    ]);
                }
                Merge(merges, 'B', indicatorStart, rows.Count);
            }
            Merge(merges, 'A', targetStart, rows.Count);
        }
        var adjustStart = rows.Count;
        foreach (var (name, items) in new[] { ("（十九）加分事项", seed.Adjustments.BonusItems), ("（二十）减分事项", seed.Adjustments.PenaltyItems) })
        {
            var start = rows.Count;
            foreach (var item in items)
            {
                var content = Printed(item.Text, out _);
                if (content is null)
                {
                    fromSeed.Add((name.Contains('加') ? "B" : "P") + item.No);
                    content = item.Text;
                }
                rows.Add([
                    rows.Count == adjustStart ? $"{Numeral(seed.Targets.Count + 1)}、奖惩清单" : null,
                    rows.Count == start ? name : null,
                    $"{item.No}." + content, null,
                    Units(item.Lead ?? []), Units(item.Responsible ?? []), Methods(item.Methods),
                ]);
            }
            Merge(merges, 'B', start, rows.Count);
        }
        Merge(merges, 'A', adjustStart, rows.Count);
        merges.Insert(0, "A1:G1");
        return new SourceList([.. rows], merges, fromSeed, pointsFromSeed);
    }

    public static SourceList Taijiang(Programme seed)
    {
        var lines = Read(seed.Items[0].Source.File).Split('\n').Select(l => l.Trim()).ToList();
        string[] columns = ["考核事项", "考核内容", "考核指标", "考核方式", "目标分值"];
        var rows = new List<string?[]> { new[] { "台江县2022年民族团结进步创建工作考核指标" }, ListFileBuilder.Header };
        var merges = new List<string>();
        var pointsFromSeed = new List<string>();
        string? target = null;
        string? indicator = null;
        int targetStart = rows.Count, indicatorStart = rows.Count, no = 0;
        var negative = false;
        foreach (var line in lines.Where(l => l.Length > 0 && !columns.Contains(l) && !l.Contains("考核指标", StringComparison.Ordinal) && !l.StartsWith("附件", StringComparison.Ordinal)))
        {
            if (AreaHeading().IsMatch(line) || line.StartsWith("负面清单", StringComparison.Ordinal))
            {
                Merge(merges, 'B', indicatorStart, rows.Count);
                Merge(merges, 'A', targetStart, rows.Count);
                (target, indicator, targetStart, indicatorStart) = (line.TrimEnd('：', ':'), null, rows.Count, rows.Count);
                negative = line.StartsWith("负面清单", StringComparison.Ordinal);
                continue;
            }
            if (!negative && (indicator is null || !line.Contains('分')))
            {
                Merge(merges, 'B', indicatorStart, rows.Count);
                (indicator, indicatorStart) = (line, rows.Count);
                continue;
            }
            foreach (var piece in ItemStart().Split(line).Select(p => p.Trim()).Where(p => p.Length > 0))
            {
                string? points = null;
                if (!negative)
                {
                    var item = seed.Items[no++];
                    points = item.Points.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    pointsFromSeed.Add(item.No.ToString());
                    points = no % 2 == 1 ? FullWidth(points) : points;
                }
                rows.Add([
                    rows.Count == targetStart ? Break(target!) : null,
                    rows.Count == indicatorStart && indicator is not null ? Break(indicator) : null,
                    piece, points, null, null, null,
                ]);
            }
        }
        Merge(merges, 'B', indicatorStart, rows.Count);
        Merge(merges, 'A', targetStart, rows.Count);
        merges.Insert(0, "A1:G1");
        return new SourceList([.. rows], merges, [], pointsFromSeed);
    }

    /// <summary>A merge of column <paramref name="column"/> over sheet rows [from, to) (0-based list rows; the sheet is 1-based).</summary>
    private static void Merge(List<string> merges, char column, int from, int to)
    {
        if (to - from > 1)
        {
            merges.Add($"{column}{from + 1}:{column}{to}");
        }
    }

    /// <summary>The printed span's non-empty lines, each trimmed, joined by line breaks (the cell's own layout).</summary>
    private static string Lines(string span) =>
        string.Join("\n", span.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    /// <summary>A name broken after its first few characters, as narrow cells print them.</summary>
    private static string Break(string name) => name.Length > 6 ? name[..4] + "\n" + name[4..] : name;

    private static string Units(IReadOnlyList<string> names) => string.Join("、\n", names);

    private static string Methods(IReadOnlyList<EvaluationMethod>? methods) => string.Join("\n", (methods ?? []).Select(m => m switch
    {
        EvaluationMethod.Online => "网上申报",
        EvaluationMethod.Onsite => "实地核查",
        _ => "第三方评估",
    }));

    public static string FullWidth(string ascii) =>
        string.Concat(ascii.Select(c => c is >= '0' and <= '9' ? (char)('０' + (c - '0')) : c == '.' ? '．' : c));

    public static string Numeral(int n)
    {
        const string digits = "零一二三四五六七八九";
        return n switch
        {
            < 10 => digits[n].ToString(),
            10 => "十",
            < 20 => "十" + digits[n - 10],
            _ => digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10].ToString()),
        };
    }

    /// <summary>The 分值 printed after an item's content in the extraction: the next token, a number on its own.</summary>
    [GeneratedRegex(@"\G\s*(\d+(?:\.\d+)?)(?=\s)")]
    private static partial Regex PointsAfter();

    [GeneratedRegex(@"^[一二三四五六七八九十]+、")]
    private static partial Regex AreaHeading();

    /// <summary>Where a numbered clause starts inside a 考核指标 line: "1." "2、" at the start, after a space or a full stop.</summary>
    [GeneratedRegex(@"(?:^|(?<=[\s。；）)]))(?=\d{1,2}[.、](?!\d))")]
    private static partial Regex ItemStart();
}
