using System.Text.Json;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Diagnostics;

namespace CreationWorkflow.Web.Infrastructure;

/// <summary>Maps request and domain exceptions to ProblemDetails that name the field and the reason.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, errors) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "请求体格式有误", new Dictionary<string, string[]> { [json.Path ?? "$"] = [SeedJson.Explain(json)] }),
            BadHttpRequestException bad => (bad.StatusCode, "请求有误", new Dictionary<string, string[]> { ["$"] = [bad.Message] }),
            DomainException d => (d.Status, d.Status switch { 404 => "未找到", 409 => "当前状态不允许此操作", 403 => "无权操作", _ => "请求有误" },
                new Dictionary<string, string[]> { [d.Field] = [d.Message] }),
            AssignmentTransitionException t => (t.Refusal switch
                {
                    TransitionRefusal.Forbidden => 403,
                    TransitionRefusal.Invalid => 400,
                    _ => 409,
                }, t.Refusal switch
                {
                    TransitionRefusal.Forbidden => "无权操作",
                    TransitionRefusal.Invalid => "请求有误",
                    _ => "当前状态不允许此操作",
                }, new Dictionary<string, string[]> { [t.Field ?? "state"] = [t.UserMessage] }),
            DbUpdateConcurrencyException => (409, "数据已被他人修改", new Dictionary<string, string[]> { ["revision"] = ["该记录刚被他人修改，请刷新后重试。"] }),
            _ => (0, "", null),
        };
        if (errors is null)
        {
            return false;
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(errors) { Status = status, Title = title },
        });
    }
}
