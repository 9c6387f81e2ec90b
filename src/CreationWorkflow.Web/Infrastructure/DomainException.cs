namespace CreationWorkflow.Web.Infrastructure;

/// <summary>A refusal a user can act on: which field, why (zh-CN), and the HTTP status it maps to.</summary>
public sealed class DomainException(string field, string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    public string Field { get; } = field;
    public int Status { get; } = status;
}
