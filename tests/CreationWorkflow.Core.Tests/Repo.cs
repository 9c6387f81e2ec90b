using CreationWorkflow.Core.Programmes;
using CreationWorkflow.Core.Seeding;

namespace CreationWorkflow.Core.Tests;

/// <summary>Finds the repository's seed/ folder and loads each programme once per test run.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Seed => Path.Combine(Root, "seed");

    private static readonly Lazy<Programme> hechi = new(() => SeedLoader.Load(Path.Combine(Seed, "hechi-2021")));
    private static readonly Lazy<Programme> taijiang = new(() => SeedLoader.Load(Path.Combine(Seed, "taijiang-2022")));

    public static Programme Hechi => hechi.Value;
    public static Programme Taijiang => taijiang.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreationWorkflow.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CreationWorkflow.sln not found above " + AppContext.BaseDirectory);
    }
}
