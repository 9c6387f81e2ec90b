namespace CreationWorkflow.Core.Calendar;

/// <summary>The programmes' time zone: dates (deadlines, periods, "today") are China's dates, whatever the server's zone.</summary>
public static class ChinaTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
}
