using static CreationWorkflow.Core.Supervision.SupervisionOrderState;

namespace CreationWorkflow.Core.Supervision;

/// <summary>A supervision order (督办单): 待反馈 → 待审核 → 已销号, or 已提级督办 from either open state.</summary>
public enum SupervisionOrderState { Open, Answered, Closed, Escalated }

/// <summary>What moves an order: the unit's 整改反馈, the inspectors' 销号 or 提级督办.</summary>
public enum SupervisionOrderTrigger { Answer, Close, Escalate }

/// <summary>
/// The lifecycle of a supervision order, declared once as a Stateless state machine over the order's own state
/// (an external accessor, so the host's record stays plain data). Who may fire a trigger, and the texts of a
/// refusal, stay with the host; this says only which moves exist.
/// </summary>
public sealed class SupervisionOrderLifecycle(Func<SupervisionOrderState> state, Action<SupervisionOrderState> setState)
    : StateLifecycle<SupervisionOrderState, SupervisionOrderTrigger>(state, setState, Declare)
{
    /// <summary>How pages, notices and the bulletin name a state.</summary>
    public static string Chinese(SupervisionOrderState state) => state switch
    {
        SupervisionOrderState.Open => "待反馈",
        SupervisionOrderState.Answered => "已反馈",
        SupervisionOrderState.Closed => "已销号",
        _ => "已提级督办",
    };

    private static void Declare(StateMachine<SupervisionOrderState, SupervisionOrderTrigger> m)
    {
        m.Configure(Open)
            .Permit(SupervisionOrderTrigger.Answer, Answered)
            .Permit(SupervisionOrderTrigger.Escalate, Escalated);
        m.Configure(Answered)
            .Permit(SupervisionOrderTrigger.Close, Closed)
            .Permit(SupervisionOrderTrigger.Escalate, Escalated);
        m.Configure(Closed);
        m.Configure(Escalated);
    }

    /// <summary>The decision that ends in <paramref name="to"/>: 销号 → Closed, 提级督办 → Escalated.</summary>
    public static SupervisionOrderTrigger DecisionTo(SupervisionOrderState to) => to switch
    {
        Closed => SupervisionOrderTrigger.Close,
        Escalated => SupervisionOrderTrigger.Escalate,
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, "an order is decided by closing or escalating it"),
    };

    /// <summary>Whether an order in <paramref name="state"/> may be moved by <paramref name="trigger"/>, e.g. for the buttons a page shows.</summary>
    public static bool Allows(SupervisionOrderState state, SupervisionOrderTrigger trigger) => new SupervisionOrderLifecycle(() => state, _ => { }).CanFire(trigger);

    /// <summary>The lifecycle as a Graphviz DOT digraph (Stateless UmlDotGraph), from the declaration itself.</summary>
    public static string ToDotGraph() => new SupervisionOrderLifecycle(() => Open, _ => { }).DotGraph();
}
