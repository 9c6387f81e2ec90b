namespace CreationWorkflow.Core.Scoring;

/// <summary>One line of the explanation trail: which rule, from which clause, on which fact, for how many points.</summary>
public sealed record ExplanationLine(string Scope, string RuleId, string Rule, string Source, string Fact, string Reason, decimal Points);

public sealed record ItemScore(int No, int Indicator, decimal Max, decimal Score, IReadOnlyList<ExplanationLine> Lines);

public sealed record Subtotal(int No, string Name, decimal Max, decimal Score);

public sealed record AdjustmentScore(AdjustmentKind Kind, int No, decimal Score, IReadOnlyList<ExplanationLine> Lines);

public sealed record ScoreResult(
    string ProgrammeId,
    IReadOnlyList<ItemScore> Items,
    IReadOnlyList<Subtotal> Indicators,
    IReadOnlyList<Subtotal> Targets,
    decimal BaseMax,
    decimal Base,
    decimal Bonus,
    decimal Penalty,
    decimal Total,
    IReadOnlyList<AdjustmentScore> Adjustments)
{
    public IEnumerable<ExplanationLine> Trail => Items.SelectMany(i => i.Lines).Concat(Adjustments.SelectMany(a => a.Lines));

    public ItemScore Item(int no) => Items.Single(i => i.No == no);

    public AdjustmentScore Adjustment(AdjustmentKind kind, int no) => Adjustments.Single(a => a.Kind == kind && a.No == no);
}

/// <summary>
/// Scores a programme's facts by its rules. Pure: the same programme and facts always give the same result.
/// An item never scores above its points nor below zero; only penalties take the total down.
/// </summary>
public static class ScoringEngine
{
    public static ScoreResult Score(Programme programme, Facts facts)
    {
        var errors = FactsValidator.Validate(programme, facts);
        if (errors.Count > 0)
        {
            throw new InvalidFactsException(errors);
        }

        var items = programme.Items.Select(item => ScoreItem(item, facts)).ToList();
        var indicators = programme.Indicators.Select(ind =>
        {
            var its = items.Where(i => i.Indicator == ind.No).ToList();
            return new Subtotal(ind.No, ind.Name, its.Sum(i => i.Max), its.Sum(i => i.Score));
        }).ToList();
        var targets = programme.Targets.Select(t =>
        {
            var subs = indicators.Where(s => t.Indicators.Any(i => i.No == s.No)).ToList();
            return new Subtotal(t.No, t.Name, subs.Sum(s => s.Max), subs.Sum(s => s.Score));
        }).ToList();

        var adjustments = programme.AllAdjustments.Select(a => ScoreAdjustment(a.Kind, a.Item, facts)).ToList();
        var baseScore = Math.Min(items.Sum(i => i.Score), programme.Header.BaseMax);
        var bonus = adjustments.Where(a => a.Kind == AdjustmentKind.Bonus).Sum(a => a.Score);
        var penalty = adjustments.Where(a => a.Kind != AdjustmentKind.Bonus).Sum(a => a.Score);
        return new ScoreResult(programme.Id, items, indicators, targets, programme.Header.BaseMax,
            baseScore, bonus, penalty, baseScore + bonus - penalty, adjustments);
    }

    private static ItemScore ScoreItem(Item item, Facts facts)
    {
        var scope = $"第{item.No}项";
        var lines = item.Rules.Select(rule =>
        {
            var o = rule.Evaluate(facts);
            return new ExplanationLine(scope, rule.Id, rule.Text, item.Source.ToString(), o.Fact, o.Reason, o.Points);
        }).ToList();
        var score = Math.Clamp(lines.Sum(l => l.Points), 0m, item.Points);
        return new ItemScore(item.No, item.Indicator, item.Points, score, lines);
    }

    private static AdjustmentScore ScoreAdjustment(AdjustmentKind kind, AdjustmentItem item, Facts facts)
    {
        var scope = kind switch { AdjustmentKind.Bonus => $"加分{item.No}", AdjustmentKind.Penalty => $"减分{item.No}", _ => $"负面清单{item.No}" };
        var kept = item.HighestPerContent ? HighestPerContent(item, facts) : null;
        var lines = item.Rules.Select(rule =>
        {
            var o = kept is not null && rule is PerCaseRule perCase
                ? perCase.Score(kept.Where(c => c.Rule == rule.Id).ToList())
                : rule.Evaluate(facts);
            return new ExplanationLine(scope, rule.Id, rule.Text, item.Source.ToString(), o.Fact, o.Reason, o.Points);
        }).ToList();
        if (kept is not null)
        {
            var dropped = facts.Cases.Count(c => item.Rules.Any(r => r.Id == c.Rule)) - kept.Count;
            if (dropped > 0)
            {
                lines.Add(new ExplanationLine(scope, "", "同一内容事项只取最高分值，不累计", item.Source.ToString(),
                    $"同一内容重复{dropped}例", "已按最高分值计一次", 0m));
            }
        }
        return new AdjustmentScore(kind, item.No, lines.Sum(l => l.Points), lines);
    }

    /// <summary>Of the item's cases, keeps for each content only the case its rule values highest.</summary>
    private static List<Case> HighestPerContent(AdjustmentItem item, Facts facts)
    {
        var rules = item.Rules.OfType<PerCaseRule>().ToDictionary(r => r.Id);
        return facts.Cases
            .Where(c => rules.ContainsKey(c.Rule))
            .Select((c, i) => (c, key: c.Content ?? $"#{i}"))
            .GroupBy(x => x.key)
            .Select(g => g.Select(x => x.c).MaxBy(c => rules[c.Rule].PointsFor(c))!)
            .ToList();
    }
}

public sealed record FactError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

public sealed class InvalidFactsException(IReadOnlyList<FactError> errors)
    : Exception("Invalid facts: " + string.Join("; ", errors))
{
    public IReadOnlyList<FactError> Errors { get; } = errors;
}
