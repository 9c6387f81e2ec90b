using CreationWorkflow.Web.Calendar;
using Ical.Net.CalendarComponents;
using ICalendar = Ical.Net.Calendar;

namespace CreationWorkflow.Web.Tests.Calendar;

/// <summary>A Hechi campaign on workflow v2 (one report per unit and month), looked at on 2022-03-01; mail links under a public base URL.</summary>
public sealed class CalendarWorld : IAsyncLifetime
{
    public const string UnitA = "市民宗委";
    public const string UnitB = "市教育局";
    public const string BaseUrl = "https://cj.hechi.example";

    public TestClock Clock { get; } = new(new DateTimeOffset(2022, 3, 1, 10, 0, 0, TimeSpan.FromHours(8)));
    public AppFactory App { get; }
    public Guid CampaignId { get; private set; }
    public HttpClient Office { get; private set; } = null!;

    public CalendarWorld() => App = new AppFactory
    {
        Clock = Clock,
        Settings = new Dictionary<string, string> { ["CreationWorkflow:Mail:BaseUrl"] = BaseUrl },
    };

    public async Task InitializeAsync()
    {
        Office = await App.ClientFor(Roles.Office);
        CampaignId = await AppFactory.StartCampaignAsync(Office, "hechi-2021", "2021-12-01", workflowVersion: 2);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        App.DeleteFolders();
        return Task.CompletedTask;
    }

    /// <summary>The unit's assignments the feed must list: owed, in a campaign not ended (today is inside this one).</summary>
    public List<AssignmentRow> Owed(string unit) => App.WithDb(db => db.Assignments
        .Where(a => a.Unit == unit && a.CampaignId == CampaignId)
        .Select(a => new AssignmentRow(a.Id, a.StepId, a.DueDate, a.State)).ToList()
        .Where(a => Deadline.OwedStates.Contains(a.State)).ToList());

    public sealed record AssignmentRow(Guid Id, string StepId, DateOnly DueDate, AssignmentState State);
}

/// <summary>
/// The unit's iCal feed: issued on the API, read anonymously with its token, parsed back with Ical.Net (events, alarms,
/// summaries, stable UIDs), 304 on an unchanged ETag, 404 once rotated or revoked; a unit cannot manage another's.
/// </summary>
public sealed class CalendarFeedTests(CalendarWorld world) : IClassFixture<CalendarWorld>
{
    private async Task<string> IssueAsync(HttpClient client, string unit)
    {
        var issued = await client.PostAsync($"/api/calendar/feeds/{Uri.EscapeDataString(unit)}", null);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var url = (string)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["url"]!;
        Assert.StartsWith(CalendarWorld.BaseUrl + "/calendar/", url);
        Assert.EndsWith(".ics", url);
        return new Uri(url).PathAndQuery;
    }

    [Fact]
    public async Task The_feed_lists_the_units_open_deadlines_with_alarms_of_the_reminder_policy()
    {
        var unit = await world.App.ClientFor(Roles.Unit, CalendarWorld.UnitA);
        var path = await IssueAsync(unit, CalendarWorld.UnitA);
        using var anonymous = PageClient.Anonymous(world.App);
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.NotNull(response.Content.Headers.LastModified);
        var text = await response.Content.ReadAsStringAsync();
        var cal = ICalendar.Load(text)!;

        var owed = world.Owed(CalendarWorld.UnitA);
        Assert.NotEmpty(owed);
        Assert.Equal(owed.Select(a => $"{a.Id:N}@{DeadlineFeed.UidDomain}").Order(), cal.Events.Select(e => e.Uid).Order());
        Assert.Contains("X-WR-CALNAME:" + DeadlineFeed.CalendarName(CalendarWorld.UnitA), text);
        Assert.Contains("VERSION:2.0", text);
        Assert.Contains("PRODID:", text);

        using var scope = world.App.Services.CreateScope();
        var workflows = scope.ServiceProvider.GetRequiredService<WorkflowCatalog>();
        var calendar = scope.ServiceProvider.GetRequiredService<WorkingDayCalendar>();
        var definition = workflows.Get("hechi-2021", 2);
        foreach (var a in owed)
        {
            var e = cal.Events.Single(x => x.Uid == $"{a.Id:N}@{DeadlineFeed.UidDomain}");
            var step = definition.Steps.Single(s => s.Id == a.StepId);
            Assert.False(e.DtStart!.HasTime); // all-day, on the due date
            Assert.Equal(a.DueDate, DateOnly.FromDateTime(e.DtStart.Value));
            Assert.Equal(a.DueDate.AddDays(1), DateOnly.FromDateTime(e.DtEnd!.Value));
            Assert.StartsWith($"【河池创建】{CalendarWorld.UnitA} ", e.Summary);
            Assert.EndsWith($"{step.Name} 截止", e.Summary);
            Assert.Contains($"{CalendarWorld.BaseUrl}/assignments/{a.Id}", e.Description);
            Assert.Equal(world.Clock.GetUtcNow().UtcDateTime, e.DtStamp!.AsUtc);

            // One alarm per reminder before and on the due date, at the instant the reminder itself fires.
            var expected = ReminderSchedule.For(a.DueDate, definition.ReminderPolicies[step.Reminders], calendar)
                .Where(r => r.Kind is ReminderKind.BeforeDue or ReminderKind.OnDue)
                .Select(r => ReminderSchedule.FireAt(r.Date, definition).DateTime).Order().ToList();
            var alarms = e.Alarms.Select(x => e.DtStart.Value.Add(x.Trigger!.Duration!.Value.ToTimeSpanUnspecified())).Order().ToList();
            Assert.Equal(expected, alarms);
            Assert.All(e.Alarms, x => Assert.Equal("DISPLAY", x.Action));
        }
    }

    [Fact]
    public async Task An_unchanged_feed_answers_304_and_a_moved_due_date_keeps_the_uid()
    {
        var path = await IssueAsync(world.Office, CalendarWorld.UnitB);
        using var anonymous = PageClient.Anonymous(world.App);
        var first = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;

        var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        var unchanged = await anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());

        // 改期 of one deadline: a new ETag, the same UID on the new date.
        var target = world.Owed(CalendarWorld.UnitB).Where(a => a.DueDate >= new DateOnly(2022, 3, 1)).OrderBy(a => a.DueDate).First();
        var newDue = target.DueDate.AddDays(7);
        var moved = await world.Office.PatchAsJsonAsync($"/api/assignments/{target.Id}", new { dueDate = newDue.ToString("yyyy-MM-dd"), reason = "日历测试改期" });
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(etag);
        var changed = await anonymous.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        var before = ICalendar.Load(await first.Content.ReadAsStringAsync())!.Events.Select(e => e.Uid).Order().ToList();
        var after = ICalendar.Load(await changed.Content.ReadAsStringAsync())!;
        Assert.Equal(before, after.Events.Select(e => e.Uid).Order().ToList());
        Assert.Equal(newDue, DateOnly.FromDateTime(after.Events.Single(e => e.Uid == $"{target.Id:N}@{DeadlineFeed.UidDomain}").DtStart!.Value));
    }

    [Fact]
    public async Task A_rotated_or_revoked_token_answers_404_and_only_its_hash_is_stored()
    {
        const string unit = "市财政局";
        var old = await IssueAsync(world.Office, unit);
        var rotated = await IssueAsync(world.Office, unit);
        using var anonymous = PageClient.Anonymous(world.App);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(rotated)).StatusCode);

        var token = rotated["/calendar/".Length..^".ics".Length];
        var rows = world.App.WithDb(db => db.CalendarFeeds.Where(f => f.Unit == unit).ToList());
        Assert.Equal(2, rows.Count);
        Assert.DoesNotContain(rows, r => r.TokenHash.Contains(token, StringComparison.Ordinal));
        Assert.Equal(CalendarFeeds.Hash(token), rows.Single(r => r.RevokedAt is null).TokenHash);

        var status = await world.Office.GetFromJsonAsync<JsonObject>($"/api/calendar/feeds/{unit}");
        Assert.True((bool)status!["active"]!);
        Assert.DoesNotContain(token, status.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await world.Office.DeleteAsync($"/api/calendar/feeds/{unit}")).StatusCode);
        var gone = await anonymous.GetAsync(rotated);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("订阅链接无效或已停用", await gone.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await world.Office.DeleteAsync($"/api/calendar/feeds/{unit}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/not-a-real-token-at-all-0123456789.ics")).StatusCode);
        Assert.Equal(2, world.App.WithDb(db => db.Audit.Count(a => a.EntityId == unit && a.Action == "calendar_feed.issued")));
        Assert.Equal(1, world.App.WithDb(db => db.Audit.Count(a => a.EntityId == unit && a.Action == "calendar_feed.revoked")));
    }

    [Fact]
    public async Task A_unit_cannot_see_or_change_another_units_feed()
    {
        var unitA = await world.App.ClientFor(Roles.Unit, CalendarWorld.UnitA);
        var before = world.App.WithDb(db => db.CalendarFeeds.Count());
        var other = Uri.EscapeDataString("市委宣传部");
        Assert.Equal(HttpStatusCode.NotFound, (await unitA.GetAsync($"/api/calendar/feeds/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unitA.PostAsync($"/api/calendar/feeds/{other}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unitA.DeleteAsync($"/api/calendar/feeds/{other}")).StatusCode);
        var page = await PageClient.SignInAsync(world.App, Roles.Unit, CalendarWorld.UnitA);
        Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync($"/calendar?unit={other}")).StatusCode);
        var posted = await PageClient.PostFormAsync(page, "/calendar", "/calendar?handler=Issue", new() { ["unit"] = "市委宣传部" });
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Equal(before, world.App.WithDb(db => db.CalendarFeeds.Count()));
        var inspector = await world.App.ClientFor(Roles.Inspector);
        Assert.Equal(HttpStatusCode.NotFound, (await inspector.PostAsync($"/api/calendar/feeds/{Uri.EscapeDataString(CalendarWorld.UnitA)}", null)).StatusCode);
    }

    [Fact]
    public async Task The_page_issues_a_feed_and_shows_its_url_once()
    {
        const string unit = "市文广体旅局";
        var page = await PageClient.SignInAsync(world.App, Roles.Unit, unit);
        var empty = await page.GetStringAsync("/calendar");
        Assert.Contains("未开通", empty);
        Assert.Contains("开通日程订阅", empty);
        var issued = await PageClient.PostFormAsync(page, "/calendar", "/calendar?handler=Issue");
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var html = await issued.Content.ReadAsStringAsync();
        var url = System.Text.RegularExpressions.Regex.Match(html, "value=\"(" + CalendarWorld.BaseUrl.Replace(".", "\\.") + "/calendar/[^\"]+\\.ics)\"").Groups[1].Value;
        Assert.NotEmpty(url);
        Assert.Contains("仅显示这一次", html);
        var later = await page.GetStringAsync("/calendar");
        Assert.Contains("已开通", later);
        Assert.DoesNotContain(url, later);
        using var anonymous = PageClient.Anonymous(world.App);
        var feed = ICalendar.Load(await anonymous.GetStringAsync(new Uri(url).PathAndQuery))!;
        Assert.Equal(world.Owed(unit).Count, feed.Events.Count);
        var revoked = await PageClient.PostFormAsync(page, "/calendar", "/calendar?handler=Revoke");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(url).PathAndQuery)).StatusCode);
    }
}
