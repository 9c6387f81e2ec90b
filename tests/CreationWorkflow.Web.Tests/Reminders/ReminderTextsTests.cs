using CreationWorkflow.Web.Reminders;

namespace CreationWorkflow.Web.Tests.Reminders;

public sealed class ReminderTextsTests
{
    private static readonly ReminderContext Context = new()
    {
        Unit = "市教育局",
        ItemNo = 12,
        ItemText = "将民族团结进步教育纳入国民教育全过程，推进民族团结进步教育进学校、进课堂、进头脑",
        StepName = "进展填报",
        DueDate = new DateOnly(2022, 5, 20),
        Link = "/assignments/7d1c",
    };

    private static readonly ReminderContext Late = Context with { DaysLate = 3 };

    private const string Item = "第12项“将民族团结进步教育纳入国民教育全过程，推进民族…”";

    public static TheoryData<string, ReminderText> AllKinds() => new()
    {
        { NotificationKinds.DueSoon, ReminderTexts.BeforeDue(Context, 2) },
        { NotificationKinds.Due, ReminderTexts.OnDue(Context) },
        { NotificationKinds.Overdue, ReminderTexts.Overdue(Late) },
        { NotificationKinds.Escalation, ReminderTexts.Escalation(Late, Recipients.Inspectors) },
        { NotificationKinds.Urge, ReminderTexts.Urge(Late, "督查组张三", "请本周内报送佐证材料") },
        { NotificationKinds.SupervisionOrder, ReminderTexts.SupervisionOrderIssued(Late, 2022, 3, "限期补报进展并说明原因", new DateOnly(2022, 6, 2)) },
        { NotificationKinds.RectificationFeedback, ReminderTexts.RectificationFeedbackReceived(Late, 2022, 3, "已补报进展材料") },
        { NotificationKinds.ExtensionApproved, ReminderTexts.ExtensionApproved(Context, new DateOnly(2022, 6, 10)) },
        { NotificationKinds.ExtensionRefused, ReminderTexts.ExtensionRefused(Late, "理由不充分") },
        { NotificationKinds.Returned, ReminderTexts.ReturnedForRework(Context, "佐证材料不全") },
    };

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Every_text_names_the_item_the_step_the_deadline_and_the_link(string kind, ReminderText text)
    {
        Assert.True(kind.Length <= 32);
        Assert.True(text.Title.Length <= 300, text.Title);
        Assert.Contains("第12项", text.Title);
        Assert.Contains("进展填报", text.Title + text.Body);
        Assert.Contains(Item, text.Body);
        Assert.Contains("（进展填报环节）", text.Body);
        Assert.Contains("2022年5月20日", text.Body);
        Assert.EndsWith("\n办理入口：/assignments/7d1c", text.Body, StringComparison.Ordinal);
        Assert.Contains("请", text.Body); // what to do
    }

    [Fact]
    public void Texts_say_how_much_time_is_left_or_how_late_and_what_each_kind_adds()
    {
        var soon = ReminderTexts.BeforeDue(Context, 2);
        Assert.Equal($"【临期提醒】{Item}进展填报还剩2个工作日到期", soon.Title);
        Assert.StartsWith($"市教育局：\n您单位负责的{Item}（进展填报环节）将于2022年5月20日到期，还剩2个工作日。", soon.Body, StringComparison.Ordinal);

        Assert.Contains("今天（2022年5月20日）到期", ReminderTexts.OnDue(Context).Body);

        var overdue = ReminderTexts.Overdue(Late);
        Assert.StartsWith("【已逾期3天】", overdue.Title, StringComparison.Ordinal);
        Assert.Contains("已逾期3天", overdue.Body);

        var escalation = ReminderTexts.Escalation(Late, Recipients.Office);
        Assert.StartsWith("【逾期上报】市教育局第12项", escalation.Title, StringComparison.Ordinal);
        Assert.StartsWith("创建工作办公室：\n市教育局负责的", escalation.Body, StringComparison.Ordinal);
        Assert.Contains("督查组：", ReminderTexts.Escalation(Late, Recipients.Inspectors).Body);

        var urge = ReminderTexts.Urge(Late, "督查组张三", "请本周内报送佐证材料");
        Assert.Contains("督查组张三对您单位负责的", urge.Body);
        Assert.Contains("\n催办意见：请本周内报送佐证材料\n", urge.Body);
        Assert.Contains("已逾期3天", urge.Body);
        Assert.DoesNotContain("催办意见", ReminderTexts.Urge(Context, "张三", null).Body);
        Assert.Contains("尚未逾期", ReminderTexts.Urge(Context, "张三", null).Body);

        var order = ReminderTexts.SupervisionOrderIssued(Late, 2022, 3, "限期补报进展并说明原因", new DateOnly(2022, 6, 2));
        Assert.Equal($"【督办〔2022〕3号】{Item}进展填报限2022年6月2日前整改", order.Title);
        Assert.Contains("现下发督办〔2022〕3号督办单", order.Body);
        Assert.Contains("\n督办要求：限期补报进展并说明原因\n请于2022年6月2日前完成整改", order.Body);

        var feedback = ReminderTexts.RectificationFeedbackReceived(Late, 2022, 3, "已补报进展材料");
        Assert.Equal($"【整改反馈】市教育局已反馈督办〔2022〕3号：{Item}进展填报", feedback.Title);
        Assert.StartsWith("督查组：\n", feedback.Body, StringComparison.Ordinal);
        Assert.Contains("反馈内容：已补报进展材料", feedback.Body);

        var approved = ReminderTexts.ExtensionApproved(Context, new DateOnly(2022, 6, 10));
        Assert.EndsWith("延至2022年6月10日", approved.Title, StringComparison.Ordinal);
        Assert.Contains("截止日期由2022年5月20日延至2022年6月10日", approved.Body);

        var refused = ReminderTexts.ExtensionRefused(Late, "理由不充分");
        Assert.Contains("未获批准。\n原因：理由不充分\n截止日期仍为2022年5月20日，已逾期3天", refused.Body);

        var returned = ReminderTexts.ReturnedForRework(Context, "佐证材料不全");
        Assert.Contains("被退回修改。\n退回原因：佐证材料不全\n", returned.Body);
    }

    [Fact]
    public void Items_without_a_number_or_text_periods_and_missing_links_read_naturally()
    {
        Assert.Equal("本项工作", ReminderTexts.Item(new ReminderContext { Unit = "u", StepName = "自评自查" }));
        Assert.Equal("第5项", ReminderTexts.Item(new ReminderContext { Unit = "u", StepName = "s", ItemNo = 5 }));
        Assert.Equal("“短文本”", ReminderTexts.Item(new ReminderContext { Unit = "u", StepName = "s", ItemText = " 短文本 " }));

        var quarterly = ReminderTexts.OnDue(Context with { PeriodLabel = "2022年第二季度", Link = null });
        Assert.Contains("进展填报环节，2022年第二季度）", quarterly.Body);
        Assert.Contains("2022年第二季度进展填报", quarterly.Title);
        Assert.DoesNotContain("办理入口", quarterly.Body);

        Assert.Equal("2022年1月5日", ReminderTexts.Date(new DateOnly(2022, 1, 5)));
        Assert.Equal("督办〔2022〕3号", ReminderTexts.OrderTitle(2022, 3));
    }
}
