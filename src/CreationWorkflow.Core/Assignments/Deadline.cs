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

    public static string Chinese(Light light) => light switch
    {
        Light.Blue => "蓝灯",
        Light.Yellow => "黄灯",
        Light.Red => "红灯",
        _ => "正常",
    };
}
