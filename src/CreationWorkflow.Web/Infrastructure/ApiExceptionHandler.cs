using System.Text.Json;
using CreationWorkflow.Core.Seeding;
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
