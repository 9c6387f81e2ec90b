using static CreationWorkflow.Core.Coverage.PlaceState;

namespace CreationWorkflow.Core.Coverage;

/// <summary>A creating place (创建单位) in the register: 未启动 → 创建中 → 已验收 → 命名.</summary>
public enum PlaceState { NotStarted, Creating, Accepted, Named }

/// <summary>What moves a place: 启动创建, 通过验收, 命名 (with the naming level and date).</summary>
public enum PlaceTrigger { Start, Accept, Name }

/// <summary>
/// The lifecycle of a place in the register of creating units, declared once as a Stateless state machine over the
/// place's own state (an external accessor, so the host's record stays plain data). Who may fire a trigger, the naming
/// level and date it needs and the texts of a refusal stay with the host; this says only which moves exist.
/// </summary>
public sealed class PlaceLifecycle(Func<PlaceState> state, Action<PlaceState> setState)
    : StateLifecycle<PlaceState, PlaceTrigger>(state, setState, Declare)
{
    private static void Declare(StateMachine<PlaceState, PlaceTrigger> m)
    {
        m.Configure(NotStarted).Permit(PlaceTrigger.Start, Creating);
        m.Configure(Creating).Permit(PlaceTrigger.Accept, Accepted);
        m.Configure(Accepted).Permit(PlaceTrigger.Name, Named);
        m.Configure(Named);
    }

    /// <summary>The trigger that ends in <paramref name="to"/>.</summary>
    public static PlaceTrigger TriggerTo(PlaceState to) => to switch
    {
        Creating => PlaceTrigger.Start,
        Accepted => PlaceTrigger.Accept,
        Named => PlaceTrigger.Name,
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, "no trigger leads back to NotStarted"),
    };

    /// <summary>
    /// The triggers that take a new place (未启动) to <paramref name="to"/>, in order: an import or a form entering a place
    /// that is already 已验收 walks the lifecycle rather than setting the state.
    /// </summary>
    public static IReadOnlyList<PlaceTrigger> PathTo(PlaceState to)
    {
        var state = NotStarted;
        var lifecycle = new PlaceLifecycle(() => state, s => state = s);
        var path = new List<PlaceTrigger>();
        while (state != to)
        {
            var next = Next(state) ?? throw new InvalidOperationException($"no move leads from {state} to {to}");
            lifecycle.Fire(next);
            path.Add(next);
        }
        return path;
    }

    /// <summary>Whether a place in <paramref name="state"/> may be moved by <paramref name="trigger"/>, e.g. for the buttons a page shows.</summary>
    public static bool Allows(PlaceState state, PlaceTrigger trigger) => new PlaceLifecycle(() => state, _ => { }).CanFire(trigger);

    /// <summary>The next move of a place in <paramref name="state"/>, or null when it is named.</summary>
    public static PlaceTrigger? Next(PlaceState state) =>
        Enum.GetValues<PlaceTrigger>().Where(t => Allows(state, t)).Select(t => (PlaceTrigger?)t).FirstOrDefault();

    /// <summary>The state the next move leads to, or null when the place is named.</summary>
    public static PlaceState? NextState(PlaceState state)
    {
        if (Next(state) is not { } trigger)
        {
            return null;
        }
        var s = state;
        new PlaceLifecycle(() => s, x => s = x).Fire(trigger);
        return s;
    }

    /// <summary>Counts toward coverage: creation has started (创建中, 已验收 or 命名).</summary>
    public static bool IsCovered(PlaceState state) => state != NotStarted;

    /// <summary>The lifecycle as a Graphviz DOT digraph (Stateless UmlDotGraph), from the declaration itself.</summary>
    public static string ToDotGraph() => new PlaceLifecycle(() => NotStarted, _ => { }).DotGraph();

    public static string Chinese(PlaceState state) => state switch
    {
        NotStarted => "未启动",
        Creating => "创建中",
        Accepted => "已验收",
        Named => "命名",
        _ => state.ToString(),
    };

    public static string Chinese(PlaceTrigger trigger) => trigger switch
    {
        PlaceTrigger.Start => "启动创建",
        PlaceTrigger.Accept => "通过验收",
        PlaceTrigger.Name => "命名",
        _ => trigger.ToString(),
    };

    /// <summary>The state a Chinese name (未启动…命名) or an English one (notStarted…named) stands for.</summary>
    public static PlaceState? Parse(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }
        foreach (var s in Enum.GetValues<PlaceState>())
        {
            if (t == Chinese(s) || string.Equals(t, s.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return s;
            }
        }
        return null;
    }
}
