namespace CreationWorkflow.Core.Tests;

/// <summary>
/// One row of a lifecycle's state × trigger table, checked the same way for every lifecycle: the move is allowed (by the
/// instance and by the static table) exactly when the row names a next state; an allowed move lands there, a refused
/// one throws and leaves the state as it was.
/// </summary>
internal static class LifecycleTable
{
    public static void Check<TState, TTrigger>(
        TState from, TTrigger trigger, TState? to,
        Func<Func<TState>, Action<TState>, (Func<TTrigger, bool> CanFire, Action<TTrigger> Fire)> lifecycle,
        Func<TState, TTrigger, bool> allows)
        where TState : struct
    {
        var state = from;
        var (canFire, fire) = lifecycle(() => state, s => state = s);
        Assert.Equal(to is not null, canFire(trigger));
        Assert.Equal(to is not null, allows(from, trigger));
        if (to is { } next)
        {
            fire(trigger);
            Assert.Equal(next, state);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => fire(trigger));
            Assert.Equal(from, state);
        }
    }
}
