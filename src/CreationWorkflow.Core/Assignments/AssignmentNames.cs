namespace CreationWorkflow.Core.Assignments;

/// <summary>The states of one assignment (交办). Stored as its name; the order is the usual order of work.</summary>
public enum AssignmentState
{
    /// <summary>已交办: created by the office, waiting for the unit to sign for it.</summary>
    Assigned,

    /// <summary>已签收: the unit has signed for it.</summary>
    Acknowledged,

    /// <summary>办理中: the unit is working on it (started, or has reported progress).</summary>
    InProgress,

    /// <summary>已提交: the unit has submitted its result; waiting for review.</summary>
    Submitted,

    /// <summary>已退回: the reviewer sent the submission back with a reason; the unit reworks and resubmits.</summary>
    Returned,

    /// <summary>已通过: the reviewer accepted the submission. Final.</summary>
    Approved,

    /// <summary>已撤销: the office withdrew it (e.g. replaced by a reassignment). Final.</summary>
    Cancelled,
}

/// <summary>What can happen to an assignment. Each is fired by an <see cref="Actor"/> whose role may fire it.</summary>
public enum AssignmentTrigger
{
    Acknowledge,
    StartWork,
    ReportProgress,
    Submit,
    Return,
    Approve,
    Cancel,
    RequestExtension,
    ApproveExtension,
    RefuseExtension,

    /// <summary>改派: the office moves the duty to another unit, which starts afresh (已交办).</summary>
    Reassign,

    /// <summary>改期: the office (or a migration to a new plan) moves the due date; the state stays.</summary>
    Reschedule,

    /// <summary>并入单位报告: a migration folds an open per-item duty into its unit's per-unit report (→ 已撤销).</summary>
    Fold,
}

/// <summary>The role an actor fires a trigger in.</summary>
public enum ActorRole
{
    /// <summary>创建办 (领导小组办公室): assigns, reviews, decides extensions, cancels.</summary>
    Office,

    /// <summary>承办单位: the unit the assignment is for, and only that unit.</summary>
    Unit,

    /// <summary>审核单位: the lead unit (牵头单位) reviewing a responsible unit's submission, when the assignment names it.</summary>
    Reviewer,

    /// <summary>督查: inspects progress; fires no lifecycle trigger.</summary>
    Inspector,

    /// <summary>领导: read-only.</summary>
    Leader,
}

/// <summary>The Chinese words a user reads for states, triggers and roles.</summary>
public static class AssignmentNames
{
    public static string Label(this AssignmentState state) => state switch
    {
        AssignmentState.Assigned => "已交办",
        AssignmentState.Acknowledged => "已签收",
        AssignmentState.InProgress => "办理中",
        AssignmentState.Submitted => "已提交",
        AssignmentState.Returned => "已退回",
        AssignmentState.Approved => "已通过",
        AssignmentState.Cancelled => "已撤销",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Label(this AssignmentTrigger trigger) => trigger switch
    {
        AssignmentTrigger.Acknowledge => "签收",
        AssignmentTrigger.StartWork => "开始办理",
        AssignmentTrigger.ReportProgress => "报送进展",
        AssignmentTrigger.Submit => "提交",
        AssignmentTrigger.Return => "退回",
        AssignmentTrigger.Approve => "审核通过",
        AssignmentTrigger.Cancel => "撤销",
        AssignmentTrigger.RequestExtension => "申请延期",
        AssignmentTrigger.ApproveExtension => "批准延期",
        AssignmentTrigger.RefuseExtension => "不予延期",
        AssignmentTrigger.Reassign => "改派",
        AssignmentTrigger.Reschedule => "改期",
        AssignmentTrigger.Fold => "并入单位报告",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
    };

    public static string Label(this ActorRole role) => role switch
    {
        ActorRole.Office => "创建办",
        ActorRole.Unit => "承办单位",
        ActorRole.Reviewer => "审核单位（牵头单位）",
        ActorRole.Inspector => "督查",
        ActorRole.Leader => "领导",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>A date as users and logs read it: 2022-06-30, whatever the current culture.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
