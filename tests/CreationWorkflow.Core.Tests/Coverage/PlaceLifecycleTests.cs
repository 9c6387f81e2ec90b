using CreationWorkflow.Core.Coverage;

namespace CreationWorkflow.Core.Tests.Coverage;

/// <summary>The register's place lifecycle: every state × trigger, the path a new place walks, and the diagram in docs/.</summary>
public class PlaceLifecycleTests
{
    public static TheoryData<PlaceState, PlaceTrigger, PlaceState?> Moves() => LifecycleTable.Moves(
        new Dictionary<(PlaceState, PlaceTrigger), PlaceState>
        {
            [(PlaceState.NotStarted, PlaceTrigger.Start)] = PlaceState.Creating,
            [(PlaceState.Creating, PlaceTrigger.Accept)] = PlaceState.Accepted,
            [(PlaceState.Accepted, PlaceTrigger.Name)] = PlaceState.Named,
        });

    [Theory]
    [MemberData(nameof(Moves))]
    public void Each_state_allows_only_its_moves(PlaceState from, PlaceTrigger trigger, PlaceState? to)
    {
        LifecycleTable.Check(from, trigger, to, (get, set) => { var l = new PlaceLifecycle(get, set); return (l.CanFire, l.Fire); }, PlaceLifecycle.Allows);
        if (to is { } next)
        {
            Assert.Equal(trigger, PlaceLifecycle.TriggerTo(next));
        }
    }

    [Fact]
    public void A_new_place_walks_the_lifecycle_to_the_state_it_is_entered_in()
    {
        Assert.Empty(PlaceLifecycle.PathTo(PlaceState.NotStarted));
        Assert.Equal([PlaceTrigger.Start], PlaceLifecycle.PathTo(PlaceState.Creating));
        Assert.Equal([PlaceTrigger.Start, PlaceTrigger.Accept, PlaceTrigger.Name], PlaceLifecycle.PathTo(PlaceState.Named));
        Assert.Null(PlaceLifecycle.Next(PlaceState.Named));
        Assert.Equal(PlaceState.Accepted, PlaceLifecycle.Parse("已验收"));
        Assert.Equal(PlaceState.Named, PlaceLifecycle.Parse("named"));
        Assert.Null(PlaceLifecycle.Parse("已完成"));
    }

    [Fact]
    public void The_documented_diagram_is_the_declared_one() => LifecycleTable.Documented("place-lifecycle.md", PlaceLifecycle.ToDotGraph());
}
