namespace CreationWorkflow.Web.Infrastructure;

/// <summary>What kind of refusal a <see cref="DomainException"/> is; <see cref="Refusals"/> turns it into a status code.</summary>
public enum ErrorKind
{
    /// <summary>The input is wrong (400).</summary>
    Invalid,

    /// <summary>The thing does not exist, or the caller may not know it does (404).</summary>
    NotFound,

    /// <summary>The current state or stored data does not allow it now (409).</summary>
    Conflict,

    /// <summary>The caller may not do this (403).</summary>
    Forbidden,

    /// <summary>An upload over its size limit (413).</summary>
    TooLarge,
}

/// <summary>A refusal a user can act on: which field, why (zh-CN), and what kind of refusal it is.</summary>
public sealed class DomainException(string field, string message, ErrorKind kind = ErrorKind.Invalid) : Exception(message)
{
    public string Field { get; } = field;

    public ErrorKind Kind { get; } = kind;
}
