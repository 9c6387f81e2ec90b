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

    /// <summary>
    /// The highest demonstration-unit title the unit holds (示范单位命名级别), if any: the 巩固期 exemption asks for
    /// 州级 or higher (<see cref="Flags.Unmet"/>).
    /// </summary>
    public Level? TitleLevel { get; init; }
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

    /// <summary>
    /// The title the consolidation exemption asks for: 台江 第6项 "获得州级及其以上示范单位可以巩固提升2年，巩固期间不扣分".
    /// </summary>
    public const Level ConsolidationTitle = Level.Prefecture;

    /// <summary>
    /// Why a claimed flag does not apply under these facts, in words for the trail; null when it applies. A unit in its
    /// consolidation years is exempt only while it holds a 州级 or higher title: without one the rule is scored as usual.
    /// </summary>
    public static string? Unmet(string flag, Facts facts) => flag switch
    {
        Consolidation when facts.TitleLevel is null =>
            "填报处于巩固期，但未填报示范单位命名级别；巩固期间不扣分仅适用于获得州级及其以上示范单位命名的单位，按实际计分",
        Consolidation when facts.TitleLevel < ConsolidationTitle =>
            $"填报处于巩固期，但所获为{LevelRule.LevelNames[facts.TitleLevel!.Value]}示范单位命名；巩固期间不扣分仅适用于州级及其以上，按实际计分",
        _ => null,
    };

    /// <summary>The fact line of an exemption that applies.</summary>
    public static string Describe(string flag, Facts facts) => flag switch
    {
        Consolidation => $"巩固期（{LevelRule.LevelNames[facts.TitleLevel!.Value]}示范单位）",
        _ => flag,
    };
}
