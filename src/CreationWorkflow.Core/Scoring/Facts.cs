
namespace CreationWorkflow.Core.Scoring;

/// <summary>Levels of recognition or adoption (县级 / 州、市级 / 省、自治区级 / 国家级).</summary>
public enum Level { County, Prefecture, Province, National }

/// <summary>One counted case: a recognition, an adoption, a bonus or penalty event.</summary>
public sealed record Case(string Rule, string? Content = null, Level? Level = null, string? Category = null, string? Note = null);

public sealed record PeopleCount(int Required, int Actual);

/// <summary>
/// The facts an assessment is scored from, keyed by rule id. Absent facts score nothing;
/// they are never assumed.
/// </summary>
public sealed record Facts
{
    public int? StaffSize { get; init; }
    public IReadOnlyList<string> Flags { get; init; } = [];
    public IReadOnlyDictionary<string, bool> Checks { get; init; } = new Dictionary<string, bool>();
    public IReadOnlyDictionary<string, bool> Conditions { get; init; } = new Dictionary<string, bool>();
    public IReadOnlyDictionary<string, decimal> Rates { get; init; } = new Dictionary<string, decimal>();
    public IReadOnlyDictionary<string, int> Counts { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, PeopleCount> People { get; init; } = new Dictionary<string, PeopleCount>();
    public IReadOnlyList<Case> Cases { get; init; } = [];

    public static Facts None { get; } = new();

    public bool Has(string flag) => Flags.Contains(flag);

    public IEnumerable<Case> CasesOf(string ruleId) => Cases.Where(c => c.Rule == ruleId);
}

public static class Flags
{
    /// <summary>巩固期间不扣分: the unit holds a 州级 or higher demonstration title and is in its consolidation years.</summary>
    public const string Consolidation = "consolidation";

    public static readonly IReadOnlySet<string> Known = new HashSet<string> { Consolidation };
}
