using CreationWorkflow.Core.Instructions;

namespace CreationWorkflow.Core.Tests.Instructions;

/// <summary>The instruction (领导批示) lifecycle: every state × trigger, the last answer, and the diagram in docs/.</summary>
public class InstructionLifecycleTests
{
    public static TheoryData<InstructionState, InstructionTrigger, InstructionState?> Moves() => new()
    {
        { InstructionState.Open, InstructionTrigger.Answer, InstructionState.Open },
        { InstructionState.Open, InstructionTrigger.AnswerLast, InstructionState.Answered },
        { InstructionState.Open, InstructionTrigger.Close, InstructionState.Closed },
        { InstructionState.Answered, InstructionTrigger.Answer, null },
        { InstructionState.Answered, InstructionTrigger.AnswerLast, null },
        { InstructionState.Answered, InstructionTrigger.Close, InstructionState.Closed },
        { InstructionState.Closed, InstructionTrigger.Answer, null },
        { InstructionState.Closed, InstructionTrigger.AnswerLast, null },
        { InstructionState.Closed, InstructionTrigger.Close, null },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void Each_state_allows_only_its_moves(InstructionState from, InstructionTrigger trigger, InstructionState? to) =>
        LifecycleTable.Check(from, trigger, to, (get, set) => { var l = new InstructionLifecycle(get, set); return (l.CanFire, l.Fire); }, InstructionLifecycle.Allows);

    [Theory]
    [InlineData(3, InstructionTrigger.Answer)]
    [InlineData(2, InstructionTrigger.Answer)]
    [InlineData(1, InstructionTrigger.AnswerLast)]
    public void Only_the_last_owed_answer_completes_the_instruction(int pending, InstructionTrigger expected) =>
        Assert.Equal(expected, InstructionLifecycle.AnswerOf(pending));

    [Fact]
    public void The_documented_diagram_is_the_declared_one() => LifecycleTable.Documented("instructions.md", InstructionLifecycle.ToDotGraph());
}
