namespace CreationWorkflow.Core.Assignments;

/// <summary>Why a trigger was refused; the host maps it to a status code.</summary>
public enum TransitionRefusal
{
    /// <summary>The current state does not allow the trigger (409).</summary>
    IllegalState,

    /// <summary>The actor's role, or the actor itself, may not fire it on this assignment (403).</summary>
    Forbidden,

    /// <summary>An argument breaks a rule; <see cref="AssignmentTransitionException.Field"/> names it (400).</summary>
    Invalid,

    /// <summary>The assignment's data does not allow it now, e.g. an extension is already pending (409).</summary>
    Conflict,
}

/// <summary>
/// A trigger refused by the assignment lifecycle. <see cref="Exception.Message"/> is English, for logs and code;
/// <see cref="UserMessage"/> is zh-CN, for the user, e.g. "当前状态「已提交」不能执行「签收」".
/// </summary>
public sealed class AssignmentTransitionException(
    TransitionRefusal refusal,
    AssignmentState state,
    AssignmentTrigger trigger,
    Actor actor,
    string message,
    string userMessage,
    string? field = null) : Exception(message)
{
    public TransitionRefusal Refusal { get; } = refusal;

    public AssignmentState State { get; } = state;

    public AssignmentTrigger Trigger { get; } = trigger;

    public Actor Actor { get; } = actor;

    /// <summary>zh-CN text for the user, naming the state and the action.</summary>
    public string UserMessage { get; } = userMessage;

    /// <summary>The argument at fault (camelCase, as the API names it), for <see cref="TransitionRefusal.Invalid"/>.</summary>
    public string? Field { get; } = field;
}
