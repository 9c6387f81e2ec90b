namespace CreationWorkflow.Core.Coverage;

/// <summary>
/// One group of the register as a GROUP BY gives it: how many places of a division and field are in a state, at a naming
/// level, named in a year, and 十百 points or not. The calculator never sees a place, only these counts.
/// </summary>
public sealed record PlaceTally(string Division, string Field, PlaceState State, Level? Level, int? NamedYear, bool TenHundred, int Count);

/// <summary>How many places of a field a division has (the coverage denominator), as entered with its source.</summary>
public sealed record DenominatorCount(string Division, string Field, int Count);

/// <summary>One division × field of the register: places entered, places in creation, named, and the denominator.</summary>
public sealed record CoverageCell(string Division, string Field, int Places, int Covered, int Named, int? Denominator)
{
    public decimal? Percent => Denominator is int d and > 0 ? Math.Round(Covered * 100m / d, 1) : null;
}

/// <summary>A target's figure for one division (or one field, for participation).</summary>
public sealed record TargetPart(string Key, int Numerator, int? Denominator, bool Met, IReadOnlyList<string> MissingFields)
{
    public decimal? Percent => Denominator is int d and > 0 ? Math.Round(Numerator * 100m / d, 1) : null;
}

/// <summary>Named places by year and level (demonstration units), or 十百 points by year (level null).</summary>
public sealed record YearCount(int Year, Level? Level, int Count);

/// <summary>
/// A target against the register: numerator over denominator (percent targets), or the count toward the minimum; met or
/// short; per division (coverage, divisions named), per field (participation) or per year (demonstration units, 十百).
/// <see cref="Missing"/> lists the division × field cells without a denominator: a percent target is not met while any is missing.
/// </summary>
public sealed record TargetResult(
    CoverageTarget Target, int Numerator, int? Denominator, bool Met, IReadOnlyList<TargetPart> Parts, IReadOnlyList<YearCount> Years,
    IReadOnlyList<string> Missing)
{
    public decimal? Percent => Denominator is int d and > 0 ? Math.Round(Numerator * 100m / d, 1) : null;

    /// <summary>How far along toward the target, 0–100, for a progress bar.</summary>
    public decimal Progress => Target.IsPercent
        ? Math.Min(100m, Target.Min == 0 ? 100m : (Percent ?? (Met ? 100m : 0m)) * 100m / Target.Min)
        : Math.Min(100m, Target.Min == 0 ? 100m : (Target.Kind == CoverageTargetKind.YearlyPoints
            ? (Parts.Count == 0 ? 0m : Parts.Count(p => p.Met) * 100m / Parts.Count)
            : Target.Kind == CoverageTargetKind.Participation
                ? (Parts.Count == 0 ? 0m : Parts.Count(p => p.Met) * 100m / Parts.Count)
                : Numerator * 100m / Target.Min));
}

/// <summary>The whole reading of the register against the definition's targets.</summary>
public sealed record CoverageReport(
    string ProgrammeId, IReadOnlyList<string> Divisions, IReadOnlyList<CoverageCell> Cells, IReadOnlyList<TargetResult> Targets,
    string? Rule, bool? RuleMet);

/// <summary>
/// Coverage from aggregate counts: per division and field, and every target of the definition (percent targets per
/// division too). A place counts toward coverage once creation has started (<see cref="PlaceLifecycle.IsCovered"/>);
/// percent targets compare exactly (covered × 100 ≥ min × denominator), never rounded figures.
/// </summary>
public static class CoverageCalculator
{
    /// <param name="asOfYear">The current year: 十百 years after it are not yet due.</param>
    /// <param name="onlyDivision">Compute for one division only (a county reading its own).</param>
    public static CoverageReport Compute(
        CoverageDefinition definition, IEnumerable<PlaceTally> tallies, IEnumerable<DenominatorCount> denominators, int asOfYear, string? onlyDivision = null)
    {
        var divisions = onlyDivision is null ? definition.Divisions : definition.Divisions.Where(d => d == onlyDivision).ToList();
        var inScope = divisions.ToHashSet(StringComparer.Ordinal);
        var rows = tallies.Where(t => inScope.Contains(t.Division)).ToList();
        var denominator = denominators.Where(d => inScope.Contains(d.Division))
            .GroupBy(d => (d.Division, d.Field)).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));

        var cells = new List<CoverageCell>();
        foreach (var division in divisions)
        {
            foreach (var field in definition.Fields)
            {
                var here = rows.Where(r => r.Division == division && r.Field == field.Id).ToList();
                cells.Add(new CoverageCell(division, field.Id, here.Sum(r => r.Count),
                    here.Where(r => PlaceLifecycle.IsCovered(r.State)).Sum(r => r.Count),
                    here.Where(r => r.State == PlaceState.Named).Sum(r => r.Count),
                    denominator.TryGetValue((division, field.Id), out var n) ? n : null));
            }
        }
        var cellOf = cells.ToDictionary(c => (c.Division, c.Field));

        var results = definition.Targets.Select(t => t.Kind switch
        {
            CoverageTargetKind.Coverage => CoverageTarget(definition, t, divisions, cellOf),
            CoverageTargetKind.DivisionsNamed => DivisionsNamed(t, divisions, rows),
            CoverageTargetKind.Participation => Participation(t, rows),
            CoverageTargetKind.DemonstrationUnits => Demonstration(t, rows),
            CoverageTargetKind.YearlyPoints => YearlyPoints(t, rows, asOfYear),
            _ => throw new ArgumentOutOfRangeException(nameof(definition), t.Kind, "unknown target kind"),
        }).ToList();
        bool? ruleMet = definition.Rule is { } rule ? results.Where(r => r.Target.Rule == rule).All(r => r.Met) : null;
        return new CoverageReport(definition.ProgrammeId, divisions, cells, results, definition.Rule, ruleMet);
    }

    /// <summary>covered × 100 ≥ min × denominator, exactly; nothing to cover (denominator 0) is met.</summary>
    public static bool Reaches(int covered, int denominator, decimal min) => denominator == 0 || covered * 100m >= min * denominator;

    private static TargetResult CoverageTarget(
        CoverageDefinition definition, CoverageTarget t, IReadOnlyList<string> divisions, Dictionary<(string, string), CoverageCell> cells)
    {
        var fields = definition.FieldsOf(t);
        var parts = divisions.Select(d =>
        {
            var here = fields.Select(f => cells[(d, f)]).ToList();
            var missing = here.Where(c => c.Denominator is null).Select(c => c.Field).ToList();
            var covered = here.Where(c => c.Denominator is not null).Sum(c => c.Covered);
            var of = here.Sum(c => c.Denominator ?? 0);
            return new TargetPart(d, covered, of, missing.Count == 0 && Reaches(covered, of, t.Min), missing);
        }).ToList();
        var numerator = parts.Sum(p => p.Numerator);
        var total = parts.Sum(p => p.Denominator ?? 0);
        var missingCells = parts.SelectMany(p => p.MissingFields.Select(f => $"{p.Key}·{definition.FieldName(f)}")).ToList();
        return new TargetResult(t, numerator, total, missingCells.Count == 0 && Reaches(numerator, total, t.Min), parts, [], missingCells);
    }

    private static TargetResult DivisionsNamed(CoverageTarget t, IReadOnlyList<string> divisions, List<PlaceTally> rows)
    {
        var fields = t.Fields ?? [];
        var levels = t.Levels ?? [];
        var parts = divisions.Select(d =>
        {
            var named = rows.Any(r => r.Division == d && fields.Contains(r.Field) && r.State == PlaceState.Named
                && r.Level is { } l && levels.Contains(l) && r.Count > 0);
            return new TargetPart(d, named ? 1 : 0, 1, named, []);
        }).ToList();
        var numerator = parts.Sum(p => p.Numerator);
        return new TargetResult(t, numerator, divisions.Count, Reaches(numerator, divisions.Count, t.Min), parts, [], []);
    }

    private static TargetResult Participation(CoverageTarget t, List<PlaceTally> rows)
    {
        var parts = (t.Fields ?? []).Select(f =>
        {
            var n = rows.Where(r => r.Field == f && PlaceLifecycle.IsCovered(r.State)).Sum(r => r.Count);
            return new TargetPart(f, n, null, n >= t.Min, []);
        }).ToList();
        return new TargetResult(t, parts.Count == 0 ? 0 : parts.Min(p => p.Numerator), null, parts.All(p => p.Met), parts, [], []);
    }

    private static TargetResult Demonstration(CoverageTarget t, List<PlaceTally> rows)
    {
        var levels = t.Levels ?? [];
        var named = rows.Where(r => r.State == PlaceState.Named && r.Level is { } l && levels.Contains(l)
            && r.NamedYear >= t.FromYear && r.NamedYear <= t.ToYear).ToList();
        var years = named.GroupBy(r => (r.NamedYear!.Value, r.Level))
            .Select(g => new YearCount(g.Key.Value, g.Key.Level, g.Sum(r => r.Count))).OrderBy(y => y.Year).ThenByDescending(y => y.Level).ToList();
        var total = named.Sum(r => r.Count);
        return new TargetResult(t, total, null, total >= t.Min, [], years, []);
    }

    private static TargetResult YearlyPoints(CoverageTarget t, List<PlaceTally> rows, int asOfYear)
    {
        var years = Enumerable.Range(t.FromYear!.Value, t.ToYear!.Value - t.FromYear.Value + 1)
            .Select(y => new YearCount(y, null, rows.Where(r => r.TenHundred && r.State == PlaceState.Named && r.NamedYear == y).Sum(r => r.Count)))
            .ToList();
        var due = years.Where(y => y.Year <= asOfYear).ToList();
        var parts = due.Select(y => new TargetPart(y.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), y.Count, null, y.Count >= t.Min, [])).ToList();
        return new TargetResult(t, years.Sum(y => y.Count), null, parts.All(p => p.Met), parts, years, []);
    }
}
