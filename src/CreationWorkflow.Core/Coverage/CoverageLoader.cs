namespace CreationWorkflow.Core.Coverage;

/// <summary>
/// Loads seed/coverage/{programme}.json for the programmes that have one, validating everything first: every fault names
/// the file, the JSON path and the reason, all are collected, and any fault stops start-up (<see cref="SeedException"/>).
/// The folder is not a programme's, so adding a definition never changes a programme's content hash.
/// </summary>
public static class CoverageLoader
{
    public const string Folder = "coverage";

    public static IReadOnlyList<CoverageDefinition> LoadAll(string seedRoot, IReadOnlyDictionary<string, Programme> programmes)
    {
        var dir = Path.Combine(seedRoot, Folder);
        if (!Directory.Exists(dir))
        {
            return [];
        }
        var errors = new List<SeedError>();
        var result = new List<CoverageDefinition>();
        foreach (var path in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var display = $"seed/{Folder}/{Path.GetFileName(path)}";
            if (SeedJson.Read<CoverageFile>(path, display, errors) is { } file
                && Validate(file, Path.GetFileNameWithoutExtension(path), display, programmes, errors) is { } definition)
            {
                result.Add(definition);
            }
        }
        return errors.Count > 0 ? throw new SeedException(errors) : result;
    }

    /// <summary>The checks on one parsed file; null (with the faults added) when it does not hold.</summary>
    public static CoverageDefinition? Validate(
        CoverageFile file, string fileId, string display, IReadOnlyDictionary<string, Programme> programmes, List<SeedError> errors)
    {
        var before = errors.Count;
        void Fail(string path, string reason) => errors.Add(new SeedError(display, path, reason));
        void Source(string path, SourceRef? source)
        {
            foreach (var (p, reason) in SeedLoader.SourceFaults(path, source))
            {
                Fail(p, reason);
            }
        }

        if (file.Programme != fileId)
        {
            Fail("$.programme", $"programme '{file.Programme}' must equal the file name '{fileId}'");
        }
        var programme = programmes.GetValueOrDefault(file.Programme);
        if (programme is null)
        {
            Fail("$.programme", $"unknown programme '{file.Programme}' (known: {string.Join(", ", programmes.Keys.Order(StringComparer.Ordinal))})");
        }
        Source("$", file.Source);
        var divisions = programme?.Units.Units.Where(u => u.Kind == file.Divisions).Select(u => u.Name).ToList() ?? [];
        if (programme is not null && divisions.Count == 0)
        {
            Fail("$.divisions", $"the programme has no units of kind '{file.Divisions.ToString().ToLowerInvariant()}' to serve as divisions");
        }

        var fieldIds = new HashSet<string>(StringComparer.Ordinal);
        var fieldNames = new HashSet<string>(StringComparer.Ordinal);
        if (file.Fields.Count == 0)
        {
            Fail("$.fields", "needs at least one field");
        }
        for (var i = 0; i < file.Fields.Count; i++)
        {
            var f = file.Fields[i];
            if (string.IsNullOrWhiteSpace(f.Id) || f.Id.Length > 32)
            {
                Fail($"$.fields[{i}].id", "id is empty or longer than 32 characters");
            }
            else if (!fieldIds.Add(f.Id))
            {
                Fail($"$.fields[{i}].id", $"duplicate field id '{f.Id}'");
            }
            if (string.IsNullOrWhiteSpace(f.Name))
            {
                Fail($"$.fields[{i}].name", "name is empty");
            }
            else if (!fieldNames.Add(f.Name))
            {
                Fail($"$.fields[{i}].name", $"duplicate field name '{f.Name}'");
            }
            Source($"$.fields[{i}]", f.Source);
        }

        var targetIds = new HashSet<string>(StringComparer.Ordinal);
        string? rule = null;
        int? itemNo = null;
        for (var i = 0; i < file.Targets.Count; i++)
        {
            var t = file.Targets[i];
            var path = $"$.targets[{i}]";
            if (string.IsNullOrWhiteSpace(t.Id))
            {
                Fail(path + ".id", "id is empty");
            }
            else if (!targetIds.Add(t.Id))
            {
                Fail(path + ".id", $"duplicate target id '{t.Id}'");
            }
            if (string.IsNullOrWhiteSpace(t.Text))
            {
                Fail(path + ".text", "text (the clause, verbatim) is empty");
            }
            Source(path, t.Source);
            if (t.Min <= 0 || (t.IsPercent && t.Min > 100))
            {
                Fail(path + ".min", t.IsPercent ? $"{t.Min} must be a percentage in (0, 100]" : $"{t.Min} must be positive");
            }
            for (var f = 0; f < (t.Fields?.Count ?? 0); f++)
            {
                if (!fieldIds.Contains(t.Fields![f]))
                {
                    Fail($"{path}.fields[{f}]", $"unknown field '{t.Fields[f]}' (not in $.fields)");
                }
            }
            var needsFields = t.Kind is CoverageTargetKind.DivisionsNamed or CoverageTargetKind.Participation;
            if (needsFields && (t.Fields is null || t.Fields.Count == 0))
            {
                Fail(path + ".fields", $"a {Name(t.Kind)} target needs its fields");
            }
            if (t.Kind == CoverageTargetKind.DivisionsNamed && t.Fields is { Count: > 1 })
            {
                Fail(path + ".fields", "a divisionsNamed target names the one field that stands for the division itself");
            }
            var needsLevels = t.Kind is CoverageTargetKind.DivisionsNamed or CoverageTargetKind.DemonstrationUnits;
            if (needsLevels && (t.Levels is null || t.Levels.Count == 0))
            {
                Fail(path + ".levels", $"a {Name(t.Kind)} target needs the naming levels it counts");
            }
            else if (!needsLevels && t.Levels is not null)
            {
                Fail(path + ".levels", $"a {Name(t.Kind)} target counts no levels");
            }
            var needsYears = t.Kind is CoverageTargetKind.DemonstrationUnits or CoverageTargetKind.YearlyPoints;
            if (needsYears && (t.FromYear is not { } from || t.ToYear is not { } to || from > to || from < 2000 || to > 2100))
            {
                Fail(path + ".fromYear", $"a {Name(t.Kind)} target needs fromYear ≤ toYear (years 2000-2100)");
            }
            else if (!needsYears && (t.FromYear is not null || t.ToYear is not null))
            {
                Fail(path + ".fromYear", $"a {Name(t.Kind)} target has no years");
            }
            if (t.Rule is { } r && programme is not null)
            {
                var item = programme.Items.FirstOrDefault(it => it.Rules.Any(x => x.Id == r));
                if (item is null)
                {
                    Fail(path + ".rule", $"unknown rule '{r}' (not a rule of an item of {programme.Id})");
                }
                else if (item.Rules.First(x => x.Id == r) is not CheckRule)
                {
                    Fail(path + ".rule", $"rule '{r}' is not a check rule: the register proposes a yes/no fact");
                }
                else if (rule is not null && rule != r)
                {
                    Fail(path + ".rule", $"every target feeds the same rule ('{rule}'), not '{r}'");
                }
                else
                {
                    (rule, itemNo) = (r, item.No);
                }
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        return new CoverageDefinition
        {
            ProgrammeId = file.Programme, Fields = file.Fields, Divisions = divisions, Targets = file.Targets, Source = file.Source, Rule = rule, ItemNo = itemNo,
        };
    }

    private static string Name(CoverageTargetKind kind) => kind.ToString()[..1].ToLowerInvariant() + kind.ToString()[1..];
}
