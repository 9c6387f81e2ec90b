namespace CreationWorkflow.Web.Scoring;

/// <summary>A refusal of the fact-entry form: the form field it concerns and the reason in Chinese.</summary>
public sealed record FormError(string Field, string Message);

/// <summary>
/// The fact-entry form of one item, generated from its rules, as plain form fields (stable names, no JS needed):
/// <list type="bullet">
/// <item><c>check.{rule}</c> checkbox (value <c>true</c>; unchecked = 未达到), <c>cond.{deduction}</c> checkbox per deduction;</item>
/// <item><c>rate.{rule}</c> percent and <c>source.{rule}</c> (tier); <c>count.{rule}</c> (count, staffCount) and <c>staffSize</c>;</item>
/// <item><c>people.{rule}.required</c> / <c>people.{rule}.actual</c> (perPerson);</item>
/// <item><c>case.{rule}.{n}.content</c> / <c>.level</c> / <c>.category</c> / <c>.note</c> rows (level, perCase, once); a blank row is ignored;</item>
/// <item><c>flag.consolidation</c> when a rule is exempt in the consolidation period, with <c>titleLevel</c> (the unit's 示范单位命名级别,
/// which the exemption asks for); <c>evidence.{rule}</c> checkboxes (evidence file ids).</item>
/// </list>
/// The form's values are a name → values map, filled either from stored facts or from a posted form, so a refused or
/// previewed form is shown again exactly as entered.
/// </summary>
public static class FactsForm
{
    public const int BlankCaseRows = 2;

    public static string Check(string rule) => $"check.{rule}";
    public static string Condition(string deduction) => $"cond.{deduction}";
    public static string Rate(string rule) => $"rate.{rule}";
    public static string Source(string rule) => $"source.{rule}";
    public static string Count(string rule) => $"count.{rule}";
    public static string PeopleRequired(string rule) => $"people.{rule}.required";
    public static string PeopleActual(string rule) => $"people.{rule}.actual";
    public static string CaseField(string rule, int row, string part) => $"case.{rule}.{row}.{part}";
    public static string Evidence(string rule) => $"evidence.{rule}";
    public const string StaffSize = "staffSize";
    public const string TitleLevel = "titleLevel";
    public static string Flag(string flag) => $"flag.{flag}";
    public static string Note(string key) => $"note.{key}";

    public static readonly IReadOnlyDictionary<string, Level> LevelsByName = new Dictionary<string, Level>
    {
        ["county"] = Level.County, ["prefecture"] = Level.Prefecture, ["province"] = Level.Province, ["national"] = Level.National,
    };

    public static string LevelName(Level level) => LevelsByName.First(l => l.Value == level).Key;

    public static bool TakesCases(Rule rule) => rule is LevelRule or PerCaseRule or OnceRule;

    /// <summary>The form values that show stored facts (and their evidence and sources).</summary>
    public static Dictionary<string, List<string>> ValuesOf(IReadOnlyList<Rule> rules, ItemFacts stored)
    {
        var v = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Set(string name, string value) => (v.TryGetValue(name, out var list) ? list : v[name] = []).Add(value);
        var f = stored.Facts;
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case CheckRule check:
                    if (f.Checks.GetValueOrDefault(check.Id))
                    {
                        Set(Check(check.Id), "true");
                    }
                    foreach (var d in check.Deductions.Where(d => f.Conditions.GetValueOrDefault(d.Id)))
                    {
                        Set(Condition(d.Id), "true");
                    }
                    break;
                case TierRule when f.Rates.TryGetValue(rule.Id, out var rate):
                    Set(Rate(rule.Id), rate.ToString("0.##", CultureInfo.InvariantCulture));
                    break;
                case CountRule or StaffCountRule when f.Counts.TryGetValue(rule.Id, out var count):
                    Set(Count(rule.Id), count.ToString(CultureInfo.InvariantCulture));
                    break;
                case PerPersonRule when f.People.TryGetValue(rule.Id, out var people):
                    Set(PeopleRequired(rule.Id), people.Required.ToString(CultureInfo.InvariantCulture));
                    Set(PeopleActual(rule.Id), people.Actual.ToString(CultureInfo.InvariantCulture));
                    break;
            }
            var n = 0;
            foreach (var c in f.CasesOf(rule.Id))
            {
                Set(CaseField(rule.Id, n, "content"), c.Content ?? "");
                Set(CaseField(rule.Id, n, "level"), c.Level is { } level ? LevelName(level) : "");
                Set(CaseField(rule.Id, n, "category"), c.Category ?? "");
                Set(CaseField(rule.Id, n, "note"), c.Note ?? "");
                n++;
            }
            if (stored.Sources?.GetValueOrDefault(rule.Id) is { } source)
            {
                Set(Source(rule.Id), source);
            }
            foreach (var e in stored.Evidence?.GetValueOrDefault(rule.Id) ?? [])
            {
                Set(Evidence(rule.Id), e.ToString());
            }
        }
        if (f.StaffSize is { } staff && rules.Any(r => r is StaffCountRule))
        {
            Set(StaffSize, staff.ToString(CultureInfo.InvariantCulture));
        }
        if (f.TitleLevel is { } title && rules.Any(r => r.ExemptWhen is not null))
        {
            Set(TitleLevel, LevelName(title));
        }
        foreach (var flag in f.Flags)
        {
            Set(Flag(flag), "true");
        }
        foreach (var (key, note) in stored.Notes ?? new Dictionary<string, string>())
        {
            Set(Note(key), note);
        }
        return v;
    }

    public static Dictionary<string, List<string>> ValuesOf(IFormCollection form) =>
        form.Where(kv => kv.Key != "__RequestVerificationToken")
            .ToDictionary(kv => kv.Key, kv => kv.Value.Select(s => s ?? "").ToList(), StringComparer.Ordinal);

    public static string Value(IReadOnlyDictionary<string, List<string>> values, string name) =>
        values.TryGetValue(name, out var list) && list.Count > 0 ? list[0] : "";

    public static bool Has(IReadOnlyDictionary<string, List<string>> values, string name, string value) =>
        values.TryGetValue(name, out var list) && list.Contains(value);

    /// <summary>The case row numbers the values hold for a rule, in order.</summary>
    public static IReadOnlyList<int> CaseRows(IReadOnlyDictionary<string, List<string>> values, string rule)
    {
        var prefix = $"case.{rule}.";
        return values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('.')[0])
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 1000 ? n : -1)
            .Where(n => n >= 0).Distinct().Order().ToList();
    }

    /// <summary>Reads the posted form into facts for the item's rules only; the first bad field refuses it, naming the field.</summary>
    public static (ItemFacts? Facts, FormError? Error) Read(IReadOnlyList<Rule> rules, IReadOnlyDictionary<string, List<string>> values)
    {
        var checks = new Dictionary<string, bool>();
        var conditions = new Dictionary<string, bool>();
        var rates = new Dictionary<string, decimal>();
        var counts = new Dictionary<string, int>();
        var people = new Dictionary<string, PeopleCount>();
        var cases = new List<Case>();
        var evidence = new Dictionary<string, IReadOnlyList<Guid>>();
        var sources = new Dictionary<string, string>();
        int? staffSize = null;

        string V(string name) => Value(values, name).Trim();
        FormError Bad(string field, Rule rule, string what) => new(field, $"{Label(rule)}：{what}");

        foreach (var rule in rules)
        {
            switch (rule)
            {
                case CheckRule check:
                    checks[check.Id] = Has(values, Check(check.Id), "true");
                    foreach (var d in check.Deductions.Where(d => Has(values, Condition(d.Id), "true")))
                    {
                        conditions[d.Id] = true;
                    }
                    break;
                case TierRule tier when V(Rate(tier.Id)) is { Length: > 0 } text:
                    if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 100)
                    {
                        return (null, Bad(Rate(tier.Id), tier, $"{TierRule.Measures.GetValueOrDefault(tier.Measure, "比率")}须为0–100之间的数字（百分比），“{text}”不是。"));
                    }
                    rates[tier.Id] = rate;
                    break;
                case CountRule or StaffCountRule when V(Count(rule.Id)) is { Length: > 0 } text:
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                    {
                        return (null, Bad(Count(rule.Id), rule, $"次数（篇数）须为不小于0的整数，“{text}”不是。"));
                    }
                    counts[rule.Id] = count;
                    break;
                case PerPersonRule:
                    var required = V(PeopleRequired(rule.Id));
                    var actual = V(PeopleActual(rule.Id));
                    if (required.Length == 0 && actual.Length == 0)
                    {
                        break;
                    }
                    if (!int.TryParse(required, NumberStyles.None, CultureInfo.InvariantCulture, out var req))
                    {
                        return (null, Bad(PeopleRequired(rule.Id), rule, "应有人数须为不小于0的整数。"));
                    }
                    if (!int.TryParse(actual, NumberStyles.None, CultureInfo.InvariantCulture, out var act))
                    {
                        return (null, Bad(PeopleActual(rule.Id), rule, "实有人数须为不小于0的整数。"));
                    }
                    people[rule.Id] = new PeopleCount(req, act);
                    break;
            }
            if (TakesCases(rule))
            {
                foreach (var n in CaseRows(values, rule.Id))
                {
                    var content = V(CaseField(rule.Id, n, "content"));
                    var levelText = V(CaseField(rule.Id, n, "level"));
                    var category = V(CaseField(rule.Id, n, "category"));
                    var note = V(CaseField(rule.Id, n, "note"));
                    if (content.Length == 0 && levelText.Length == 0 && category.Length == 0 && note.Length == 0)
                    {
                        continue; // a blank row
                    }
                    Level? level = null;
                    if (rule is LevelRule levelRule)
                    {
                        // Any level is taken: one the clause does not list is read by LevelRule.CountedLevel and said in the trail.
                        if (!LevelsByName.TryGetValue(levelText, out var l))
                        {
                            return (null, Bad(CaseField(rule.Id, n, "level"), rule, $"第{n + 1}行须选择级别（{string.Join("/", LevelRule.LevelNames.Values)}）。"));
                        }
                        level = l;
                    }
                    if (rule is PerCaseRule { Categories.Count: > 0 } perCase && perCase.Categories.All(k => k.Id != category))
                    {
                        return (null, Bad(CaseField(rule.Id, n, "category"), rule, $"第{n + 1}行须选择类别（{string.Join("/", perCase.Categories.Select(k => k.Text))}）。"));
                    }
                    if (content.Length == 0)
                    {
                        return (null, Bad(CaseField(rule.Id, n, "content"), rule, $"第{n + 1}行须写明内容（事项、荣誉或案例名称）。"));
                    }
                    cases.Add(new Case(rule.Id, content, level, rule is PerCaseRule { Categories.Count: > 0 } ? category : null, note.Length == 0 ? null : note));
                }
            }
            if (V(Source(rule.Id)) is { Length: > 0 } source)
            {
                sources[rule.Id] = source;
            }
            var files = new List<Guid>();
            foreach (var text in values.GetValueOrDefault(Evidence(rule.Id)) ?? [])
            {
                if (!Guid.TryParse(text, out var file))
                {
                    return (null, Bad(Evidence(rule.Id), rule, "所选佐证材料无效。"));
                }
                files.Add(file);
            }
            if (files.Count > 0)
            {
                evidence[rule.Id] = files.Distinct().ToList();
            }
        }
        if (rules.Any(r => r is StaffCountRule) && V(StaffSize) is { Length: > 0 } staffText)
        {
            if (!int.TryParse(staffText, NumberStyles.None, CultureInfo.InvariantCulture, out var staff))
            {
                return (null, new FormError(StaffSize, $"单位人数须为不小于0的整数，“{staffText}”不是。"));
            }
            staffSize = staff;
        }
        Level? titleLevel = null;
        if (rules.Any(r => r.ExemptWhen is not null) && V(TitleLevel) is { Length: > 0 } titleText)
        {
            if (!LevelsByName.TryGetValue(titleText, out var t))
            {
                return (null, new FormError(TitleLevel, $"示范单位命名级别须选择{string.Join("/", LevelRule.LevelNames.Values)}。"));
            }
            titleLevel = t;
        }
        var flags = rules.Select(r => r.ExemptWhen).OfType<string>().Distinct().Where(flag => Has(values, Flag(flag), "true")).ToList();
        var facts = new Facts
        {
            StaffSize = staffSize, TitleLevel = titleLevel, Flags = flags, Checks = checks, Conditions = conditions, Rates = rates, Counts = counts, People = people, Cases = cases,
        };
        var notes = EvidencePlan.NoteKeys.Select(k => (k, Text: V(Note(k)))).Where(n => n.Text.Length > 0).ToDictionary(n => n.k, n => n.Text);
        return (new ItemFacts(facts, evidence, sources, notes), null);
    }

    /// <summary>A validator path (<c>facts.rates['7.2']</c>, <c>$.counts['3.1']</c>) → the form field it concerns.</summary>
    public static string FieldOf(string path)
    {
        var m = System.Text.RegularExpressions.Regex.Match(path, @"(checks|conditions|rates|counts|people)\['([^']+)'\]");
        if (m.Success)
        {
            var id = m.Groups[2].Value;
            return m.Groups[1].Value switch
            {
                "checks" => Check(id), "conditions" => Condition(id), "rates" => Rate(id), "counts" => Count(id), _ => PeopleRequired(id),
            };
        }
        return path.Contains("staffSize", StringComparison.Ordinal) ? StaffSize : path.Contains("cases", StringComparison.Ordinal) ? "case" : path;
    }

    public static string Label(Rule rule) => $"规则{rule.Id}（{Short(rule.Text, 24)}）";

    public static string Short(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>Stored rows → the item's facts with their evidence and sources (for showing the form).</summary>
    public static ItemFacts Stored(IReadOnlyList<Rule> rules, IEnumerable<FactRecord> rows)
    {
        var keys = ProgrammeEntries.KeysOf(rules);
        var mine = rows.Where(r => keys.Contains(r.RuleId)).ToList();
        var evidence = mine.GroupBy(r => r.RuleId).ToDictionary(g => g.Key,
            g => (IReadOnlyList<Guid>)g.SelectMany(r => JsonSerializer.Deserialize<List<Guid>>(r.Evidence) ?? []).Distinct().ToList());
        var sources = mine.Where(r => r.Source is not null).GroupBy(r => r.RuleId).ToDictionary(g => g.Key, g => g.First().Source!);
        return new ItemFacts(FactStore.ToFacts(mine), evidence, sources, FactStore.NotesOf(mine));
    }
}
