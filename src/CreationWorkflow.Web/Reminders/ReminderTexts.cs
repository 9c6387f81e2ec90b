using CreationWorkflow.Core;

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

/// <summary>
/// The one set of zh-CN notice texts: every notification the platform writes takes its title and body from here, one
/// template per <see cref="CreationWorkflow.Core.Notifications.NotificationKind"/> (a kind may have variants, e.g. 催办
/// of one assignment or of a unit). Pure functions. The channels render the same text (<see cref="NoticeFormats"/>):
/// plain for mail and SMS, Markdown for the robots.
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
    /// <summary>
    /// The text of one planned reminder (临期提醒, 今日到期, 逾期催办, 逾期上报) of whatever it reminds of: the one switch over
    /// <see cref="Core.Workflows.ReminderKind"/> for assignments, instructions and the road's reviews.
    /// </summary>
    public static ReminderText Of(Core.Workflows.ReminderOccurrence occurrence, ReminderContext c, string recipient, Core.Calendar.WorkingDayCalendar calendar) =>
        occurrence.Kind switch
        {
            Core.Workflows.ReminderKind.BeforeDue => BeforeDue(c, calendar.WorkingDaysBetween(occurrence.Date, c.DueDate)),
            Core.Workflows.ReminderKind.OnDue => OnDue(c),
            Core.Workflows.ReminderKind.Overdue => Overdue(c),
            _ => Escalation(c, recipient),
        };

    public static ReminderText Escalation(ReminderContext c, string recipient) => new(
        $"【逾期上报】{c.Unit}{Subject(c)}已逾期{c.DaysLate}天",
        $"{RecipientName(recipient)}：\n{c.Unit}负责的{What(c)}截止日期为{Date(c.DueDate)}，已逾期{c.DaysLate}天仍未提交，现按规定上报。" +
        $"请督促该单位办理，必要时进行催办或下发督办单。{LinkLine(c)}");

    /// <summary>新交办: a campaign started and gave <paramref name="count"/> assignments to the unit.</summary>
    public static ReminderText Assigned(string campaign, int count, DateOnly earliestDue) => new(
        $"新交办任务{count}项",
        $"「{campaign}」已启动，交办贵单位任务{count}项，最早一项于{Date(earliestDue)}到期。请及时签收并按期办理。");

    /// <summary>任务调整 by the office (改期 / 改派), with its reason.</summary>
    public static ReminderText Changed(string what, string unit, DateOnly dueDate, string reason) => new(
        $"任务调整：{what}",
        $"创建办调整了{what}：承办单位{unit}，截止{Date(dueDate)}。理由：{reason}");

    /// <summary>To the reviewer: <paramref name="unit"/> submitted <paramref name="what"/>.</summary>
    public static ReminderText Submitted(string unit, string what) => new($"待审核：{unit}提交了{what}", $"{unit}已提交{what}，请审核。");

    /// <summary>The unit's submission was returned for rework, with the reviewer's reason.</summary>
    public static ReminderText Returned(string what, string? reason, DateOnly dueDate) => new(
        $"【退回】{what}", $"{what}被退回，理由：{reason}。请修改后重新提交（截止{Date(dueDate)}）。");

    public static ReminderText Approved(string what) => new($"【通过】{what}", $"{what}已审核通过。");

    /// <summary>To the office: the unit asks for a later deadline.</summary>
    public static ReminderText ExtensionRequested(string unit, string what, DateOnly? requested, string? reason) => new(
        $"延期申请：{unit}·{what}",
        $"{unit}申请将{what}延期至{(requested is { } d ? Date(d) : "")}，理由：{reason}。请审批。");

    /// <summary>The unit's extension request was approved: the deadline moved from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static ReminderText ExtensionApproved(string what, DateOnly? before, DateOnly? after) => new(
        $"【延期已批准】{what}",
        $"{what}的截止日期已由{(before is { } b ? Date(b) : "")}调整为{(after is { } a ? Date(a) : "")}。");

    /// <summary>The unit's extension request was refused; the deadline stays.</summary>
    public static ReminderText ExtensionRefused(string what, string? reason, DateOnly dueDate) => new(
        $"【延期未批准】{what}", $"{what}的延期申请未获批准，理由：{reason}。仍须于{Date(dueDate)}前完成。");

    public static ReminderText Cancelled(string what, string? reason) => new($"【撤销】{what}", $"{what}已撤销，理由：{reason}。");

    /// <summary>To a reviewing lead unit: a report's lines it reviews were submitted.</summary>
    public static ReminderText LinesSubmitted(string unit, string? period, IReadOnlyCollection<int> itemNos) => new(
        $"待审核：{unit}报送了{period}进展（{itemNos.Count}项）",
        $"{unit}报送了{period}进展，其中{string.Join("、", itemNos.Select(n => $"第{n}项"))}由贵单位审核。");

    /// <summary>A report's lines (<paramref name="named"/>: 第3项、第5项) returned by their reviewer.</summary>
    public static ReminderText LineReturned(string? period, string named, string? why) => new(
        $"【退回】{period}进展{named}", $"{named}被退回，理由：{why}。请修改后重新提交报告。");

    /// <summary>催办 of one assignment (<paramref name="what"/>) by <paramref name="actor"/> on <paramref name="today"/>.</summary>
    public static ReminderText Urge(string unit, string what, DateOnly dueDate, DateOnly today, int daysLate, string actor, string? note, bool evidence)
    {
        var status = daysLate > 0 ? $"现已逾期{daysLate}天" : dueDate == today ? "今日到期" : $"距截止还有{dueDate.DayNumber - today.DayNumber}天";
        return new(
            daysLate > 0 ? $"【催办】{what}已逾期{daysLate}天" : $"【催办】{what}",
            $"{unit}：{what}的截止日期为{Date(dueDate)}，{status}。{actor}催办"
            + (note is null ? "。" : $"，意见：{note.TrimEnd('。')}。")
            + $"请立即办理并及时报送进展{(evidence ? "、上传台账资料" : "")}；逾期仍未办理的，将下发督办单。");
    }

    /// <summary>催办 of all a unit's late work: <paramref name="named"/> lists the first ones, <paramref name="count"/> counts them all.</summary>
    public static ReminderText UrgeUnit(string unit, DateOnly today, int count, IEnumerable<string> named, bool more, string actor, string? note) => new(
        $"【催办】{unit}逾期任务{count}项",
        $"{unit}：截至{Date(today)}，您单位有{count}项任务已逾期：{string.Join("；", named)}"
        + (more ? $"等{count}项" : "") + $"。{actor}催办"
        + (note is null ? "。" : $"，意见：{note.TrimEnd('。')}。") + "请立即办理并及时报送；逾期仍未办理的，将下发督办单。");

    /// <summary>督办单 <paramref name="order"/> (督办〔2022〕3号) issued to the unit for <paramref name="described"/>.</summary>
    public static ReminderText OrderIssued(string order, string unit, string actor, IReadOnlyCollection<string> described, string requirement, DateOnly rectifyBy) => new(
        $"【督办】{order}：{unit}限期整改",
        $"{unit}：{actor}下发{order}，督办任务{described.Count}项：{string.Join("；", described)}。整改要求：{requirement.TrimEnd('。')}。"
        + $"请于{Date(rectifyBy)}前完成整改，并在督办单中提交整改反馈。");

    /// <summary>整改反馈 received: to the inspectors and the office.</summary>
    public static ReminderText OrderAnswered(string order, string unit, string feedback) => new(
        $"【整改反馈】{unit}反馈{order}",
        $"{unit}已就{order}提交整改反馈：{feedback.TrimEnd('。')}。请审核：整改到位的予以销号，不到位的提级督办。");

    public static ReminderText OrderClosed(string order, string unit, string decision) => new(
        $"【督办销号】{order}", $"{unit}：{order}经审核已销号。意见：{decision.TrimEnd('。')}。");

    public static ReminderText OrderEscalated(string order, string unit, DateOnly rectifyBy, string decision) => new(
        $"【提级督办】{order}：{unit}",
        $"{order}（{unit}，整改期限{Date(rectifyBy)}）已提级督办。意见：{decision.TrimEnd('。')}。");

    /// <summary>督查节点 findings: <paramref name="late"/> of <paramref name="open"/> open assignments late, the latest unit named.</summary>
    public static ReminderText Checkpoint(string checkpoint, DateOnly today, int open, int late, int units, string? latestUnit, int latestDays) => new(
        $"【{checkpoint}】逾期任务{late}项，涉及{units}个单位",
        late == 0
            ? $"{checkpoint}（{Date(today)}）：未办结任务{open}项，无逾期。"
            : $"{checkpoint}（{Date(today)}）：未办结任务{open}项，其中逾期{late}项，涉及{units}个单位；逾期最久的为{latestUnit}（{latestDays}天）。请查看督查记录并督促整改。");

    /// <summary>To the office: an item's self-assessment facts (<paramref name="label"/>: 第3项, 加分事项1) to review.</summary>
    public static ReminderText AssessmentProposed(string actor, string label) => new(
        $"待审核：{label}自评事实已报送", $"{actor}报送了{label}的自评事实和佐证材料，请审核。");

    /// <summary>To the office: a third-party survey rate to review.</summary>
    public static ReminderText RateProposed(string actor, string label, decimal rate, string source) => new(
        $"待审核：{label}第三方评估结果",
        $"{actor}录入了{label}的第三方评估结果（{rate.ToString("0.##", CultureInfo.InvariantCulture)}%，来源：{source.Trim()}），请审核。");

    public static ReminderText AssessmentReturned(string label, string? reason) => new(
        $"【退回】{label}自评事实", $"{label}的自评事实被退回，理由：{reason}。请补充后重新报送。");

    /// <summary>The 90-point gate opened: the reviewed total reached the minimum; the application goes to <paramref name="body"/>.</summary>
    public static ReminderText GateOpened(decimal total, decimal minimum, string body, string standard) => new(
        $"【验收申请已开启】审核自评分{Display.Number(total)}分，已达{Display.Number(minimum)}分",
        $"经审核的自评分已达到{Display.Number(total)}分（不低于{Display.Number(minimum)}分），可按程序向{body}提出验收申请（{standard}）。");

    public static ReminderText GateClosed(decimal total, decimal minimum) => new(
        $"【验收申请已关闭】审核自评分{Display.Number(total)}分，低于{Display.Number(minimum)}分",
        $"经审核的自评分降至{Display.Number(total)}分，差{Display.Number(minimum - total)}分达到{Display.Number(minimum)}分，验收申请暂不可提交。");

    /// <summary>未读升级 to the 领导小组: a unit's notice unread past the working hours.</summary>
    public static ReminderText UnreadEscalation(string recipient, string createdAt, string title, int workingHours, string? link) => new(
        $"【未读升级】{recipient}有通知超过{workingHours}个工作小时未读",
        $"{RecipientName(Recipients.Leaders)}：\n{recipient}于{createdAt}收到的通知“{title}”，超过{workingHours}个工作小时仍未阅读。请督促该单位及时查看和办理。"
            + (link is { Length: > 0 } ? $"\n办理入口：{link}" : ""));

    /// <summary>未读升级 to the unit's 分管领导 (its channels): the unit's own notice unread past the working hours.</summary>
    public static ReminderText UnreadEscalationToUnitLeader(string unit, string createdAt, string title, int workingHours, string? link) => new(
        $"【未读升级】{unit}有通知超过{workingHours}个工作小时未读",
        $"{unit}分管领导：\n本单位于{createdAt}收到的通知“{title}”，超过{workingHours}个工作小时仍未阅读。请督促及时查看和办理。"
            + (link is { Length: > 0 } ? $"\n办理入口：{link}" : ""));

    /// <summary>测试发送: what the office sends to check a contact's channel.</summary>
    public static ReminderText ChannelTest(string unit, string contact, string channel, DateTimeOffset at) => new(
        $"【测试消息】{channel}通道测试",
        $"{contact}（{unit}）：这是民族团结进步创建工作平台发送的测试消息（{at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}）。收到即表示{channel}通道配置正确，无需回复。");

    /// <summary>通报 issued: a campaign's bulletin for <paramref name="period"/> (2022年3月) is ready to read and download.</summary>
    public static ReminderText BulletinIssued(string recipient, string campaign, string title, string period, DateOnly asOf, string summary, string link) => new(
        $"【{title}】{campaign}{period}",
        $"{RecipientName(recipient)}：\n{campaign}{period}{title}已印发（数据截至{Date(asOf)}）。{summary}" +
        $"\n请登录平台查看和下载（DOCX、XLSX），对照通报抓好整改落实。\n查看入口：{link}");

    /// <summary>领导批示 to the named units: a leader's instruction on <paramref name="subject"/>, to be handled by <paramref name="due"/>.</summary>
    public static ReminderText InstructionIssued(string leader, string subject, string text, DateOnly due, IReadOnlyCollection<string> units) => new(
        $"【领导批示】{subject}",
        $"{string.Join("、", units)}：\n{leader}对{subject}作出批示：“{text.Trim()}”。请认真抓好落实，于{Date(due)}前在平台报送办理情况。");

    /// <summary>A named unit's 办理情况 of an instruction, to the leaders.</summary>
    public static ReminderText InstructionAnswered(string unit, string subject, string answer, int pending) => new(
        $"【批示办理】{unit}报送{subject}批示办理情况",
        $"{RecipientName(Recipients.Leaders)}：\n{unit}已报送对{subject}批示的办理情况：{answer.Trim().TrimEnd('。')}。"
        + (pending > 0 ? $"尚有{pending}个单位未报送。" : "各单位均已报送，请审阅后办结。"));

    /// <summary>The leader closed an instruction (办结), to the named units.</summary>
    public static ReminderText InstructionClosed(string subject, string leader, string note) => new(
        $"【批示办结】{subject}",
        $"{leader}对{subject}的批示已办结。意见：{note.Trim().TrimEnd('。')}。");

    /// <summary>The step name the deadline reminders of an instruction carry (临期提醒, 今日到期, 逾期催办, 逾期上报 use their usual texts).</summary>
    public const string InstructionStep = "领导批示办理";

    /// <summary>The step the deadline reminders of a 督办单 name: the unit's 整改反馈 by the 整改期限.</summary>
    public const string OrderStep = "督办整改反馈";

    /// <summary>The step a road reminder names: the yearly self-check of the 巩固提升 term.</summary>
    public const string RoadReviewStep = "巩固提升年度复核";

    /// <summary>To the office: a county changed (<paramref name="deleted"/>: deleted) a place of the register after the office returned it or before its review.</summary>
    public static ReminderText PlaceChanged(string division, string name, bool deleted, string? returnedFor) => new(
        deleted ? $"【台账删除】{division}删除了「{name}」" : $"待审核：{division}修改了「{name}」",
        deleted
            ? $"{division}已从创建单位台账中删除「{name}」" + (returnedFor is { } r ? $"（退回理由：{r.TrimEnd('。')}）。" : "。")
            : $"{division}已修改创建单位「{name}」" + (returnedFor is { } why ? $"（退回理由：{why.TrimEnd('。')}）" : "") + "，请重新审核。");

    /// <summary>互观互检 assigned, to the inspecting unit: the unit it inspects and the items (第N项…), each with its checklist.</summary>
    public static ReminderText PeerInspectionAssigned(string inspector, string inspected, IReadOnlyCollection<string> items, string phase) => new(
        $"【互观互检】请检查{inspected}牵头的{items.Count}项测评内容",
        $"{inspector}：\n创建工作办公室已在{phase}阶段安排您单位对{inspected}开展互观互检，检查其牵头的{string.Join("、", items)}。" +
        "请逐条对照检查清单记录“符合”或“不符合”（不符合须写明问题并可附现场照片），全部记录后在平台提交互查结果。");

    /// <summary>互查结果 submitted, to the inspected unit or the office: how many lines did not conform.</summary>
    public static ReminderText PeerInspectionSubmitted(string recipient, string inspector, string inspected, string item, int lines, int failing) => new(
        $"【互查结果】{inspector}已提交对{inspected}{item}的检查结果",
        $"{RecipientName(recipient)}：\n{inspector}已提交对{inspected}牵头的{item}的互观互检结果，共{lines}条，" +
        (failing == 0 ? "均符合。" : $"其中{failing}条不符合。") +
        (recipient == Recipients.Office
            ? (failing == 0 ? "请审阅后办结。" : "请审阅检查发现，需要整改的下发督办单，处理后办结。")
            : (failing == 0 ? "检查发现已记入该测评内容的审核。" : "检查发现已记入该测评内容的审核，请对照问题抓好整改。")));

    /// <summary>互查任务 cancelled by the office, to the inspecting unit, with the reason.</summary>
    public static ReminderText PeerInspectionCancelled(string inspector, string inspected, string item, string reason) => new(
        $"【互查撤销】对{inspected}{item}的互查任务已撤销",
        $"{inspector}：\n创建工作办公室已撤销您单位对{inspected}牵头的{item}的互查任务，无需再填写检查清单。撤销理由：{reason.Trim().TrimEnd('。')}。");

    /// <summary>Points as notices write them: 91, 89.5.</summary>

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
