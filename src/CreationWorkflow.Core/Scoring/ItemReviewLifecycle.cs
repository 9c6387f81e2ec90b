using static CreationWorkflow.Core.Scoring.ReviewState;

namespace CreationWorkflow.Core.Scoring;

/// <summary>The office's review of one item's proposed facts: 待审核, 已采纳, 已调整, 已退回.</summary>
public enum ReviewState { Proposed, Accepted, Adjusted, Returned }

/// <summary>What moves a review: the lead unit (re)proposes facts; the office accepts, adjusts or returns them.</summary>
public enum ReviewTrigger { Propose, Accept, Adjust, Return }

/// <summary>
/// The lifecycle of an item review, declared once as a Stateless state machine over the review's own state.
/// Proposing again (new facts, a corrected survey result) puts any review back to 待审核; the office may decide on a
/// review in any state, so a decision can be revised (an accepted item adjusted, a returned one accepted after all).
/// A review is created by the first proposal (<see cref="Proposed"/>).
/// </summary>
public sealed class ItemReviewLifecycle(Func<ReviewState> state, Action<ReviewState> setState)
    : StateLifecycle<ReviewState, ReviewTrigger>(state, setState, Declare)
{
    private static readonly ReviewState[] States = Enum.GetValues<ReviewState>();

    private static void Declare(StateMachine<ReviewState, ReviewTrigger> m)
    {
        foreach (var state in States)
        {
            var c = m.Configure(state);
            foreach (var (trigger, to) in new[] { (ReviewTrigger.Propose, Proposed), (ReviewTrigger.Accept, Accepted), (ReviewTrigger.Adjust, Adjusted), (ReviewTrigger.Return, Returned) })
            {
                if (to == state)
                {
                    c.PermitReentry(trigger);
                }
                else
                {
                    c.Permit(trigger, to);
                }
            }
        }
    }

    /// <summary>The state a decision leaves the review in, e.g. for the answer of the review endpoint.</summary>
    public static ReviewState After(ReviewTrigger trigger)
    {
        var state = Proposed;
        new ItemReviewLifecycle(() => state, s => state = s).Fire(trigger);
        return state;
    }

    /// <summary>The lifecycle as a Graphviz DOT digraph (Stateless UmlDotGraph), from the declaration itself.</summary>
    public static string ToDotGraph() => new ItemReviewLifecycle(() => Proposed, _ => { }).DotGraph();
}
