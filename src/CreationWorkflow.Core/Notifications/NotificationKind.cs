using CreationWorkflow.Core.Workflows;

namespace CreationWorkflow.Core.Notifications;

/// <summary>
/// What a notice is about: one value per kind of notice the platform writes. Stored, shown in the API and named in a
/// workflow's channel policy by its spelling (<see cref="NotificationKinds.Spelling"/>), lower-case with hyphens.
/// </summary>
public enum NotificationKind
{
    /// <summary>新交办: a campaign started and gave the unit its work.</summary>
    Assigned,

    /// <summary>任务调整: the office rescheduled or reassigned.</summary>
    Changed,

    /// <summary>待审核: a unit submitted (to the reviewer).</summary>
    Submitted,

    /// <summary>退回: the reviewer returned the work.</summary>
    Returned,

    /// <summary>通过: the reviewer approved it.</summary>
    Approved,

    /// <summary>延期申请 (to the office).</summary>
    ExtensionRequested,

    ExtensionApproved,
    ExtensionRefused,

    /// <summary>撤销.</summary>
    Cancelled,

    /// <summary>A report's lines submitted, to each line's reviewing lead unit.</summary>
    LinesSubmitted,

    /// <summary>A report line returned by its reviewer.</summary>
    LineReturned,

    /// <summary>临期提醒 (the schedule's <see cref="ReminderKind.BeforeDue"/>).</summary>
    DueSoon,

    /// <summary>今日到期 (<see cref="ReminderKind.OnDue"/>).</summary>
    Due,

    /// <summary>逾期催办 (<see cref="ReminderKind.Overdue"/>).</summary>
    Overdue,

    /// <summary>逾期上报 to the inspectors and the office (<see cref="ReminderKind.Escalation"/>).</summary>
    Escalation,

    /// <summary>催办 by an inspector (one assignment, or all of a unit's late work).</summary>
    Urge,

    /// <summary>督办单下发.</summary>
    OrderIssued,

    /// <summary>整改反馈.</summary>
    OrderAnswered,

    /// <summary>督办销号.</summary>
    OrderClosed,

    /// <summary>提级督办.</summary>
    OrderEscalated,

    /// <summary>督查节点 findings.</summary>
    Checkpoint,

    /// <summary>自评 facts or a survey rate to review (to the office).</summary>
    AssessmentReview,

    AssessmentReturned,
    GateOpened,
    GateClosed,

    /// <summary>工作进展通报 issued.</summary>
    Bulletin,

    /// <summary>测试发送 of a contact's channel (never a notification row; outbox only).</summary>
    ChannelTest,

    /// <summary>未读升级: a unit left a notice unread past the policy's working hours (to the leaders).</summary>
    UnreadEscalation,

    /// <summary>领导批示: a leader's instruction, to its named units.</summary>
    InstructionIssued,

    /// <summary>批示办理情况: a named unit answered, to the leaders.</summary>
    InstructionAnswered,

    /// <summary>批示办结: the leader closed it, to its named units.</summary>
    InstructionClosed,

    /// <summary>台账变更: a county changed or deleted a place of the register, to the office.</summary>
    PlaceChanged,

    /// <summary>互查任务派发: the office paired units, to the inspecting unit.</summary>
    PeerInspectionAssigned,

    /// <summary>互查结果提交: the inspecting unit submitted, to the inspected unit and the office.</summary>
    PeerInspectionSubmitted,

    /// <summary>互查任务撤销: the office cancelled an open inspection, to the inspecting unit.</summary>
    PeerInspectionCancelled,
}

/// <summary>The one spelling of each <see cref="NotificationKind"/>, and the older spellings still read from stored rows.</summary>
public static class NotificationKinds
{
    private static readonly Dictionary<NotificationKind, string> Spellings = new()
    {
        [NotificationKind.Assigned] = "assigned",
        [NotificationKind.Changed] = "changed",
        [NotificationKind.Submitted] = "submitted",
        [NotificationKind.Returned] = "returned",
        [NotificationKind.Approved] = "approved",
        [NotificationKind.ExtensionRequested] = "extension-requested",
        [NotificationKind.ExtensionApproved] = "extension-approved",
        [NotificationKind.ExtensionRefused] = "extension-refused",
        [NotificationKind.Cancelled] = "cancelled",
        [NotificationKind.LinesSubmitted] = "lines-submitted",
        [NotificationKind.LineReturned] = "line-returned",
        [NotificationKind.DueSoon] = "due-soon",
        [NotificationKind.Due] = "due",
        [NotificationKind.Overdue] = "overdue",
        [NotificationKind.Escalation] = "escalation",
        [NotificationKind.Urge] = "urge",
        [NotificationKind.OrderIssued] = "order-issued",
        [NotificationKind.OrderAnswered] = "order-answered",
        [NotificationKind.OrderClosed] = "order-closed",
        [NotificationKind.OrderEscalated] = "order-escalated",
        [NotificationKind.Checkpoint] = "checkpoint",
        [NotificationKind.AssessmentReview] = "assessment-review",
        [NotificationKind.AssessmentReturned] = "assessment-returned",
        [NotificationKind.GateOpened] = "gate-opened",
        [NotificationKind.GateClosed] = "gate-closed",
        [NotificationKind.Bulletin] = "bulletin",
        [NotificationKind.ChannelTest] = "channel-test",
        [NotificationKind.UnreadEscalation] = "unread-escalation",
        [NotificationKind.InstructionIssued] = "instruction-issued",
        [NotificationKind.InstructionAnswered] = "instruction-answered",
        [NotificationKind.InstructionClosed] = "instruction-closed",
        [NotificationKind.PlaceChanged] = "place-changed",
        [NotificationKind.PeerInspectionAssigned] = "peer-inspection-assigned",
        [NotificationKind.PeerInspectionSubmitted] = "peer-inspection-submitted",
        [NotificationKind.PeerInspectionCancelled] = "peer-inspection-cancelled",
    };

    /// <summary>
    /// Spellings written before there was one enum (assignment triggers, reminder kinds, <c>order.*</c>, <c>review</c>):
    /// the migration rewrites them, and reading still accepts them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, NotificationKind> Legacy = new Dictionary<string, NotificationKind>(StringComparer.Ordinal)
    {
        ["Submit"] = NotificationKind.Submitted,
        ["Return"] = NotificationKind.Returned,
        ["Approve"] = NotificationKind.Approved,
        ["RequestExtension"] = NotificationKind.ExtensionRequested,
        ["ApproveExtension"] = NotificationKind.ExtensionApproved,
        ["RefuseExtension"] = NotificationKind.ExtensionRefused,
        ["Cancel"] = NotificationKind.Cancelled,
        ["BeforeDue"] = NotificationKind.DueSoon,
        ["OnDue"] = NotificationKind.Due,
        ["Overdue"] = NotificationKind.Overdue,
        ["Escalation"] = NotificationKind.Escalation,
        ["order.issued"] = NotificationKind.OrderIssued,
        ["order.answered"] = NotificationKind.OrderAnswered,
        ["order.closed"] = NotificationKind.OrderClosed,
        ["order.escalated"] = NotificationKind.OrderEscalated,
        ["review"] = NotificationKind.AssessmentReview,
    };

    private static readonly Dictionary<string, NotificationKind> BySpelling =
        Spellings.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<NotificationKind> All => Spellings.Keys;

    /// <summary>The stored and shown spelling: <c>due-soon</c>, <c>order-issued</c>.</summary>
    public static string Spelling(this NotificationKind kind) => Spellings[kind];

    /// <summary>A spelling (or an older one) back to its kind; null when it names none.</summary>
    public static NotificationKind? TryParse(string? text) =>
        text is null ? null
        : BySpelling.TryGetValue(text, out var kind) ? kind
        : Legacy.TryGetValue(text, out var legacy) ? legacy
        : null;

    /// <summary>As <see cref="TryParse"/>, for stored values: an unknown spelling is a bug, not input.</summary>
    public static NotificationKind Parse(string text) =>
        TryParse(text) ?? throw new FormatException($"Unknown notification kind '{text}'.");

    /// <summary>The notice kind of a reminder schedule's occurrence.</summary>
    public static NotificationKind Of(ReminderKind kind) => kind switch
    {
        ReminderKind.BeforeDue => NotificationKind.DueSoon,
        ReminderKind.OnDue => NotificationKind.Due,
        ReminderKind.Overdue => NotificationKind.Overdue,
        _ => NotificationKind.Escalation,
    };

    /// <summary>Kinds that chase late work harder than a reminder: a policy's <c>escalations</c> channels apply to them.</summary>
    public static bool IsEscalation(this NotificationKind kind) =>
        kind is NotificationKind.Escalation or NotificationKind.OrderIssued or NotificationKind.OrderEscalated or NotificationKind.UnreadEscalation;
}
