using CreationWorkflow.Core.Supervision;

namespace CreationWorkflow.Core.Tests.Supervision;

/// <summary>The supervision order lifecycle: every state × trigger, and the diagram in docs/.</summary>
public class SupervisionOrderLifecycleTests
{
    public static TheoryData<SupervisionOrderState, SupervisionOrderTrigger, SupervisionOrderState?> Moves() => new()
    {
        { SupervisionOrderState.Open, SupervisionOrderTrigger.Answer, SupervisionOrderState.Answered },
        { SupervisionOrderState.Open, SupervisionOrderTrigger.Close, null },
        { SupervisionOrderState.Open, SupervisionOrderTrigger.Escalate, SupervisionOrderState.Escalated },
        { SupervisionOrderState.Answered, SupervisionOrderTrigger.Answer, null },
        { SupervisionOrderState.Answered, SupervisionOrderTrigger.Close, SupervisionOrderState.Closed },
        { SupervisionOrderState.Answered, SupervisionOrderTrigger.Escalate, SupervisionOrderState.Escalated },
        { SupervisionOrderState.Closed, SupervisionOrderTrigger.Answer, null },
        { SupervisionOrderState.Closed, SupervisionOrderTrigger.Close, null },
        { SupervisionOrderState.Closed, SupervisionOrderTrigger.Escalate, null },
        { SupervisionOrderState.Escalated, SupervisionOrderTrigger.Answer, null },
        { SupervisionOrderState.Escalated, SupervisionOrderTrigger.Close, null },
        { SupervisionOrderState.Escalated, SupervisionOrderTrigger.Escalate, null },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void Each_state_allows_only_its_moves(SupervisionOrderState from, SupervisionOrderTrigger trigger, SupervisionOrderState? to) =>
        LifecycleTable.Check(from, trigger, to, (get, set) => { var l = new SupervisionOrderLifecycle(get, set); return (l.CanFire, l.Fire); }, SupervisionOrderLifecycle.Allows);

    [Fact]
    public void A_decision_names_its_trigger()
    {
        Assert.Equal(SupervisionOrderTrigger.Close, SupervisionOrderLifecycle.DecisionTo(SupervisionOrderState.Closed));
        Assert.Equal(SupervisionOrderTrigger.Escalate, SupervisionOrderLifecycle.DecisionTo(SupervisionOrderState.Escalated));
        Assert.Throws<ArgumentOutOfRangeException>(() => SupervisionOrderLifecycle.DecisionTo(SupervisionOrderState.Answered));
    }

    [Fact]
    public void The_documented_diagram_is_the_declared_one() => LifecycleTable.Documented("supervision-order-lifecycle.md", SupervisionOrderLifecycle.ToDotGraph());
}
