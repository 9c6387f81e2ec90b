namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>
/// The dry run of moving a running hechi-2021 campaign to another definition, case by case. The campaign is the plan of its
/// version with some work done: finished work (已通过, 已撤销) must come out of every case untouched — never cancelled,
/// re-dated or re-added — while open work is added, cancelled, re-dated or folded as the target says.
/// </summary>
public sealed class MigrationPlannerTests
{
    private static readonly DateOnly Start = new(2021, 12, 1);
    private const string Unit = "市教育局";

    private static CampaignPlan PlanOf(WorkflowDefinition d) => CampaignPlanner.Plan(Repo.Hechi, d, Start, Repo.Calendar);

    private static readonly Lazy<CampaignPlan> V1Plan = new(() => PlanOf(Repo.HechiWorkflow));
    private static readonly Lazy<CampaignPlan> V2Plan = new(() => PlanOf(Repo.HechiWorkflowV2));

    private static List<MigrationAssignment> Fresh(CampaignPlan plan) =>
        [.. plan.Assignments.Select(a => new MigrationAssignment(Guid.NewGuid(), a.StepId, a.ItemNo, a.Unit, a.Period?.Index, AssignmentState.Assigned, a.Due))];

    private static void Set(List<MigrationAssignment> all, Func<MigrationAssignment, bool> which, Func<MigrationAssignment, MigrationAssignment> change)
    {
        for (var i = 0; i < all.Count; i++)
        {
            if (which(all[i]))
            {
                all[i] = change(all[i]);
            }
        }
    }

    /// <summary>
    /// A version 2 campaign at work: 市教育局's first two 制定措施 approved, its third in progress with a draft, its fourth returned;
    /// every first-month report approved; one second-month report withdrawn by the office.
    /// </summary>
    private static List<MigrationAssignment> V2Campaign()
    {
        var all = Fresh(V2Plan.Value);
        var measures = all.Where(a => a.StepId == "measures" && a.Unit == Unit).Take(4).Select(a => a.Id).ToList();
        Set(all, a => a.Id == measures[0] || a.Id == measures[1], a => a with { State = AssignmentState.Approved });
        Set(all, a => a.Id == measures[2], a => a with { State = AssignmentState.InProgress, HasProgress = true });
        Set(all, a => a.Id == measures[3], a => a with { State = AssignmentState.Returned, HasProgress = true });
        Set(all, a => a.StepId == "progress" && a.Period == 1, a => a with { State = AssignmentState.Approved });
        var withdrawn = all.First(a => a.StepId == "progress" && a.Period == 2).Id;
        Set(all, a => a.Id == withdrawn, a => a with { State = AssignmentState.Cancelled });
        return all;
    }

    /// <summary>A version 1 campaign: 市教育局's first-month item duties all approved, its second month's partly worked on.</summary>
    private static List<MigrationAssignment> V1Campaign(AssignmentState secondMonth, bool extensionPending = false)
    {
        var all = Fresh(V1Plan.Value);
        Set(all, a => a is { StepId: "progress", Unit: Unit, Period: 1 }, a => a with { State = AssignmentState.Approved });
        var first = all.First(a => a is { StepId: "progress", Unit: Unit, Period: 2 }).Id;
        Set(all, a => a.Id == first, a => a with { State = secondMonth, HasProgress = true, ExtensionPending = extensionPending });
        return all;
    }

    private static WorkflowDefinition V3(Func<WorkflowDefinition, WorkflowDefinition> change) => change(Repo.HechiWorkflowV2 with { Version = 3 });

    private static WorkflowDefinition WithStep(WorkflowDefinition d, string id, Func<WorkflowStep, WorkflowStep> change) =>
        d with { Steps = [.. d.Steps.Select(s => s.Id == id ? change(s) : s)] };

    /// <summary>The expected dry run; -1: "the count the case's own data gives", asserted by its check.</summary>
    public sealed record Case(string Name, Func<List<MigrationAssignment>> Campaign, WorkflowDefinition Current, Func<WorkflowDefinition> Target,
        Action<List<MigrationAssignment>, MigrationDryRun> Check)
    {
        public override string ToString() => Name;
    }

    private static int Open(List<MigrationAssignment> all, string step) => all.Count(a => a.StepId == step && !a.Finished);

    public static TheoryData<Case> Cases => new()
    {
        new Case("same steps, new number: nothing moves, the withdrawn report is not re-added", V2Campaign, Repo.HechiWorkflowV2,
            () => V3(d => d), (all, run) =>
            {
                Assert.Equal((0, 0, 0, 0, 0, 0), (run.Added.Count, run.Cancelled.Count, run.Redated.Count, run.Folded.Count, run.WouldLoseState.Count, run.Blockers.Count));
                Assert.Equal(all.Count(a => a.Finished), run.Kept);
            }),
        new Case("a step dropped: its open work cancelled, drafts and returned work flagged, approved work kept", V2Campaign, Repo.HechiWorkflowV2,
            () => V3(d => d with { Steps = [.. d.Steps.Where(s => s.Id != "measures")] }), (all, run) =>
            {
                Assert.Equal(Open(all, "measures"), run.Cancelled.Count);
                Assert.All(run.Cancelled, a => Assert.Equal("measures", a.StepId));
                Assert.Equal([AssignmentState.InProgress, AssignmentState.Returned], run.WouldLoseState.Select(a => a.State));
                Assert.Equal((0, 0), (run.Added.Count, run.Redated.Count));
                Assert.True(run.CanApply);
            }),
        new Case("a due rule moved: open work re-dated two working days later, approved reports keep their dates", V2Campaign, Repo.HechiWorkflowV2,
            () => V3(d => WithStep(d, "progress", s => s with { Due = s.Due with { WorkingDays = s.Due.WorkingDays + 2 } })), (all, run) =>
            {
                Assert.Equal(Open(all, "progress"), run.Redated.Count);
                Assert.All(run.Redated, r => Assert.Equal(Repo.Calendar.AddWorkingDays(r.Assignment.Due, 2), r.NewDue));
                Assert.DoesNotContain(run.Redated, r => r.Assignment.Period == 1);
                Assert.Equal((0, 0), (run.Added.Count, run.Cancelled.Count));
            }),
        new Case("a date changed by hand (改期) stays when the versions plan the same one, and moves when the target moves it", () =>
            {
                var all = V2Campaign();
                Set(all, a => a is { StepId: "selfScore", Unit: Unit }, a => a with { Due = a.Due.AddDays(7), State = AssignmentState.Acknowledged });
                Set(all, a => a is { StepId: "progress", Unit: Unit, Period: 3 }, a => a with { Due = a.Due.AddDays(7) });
                return all;
            }, Repo.HechiWorkflowV2,
            () => V3(d => WithStep(d, "progress", s => s with { Due = s.Due with { WorkingDays = s.Due.WorkingDays + 2 } })), (all, run) =>
            {
                Assert.DoesNotContain(run.Redated, r => r.Assignment.StepId == "selfScore");
                var moved = Assert.Single(run.Redated, r => r.Assignment is { StepId: "progress", Unit: Unit, Period: 3 });
                Assert.Equal(V2Plan.Value.Assignments.Single(a => a.Key == moved.Assignment.Key).Due, Repo.Calendar.AddWorkingDays(moved.NewDue, -2));
                Assert.Equal(Open(all, "progress"), run.Redated.Count);
            }),
        new Case("a step added: its assignments added, nothing else moves", V2Campaign, Repo.HechiWorkflowV2,
            () => V3(d => d with { Steps = [.. d.Steps, d.Steps.Single(s => s.Id == "selfScore") with { Id = "selfScore2", Name = "复核自评" }] }), (all, run) =>
            {
                Assert.Equal(V2Plan.Value.Assignments.Count(a => a.StepId == "selfScore"), run.Added.Count);
                Assert.All(run.Added, a => Assert.Equal("selfScore2", a.StepId));
                Assert.Equal((0, 0), (run.Cancelled.Count, run.Redated.Count));
            }),
        new Case("a phase lengthened by a month: a period added and later open work re-dated, finished work untouched", V2Campaign, Repo.HechiWorkflowV2,
            () => V3(d => d with { Phases = [Phase("fullPush", months: 1)] }), (all, run) =>
            {
                Assert.NotEmpty(run.Added);
                Assert.NotEmpty(run.Redated);
                Assert.All(run.Redated, r => Assert.True(r.NewDue > r.Assignment.Due));
                Assert.True(run.CanApply);
            }),
        new Case("per item to per unit: open duties fold into the report, an all-approved month adds no report", () => V1Campaign(AssignmentState.Returned),
            Repo.HechiWorkflow, () => Repo.HechiWorkflowV2, (all, run) =>
            {
                var report1 = MigrationPlanner.KeyOf("progress", null, Unit, 1);
                var report2 = MigrationPlanner.KeyOf("progress", null, Unit, 2);
                Assert.DoesNotContain(run.Added, a => a.Key == report1);
                Assert.Contains(run.Added, a => a.Key == report2);
                Assert.Equal(all.Count(a => a is { StepId: "progress", Unit: Unit, Period: 2 }), run.Folded.Count(f => f.ReportKey == report2));
                Assert.Equal(all.Count(a => a.ItemNo is not null && a.StepId is "progress" or "consolidate" && !a.Finished), run.OpenFolds.Count());
                Assert.Empty(run.WouldLoseState); // the returned duty's text goes onto its line
                Assert.Empty(run.Cancelled);
                Assert.True(run.CanApply);
            }),
        new Case("per item to per unit with a duty under review: refused, naming it", () => V1Campaign(AssignmentState.Submitted),
            Repo.HechiWorkflow, () => Repo.HechiWorkflowV2, (all, run) =>
            {
                var blocker = Assert.Single(run.Blockers);
                Assert.Equal((MigrationBlockerKind.UnderReview, Unit, 2), (blocker.Kind, blocker.Assignment!.Unit, blocker.Assignment.Period));
                Assert.False(run.CanApply);
            }),
        new Case("per item to per unit with an extension pending: refused", () => V1Campaign(AssignmentState.InProgress, extensionPending: true),
            Repo.HechiWorkflow, () => Repo.HechiWorkflowV2, (all, run) =>
                Assert.Equal(MigrationBlockerKind.ExtensionPending, Assert.Single(run.Blockers).Kind)),
        new Case("per unit back to per item: refused for both reports", V2Campaign, Repo.HechiWorkflowV2, () => Repo.HechiWorkflow, (all, run) =>
            Assert.Equal([("progress", MigrationBlockerKind.SplitsReports), ("consolidate", MigrationBlockerKind.SplitsReports)],
                run.Blockers.Select(b => (b.Step.Id, b.Kind)))),
    };

    private static WorkflowPhase Phase(string id, int months)
    {
        var p = Repo.Hechi.Header.Phases.Single(x => x.Id == id);
        var end = DateOnly.ParseExact(p.End + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddMonths(months);
        return new WorkflowPhase(p.Id, p.Name, p.Start, end.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dry_run(Case c)
    {
        var all = c.Campaign();
        var target = c.Target();
        var run = MigrationPlanner.Plan(all, c.Current, target, PlanOf(target), c.Current.Version == 1 ? V1Plan.Value : V2Plan.Value);
        c.Check(all, run);

        // Finished work is never reopened, cancelled or re-dated, whatever the target.
        var finished = all.Where(a => a.Finished).Select(a => a.Id).ToHashSet();
        Assert.DoesNotContain(run.Cancelled, a => finished.Contains(a.Id));
        Assert.DoesNotContain(run.Redated, r => finished.Contains(r.Assignment.Id));
        Assert.DoesNotContain(run.OpenFolds, f => finished.Contains(f.Duty.Id));
        var keys = all.Select(a => a.Key).ToHashSet();
        Assert.DoesNotContain(run.Added, a => keys.Contains(a.Key));
        Assert.Equal(finished.Count, run.Kept);
        Assert.All(run.WouldLoseState, a => Assert.Contains(a, run.Cancelled));
        Assert.Equal((c.Current.Version, target.Version), (run.FromVersion, run.ToVersion));
    }

    [Fact]
    public void A_definitions_own_phase_dates_move_the_plan()
    {
        var longer = Repo.HechiWorkflowV2 with { Phases = [Phase("fullPush", months: 1)] };
        var (before, after) = (V2Plan.Value.Phases.Single(p => p.PhaseId == "fullPush"), PlanOf(longer).Phases.Single(p => p.PhaseId == "fullPush"));
        Assert.Equal(before.Start, after.Start);
        Assert.Equal(before.End.AddDays(1).AddMonths(1).AddDays(-1), after.End);
        Assert.Equal(
            PlanOf(longer).Assignments.Count(a => a.StepId == "progress") - V2Plan.Value.Assignments.Count(a => a.StepId == "progress"),
            V2Plan.Value.Assignments.Where(a => a.StepId == "progress").Select(a => a.Unit).Distinct().Count());
    }
}
