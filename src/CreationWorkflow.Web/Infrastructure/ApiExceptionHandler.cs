using Microsoft.AspNetCore.Diagnostics;

namespace CreationWorkflow.Web.Infrastructure;

/// <summary>Writes the <see cref="Refusals"/> mapping of request and domain exceptions as ProblemDetails that name the field and the reason.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        // The middleware clears the endpoint before handlers run; the feature keeps the one that failed.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var bodyType = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        if (Refusals.Of(exception, bodyType) is not { } refusal)
        {
            return false;
        }
        context.Response.StatusCode = refusal.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(refusal.Errors.ToDictionary())
            {
                Status = refusal.Status,
                Title = refusal.Title,
                Detail = refusal.Errors.Count == 1 && refusal.Errors.First().Value is [var only] ? only : null,
            },
        });
    }
}
