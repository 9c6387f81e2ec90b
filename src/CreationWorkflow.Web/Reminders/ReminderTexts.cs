using System.Globalization;

namespace CreationWorkflow.Web.Reminders;

/// <summary>
/// What a notification is about, as its caller knows it: the responsible unit, the item (第N项 + its text), the step,
/// the deadline, how late it is now, and the page to act on.
/// </summary>
public sealed record ReminderContext
{
    /// <summary>The responsible unit (责任单位), e.g. "市民宗委".</summary>
    public required string Unit { get; init; }

    /// <summary>The item's number in the programme (第N项); null for work not tied to one item.</summary>
    public int? ItemNo { get; init; }

    /// <summary>The item's text; shortened in the texts.</summary>
    public string? ItemText { get; init; }

    /// <summary>The workflow step's name, e.g. "进展填报", "自评自查".</summary>
    public required string StepName { get; init; }

    /// <summary>The period of a recurring step, e.g. "2022年第二季度".</summary>
    public string? PeriodLabel { get; init; }

    /// <summary>The deadline in force.</summary>
    public DateOnly DueDate { get; init; }

    /// <summary>Days past <see cref="DueDate"/>; 0 when not late.</summary>
    public int DaysLate { get; init; }

    /// <summary>Where to act (absolute, or relative to the platform's base URL).</summary>
    public string? Link { get; init; }
}

/// <summary>A notification's title and body.</summary>
public readonly record struct ReminderText(string Title, string Body);

/// <summary>The <see cref="NotificationRecord.Kind"/> values of the texts in <see cref="ReminderTexts"/>.</summary>
public static class NotificationKinds
{
    public const string DueSoon = "due-soon";
    public const string Due = "due";
    public const string Overdue = "overdue";
    public const string Escalation = "escalation";
    public const string Urge = "urge";
    public const string SupervisionOrder = "supervision-order";
    public const string RectificationFeedback = "rectification-feedback";
    public const string ExtensionApproved = "extension-approved";
    public const string ExtensionRefused = "extension-refused";
    public const string Returned = "returned";
    public const string Bulletin = "bulletin";
}

/// <summary>
/// The zh-CN texts of notifications (shown in-app and listed in the mail digest). Pure functions: each says which
/// item, which step, which deadline, how late, what to do, and where.
/// </summary>
public static class ReminderTexts
{
    private const int ItemTextLength = 24;

    /// <summary>Before the deadline: <paramref name="workingDaysLeft"/> working days left.</summary>
    public static ReminderText BeforeDue(ReminderContext c, int workingDaysLeft) => new(
        $"【临期提醒】{Subject(c)}还剩{workingDaysLeft}个工作日到期",
        $"{c.Unit}：\n您单位负责的{What(c)}将于{Date(c.DueDate)}到期，还剩{workingDaysLeft}个工作日。" +
        $"请在截止日期前完成并在平台提交；确有困难的，请在到期前申请延期。{LinkLine(c)}");

    /// <summary>On the deadline.</summary>
    public static ReminderText OnDue(ReminderContext c) => new(
        $"【今日到期】{Subject(c)}今天到期",
        $"{c.Unit}：\n您单位负责的{What(c)}今天（{Date(c.DueDate)}）到期，尚未提交。" +
        $"请于今日内完成并在平台提交，逾期将按规定通报。{LinkLine(c)}");

    /// <summary>After the deadline: <see cref="ReminderContext.DaysLate"/> days late.</summary>
    public static ReminderText Overdue(ReminderContext c) => new(
        $"【已逾期{c.DaysLate}天】{Subject(c)}",
        $"{c.Unit}：\n您单位负责的{What(c)}截止日期为{Date(c.DueDate)}，已逾期{c.DaysLate}天，仍未提交。" +
        $"请立即办理并在平台提交；如有特殊情况，请说明原因并申请延期。{LinkLine(c)}");

    /// <summary>
    /// To the inspectors or the office (<paramref name="recipient"/>: <see cref="Recipients.Inspectors"/>,
    /// <see cref="Recipients.Office"/>, <see cref="Recipients.Leaders"/>): a unit's work is too late.
    /// </summary>
    public static ReminderText Escalation(ReminderContext c, string recipient) => new(
        $"【逾期上报】{c.Unit}{Subject(c)}已逾期{c.DaysLate}天",
        $"{RecipientName(recipient)}：\n{c.Unit}负责的{What(c)}截止日期为{Date(c.DueDate)}，已逾期{c.DaysLate}天仍未提交，现按规定上报。" +
        $"请督促该单位办理，必要时进行催办或下发督办单。{LinkLine(c)}");

    /// <summary>催办: an inspector urges the unit, with a note.</summary>
    public static ReminderText Urge(ReminderContext c, string inspector, string? note) => new(
        $"【催办】{Subject(c)}",
        $"{c.Unit}：\n{inspector}对您单位负责的{What(c)}进行催办。截止日期为{Date(c.DueDate)}，{Lateness(c)}。" +
        (string.IsNullOrWhiteSpace(note) ? "" : $"\n催办意见：{note.Trim()}") +
        $"\n请尽快办理并在平台提交。{LinkLine(c)}");

    /// <summary>督办单 issued to the unit: 督办〔<paramref name="year"/>〕<paramref name="number"/>号, with a rectification deadline.</summary>
    public static ReminderText SupervisionOrderIssued(ReminderContext c, int year, int number, string requirement, DateOnly rectifyBy) => new(
        $"【{OrderTitle(year, number)}】{Subject(c)}限{Date(rectifyBy)}前整改",
        $"{c.Unit}：\n您单位负责的{What(c)}截止日期为{Date(c.DueDate)}，{Lateness(c)}，现下发{OrderTitle(year, number)}督办单。" +
        $"\n督办要求：{requirement.Trim()}" +
        $"\n请于{Date(rectifyBy)}前完成整改，并在平台提交整改反馈。{LinkLine(c)}");

    /// <summary>整改反馈 received: to the inspectors (or <paramref name="recipient"/>), the unit answered the order.</summary>
    public static ReminderText RectificationFeedbackReceived(ReminderContext c, int year, int number, string feedback, string recipient = Recipients.Inspectors) => new(
        $"【整改反馈】{c.Unit}已反馈{OrderTitle(year, number)}：{Subject(c)}",
        $"{RecipientName(recipient)}：\n{c.Unit}已就{OrderTitle(year, number)}（{What(c)}，截止日期{Date(c.DueDate)}，{Lateness(c)}）提交整改反馈。" +
        $"\n反馈内容：{feedback.Trim()}" +
        $"\n请审核整改情况，决定办结或继续督办。{LinkLine(c)}");

    /// <summary>The unit's extension request was approved: the new deadline is <paramref name="newDueDate"/>.</summary>
    public static ReminderText ExtensionApproved(ReminderContext c, DateOnly newDueDate) => new(
        $"【延期已批准】{Subject(c)}延至{Date(newDueDate)}",
        $"{c.Unit}：\n您单位对{What(c)}的延期申请已批准，截止日期由{Date(c.DueDate)}延至{Date(newDueDate)}。" +
        $"请在新的截止日期前完成并在平台提交。{LinkLine(c)}");

    /// <summary>The unit's extension request was refused; the deadline stays.</summary>
    public static ReminderText ExtensionRefused(ReminderContext c, string? reason) => new(
        $"【延期未批准】{Subject(c)}",
        $"{c.Unit}：\n您单位对{What(c)}的延期申请未获批准。" +
        (string.IsNullOrWhiteSpace(reason) ? "" : $"\n原因：{reason.Trim()}") +
        $"\n截止日期仍为{Date(c.DueDate)}，{Lateness(c)}，请抓紧办理并在平台提交。{LinkLine(c)}");

    /// <summary>The unit's submission was returned for rework, with the reviewer's reason.</summary>
    public static ReminderText ReturnedForRework(ReminderContext c, string reason) => new(
        $"【退回修改】{Subject(c)}",
        $"{c.Unit}：\n您单位提交的{What(c)}被退回修改。\n退回原因：{reason.Trim()}" +
        $"\n请按意见修改后重新提交。截止日期为{Date(c.DueDate)}，{Lateness(c)}。{LinkLine(c)}");

    /// <summary>通报 issued: a campaign's bulletin for <paramref name="period"/> (2022年3月) is ready to read and download.</summary>
    public static ReminderText BulletinIssued(string recipient, string campaign, string title, string period, DateOnly asOf, string summary, string link) => new(
        $"【{title}】{campaign}{period}",
        $"{RecipientName(recipient)}：\n{campaign}{period}{title}已印发（数据截至{Date(asOf)}）。{summary}" +
        $"\n请登录平台查看和下载（DOCX、XLSX），对照通报抓好整改落实。\n查看入口：{link}");

    /// <summary>A date as written in Chinese documents: 2022年5月6日.</summary>
    public static string Date(DateOnly date) =>
        date.ToString("yyyy'年'M'月'd'日'", CultureInfo.InvariantCulture);

    /// <summary>督办〔2022〕3号.</summary>
    public static string OrderTitle(int year, int number) => $"督办〔{year}〕{number}号";

    /// <summary>第3项“制定创建工作方案…”, or the item text alone, or 本项工作.</summary>
    public static string Item(ReminderContext c)
    {
        var text = Shorten(c.ItemText);
        return (c.ItemNo, text) switch
        {
            ({ } no, { } t) => $"第{no}项“{t}”",
            ({ } no, null) => $"第{no}项",
            (null, { } t) => $"“{t}”",
            _ => "本项工作",
        };
    }

    /// <summary>An assignment as notices name it: 第3项“…”进展填报（2022年3月）.</summary>
    public static string Describe(int? itemNo, string? itemText, string stepName, string? periodLabel) =>
        $"{Item(new ReminderContext { Unit = "", ItemNo = itemNo, ItemText = itemText, StepName = stepName })}{stepName}"
        + (periodLabel is { } period ? $"（{period}）" : "");

    public static string RecipientName(string recipient) => recipient switch
    {
        Recipients.Office => "创建工作办公室",
        Recipients.Inspectors => "督查组",
        Recipients.Leaders => "创建工作领导小组",
        _ => recipient,
    };

    // ----------------------------------------------------------------

    /// <summary>Item and step for a title: 第3项“…”进展填报.</summary>
    private static string Subject(ReminderContext c) =>
        c.PeriodLabel is { Length: > 0 } period ? $"{Item(c)}{period}{c.StepName}" : $"{Item(c)}{c.StepName}";

    /// <summary>Item, step and period for a body: 第3项“…”（进展填报环节，2022年第二季度）.</summary>
    private static string What(ReminderContext c) =>
        c.PeriodLabel is { Length: > 0 } period
            ? $"{Item(c)}（{c.StepName}环节，{period}）"
            : $"{Item(c)}（{c.StepName}环节）";

    private static string Lateness(ReminderContext c) => c.DaysLate > 0 ? $"已逾期{c.DaysLate}天" : "尚未逾期";

    private static string LinkLine(ReminderContext c) => c.Link is { Length: > 0 } link ? $"\n办理入口：{link}" : "";

    private static string? Shorten(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var t = text.Trim().ReplaceLineEndings(" ");
        var chars = t.EnumerateRunes().ToList();
        return chars.Count <= ItemTextLength ? t : string.Concat(chars.Take(ItemTextLength - 1).Select(r => r.ToString())) + "…";
    }
}
