using CreationWorkflow.Core.Scoring;

namespace CreationWorkflow.Core.Programmes.Clauses;

/// <summary>What the clause reader made of one item: the rules it proposes, and what it could not read or doubts.</summary>
public sealed record ClauseReading(IReadOnlyList<Rule> Rules, IReadOnlyList<ClauseFlag> Flags);

/// <summary>A clause the office must look at: the exact span of the item text (start, length) and why.</summary>
public sealed record ClauseFlag(ClauseFlagKind Kind, string Clause, int Start, int Length, string Message);

public enum ClauseFlagKind { Unreadable, PointsMismatch, Ambiguous }

/// <summary>
/// Placeholder until the clause reader lands (branch clauses): it proposes no rules and flags the whole item as
/// unread, so the office sets the rules itself. Same signature as the real reader.
/// </summary>
public static class ClauseReader
{
    public static ClauseReading Read(string itemId, string content, string method, decimal points) =>
        new([], [new ClauseFlag(ClauseFlagKind.Unreadable, content, 0, content.Length, "尚未解析")]);
}
