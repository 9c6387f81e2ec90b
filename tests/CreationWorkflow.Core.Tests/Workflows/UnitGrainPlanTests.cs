namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>
/// hechi-2021 version 2: 进展填报 and 汇总进展 are one report per unit per period (grain unit). Every expectation is
/// derived from version 1's plan of the same campaign, i.e. from the definition and the responsibility list.
/// </summary>
public class UnitGrainPlanTests
{
    private static readonly DateOnly Start = new(2021, 12, 1);
    private static readonly Lazy<CampaignPlan> v1 = new(() => CampaignPlanner.Plan(Repo.Hechi, Repo.HechiWorkflow, Start, Repo.Calendar));
    private static readonly Lazy<CampaignPlan> v2 = new(() => CampaignPlanner.Plan(Repo.Hechi, Repo.HechiWorkflowV2, Start, Repo.Calendar));

    private static IEnumerable<string> UnitSteps => Repo.HechiWorkflowV2.Steps.Where(s => s.Grain == StepGrain.Unit).Select(s => s.Id);

    [Fact]
    public void Each_report_holds_exactly_the_per_item_duties_of_its_unit_and_period()
    {
        foreach (var step in UnitSteps)
        {
            var perItem = v1.Value.Assignments.Where(a => a.StepId == step)
                .Select(a => (a.Unit, Period: a.Period!.Index, Item: a.ItemNo!.Value, a.ReviewerUnit, a.Due)).Order().ToList();
            var reports = v2.Value.Assignments.Where(a => a.StepId == step).ToList();
            Assert.All(reports, r => Assert.Null(r.ItemNo));
            Assert.Equal(reports.Count, reports.Select(r => r.Key).Distinct().Count());
            var lines = reports.SelectMany(r => r.Lines!.Select(l => (r.Unit, Period: r.Period!.Index, Item: l.ItemNo, l.ReviewerUnit, r.Due))).Order().ToList();
            Assert.Equal(perItem, lines);
            Assert.Equal(perItem.Select(p => (p.Unit, p.Period)).Distinct().Count(), reports.Count);
        }
    }

    [Fact]
    public void Other_steps_are_planned_as_in_version_one()
    {
        var unitSteps = UnitSteps.ToHashSet();
        Assert.Equal(
            v1.Value.Assignments.Where(a => !unitSteps.Contains(a.StepId)),
            v2.Value.Assignments.Where(a => !unitSteps.Contains(a.StepId)));
        Assert.All(v2.Value.Assignments.Where(a => !unitSteps.Contains(a.StepId)), a => Assert.Null(a.Lines));
    }

    [Fact]
    public void A_campaign_has_at_most_two_thousand_forms()
    {
        Assert.True(v2.Value.Assignments.Count <= 2000, $"{v2.Value.Assignments.Count} assignments");
        Assert.True(v1.Value.Assignments.Count > 2000, "version 1 is the avalanche this version removes");
    }

    [Fact]
    public void No_unit_has_more_than_five_forms_due_in_any_month_of_full_push()
    {
        static int Busiest(CampaignPlan plan)
        {
            var window = plan.Phases.Single(p => p.PhaseId == "fullPush");
            return plan.Assignments.Where(a => window.Contains(a.Due))
                .GroupBy(a => (a.Unit, a.Due.Year, a.Due.Month)).Max(g => g.Count());
        }
        Assert.InRange(Busiest(v2.Value), 1, 5);
        Assert.True(Busiest(v1.Value) > 5, "version 1 gives some unit more than five forms a month");
    }

    [Fact]
    public void A_line_is_reviewed_by_its_items_first_lead_unit_and_a_lead_units_report_by_the_office()
    {
        var progress = v2.Value.Assignments.Where(a => a.StepId == "progress").ToList();
        Assert.All(progress.SelectMany(r => r.Lines!), l =>
            Assert.Equal(Repo.Hechi.Units.ExpandAll(Repo.Hechi.Items[l.ItemNo - 1].LeadUnits)[0].Name, l.ReviewerUnit));
        Assert.All(v2.Value.Assignments.Where(a => a.StepId == "consolidate").SelectMany(r => r.Lines!), l => Assert.Null(l.ReviewerUnit));
        Assert.All(progress, r => Assert.Equal(r.Lines!.Select(l => l.ItemNo).Order(), r.Lines!.Select(l => l.ItemNo)));
    }
}
