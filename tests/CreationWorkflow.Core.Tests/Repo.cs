namespace CreationWorkflow.Core.Tests;

/// <summary>Finds the repository's seed/ folder and loads each programme once per test run.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Seed => Path.Combine(Root, "seed");

    public static string Workflows => Path.Combine(Root, "workflows");

    private static readonly Lazy<Programme> hechi = new(() => SeedLoader.Load(Path.Combine(Seed, "hechi-2021")));
    private static readonly Lazy<Programme> taijiang = new(() => SeedLoader.Load(Path.Combine(Seed, "taijiang-2022")));

    private static readonly Lazy<WorkingDayCalendar> calendar =
        new(() => WorkingDayCalendar.Load(Path.Combine(Seed, "calendar", "cn-holidays.json")));
    private static readonly Lazy<IReadOnlyList<WorkflowDefinition>> workflows =
        new(() => WorkflowLoader.LoadAll(Workflows, Programmes));

    public static Programme Hechi => hechi.Value;
    public static Programme Taijiang => taijiang.Value;

    public static IReadOnlyDictionary<string, Programme> Programmes =>
        new Dictionary<string, Programme> { [Hechi.Id] = Hechi, [Taijiang.Id] = Taijiang };

    /// <summary>seed/calendar/cn-holidays.json: mainland working days 2021–2026.</summary>
    public static WorkingDayCalendar Calendar => calendar.Value;

    /// <summary>workflows/hechi-2021.json: version 1, one 进展填报 per item × responsible unit × month.</summary>
    public static WorkflowDefinition HechiWorkflow => workflows.Value.Single(w => w.Id == "hechi-2021" && w.Version == 1);

    /// <summary>workflows/hechi-2021.v2.json: version 2, one report per unit per period (grain unit).</summary>
    public static WorkflowDefinition HechiWorkflowV2 => workflows.Value.Single(w => w.Id == "hechi-2021" && w.Version == 2);
    public static WorkflowDefinition TaijiangWorkflow => workflows.Value.Single(w => w.Id == "taijiang-2022");

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
