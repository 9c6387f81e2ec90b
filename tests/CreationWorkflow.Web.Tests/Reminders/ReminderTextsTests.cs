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

    public static TheoryData<NotificationKind, ReminderText> ReminderKinds() => new()
    {
        { NotificationKind.DueSoon, ReminderTexts.BeforeDue(Context, 2) },
        { NotificationKind.Due, ReminderTexts.OnDue(Context) },
        { NotificationKind.Overdue, ReminderTexts.Overdue(Late) },
        { NotificationKind.Escalation, ReminderTexts.Escalation(Late, Recipients.Inspectors) },
    };

    [Theory]
    [MemberData(nameof(ReminderKinds))]
    public void Every_reminder_names_the_item_the_step_the_deadline_and_the_link(NotificationKind kind, ReminderText text)
    {
        Assert.True(kind.Spelling().Length <= 32);
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
    public void Every_kind_has_one_spelling_and_older_spellings_still_read()
    {
        var spellings = NotificationKinds.All.Select(k => k.Spelling()).ToList();
        Assert.Equal(Enum.GetValues<NotificationKind>().Length, spellings.Distinct().Count());
        Assert.All(spellings, s => Assert.Matches("^[a-z]+(-[a-z]+)*$", s));
        Assert.All(NotificationKinds.All, k => Assert.Equal(k, NotificationKinds.Parse(k.Spelling())));
        Assert.Equal(NotificationKind.DueSoon, NotificationKinds.Parse("BeforeDue"));
        Assert.Equal(NotificationKind.OrderIssued, NotificationKinds.Parse("order.issued"));
        Assert.Equal(NotificationKind.Submitted, NotificationKinds.Parse("Submit"));
        Assert.Null(NotificationKinds.TryParse("gate-open"));
        Assert.All(Enum.GetValues<CreationWorkflow.Core.Workflows.ReminderKind>(), r => Assert.Equal(r.ToString(),
            NotificationKinds.Legacy.Single(kv => kv.Value == NotificationKinds.Of(r)).Key));
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

        var urge = ReminderTexts.Urge("市教育局", "第12项进展填报", new DateOnly(2022, 5, 20), new DateOnly(2022, 5, 25), 3, "督查组张三", "请本周内报送佐证材料", evidence: true);
        Assert.Equal("【催办】第12项进展填报已逾期3天", urge.Title);
        Assert.Contains("截止日期为2022年5月20日，现已逾期3天。督查组张三催办，意见：请本周内报送佐证材料。", urge.Body);
        Assert.Contains("上传台账资料", urge.Body);
        Assert.Contains("今日到期", ReminderTexts.Urge("u", "w", new DateOnly(2022, 5, 20), new DateOnly(2022, 5, 20), 0, "张三", null, false).Body);

        var order = ReminderTexts.OrderIssued("督办〔2022〕3号", "市教育局", "督查组", ["第12项进展填报", "第13项进展填报"], "限期补报进展并说明原因。", new DateOnly(2022, 6, 2));
        Assert.Equal("【督办】督办〔2022〕3号：市教育局限期整改", order.Title);
        Assert.Contains("督办任务2项：第12项进展填报；第13项进展填报。整改要求：限期补报进展并说明原因。请于2022年6月2日前", order.Body);

        var gate = ReminderTexts.GateOpened(91.5m, 90m, "国家民委", "民办发〔2020〕4号");
        Assert.Equal("【验收申请已开启】审核自评分91.5分，已达90分", gate.Title);
        Assert.Contains("差0.5分", ReminderTexts.GateClosed(89.5m, 90m).Body);

        var approved = ReminderTexts.ExtensionApproved("第12项进展填报", new DateOnly(2022, 5, 20), new DateOnly(2022, 6, 10));
        Assert.Contains("截止日期已由2022年5月20日调整为2022年6月10日", approved.Body);
        Assert.Contains("理由不充分。仍须于2022年5月20日前完成", ReminderTexts.ExtensionRefused("w", "理由不充分", new DateOnly(2022, 5, 20)).Body);
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
