namespace CreationWorkflow.Web.Infrastructure;

/// <summary>Where the host finds its seed and keeps its data. Section "CreationWorkflow" in configuration.</summary>
public sealed class AppOptions
{
    public const string Section = "CreationWorkflow";

    /// <summary>The seed/ folder. Default: the nearest seed/ folder above the content root.</summary>
    public string? SeedPath { get; set; }

    /// <summary>The data folder (SQLite file, mail pickup, uploads). Default: data/ beside seed/.</summary>
    public string? DataPath { get; set; }

    /// <summary>"Sqlite" (embedded default) or "Postgres".</summary>
    public string Database { get; set; } = "Sqlite";

    /// <summary>Connection string; for SQLite the default is a file in the data folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Demo run: one account per role and a seeded campaign. Off unless set (never implied by the environment).</summary>
    public bool Demo { get; set; }

    public string ResolveSeedPath(string contentRoot) =>
        SeedPath ?? FindUp(contentRoot, "seed") ?? throw new InvalidOperationException(
            $"No seed/ folder found above {contentRoot}; set {Section}:SeedPath.");

    /// <summary>The workflows/ folder. Default: beside seed/.</summary>
    public string? WorkflowsPath { get; set; }

    public string ResolveWorkflowsPath(string contentRoot) =>
        WorkflowsPath ?? Path.Combine(Path.GetDirectoryName(ResolveSeedPath(contentRoot))!, "workflows");

    public string ResolveDataPath(string contentRoot) =>
        DataPath ?? Path.Combine(Path.GetDirectoryName(ResolveSeedPath(contentRoot))!, "data");

    private static string? FindUp(string start, string folder)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, folder);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
