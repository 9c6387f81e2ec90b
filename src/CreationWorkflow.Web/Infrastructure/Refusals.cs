using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CreationWorkflow.Web.Infrastructure;

/// <summary>One refusal as the API (ProblemDetails) and the pages (an error beside a field, with the status) show it.</summary>
public sealed record Refusal(int Status, string Title, IReadOnlyDictionary<string, string[]> Errors)
{
    public Refusal(int status, string field, string message)
        : this(status, Refusals.TitleOf(status), new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    /// <summary>The (first) field at fault.</summary>
    public string Field => Errors.Keys.First();

    /// <summary>The (first) reason, zh-CN.</summary>
    public string Message => Errors.Values.First()[0];

    public bool IsNotFound => Status == StatusCodes.Status404NotFound;

    /// <summary>Every reason under its field, for a page that shows errors through model state.</summary>
    public void AddTo(ModelStateDictionary state)
    {
        foreach (var (field, messages) in Errors)
        {
            foreach (var message in messages)
            {
                state.AddModelError(field, message);
            }
        }
    }
}

/// <summary>
/// The one mapping from exceptions a user can act on (domain refusals, lifecycle refusals, concurrent edits, malformed
/// request bodies) to a status, a title and zh-CN reasons by field. <see cref="ApiExceptionHandler"/> writes it as
/// ProblemDetails; page models show it beside the field.
/// </summary>
public static class Refusals
{
    public const string ConcurrentEdit = "数据已被他人修改，请刷新后重试。";

    /// <summary>The refusal <paramref name="e"/> stands for, or null for an exception that is a fault (500).</summary>
    /// <param name="bodyType">The type the request body was read as, so a wrong value can be explained by its member's type.</param>
    public static Refusal? Of(Exception e, Type? bodyType = null) => e switch
    {
        BadHttpRequestException { InnerException: JsonException json } =>
            new Refusal(StatusCodes.Status400BadRequest, "请求体格式有误", RequestBodies.Explain(json, bodyType)),
        BadHttpRequestException bad => new Refusal(bad.StatusCode, "请求有误", RequestBodies.Explain(bad)),
        DomainException d => Of(d),
        Workflows.WorkflowRejectedException w => new Refusal(StatusCodes.Status400BadRequest, "流程定义有误，没有保存", w.Errors),
        AssignmentTransitionException t => new Refusal(StatusOf(KindOf(t.Refusal)), FieldOf(t), t.UserMessage),
        DbUpdateConcurrencyException => new Refusal(StatusCodes.Status409Conflict, "revision", ConcurrentEdit),
        DbUpdateException unique when unique.IsUniqueViolation() => new Refusal(StatusCodes.Status409Conflict, "$", "保存时与已有数据冲突，没有保存任何内容。"),
        _ => null,
    };

    /// <summary>The refusal a domain exception always stands for.</summary>
    public static Refusal Of(DomainException e) => new(StatusOf(e.Kind), e.Field, e.Message);

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Forbidden → forbidden; a state or data that does not allow it now → conflict; a broken argument → invalid.</summary>
    public static ErrorKind KindOf(TransitionRefusal refusal) => refusal switch
    {
        TransitionRefusal.Forbidden => ErrorKind.Forbidden,
        TransitionRefusal.IllegalState or TransitionRefusal.Conflict => ErrorKind.Conflict,
        _ => ErrorKind.Invalid,
    };

    public static string TitleOf(int status) => status switch
    {
        StatusCodes.Status403Forbidden => "无权执行此操作",
        StatusCodes.Status404NotFound => "未找到",
        StatusCodes.Status409Conflict => "当前状态不允许此操作",
        _ => "请求有误",
    };

    private static string FieldOf(AssignmentTransitionException e) =>
        e.Field ?? (e.Refusal == TransitionRefusal.Forbidden ? "actor" : "state");
}
