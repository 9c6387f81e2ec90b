using CreationWorkflow.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreationWorkflow.Web.Tests;

/// <summary>
/// The real host over HTTP, on a real SQLite file in its own temp folder, with its own copy of seed/
/// (so a test can break it without touching the repository).
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cw-web-" + Guid.NewGuid().ToString("N"));
    public string SeedPath => Path.Combine(Root, "seed");
    public string DataPath => Path.Combine(Root, "data");

    public AppFactory(string? root = null)
    {
        if (root is not null)
        {
            Root = root;
            return;
        }
        CopyDirectory(Path.Combine(RepoRoot, "seed"), SeedPath);
    }

    /// <summary>A second host over the same folders: a restart.</summary>
    public AppFactory Restart() => new(Root);

    public static string RepoRoot { get; } = FindRoot();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("CreationWorkflow:SeedPath", SeedPath);
        builder.UseSetting("CreationWorkflow:DataPath", DataPath);
    }

    public T WithDb<T>(Func<AppDbContext, T> query)
    {
        using var scope = Services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreationWorkflow.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CreationWorkflow.sln not found");
    }

    public void DeleteFolders()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
