namespace CreationWorkflow.Core.Coverage;

/// <summary>A field of creation (创建领域): one of the 7+N kinds of places creation work must reach (机关, 乡镇, 村屯…).</summary>
public sealed record CoverageField(string Id, string Name, SourceRef Source);

/// <summary>How a target is measured over the register.</summary>
public enum CoverageTargetKind
{
    /// <summary>Places in creation (创建中, 已验收, 命名) over the denominators of its fields, in percent (every field but the division's own when none are named).</summary>
    Coverage,

    /// <summary>Divisions whose own place (its field) is named at one of the levels, over all divisions, in percent.</summary>
    DivisionsNamed,

    /// <summary>At least <see cref="CoverageTarget.Min"/> places in creation in each of its fields, city-wide.</summary>
    Participation,

    /// <summary>Places named at one of the levels in the years fromYear–toYear, toward <see cref="CoverageTarget.Min"/>.</summary>
    DemonstrationUnits,

    /// <summary>十百 points named in each year fromYear–toYear, at least <see cref="CoverageTarget.Min"/> a year.</summary>
    YearlyPoints,
}

/// <summary>One target the documents set for coverage or demonstration units, with its clause and source.</summary>
public sealed record CoverageTarget(
    string Id,
    CoverageTargetKind Kind,
    decimal Min,
    string Text,
    SourceRef Source,
    IReadOnlyList<string>? Fields = null,
    IReadOnlyList<Level>? Levels = null,
    string? Rule = null,
    int? FromYear = null,
    int? ToYear = null)
{
    public bool IsPercent => Kind is CoverageTargetKind.Coverage or CoverageTargetKind.DivisionsNamed;
}

/// <summary>seed/coverage/{programme}.json as written.</summary>
public sealed record CoverageFile(
    string Programme,
    UnitKind Divisions,
    SourceRef Source,
    IReadOnlyList<CoverageField> Fields,
    IReadOnlyList<CoverageTarget> Targets);

/// <summary>
/// A programme's register and coverage definition, validated: the fields places are entered under, the divisions
/// (the programme's units of one kind: Hechi's 11 counties and districts), the targets, and the scored rule that the
/// targets marked with it propose facts for (item 47's check).
/// </summary>
public sealed class CoverageDefinition
{
    public required string ProgrammeId { get; init; }
    public required IReadOnlyList<CoverageField> Fields { get; init; }
    public required IReadOnlyList<string> Divisions { get; init; }
    public required IReadOnlyList<CoverageTarget> Targets { get; init; }
    public required SourceRef Source { get; init; }

    /// <summary>The check rule the register proposes a fact for (e.g. "47.1"), and its item number; null when no target names one.</summary>
    public string? Rule { get; init; }
    public int? ItemNo { get; init; }

    public CoverageField? Field(string id) => Fields.FirstOrDefault(f => f.Id == id);

    /// <summary>A field by its id or its Chinese name (as an import sheet writes it), or with the bracketed part left out (机关, 村屯).</summary>
    public CoverageField? FindField(string text)
    {
        var t = text.Trim();
        return Fields.FirstOrDefault(f => f.Id == t || f.Name == t)
            ?? Fields.FirstOrDefault(f => f.Name.Split('（')[0] == t);
    }

    public string FieldName(string id) => Field(id)?.Name ?? id;

    /// <summary>The fields a target measures: its own, or (a coverage target without fields) every field but those a DivisionsNamed target owns.</summary>
    public IReadOnlyList<string> FieldsOf(CoverageTarget target) =>
        target.Fields ?? Fields.Select(f => f.Id)
            .Where(id => !Targets.Any(t => t.Kind == CoverageTargetKind.DivisionsNamed && (t.Fields ?? []).Contains(id))).ToList();
}
