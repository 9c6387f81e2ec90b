namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>Plans of the shipped definitions: counts computed from the programme, windows, periods and due dates.</summary>
public class CampaignPlannerTests
{
    private static readonly Programme Hechi = Repo.Hechi;
    private static readonly WorkingDayCalendar Cn = Repo.Calendar;
    private static readonly DateOnly TemplateStart = new(2021, 12, 1);

    private static CampaignPlan PlanHechi(DateOnly start) => CampaignPlanner.Plan(Hechi, Repo.HechiWorkflow, start, Cn);

    private static readonly Lazy<CampaignPlan> asWritten = new(() => PlanHechi(TemplateStart));
    private static CampaignPlan AsWritten => asWritten.Value;

    private static IEnumerable<PlannedAssignment> Step(CampaignPlan plan, string stepId) => plan.Assignments.Where(a => a.StepId == stepId);

    private static IReadOnlyList<Unit> Leads(Item item) => Hechi.Units.ExpandAll(item.LeadUnits);

    private static IReadOnlyList<Unit> ResponsibleNotLead(Item item) => Hechi.Units.ExpandAll(item.ResponsibleUnits).Except(Leads(item)).ToList();

    [Fact]
    public void Phase_windows_are_the_documents_months_at_the_template_start()
    {
        Assert.Equal(0, AsWritten.OffsetDays);
        Assert.Equal(
            [
                new PhaseWindow("mobilization", "动员部署", new(2021, 12, 1), new(2021, 12, 31)),
                new PhaseWindow("fullPush", "全面推进", new(2022, 1, 1), new(2022, 11, 30)),
                new PhaseWindow("midTerm", "中期评估", new(2022, 11, 1), new(2022, 12, 31)),
                new PhaseWindow("acceptance", "深入推进和总结验收", new(2023, 1, 1), new(2023, 6, 30)),
            ],
            AsWritten.Phases);
    }

    [Fact]
    public void Counts_follow_from_the_items_and_their_units()
    {
        var leadDuties = Hechi.Items.Sum(i => Leads(i).Count);
        var responsibleDuties = Hechi.Items.Sum(i => ResponsibleNotLead(i).Count);
        Assert.Equal(leadDuties, Step(AsWritten, "acknowledge").Count());
        Assert.Equal(leadDuties, Step(AsWritten, "measures").Count());
        Assert.Equal(11 * responsibleDuties, Step(AsWritten, "progress").Count());
        Assert.Equal(4 * leadDuties, Step(AsWritten, "consolidate").Count());
        Assert.Equal(leadDuties, Step(AsWritten, "selfScore").Count());
        Assert.Equal(leadDuties, Step(AsWritten, "selfInspection").Count());
        Assert.Single(Step(AsWritten, "apply"));
        Assert.Equal(leadDuties * 8 + responsibleDuties * 11 + 1, AsWritten.Assignments.Count);
        // Pinned as well, so a seed change that moves the numbers is seen.
        Assert.Equal((96, 2345), (leadDuties, responsibleDuties)); // checked independently of the C# expansion
    }

    [Fact]
    public void Every_due_date_is_a_working_day_inside_its_phase_and_every_key_is_unique()
    {
        var windows = AsWritten.Phases.ToDictionary(p => p.PhaseId);
        Assert.All(AsWritten.Assignments, a =>
        {
            Assert.True(Cn.IsWorkingDay(a.Due), $"{a.Key} due {a.Due}");
            Assert.True(windows[a.Phase].Contains(a.Due), $"{a.Key} due {a.Due}");
        });
        Assert.Equal(AsWritten.Assignments.Count, AsWritten.Assignments.Select(a => a.Key).Distinct().Count());
    }

    [Fact]
    public void The_plan_is_deterministic()
    {
        Assert.Equal(AsWritten.Assignments, PlanHechi(TemplateStart).Assignments);
        Assert.Equal(
            ["acknowledge", "measures", "progress", "consolidate", "selfScore", "selfInspection", "apply"],
            AsWritten.Assignments.Select(a => a.StepId).Distinct());
    }

    [Fact]
    public void Due_dates_as_written()
    {
        DateOnly Due(string step) => Step(AsWritten, step).Select(a => a.Due).Distinct().Single();
        Assert.Equal(new DateOnly(2021, 12, 8), Due("acknowledge")); // Wed 1 Dec + 5 working days
        Assert.Equal(new DateOnly(2021, 12, 31), Due("measures"));
        Assert.Equal(new DateOnly(2022, 12, 16), Due("selfScore")); // 30 Dec (31st is 元旦) − 10
        Assert.Equal(new DateOnly(2023, 6, 1), Due("selfInspection")); // Fri 30 Jun − 20, counting the worked Sunday 25 Jun
        Assert.Equal(new DateOnly(2023, 6, 30), Due("apply"));
    }

    [Fact]
    public void Monthly_and_quarterly_periods_of_full_push()
    {
        var months = Step(AsWritten, "progress").Select(a => a.Period!).Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, 11).Select(m => $"2022年{m}月"), months.Select(p => p.Label));
        Assert.Equal(new Period(10, "2022年10月", new(2022, 10, 1), new(2022, 10, 31)), months[9]);

        var quarters = Step(AsWritten, "consolidate").Select(a => a.Period!).Distinct().ToList();
        Assert.Equal(["第1季度", "第2季度", "第3季度", "第4季度"], quarters.Select(p => p.Label));
        Assert.Equal(new Period(4, "第4季度", new(2022, 10, 1), new(2022, 11, 30)), quarters[3]); // cut at the phase end

        var progressDue = Step(AsWritten, "progress").DistinctBy(a => a.Period).Select(a => a.Due).ToList();
        Assert.Equal(new DateOnly(2022, 9, 27), progressDue[8]); // Fri 30 Sep − 3
        Assert.Equal(new DateOnly(2022, 10, 26), progressDue[9]); // Mon 31 Oct − 3
        Assert.Equal(new DateOnly(2022, 11, 30), Step(AsWritten, "consolidate").Last().Due);
    }

    [Fact]
    public void Responsible_units_report_to_the_items_first_lead_unit()
    {
        Assert.All(Step(AsWritten, "progress"), a =>
        {
            var item = Hechi.Items[a.ItemNo!.Value - 1];
            Assert.Equal((StepReviewer.Lead, Leads(item)[0].Name), (a.Reviewer!.Value, a.ReviewerUnit));
            Assert.True(a.Evidence);
        });
        var item7 = Step(AsWritten, "progress").Where(a => a.ItemNo == 7).ToList();
        Assert.All(item7, a => Assert.Equal("市委宣传部", a.ReviewerUnit));
        Assert.All(Step(AsWritten, "consolidate"), a => Assert.Equal((StepReviewer.Office, (string?)null), (a.Reviewer!.Value, a.ReviewerUnit)));
    }

    [Fact]
    public void A_unit_that_leads_an_item_gets_no_responsible_duty_for_it()
    {
        // Item 7: 市委宣传部 leads, and is also one of 市直和驻河池中直区直各单位.
        Assert.Contains(Hechi.Units.Expand("市直和驻河池中直区直各单位"), u => u.Name == "市委宣传部");
        Assert.Contains(Step(AsWritten, "acknowledge"), a => a is { ItemNo: 7, Unit: "市委宣传部" });
        Assert.DoesNotContain(Step(AsWritten, "progress"), a => a is { ItemNo: 7, Unit: "市委宣传部" });
        Assert.Contains(Step(AsWritten, "progress"), a => a is { ItemNo: 7, Unit: "市民宗委" });
    }

    [Fact]
    public void A_unit_named_directly_and_through_a_group_gets_the_duty_once()
    {
        var item2 = Hechi.Items[1] with { Responsible = ["市民宗委", "市直和驻河池中直区直各单位", "市民宗委"] };
        var programme = new Programme
        {
            Header = Hechi.Header, Targets = Hechi.Targets, Adjustments = Hechi.Adjustments, Units = Hechi.Units,
            Items = [item2], ContentHash = "test",
        };
        var plan = CampaignPlanner.Plan(programme, Repo.HechiWorkflow, TemplateStart, Cn);
        var january = Step(plan, "progress").Where(a => a.Period!.Index == 1).ToList();
        Assert.Single(january, a => a.Unit == "市民宗委");
        Assert.Equal(Hechi.Units.Expand("市直和驻河池中直区直各单位").Count - 2, january.Count); // less the two lead units
    }

    [Fact]
    public void The_office_applies_once_behind_the_gate()
    {
        var apply = Assert.Single(Step(AsWritten, "apply"));
        Assert.Equal((null, CampaignPlanner.Office, null, true), (apply.ItemNo, apply.Unit, apply.Period, apply.Gate));
        Assert.Equal("apply/-/创建办/-", apply.Key);
        Assert.DoesNotContain(AsWritten.Assignments, a => a.Gate && a.StepId != "apply");
    }

    [Fact]
    public void A_due_date_that_falls_in_the_national_day_holiday_moves_before_it()
    {
        // Started 5 days late, the third quarter ends on 5 Oct 2022, inside 国庆节 (1–7 Oct).
        var plan = PlanHechi(TemplateStart.AddDays(5));
        var q3 = Step(plan, "consolidate").First(a => a.Period!.Index == 3);
        Assert.Equal(new DateOnly(2022, 10, 5), q3.Period!.End);
        Assert.Equal("国庆节", Cn.HolidayName(q3.Period.End));
        Assert.Equal(new DateOnly(2022, 9, 30), q3.Due); // the last working day before the holiday

        var september = Step(plan, "progress").First(a => a.Period!.Index == 9);
        Assert.Equal("2022年9月6日—10月5日", september.Period!.Label);
        Assert.Equal(new DateOnly(2022, 9, 27), september.Due); // 30 Sep − 3 working days
        Assert.All(plan.Assignments, a => Assert.True(Cn.IsWorkingDay(a.Due), a.Key));
    }

    [Fact]
    public void A_campaign_started_later_shifts_every_phase_window_by_the_same_offset()
    {
        var start = new DateOnly(2026, 11, 23);
        var plan = PlanHechi(start);
        var offset = start.DayNumber - TemplateStart.DayNumber;
        Assert.Equal(offset, plan.OffsetDays);
        Assert.Equal(start, plan.Phases[0].Start);
        Assert.Equal(
            AsWritten.Phases.Select(p => p with { Start = p.Start.AddDays(offset), End = p.End.AddDays(offset) }),
            plan.Phases);
        Assert.Equal(AsWritten.Assignments.Count, plan.Assignments.Count);
        Assert.All(plan.Checkpoints, c => Assert.Equal(plan.Phases.Single(p => p.PhaseId == c.Window.PhaseId), c.Window));

        // Periods shift with the phase; their labels then give the dates.
        var progress = Step(plan, "progress").Select(a => a.Period!).Distinct().ToList();
        Assert.Equal(11, progress.Count);
        Assert.Equal(new DateOnly(2022, 1, 1).AddDays(offset), progress[0].Start);
        Assert.Equal(plan.Phases[1].End, progress[^1].End);
        Assert.All(plan.Assignments, a => Assert.True(Cn.IsWorkingDay(a.Due), a.Key));
    }

    [Fact]
    public void Checkpoints_come_with_their_phase_window()
    {
        Assert.Equal(
            [("fullPushInspection", new DateOnly(2022, 1, 1), new DateOnly(2022, 11, 30)), ("midTermInspection", new DateOnly(2022, 11, 1), new DateOnly(2022, 12, 31))],
            AsWritten.Checkpoints.Select(c => (c.Checkpoint.Id, c.Window.Start, c.Window.End)));
        Assert.Equal(["0 0 9 1W 3,6,9,12 ?", "0 0 9 15W * ?"], AsWritten.Checkpoints.Select(c => c.Checkpoint.Cron));
    }

    [Fact]
    public void PeriodsOf_gives_the_periods_the_plan_cut_for_a_shifted_campaign()
    {
        var start = new DateOnly(2022, 3, 15);
        var plan = PlanHechi(start);
        foreach (var step in Repo.HechiWorkflow.Steps)
        {
            var planned = Step(plan, step.Id).Select(a => a.Period).OfType<Period>().Distinct().OrderBy(p => p.Index).ToList();
            Assert.Equal(planned, CampaignPlanner.PeriodsOf(Hechi, Repo.HechiWorkflow, step, start));
        }
        Assert.Equal(11, CampaignPlanner.PeriodsOf(Hechi, Repo.HechiWorkflow, Repo.HechiWorkflow.Steps.Single(s => s.Id == "progress"), start).Count);
    }

    [Fact]
    public void Taijiang_gives_each_assessed_unit_every_item()
    {
        var units = Enumerable.Range(1, 30).Select(i => $"台江县单位{i:00}").ToList();
        var plan = CampaignPlanner.Plan(Repo.Taijiang, Repo.TaijiangWorkflow, new DateOnly(2022, 1, 1), Cn, units);
        var items = Repo.Taijiang.Items.Count;
        Assert.Equal(23, items);
        Assert.Equal(30 * items, Step(plan, "acknowledge").Count());
        Assert.Equal(30 * items, Step(plan, "report").Count());
        Assert.Equal(units, Step(plan, "report").Where(a => a.ItemNo == 1).Select(a => a.Unit));
        var report = Step(plan, "report").First();
        Assert.Equal((new DateOnly(2022, 12, 9), StepReviewer.Office, true), (report.Due, report.Reviewer!.Value, report.Evidence)); // 30 Dec − 15
        Assert.Equal(new DateOnly(2022, 1, 10), Step(plan, "acknowledge").First().Due); // 1 Jan is 元旦: 31 Dec + 5
    }

    [Fact]
    public void Assessed_units_are_required_exactly_when_a_step_needs_them()
    {
        Assert.Throws<ArgumentException>(() => CampaignPlanner.Plan(Repo.Taijiang, Repo.TaijiangWorkflow, new DateOnly(2022, 1, 1), Cn));
        Assert.Throws<ArgumentException>(() => CampaignPlanner.Plan(Repo.Taijiang, Repo.TaijiangWorkflow, new DateOnly(2022, 1, 1), Cn, ["甲", "甲"]));
        Assert.Throws<ArgumentException>(() => CampaignPlanner.Plan(Hechi, Repo.HechiWorkflow, TemplateStart, Cn, ["甲"]));
        Assert.Throws<ArgumentException>(() => CampaignPlanner.Plan(Hechi, Repo.TaijiangWorkflow, TemplateStart, Cn, ["甲"]));
    }
}
