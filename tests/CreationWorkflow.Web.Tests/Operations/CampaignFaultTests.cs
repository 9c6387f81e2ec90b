using CreationWorkflow.Web.Jobs;
using Quartz;

namespace CreationWorkflow.Web.Tests.Operations;

/// <summary>
/// Starting a campaign schedules its checkpoints or fails before anything is stored; the start dates that gave 500 after
/// committing (a window still open whose last firing has passed) now give 201 with every checkpoint that still fires
/// scheduled; a restart reschedules missing triggers; an Idempotency-Key makes a retried start return the first campaign.
/// On the real clock, because Quartz computes its firings on it.
/// </summary>
public sealed class CampaignFaultTests : IDisposable
{
    private readonly AppFactory app = new() { Scheduling = true };

    public void Dispose()
    {
        app.Dispose();
        app.DeleteFolders();
    }

    [Theory]
    [InlineData("2026-01-01")]
    [InlineData("2025-11-03")]
    [InlineData("2026-02-02")]
    public async Task Start_dates_with_past_firings_in_open_windows_schedule_what_remains(string start)
    {
        var office = await app.PatientClientFor(Roles.Office);
        var id = await AppFactory.StartCampaignAsync(office, "hechi-2021", start);
        var expected = await ExpectedTriggersAsync(office, id);
        Assert.Equal(expected, await TriggersAsync(app, id));

        // A restart puts back triggers that went missing (a crash between the commit and the scheduling, a wiped store).
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        foreach (var name in expected)
        {
            Assert.True(await scheduler.UnscheduleJob(new TriggerKey(name, CheckpointScheduler.Group)));
        }
        Assert.Empty(await TriggersAsync(app, id));
        app.Dispose();
        using var restarted = app.Restart();
        _ = restarted.Server;
        Assert.Equal(expected, await TriggersAsync(restarted, id));
    }

    [Fact]
    public async Task A_retried_start_with_the_same_idempotency_key_returns_the_first_campaign()
    {
        var office = await app.ClientFor(Roles.Office);
        var before = app.WithDb(db => db.Campaigns.Count());
        var first = await StartAsync(office, "retry-1");
        var retried = await StartAsync(office, "retry-1");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal((HttpStatusCode.Created, first.Id), (retried.Status, retried.Id));
        Assert.Equal(before + 1, app.WithDb(db => db.Campaigns.Count()));

        // Two retries at once with a new key: one campaign between them.
        var both = await Task.WhenAll(StartAsync(office, "retry-2"), StartAsync(office, "retry-2"));
        Assert.All(both, b => Assert.Equal(HttpStatusCode.Created, b.Status));
        Assert.Equal(both[0].Id, both[1].Id);
        Assert.NotEqual(first.Id, both[0].Id);
        Assert.Equal(before + 2, app.WithDb(db => db.Campaigns.Count()));

        // The key is the caller's own: another office user with the same key starts its own campaign.
        var other = await StartAsync(await app.ClientFor(Roles.Office), "retry-1");
        Assert.NotEqual(first.Id, other.Id);

        // A key that is not a token is refused, naming the header.
        var bad = await office.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/campaigns")
        {
            Content = JsonContent.Create(new { programmeId = "taijiang-2022", startDate = "2026-03-02", assessedUnits = new[] { "甲单位" } }),
            Headers = { { "Idempotency-Key", new string('k', 101) } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Idempotency-Key", await bad.Content.ReadAsStringAsync());
        Assert.Equal(before + 3, app.WithDb(db => db.Campaigns.Count()));
    }

    private static async Task<(HttpStatusCode Status, Guid Id)> StartAsync(HttpClient office, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/campaigns")
        {
            Content = JsonContent.Create(new { programmeId = "taijiang-2022", startDate = "2026-03-02", assessedUnits = new[] { "甲单位", "乙单位" } }),
        };
        request.Headers.Add("Idempotency-Key", key);
        var response = await office.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, response.IsSuccessStatusCode ? (Guid)body!["id"]! : Guid.Empty);
    }

    /// <summary>The checkpoints of the definition that have a cron firing left inside their phase window, from now on.</summary>
    private async Task<List<string>> ExpectedTriggersAsync(HttpClient office, Guid id)
    {
        var campaign = (await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{id}"))!;
        var phases = campaign["phases"]!.AsArray().ToDictionary(p => (string)p!["id"]!, p => (Start: DateOnly.Parse((string)p!["start"]!), End: DateOnly.Parse((string)p!["end"]!)));
        var definition = app.Services.GetRequiredService<WorkflowCatalog>().Get((string)campaign["workflowId"]!, (int)campaign["workflowVersion"]!);
        var zone = ChinaTime.Zone;
        var now = DateTimeOffset.UtcNow;
        var expected = new List<string>();
        foreach (var cp in definition.Checkpoints)
        {
            var (start, end) = phases[cp.Phase];
            var windowStart = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(start.ToDateTime(TimeOnly.MinValue)));
            var windowEnd = new DateTimeOffset(end.ToDateTime(TimeOnly.MaxValue), zone.GetUtcOffset(end.ToDateTime(TimeOnly.MaxValue)));
            var next = new CronExpression(cp.Cron, zone).GetNextValidTimeAfter((windowStart > now ? windowStart : now).AddSeconds(-1));
            if (next is { } n && n <= windowEnd)
            {
                expected.Add($"{id:N}:{cp.Id}");
            }
        }
        Assert.NotEmpty(definition.Checkpoints);
        return [.. expected.Order(StringComparer.Ordinal)];
    }

    /// <summary>The campaign's checkpoint triggers that exist in the Quartz store.</summary>
    private static async Task<List<string>> TriggersAsync(AppFactory host, Guid id)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var campaign = host.WithDb(db => db.Campaigns.Single(c => c.Id == id));
        var definition = host.Services.GetRequiredService<WorkflowCatalog>().Get(campaign.WorkflowId, campaign.WorkflowVersion);
        var found = new List<string>();
        foreach (var cp in definition.Checkpoints)
        {
            var name = $"{id:N}:{cp.Id}";
            if (await scheduler.Exists(new TriggerKey(name, CheckpointScheduler.Group)))
            {
                found.Add(name);
            }
        }
        return [.. found.Order(StringComparer.Ordinal)];
    }
}
