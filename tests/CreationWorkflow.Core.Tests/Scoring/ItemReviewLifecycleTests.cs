namespace CreationWorkflow.Core.Tests.Scoring;

/// <summary>The item review lifecycle: any review may be proposed again or decided (again), and the diagram in docs/.</summary>
public class ItemReviewLifecycleTests
{
    public static TheoryData<ReviewState, ReviewTrigger> Moves() => LifecycleTable.Pairs<ReviewState, ReviewTrigger>();

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
    public void The_documented_diagram_is_the_declared_one() => LifecycleTable.Documented("item-review-lifecycle.md", ItemReviewLifecycle.ToDotGraph());
}
