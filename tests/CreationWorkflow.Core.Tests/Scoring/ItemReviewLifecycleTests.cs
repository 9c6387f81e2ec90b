namespace CreationWorkflow.Core.Tests.Scoring;

/// <summary>The item review lifecycle: any review may be proposed again or decided (again), and the diagram in docs/.</summary>
public class ItemReviewLifecycleTests
{
    public static TheoryData<ReviewState, ReviewTrigger> Moves()
    {
        var data = new TheoryData<ReviewState, ReviewTrigger>();
        foreach (var state in Enum.GetValues<ReviewState>())
        {
            foreach (var trigger in Enum.GetValues<ReviewTrigger>())
            {
                data.Add(state, trigger);
            }
        }
        return data;
    }

    private static readonly IReadOnlyDictionary<ReviewTrigger, ReviewState> Outcome = new Dictionary<ReviewTrigger, ReviewState>
    {
        [ReviewTrigger.Propose] = ReviewState.Proposed,
        [ReviewTrigger.Accept] = ReviewState.Accepted,
        [ReviewTrigger.Adjust] = ReviewState.Adjusted,
        [ReviewTrigger.Return] = ReviewState.Returned,
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void Every_trigger_moves_every_state_to_its_outcome(ReviewState from, ReviewTrigger trigger)
    {
        var state = from;
        new ItemReviewLifecycle(() => state, s => state = s).Fire(trigger);
        Assert.Equal(Outcome[trigger], state);
        Assert.Equal(Outcome[trigger], ItemReviewLifecycle.After(trigger));
    }

    [Fact]
    public void The_documented_diagram_is_the_declared_one()
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "item-review-lifecycle.md")).ReplaceLineEndings("\n");
        Assert.Contains(ItemReviewLifecycle.ToDotGraph().ReplaceLineEndings("\n").Trim(), doc);
    }
}
