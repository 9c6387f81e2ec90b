using System.Text.RegularExpressions;
using CreationWorkflow.Core.Acceptance;

namespace CreationWorkflow.Core.Tests.Acceptance;

/// <summary>The road after 90 (issue 13 point 3): every stage × trigger, both guards, the quoted clauses and the diagram in docs/.</summary>
public partial class RoadLifecycleTests
{
    /// <summary>The declared moves, written out by hand: anything not listed here must be refused.</summary>
    private static readonly Dictionary<(RoadStage, RoadTrigger), RoadStage> Declared = new()
    {
        [(RoadStage.NotApplied, RoadTrigger.ApplyToRegion)] = RoadStage.AppliedToRegion,
        [(RoadStage.AppliedToRegion, RoadTrigger.PreliminaryCheck)] = RoadStage.PreliminaryChecked,
        [(RoadStage.PreliminaryChecked, RoadTrigger.ApplyToNational)] = RoadStage.AppliedToNational,
        [(RoadStage.AppliedToNational, RoadTrigger.AcceptanceVisit)] = RoadStage.Visited,
        [(RoadStage.Visited, RoadTrigger.Pass)] = RoadStage.Passed,
        [(RoadStage.Visited, RoadTrigger.Fail)] = RoadStage.NotPassed,
        [(RoadStage.NotPassed, RoadTrigger.ApplyToNational)] = RoadStage.AppliedToNational,
        [(RoadStage.Passed, RoadTrigger.Name)] = RoadStage.Named,
        [(RoadStage.Named, RoadTrigger.YearlyReview)] = RoadStage.Named,
    };

    public static TheoryData<RoadStage, RoadTrigger, RoadStage?> Moves() => LifecycleTable.Moves(Declared);

    [Theory]
    [MemberData(nameof(Moves))]
    public void Each_stage_allows_only_its_moves(RoadStage from, RoadTrigger trigger, RoadStage? to) =>
        LifecycleTable.Check(from, trigger, to, (get, set) => { var l = new RoadLifecycle(get, set, () => true, () => true); return (l.CanFire, l.Fire); }, RoadLifecycle.Declared);

    /// <summary>A road at a stage whose two guards (findings rectified, term running) are flags the test sets.</summary>
    private sealed class Road
    {
        public Road(RoadStage stage)
        {
            Stage = stage;
            Lifecycle = new RoadLifecycle(() => Stage, s => Stage = s, () => Rectified, () => Running);
        }

        public RoadStage Stage { get; private set; }

        public bool Rectified { get; set; } = true;

        public bool Running { get; set; } = true;

        public RoadLifecycle Lifecycle { get; }
    }

    [Fact]
    public void Applying_to_the_state_waits_for_every_finding_to_be_rectified()
    {
        var road = new Road(RoadStage.PreliminaryChecked) { Rectified = false };
        Assert.False(road.Lifecycle.CanFire(RoadTrigger.ApplyToNational));
        Assert.True(RoadLifecycle.Declared(road.Stage, RoadTrigger.ApplyToNational)); // in order, only not yet allowed
        road.Rectified = true;
        road.Lifecycle.Fire(RoadTrigger.ApplyToNational);
        Assert.Equal(RoadStage.AppliedToNational, road.Stage);
    }

    [Fact]
    public void Yearly_reviews_stop_when_the_term_is_over()
    {
        var road = new Road(RoadStage.Named);
        Assert.True(road.Lifecycle.CanFire(RoadTrigger.YearlyReview));
        road.Running = false;
        Assert.False(road.Lifecycle.CanFire(RoadTrigger.YearlyReview));
    }

    [Fact]
    public void The_term_has_one_review_per_year_on_the_naming_anniversary()
    {
        var named = new DateOnly(2023, 9, 1);
        var reviews = RoadLifecycle.ReviewDates(named);
        Assert.Equal(RoadLifecycle.TermYears, reviews.Count);
        Assert.Equal(Enumerable.Range(1, RoadLifecycle.TermYears).Select(y => new DateOnly(2023 + y, 9, 1)), reviews);
    }

    [Fact]
    public void The_next_steps_of_each_stage_follow_the_declaration()
    {
        foreach (var stage in Enum.GetValues<RoadStage>())
        {
            Assert.Equal(Declared.Keys.Where(k => k.Item1 == stage).Select(k => k.Item2).OrderBy(t => t), RoadLifecycle.Next(stage).OrderBy(t => t));
        }
    }

    /// <summary>Every step quotes a clause printed in its source document (line breaks and spaces of the extraction aside).</summary>
    [Fact]
    public void Every_step_quotes_its_source()
    {
        Assert.Equal(Enum.GetValues<RoadTrigger>().Order(), RoadLifecycle.Steps.Select(s => s.Trigger).Order());
        foreach (var step in RoadLifecycle.Steps.Append(new RoadStep(RoadTrigger.Fail, "整改", RoadLifecycle.FindingClause, RoadLifecycle.Hechi)))
        {
            var source = Spaces().Replace(File.ReadAllText(Path.Combine(Repo.Root, "docs", "sources", step.Source)), "");
            Assert.True(source.Contains(Spaces().Replace(step.Clause, ""), StringComparison.Ordinal), $"{step.Chinese}: 「{step.Clause}」 is not in {step.Source}");
        }
    }

    [Fact]
    public void The_documented_diagram_is_the_declared_one() => LifecycleTable.Documented("road-after-90.md", RoadLifecycle.ToDotGraph());

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
