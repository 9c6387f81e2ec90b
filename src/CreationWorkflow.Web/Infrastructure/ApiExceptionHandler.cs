using System.Text.Json;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Seeding;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Infrastructure;

/// <summary>Maps request and domain exceptions to ProblemDetails that name the field and the reason.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        (int status, string? title, Dictionary<string, string[]>? errors) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "请求体格式有误", new Dictionary<string, string[]> { [json.Path ?? "$"] = [SeedJson.Explain(json)] }),
            BadHttpRequestException bad => (bad.StatusCode, "请求有误", new Dictionary<string, string[]> { ["$"] = [bad.Message] }),
            DomainException domain => (domain.Status, null, new Dictionary<string, string[]> { [domain.Field] = [domain.Message] }),
            AssignmentTransitionException refused =>
                (StatusOf(refused.Refusal), null, new Dictionary<string, string[]> { [FieldOf(refused)] = [refused.UserMessage] }),
            DbUpdateConcurrencyException => (409, null, new Dictionary<string, string[]> { ["revision"] = ["数据已被他人修改，请刷新后重试。"] }),
            _ => (0, null, null),
        };
        title ??= TitleOf(status);
        if (errors is null)
        {
            return false;
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(errors)
            {
                Status = status,
                Title = title,
                Detail = errors.Count == 1 && errors.First().Value is [var only] ? only : null,
            },
        });
    }

    /// <summary>Forbidden → 403; a state or data that does not allow it now → 409; a broken argument → 400.</summary>
    public static int StatusOf(TransitionRefusal refusal) => refusal switch
    {
        TransitionRefusal.Forbidden => StatusCodes.Status403Forbidden,
        TransitionRefusal.IllegalState or TransitionRefusal.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string FieldOf(AssignmentTransitionException e) =>
        e.Field ?? (e.Refusal == TransitionRefusal.Forbidden ? "actor" : "state");

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status403Forbidden => "无权执行此操作",
        StatusCodes.Status404NotFound => "未找到",
        StatusCodes.Status409Conflict => "当前状态不允许此操作",
        _ => "请求有误",
    };
}
