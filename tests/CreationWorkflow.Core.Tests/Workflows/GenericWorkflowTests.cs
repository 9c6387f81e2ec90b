namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>通用流程 (docs/workflow-format.md): made for any programme's phases and subject, passing the loader's own checks, and planned.</summary>
public class GenericWorkflowTests
{
    [Fact]
    public void A_city_programme_gets_acknowledgements_monthly_reports_per_phase_and_a_self_score_and_plans()
    {
        var programme = Repo.Hechi;
        var definition = GenericWorkflow.For(programme);
        Assert.Empty(WorkflowLoader.Check(definition, programme, "generic"));
        Assert.Equal(("hechi-2021", 1, "hechi-2021", "2021-12-01"), (definition.Id, definition.Version, definition.Programme, definition.Template.Start));
        Assert.Equal(
            ["acknowledge", "acknowledgeResponsible", "progress-mobilization", "progress-fullPush", "progress-midTerm", "progress-acceptance", "selfScore"],
            definition.Steps.Select(s => s.Id));
        Assert.Equal(["mobilization", "mobilization", "acceptance"], definition.Steps.Where(s => s.Id is "acknowledge" or "acknowledgeResponsible" or "selfScore").Select(s => s.Phase));
        Assert.All(definition.Steps.Where(s => s.Id.StartsWith("progress", StringComparison.Ordinal)),
            s => Assert.Equal((StepGrain.Unit, StepReviewer.Lead, RecurrenceEvery.Month), (s.Grain, s.Reviewer, s.Recurrence!.Every)));

        var plan = CampaignPlanner.Plan(Repo.Hechi, definition, new DateOnly(2021, 12, 1), Repo.Calendar);
        var acknowledgements = plan.Assignments.Where(a => a.StepId == "acknowledge").ToList();
        Assert.Equal(Repo.Hechi.Items.Sum(i => Repo.Hechi.Units.ExpandAll(i.LeadUnits).Count), acknowledgements.Count);
        Assert.All(acknowledgements, a => Assert.Equal(Repo.Calendar.AddWorkingDays(new DateOnly(2021, 12, 1), 5), a.Due));
        // One report per responsible unit and month of 全面推进 (11 months), not one per item.
        var units = Repo.Hechi.Items.SelectMany(i => Repo.Hechi.Units.ExpandAll(i.ResponsibleUnits).Except(Repo.Hechi.Units.ExpandAll(i.LeadUnits))).Distinct().Count();
        Assert.Equal(units * 11, plan.Assignments.Count(a => a.StepId == "progress-fullPush"));
    }

    [Fact]
    public void A_unit_programme_gets_the_assessed_units_acknowledgement_and_report()
    {
        var definition = GenericWorkflow.For(Repo.Taijiang);
        Assert.Empty(WorkflowLoader.Check(definition, Repo.Taijiang, "generic"));
        Assert.Equal([("acknowledge", StepRole.Assessed, (StepReviewer?)null), ("report", StepRole.Assessed, StepReviewer.Office)],
            definition.Steps.Select(s => (s.Id, s.Role, s.Reviewer)));
        var plan = CampaignPlanner.Plan(Repo.Taijiang, definition, new DateOnly(2022, 1, 1), Repo.Calendar, ["甲局", "乙局"]);
        Assert.Equal(2 * 2 * Repo.Taijiang.Items.Count, plan.Assignments.Count);
    }

    [Fact]
    public void The_loader_check_names_a_fault_of_a_definition_made_in_memory()
    {
        var definition = GenericWorkflow.For(Repo.Taijiang);
        var broken = definition with { Steps = [definition.Steps[0] with { Phase = "nowhere" }] };
        var error = Assert.Single(WorkflowLoader.Check(broken, Repo.Taijiang, "workflows/x.json"));
        Assert.Equal(("workflows/x.json", "$.steps[0].phase"), (error.File, error.Path));
    }
}
