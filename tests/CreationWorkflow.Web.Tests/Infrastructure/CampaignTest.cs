namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>
/// One disposable start for test classes whose tests each need a fresh host with one campaign: the host on its own SQLite
/// file and clock, an office client, the campaign started over the API; stopped and its folders deleted after each test.
/// xUnit makes one instance per test, so tests never see each other's data.
/// </summary>
public abstract class CampaignTest(string programme, string startDate, DateTimeOffset now, string[]? units = null, int workflowVersion = 1)
    : IAsyncLifetime
{
    protected AppFactory App { get; } = new() { Clock = new TestClock(now) };

    /// <summary>An office user's client (bearer token).</summary>
    protected HttpClient Office { get; private set; } = null!;

    protected Guid CampaignId { get; private set; }

    public virtual async Task InitializeAsync()
    {
        Office = await App.ClientFor(Roles.Office);
        CampaignId = await AppFactory.StartCampaignAsync(Office, programme, startDate, units, workflowVersion);
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
