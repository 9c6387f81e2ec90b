using static CreationWorkflow.Core.Assignments.AssignmentState;

namespace CreationWorkflow.Core.Assignments;

/// <summary>
/// The lifecycle of one <see cref="Assignment"/>, declared once as a Stateless state machine over the
/// assignment's own <see cref="Assignment.State"/> (an external accessor, so the assignment stays plain data).
/// <para>
/// Each method checks, in this order: the actor's role may fire the trigger (<see cref="WhoMayFire"/>) and, for
/// a unit or reviewer, the actor is the one this assignment names; the current state allows the trigger; the
/// pending extension allows it (one at a time); the arguments are valid. Any failure throws <see cref="AssignmentTransitionException"/>
/// and changes nothing. Success returns the <see cref="AssignmentTransition"/> for the audit entry.
/// </para>
/// Time is always passed in (<c>at</c>); the lifecycle never reads a clock.
/// </summary>
public sealed class AssignmentLifecycle
{
    /// <summary>States in which the work is not finished: cancel and extensions are allowed in each.</summary>
    public static IReadOnlyList<AssignmentState> OpenStates { get; } = [Assigned, Acknowledged, InProgress, Submitted, Returned];

    /// <summary>Who may fire what. Inspectors and leaders fire nothing.</summary>
    public static IReadOnlyDictionary<AssignmentTrigger, IReadOnlyList<ActorRole>> WhoMayFire { get; } =
        new Dictionary<AssignmentTrigger, IReadOnlyList<ActorRole>>
        {
            [AssignmentTrigger.Acknowledge] = [ActorRole.Unit],
            [AssignmentTrigger.StartWork] = [ActorRole.Unit],
            [AssignmentTrigger.ReportProgress] = [ActorRole.Unit],
            [AssignmentTrigger.Submit] = [ActorRole.Unit],
            [AssignmentTrigger.RequestExtension] = [ActorRole.Unit],
            [AssignmentTrigger.Return] = [ActorRole.Office, ActorRole.Reviewer],
            [AssignmentTrigger.Approve] = [ActorRole.Office, ActorRole.Reviewer],
            [AssignmentTrigger.ApproveExtension] = [ActorRole.Office],
            [AssignmentTrigger.RefuseExtension] = [ActorRole.Office],
            [AssignmentTrigger.Cancel] = [ActorRole.Office],
            [AssignmentTrigger.Reassign] = [ActorRole.Office],
            [AssignmentTrigger.Reschedule] = [ActorRole.Office],
            [AssignmentTrigger.Fold] = [ActorRole.Office],
        };

    /// <summary>
    /// Changes to the plan rather than steps of the work (改派, 改期, 并入单位报告): the office makes them from the setup page or a
    /// migration, never from the assignment's own buttons, so <see cref="PermittedTriggers"/> leaves them out unless asked.
    /// </summary>
    public static IReadOnlyList<AssignmentTrigger> PlanChanges { get; } = [AssignmentTrigger.Reassign, AssignmentTrigger.Reschedule, AssignmentTrigger.Fold];

    private const string Pending = "extension pending";
    private const string NoPending = "no extension pending";

    private readonly StateMachine<AssignmentState, AssignmentTrigger> machine;

    public AssignmentLifecycle(Assignment assignment)
    {
        Assignment = assignment;
        machine = Declare(new StateMachine<AssignmentState, AssignmentTrigger>(() => assignment.State, s => assignment.State = s), assignment);
    }

    public Assignment Assignment { get; }

    public AssignmentState State => Assignment.State;

    /// <summary>
    /// The whole lifecycle. Self-loops are re-entries that keep the state (no entry or exit actions are declared,
    /// so a re-entry changes nothing but the data the method sets). The guards are the one-pending-extension rule;
    /// rules on arguments (reasons, dates) are checked by the methods.
    /// </summary>
    private static StateMachine<AssignmentState, AssignmentTrigger> Declare(StateMachine<AssignmentState, AssignmentTrigger> m, Assignment a)
    {
        m.Configure(Assigned)
            .PermitIf(AssignmentTrigger.Acknowledge, Acknowledged, () => !a.AcknowledgeOnly, "work follows")
            .PermitIf(AssignmentTrigger.Acknowledge, Approved, () => a.AcknowledgeOnly, "acknowledge only");

        // StartWork is explicit, or implicit in the first progress report.
        m.Configure(Acknowledged)
            .Permit(AssignmentTrigger.StartWork, InProgress)
            .Permit(AssignmentTrigger.ReportProgress, InProgress);

        m.Configure(InProgress)
            .PermitReentry(AssignmentTrigger.ReportProgress)
            .Permit(AssignmentTrigger.Submit, Submitted);

        m.Configure(Submitted)
            .Permit(AssignmentTrigger.Return, Returned)
            .Permit(AssignmentTrigger.Approve, Approved);

        // After a return the unit either resumes work (back to 办理中) or resubmits at once.
        m.Configure(Returned)
            .Permit(AssignmentTrigger.StartWork, InProgress)
            .Permit(AssignmentTrigger.ReportProgress, InProgress)
            .Permit(AssignmentTrigger.Submit, Submitted);

        m.Configure(Approved);
        m.Configure(Cancelled);

        // An extension request is data on the assignment, not a state: work goes on while it waits.
        // 改期 keeps the state; 改派 gives the duty to the new unit afresh (已交办).
        foreach (var open in OpenStates)
        {
            var state = m.Configure(open)
                .Permit(AssignmentTrigger.Cancel, Cancelled)
                .PermitReentryIf(AssignmentTrigger.RequestExtension, () => a.PendingExtension is null, NoPending)
                .PermitReentryIf(AssignmentTrigger.ApproveExtension, () => a.PendingExtension is not null, Pending)
                .PermitReentryIf(AssignmentTrigger.RefuseExtension, () => a.PendingExtension is not null, Pending)
                .PermitReentry(AssignmentTrigger.Reschedule);
            _ = open == Assigned ? state.PermitReentry(AssignmentTrigger.Reassign) : state.Permit(AssignmentTrigger.Reassign, Assigned);
            // A duty under review (its reviewer decides first) or waiting for an extension decision is not folded.
            if (open != Submitted)
            {
                state.PermitIf(AssignmentTrigger.Fold, Cancelled, () => a.PendingExtension is null, NoPending);
            }
        }
        return m;
    }

    /// <summary>The lifecycle as a Graphviz DOT digraph (Stateless UmlDotGraph), from the declaration itself.</summary>
    public static string ToDotGraph()
    {
        var blank = new Assignment(Guid.Empty, "", 0, "", "", DateOnly.MinValue);
        return UmlDotGraph.Format(new AssignmentLifecycle(blank).machine.GetInfo());
    }

    /// <summary>
    /// Whether <paramref name="actor"/> may fire <paramref name="trigger"/> now: role, identity, state and the
    /// pending-extension rule. Rules on arguments (reason given, date after the due date) are not known yet.
    /// </summary>
    public bool CanFire(AssignmentTrigger trigger, Actor actor) => ActorRefusal(trigger, actor) is null && machine.CanFire(trigger);

    /// <summary>
    /// The triggers <paramref name="actor"/> may fire now, e.g. for the buttons a page shows; the <see cref="PlanChanges"/> only
    /// with <paramref name="planChanges"/>.
    /// </summary>
    public IReadOnlyList<AssignmentTrigger> PermittedTriggers(Actor actor, bool planChanges = false) =>
        Enum.GetValues<AssignmentTrigger>().Where(t => (planChanges || !PlanChanges.Contains(t)) && CanFire(t, actor)).ToList();

    /// <summary>签收. An acknowledge-only duty is completed by it, so that is its delivery (<see cref="Assignment.SubmittedAt"/>).</summary>
    public AssignmentTransition Acknowledge(Actor actor, DateTimeOffset at) =>
        Fire(AssignmentTrigger.Acknowledge, actor, at, apply: () =>
        {
            if (State == Approved)
            {
                Assignment.SubmittedAt ??= at;
            }
        });

    /// <summary>开始办理.</summary>
    public AssignmentTransition StartWork(Actor actor, DateTimeOffset at) => Fire(AssignmentTrigger.StartWork, actor, at);

    /// <summary>报送进展: starts the work if it had not started; otherwise keeps it in progress.</summary>
    public AssignmentTransition ReportProgress(Actor actor, DateTimeOffset at, string? note = null) =>
        Fire(AssignmentTrigger.ReportProgress, actor, at, Trimmed(note, AssignmentTrigger.ReportProgress, actor));

    /// <summary>提交 (or resubmit after a return). The first submission is the delivery the on-time rule counts; a resubmission keeps it.</summary>
    public AssignmentTransition Submit(Actor actor, DateTimeOffset at) =>
        Fire(AssignmentTrigger.Submit, actor, at, apply: () =>
        {
            Assignment.ReturnReason = null;
            Assignment.SubmittedAt ??= at;
        });

    /// <summary>退回, with the reason the unit reads.</summary>
    public AssignmentTransition Return(Actor actor, DateTimeOffset at, string reason)
    {
        var why = Trimmed(reason, AssignmentTrigger.Return, actor);
        return Fire(AssignmentTrigger.Return, actor, at, why,
            check: () => RequireReason(AssignmentTrigger.Return, actor, why),
            apply: () => Assignment.ReturnReason = why);
    }

    /// <summary>审核通过. Final; a pending extension request lapses.</summary>
    public AssignmentTransition Approve(Actor actor, DateTimeOffset at) =>
        Fire(AssignmentTrigger.Approve, actor, at, apply: () => Assignment.PendingExtension = null);

    /// <summary>撤销 (e.g. replaced by a reassignment), with a reason. Final; a pending extension request lapses.</summary>
    public AssignmentTransition Cancel(Actor actor, DateTimeOffset at, string reason)
    {
        var why = Trimmed(reason, AssignmentTrigger.Cancel, actor);
        return Fire(AssignmentTrigger.Cancel, actor, at, why,
            check: () => RequireReason(AssignmentTrigger.Cancel, actor, why),
            apply: () => Assignment.PendingExtension = null);
    }

    /// <summary>
    /// 改派: the duty goes to <paramref name="unit"/>, with a reason, from any open state back to 已交办 — the new unit signs for it
    /// afresh. The old unit's pending extension request, return reason and delivery go with it; a new due date may come along.
    /// </summary>
    public AssignmentTransition Reassign(Actor actor, DateTimeOffset at, string unit, string reason, DateOnly? dueDate = null)
    {
        var why = Trimmed(reason, AssignmentTrigger.Reassign, actor);
        var to = string.IsNullOrWhiteSpace(unit) ? "" : unit.Trim();
        return Fire(AssignmentTrigger.Reassign, actor, at, why,
            check: () =>
            {
                RequireReason(AssignmentTrigger.Reassign, actor, why);
                if (to.Length == 0 || to == Assignment.Unit)
                {
                    throw Refuse(TransitionRefusal.Invalid, trigger: AssignmentTrigger.Reassign, actor: actor,
                        message: to.Length == 0 ? "no unit to reassign to" : $"the assignment is already the unit '{to}'s",
                        userMessage: to.Length == 0 ? "请选择改派到的单位" : $"已由{to}承办，无需改派", field: "unit");
                }
            },
            apply: () =>
            {
                Assignment.Unit = to;
                Assignment.DueDate = dueDate ?? Assignment.DueDate;
                Assignment.PendingExtension = null;
                Assignment.ReturnReason = null;
                Assignment.SubmittedAt = null;
            });
    }

    /// <summary>改期: a new due date (different from the current one), with a reason; the state and a pending request stay.</summary>
    public AssignmentTransition Reschedule(Actor actor, DateTimeOffset at, DateOnly dueDate, string reason)
    {
        var why = Trimmed(reason, AssignmentTrigger.Reschedule, actor);
        return Fire(AssignmentTrigger.Reschedule, actor, at, why,
            check: () =>
            {
                RequireReason(AssignmentTrigger.Reschedule, actor, why);
                if (dueDate == Assignment.DueDate)
                {
                    throw Refuse(TransitionRefusal.Invalid, AssignmentTrigger.Reschedule, actor,
                        $"the new due date {AssignmentNames.Iso(dueDate)} is the current one",
                        $"新的截止日期与原截止日期（{AssignmentNames.Iso(dueDate)}）相同", "dueDate");
                }
            },
            apply: () => Assignment.DueDate = dueDate);
    }

    /// <summary>
    /// 并入单位报告: a migration folds this open per-item duty into its unit's per-unit report (its text and evidence go onto the
    /// report's line), with a reason. Final (已撤销). Not while it is under review or an extension request waits.
    /// </summary>
    public AssignmentTransition Fold(Actor actor, DateTimeOffset at, string reason)
    {
        var why = Trimmed(reason, AssignmentTrigger.Fold, actor);
        return Fire(AssignmentTrigger.Fold, actor, at, why, check: () => RequireReason(AssignmentTrigger.Fold, actor, why));
    }

    /// <summary>申请延期: to a date after the current due date, with a reason; one pending request at a time.</summary>
    public AssignmentTransition RequestExtension(Actor actor, DateTimeOffset at, DateOnly requestedDueDate, string reason)
    {
        var why = Trimmed(reason, AssignmentTrigger.RequestExtension, actor);
        return Fire(AssignmentTrigger.RequestExtension, actor, at, why, requestedDueDate,
            check: () =>
            {
                RequireAfterDueDate(AssignmentTrigger.RequestExtension, actor, requestedDueDate, "requestedDueDate", "申请延期日期");
                RequireReason(AssignmentTrigger.RequestExtension, actor, why);
            },
            apply: () => Assignment.PendingExtension = new ExtensionRequest(requestedDueDate, why!, actor.Name, at));
    }

    /// <summary>
    /// 批准延期: moves the due date to the requested date, or to <paramref name="grantedDueDate"/> when the office
    /// grants another one (still after the current due date).
    /// </summary>
    public AssignmentTransition ApproveExtension(Actor actor, DateTimeOffset at, DateOnly? grantedDueDate = null)
    {
        DateOnly? requested = Assignment.PendingExtension?.RequestedDueDate;
        return Fire(AssignmentTrigger.ApproveExtension, actor, at, requestedDueDate: requested,
            check: () =>
            {
                if (grantedDueDate is { } granted)
                {
                    RequireAfterDueDate(AssignmentTrigger.ApproveExtension, actor, granted, "grantedDueDate", "批准延期日期");
                }
            },
            apply: () =>
            {
                Assignment.DueDate = grantedDueDate ?? requested!.Value;
                Assignment.PendingExtension = null;
            });
    }

    /// <summary>不予延期, with a reason: the due date stays.</summary>
    public AssignmentTransition RefuseExtension(Actor actor, DateTimeOffset at, string reason)
    {
        var why = Trimmed(reason, AssignmentTrigger.RefuseExtension, actor);
        DateOnly? requested = Assignment.PendingExtension?.RequestedDueDate;
        return Fire(AssignmentTrigger.RefuseExtension, actor, at, why, requested,
            check: () => RequireReason(AssignmentTrigger.RefuseExtension, actor, why),
            apply: () => Assignment.PendingExtension = null);
    }

    private AssignmentTransition Fire(
        AssignmentTrigger trigger,
        Actor actor,
        DateTimeOffset at,
        string? reason = null,
        DateOnly? requestedDueDate = null,
        Action? check = null,
        Action? apply = null)
    {
        if (ActorRefusal(trigger, actor) is { } refusal)
        {
            throw refusal;
        }
        if (!machine.CanFire(trigger, out var unmetGuards))
        {
            // Stateless gives no list (null) when the state has no transition for the trigger at all.
            throw unmetGuards is not { Count: > 0 }
                ? Refuse(TransitionRefusal.IllegalState, trigger, actor,
                    $"state {State} does not allow {trigger}",
                    $"当前状态「{State.Label()}」不能执行「{trigger.Label()}」")
                : Assignment.PendingExtension is { } pending
                    ? Refuse(TransitionRefusal.Conflict, trigger, actor,
                        $"an extension to {AssignmentNames.Iso(pending.RequestedDueDate)} is already pending, so {trigger} is not allowed",
                        $"已有延期申请（至{AssignmentNames.Iso(pending.RequestedDueDate)}）待审批，不能再次「{trigger.Label()}」")
                    : Refuse(TransitionRefusal.Conflict, trigger, actor,
                        $"no extension request is pending, so nothing to {trigger}",
                        $"没有待审批的延期申请，不能执行「{trigger.Label()}」");
        }
        check?.Invoke();

        var from = State;
        var dueBefore = Assignment.DueDate;
        machine.Fire(trigger);
        apply?.Invoke();
        return new AssignmentTransition(Assignment.Id, trigger, from, State, actor, at, dueBefore, Assignment.DueDate, reason, requestedDueDate);
    }

    private AssignmentTransitionException? ActorRefusal(AssignmentTrigger trigger, Actor actor)
    {
        var roles = WhoMayFire[trigger];
        if (!roles.Contains(actor.Role))
        {
            return Refuse(TransitionRefusal.Forbidden, trigger, actor,
                $"role {actor.Role} may not {trigger} (allowed: {string.Join(", ", roles)})",
                $"「{actor.Role.Label()}」无权执行「{trigger.Label()}」，只有{string.Join("、", roles.Select(r => $"「{r.Label()}」"))}可以");
        }
        if (actor.Role == ActorRole.Unit && actor.Name != Assignment.Unit)
        {
            return Refuse(TransitionRefusal.Forbidden, trigger, actor,
                $"unit '{actor.Name}' is not the assigned unit '{Assignment.Unit}' and may not {trigger}",
                $"「{actor.Name}」不是本任务的承办单位（{Assignment.Unit}），不能执行「{trigger.Label()}」");
        }
        if (actor.Role == ActorRole.Reviewer && actor.Name != Assignment.ReviewerUnit)
        {
            return Refuse(TransitionRefusal.Forbidden, trigger, actor,
                Assignment.ReviewerUnit is null
                    ? $"unit '{actor.Name}' may not {trigger}: this assignment is reviewed by the office"
                    : $"unit '{actor.Name}' is not the reviewing unit '{Assignment.ReviewerUnit}' and may not {trigger}",
                Assignment.ReviewerUnit is null
                    ? $"本任务由创建办审核，「{actor.Name}」不能执行「{trigger.Label()}」"
                    : $"「{actor.Name}」不是本任务的审核单位（{Assignment.ReviewerUnit}），不能执行「{trigger.Label()}」");
        }
        return null;
    }

    private void RequireReason(AssignmentTrigger trigger, Actor actor, string? reason)
    {
        if (reason is null)
        {
            throw Refuse(TransitionRefusal.Invalid, trigger, actor,
                $"{trigger} needs a reason",
                $"执行「{trigger.Label()}」须填写理由", "reason");
        }
    }

    private void RequireAfterDueDate(AssignmentTrigger trigger, Actor actor, DateOnly date, string field, string what)
    {
        if (date <= Assignment.DueDate)
        {
            throw Refuse(TransitionRefusal.Invalid, trigger, actor,
                $"{field} {AssignmentNames.Iso(date)} is not after the due date {AssignmentNames.Iso(Assignment.DueDate)}",
                $"{what}（{AssignmentNames.Iso(date)}）须晚于当前截止日期（{AssignmentNames.Iso(Assignment.DueDate)}）", field);
        }
    }

    private AssignmentTransitionException Refuse(
        TransitionRefusal refusal, AssignmentTrigger trigger, Actor actor, string message, string userMessage, string? field = null) =>
        new(refusal, State, trigger, actor, $"Assignment {Assignment.Id}: {message}.", userMessage, field);

    /// <summary>The longest reason a transition keeps (a 退回, 延期 or 撤销 reason), in characters.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>The reason trimmed (null when blank), refused over <see cref="MaxReasonLength"/> before anything else is checked.</summary>
    private string? Trimmed(string? text, AssignmentTrigger trigger, Actor actor)
    {
        var why = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (why is { Length: > MaxReasonLength })
        {
            throw Refuse(TransitionRefusal.Invalid, trigger, actor,
                $"the reason has {why.Length} characters, more than {MaxReasonLength}",
                $"不能超过{MaxReasonLength}个字（现为{why.Length}个字）。", "reason");
        }
        return why;
    }
}
