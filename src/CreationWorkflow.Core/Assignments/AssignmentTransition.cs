namespace CreationWorkflow.Core.Assignments;

/// <summary>
/// What one successful trigger changed, for the caller's audit entry (before → after).
/// <see cref="From"/> equals <see cref="To"/> for triggers that keep the state (progress reports, extensions).
/// </summary>
public sealed record AssignmentTransition(
    Guid AssignmentId,
    AssignmentTrigger Trigger,
    AssignmentState From,
    AssignmentState To,
    Actor Actor,
    DateTimeOffset At,
    DateOnly DueDateBefore,
    DateOnly DueDateAfter,
    string? Reason = null,
    DateOnly? RequestedDueDate = null)
{
    public bool StateChanged => From != To;

    public bool DueDateChanged => DueDateBefore != DueDateAfter;

    /// <summary>One line a user reads, e.g. "承办单位「市教育局」提交：办理中 → 已提交".</summary>
    public string Describe()
    {
        var text = $"{Actor}{Trigger.Label()}：{From.Label()} → {To.Label()}";
        if (RequestedDueDate is { } requested)
        {
            text += $"，申请延期至{AssignmentNames.Iso(requested)}";
        }
        if (DueDateChanged)
        {
            text += $"，截止日期 {AssignmentNames.Iso(DueDateBefore)} → {AssignmentNames.Iso(DueDateAfter)}";
        }
        return Reason is null ? text : $"{text}（{Reason}）";
    }
}
