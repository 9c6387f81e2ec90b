namespace CreationWorkflow.Core.Assignments;

/// <summary>
/// One unit's duty (交办) for one item in one phase, with a due date. Plain data, persisted as is (every
/// property has a setter EF can use; the constructor's parameters match the properties). Only
/// <see cref="AssignmentLifecycle"/> changes its state, due date, pending extension and return reason.
/// Overdue is derived from the due date, never stored.
/// </summary>
public sealed class Assignment(
    Guid id,
    string programmeId,
    int itemNo,
    string phaseId,
    string unit,
    DateOnly dueDate,
    string? reviewerUnit = null)
{
    public Guid Id { get; private init; } = id;

    public string ProgrammeId { get; private init; } = programmeId;

    /// <summary>The item (测评内容) number in the programme.</summary>
    public int ItemNo { get; private init; } = itemNo;

    /// <summary>The phase (阶段) id, or the phase step, this duty belongs to.</summary>
    public string PhaseId { get; private init; } = phaseId;

    /// <summary>The unit (承办单位) that carries the duty; only it may fire the unit's triggers. Changed only by 改派 (Reassign).</summary>
    public string Unit { get; internal set; } = unit;

    /// <summary>
    /// The lead unit (牵头单位) that reviews this responsible unit's submission, if any.
    /// The office may always review; a <see cref="ActorRole.Reviewer"/> only when named here.
    /// </summary>
    public string? ReviewerUnit { get; private init; } = reviewerUnit;

    /// <summary>签收即办结: a duty that is nothing but acknowledging (the 签收任务 step); acknowledging completes it.</summary>
    public bool AcknowledgeOnly { get; init; }

    public AssignmentState State { get; internal set; } = AssignmentState.Assigned;

    /// <summary>The current due date: the original one, or the one an approved extension set.</summary>
    public DateOnly DueDate { get; internal set; } = dueDate;

    /// <summary>The extension request waiting for the office, if any. Work goes on while it waits.</summary>
    public ExtensionRequest? PendingExtension { get; internal set; }

    /// <summary>Why the submission was last returned; set by Return, cleared by the next Submit.</summary>
    public string? ReturnReason { get; internal set; }

    /// <summary>
    /// When the unit first delivered the work: its first complete submission (提交), or the acknowledgement that completes an
    /// acknowledge-only duty. Kept when the work is returned and resubmitted (the on-time rule, <see cref="Deadline.OnTime"/>,
    /// counts the first delivery); cleared by 改派, since the new unit starts afresh.
    /// </summary>
    public DateTimeOffset? SubmittedAt { get; internal set; }

    /// <summary>Rebuilds an assignment from storage, with the state it had; only the lifecycle changes it after.</summary>
    public static Assignment Restore(
        Guid id, string programmeId, int itemNo, string phaseId, string unit, DateOnly dueDate, string? reviewerUnit,
        AssignmentState state, ExtensionRequest? pendingExtension, string? returnReason, bool acknowledgeOnly = false,
        DateTimeOffset? submittedAt = null) =>
        new(id, programmeId, itemNo, phaseId, unit, dueDate, reviewerUnit)
        {
            AcknowledgeOnly = acknowledgeOnly,
            State = state,
            PendingExtension = pendingExtension,
            ReturnReason = returnReason,
            SubmittedAt = submittedAt,
        };

    /// <summary>Approved or cancelled: nothing more can happen.</summary>
    public bool IsClosed => State is AssignmentState.Approved or AssignmentState.Cancelled;

    /// <summary>
    /// Late on <paramref name="today"/>: past the due date while the unit still owes the work.
    /// Closed assignments are never overdue; a submitted one waiting for review is not overdue either,
    /// since the delay is then the reviewer's. A returned one is the unit's again, and overdue once past the date.
    /// </summary>
    public bool IsOverdue(DateOnly today) => Deadline.IsLate(State, DueDate, today);

    /// <summary>Calendar days past the due date while <see cref="IsOverdue"/>; otherwise 0.</summary>
    public int DaysLate(DateOnly today) => Deadline.DaysLate(State, DueDate, today);
}

/// <summary>A unit's request (延期申请) to move the due date, waiting for the office.</summary>
public sealed record ExtensionRequest(DateOnly RequestedDueDate, string Reason, string RequestedBy, DateTimeOffset RequestedAt);
