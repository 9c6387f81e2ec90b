using static CreationWorkflow.Core.Inspection.PeerInspectionState;

namespace CreationWorkflow.Core.Inspection;

/// <summary>A peer inspection (互观互检): 待检查 → 检查中 → 已提交 → 已办结; an open one (待检查, 检查中) may be 已撤销.</summary>
public enum PeerInspectionState { Assigned, InProgress, Submitted, Closed, Cancelled }

/// <summary>
/// What moves a peer inspection: the inspecting unit records a checklist line (<see cref="Record"/>, again while in progress),
/// submits its findings (<see cref="Submit"/>); the office closes it once the findings are handled (<see cref="Close"/>), or
/// cancels it while it is open, before its findings are submitted (<see cref="Cancel"/>, with a reason).
/// </summary>
public enum PeerInspectionTrigger { Record, Submit, Close, Cancel }

/// <summary>The verdict on one checklist line: 符合 or 不符合.</summary>
public enum PeerVerdict { Conforms, DoesNotConform }

/// <summary>
/// The lifecycle of a peer inspection, declared once as a Stateless state machine over the inspection's own state.
/// Who may fire a trigger, and the texts of a refusal, stay with the host; this says only which moves exist.
/// </summary>
public sealed class PeerInspectionLifecycle(Func<PeerInspectionState> state, Action<PeerInspectionState> setState)
    : StateLifecycle<PeerInspectionState, PeerInspectionTrigger>(state, setState, Declare)
{
    private static void Declare(StateMachine<PeerInspectionState, PeerInspectionTrigger> m)
    {
        m.Configure(Assigned)
            .Permit(PeerInspectionTrigger.Record, InProgress)
            .Permit(PeerInspectionTrigger.Cancel, Cancelled);
        m.Configure(InProgress)
            .PermitReentry(PeerInspectionTrigger.Record)
            .Permit(PeerInspectionTrigger.Submit, Submitted)
            .Permit(PeerInspectionTrigger.Cancel, Cancelled);
        m.Configure(Submitted)
            .Permit(PeerInspectionTrigger.Close, Closed);
        m.Configure(Closed);
        m.Configure(Cancelled);
    }

    /// <summary>Whether an inspection in <paramref name="state"/> may be moved by <paramref name="trigger"/>, e.g. for the forms a page shows.</summary>
    public static bool Allows(PeerInspectionState state, PeerInspectionTrigger trigger) => new PeerInspectionLifecycle(() => state, _ => { }).CanFire(trigger);

    public static string Chinese(PeerInspectionState state) => state switch
    {
        Assigned => "待检查",
        InProgress => "检查中",
        Submitted => "已提交",
        Cancelled => "已撤销",
        _ => "已办结",
    };

    public static string Chinese(PeerVerdict verdict) => verdict == PeerVerdict.Conforms ? "符合" : "不符合";

    /// <summary>The lifecycle as a Graphviz DOT digraph (Stateless UmlDotGraph), from the declaration itself.</summary>
    public static string ToDotGraph() => new PeerInspectionLifecycle(() => Assigned, _ => { }).DotGraph();
}
