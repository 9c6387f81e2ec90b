using System.Collections.Concurrent;

namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>
/// One disposable start for test classes whose tests each need a fresh host with one campaign: the host on its own SQLite
/// file and clock, an office client, the campaign started over the API; stopped and its folders deleted after each test.
/// xUnit makes one instance per test, so tests never see each other's data.
/// </summary>
/// <remarks>
/// Starting a city campaign writes tens of thousands of rows, so it is done once per test run for each set-up (programme,
/// start, units, version, clock): that host is stopped and its folder kept as a template; each test copies the folder
/// (SQLite file, data, seed) and starts its own host on the copy. Every test still gets a database of its own.
/// </remarks>
public abstract class CampaignTest(string programme, string startDate, DateTimeOffset now, string[]? units = null, int workflowVersion = 1)
    : IAsyncLifetime
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<(string Root, Guid CampaignId)>>> Templates = new();

    static CampaignTest() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var template in Templates.Values.Where(t => t.IsValueCreated && t.Value.IsCompletedSuccessfully))
        {
            try
            {
                Directory.Delete(template.Value.Result.Root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort at exit: the folder is under the temp directory.
            }
        }
    };

    protected AppFactory App { get; private set; } = null!;

    /// <summary>An office user's client (bearer token).</summary>
    protected HttpClient Office { get; private set; } = null!;

    protected Guid CampaignId { get; private set; }

    public virtual async Task InitializeAsync()
    {
        var key = string.Join('|', programme, startDate, string.Join(',', units ?? []), workflowVersion, now.ToString("O"));
        var (template, campaignId) = await Templates.GetOrAdd(key, _ => new Lazy<Task<(string, Guid)>>(StartTemplateAsync)).Value;
        var root = Path.Combine(Path.GetTempPath(), "cw-web-" + Guid.NewGuid().ToString("N"));
        AppFactory.CopyDirectory(template, root);
        App = new AppFactory(root) { Clock = new TestClock(now) };
        Office = await App.ClientFor(Roles.Office);
        CampaignId = campaignId;
    }

    private async Task<(string, Guid)> StartTemplateAsync()
    {
        var app = new AppFactory { Clock = new TestClock(now) };
        try
        {
            var office = await app.PatientClientFor(Roles.Office);
            var id = await AppFactory.StartCampaignAsync(office, programme, startDate, units, workflowVersion);
            return (app.Root, id);
        }
        finally
        {
            app.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        App.DeleteFolders();
        return Task.CompletedTask;
    }

    /// <summary>10:00 on a day in China, the clock most campaign tests start from.</summary>
    protected static DateTimeOffset ChinaMorning(int year, int month, int day) => new(year, month, day, 10, 0, 0, TimeSpan.FromHours(8));
}
