namespace CreationWorkflow.Core.Programmes;

/// <summary>Where a record came from: a file under shared/seeds (or shared/reference), a section and lines.</summary>
public sealed record SourceRef(string File, string Section, string? Lines = null, string? Note = null)
{
    public override string ToString() => Lines is null ? $"{File} {Section}" : $"{File} {Section} (第{Lines}行)";
}

public sealed record DocumentInfo(string? Number = null, string? Issued = null, string? Issuer = null);

/// <summary>Who the items are assigned to: the city's units, or each assessed unit answering every item itself.</summary>
public enum ProgrammeSubject { City, Unit }

public sealed record Phase(string Id, string Name, string Start, string End, string Summary, SourceRef Source);

public sealed record Gate(decimal MinScore, string Phase, string Body, string Standard, SourceRef Source);

/// <summary>programme.json: the plan's identity, calendar and gate.</summary>
public sealed record ProgrammeHeader(
    string Id,
    string Title,
    DocumentInfo Document,
    ProgrammeSubject Subject,
    decimal BaseMax,
    IReadOnlyList<Phase> Phases,
    SourceRef Source,
    Gate? Gate = null);

public sealed record Indicator(int No, string Name, SourceRef Source);

public sealed record Target(int No, string Name, SourceRef Source, IReadOnlyList<Indicator> Indicators);

public enum EvaluationMethod { Online, Onsite, ThirdParty }

/// <summary>One scored item (测评内容) of the responsibility list.</summary>
public sealed record Item(
    int No,
    int Indicator,
    string Text,
    decimal Points,
    IReadOnlyList<Rule> Rules,
    SourceRef Source,
    IReadOnlyList<string>? Lead = null,
    IReadOnlyList<string>? Responsible = null,
    IReadOnlyList<EvaluationMethod>? Methods = null)
{
    public IReadOnlyList<string> LeadUnits => Lead ?? [];
    public IReadOnlyList<string> ResponsibleUnits => Responsible ?? [];
}

/// <summary>A bonus, penalty or negative-list item: per-case points outside the base.</summary>
public sealed record AdjustmentItem(
    int No,
    string Text,
    IReadOnlyList<Rule> Rules,
    SourceRef Source,
    bool HighestPerContent = false,
    IReadOnlyList<string>? Lead = null,
    IReadOnlyList<string>? Responsible = null,
    IReadOnlyList<EvaluationMethod>? Methods = null);

public sealed record Adjustments(
    IReadOnlyList<AdjustmentItem>? Bonus = null,
    IReadOnlyList<AdjustmentItem>? Penalty = null,
    IReadOnlyList<AdjustmentItem>? Negative = null)
{
    public IReadOnlyList<AdjustmentItem> BonusItems => Bonus ?? [];
    public IReadOnlyList<AdjustmentItem> PenaltyItems => Penalty ?? [];
    public IReadOnlyList<AdjustmentItem> NegativeItems => Negative ?? [];
}

public sealed record KeyTask(
    int No,
    int Section,
    string SectionName,
    string Title,
    string Text,
    IReadOnlyList<string> Lead,
    IReadOnlyList<string> Responsible,
    SourceRef Source,
    IReadOnlyList<string>? Fields = null);

/// <summary>A whole programme as loaded and validated from its seed folder.</summary>
public sealed class Programme
{
    public required ProgrammeHeader Header { get; init; }
    public required IReadOnlyList<Target> Targets { get; init; }
    public required IReadOnlyList<Item> Items { get; init; }
    public required Adjustments Adjustments { get; init; }
    public required UnitDirectory Units { get; init; }
    public IReadOnlyList<KeyTask> KeyTasks { get; init; } = [];

    /// <summary>SHA-256 over the seed files, so a changed definition is a new version.</summary>
    public required string ContentHash { get; init; }

    public string Id => Header.Id;

    public IEnumerable<Indicator> Indicators => Targets.SelectMany(t => t.Indicators);

    public Target TargetOf(Indicator indicator) => Targets.First(t => t.Indicators.Contains(indicator));

    public IEnumerable<(AdjustmentKind Kind, AdjustmentItem Item)> AllAdjustments =>
        Adjustments.BonusItems.Select(i => (AdjustmentKind.Bonus, i))
            .Concat(Adjustments.PenaltyItems.Select(i => (AdjustmentKind.Penalty, i)))
            .Concat(Adjustments.NegativeItems.Select(i => (AdjustmentKind.Negative, i)));

    /// <summary>Every rule of the programme by id (ids are unique, enforced by the loader).</summary>
    public IReadOnlyDictionary<string, Rule> RulesById => rulesById ??=
        Items.SelectMany(i => i.Rules).Concat(AllAdjustments.SelectMany(a => a.Item.Rules)).ToDictionary(r => r.Id);

    private IReadOnlyDictionary<string, Rule>? rulesById;
}

public enum AdjustmentKind { Bonus, Penalty, Negative }
