using Microsoft.AspNetCore.DataProtection;

namespace CreationWorkflow.Web.Tests.Reminders;

/// <summary>A Hechi campaign (v2) started 2021-12-01, looked at on 2022-03-01; notices come from the office's 催办.</summary>
public sealed class ReadStatusWorld : IAsyncLifetime
{
    public const string UnitA = "市民宗委";
    public const string UnitB = "市教育局";

    public TestClock Clock { get; } = new(new DateTimeOffset(2022, 3, 1, 10, 0, 0, TimeSpan.FromHours(8)));
    public AppFactory App { get; }
    public HttpClient Office { get; private set; } = null!;
    public Guid CampaignId { get; private set; }
    private readonly Dictionary<string, Queue<Guid>> open = [];

    public ReadStatusWorld() => App = new AppFactory
    {
        Clock = Clock,
        // No leader escalation here: these tests count reads.
        Settings = new Dictionary<string, string> { ["CreationWorkflow:Notices:UnreadEscalateAfterWorkingHours"] = "0" },
    };

    public async Task InitializeAsync()
    {
        Office = await App.ClientFor(Roles.Office);
        CampaignId = await AppFactory.StartCampaignAsync(Office, "hechi-2021", "2021-12-01", workflowVersion: 2);
        foreach (var unit in new[] { UnitA, UnitB })
        {
            open[unit] = new(App.WithDb(db => db.Assignments.Where(a => a.CampaignId == CampaignId && a.Unit == unit && a.State == AssignmentState.Assigned)
                .OrderBy(a => a.DueDate).Select(a => a.Id).ToList()));
        }
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        App.DeleteFolders();
        return Task.CompletedTask;
    }

    /// <summary>A 催办 of one of the unit's open assignments (a new one each time): the notice's id and its assignment.</summary>
    public async Task<(long Notice, Guid Assignment)> UrgeAsync(string unit)
    {
        var assignment = open[unit].Dequeue();
        var urged = await Office.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = assignment, note = "请尽快办理" });
        Assert.True(urged.IsSuccessStatusCode, await urged.Content.ReadAsStringAsync());
        return ((long)(await urged.Content.ReadFromJsonAsync<JsonObject>())!["notificationId"]!, assignment);
    }

    public DateTimeOffset? ReadAt(long notice) => App.WithDb(db => db.Notifications.Single(n => n.Id == notice).ReadAt);
}

/// <summary>
/// Read status: a message's read link marks its notice read (first read kept) and opens the task; a tampered or
/// expired link answers a Chinese page; opening the task or the inbox in-app counts; the office sees unread per unit.
/// </summary>
public sealed class ReadStatusTests(ReadStatusWorld world) : IClassFixture<ReadStatusWorld>
{
    private ReadLinks Links => world.App.Services.GetRequiredService<ReadLinks>();

    [Fact]
    public async Task A_read_link_marks_the_notice_read_once_and_redirects_to_its_task()
    {
        var (notice, assignment) = await world.UrgeAsync(ReadStatusWorld.UnitA);
        var url = new Uri(Links.UrlFor(notice));
        Assert.StartsWith(world.App.Services.GetRequiredService<IOptions<MailOptions>>().Value.BaseUrl.TrimEnd('/') + "/r/", url.ToString());
        using var anonymous = PageClient.Anonymous(world.App);
        var opened = await anonymous.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal($"/assignments/{assignment}", PageClient.Location(opened));
        var first = world.Clock.GetUtcNow();
        Assert.Equal(first, world.ReadAt(notice));
        // The task itself still needs a sign-in.
        var task = await anonymous.GetAsync(PageClient.Location(opened));
        Assert.StartsWith("/account/login", PageClient.Location(task));

        world.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync(url.PathAndQuery)).StatusCode);
        Assert.Equal(first, world.ReadAt(notice)); // the first read is kept
        var audits = world.App.WithDb(db => db.Audit.Where(a => a.Action == "notification.read" && a.EntityId == notice.ToString()).Select(a => a.Actor).ToList());
        Assert.Equal([NotificationEndpoints.ReadLinkActor], audits);
    }

    [Fact]
    public async Task A_tampered_or_expired_read_link_is_refused_with_a_chinese_page()
    {
        var (notice, _) = await world.UrgeAsync(ReadStatusWorld.UnitB);
        var token = Links.TokenFor(notice);
        var tampered = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
        // Minted 31 days ago: expired by the configured 30 days.
        var past = new TestClock(world.Clock.GetUtcNow().AddDays(-31));
        var expired = new ReadLinks(world.App.Services.GetRequiredService<IDataProtectionProvider>(),
            world.App.Services.GetRequiredService<IOptions<NoticeOptions>>(), world.App.Services.GetRequiredService<IOptions<MailOptions>>(), past).TokenFor(notice);
        // Another purpose's protected text (a valid Data Protection payload, not a read link).
        var foreign = world.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("other").Protect($"{notice}|9999999999");
        using var anonymous = PageClient.Anonymous(world.App);
        foreach (var bad in new[] { tampered, expired, foreign, "abc" })
        {
            var response = await anonymous.GetAsync($"/r/{bad}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("链接无效或已过期", html);
            Assert.DoesNotContain("Exception", html);
        }
        Assert.Null(world.ReadAt(notice));
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/r/{token}")).StatusCode);
        Assert.NotNull(world.ReadAt(notice));
    }

    [Fact]
    public async Task Opening_the_task_or_the_inbox_in_app_marks_the_notices_read()
    {
        var (onTask, assignment) = await world.UrgeAsync(ReadStatusWorld.UnitA);
        var page = await PageClient.SignInAsync(world.App, Roles.Unit, ReadStatusWorld.UnitA);
        Assert.Null(world.ReadAt(onTask));
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync($"/assignments/{assignment}")).StatusCode);
        Assert.Equal(world.Clock.GetUtcNow(), world.ReadAt(onTask));

        var (inList, _) = await world.UrgeAsync(ReadStatusWorld.UnitA);
        var shown = await page.GetStringAsync("/inbox");
        Assert.Contains("<span class=\"badge light-red\">未读</span>", shown); // shown as unread this once
        Assert.NotNull(world.ReadAt(inList));
        // Another unit's notice is not touched by A's reading.
        var (other, _) = await world.UrgeAsync(ReadStatusWorld.UnitB);
        await page.GetStringAsync("/inbox");
        Assert.Null(world.ReadAt(other));
    }

    [Fact]
    public async Task The_office_sees_unread_notices_per_unit()
    {
        await world.UrgeAsync(ReadStatusWorld.UnitA);
        await world.UrgeAsync(ReadStatusWorld.UnitB);
        await world.UrgeAsync(ReadStatusWorld.UnitB);
        var expected = world.App.WithDb(db => db.Notifications.Where(n => n.ReadAt == null).Select(n => n.Recipient).ToList())
            .Where(r => !r.StartsWith("role:", StringComparison.Ordinal)).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(expected[ReadStatusWorld.UnitB] >= 2);
        var answer = await world.Office.GetFromJsonAsync<JsonArray>("/api/notifications/unread-by-unit");
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:{e.Value}"),
            answer!.Select(u => $"{(string)u!["unit"]!}:{(int)u["unread"]!}").Order(StringComparer.Ordinal));
        var forCampaign = await world.Office.GetFromJsonAsync<JsonArray>($"/api/notifications/unread-by-unit?campaignId={world.CampaignId}");
        Assert.Equal(expected.Values.Sum(), forCampaign!.Sum(u => (int)u!["unread"]!));
        Assert.Empty((await world.Office.GetFromJsonAsync<JsonArray>($"/api/notifications/unread-by-unit?campaignId={Guid.NewGuid()}"))!);

        var unit = await world.App.ClientFor(Roles.Unit, ReadStatusWorld.UnitA);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.GetAsync("/api/notifications/unread-by-unit")).StatusCode);
        var ops = await (await PageClient.SignInAsync(world.App, Roles.Office)).GetStringAsync("/operations");
        Assert.Contains($"data-unread-unit=\"{ReadStatusWorld.UnitB}\"><td>{ReadStatusWorld.UnitB}</td><td>{expected[ReadStatusWorld.UnitB]}</td>", ops);
    }
}
