using System.Text.Json.Serialization;
using CreationWorkflow.Core.Notifications;

namespace CreationWorkflow.Core.Workflows;

/// <summary>
/// workflows/&lt;id&gt;.json: the steps (交办), reminder policies (催办) and checkpoints (督查节点) of one programme,
/// written against the documents' own dates (<see cref="Template"/>). Read strictly by <see cref="WorkflowLoader"/>;
/// dates and times stay strings here and are checked there. See docs/workflow-format.md.
/// </summary>
public sealed record WorkflowDefinition(
    string Id,
    int Version,
    string Programme,
    string Title,
    string TimeZone,
    WorkflowTemplate Template,
    string RemindAt,
    IReadOnlyDictionary<string, ReminderPolicy> ReminderPolicies,
    IReadOnlyList<WorkflowStep> Steps,
    IReadOnlyList<Checkpoint> Checkpoints,
    [property: JsonPropertyName("$schema")] string? Schema = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BulletinSchedule? Bulletin = null,
    [property: JsonPropertyName("reminderPolicy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] NoticePolicy? Notices = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WorkflowPhase>? Phases = null)
{
    /// <summary>
    /// The programme's phases with this definition's own names and dates where <see cref="Phases"/> lists them (by id; the
    /// others as the programme has them). Phase ids and order always come from the programme.
    /// </summary>
    public IReadOnlyList<Phase> PhasesOf(Programme programme) =>
        [.. programme.Header.Phases.Select(p => Phases?.FirstOrDefault(o => o.Id == p.Id) is { } o ? p with { Name = o.Name, Start = o.Start, End = o.End } : p)];

    /// <summary>
    /// Which notices go to which channels of the units' contacts, and the unread escalation's working hours: the
    /// <c>reminderPolicy</c> section, or <see cref="ChannelPolicy.Default"/> when the definition has none (valid once loaded).
    /// </summary>
    [JsonIgnore]
    public ChannelPolicy Channels => ChannelPolicy.Of(Notices);

    /// <summary>The local time of day reminders fire (valid once loaded).</summary>
    [JsonIgnore]
    public TimeOnly RemindTime => TimeOnly.ParseExact(RemindAt, WorkflowLoader.TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The time zone <see cref="RemindAt"/> and the checkpoints' cron expressions are in (valid once loaded).</summary>
    [JsonIgnore]
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public override string ToString() => $"{Id} v{Version}";
}

/// <summary>
/// A phase's name and template months (yyyy-MM, both inclusive) as this definition has them, overriding the programme's
/// phase of the same id: how an office moves 全面推进 by a month without a new programme. Written only when set.
/// </summary>
public sealed record WorkflowPhase(string Id, string Name, string Start, string End);

/// <summary>The documents' start (yyyy-MM-dd) that a campaign's own start date maps onto, and where it is written.</summary>
public sealed record WorkflowTemplate(string Start, SourceRef Source)
{
    [JsonIgnore]
    public DateOnly StartDate => DateOnly.ParseExact(Start, WorkflowLoader.DateFormat, CultureInfo.InvariantCulture);
}

/// <summary>
/// When to remind about one due date, in working days: before it, on it, after it (overdue, repeated) and,
/// once, an escalation to the inspectors (督查) and the office. <see cref="UnreadEscalateAfterHours"/>: a unit's notice
/// still unread after that many working hours goes once to the leaders (absent: the host's default); written only when
/// set, so definitions without it keep their stored content hash.
/// </summary>
public sealed record ReminderPolicy(
    IReadOnlyList<int> BeforeDue,
    bool OnDue,
    int OverdueEvery,
    int OverdueRepeats,
    int? EscalateAfter = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? UnreadEscalateAfterHours = null);

/// <summary>
/// The definition's <c>reminderPolicy</c> section (optional; absent, <see cref="ChannelPolicy.Default"/> applies and nothing is
/// written, so stored content hashes stay). <see cref="Liaison"/> and <see cref="Leader"/> map a group of kinds
/// (<c>reminders</c>, <c>escalations</c>) or one kind's spelling (<c>overdue</c>, <c>order-issued</c>, …) to channel names
/// (<c>weCom</c>, <c>dingTalk</c>, <c>webhook</c>, <c>sms</c>); a role left out keeps the default's channels, a group left out
/// of a role's map takes none. See docs/workflow-format.md.
/// </summary>
public sealed record NoticePolicy(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Liaison = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Leader = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UnreadEscalationPolicy? UnreadEscalation = null);

/// <summary>
/// When a unit's unread notice escalates to its 分管领导: after <see cref="AfterWorkingHours"/> working hours (a step's own
/// <c>unreadEscalateAfterHours</c> wins), counted between <see cref="WorkdayStart"/> and <see cref="WorkdayEnd"/> (HH:mm, both or
/// neither; absent, the host's office hours) on working days.
/// </summary>
public sealed record UnreadEscalationPolicy(
    int AfterWorkingHours,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WorkdayStart = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WorkdayEnd = null);

/// <summary>Who receives a step's assignments.</summary>
public enum StepRole
{
    /// <summary>牵头单位: each lead unit of the item.</summary>
    Lead,

    /// <summary>责任单位: each responsible unit of the item that is not also one of its lead units.</summary>
    Responsible,

    /// <summary>创建办: the office itself.</summary>
    Office,

    /// <summary>Each assessed unit of a <c>subject: unit</c> programme, for every item.</summary>
    Assessed,
}

public enum StepScope
{
    /// <summary>One assignment per item × unit (× period).</summary>
    Item,

    /// <summary>One assignment for the whole campaign (office steps only).</summary>
    Campaign,
}

/// <summary>How finely a step's duties are cut into assignments (forms a unit fills).</summary>
public enum StepGrain
{
    /// <summary>One assignment per item × unit (× period): the unit fills one form per item.</summary>
    Item,

    /// <summary>
    /// One assignment per unit (× period), a report holding one line per item on which the unit has the step's role
    /// (一月一报). Each line is reviewed by that item's reviewer; the report is done when every line is approved.
    /// </summary>
    Unit,
}

/// <summary>What the assignee does.</summary>
public enum StepAction { Acknowledge, Report, Submit, Review, Apply }

/// <summary>Who reviews a step's submissions.</summary>
public enum StepReviewer
{
    /// <summary>The item's first lead unit (牵头单位); only on responsible units' steps.</summary>
    Lead,

    /// <summary>创建办.</summary>
    Office,
}

public enum DueAnchor { PhaseStart, PhaseEnd, PeriodStart, PeriodEnd }

/// <summary>The due date: <see cref="WorkingDays"/> working days from the anchor (negative = before it).</summary>
public sealed record StepDue(DueAnchor From, int WorkingDays);

public enum RecurrenceEvery { Month, Quarter }

/// <summary>One assignment per period of the phase window: periods step by whole months from the phase start; the last is cut at the phase end.</summary>
public sealed record Recurrence(RecurrenceEvery Every)
{
    [JsonIgnore]
    public int Months => Every == RecurrenceEvery.Quarter ? 3 : 1;
}

/// <summary>One kind of duty in a phase: who gets it, what they do, when it is due, who reviews it and how it is chased.</summary>
public sealed record WorkflowStep(
    string Id,
    string Phase,
    string Name,
    StepRole Role,
    StepAction Action,
    bool Evidence,
    StepReviewer? Reviewer,
    StepDue Due,
    string Reminders,
    StepScope Scope = StepScope.Item,
    Recurrence? Recurrence = null,
    bool Gate = false,
    SourceRef? Source = null,
    StepGrain Grain = StepGrain.Item);

/// <summary>督查节点: a supervision the host schedules with Quartz, inside its phase's window. Core only stores the cron.</summary>
public sealed record Checkpoint(
    string Id,
    string Name,
    string Phase,
    string Cron,
    string Scope,
    SourceRef? Source = null);

/// <summary>
/// 通报: the periodic bulletin (创建工作进展通报) the host builds for each campaign on the first working day of each
/// month, for the month before. Quartz cron cannot say "first working day", so <see cref="Cron"/> fires on calendar days
/// (it must fire on every month's first working day, e.g. <c>0 0 9 1-10 * ?</c>) and the host decides with the working-day
/// calendar. <see cref="MostLate"/>: how many of the most-late assignments the bulletin names.
/// </summary>
public sealed record BulletinSchedule(
    string Cron,
    string Name = BulletinSchedule.DefaultName,
    int MostLate = BulletinSchedule.DefaultMostLate,
    SourceRef? Source = null)
{
    public const string DefaultName = "创建工作进展通报";
    public const int DefaultMostLate = 10;

    /// <summary>The most-late list's limit in a definition.</summary>
    public const int MaxMostLate = 100;

    /// <summary>The first working day of <paramref name="year"/>-<paramref name="month"/> on <paramref name="calendar"/>.</summary>
    public static DateOnly FirstWorkingDay(int year, int month, Calendar.WorkingDayCalendar calendar) =>
        calendar.WorkingDayOnOrAfter(new DateOnly(year, month, 1));
}
