using System.Text.Json.Serialization;

namespace CreationWorkflow.Core.Scoring;

/// <summary>
/// A scoring rule: data from the seed plus a small evaluator. Each kind says how its points follow
/// from the facts, and explains itself in one line of the trail.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(CheckRule), "check")]
[JsonDerivedType(typeof(TierRule), "tier")]
[JsonDerivedType(typeof(CountRule), "count")]
[JsonDerivedType(typeof(StaffCountRule), "staffCount")]
[JsonDerivedType(typeof(PerPersonRule), "perPerson")]
[JsonDerivedType(typeof(LevelRule), "level")]
[JsonDerivedType(typeof(PerCaseRule), "perCase")]
[JsonDerivedType(typeof(OnceRule), "once")]
public abstract record Rule
{
    public static readonly IReadOnlyList<string> Kinds = ["check", "tier", "count", "staffCount", "perPerson", "level", "perCase", "once"];

    public required string Id { get; init; }
    public required string Text { get; init; }

    /// <summary>"consolidation": full points while the unit is in its consolidation period.</summary>
    public string? ExemptWhen { get; init; }

    /// <summary>The most this rule can give.</summary>
    [JsonIgnore]
    public abstract decimal MaxPoints { get; }

    /// <summary>Points earned under these facts, in [0, MaxPoints], with the fact and reasoning in words.</summary>
    public RuleOutcome Evaluate(Facts facts)
    {
        string? unmet = null;
        if (ExemptWhen is { } flag && facts.Has(flag))
        {
            unmet = Flags.Unmet(flag, facts);
            if (unmet is null)
            {
                return new RuleOutcome(MaxPoints, Flags.Describe(flag, facts), "巩固期间不扣分，得满分");
            }
        }
        var outcome = EvaluateCore(facts);
        outcome = outcome with { Points = Math.Clamp(outcome.Points, 0m, MaxPoints) };
        return unmet is null ? outcome : outcome with { Reason = $"{unmet}；{outcome.Reason}" };
    }

    protected abstract RuleOutcome EvaluateCore(Facts facts);

    protected static RuleOutcome NotReported => new(0m, "未填报", "无事实，不得分");
}

public sealed record RuleOutcome(decimal Points, string Fact, string Reason);

public sealed record Deduction(string Id, string Text, decimal Points);

/// <summary>得N分: points when a check holds, less conditional deductions (…的-1分).</summary>
public sealed record CheckRule : Rule
{
    public required decimal Points { get; init; }
    public IReadOnlyList<Deduction> Deductions { get; init; } = [];

    public override decimal MaxPoints => Points;

    protected override RuleOutcome EvaluateCore(Facts facts)
    {
        if (!facts.Checks.TryGetValue(Id, out var holds))
        {
            return NotReported;
        }
        if (!holds)
        {
            return new(0m, "未达到", "不得分");
        }
        var applied = Deductions.Where(d => facts.Conditions.GetValueOrDefault(d.Id)).ToList();
        if (applied.Count == 0)
        {
            return new(Points, "已达到", $"得{Display.Points(Points)}");
        }
        var points = Points - applied.Sum(d => d.Points);
        var why = string.Join("；", applied.Select(d => $"{d.Text} -{Display.Points(d.Points)}"));
        return new(points, "已达到", $"{Display.Points(Points)}，{why}");
    }
}

public sealed record Tier(decimal Min, decimal Points, bool Exclusive = false)
{
    public bool Admits(decimal rate) => Exclusive ? rate > Min : rate >= Min;

    public override string ToString() => $"{(Exclusive ? ">" : "≥")}{Min.ToString("0.##", CultureInfo.InvariantCulture)}%";
}

/// <summary>Points by a measured rate: the first tier reached (知晓率≥90%得2分，≥80%得1分，&lt;80%不得分).</summary>
public sealed record TierRule : Rule
{
    public required string Measure { get; init; }
    public required IReadOnlyList<Tier> Tiers { get; init; }

    public static readonly IReadOnlyDictionary<string, string> Measures = new Dictionary<string, string>
    {
        ["awareness"] = "知晓率",
        ["satisfaction"] = "满意度",
        ["coverage"] = "覆盖率",
        ["rate"] = "比率",
    };

    public override decimal MaxPoints => Tiers.Count == 0 ? 0m : Tiers.Max(t => t.Points);

    protected override RuleOutcome EvaluateCore(Facts facts)
    {
        if (!facts.Rates.TryGetValue(Id, out var rate))
        {
            return NotReported;
        }
        var fact = $"{Measures.GetValueOrDefault(Measure, Measure)} {rate.ToString("0.##", CultureInfo.InvariantCulture)}%";
        var tier = Tiers.FirstOrDefault(t => t.Admits(rate));
        return tier is null
            ? new(0m, fact, $"低于{Tiers[^1]}，不得分")
            : new(tier.Points, fact, $"{tier}，得{Display.Points(tier.Points)}");
    }
}

/// <summary>不少于N次: full points at the minimum; below it, a deduction per missing one or nothing.</summary>
public sealed record CountRule : Rule
{
    public required decimal Points { get; init; }
    public required int Min { get; init; }
    public decimal? PerMissing { get; init; }

    public override decimal MaxPoints => Points;

    protected override RuleOutcome EvaluateCore(Facts facts) =>
        facts.Counts.TryGetValue(Id, out var count)
            ? ScoreCount(count, Min, Points, PerMissing, $"{count}次")
            : NotReported;

    internal static RuleOutcome ScoreCount(int count, int min, decimal points, decimal? perMissing, string fact)
    {
        if (count >= min)
        {
            return new(points, fact, $"不少于{min}，得{Display.Points(points)}");
        }
        var missing = min - count;
        if (perMissing is not { } per)
        {
            return new(0m, fact, $"少于{min}，不得分");
        }
        var earned = Math.Max(0m, points - per * missing);
        return new(earned, fact, $"应{min}，少{missing}，每少一个扣{Display.Points(per)}，得{Display.Points(earned)}");
    }
}

public sealed record StaffRequirement(int MinStaff, int Required, int? MaxStaff = null)
{
    public bool Covers(int staff) => staff >= MinStaff && (MaxStaff is null || staff <= MaxStaff);
}

/// <summary>The required count depends on the unit's staff size (1-10人5篇；11-30人15篇…).</summary>
public sealed record StaffCountRule : Rule
{
    public required decimal Points { get; init; }
    public required IReadOnlyList<StaffRequirement> Requirements { get; init; }
    public decimal? PerMissing { get; init; }

    public override decimal MaxPoints => Points;

    protected override RuleOutcome EvaluateCore(Facts facts)
    {
        if (!facts.Counts.TryGetValue(Id, out var count))
        {
            return NotReported;
        }
        if (facts.StaffSize is not { } staff)
        {
            return new(0m, $"{count}篇，未填报人数", "无单位人数，无法确定应交篇数，不得分");
        }
        var band = Requirements.FirstOrDefault(r => r.Covers(staff));
        if (band is null)
        {
            return new(0m, $"{count}篇，{staff}人", "人数不在任何档次，不得分");
        }
        return CountRule.ScoreCount(count, band.Required, Points, PerMissing, $"{count}篇，单位{staff}人（应{band.Required}篇）");
    }
}

/// <summary>少一人扣0.5分: a deduction per person missing from a required set.</summary>
public sealed record PerPersonRule : Rule
{
    public required decimal Points { get; init; }
    public required decimal PerMissing { get; init; }

    public override decimal MaxPoints => Points;

    protected override RuleOutcome EvaluateCore(Facts facts)
    {
        if (!facts.People.TryGetValue(Id, out var people))
        {
            return NotReported;
        }
        var missing = Math.Max(0, people.Required - people.Actual);
        var earned = Math.Max(0m, Points - PerMissing * missing);
        return new(earned, $"应{people.Required}人，实{people.Actual}人",
            missing == 0 ? $"无缺，得{Display.Points(Points)}" : $"少{missing}人，每人扣{Display.Points(PerMissing)}，得{Display.Points(earned)}");
    }
}

public sealed record LevelPoints(Level Level, decimal Points);

/// <summary>Points by the level of a recognition or adoption (县1/州2/省3/国家4), best per content, summed or best, capped.</summary>
public sealed record LevelRule : Rule
{
    public required IReadOnlyList<LevelPoints> Levels { get; init; }
    public required string Combine { get; init; }
    public required decimal Cap { get; init; }
    public bool HighestPerContent { get; init; }

    public static readonly IReadOnlyDictionary<Level, string> LevelNames = new Dictionary<Level, string>
    {
        [Level.County] = "县级",
        [Level.Prefecture] = "州（市）级",
        [Level.Province] = "省（区）级",
        [Level.National] = "国家级",
    };

    public override decimal MaxPoints => Cap;

    /// <summary>
    /// The level a case counts at: its own when the clause lists it; above the highest level listed, the highest listed
    /// (台江 2.3 and 2.4 list 县级、州级、省级: a 国家级 title or award counts as 省级, not refused); below the lowest
    /// listed, none (it scores nothing). Null when it does not count.
    /// </summary>
    public Level? CountedLevel(Level level)
    {
        if (Levels.Any(l => l.Level == level))
        {
            return level;
        }
        return Levels.Count > 0 && level > Levels.Max(l => l.Level) ? Levels.Max(l => l.Level) : null;
    }

    public decimal PointsFor(Level level) => CountedLevel(level) is { } counted ? Levels.First(l => l.Level == counted).Points : 0m;

    /// <summary>How a case of a level the clause does not list is counted, in words for the trail (null when it is listed).</summary>
    public string? Reading(Level level) => CountedLevel(level) switch
    {
        { } counted when counted == level => null,
        { } counted => $"本条未列{LevelNames[level]}，按所列最高级别{LevelNames[counted]}计{Display.Points(PointsFor(level))}",
        null => $"本条未列{LevelNames[level]}，不计分",
    };

    protected override RuleOutcome EvaluateCore(Facts facts)
    {
        var cases = facts.CasesOf(Id).Where(c => c.Level is not null).ToList();
        if (cases.Count == 0)
        {
            return new(0m, "无", "无案例，不得分");
        }
        var counted = HighestPerContent
            ? cases.Select((c, i) => (c, key: c.Content ?? $"#{i}")).GroupBy(x => x.key)
                .Select(g => g.Select(x => x.c).MaxBy(c => PointsFor(c.Level!.Value))!).ToList()
            : cases;
        var values = counted.Select(c => PointsFor(c.Level!.Value)).ToList();
        var raw = Combine == "max" ? values.Max() : values.Sum();
        var earned = Math.Min(raw, Cap);
        var fact = string.Join("、", cases.Select(c => $"{LevelNames[c.Level!.Value]}{(c.Content is null ? "" : $"「{c.Content}」")}"));
        var how = Combine == "max" ? "取最高" : HighestPerContent ? "同一内容取最高后累加" : "累加";
        var readings = cases.Select(c => Reading(c.Level!.Value)).OfType<string>().Distinct().ToList();
        return new(earned, fact, $"{string.Concat(readings.Select(r => r + "；"))}{how}{Display.Points(raw)}{(raw > Cap ? $"，封顶{Display.Points(Cap)}" : "")}，得{Display.Points(earned)}");
    }
}

public sealed record CaseCategory(string Id, string Text, decimal Points);

/// <summary>每例加N分，最高累计不超过M分 (bonus) or 每例扣N分 by category (penalty).</summary>
public sealed record PerCaseRule : Rule
{
    public decimal? Points { get; init; }
    public IReadOnlyList<CaseCategory> Categories { get; init; } = [];
    public decimal? Cap { get; init; }

    /// <summary>With no cap, the most a single case gives (the rule is then open-ended).</summary>
    public override decimal MaxPoints => Cap ?? decimal.MaxValue;

    public decimal PointsFor(Case c) =>
        Categories.Count == 0 ? Points ?? 0m : Categories.FirstOrDefault(k => k.Id == c.Category)?.Points ?? 0m;

    protected override RuleOutcome EvaluateCore(Facts facts) => Score(facts.CasesOf(Id).ToList());

    /// <summary>Scores a given set of cases (the item may have dropped some: highest per content).</summary>
    public RuleOutcome Score(IReadOnlyList<Case> cases)
    {
        if (cases.Count == 0)
        {
            return new(0m, "无", "无案例");
        }
        var raw = cases.Sum(PointsFor);
        var earned = Cap is { } cap ? Math.Min(raw, cap) : raw;
        var fact = Categories.Count == 0
            ? $"{cases.Count}例"
            : string.Join("、", cases.GroupBy(c => c.Category).Select(g => $"{Categories.First(k => k.Id == g.Key).Text}{g.Count()}例"));
        return new(earned, fact, $"合计{Display.Points(raw)}{(Cap is { } c2 && raw > c2 ? $"，封顶{Display.Points(c2)}" : "")}，计{Display.Points(earned)}");
    }
}

/// <summary>一次性扣N分: the points once if any case occurred, however many.</summary>
public sealed record OnceRule : Rule
{
    public required decimal Points { get; init; }

    public override decimal MaxPoints => Points;

    protected override RuleOutcome EvaluateCore(Facts facts)
    {
        var count = facts.CasesOf(Id).Count();
        return count == 0
            ? new(0m, "无", "未发生")
            : new(Points, $"{count}例", $"一次性计{Display.Points(Points)}{(count > 1 ? "（多例不重复计）" : "")}");
    }
}
