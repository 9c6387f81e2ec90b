namespace CreationWorkflow.Core.Tests.Assignments;

/// <summary>The plan changes in the lifecycle (改派, 改期, 并入单位报告) and the delivery time the on-time rule reads.</summary>
public class PlanChangeLifecycleTests
{
    private static readonly DateOnly Due = new(2022, 6, 30);
    private static readonly DateTimeOffset Start = new(2022, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly Actor Unit = Actor.Unit("市教育局");
    private static readonly Actor Office = Actor.Office("创建办 王主任");

    private static DateTimeOffset Day(int n) => Start.AddDays(n);

    private static AssignmentLifecycle Submitted()
    {
        var life = new AssignmentLifecycle(new Assignment(Guid.NewGuid(), "hechi-2021", 7, "full-push", "市教育局", Due));
        life.Acknowledge(Unit, Day(1));
        life.StartWork(Unit, Day(2));
        life.Submit(Unit, Day(3));
        return life;
    }

    [Fact]
    public void The_first_submission_is_kept_through_a_return_and_a_resubmission()
    {
        var life = Submitted();
        Assert.Equal(Day(3), life.Assignment.SubmittedAt);
        life.Return(Office, Day(4), "台账缺少照片");
        Assert.Equal(Day(3), life.Assignment.SubmittedAt);
        life.Submit(Unit, Day(40));
        Assert.Equal(Day(3), life.Assignment.SubmittedAt);
    }

    [Fact]
    public void Acknowledging_an_acknowledge_only_duty_is_its_delivery_and_signing_for_work_is_not()
    {
        var only = new AssignmentLifecycle(new Assignment(Guid.NewGuid(), "hechi-2021", 0, "mobilize", "市教育局", Due) { AcknowledgeOnly = true });
        only.Acknowledge(Unit, Day(2));
        Assert.Equal((AssignmentState.Approved, Day(2)), (only.State, only.Assignment.SubmittedAt));
        var work = new AssignmentLifecycle(new Assignment(Guid.NewGuid(), "hechi-2021", 7, "full-push", "市教育局", Due));
        work.Acknowledge(Unit, Day(2));
        Assert.Null(work.Assignment.SubmittedAt);
    }

    [Fact]
    public void Reassigning_gives_the_duty_to_the_new_unit_afresh()
    {
        var life = Submitted();
        life.Return(Office, Day(4), "台账缺少照片");
        life.RequestExtension(Unit, Day(5), new DateOnly(2022, 7, 31), "汛期");
        var t = life.Reassign(Office, Day(6), "市民宗委", "职责调整", new DateOnly(2022, 7, 15));
        Assert.Equal((AssignmentState.Returned, AssignmentState.Assigned, AssignmentTrigger.Reassign), (t.From, t.To, t.Trigger));
        Assert.Equal(("市民宗委", new DateOnly(2022, 7, 15)), (life.Assignment.Unit, life.Assignment.DueDate));
        Assert.Null(life.Assignment.PendingExtension);
        Assert.Null(life.Assignment.ReturnReason);
        Assert.Null(life.Assignment.SubmittedAt);
        // The old unit may no longer act; the new one signs for it.
        Assert.Equal(TransitionRefusal.Forbidden, Assert.Throws<AssignmentTransitionException>(() => life.Acknowledge(Unit, Day(7))).Refusal);
        Assert.Equal(AssignmentState.Acknowledged, life.Acknowledge(Actor.Unit("市民宗委"), Day(7)).To);
    }

    [Fact]
    public void Reassigning_and_rescheduling_need_a_reason_a_change_and_the_office()
    {
        var life = Submitted();
        Assert.Equal("reason", Assert.Throws<AssignmentTransitionException>(() => life.Reassign(Office, Day(4), "市民宗委", " ")).Field);
        Assert.Equal("unit", Assert.Throws<AssignmentTransitionException>(() => life.Reassign(Office, Day(4), "市教育局", "职责调整")).Field);
        Assert.Equal("dueDate", Assert.Throws<AssignmentTransitionException>(() => life.Reschedule(Office, Day(4), Due, "工作安排调整")).Field);
        Assert.Equal(TransitionRefusal.Forbidden, Assert.Throws<AssignmentTransitionException>(() => life.Reschedule(Unit, Day(4), Due.AddDays(5), "想晚点")).Refusal);
        var t = life.Reschedule(Office, Day(4), Due.AddDays(5), "工作安排调整");
        Assert.Equal((AssignmentState.Submitted, AssignmentState.Submitted, Due, Due.AddDays(5)), (t.From, t.To, t.DueDateBefore, t.DueDateAfter));
        Assert.Equal(Day(3), life.Assignment.SubmittedAt);
    }

    [Fact]
    public void Folding_cancels_an_open_duty_but_not_one_under_review_or_waiting_for_an_extension_decision()
    {
        var open = new AssignmentLifecycle(new Assignment(Guid.NewGuid(), "hechi-2021", 7, "full-push", "市教育局", Due));
        open.Acknowledge(Unit, Day(1));
        Assert.Equal((AssignmentState.Acknowledged, AssignmentState.Cancelled), (open.Fold(Office, Day(2), "并入单位报告").From, open.State));
        Assert.Equal(TransitionRefusal.IllegalState, Assert.Throws<AssignmentTransitionException>(() => Submitted().Fold(Office, Day(5), "并入单位报告")).Refusal);
        var waiting = new AssignmentLifecycle(new Assignment(Guid.NewGuid(), "hechi-2021", 7, "full-push", "市教育局", Due));
        waiting.RequestExtension(Unit, Day(1), Due.AddDays(10), "汛期");
        Assert.Equal(TransitionRefusal.Conflict, Assert.Throws<AssignmentTransitionException>(() => waiting.Fold(Office, Day(2), "并入单位报告")).Refusal);
        Assert.Equal(AssignmentState.Assigned, waiting.State);
    }

    [Fact]
    public void Plan_changes_are_not_offered_as_buttons_but_may_be_fired()
    {
        var life = Submitted();
        Assert.DoesNotContain(AssignmentTrigger.Reassign, life.PermittedTriggers(Office));
        Assert.Equal(AssignmentLifecycle.PlanChanges.Where(t => t != AssignmentTrigger.Fold),
            life.PermittedTriggers(Office, planChanges: true).Where(AssignmentLifecycle.PlanChanges.Contains));
        Assert.True(life.CanFire(AssignmentTrigger.Reschedule, Office));
    }
}
