namespace CreationWorkflow.Core.Seeding;

/// <summary>One fault in a seed or definition file: which file, where in it, and why.</summary>
public sealed record SeedError(string File, string Path, string Reason, long? Line = null)
{
    public override string ToString() => $"{File}{(Line is { } l ? $":{l}" : "")} {Path}: {Reason}";
}

public sealed class SeedException(IReadOnlyList<SeedError> errors)
    : Exception($"{errors.Count} seed error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<SeedError> Errors { get; } = errors;
}
