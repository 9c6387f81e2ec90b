using CreationWorkflow.Core.Coverage;

namespace CreationWorkflow.Core.Tests.Coverage;

/// <summary>The register's place lifecycle: every state × trigger, the path a new place walks, and the diagram in docs/.</summary>
public class PlaceLifecycleTests
{
    public static TheoryData<PlaceState, PlaceTrigger, PlaceState?> Moves()
    {
        var data = new TheoryData<PlaceState, PlaceTrigger, PlaceState?>();
        var allowed = new Dictionary<(PlaceState, PlaceTrigger), PlaceState>
        {
            [(PlaceState.NotStarted, PlaceTrigger.Start)] = PlaceState.Creating,
            [(PlaceState.Creating, PlaceTrigger.Accept)] = PlaceState.Accepted,
            [(PlaceState.Accepted, PlaceTrigger.Name)] = PlaceState.Named,
        };
        foreach (var s in Enum.GetValues<PlaceState>())
        {
            foreach (var t in Enum.GetValues<PlaceTrigger>())
            {
                data.Add(s, t, allowed.TryGetValue((s, t), out var to) ? to : null);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void Each_state_allows_only_its_moves(PlaceState from, PlaceTrigger trigger, PlaceState? to)
    {
        var state = from;
        var lifecycle = new PlaceLifecycle(() => state, s => state = s);
        Assert.Equal(to is not null, lifecycle.CanFire(trigger));
        Assert.Equal(to is not null, PlaceLifecycle.Allows(from, trigger));
        if (to is { } next)
        {
            lifecycle.Fire(trigger);
            Assert.Equal(next, state);
            Assert.Equal(trigger, PlaceLifecycle.TriggerTo(next));
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => lifecycle.Fire(trigger));
            Assert.Equal(from, state);
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
    public void The_documented_diagram_is_the_declared_one()
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "place-lifecycle.md")).ReplaceLineEndings("\n");
        Assert.Contains(PlaceLifecycle.ToDotGraph().ReplaceLineEndings("\n").Trim(), doc);
    }
}
