using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Calendar;

namespace CreationWorkflow.Web.Supervision;

/// <summary>Warning lights (预警灯) of an assignment, derived from the clock — never stored.</summary>
public enum Light
{
    None,

    /// <summary>蓝灯: due within the warning window.</summary>
    Blue,

    /// <summary>黄灯: behind — returned for rework, or the period's progress is missing while its period is under way.</summary>
    Yellow,

    /// <summary>红灯: overdue.</summary>
    Red,
}

public static class Supervision
{
    /// <summary>The programmes' time zone: dates are China's dates.</summary>
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);

    /// <summary>Blue within this many working days of the due date.</summary>
    public const int BlueWithinWorkingDays = 3;

    public static Light LightOf(AssignmentState state, DateOnly due, DateOnly today, WorkingDayCalendar calendar, DateOnly? periodStart = null)
    {
        if (state is AssignmentState.Approved or AssignmentState.Cancelled or AssignmentState.Submitted)
        {
            return Light.None;
        }
        if (today > due)
        {
            return Light.Red;
        }
        if (state == AssignmentState.Returned)
        {
            return Light.Yellow;
        }
        if (periodStart is { } start && today >= start && state is AssignmentState.Assigned or AssignmentState.Acknowledged
            && calendar.WorkingDaysBetween(today, due) <= BlueWithinWorkingDays * 2)
        {
            return calendar.WorkingDaysBetween(today, due) <= BlueWithinWorkingDays ? Light.Blue : Light.Yellow;
        }
        return calendar.WorkingDaysBetween(today, due) <= BlueWithinWorkingDays ? Light.Blue : Light.None;
    }

    public static string Chinese(Light light) => light switch
    {
        Light.Blue => "蓝灯",
        Light.Yellow => "黄灯",
        Light.Red => "红灯",
        _ => "正常",
    };

    public static string Chinese(SupervisionOrderState state) => state switch
    {
        SupervisionOrderState.Open => "待反馈",
        SupervisionOrderState.Answered => "已反馈",
        SupervisionOrderState.Closed => "已销号",
        _ => "已提级督办",
    };
}
