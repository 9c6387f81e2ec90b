namespace CreationWorkflow.Core;

/// <summary>
/// The common part of the lifecycles declared once as Stateless state machines over their host's own state (an external
/// accessor, so the host's record stays plain data): firing, asking whether a move exists, printing the graph. Who may fire
/// a trigger, and the texts of a refusal, stay with the host; a lifecycle says only which moves exist.
/// </summary>
public abstract class StateLifecycle<TState, TTrigger>
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    private readonly StateMachine<TState, TTrigger> machine;

    protected StateLifecycle(Func<TState> state, Action<TState> setState, Action<StateMachine<TState, TTrigger>> declare)
    {
        machine = new StateMachine<TState, TTrigger>(state, setState);
        declare(machine);
    }

    public bool CanFire(TTrigger trigger) => machine.CanFire(trigger);

    /// <summary>Moves the host; the caller has checked <see cref="CanFire"/> and refused in its own words otherwise.</summary>
    public void Fire(TTrigger trigger) => machine.Fire(trigger);

    /// <summary>The lifecycle as a Graphviz DOT digraph (Stateless UmlDotGraph), from the declaration itself.</summary>
    protected string DotGraph() => UmlDotGraph.Format(machine.GetInfo());
}
