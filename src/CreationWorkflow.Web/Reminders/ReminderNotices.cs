using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Assignments;

namespace CreationWorkflow.Web.Reminders;

public sealed record Notice(string Title, string Body);

/// <summary>The zh-CN words of a deadline reminder: which item, which step, which deadline, how late, what to do.</summary>
public static class ReminderNotices
{
    public static Notice For(ReminderOccurrence occurrence, AssignmentRecord a, WorkflowStep step, string? itemText, int workingDaysLeft)
    {
        var what = Describe(a, step, itemText);
        var deadline = $"{a.DueDate:yyyy年M月d日}";
        var late = occurrence.Date.DayNumber - a.DueDate.DayNumber;
        return occurrence.Kind switch
        {
            ReminderKind.BeforeDue => new($"【提醒】{what}还有{workingDaysLeft}个工作日到期",
                $"{a.Unit}：{what}将于{deadline}到期（还有{workingDaysLeft}个工作日）。请按要求办理{(a.Evidence ? "并上传台账资料" : "")}。"),
            ReminderKind.OnDue => new($"【今日到期】{what}",
                $"{a.Unit}：{what}今日（{deadline}）到期。请于今日内办理{(a.Evidence ? "并上传台账资料" : "")}；确需延期的，请提出延期申请。"),
            ReminderKind.Overdue => new($"【催办】{what}已逾期{late}天",
                $"{a.Unit}：{what}已于{deadline}到期，现已逾期{late}天。请立即办理；逾期未办的将报督查室督办。"),
            _ => new($"【督办】{a.Unit}{what}逾期{late}天未办",
                $"{a.Unit}的{what}已于{deadline}到期，逾期{late}天仍未办理，已超过催办时限，请督查室和创建办跟进督办。"),
        };
    }

    public static string Describe(AssignmentRecord a, WorkflowStep step, string? itemText)
    {
        var item = a.ItemNo is { } no ? $"第{no}项「{Short(itemText)}」" : "";
        var period = a.PeriodLabel is { } p ? $"（{p}）" : "";
        return $"{item}{step.Name}{period}";
    }

    private static string Short(string? text) =>
        text is null ? "" : text.Length <= 24 ? text.TrimEnd('。') : text[..24] + "…";
}
