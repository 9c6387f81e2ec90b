namespace CreationWorkflow.Core.Tests;

/// <summary>
/// One row of a lifecycle's state × trigger table, checked the same way for every lifecycle: the move is allowed (by the
/// instance and by the static table) exactly when the row names a next state; an allowed move lands there, a refused
/// one throws and leaves the state as it was.
/// </summary>
internal static class LifecycleTable
{
    /// <summary>Every state × trigger of the two enums.</summary>
    public static TheoryData<TState, TTrigger> Pairs<TState, TTrigger>()
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        var data = new TheoryData<TState, TTrigger>();
        foreach (var state in Enum.GetValues<TState>())
        {
            foreach (var trigger in Enum.GetValues<TTrigger>())
            {
                data.Add(state, trigger);
            }
        }
        return data;
    }

    /// <summary>Every state × trigger with the state the move lands in when <paramref name="allowed"/> lists it, else null.</summary>
    public static TheoryData<TState, TTrigger, TState?> Moves<TState, TTrigger>(IReadOnlyDictionary<(TState, TTrigger), TState> allowed)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        var data = new TheoryData<TState, TTrigger, TState?>();
        foreach (var (state, trigger) in Pairs<TState, TTrigger>().Select(row => ((TState)row[0], (TTrigger)row[1])))
        {
            data.Add(state, trigger, allowed.TryGetValue((state, trigger), out var to) ? to : null);
        }
        return data;
    }

    /// <summary>The lifecycle's declared diagram (<paramref name="dot"/>) stands in the document docs/<paramref name="document"/>.</summary>
    public static void Documented(string document, string dot)
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", document)).ReplaceLineEndings("\n");
        Assert.Contains(dot.ReplaceLineEndings("\n").Trim(), doc);
    }

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
