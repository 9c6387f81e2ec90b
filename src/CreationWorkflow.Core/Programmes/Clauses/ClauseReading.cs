namespace CreationWorkflow.Core.Programmes.Clauses;

/// <summary>
/// What the clause reader proposes for one item: rules of the kinds the engine has, each keeping the
/// clause it came from, and flags for everything the office must look at (never a silent guess).
/// </summary>
public sealed record ClauseReading(IReadOnlyList<Rule> Rules, IReadOnlyList<ClauseFlag> Flags)
{
    /// <summary>
    /// 同一内容…只取最高分值: the item's cases of the same content count once, at their best rule
    /// (<see cref="AdjustmentItem.HighestPerContent"/> for a bonus item).
    /// </summary>
    public bool HighestPerContent { get; init; }

    /// <summary>True when nothing was flagged.</summary>
    public bool IsClean => Flags.Count == 0;
}

/// <summary>
/// A clause the office must check. <see cref="Clause"/> is the text at <see cref="Start"/>/<see cref="Length"/>
/// of the text that was read (the 测评内容; a clause in the 测评方法 starts after it, see <see cref="ClauseReader.Read"/>).
/// <see cref="Message"/> is zh-CN, shown to the office as is.
/// </summary>
public sealed record ClauseFlag(ClauseFlagKind Kind, string Clause, int Start, int Length, string Message);

public enum ClauseFlagKind
{
    /// <summary>A scoring clause the reader cannot turn into a rule.</summary>
    Unreadable,

    /// <summary>The rules' maxima do not add up to the item's 分值.</summary>
    PointsMismatch,

    /// <summary>A rule was proposed, but the text allows another reading (overlapping bands, stray points…).</summary>
    Ambiguous,
}
