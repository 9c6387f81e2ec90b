using CreationWorkflow.Core.Programmes.Clauses;

namespace CreationWorkflow.Core.Programmes.Lists;

/// <summary>An entry of a draft: the row as read plus its rules (from the 规则 sheet, the clause reader, or the office) and open flags.</summary>
public sealed record DraftEntry(
    ListSection Section, int No, int Indicator, string Text, decimal Points,
    IReadOnlyList<string> Lead, IReadOnlyList<string> Responsible, IReadOnlyList<EvaluationMethod> Methods,
    IReadOnlyList<Rule> Rules, IReadOnlyList<ClauseFlag> Flags, SourceRef Source, bool HighestPerContent = false)
{
    public string Key => ListEntry.KeyOf(Section, No);
}

public enum UnitAction { Alias, Create, Group }

/// <summary>The office's answer for a name the directory does not know: another spelling of a unit or group, a new unit, or a new group.</summary>
public sealed record UnitDecision(UnitAction Action, string? Target = null, UnitKind? Kind = null, IReadOnlyList<string>? Members = null);

/// <summary>A name of the list the directory does not know, with suggestions and (once confirmed) the office's decision.</summary>
/// <remarks><see cref="Place"/> is where the list first names it: "「工作表 附件2」第5行 责任单位列".</remarks>
public sealed record DraftUnit(string Name, bool LooksLikeGroup, UnitKind GuessedKind, IReadOnlyList<UnitSuggestion> Suggestions, UnitDecision? Decision = null, string? Place = null);

/// <summary>A machine row of the export's 规则 sheet for one entry: its text (to know it was not edited since), rules and source.</summary>
public sealed record SheetEntry(string Text, IReadOnlyList<Rule> Rules, SourceRef Source, bool HighestPerContent = false);

/// <summary>
/// An imported list not yet published: everything a programme needs, with what the office must still confirm (units
/// the directory does not know, flagged clauses). Pure data (stored as JSON until published); <see cref="Files"/> turns
/// it into the seed files the loader validates.
/// </summary>
public sealed record ListDraft(
    string FileName, ProgrammeHeader Header, IReadOnlyList<Target> Targets, IReadOnlyList<DraftEntry> Entries,
    UnitsFile Directory, IReadOnlyList<KeyTask> KeyTasks, IReadOnlyList<DraftUnit> Units)
{
    public const string RulesSheet = "规则";

    public IEnumerable<DraftEntry> Items => Entries.Where(e => e.Section == ListSection.Item);

    /// <summary>
    /// Builds the draft from a parsed table. <paramref name="machine"/> (the 规则 sheet: key → JSON) gives rules and sources
    /// for entries whose text is unchanged, and the header, directory and key tasks; otherwise the clause reader proposes
    /// rules and the row is the source. <paramref name="header"/> and <paramref name="directory"/> are used when the sheet has none.
    /// </summary>
    public static ListDraft Build(string fileName, ParsedList list, IReadOnlyDictionary<string, string> machine, ProgrammeHeader header, UnitsFile directory, IReadOnlyList<KeyTask> keyTasks)
    {
        T? From<T>(string key) where T : class
        {
            if (!machine.TryGetValue(key, out var json))
            {
                return null;
            }
            try
            {
                return JsonSerializer.Deserialize<T>(json, SeedJson.Options);
            }
            catch (JsonException)
            {
                return null;
            }
        }
        header = From<ProgrammeHeader>("programme") ?? header;
        directory = From<UnitsFile>("units") ?? directory;
        keyTasks = From<List<KeyTask>>("keyTasks") ?? keyTasks;
        SourceRef Row(int row) => new(fileName, $"{list.Table} 第{row}行");
        var targets = new List<Target>();
        var indicatorNo = 0;
        for (var t = 0; t < list.Targets.Count; t++)
        {
            var (name, row, indicators) = list.Targets[t];
            targets.Add(new Target(t + 1, name, From<SourceRef>($"target:{t + 1}") ?? Row(row),
                [.. indicators.Select(i => new Indicator(++indicatorNo, i.Name, From<SourceRef>($"indicator:{indicatorNo}") ?? Row(i.Row)))]));
        }
        var entries = new List<DraftEntry>();
        foreach (var e in list.Entries)
        {
            var sheet = From<SheetEntry>("entry:" + e.Key);
            if (sheet is not null && sheet.Text == e.Text)
            {
                entries.Add(new DraftEntry(e.Section, e.No, e.Indicator, e.Text, e.Points, e.Lead, e.Responsible, e.Methods, sheet.Rules, [], sheet.Source, sheet.HighestPerContent));
                continue;
            }
            var reading = ClauseReader.Read(e.Key, e.Text, e.Method, e.Points);
            entries.Add(new DraftEntry(e.Section, e.No, e.Indicator, e.Text, e.Points, e.Lead, e.Responsible, e.Methods,
                reading.Rules, reading.Flags, Row(e.Row), reading.Rules.OfType<PerCaseRule>().Any() && e.Text.Contains("只取最高", StringComparison.Ordinal)));
        }
        var known = new UnitDirectory(directory.Units, directory.Groups ?? []);
        var places = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in list.Entries)
        {
            foreach (var (names, column) in new[] { (e.Lead, ResponsibilityList.LeadColumn), (e.Responsible, ResponsibilityList.ResponsibleColumn) })
            {
                foreach (var n in names)
                {
                    places.TryAdd(n, $"「{list.Table}」第{e.Row}行 {column}列");
                }
            }
        }
        var unknown = entries.SelectMany(e => e.Lead.Concat(e.Responsible)).Distinct().Where(n => !known.Knows(n))
            .Select(n => UnitMatcher.Propose(n, known) with { Place = places.GetValueOrDefault(n) }).ToList();
        return new ListDraft(fileName, header, targets, entries, directory, keyTasks, unknown);
    }

    /// <summary>What still stops publishing, in zh-CN: units to confirm, flags to resolve, points that do not add up.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var u in Units.Where(u => u.Decision is null))
        {
            problems.Add($"{(u.Place is { } place ? place + "：" : "")}单位「{u.Name}」不在单位名录中：请确认（对应已有单位、新建单位或新建单位组）。");
        }
        foreach (var e in Entries)
        {
            var label = ListDraft.LabelOf(e);
            foreach (var f in e.Flags)
            {
                problems.Add($"{label}：{f.Message}（「{Clip(f.Clause)}」）——请核定规则。");
            }
            if (e.Rules.Count == 0)
            {
                problems.Add($"{label}：没有规则。");
            }
            else if (e.Section == ListSection.Item && e.Rules.All(r => r.MaxPoints < decimal.MaxValue) && e.Rules.Sum(r => r.MaxPoints) is var max && max != e.Points)
            {
                problems.Add($"{label}：规则合计最高 {Display.Number(max)} 分，与分值 {Display.Number(e.Points)} 分不符。");
            }
            else if (e.Section == ListSection.Item && e.Rules.Any(r => r is PerCaseRule { Cap: null }))
            {
                problems.Add($"{label}：按例计分的规则须有上限。");
            }
            else if (e.Section != ListSection.Item && e.Rules.Any(r => r is not (PerCaseRule or OnceRule or LevelRule)))
            {
                problems.Add($"{label}：奖惩事项只能按例、一次性或按级别计分。");
            }
        }
        var total = Items.Sum(i => i.Points);
        if (total != Header.BaseMax)
        {
            problems.Add($"测评内容分值合计 {Display.Number(total)} 分，不等于满分 {Display.Number(Header.BaseMax)} 分。");
        }
        return problems;
    }

    public static string LabelOf(DraftEntry e) => new ItemKey(e.Section, e.No).Label;

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;

    /// <summary>The directory the programme will have: the draft's directory plus the office's decisions.</summary>
    public UnitsFile ResolvedDirectory()
    {
        var units = Directory.Units.ToList();
        var groups = (Directory.Groups ?? []).ToList();
        var source = new SourceRef(FileName, "单位确认");
        foreach (var u in Units)
        {
            switch (u.Decision)
            {
                case { Action: UnitAction.Alias, Target: { } target }:
                    var unit = units.FindIndex(x => x.Name == target);
                    if (unit >= 0)
                    {
                        units[unit] = units[unit] with { Aliases = [.. units[unit].Aliases ?? [], u.Name] };
                    }
                    var group = groups.FindIndex(x => x.Name == target);
                    if (group >= 0)
                    {
                        groups[group] = groups[group] with { Aliases = [.. groups[group].Aliases ?? [], u.Name] };
                    }
                    break;
                case { Action: UnitAction.Create } d:
                    units.Add(new Unit(u.Name, d.Kind ?? u.GuessedKind, source));
                    break;
                case { Action: UnitAction.Group } d:
                    groups.Add(new UnitGroup(u.Name, source, Members: d.Members ?? []));
                    break;
            }
        }
        return new UnitsFile(units, groups);
    }

    /// <summary>The seed files of the programme this draft publishes (the loader validates them like a seed folder).</summary>
    public SortedDictionary<string, string> Files()
    {
        var items = Items.Select(e => new Item(e.No, e.Indicator, e.Text, e.Points, e.Rules, e.Source, e.Lead, e.Responsible, e.Methods)).ToList();
        AdjustmentItem Adj(DraftEntry e) => new(e.No, e.Text, e.Rules, e.Source, e.HighestPerContent, e.Lead, e.Responsible, e.Methods);
        var adjustments = new Adjustments(
            [.. Entries.Where(e => e.Section == ListSection.Bonus).Select(Adj)],
            [.. Entries.Where(e => e.Section == ListSection.Penalty).Select(Adj)],
            [.. Entries.Where(e => e.Section == ListSection.Negative).Select(Adj)]);
        var dir = ResolvedDirectory();
        return ProgrammeContent.Files(Header, Targets, items, adjustments, new UnitDirectory(dir.Units, dir.Groups ?? []), KeyTasks);
    }
}
