using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CreationWorkflow.Web.Tests.Assignments;

/// <summary>One Taijiang campaign of three units, shared by the inbox tests; each test works on its own unit or re-reads what it compares.</summary>
public sealed class InboxWorld : IAsyncLifetime
{
    public static readonly string[] Units = ["台江县民宗局", "台江县教育局", "台江县卫健局"];
    public TestClock Clock { get; } = new(new DateTimeOffset(2022, 1, 4, 10, 0, 0, TimeSpan.FromHours(8)));
    public AppFactory App { get; private set; } = null!;
    public Guid CampaignId { get; private set; }

    public async Task InitializeAsync()
    {
        App = new AppFactory { Clock = Clock };
        CampaignId = await AppFactory.StartCampaignAsync(await App.ClientFor(Roles.Office), "taijiang-2022", "2022-01-01", Units);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        App.DeleteFolders();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The unit inbox (/inbox, /api/assignments/mine): groups and counts by the Core rule (<see cref="InboxWindow"/>) over the planned
/// rows, 批量签收 of a phase (one action, one audit entry per task, only the unit's own), and the delivery time the on-time rate reads.
/// </summary>
public sealed partial class InboxTests(InboxWorld world) : IClassFixture<InboxWorld>
{
    private AppFactory App => world.App;

    private static async Task OkAsync(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

    /// <summary>The unit's rows by the Core rule, on the day the app says it is.</summary>
    private Dictionary<InboxGroup, List<Guid>> Expected(string unit, DateOnly today)
    {
        var calendar = App.Services.GetRequiredService<WorkingDayCalendar>();
        var rows = App.WithDb(db => db.Assignments.Where(a => a.Unit == unit).Select(a => new { a.Id, a.State, a.DueDate }).ToList());
        return InboxWindow.Groups.ToDictionary(g => g, g => rows.Where(r => g != InboxGroup.ToReview && Deadline.InboxGroupOf(r.State, r.DueDate, today, calendar) == g)
            .Select(r => r.Id).ToList());
    }

    [Fact]
    public async Task The_groups_and_their_counts_follow_the_core_rule_on_the_api_and_the_page()
    {
        var unit = InboxWorld.Units[0];
        // Late, this week and later all occur: the day is after some due dates of the plan and before others.
        world.Clock.Set(new DateTimeOffset(2022, 1, 12, 10, 0, 0, TimeSpan.FromHours(8)));
        var api = await App.ClientFor(Roles.Unit, unit);
        var summary = (await api.GetFromJsonAsync<JsonObject>("/api/assignments/mine/groups"))!;
        var today = DateOnly.Parse((string)summary["today"]!);
        Assert.Equal(new DateOnly(2022, 1, 12), today);
        var expected = Expected(unit, today);
        Assert.True(expected[InboxGroup.Late].Count > 0 && expected[InboxGroup.Later].Count > 0, "the plan gives late and later work on this day");
        var counts = summary["groups"]!.AsArray().ToDictionary(g => (string)g!["key"]!, g => (int)g!["count"]!);
        foreach (var g in InboxWindow.Groups.Where(g => g != InboxGroup.ToReview))
        {
            Assert.Equal(expected[g].Count, counts[InboxWindow.Key(g)]);
            var page = (await api.GetFromJsonAsync<JsonObject>($"/api/assignments/mine?group={InboxWindow.Key(g)}&pageSize=200"))!;
            Assert.Equal(expected[g].Count, (int)page["total"]!);
            Assert.Equal(expected[g].Order(), page["items"]!.AsArray().Select(i => (Guid)i!["id"]!).Order());
        }
        Assert.Equal(0, counts["review"]); // a unit that leads nothing has nothing to review
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/assignments/mine?group=soon")).StatusCode);

        // The page: each count first, then the open groups' rows as cards, each under its own group; one group paged on demand.
        var client = await PageClient.SignInAsync(App, Roles.Unit, unit);
        var html = await client.GetStringAsync("/inbox");
        foreach (var g in InboxWindow.Groups.Where(g => g != InboxGroup.ToReview))
        {
            Assert.Matches($"data-group-count=\"{InboxWindow.Key(g)}\">[^<]*<strong>{expected[g].Count}</strong>", html);
        }
        Assert.DoesNotContain("待我审核", html);
        foreach (var g in new[] { InboxGroup.Late, InboxGroup.DueThisWeek, InboxGroup.Later })
        {
            var section = Section(html, InboxWindow.Key(g));
            Assert.Equal(expected[g].Take(InboxModelRows).Count(), Row().Matches(section).Count);
            Assert.All(Row().Matches(section), m => Assert.Contains(Guid.Parse(m.Groups[1].Value), expected[g]));
        }
        var only = await client.GetStringAsync("/inbox?group=late");
        Assert.Equal(expected[InboxGroup.Late].Order(), Row().Matches(only).Select(m => Guid.Parse(m.Groups[1].Value)).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/inbox?group=soon")).StatusCode);
        world.Clock.Set(new DateTimeOffset(2022, 1, 4, 10, 0, 0, TimeSpan.FromHours(8)));
    }

    private const int InboxModelRows = Web.Assignments.InboxModel.OverviewRows;

    private static string Section(string html, string key)
    {
        var start = html.IndexOf($"data-group=\"{key}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {key}");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [Fact]
    public async Task Signing_for_a_phase_moves_every_own_task_in_one_action_with_an_audit_entry_each_and_nothing_else()
    {
        var (unit, other) = (InboxWorld.Units[1], InboxWorld.Units[2]);
        var phase = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == world.CampaignId && a.Unit == unit && a.State == AssignmentState.Assigned)
            .GroupBy(a => a.PhaseId).OrderByDescending(g => g.Count()).Select(g => g.Key).First());
        var mine = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == world.CampaignId && a.Unit == unit && a.PhaseId == phase && a.State == AssignmentState.Assigned)
            .Select(a => a.Id).ToList());
        Assert.True(mine.Count > 1);
        var theirs = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == world.CampaignId && a.Unit == other).Select(a => new { a.Id, a.State, a.Revision }).ToList());
        int Audits(IEnumerable<Guid> ids)
        {
            var keys = ids.Select(i => i.ToString()).ToList();
            return App.WithDb(db => db.Audit.Count(e => e.Entity == AuditEntities.Assignment && keys.Contains(e.EntityId)));
        }
        var theirAudits = Audits(theirs.Select(t => t.Id));

        // A unit without tasks in the campaign is refused (404) and changes nothing; so is a phase with nothing left.
        var stranger = await App.ClientFor(Roles.Unit, "台江县文广局");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync("/api/assignments/sign", new { campaignId = world.CampaignId, phaseId = phase })).StatusCode);
        // The office is not a unit user: the route is refused.
        var office = await App.ClientFor(Roles.Office);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync("/api/assignments/sign", new { campaignId = world.CampaignId, phaseId = phase })).StatusCode);

        var api = await App.ClientFor(Roles.Unit, unit);
        var signed = await api.PostAsJsonAsync("/api/assignments/sign", new { campaignId = world.CampaignId, phaseId = phase });
        await OkAsync(signed);
        var body = (await signed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(mine.Count, (int)body["signed"]!);
        Assert.Equal(mine.Order(), body["ids"]!.AsArray().Select(i => (Guid)i!).Order());
        var after = App.WithDb(db => db.Assignments.Where(a => mine.Contains(a.Id)).Select(a => a.State).ToList());
        Assert.All(after, s => Assert.Contains(s, new[] { AssignmentState.Acknowledged, AssignmentState.Approved }));
        var keys = mine.Select(i => i.ToString()).ToList();
        var acknowledge = AuditActions.Assignment(AssignmentTrigger.Acknowledge);
        Assert.Equal(mine.Count, App.WithDb(db => db.Audit.Count(e => e.Action == acknowledge && keys.Contains(e.EntityId))));
        Assert.Equal(mine.Count, App.WithDb(db => db.Audit.Where(e => e.Action == acknowledge && keys.Contains(e.EntityId)).Select(e => e.EntityId).Distinct().Count()));

        // The other unit's tasks are untouched; signing again has nothing left (409).
        Assert.Equal(theirs.Select(t => (t.Id, t.State, t.Revision)).Order(),
            App.WithDb(db => db.Assignments.Where(a => a.CampaignId == world.CampaignId && a.Unit == other).Select(a => new { a.Id, a.State, a.Revision }).ToList())
                .Select(t => (t.Id, t.State, t.Revision)).Order());
        Assert.Equal(theirAudits, Audits(theirs.Select(t => t.Id)));
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync("/api/assignments/sign", new { campaignId = world.CampaignId, phaseId = phase })).StatusCode);

        // The other unit signs from its page: the form carries the antiforgery token; without it nothing happens.
        var page = await PageClient.SignInAsync(App, Roles.Unit, other);
        var html = await page.GetStringAsync("/inbox");
        Assert.Contains($"data-sign=\"{world.CampaignId}/{phase}\"", html);
        Assert.DoesNotContain($"data-sign=\"{world.CampaignId}/{phase}\"", await (await PageClient.SignInAsync(App, Roles.Unit, unit)).GetStringAsync("/inbox"));
        var forged = await page.PostAsync("/inbox?handler=Sign", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["campaignId"] = world.CampaignId.ToString(), ["phaseId"] = phase }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(theirAudits, Audits(theirs.Select(t => t.Id)));
        var toSign = theirs.Count(t => t.State == AssignmentState.Assigned
            && App.WithDb(db => db.Assignments.Single(a => a.Id == t.Id).PhaseId) == phase);
        // One form for every action of the page and one for 退出: two antiforgery tokens, whatever the number of phases and
        // rows; the phase's button posts its campaign and phase.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "name=\"__RequestVerificationToken\"").Count);
        var button = $"/inbox?handler=Sign&campaignId={world.CampaignId}&phaseId={phase}";
        Assert.Contains($"formaction=\"{System.Net.WebUtility.HtmlEncode(button)}\"", html);
        var posted = await PageClient.PostFormAsync(page, "/inbox", button);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains($"已签收{toSign}项。", await page.GetStringAsync("/inbox"));
        Assert.Equal(theirAudits + toSign, Audits(theirs.Select(t => t.Id)));
        var again = await PageClient.PostFormAsync(page, "/inbox", "/inbox?handler=Sign", new() { ["campaignId"] = world.CampaignId.ToString(), ["phaseId"] = phase });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("该阶段没有待签收的任务。", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_first_submission_is_kept_and_the_board_counts_on_time_by_it()
    {
        var unit = InboxWorld.Units[0];
        var today = new DateOnly(2022, 1, 4);
        world.Clock.Set(new DateTimeOffset(2022, 1, 4, 10, 0, 0, TimeSpan.FromHours(8)));
        var api = await App.ClientFor(Roles.Unit, unit);
        var office = await App.ClientFor(Roles.Office);
        Guid Open(string step) => App.WithDb(db => db.Assignments.Where(a => a.CampaignId == world.CampaignId && a.Unit == unit && a.StepId == step
            && a.State == AssignmentState.Assigned && a.DueDate >= today).OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).Select(a => a.Id).First());
        var (early, late) = (Open("report"), Open("acknowledge"));
        var lateDue = App.WithDb(db => db.Assignments.Single(a => a.Id == late).DueDate);

        // A report delivered early: the first submission.
        await OkAsync(await api.PostAsJsonAsync($"/api/assignments/{early}/acknowledge", new { }));
        await OkAsync(await api.PostAsync($"/api/assignments/{early}/progress", new MultipartFormDataContent { { new StringContent("已按要求完成。"), "text" } }));
        await OkAsync(await api.PostAsJsonAsync($"/api/assignments/{early}/submit", new { }));
        var first = world.Clock.GetUtcNow();
        // Returned and resubmitted the next day: the first delivery stays.
        world.Clock.Advance(TimeSpan.FromDays(1));
        (api, office) = (await App.ClientFor(Roles.Unit, unit), await App.ClientFor(Roles.Office));
        await OkAsync(await office.PostAsJsonAsync($"/api/assignments/{early}/return", new { reason = "请补充照片。" }));
        await OkAsync(await api.PostAsJsonAsync($"/api/assignments/{early}/submit", new { }));
        // An acknowledge-only duty signed for two days after its due date: that is its (late) delivery.
        world.Clock.Set(new DateTimeOffset(lateDue.AddDays(2).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)));
        api = await App.ClientFor(Roles.Unit, unit);
        await OkAsync(await api.PostAsJsonAsync($"/api/assignments/{late}/acknowledge", new { }));

        var (e, l) = App.WithDb(db => (db.Assignments.Single(a => a.Id == early), db.Assignments.Single(a => a.Id == late)));
        Assert.Equal(first, e.SubmittedAt);
        Assert.Equal(DateOnly.FromDateTime(first.ToOffset(TimeSpan.FromHours(8)).DateTime), e.SubmittedOn);
        Assert.True(Deadline.OnTime(e.State, e.DueDate, e.SubmittedOn));
        Assert.Equal((AssignmentState.Approved, lateDue.AddDays(2)), (l.State, l.SubmittedOn));
        Assert.False(Deadline.OnTime(l.State, l.DueDate, l.SubmittedOn));

        // After the report's due date, the board's 按时率 for the unit is the Core rule over its rows (due so far, on time by the first delivery).
        var now = e.DueDate.AddDays(3);
        world.Clock.Set(new DateTimeOffset(now.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)));
        var inspector = await App.ClientFor(Roles.Inspector);
        var rows = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == world.CampaignId && a.Unit == unit && a.State != AssignmentState.Cancelled).ToList())
            .Where(a => a.DueDate < now).ToList();
        var onTime = rows.Count(a => Deadline.OnTime(a.State, a.DueDate, a.SubmittedOn));
        Assert.True(onTime >= 1);
        var summary = (await inspector.GetFromJsonAsync<JsonObject>($"/api/supervision/board/summary?campaignId={world.CampaignId}"))!;
        var row = summary["rows"]!.AsArray().Single(r => (string)r!["key"]! == unit)!;
        Assert.Equal((rows.Count, onTime), ((int)row["due"]!, (int)row["onTime"]!));
        Assert.Equal(Deadline.OnTimeRate(onTime, rows.Count), (decimal?)row["onTimeRate"]);
        // Delivered counts both; on time only the first.
        Assert.True((int)row["delivered"]! > onTime);
        var cells = (await inspector.GetFromJsonAsync<JsonArray>($"/api/supervision/board/heatmap?campaignId={world.CampaignId}"))!;
        Assert.Equal(onTime, cells.Where(c => (string)c!["unit"]! == unit).Sum(c => (int)c!["onTime"]!));
        world.Clock.Set(new DateTimeOffset(2022, 1, 4, 10, 0, 0, TimeSpan.FromHours(8)));
    }

    [Fact]
    public void The_backfill_dates_a_stored_instant_in_china_as_the_app_does()
    {
        // The SQLite backfill decodes EF's binary DateTimeOffset in SQL; it must give the date ChinaTime.Today gives.
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var converter = new DateTimeOffsetToBinaryConverter();
        foreach (var at in new[]
        {
            new DateTimeOffset(2022, 3, 31, 15, 59, 0, TimeSpan.Zero), new DateTimeOffset(2022, 3, 31, 16, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2022, 4, 1, 0, 30, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2021, 12, 31, 23, 0, 0, TimeSpan.FromHours(-5)),
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT " + Web.Data.Migrations.Sqlite.InboxSubmittedAt.ChinaDate.Replace("\"SubmittedAt\"", "$v", StringComparison.Ordinal);
            command.Parameters.AddWithValue("$v", (long)converter.ConvertToProvider(at)!);
            Assert.Equal(ChinaTime.Today(at).ToString("yyyy-MM-dd"), (string)command.ExecuteScalar()!);
        }
    }

    [GeneratedRegex("<tr data-assignment=\"([0-9a-f-]{36})\"")]
    private static partial Regex Row();
}
