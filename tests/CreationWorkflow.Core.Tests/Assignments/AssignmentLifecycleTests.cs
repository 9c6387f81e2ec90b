namespace CreationWorkflow.Core.Tests.Assignments;

/// <summary>The assignment lifecycle: transitions, who may fire them, extensions, derived overdue, the diagram.</summary>
public class AssignmentLifecycleTests
{
    private const string UnitName = "市教育局";
    private const string LeadName = "市民宗委";
    private static readonly DateOnly Due = new(2022, 6, 30);
    private static readonly DateTimeOffset Start = new(2022, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly Actor Unit = Actor.Unit(UnitName);
    private static readonly Actor Office = Actor.Office("创建办 王主任");
    private static readonly Actor Lead = Actor.Reviewer(LeadName);

    private static DateTimeOffset Day(int n) => Start.AddDays(n);

    private static AssignmentLifecycle New(string? reviewerUnit = null) =>
        new(new Assignment(Guid.NewGuid(), "hechi-2021", 7, "full-push", UnitName, Due, reviewerUnit));

    /// <summary>A fresh assignment driven through the lifecycle to <paramref name="state"/>.</summary>
    private static AssignmentLifecycle In(AssignmentState state)
    {
        var life = New();
        if (state == AssignmentState.Cancelled)
        {
            life.Cancel(Office, Day(1), "改为交办其他单位");
            return life;
        }
        var path = new (AssignmentState Reached, Action Step)[]
        {
            (AssignmentState.Acknowledged, () => life.Acknowledge(Unit, Day(1))),
            (AssignmentState.InProgress, () => life.StartWork(Unit, Day(2))),
            (AssignmentState.Submitted, () => life.Submit(Unit, Day(3))),
        };
        foreach (var (reached, step) in path)
        {
            if (life.State == state)
            {
                break;
            }
            step();
            Assert.Equal(reached, life.State);
        }
        if (state == AssignmentState.Returned)
        {
            life.Return(Office, Day(4), "台账缺少照片");
        }
        else if (state == AssignmentState.Approved)
        {
            life.Approve(Office, Day(4));
        }
        Assert.Equal(state, life.State);
        return life;
    }

    private static AssignmentTransitionException Refused(Action act) => Assert.Throws<AssignmentTransitionException>(act);

    [Fact]
    public void Happy_path_goes_from_assigned_to_approved_and_reports_each_change()
    {
        var life = New();
        Assert.Equal(AssignmentState.Assigned, life.State);

        var steps = new[]
        {
            life.Acknowledge(Unit, Day(1)),
            life.StartWork(Unit, Day(2)),
            life.ReportProgress(Unit, Day(5), "已召开专题会议"),
            life.Submit(Unit, Day(10)),
            life.Approve(Office, Day(12)),
        };

        Assert.Equal(
            [
                (AssignmentTrigger.Acknowledge, AssignmentState.Assigned, AssignmentState.Acknowledged),
                (AssignmentTrigger.StartWork, AssignmentState.Acknowledged, AssignmentState.InProgress),
                (AssignmentTrigger.ReportProgress, AssignmentState.InProgress, AssignmentState.InProgress),
                (AssignmentTrigger.Submit, AssignmentState.InProgress, AssignmentState.Submitted),
                (AssignmentTrigger.Approve, AssignmentState.Submitted, AssignmentState.Approved),
            ],
            steps.Select(s => (s.Trigger, s.From, s.To)));
        Assert.Equal([Day(1), Day(2), Day(5), Day(10), Day(12)], steps.Select(s => s.At));
        Assert.All(steps, s => Assert.Equal(life.Assignment.Id, s.AssignmentId));
        Assert.Equal([Unit, Unit, Unit, Unit, Office], steps.Select(s => s.Actor));
        Assert.Equal("已召开专题会议", steps[2].Reason);
        Assert.False(steps[2].StateChanged);
        Assert.True(steps[3].StateChanged);
        Assert.Equal("承办单位「市教育局」提交：办理中 → 已提交", steps[3].Describe());

        Assert.Equal(AssignmentState.Approved, life.Assignment.State);
        Assert.True(life.Assignment.IsClosed);
        Assert.Empty(life.PermittedTriggers(Unit));
        Assert.Empty(life.PermittedTriggers(Office));
    }

    [Fact]
    public void First_progress_report_starts_the_work()
    {
        var life = In(AssignmentState.Acknowledged);
        var t = life.ReportProgress(Unit, Day(2));
        Assert.Equal((AssignmentState.Acknowledged, AssignmentState.InProgress), (t.From, t.To));
        Assert.Null(t.Reason);
    }

    [Fact]
    public void Returned_work_resumes_in_progress_and_is_resubmitted()
    {
        var life = In(AssignmentState.Submitted);

        var back = life.Return(Office, Day(5), "  台账缺少活动照片  ");
        Assert.Equal((AssignmentState.Submitted, AssignmentState.Returned), (back.From, back.To));
        Assert.Equal("台账缺少活动照片", back.Reason);
        Assert.Equal("台账缺少活动照片", life.Assignment.ReturnReason);
        Assert.Equal(
            [AssignmentTrigger.StartWork, AssignmentTrigger.ReportProgress, AssignmentTrigger.Submit, AssignmentTrigger.RequestExtension],
            life.PermittedTriggers(Unit));

        Assert.Equal(AssignmentState.InProgress, life.ReportProgress(Unit, Day(6), "已补充照片").To);
        var again = life.Submit(Unit, Day(7));
        Assert.Equal((AssignmentState.InProgress, AssignmentState.Submitted), (again.From, again.To));
        Assert.Null(life.Assignment.ReturnReason);

        Assert.Equal(AssignmentState.Approved, life.Approve(Office, Day(8)).To);
    }

    [Fact]
    public void Returned_work_can_be_resubmitted_at_once()
    {
        var life = In(AssignmentState.Returned);
        var again = life.Submit(Unit, Day(6));
        Assert.Equal((AssignmentState.Returned, AssignmentState.Submitted), (again.From, again.To));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Return_needs_a_reason(string reason)
    {
        var life = In(AssignmentState.Submitted);
        var e = Refused(() => life.Return(Office, Day(5), reason));
        Assert.Equal(TransitionRefusal.Invalid, e.Refusal);
        Assert.Equal("reason", e.Field);
        Assert.Equal("执行「退回」须填写理由", e.UserMessage);
        Assert.Equal(AssignmentState.Submitted, life.State);
        Assert.Null(life.Assignment.ReturnReason);
    }

    [Theory]
    [InlineData(AssignmentState.Submitted, AssignmentTrigger.Acknowledge, "当前状态「已提交」不能执行「签收」")]
    [InlineData(AssignmentState.Assigned, AssignmentTrigger.Submit, "当前状态「已交办」不能执行「提交」")]
    [InlineData(AssignmentState.Assigned, AssignmentTrigger.StartWork, "当前状态「已交办」不能执行「开始办理」")]
    [InlineData(AssignmentState.Acknowledged, AssignmentTrigger.Submit, "当前状态「已签收」不能执行「提交」")]
    [InlineData(AssignmentState.InProgress, AssignmentTrigger.StartWork, "当前状态「办理中」不能执行「开始办理」")]
    [InlineData(AssignmentState.InProgress, AssignmentTrigger.Approve, "当前状态「办理中」不能执行「审核通过」")]
    [InlineData(AssignmentState.Returned, AssignmentTrigger.Return, "当前状态「已退回」不能执行「退回」")]
    [InlineData(AssignmentState.Approved, AssignmentTrigger.Cancel, "当前状态「已通过」不能执行「撤销」")]
    [InlineData(AssignmentState.Approved, AssignmentTrigger.RequestExtension, "当前状态「已通过」不能执行「申请延期」")]
    [InlineData(AssignmentState.Approved, AssignmentTrigger.ReportProgress, "当前状态「已通过」不能执行「报送进展」")]
    [InlineData(AssignmentState.Cancelled, AssignmentTrigger.Acknowledge, "当前状态「已撤销」不能执行「签收」")]
    [InlineData(AssignmentState.Cancelled, AssignmentTrigger.RequestExtension, "当前状态「已撤销」不能执行「申请延期」")]
    public void Illegal_transitions_are_refused_naming_state_and_action(AssignmentState state, AssignmentTrigger trigger, string message)
    {
        var life = In(state);
        var due = life.Assignment.DueDate;

        var e = Refused(() => FireAsPermittedRole(life, trigger));

        Assert.Equal(TransitionRefusal.IllegalState, e.Refusal);
        Assert.Equal(message, e.UserMessage);
        Assert.Equal(state, e.State);
        Assert.Equal(trigger, e.Trigger);
        Assert.Contains($"state {state} does not allow {trigger}", e.Message);
        Assert.Contains(life.Assignment.Id.ToString(), e.Message);
        Assert.Equal(state, life.State);
        Assert.Equal(due, life.Assignment.DueDate);
        Assert.Null(life.Assignment.PendingExtension);
    }

    /// <summary>Fires a trigger as a role that may fire it, with valid arguments, so only the state can refuse it.</summary>
    private static void FireAsPermittedRole(AssignmentLifecycle life, AssignmentTrigger trigger)
    {
        _ = trigger switch
        {
            AssignmentTrigger.Acknowledge => life.Acknowledge(Unit, Day(20)),
            AssignmentTrigger.StartWork => life.StartWork(Unit, Day(20)),
            AssignmentTrigger.ReportProgress => life.ReportProgress(Unit, Day(20)),
            AssignmentTrigger.Submit => life.Submit(Unit, Day(20)),
            AssignmentTrigger.Return => life.Return(Office, Day(20), "不符合要求"),
            AssignmentTrigger.Approve => life.Approve(Office, Day(20)),
            AssignmentTrigger.Cancel => life.Cancel(Office, Day(20), "改派"),
            AssignmentTrigger.RequestExtension => life.RequestExtension(Unit, Day(20), Due.AddDays(30), "汛期"),
            AssignmentTrigger.ApproveExtension => life.ApproveExtension(Office, Day(20)),
            AssignmentTrigger.RefuseExtension => life.RefuseExtension(Office, Day(20), "时间紧"),
            _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
        };
    }

    [Fact]
    public void A_unit_may_not_review_its_own_submission()
    {
        var life = In(AssignmentState.Submitted);
        var e = Refused(() => life.Approve(Unit, Day(5)));
        Assert.Equal(TransitionRefusal.Forbidden, e.Refusal);
        Assert.Equal("「承办单位」无权执行「审核通过」，只有「创建办」、「审核单位（牵头单位）」可以", e.UserMessage);
        Assert.Contains("role Unit may not Approve", e.Message);
        Assert.Equal(AssignmentState.Submitted, life.State);
    }

    [Fact]
    public void The_office_may_not_do_the_units_work()
    {
        var life = New();
        var e = Refused(() => life.Acknowledge(Office, Day(1)));
        Assert.Equal(TransitionRefusal.Forbidden, e.Refusal);
        Assert.Equal("「创建办」无权执行「签收」，只有「承办单位」可以", e.UserMessage);
        Assert.Equal(AssignmentState.Assigned, life.State);
    }

    [Theory]
    [InlineData(ActorRole.Leader)]
    [InlineData(ActorRole.Inspector)]
    public void Leaders_and_inspectors_fire_nothing(ActorRole role)
    {
        var actor = new Actor(role, "李四");
        foreach (var state in Enum.GetValues<AssignmentState>())
        {
            Assert.Empty(In(state).PermittedTriggers(actor));
        }
        // The role is refused before the state is considered: approving an unsubmitted assignment says "no right", not "wrong state".
        var life = New();
        var e = Refused(() => life.Approve(actor, Day(1)));
        Assert.Equal(TransitionRefusal.Forbidden, e.Refusal);
        Assert.StartsWith($"「{role.Label()}」无权执行「审核通过」", e.UserMessage);
        Assert.Equal(AssignmentState.Assigned, life.State);
    }

    [Fact]
    public void Only_the_assigned_unit_fires_the_units_triggers()
    {
        var life = New();
        var e = Refused(() => life.Acknowledge(Actor.Unit("市文旅局"), Day(1)));
        Assert.Equal(TransitionRefusal.Forbidden, e.Refusal);
        Assert.Equal("「市文旅局」不是本任务的承办单位（市教育局），不能执行「签收」", e.UserMessage);
        Assert.Equal(AssignmentState.Assigned, life.State);
    }

    [Fact]
    public void The_named_lead_unit_reviews_a_responsible_units_submission()
    {
        var life = New(reviewerUnit: LeadName);
        life.Acknowledge(Unit, Day(1));
        life.StartWork(Unit, Day(2));
        life.Submit(Unit, Day(3));

        var other = Refused(() => life.Approve(Actor.Reviewer("市文旅局"), Day(4)));
        Assert.Equal(TransitionRefusal.Forbidden, other.Refusal);
        Assert.Equal("「市文旅局」不是本任务的审核单位（市民宗委），不能执行「审核通过」", other.UserMessage);

        Assert.Equal([AssignmentTrigger.Return, AssignmentTrigger.Approve], life.PermittedTriggers(Lead));
        var t = life.Return(Lead, Day(4), "数据口径不一致");
        Assert.Equal(AssignmentState.Returned, t.To);
        Assert.Equal(Lead, t.Actor);
    }

    [Fact]
    public void Without_a_named_lead_unit_only_the_office_reviews()
    {
        var life = In(AssignmentState.Submitted);
        var e = Refused(() => life.Approve(Lead, Day(4)));
        Assert.Equal(TransitionRefusal.Forbidden, e.Refusal);
        Assert.Equal("本任务由创建办审核，「市民宗委」不能执行「审核通过」", e.UserMessage);
        Assert.Equal(AssignmentState.Submitted, life.State);
    }

    [Fact]
    public void Approved_extension_moves_the_due_date_and_work_goes_on_while_it_waits()
    {
        var life = In(AssignmentState.InProgress);
        var asked = life.RequestExtension(Unit, Day(20), new DateOnly(2022, 7, 31), "汛期影响入户走访");

        Assert.Equal((AssignmentState.InProgress, AssignmentState.InProgress), (asked.From, asked.To));
        Assert.Equal(new DateOnly(2022, 7, 31), asked.RequestedDueDate);
        Assert.False(asked.DueDateChanged);
        Assert.Equal(new ExtensionRequest(new DateOnly(2022, 7, 31), "汛期影响入户走访", UnitName, Day(20)), life.Assignment.PendingExtension);
        Assert.Equal(Due, life.Assignment.DueDate);

        // Pending is not a state: the unit keeps working and reporting.
        Assert.Equal(AssignmentState.InProgress, life.ReportProgress(Unit, Day(21), "已走访一半").To);
        Assert.Equal([AssignmentTrigger.ApproveExtension, AssignmentTrigger.RefuseExtension],
            life.PermittedTriggers(Office).Where(t => t is AssignmentTrigger.ApproveExtension or AssignmentTrigger.RefuseExtension));

        var granted = life.ApproveExtension(Office, Day(22));
        Assert.Equal(new DateOnly(2022, 7, 31), life.Assignment.DueDate);
        Assert.Null(life.Assignment.PendingExtension);
        Assert.Equal((Due, new DateOnly(2022, 7, 31)), (granted.DueDateBefore, granted.DueDateAfter));
        Assert.True(granted.DueDateChanged);
        Assert.Equal(AssignmentState.InProgress, life.State);
        Assert.Equal("创建办「创建办 王主任」批准延期：办理中 → 办理中，申请延期至2022-07-31，截止日期 2022-06-30 → 2022-07-31", granted.Describe());
    }

    [Fact]
    public void The_office_may_grant_another_date_than_requested()
    {
        var life = In(AssignmentState.Acknowledged);
        life.RequestExtension(Unit, Day(20), new DateOnly(2022, 8, 31), "人员调整");
        var granted = life.ApproveExtension(Office, Day(21), new DateOnly(2022, 7, 15));
        Assert.Equal(new DateOnly(2022, 7, 15), life.Assignment.DueDate);
        Assert.Equal(new DateOnly(2022, 8, 31), granted.RequestedDueDate);
    }

    [Fact]
    public void A_granted_date_must_still_be_after_the_due_date()
    {
        var life = In(AssignmentState.Acknowledged);
        life.RequestExtension(Unit, Day(20), new DateOnly(2022, 8, 31), "人员调整");
        var e = Refused(() => life.ApproveExtension(Office, Day(21), Due));
        Assert.Equal(TransitionRefusal.Invalid, e.Refusal);
        Assert.Equal("grantedDueDate", e.Field);
        Assert.Equal(Due, life.Assignment.DueDate);
        Assert.NotNull(life.Assignment.PendingExtension);
    }

    [Fact]
    public void Refused_extension_keeps_the_due_date_and_a_new_request_may_follow()
    {
        var life = In(AssignmentState.InProgress);
        life.RequestExtension(Unit, Day(20), new DateOnly(2022, 7, 31), "汛期影响入户走访");

        var refused = life.RefuseExtension(Office, Day(21), "全市统一时间节点，不予延期");

        Assert.Equal(Due, life.Assignment.DueDate);
        Assert.False(refused.DueDateChanged);
        Assert.Equal("全市统一时间节点，不予延期", refused.Reason);
        Assert.Equal(new DateOnly(2022, 7, 31), refused.RequestedDueDate);
        Assert.Null(life.Assignment.PendingExtension);
        Assert.Equal(AssignmentState.InProgress, life.State);

        life.RequestExtension(Unit, Day(22), new DateOnly(2022, 7, 10), "仅需十天");
        Assert.Equal(new DateOnly(2022, 7, 10), life.Assignment.PendingExtension?.RequestedDueDate);
    }

    [Fact]
    public void Refusing_an_extension_needs_a_reason()
    {
        var life = In(AssignmentState.InProgress);
        life.RequestExtension(Unit, Day(20), new DateOnly(2022, 7, 31), "汛期");
        var e = Refused(() => life.RefuseExtension(Office, Day(21), " "));
        Assert.Equal(TransitionRefusal.Invalid, e.Refusal);
        Assert.Equal("reason", e.Field);
        Assert.NotNull(life.Assignment.PendingExtension);
    }

    [Fact]
    public void A_second_pending_request_is_refused()
    {
        var life = In(AssignmentState.InProgress);
        life.RequestExtension(Unit, Day(20), new DateOnly(2022, 7, 31), "汛期影响入户走访");

        Assert.DoesNotContain(AssignmentTrigger.RequestExtension, life.PermittedTriggers(Unit));
        var e = Refused(() => life.RequestExtension(Unit, Day(21), new DateOnly(2022, 8, 31), "再延一个月"));

        Assert.Equal(TransitionRefusal.Conflict, e.Refusal);
        Assert.Equal("已有延期申请（至2022-07-31）待审批，不能再次「申请延期」", e.UserMessage);
        Assert.Equal(new DateOnly(2022, 7, 31), life.Assignment.PendingExtension?.RequestedDueDate);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_request_not_after_the_due_date_is_refused(int daysAfterDue)
    {
        var life = In(AssignmentState.InProgress);
        var e = Refused(() => life.RequestExtension(Unit, Day(20), Due.AddDays(daysAfterDue), "汛期"));
        Assert.Equal(TransitionRefusal.Invalid, e.Refusal);
        Assert.Equal("requestedDueDate", e.Field);
        Assert.Equal($"申请延期日期（{AssignmentNames.Iso(Due.AddDays(daysAfterDue))}）须晚于当前截止日期（2022-06-30）", e.UserMessage);
        Assert.Null(life.Assignment.PendingExtension);
    }

    [Fact]
    public void A_request_needs_a_reason()
    {
        var life = In(AssignmentState.InProgress);
        var e = Refused(() => life.RequestExtension(Unit, Day(20), Due.AddDays(10), ""));
        Assert.Equal(TransitionRefusal.Invalid, e.Refusal);
        Assert.Equal("reason", e.Field);
        Assert.Null(life.Assignment.PendingExtension);
    }

    [Fact]
    public void Nothing_to_approve_or_refuse_without_a_pending_request()
    {
        var life = In(AssignmentState.InProgress);
        var e = Refused(() => life.ApproveExtension(Office, Day(20)));
        Assert.Equal(TransitionRefusal.Conflict, e.Refusal);
        Assert.Equal("没有待审批的延期申请，不能执行「批准延期」", e.UserMessage);
        Assert.Equal(TransitionRefusal.Conflict, Refused(() => life.RefuseExtension(Office, Day(20), "不同意")).Refusal);
        Assert.Equal(Due, life.Assignment.DueDate);
    }

    [Fact]
    public void Overdue_is_derived_from_the_date()
    {
        var a = In(AssignmentState.InProgress).Assignment;
        Assert.False(a.IsOverdue(Due));
        Assert.Equal(0, a.DaysLate(Due));
        Assert.True(a.IsOverdue(Due.AddDays(1)));
        Assert.Equal(1, a.DaysLate(Due.AddDays(1)));
        Assert.Equal(15, a.DaysLate(Due.AddDays(15)));
    }

    [Fact]
    public void Overdue_is_cleared_by_submission_and_approval_but_not_by_a_return()
    {
        var late = Due.AddDays(5);
        var life = In(AssignmentState.InProgress);
        Assert.True(life.Assignment.IsOverdue(late));

        life.Submit(Unit, Day(33));
        Assert.False(life.Assignment.IsOverdue(late));
        Assert.Equal(0, life.Assignment.DaysLate(late));

        life.Return(Office, Day(34), "缺少佐证材料");
        Assert.True(life.Assignment.IsOverdue(late));
        Assert.Equal(5, life.Assignment.DaysLate(late));

        life.Submit(Unit, Day(35));
        life.Approve(Office, Day(36));
        Assert.False(life.Assignment.IsOverdue(late));
        Assert.False(life.Assignment.IsOverdue(Due.AddYears(1)));
    }

    [Fact]
    public void Overdue_is_cleared_by_an_approved_extension_not_by_a_pending_one()
    {
        var late = Due.AddDays(3);
        var life = In(AssignmentState.InProgress);
        life.RequestExtension(Unit, Day(33), Due.AddDays(10), "材料需要重新盖章");
        Assert.True(life.Assignment.IsOverdue(late));

        life.ApproveExtension(Office, Day(34));
        Assert.False(life.Assignment.IsOverdue(late));
        Assert.True(life.Assignment.IsOverdue(Due.AddDays(11)));
        Assert.Equal(1, life.Assignment.DaysLate(Due.AddDays(11)));
    }

    [Theory]
    [InlineData(AssignmentState.Assigned)]
    [InlineData(AssignmentState.Acknowledged)]
    [InlineData(AssignmentState.InProgress)]
    [InlineData(AssignmentState.Submitted)]
    [InlineData(AssignmentState.Returned)]
    public void The_office_cancels_from_any_open_state_and_a_pending_request_lapses(AssignmentState state)
    {
        var life = In(state);
        life.RequestExtension(Unit, Day(10), Due.AddDays(10), "人员调整");

        var t = life.Cancel(Office, Day(11), "改为交办市民宗委");

        Assert.Equal((state, AssignmentState.Cancelled), (t.From, t.To));
        Assert.Equal("改为交办市民宗委", t.Reason);
        Assert.Null(life.Assignment.PendingExtension);
        Assert.True(life.Assignment.IsClosed);
        Assert.False(life.Assignment.IsOverdue(Due.AddDays(30)));
        Assert.Equal(TransitionRefusal.IllegalState, Refused(() => life.Cancel(Office, Day(12), "再次撤销")).Refusal);
    }

    [Fact]
    public void Cancelling_needs_a_reason_and_the_office()
    {
        var life = In(AssignmentState.InProgress);
        Assert.Equal("reason", Refused(() => life.Cancel(Office, Day(5), "")).Field);
        Assert.Equal(TransitionRefusal.Forbidden, Refused(() => life.Cancel(Unit, Day(5), "不想做了")).Refusal);
        Assert.Equal(AssignmentState.InProgress, life.State);
    }

    [Fact]
    public void Permitted_triggers_follow_state_and_role()
    {
        Assert.Equal([AssignmentTrigger.Acknowledge, AssignmentTrigger.RequestExtension], New().PermittedTriggers(Unit));
        Assert.Equal([AssignmentTrigger.Cancel], New().PermittedTriggers(Office));
        Assert.Equal(
            [AssignmentTrigger.ReportProgress, AssignmentTrigger.Submit, AssignmentTrigger.RequestExtension],
            In(AssignmentState.InProgress).PermittedTriggers(Unit));
        Assert.Equal(
            [AssignmentTrigger.Return, AssignmentTrigger.Approve, AssignmentTrigger.Cancel],
            In(AssignmentState.Submitted).PermittedTriggers(Office));
        Assert.True(In(AssignmentState.Submitted).CanFire(AssignmentTrigger.Approve, Office));
        Assert.False(In(AssignmentState.Submitted).CanFire(AssignmentTrigger.Approve, Unit));
    }

    [Fact]
    public void Every_trigger_has_a_role_that_may_fire_it_and_only_unit_triggers_go_to_the_unit()
    {
        Assert.Equal(Enum.GetValues<AssignmentTrigger>().Order(), AssignmentLifecycle.WhoMayFire.Keys.Order());
        Assert.All(AssignmentLifecycle.WhoMayFire.Values, roles => Assert.NotEmpty(roles));
        Assert.DoesNotContain(AssignmentLifecycle.WhoMayFire.Values, roles => roles.Contains(ActorRole.Leader) || roles.Contains(ActorRole.Inspector));
        Assert.Equal(
            [AssignmentTrigger.Acknowledge, AssignmentTrigger.StartWork, AssignmentTrigger.ReportProgress, AssignmentTrigger.Submit, AssignmentTrigger.RequestExtension],
            AssignmentLifecycle.WhoMayFire.Where(p => p.Value.Contains(ActorRole.Unit)).Select(p => p.Key).Order());
    }

    [Fact]
    public void The_dot_graph_shows_every_state_and_trigger()
    {
        var dot = AssignmentLifecycle.ToDotGraph();
        Assert.StartsWith("digraph {", dot);
        foreach (var state in Enum.GetValues<AssignmentState>())
        {
            Assert.Contains($"\"{state}\" [label=\"{state}\"]", dot);
        }
        foreach (var trigger in Enum.GetValues<AssignmentTrigger>())
        {
            Assert.Contains($"label=\"{trigger}", dot);
        }
        Assert.Contains("\"Submitted\" -> \"Returned\" [style=\"solid\", label=\"Return\"]", dot);
        Assert.Contains("init -> \"Assigned\"", dot);
    }

    [Fact]
    public void The_documented_diagram_is_the_declared_one() => LifecycleTable.Documented("assignment-lifecycle.md", AssignmentLifecycle.ToDotGraph());
}

public class AcknowledgeOnlyTests
{
    [Fact]
    public void Acknowledging_an_acknowledge_only_duty_completes_it()
    {
        var at = new DateTimeOffset(2022, 1, 4, 9, 0, 0, TimeSpan.FromHours(8));
        var duty = Assignment.Restore(Guid.NewGuid(), "hechi-2021", 1, "mobilization", "市民宗委", new DateOnly(2022, 1, 10), null,
            AssignmentState.Assigned, null, null, acknowledgeOnly: true);
        var t = new AssignmentLifecycle(duty).Acknowledge(Actor.Unit("市民宗委"), at);
        Assert.Equal((AssignmentState.Assigned, AssignmentState.Approved), (t.From, t.To));
        Assert.True(duty.IsClosed);
        Assert.False(duty.IsOverdue(new DateOnly(2022, 2, 1)));

        var work = Assignment.Restore(Guid.NewGuid(), "hechi-2021", 1, "mobilization", "市民宗委", new DateOnly(2022, 1, 10), null,
            AssignmentState.Assigned, null, null);
        Assert.Equal(AssignmentState.Acknowledged, new AssignmentLifecycle(work).Acknowledge(Actor.Unit("市民宗委"), at).To);
    }
}
