using CreationWorkflow.Core.Calendar;

namespace CreationWorkflow.Core.Assignments;

/// <summary>Warning lights (预警灯) of an assignment, derived from the clock by <see cref="Deadline"/> — never stored.</summary>
public enum Light
{
    None,

    /// <summary>蓝灯: due within <see cref="Deadline.BlueWithinWorkingDays"/> working days.</summary>
    Blue,

    /// <summary>黄灯: behind — returned for rework, or (序时进度) past its period's midpoint with nothing filed.</summary>
    Yellow,

    /// <summary>红灯: overdue.</summary>
    Red,
}

/// <summary>The period a recurring duty reports on (e.g. 2022年3月: 3-1 … 3-31); its midpoint is the 序时进度 line.</summary>
public readonly record struct PeriodWindow(DateOnly Start, DateOnly End)
{
    /// <summary>The day from which a period with nothing filed shows yellow: half its days have gone.</summary>
    public DateOnly Midpoint => Start.AddDays((End.DayNumber - Start.DayNumber + 1) / 2);
}

/// <summary>An assignment's standing against its due date on one day: its light and how late it is.</summary>
public readonly record struct DeadlineStatus(Light Light, int DaysLate, int WorkingDaysLate)
{
    public bool Late => Light == Light.Red;
}

/// <summary>
/// The one rule for lateness and lights. Every page, API, export and query derives them from here (queries through
/// expressions built from the same pieces: <see cref="OwedStates"/>, <see cref="NotFiledStates"/>,
/// <see cref="BlueUntil"/> and <see cref="PeriodWindow.Midpoint"/>). In order:
/// <list type="number">
/// <item>approved, cancelled or submitted (the delay is then the reviewer's): no light, not late;</item>
/// <item>past the due date while the unit still owes it: 红灯, late — until the unit submits it or the date is moved,
/// when it turns back (the unit has caught up);</item>
/// <item>returned for rework: 黄灯;</item>
/// <item>due within <see cref="BlueWithinWorkingDays"/> working days: 蓝灯;</item>
/// <item>序时进度: a recurring duty whose period has passed its midpoint with nothing filed (still 已交办 or 已签收): 黄灯;</item>
/// <item>otherwise none.</item>
/// </list>
/// Days late count from the due date to today: in calendar days (<see cref="DeadlineStatus.DaysLate"/>, as notices
/// say 逾期N天) and in working days on the calendar (<see cref="DeadlineStatus.WorkingDaysLate"/>, 逾期工作日).
/// </summary>
public static class Deadline
{
    /// <summary>Blue within this many working days of the due date.</summary>
    public const int BlueWithinWorkingDays = 3;

    /// <summary>The states in which the unit still owes the work: late once past the due date.</summary>
    public static readonly IReadOnlyList<AssignmentState> OwedStates =
        [AssignmentState.Assigned, AssignmentState.Acknowledged, AssignmentState.InProgress, AssignmentState.Returned];

    /// <summary>The states in which the unit has filed nothing yet (no progress, no submission).</summary>
    public static readonly IReadOnlyList<AssignmentState> NotFiledStates = [AssignmentState.Assigned, AssignmentState.Acknowledged];

    public static bool Owed(AssignmentState state) => OwedStates.Contains(state);

    /// <summary>Late on <paramref name="today"/>: past the due date while the unit still owes the work.</summary>
    public static bool IsLate(AssignmentState state, DateOnly due, DateOnly today) => Owed(state) && today > due;

    /// <summary>Calendar days late on <paramref name="today"/>; 0 when not late.</summary>
    public static int DaysLate(AssignmentState state, DateOnly due, DateOnly today) =>
        IsLate(state, due, today) ? today.DayNumber - due.DayNumber : 0;

    /// <summary>The last due date that is blue on <paramref name="today"/>: at most <see cref="BlueWithinWorkingDays"/> working days away.</summary>
    public static DateOnly BlueUntil(DateOnly today, WorkingDayCalendar calendar) =>
        calendar.AddWorkingDays(today, BlueWithinWorkingDays + 1).AddDays(-1);

    public static DeadlineStatus On(
        AssignmentState state, DateOnly due, PeriodWindow? period, DateOnly today, WorkingDayCalendar calendar)
    {
        if (!Owed(state))
        {
            return default;
        }
        if (today > due)
        {
            return new(Light.Red, today.DayNumber - due.DayNumber, Math.Max(0, calendar.WorkingDaysBetween(due, today)));
        }
        if (state == AssignmentState.Returned)
        {
            return new(Light.Yellow, 0, 0);
        }
        if (due <= BlueUntil(today, calendar))
        {
            return new(Light.Blue, 0, 0);
        }
        if (period is { } p && today >= p.Midpoint && NotFiledStates.Contains(state))
        {
            return new(Light.Yellow, 0, 0);
        }
        return default;
    }

    /// <summary>The states in which the unit has delivered the work (提交, or done): what 已交 counts.</summary>
    public static readonly IReadOnlyList<AssignmentState> DeliveredStates = [AssignmentState.Submitted, AssignmentState.Approved];

    /// <summary>
    /// 按时: the work is delivered (submitted or approved) and its first complete delivery (<see cref="Assignment.SubmittedAt"/>,
    /// as a date in the programme's time zone: <paramref name="submittedOn"/>) fell on or before the due date — the current one,
    /// so an approved extension moves the line. A return does not undo an on-time delivery once the unit has resubmitted;
    /// while returned work is owed again it is not counted. The due date is a day of the working-day calendar, as
    /// <see cref="IsLate"/> reads it: delivered on the due date is on time, the day after is late.
    /// </summary>
    public static bool OnTime(AssignmentState state, DateOnly due, DateOnly? submittedOn) =>
        DeliveredStates.Contains(state) && submittedOn is { } on && on <= due;

    /// <summary>按时率 (%): on time ÷ due, one decimal; null when nothing is due yet. Board, heat map, ranking and bulletin all use it.</summary>
    public static decimal? OnTimeRate(int onTime, int due) => due == 0 ? null : Math.Round(100m * onTime / due, 1);

    /// <summary>The inbox's groups on <paramref name="today"/> (本周到期 from the working-day calendar).</summary>
    public static InboxWindow Inbox(DateOnly today, WorkingDayCalendar calendar) =>
        new(today, calendar.WorkingDayOnOrAfter(calendar.EndOfWorkingWeek(today).AddDays(1)).AddDays(-1));

    /// <summary>Which group of a unit's inbox a task falls in on <paramref name="today"/> (see <see cref="InboxWindow.GroupOf"/>).</summary>
    public static InboxGroup InboxGroupOf(AssignmentState state, DateOnly due, DateOnly today, WorkingDayCalendar calendar, bool reviewing = false) =>
        Inbox(today, calendar).GroupOf(state, due, reviewing);

    public static string Chinese(Light light) => light switch
    {
        Light.Blue => "蓝灯",
        Light.Yellow => "黄灯",
        Light.Red => "红灯",
        _ => "正常",
    };
}

/// <summary>The groups of a unit's inbox (我的任务), in the order the page shows them.</summary>
public enum InboxGroup
{
    /// <summary>逾期: past the due date while the unit still owes it (= <see cref="Deadline.IsLate"/>).</summary>
    Late,

    /// <summary>本周到期: owed and due from today to the end of this working week.</summary>
    DueThisWeek,

    /// <summary>待我审核: submitted to this unit as reviewer (lead unit).</summary>
    ToReview,

    /// <summary>以后: owed and due after this working week.</summary>
    Later,

    /// <summary>已交/已办结: nothing for the unit to do now (submitted and waiting, approved, cancelled), or reviewed.</summary>
    Done,
}

/// <summary>Which tasks one inbox group holds: seen as the unit or as its reviewer, in which states, due within which days.</summary>
public sealed record InboxRange(bool Reviewing, IReadOnlyList<AssignmentState> States, DateOnly? DueFrom, DateOnly? DueUntil)
{
    public bool Holds(AssignmentState state, DateOnly due, bool reviewing) =>
        reviewing == Reviewing && States.Contains(state) && (DueFrom is not { } from || due >= from) && (DueUntil is not { } until || due <= until);
}

/// <summary>
/// The one rule for the inbox's groups on a day. <see cref="ThisWeekUntil"/> is the last day 本周到期 covers: the end of the
/// working week (<see cref="WorkingDayCalendar.EndOfWorkingWeek"/>) and the rest days after it, up to the next working day.
/// The groups are ranges (<see cref="Range"/>), so queries filter and count by the same bounds (GROUP BY on the server).
/// </summary>
public readonly record struct InboxWindow(DateOnly Today, DateOnly ThisWeekUntil)
{
    public static IReadOnlyList<InboxGroup> Groups { get; } = Enum.GetValues<InboxGroup>();

    private static readonly IReadOnlyList<AssignmentState> NotOwed =
        [.. Enum.GetValues<AssignmentState>().Where(s => !Deadline.Owed(s))];

    public InboxRange Range(InboxGroup group) => group switch
    {
        InboxGroup.Late => new(false, Deadline.OwedStates, null, Today.AddDays(-1)),
        InboxGroup.DueThisWeek => new(false, Deadline.OwedStates, Today, ThisWeekUntil),
        InboxGroup.ToReview => new(true, [AssignmentState.Submitted], null, null),
        InboxGroup.Later => new(false, Deadline.OwedStates, ThisWeekUntil.AddDays(1), null),
        _ => new(false, NotOwed, null, null),
    };

    /// <summary>
    /// A task's group: as the unit, 逾期 / 本周到期 / 以后 while it owes the work (by due date), else 已交/已办结; as the reviewer
    /// (<paramref name="reviewing"/>), 待我审核 while it is submitted, else 已交/已办结.
    /// </summary>
    public InboxGroup GroupOf(AssignmentState state, DateOnly due, bool reviewing = false)
    {
        foreach (var group in Groups)
        {
            if (Range(group).Holds(state, due, reviewing))
            {
                return group;
            }
        }
        return InboxGroup.Done;
    }

    public static string Chinese(InboxGroup group) => group switch
    {
        InboxGroup.Late => "逾期",
        InboxGroup.DueThisWeek => "本周到期",
        InboxGroup.ToReview => "待我审核",
        InboxGroup.Later => "以后",
        _ => "已交/已办结",
    };

    /// <summary>The group's name in a URL or query string (late, week, review, later, done).</summary>
    public static string Key(InboxGroup group) => group switch
    {
        InboxGroup.Late => "late",
        InboxGroup.DueThisWeek => "week",
        InboxGroup.ToReview => "review",
        InboxGroup.Later => "later",
        _ => "done",
    };

    public static InboxGroup? Parse(string? key) => Groups.Cast<InboxGroup?>().FirstOrDefault(g => Key(g!.Value) == key?.Trim().ToLowerInvariant());
}
