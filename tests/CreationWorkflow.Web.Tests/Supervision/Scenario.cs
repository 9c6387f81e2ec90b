namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>
/// A Taijiang 2022 campaign of three assessed units, started by the office on 2021-12-20 for 2022-01-01, looked at
/// on Thursday 2022-01-20. Every unit's 签收任务 (acknowledge, 23 items) was due 2022-01-10 and is 10 days late; its
/// 报送 (report) is due 2022-12-09. A few are changed so that every light shows:
/// <list type="bullet">
/// <item><see cref="Late15"/>: 民宗局 acknowledge item 1, due 2022-01-05 — red, 15 days late (the board's top row);</item>
/// <item><see cref="Submitted"/>: 教育局 acknowledge item 2, submitted — no light although past its date;</item>
/// <item><see cref="Blue"/>: 台拱镇 report item 3, due Monday 2022-01-24 (2 working days) — blue;</item>
/// <item><see cref="Returned"/>: 民宗局 report item 4, returned for rework — yellow;</item>
/// <item><see cref="Approved"/>: 台拱镇 acknowledge item 5, approved — off the board.</item>
/// </list>
/// So of 138 assignments 137 are open: 67 red, 1 yellow, 1 blue, 68 without a light.
/// </summary>
public sealed class Scenario : IDisposable
{
    public static readonly string[] Units = ["台江县民宗局", "台江县教育局", "台江县台拱镇"];

    /// <summary>A time in China, as the clock gives it: in UTC, like <see cref="TimeProvider.GetUtcNow"/> (PostgreSQL stores nothing else).</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour = 10) =>
        new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    public static readonly DateTimeOffset Today = At(2022, 1, 20);

    public TestClock Clock { get; }
    public AppFactory App { get; }
    public Guid CampaignId { get; private set; }
    public Guid Late15 { get; private set; }
    public Guid Submitted { get; private set; }
    public Guid Blue { get; private set; }
    public Guid Returned { get; private set; }
    public Guid Approved { get; private set; }

    private Scenario(AppFactory app, TestClock clock) => (App, Clock) = (app, clock);

    /// <summary>
    /// The scenario on SQLite is built once per test run, its host stopped and its folder kept; every test gets a copy of
    /// that folder (database, data, seed) and a host and clock of its own. On PostgreSQL it is built for each test.
    /// </summary>
    private static readonly Lazy<Task<Scenario>> Template = new(async () =>
    {
        var template = await BuildAsync(null);
        template.App.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.App.DeleteFolders();
        return template;
    });

    public static async Task<Scenario> StartAsync(string? postgres = null)
    {
        if (postgres is not null)
        {
            return await BuildAsync(postgres);
        }
        var template = await Template.Value;
        var root = Path.Combine(Path.GetTempPath(), "cw-web-" + Guid.NewGuid().ToString("N"));
        AppFactory.CopyDirectory(template.App.Root, root);
        var clock = new TestClock(Today);
        return new Scenario(new AppFactory(root) { Clock = clock }, clock)
        {
            CampaignId = template.CampaignId, Late15 = template.Late15, Submitted = template.Submitted, Blue = template.Blue,
            Returned = template.Returned, Approved = template.Approved,
        };
    }

    private static async Task<Scenario> BuildAsync(string? postgres)
    {
        var clock = new TestClock(At(2021, 12, 20));
        var s = new Scenario(new AppFactory { Clock = clock, Postgres = postgres }, clock);
        var office = await s.App.ClientFor(Roles.Office);
        var started = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = Units });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        s.CampaignId = (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal(138, s.App.WithDb(db => db.Assignments.Count(a => a.CampaignId == s.CampaignId)));

        s.Late15 = s.Change(Units[0], "acknowledge", 1, a => a.DueDate = new DateOnly(2022, 1, 5));
        s.Submitted = s.Change(Units[1], "acknowledge", 2, a => a.State = AssignmentState.Submitted);
        s.Blue = s.Change(Units[2], "report", 3, a => a.DueDate = new DateOnly(2022, 1, 24));
        s.Returned = s.Change(Units[0], "report", 4, a => a.State = AssignmentState.Returned);
        s.Approved = s.Change(Units[2], "acknowledge", 5, a => a.State = AssignmentState.Approved);
        s.Clock.Set(Today);
        return s;
    }

    /// <summary>A client for the role, signed in now (tokens expire an hour after the clock's time of sign-in).</summary>
    public Task<HttpClient> Client(string role, string? unit = null) => App.ClientFor(role, unit);

    public Guid Assignment(string unit, string step, int item) =>
        App.WithDb(db => db.Assignments.Single(a => a.CampaignId == CampaignId && a.Unit == unit && a.StepId == step && a.ItemNo == item).Id);

    public List<AuditEntry> Audit(string action, object entityId) =>
        App.WithDb(db => db.Audit.Where(a => a.Action == action && a.EntityId == entityId.ToString()).ToList());

    private Guid Change(string unit, string step, int item, Action<Web.Assignments.AssignmentRecord> change) => App.WithDb(db =>
    {
        var a = db.Assignments.Single(x => x.CampaignId == CampaignId && x.Unit == unit && x.StepId == step && x.ItemNo == item);
        change(a);
        db.SaveChanges();
        return a.Id;
    });

    public void Dispose()
    {
        App.Dispose();
        App.DeleteFolders();
    }
}

internal static class Json
{
    public static async Task<JsonObject> Body(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>The first reason ProblemDetails gives for the field.</summary>
    public static async Task<string> Problem(this HttpResponseMessage response, string field)
    {
        var problem = await response.Body();
        return (string)problem["errors"]![field]![0]!;
    }
}
