namespace CreationWorkflow.Core.Seeding;

/// <summary>
/// Loads programme folders from seed/ and validates everything before anything is used or stored.
/// Every fault names the file, the JSON path and the reason; all faults are collected, not just the first.
/// </summary>
public static partial class SeedLoader
{
    /// <summary>Folders under seed/ that are not programmes.</summary>
    public static readonly IReadOnlySet<string> NonProgrammeFolders = new HashSet<string> { "calendar", Coverage.CoverageLoader.Folder };

    public static IReadOnlyList<Programme> LoadAll(string seedRoot)
    {
        if (!Directory.Exists(seedRoot))
        {
            throw new SeedException([new SeedError(seedRoot, "$", "seed folder not found")]);
        }
        var errors = new List<SeedError>();
        var programmes = new List<Programme>();
        foreach (var dir in Directory.GetDirectories(seedRoot).Order(StringComparer.Ordinal))
        {
            if (NonProgrammeFolders.Contains(Path.GetFileName(dir)))
            {
                continue;
            }
            if (TryLoad(dir, errors) is { } p)
            {
                programmes.Add(p);
            }
        }
        if (errors.Count > 0)
        {
            throw new SeedException(errors);
        }
        return programmes;
    }

    public static Programme Load(string folder)
    {
        var errors = new List<SeedError>();
        var programme = TryLoad(folder, errors);
        return errors.Count > 0 || programme is null ? throw new SeedException(errors) : programme;
    }

    private static Programme? TryLoad(string folder, List<SeedError> errors)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        return TryLoad(name, $"seed/{name}", file =>
        {
            var path = Path.Combine(folder, file);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }, errors);
    }

    /// <summary>
    /// Loads and validates a programme from its files held elsewhere (a published import: file name → JSON), with the
    /// same checks and messages as a seed folder. <paramref name="origin"/> prefixes the file names in errors.
    /// </summary>
    public static Programme LoadFiles(string id, string origin, IReadOnlyDictionary<string, string> files)
    {
        var errors = new List<SeedError>();
        var programme = TryLoad(id, origin, file => files.TryGetValue(file, out var json) ? System.Text.Encoding.UTF8.GetBytes(json) : null, errors);
        return errors.Count > 0 || programme is null ? throw new SeedException(errors) : programme;
    }

    private static Programme? TryLoad(string name, string origin, Func<string, byte[]?> open, List<SeedError> errors)
    {
        var before = errors.Count;
        string Display(string file) => $"{origin}/{file}";
        T? Read<T>(string file, bool required) where T : class
        {
            if (open(file) is { } bytes)
            {
                return SeedJson.Parse<T>(bytes, Display(file), errors);
            }
            if (required)
            {
                errors.Add(new SeedError(Display(file), "$", "required file is missing"));
            }
            return null;
        }

        var header = Read<ProgrammeHeader>("programme.json", required: true);
        var targets = Read<List<Target>>("targets.json", required: true);
        var items = Read<List<Item>>("items.json", required: true);
        var adjustments = Read<Adjustments>("adjustments.json", required: false) ?? new Adjustments();
        var unitsFile = Read<UnitsFile>("units.json", required: header?.Subject == ProgrammeSubject.City);
        var keyTasks = Read<List<KeyTask>>("key-tasks.json", required: false) ?? [];
        if (header is null || targets is null || items is null || errors.Count > before)
        {
            return null;
        }

        var v = new Validator(errors, Display);
        var units = v.Units(unitsFile);
        v.Header(header, name);
        v.Targets(targets);
        v.Items(header, targets, items, units);
        v.Adjustments(adjustments, units);
        v.KeyTasks(keyTasks, units);
        if (errors.Count > before)
        {
            return null;
        }
        return new Programme
        {
            Header = header,
            Targets = targets,
            Items = items,
            Adjustments = adjustments,
            Units = units,
            KeyTasks = keyTasks,
            ContentHash = ProgrammeContent.Hash(ProgrammeContent.Files(header, targets, items, adjustments, units, keyTasks)),
        };
    }

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex Month();

    [GeneratedRegex(@"^(\d+)(?:-(\d+))?$")]
    private static partial Regex LineRange();

    /// <summary>What is wrong with a record's source (under <paramref name="path"/>): missing, without file or section, lines not a range.</summary>
    public static IEnumerable<(string Path, string Reason)> SourceFaults(string path, SourceRef? source)
    {
        if (source is null)
        {
            yield return (path + ".source", "every record needs a source (file + section)");
            yield break;
        }
        if (string.IsNullOrWhiteSpace(source.File) || string.IsNullOrWhiteSpace(source.Section))
        {
            yield return (path + ".source", "source needs a non-empty 'file' and 'section'");
        }
        if (source.Lines is { } lines && LineRange().Match(lines) is var m
            && (!m.Success || (m.Groups[2].Success && int.Parse(m.Groups[2].Value) < int.Parse(m.Groups[1].Value))))
        {
            yield return (path + ".source.lines", $"'{lines}' is not a line or an ascending range like '120-135'");
        }
    }

    /// <summary>The semantic checks: numbering, sums, unit names, rule shapes.</summary>
    private sealed class Validator(List<SeedError> errors, Func<string, string> display)
    {
        private readonly HashSet<string> ruleIds = new(StringComparer.Ordinal);

        private void Fail(string file, string path, string reason) => errors.Add(new SeedError(display(file), path, reason));

        private void Source(string file, string path, SourceRef? source)
        {
            foreach (var (p, reason) in SourceFaults(path, source))
            {
                Fail(file, p, reason);
            }
        }

        public void Header(ProgrammeHeader h, string folderName)
        {
            const string f = "programme.json";
            if (h.Id != folderName)
            {
                Fail(f, "$.id", $"id '{h.Id}' must equal the folder name '{folderName}'");
            }
            if (string.IsNullOrWhiteSpace(h.Title))
            {
                Fail(f, "$.title", "title is empty");
            }
            if (h.BaseMax <= 0)
            {
                Fail(f, "$.baseMax", "must be positive");
            }
            Source(f, "$", h.Source);
            if (h.Phases.Count == 0)
            {
                Fail(f, "$.phases", "a programme needs at least one phase");
            }
            var ids = new HashSet<string>();
            for (var i = 0; i < h.Phases.Count; i++)
            {
                var p = h.Phases[i];
                var path = $"$.phases[{i}]";
                if (!ids.Add(p.Id))
                {
                    Fail(f, path + ".id", $"duplicate phase id '{p.Id}'");
                }
                var startOk = Month().IsMatch(p.Start);
                var endOk = Month().IsMatch(p.End);
                if (!startOk)
                {
                    Fail(f, path + ".start", $"'{p.Start}' is not a month (yyyy-MM)");
                }
                if (!endOk)
                {
                    Fail(f, path + ".end", $"'{p.End}' is not a month (yyyy-MM)");
                }
                if (startOk && endOk && string.CompareOrdinal(p.Start, p.End) > 0)
                {
                    Fail(f, path + ".end", $"ends ({p.End}) before it starts ({p.Start})");
                }
                Source(f, path, p.Source);
            }
            if (h.Gate is { } g)
            {
                if (!ids.Contains(g.Phase))
                {
                    Fail(f, "$.gate.phase", $"unknown phase '{g.Phase}'");
                }
                if (g.MinScore <= 0 || g.MinScore > h.BaseMax)
                {
                    Fail(f, "$.gate.minScore", $"{g.MinScore} must be within (0, baseMax {h.BaseMax}]");
                }
                Source(f, "$.gate", g.Source);
            }
        }

        public UnitDirectory Units(UnitsFile? file)
        {
            if (file is null)
            {
                return UnitDirectory.Empty;
            }
            const string f = "units.json";
            var names = new HashSet<string>(StringComparer.Ordinal);
            void Name(string path, string name)
            {
                if (string.IsNullOrWhiteSpace(name))
                {
                    Fail(f, path, "name is empty");
                }
                else if (!names.Add(name))
                {
                    Fail(f, path, $"duplicate name '{name}' (names and aliases are unique across units and groups)");
                }
            }
            for (var i = 0; i < file.Units.Count; i++)
            {
                var u = file.Units[i];
                Name($"$.units[{i}].name", u.Name);
                for (var a = 0; a < (u.Aliases?.Count ?? 0); a++)
                {
                    Name($"$.units[{i}].aliases[{a}]", u.Aliases![a]);
                }
                Source(f, $"$.units[{i}]", u.Source);
            }
            var groups = file.Groups ?? [];
            for (var i = 0; i < groups.Count; i++)
            {
                var g = groups[i];
                Name($"$.groups[{i}].name", g.Name);
                for (var a = 0; a < (g.Aliases?.Count ?? 0); a++)
                {
                    Name($"$.groups[{i}].aliases[{a}]", g.Aliases![a]);
                }
                if ((g.Kinds is null) == (g.Members is null))
                {
                    Fail(f, $"$.groups[{i}]", "a group has either 'kinds' or 'members', not both or neither");
                }
                Source(f, $"$.groups[{i}]", g.Source);
            }
            var directory = new UnitDirectory(file.Units, groups);
            for (var i = 0; i < groups.Count; i++)
            {
                for (var m = 0; m < (groups[i].Members?.Count ?? 0); m++)
                {
                    var member = groups[i].Members![m];
                    if (directory.FindUnit(member) is null)
                    {
                        Fail(f, $"$.groups[{i}].members[{m}]", $"unknown unit '{member}' (members must be units)");
                    }
                }
            }
            return directory;
        }

        public void Targets(List<Target> targets)
        {
            const string f = "targets.json";
            Numbered(f, "$", targets.Select(t => t.No).ToList(), "target");
            Numbered(f, "$", targets.SelectMany(t => t.Indicators).Select(i => i.No).ToList(), "indicator");
            for (var i = 0; i < targets.Count; i++)
            {
                Source(f, $"$[{i}]", targets[i].Source);
                for (var j = 0; j < targets[i].Indicators.Count; j++)
                {
                    Source(f, $"$[{i}].indicators[{j}]", targets[i].Indicators[j].Source);
                }
            }
        }

        /// <summary>Numbers must run 1..n once each, in order.</summary>
        private void Numbered(string f, string path, IReadOnlyList<int> numbers, string what)
        {
            var seen = new HashSet<int>();
            for (var i = 0; i < numbers.Count; i++)
            {
                if (!seen.Add(numbers[i]))
                {
                    Fail(f, $"{path}[{i}]", $"duplicate {what} number {numbers[i]}");
                }
                else if (numbers[i] != i + 1)
                {
                    Fail(f, $"{path}[{i}]", $"{what} number {numbers[i]} out of sequence (expected {i + 1})");
                }
            }
        }

        public void Items(ProgrammeHeader header, List<Target> targets, List<Item> items, UnitDirectory units)
        {
            const string f = "items.json";
            Numbered(f, "$", items.Select(i => i.No).ToList(), "item");
            var indicators = targets.SelectMany(t => t.Indicators).Select(i => i.No).ToHashSet();
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var path = $"$[{i}]";
                if (!indicators.Contains(item.Indicator))
                {
                    Fail(f, path + ".indicator", $"unknown indicator {item.Indicator}");
                }
                if (item.Points <= 0)
                {
                    Fail(f, path + ".points", "must be positive");
                }
                if (string.IsNullOrWhiteSpace(item.Text))
                {
                    Fail(f, path + ".text", "text is empty");
                }
                Source(f, path, item.Source);
                if (header.Subject == ProgrammeSubject.City && item.LeadUnits.Count == 0)
                {
                    Fail(f, path + ".lead", $"item {item.No} has no lead unit");
                }
                UnitNames(f, path + ".lead", item.Lead, units);
                UnitNames(f, path + ".responsible", item.Responsible, units);
                Rules(f, path, item.Rules, inBase: true);
                var max = item.Rules.Sum(r => r.MaxPoints);
                if (item.Rules.Count > 0 && item.Rules.All(r => r.MaxPoints < decimal.MaxValue) && max != item.Points)
                {
                    Fail(f, path + ".rules", $"item {item.No}: the rules give at most {max} points but the item has {item.Points}");
                }
            }
            var total = items.Sum(i => i.Points);
            if (total != header.BaseMax)
            {
                Fail(f, "$", $"items' points sum to {total}, not baseMax {header.BaseMax}");
            }
        }

        private void UnitNames(string f, string path, IReadOnlyList<string>? names, UnitDirectory units)
        {
            for (var i = 0; i < (names?.Count ?? 0); i++)
            {
                if (!units.Knows(names![i]))
                {
                    Fail(f, $"{path}[{i}]", $"unknown unit '{names[i]}' (not in units.json as a unit, group or alias)");
                }
            }
        }

        private void Rules(string f, string path, IReadOnlyList<Rule> rules, bool inBase)
        {
            if (rules.Count == 0)
            {
                Fail(f, path + ".rules", "needs at least one rule");
            }
            for (var r = 0; r < rules.Count; r++)
            {
                var rule = rules[r];
                var rp = $"{path}.rules[{r}]";
                if (string.IsNullOrWhiteSpace(rule.Id))
                {
                    Fail(f, rp + ".id", "rule id is empty");
                }
                else if (!ruleIds.Add(rule.Id))
                {
                    Fail(f, rp + ".id", $"duplicate rule id '{rule.Id}'");
                }
                if (rule.ExemptWhen is { } flag && !Flags.Known.Contains(flag))
                {
                    Fail(f, rp + ".exemptWhen", $"unknown condition '{flag}' (known: {string.Join(", ", Flags.Known)})");
                }
                foreach (var (field, reason) in RuleShape(rule, inBase))
                {
                    Fail(f, $"{rp}{field}", reason);
                }
            }
        }

        private IEnumerable<(string Field, string Reason)> RuleShape(Rule rule, bool inBase)
        {
            switch (rule)
            {
                case CheckRule c:
                    if (c.Points <= 0) yield return (".points", "must be positive");
                    for (var i = 0; i < c.Deductions.Count; i++)
                    {
                        if (c.Deductions[i].Points <= 0) yield return ($".deductions[{i}].points", "must be positive");
                        if (!ruleIds.Add(c.Deductions[i].Id)) yield return ($".deductions[{i}].id", $"duplicate id '{c.Deductions[i].Id}'");
                    }
                    break;
                case TierRule t:
                    if (!TierRule.Measures.ContainsKey(t.Measure))
                        yield return (".measure", $"unknown measure '{t.Measure}' (known: {string.Join(", ", TierRule.Measures.Keys)})");
                    if (t.Tiers.Count == 0) yield return (".tiers", "needs at least one tier");
                    for (var i = 0; i < t.Tiers.Count; i++)
                    {
                        if (t.Tiers[i].Points <= 0) yield return ($".tiers[{i}].points", "must be positive");
                        if (t.Tiers[i].Min is < 0 or > 100) yield return ($".tiers[{i}].min", "must be a percentage 0–100");
                        if (i > 0 && (t.Tiers[i].Min >= t.Tiers[i - 1].Min || t.Tiers[i].Points >= t.Tiers[i - 1].Points))
                            yield return ($".tiers[{i}]", "tiers go highest first: each lower tier has a lower min and fewer points");
                    }
                    break;
                case CountRule c:
                    if (c.Points <= 0) yield return (".points", "must be positive");
                    if (c.Min < 1) yield return (".min", "must be at least 1");
                    if (c.PerMissing is <= 0) yield return (".perMissing", "must be positive");
                    break;
                case StaffCountRule s:
                    if (s.Points <= 0) yield return (".points", "must be positive");
                    if (s.Requirements.Count == 0) yield return (".requirements", "needs at least one staff band");
                    for (var i = 0; i < s.Requirements.Count; i++)
                    {
                        var band = s.Requirements[i];
                        if (band.MaxStaff < band.MinStaff) yield return ($".requirements[{i}].maxStaff", "below minStaff");
                        if (i > 0 && s.Requirements[i - 1].MaxStaff is not { } prev)
                            yield return ($".requirements[{i - 1}].maxStaff", "only the last band may be open-ended");
                        else if (i > 0 && band.MinStaff != s.Requirements[i - 1].MaxStaff + 1)
                            yield return ($".requirements[{i}].minStaff", $"bands must follow on without gap or overlap (expected {s.Requirements[i - 1].MaxStaff + 1})");
                    }
                    break;
                case PerPersonRule p:
                    if (p.Points <= 0) yield return (".points", "must be positive");
                    if (p.PerMissing <= 0) yield return (".perMissing", "must be positive");
                    break;
                case LevelRule l:
                    if (l.Combine is not ("sum" or "max")) yield return (".combine", $"'{l.Combine}' must be 'sum' or 'max'");
                    if (l.Cap <= 0) yield return (".cap", "must be positive");
                    if (l.Levels.Count == 0) yield return (".levels", "needs at least one level");
                    if (l.Levels.Select(x => x.Level).Distinct().Count() != l.Levels.Count) yield return (".levels", "a level is listed twice");
                    break;
                case PerCaseRule p:
                    if ((p.Points is null) == (p.Categories.Count == 0))
                        yield return ("", "a perCase rule has either 'points' or 'categories'");
                    if (p.Points is <= 0) yield return (".points", "must be positive");
                    if (p.Cap is <= 0) yield return (".cap", "must be positive");
                    if (inBase && p.Cap is null) yield return (".cap", "a perCase rule in a scored item needs a cap");
                    break;
                case OnceRule o:
                    if (o.Points <= 0) yield return (".points", "must be positive");
                    break;
            }
        }

        public void Adjustments(Adjustments a, UnitDirectory units)
        {
            const string f = "adjustments.json";
            foreach (var (section, list) in new[] { ("bonus", a.BonusItems), ("penalty", a.PenaltyItems), ("negative", a.NegativeItems) })
            {
                Numbered(f, "$." + section, list.Select(i => i.No).ToList(), section);
                for (var i = 0; i < list.Count; i++)
                {
                    var path = $"$.{section}[{i}]";
                    var item = list[i];
                    Source(f, path, item.Source);
                    UnitNames(f, path + ".lead", item.Lead, units);
                    UnitNames(f, path + ".responsible", item.Responsible, units);
                    Rules(f, path, item.Rules, inBase: false);
                    for (var r = 0; r < item.Rules.Count; r++)
                    {
                        if (item.Rules[r] is not (PerCaseRule or OnceRule or LevelRule))
                        {
                            Fail(f, $"{path}.rules[{r}].kind", "bonus, penalty and negative items count cases: use perCase, once or level");
                        }
                        else if (item.HighestPerContent && item.Rules[r] is not PerCaseRule)
                        {
                            Fail(f, $"{path}.rules[{r}].kind", "highestPerContent compares perCase rules only");
                        }
                    }
                }
            }
        }

        public void KeyTasks(List<KeyTask> tasks, UnitDirectory units)
        {
            const string f = "key-tasks.json";
            Numbered(f, "$", tasks.Select(t => t.No).ToList(), "key task");
            for (var i = 0; i < tasks.Count; i++)
            {
                Source(f, $"$[{i}]", tasks[i].Source);
                if (tasks[i].Lead.Count == 0)
                {
                    Fail(f, $"$[{i}].lead", $"key task {tasks[i].No} has no lead unit");
                }
                UnitNames(f, $"$[{i}].lead", tasks[i].Lead, units);
                UnitNames(f, $"$[{i}].responsible", tasks[i].Responsible, units);
            }
        }
    }
}
