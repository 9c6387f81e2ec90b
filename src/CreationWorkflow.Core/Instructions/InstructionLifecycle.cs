using static CreationWorkflow.Core.Instructions.InstructionState;

namespace CreationWorkflow.Core.Instructions;

/// <summary>A leader's instruction (领导批示): 办理中 → 已全部答复 → 已办结; the leader may close it before every unit has answered.</summary>
public enum InstructionState { Open, Answered, Closed }

/// <summary>
/// What moves an instruction: a named unit's 办理情况 while others still owe theirs (<see cref="Answer"/>), the last unit's
/// (<see cref="AnswerLast"/>), and the leader's 办结 (<see cref="Close"/>).
/// </summary>
public enum InstructionTrigger { Answer, AnswerLast, Close }

/// <summary>What an instruction is written on: a scored item of a campaign, a supervision order (督办单) or a bulletin (工作进展通报).</summary>
public enum InstructionSubject { Item, Order, Bulletin }

/// <summary>
/// The lifecycle of a leader's instruction, declared once as a Stateless state machine over the instruction's own state.
/// Each named unit answers once; the host decides whether an answer is the last one (and fires <see cref="InstructionTrigger.AnswerLast"/>).
/// Who may fire a trigger, and the texts of a refusal, stay with the host; this says only which moves exist.
/// </summary>
public sealed class InstructionLifecycle(Func<InstructionState> state, Action<InstructionState> setState)
    : StateLifecycle<InstructionState, InstructionTrigger>(state, setState, Declare)
{
    private static void Declare(StateMachine<InstructionState, InstructionTrigger> m)
    {
        m.Configure(Open)
            .PermitReentry(InstructionTrigger.Answer)
            .Permit(InstructionTrigger.AnswerLast, Answered)
            .Permit(InstructionTrigger.Close, Closed);
        m.Configure(Answered)
            .Permit(InstructionTrigger.Close, Closed);
        m.Configure(Closed);
    }

    /// <summary>Whether an instruction in <paramref name="state"/> may be moved by <paramref name="trigger"/>, e.g. for the buttons a page shows.</summary>
    public static bool Allows(InstructionState state, InstructionTrigger trigger) => new InstructionLifecycle(() => state, _ => { }).CanFire(trigger);

    /// <summary>The trigger of a unit's answer: the last of <paramref name="pending"/> owed answers completes the instruction.</summary>
    public static InstructionTrigger AnswerOf(int pending) => pending <= 1 ? InstructionTrigger.AnswerLast : InstructionTrigger.Answer;

    public static string Chinese(InstructionState state) => state switch
    {
        Open => "办理中",
        Answered => "已全部答复",
        _ => "已办结",
    };

    public static string Chinese(InstructionSubject subject) => subject switch
    {
        InstructionSubject.Item => "测评内容",
        InstructionSubject.Order => "督办单",
        _ => "工作进展通报",
    };

    /// <summary>The lifecycle as a Graphviz DOT digraph (Stateless UmlDotGraph), from the declaration itself.</summary>
    public static string ToDotGraph() => new InstructionLifecycle(() => Open, _ => { }).DotGraph();
}
