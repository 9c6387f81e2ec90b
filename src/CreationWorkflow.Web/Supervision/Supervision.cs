using CreationWorkflow.Core.Supervision;

namespace CreationWorkflow.Web.Supervision;

public static class Supervision
{
    /// <summary>The programmes' time zone: dates are China's dates.</summary>
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);

    public static string Chinese(SupervisionOrderState state) => state switch
    {
        SupervisionOrderState.Open => "待反馈",
        SupervisionOrderState.Answered => "已反馈",
        SupervisionOrderState.Closed => "已销号",
        _ => "已提级督办",
    };
}
