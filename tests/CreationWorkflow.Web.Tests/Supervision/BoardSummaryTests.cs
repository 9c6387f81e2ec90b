namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>Starts the supervision <see cref="Scenario"/> once for the summary tests (none of them changes a light).</summary>
public sealed class ScenarioFixture : IAsyncLifetime
{
    public Scenario S { get; private set; } = null!;

    public async Task InitializeAsync() => S = await Scenario.StartAsync();

    public Task DisposeAsync()
    {
        S.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The board's summaries (by unit, item, phase), the heat map and 整体催办, over HTTP on the Taijiang <see cref="Scenario"/>.
/// Every expected figure is computed here from the stored rows with <see cref="Deadline.On"/>, the rule the SQL must follow.
/// </summary>
public sealed partial class BoardSummaryTests(ScenarioFixture fixture) : IClassFixture<ScenarioFixture>
{
    private Scenario S => fixture.S;

    /// <summary>(group key, due so far, delivered, late, red, yellow, blue) per group, from the rows and the Core rule.</summary>
    internal static Dictionary<string, (int Due, int Delivered, int Late, int Red, int Yellow, int Blue, int Longest)> Expected(
        AppFactory app, Guid campaignId, DateOnly today, Func<Web.Assignments.AssignmentRecord, string?> key)
    {
        var calendar = app.Services.GetRequiredService<WorkingDayCalendar>();
        var rows = app.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaignId && a.State != AssignmentState.Cancelled).ToList());
        var lookup = app.WithDb(db => CampaignLookup.LoadAsync(db, app.Services.GetRequiredService<WorkflowCatalog>(),
            app.Services.GetRequiredService<ProgrammeCatalog>(), [campaignId], default).GetAwaiter().GetResult());
        return rows.Where(r => key(r) is not null).GroupBy(r => key(r)!).ToDictionary(g => g.Key, g =>
        {
            var status = g.Select(r => (Row: r, Status: lookup.Status(r, today, calendar))).ToList();
            var due = g.Count(r => r.DueDate < today);
            var late = status.Count(x => x.Status.Late);
            return (due, due - late, late, late, status.Count(x => x.Status.Light == Light.Yellow), status.Count(x => x.Status.Light == Light.Blue),
                status.Select(x => x.Status.WorkingDaysLate).DefaultIfEmpty(0).Max());
        });
    }

    [Fact]
    public async Task The_summary_by_unit_item_and_phase_agrees_with_the_rule_row_by_row_and_drills_down()
    {
        var client = await S.Client(Roles.Inspector);
        var today = new DateOnly(2022, 1, 20);
        foreach (var (by, key) in new (string, Func<Web.Assignments.AssignmentRecord, string?>)[]
                 { ("unit", r => r.Unit), ("item", r => r.ItemNo?.ToString()), ("phase", r => r.PhaseId) })
        {
            var summary = (await client.GetFromJsonAsync<JsonObject>($"/api/supervision/board/summary?campaignId={S.CampaignId}&by={by}"))!;
            Assert.Equal(by, ((string)summary["by"]!).ToLowerInvariant());
            var expected = Expected(S.App, S.CampaignId, today, key);
            // 按时: of the due so far, first delivered by the due date (the Core rule over the stored delivery dates).
            var onTime = S.App.WithDb(db => db.Assignments.Where(a => a.CampaignId == S.CampaignId && a.State != AssignmentState.Cancelled).ToList())
                .Where(r => key(r) is not null && r.DueDate < today && Deadline.OnTime(r.State, r.DueDate, r.SubmittedOn))
                .GroupBy(r => key(r)!).ToDictionary(g => g.Key, g => g.Count());
            var rows = summary["rows"]!.AsArray();
            Assert.Equal(expected.Count, rows.Count);
            foreach (var row in rows)
            {
                var e = expected[(string)row!["key"]!];
                Assert.Equal(e, ((int)row["due"]!, (int)row["delivered"]!, (int)row["late"]!, (int)row["red"]!, (int)row["yellow"]!, (int)row["blue"]!,
                    (int)row["longestWorkingDaysLate"]!));
                var punctual = onTime.GetValueOrDefault((string)row["key"]!);
                Assert.Equal(punctual, (int)row["onTime"]!);
                Assert.Equal(e.Due == 0 ? null : Math.Round(100m * punctual / e.Due, 1), (decimal?)row["onTimeRate"]);
            }
            // Highest risk first: most late, then the longest late.
            var order = rows.Select(r => ((int)r!["late"]!, (int)r["longestWorkingDaysLate"]!)).ToList();
            Assert.Equal(order.OrderByDescending(o => o.Item1).ThenByDescending(o => o.Item2), order);
            // The counts are the board's.
            var board = (await client.GetFromJsonAsync<JsonObject>($"/api/supervision/board?campaignId={S.CampaignId}"))!;
            var counts = BoardTests.Counts(board);
            if (by != "item")
            {
                Assert.Equal((counts.Red, counts.Yellow, counts.Blue), ((int)summary["counts"]!["red"]!, (int)summary["counts"]!["yellow"]!, (int)summary["counts"]!["blue"]!));
            }
        }

        // Drill-down: a unit's red rows are its 逾期, on the rows API.
        var units = (await client.GetFromJsonAsync<JsonObject>($"/api/supervision/board/summary?campaignId={S.CampaignId}"))!["rows"]!.AsArray();
        foreach (var u in units)
        {
            var drill = (await client.GetFromJsonAsync<JsonObject>(
                $"/api/supervision/board?campaignId={S.CampaignId}&unit={Uri.EscapeDataString((string)u!["key"]!)}&light=red&pageSize=10"))!;
            Assert.Equal((int)u["late"]!, (int)drill["total"]!);
        }
    }

    [Fact]
    public async Task The_heat_map_counts_each_units_months_and_is_drawn_on_the_board()
    {
        var client = await S.Client(Roles.Office);
        var cells = (await client.GetFromJsonAsync<JsonArray>($"/api/supervision/board/heatmap?campaignId={S.CampaignId}"))!;
        var today = new DateOnly(2022, 1, 20);
        var rows = S.App.WithDb(db => db.Assignments.Where(a => a.CampaignId == S.CampaignId && a.State != AssignmentState.Cancelled).ToList())
            .Where(a => a.DueDate < today).ToList();
        var expected = rows.GroupBy(a => (a.Unit, a.DueDate.Year, a.DueDate.Month))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Count(a => !Deadline.Owed(a.State))));
        Assert.Equal(expected.Count, cells.Count);
        foreach (var c in cells)
        {
            Assert.Equal(expected[((string)c!["unit"]!, (int)c["year"]!, (int)c["month"]!)], ((int)c["due"]!, (int)c["delivered"]!));
        }

        var page = await PageClient.SignInAsync(S.App, Roles.Leader);
        var html = await page.GetStringAsync("/supervision/board");
        Assert.Contains("<svg class=\"heatmap\"", html);
        Assert.Equal(cells.Count, Regex.Matches(html, "<rect [^>]*data-rate=").Count);
        // The page opens on the summary: its table comes before the rows, one line per unit, the most late first.
        Assert.True(html.IndexOf("summary-table", StringComparison.Ordinal) < html.IndexOf("id=\"rows\"", StringComparison.Ordinal));
        var listed = SummaryRow().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        var summary = (await client.GetFromJsonAsync<JsonObject>($"/api/supervision/board/summary?campaignId={S.CampaignId}"))!["rows"]!.AsArray();
        Assert.Equal(summary.Select(r => (string)r!["key"]!), listed);
        Assert.DoesNotContain("handler=UrgeUnit", html); // leaders read only
    }

    [Fact]
    public async Task A_unit_is_urged_for_all_its_late_work_at_once_from_its_row_and_once_a_day()
    {
        var unit = Scenario.Units[1];
        var today = new DateOnly(2022, 1, 20);
        var late = S.App.WithDb(db => db.Assignments.Where(a => a.CampaignId == S.CampaignId && a.Unit == unit).ToList())
            .Where(a => Deadline.IsLate(a.State, a.DueDate, today)).Select(a => a.Id.ToString()).ToHashSet();
        Assert.NotEmpty(late);

        var inspector = await PageClient.SignInAsync(S.App, Roles.Inspector);
        var board = await inspector.GetStringAsync("/supervision/board");
        Assert.Contains($"value=\"{unit}\"", board);
        Assert.Single(Regex.Matches(board, "id=\"urge\"")); // one 催办 form for the page, not one per row
        // Three forms carry a token whatever the number of rows: sign-out, 催办 and 整体催办.
        Assert.Equal(3, Regex.Matches(board, "name=\"__RequestVerificationToken\"").Count);
        var urged = await PageClient.PostFormAsync(inspector, "/supervision/board", "/supervision/board?handler=UrgeUnit",
            new() { ["unitName"] = unit, ["campaignId"] = S.CampaignId.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, urged.StatusCode);

        var notices = S.App.WithDb(db => db.Notifications.Where(n => n.Recipient == unit && n.Kind == NotificationKind.Urge).ToList());
        var notice = Assert.Single(notices);
        Assert.Equal($"【催办】{unit}逾期任务{late.Count}项", notice.Title);
        var audited = S.App.WithDb(db => db.Audit.Where(a => a.Action == "assignment.urged").Select(a => a.EntityId).ToList());
        Assert.True(late.SetEquals(audited.Where(late.Contains)) && audited.Count(late.Contains) == late.Count);

        var again = await (await S.Client(Roles.Office)).PostAsJsonAsync("/api/supervision/urge-unit", new { campaignId = S.CampaignId, unit });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("每个单位每天只能整体催办一次", await again.Problem("unit"));
        Assert.Single(S.App.WithDb(db => db.Notifications.Where(n => n.Recipient == unit && n.Kind == NotificationKind.Urge).ToList()));

        var leader = await S.Client(Roles.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("/api/supervision/urge-unit", new { campaignId = S.CampaignId, unit })).StatusCode);
        var bad = await (await S.Client(Roles.Office)).GetAsync($"/api/supervision/board/summary?by=county");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("county", await bad.Problem("by"));
        var issue = await inspector.GetStringAsync($"/supervision/orders/new?unit={Uri.EscapeDataString(unit)}&campaign={S.CampaignId}&all=true");
        Assert.Equal(Math.Min(late.Count, 101), Regex.Matches(issue, "checked=\"checked\"").Count);
    }

    [Fact]
    public async Task Pages_and_json_are_compressed_and_the_xlsx_is_not()
    {
        var page = await PageClient.SignInAsync(S.App, Roles.Inspector);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/supervision/board");
        request.Headers.AcceptEncoding.ParseAdd("br");
        using var response = await page.SendAsync(request);
        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
        await using (var br = new System.IO.Compression.BrotliStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
        {
            var html = await new StreamReader(br).ReadToEndAsync();
            Assert.Contains("督查看板", html);
            Assert.Contains("summary-table", html);
        }

        var api = await S.Client(Roles.Office);
        using var json = new HttpRequestMessage(HttpMethod.Get, $"/api/supervision/board/summary?campaignId={S.CampaignId}");
        json.Headers.AcceptEncoding.ParseAdd("gzip");
        using var zipped = await api.SendAsync(json);
        Assert.Equal("gzip", Assert.Single(zipped.Content.Headers.ContentEncoding));
        await using (var gz = new System.IO.Compression.GZipStream(await zipped.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
        {
            var body = JsonNode.Parse(await new StreamReader(gz).ReadToEndAsync())!;
            Assert.Equal(Scenario.Units.Length, body["rows"]!.AsArray().Count);
        }

        using var sheet = new HttpRequestMessage(HttpMethod.Get, $"/api/supervision/board.xlsx?campaignId={S.CampaignId}");
        sheet.Headers.AcceptEncoding.ParseAdd("br");
        using var xlsx = await api.SendAsync(sheet);
        Assert.Empty(xlsx.Content.Headers.ContentEncoding);
        var rows = Acceptance.OfficeReader.Sheet(await xlsx.Content.ReadAsByteArrayAsync());
        var open = S.App.WithDb(db => db.Assignments.Count(a => a.CampaignId == S.CampaignId && a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled));
        Assert.Equal(open + 2, rows.Count); // title, header, one row per open assignment
    }

    [Fact]
    public async Task The_burden_meter_counts_forms_fields_and_files_per_unit_and_month_on_the_api_and_the_setup_page()
    {
        var office = await S.Client(Roles.Office);
        var burden = (await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{S.CampaignId}/burden"))!;
        var steps = S.App.WithDb(db =>
        {
            var c = db.Campaigns.Single(x => x.Id == S.CampaignId);
            return S.App.Services.GetRequiredService<WorkflowCatalog>().Get(c.WorkflowId, c.WorkflowVersion).Steps.ToDictionary(x => x.Id);
        });
        var rows = S.App.WithDb(db => db.Assignments.Where(a => a.CampaignId == S.CampaignId && a.State != AssignmentState.Cancelled).ToList());
        var expected = rows.GroupBy(a => (a.Unit, a.DueDate.Year, a.DueDate.Month))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(a => Web.Campaigns.BurdenMeter.FieldsOf(steps[a.StepId].Action)), g.Count(a => a.Evidence)));
        var months = burden["months"]!.AsArray();
        Assert.Equal(expected.Count, months.Count);
        foreach (var m in months)
        {
            Assert.Equal(expected[((string)m!["unit"]!, (int)m["year"]!, (int)m["month"]!)], ((int)m["forms"]!, (int)m["fields"]!, (int)m["files"]!));
        }
        var units = burden["units"]!.AsArray();
        Assert.Equal(Scenario.Units.Order(StringComparer.Ordinal), units.Select(u => (string)u!["unit"]!).Order(StringComparer.Ordinal));
        foreach (var u in units)
        {
            var mine = expected.Where(e => e.Key.Unit == (string)u!["unit"]!).ToList();
            Assert.Equal((mine.Sum(e => e.Value.Item1), mine.Max(e => e.Value.Item1)), ((int)u!["forms"]!, (int)u["peakForms"]!));
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await (await S.Client(Roles.Inspector)).GetAsync($"/api/campaigns/{S.CampaignId}/burden")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/campaigns/{Guid.NewGuid()}/burden")).StatusCode);
        var page = await PageClient.SignInAsync(S.App, Roles.Office);
        var html = await page.GetStringAsync($"/campaigns/{S.CampaignId}/setup");
        Assert.Contains("基层负担", html);
        Assert.Equal(units.Count, Regex.Matches(html, "<tr data-burden=").Count);
    }

    [GeneratedRegex("<tr data-summary=\"([^\"]+)\"")]
    private static partial Regex SummaryRow();
}

/// <summary>
/// A Hechi campaign seen on 2022-03-21, past the midpoint of March: the 序时进度 yellow of the monthly 进展填报 that
/// nothing was filed for. The SQL predicates (board counts, summary) and the Core rule over every stored row agree.
/// </summary>
public sealed class MidpointLightTests : IDisposable
{
    private readonly TestClock clock = new(Scenario.At(2021, 11, 20));
    private readonly AppFactory app;

    public MidpointLightTests() => app = new AppFactory { Clock = clock };

    public void Dispose()
    {
        app.Dispose();
        app.DeleteFolders();
    }

    [Fact]
    public async Task Sql_and_the_core_rule_light_every_row_alike()
    {
        var office = await app.ClientFor(Roles.Office);
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");
        clock.Set(Scenario.At(2022, 3, 21));
        var today = new DateOnly(2022, 3, 21);
        var expected = BoardSummaryTests.Expected(app, campaignId, today, r => r.Unit);
        var inspector = await app.ClientFor(Roles.Inspector);
        var board = (await inspector.GetFromJsonAsync<JsonObject>($"/api/supervision/board?campaignId={campaignId}"))!;
        var (red, yellow, blue, _) = BoardTests.Counts(board);
        Assert.Equal((expected.Values.Sum(e => e.Red), expected.Values.Sum(e => e.Yellow), expected.Values.Sum(e => e.Blue)), (red, yellow, blue));
        Assert.True(yellow > 0, "past March's midpoint some monthly reports have nothing filed");

        var summary = (await inspector.GetFromJsonAsync<JsonObject>($"/api/supervision/board/summary?campaignId={campaignId}"))!["rows"]!.AsArray();
        foreach (var row in summary)
        {
            var e = expected[(string)row!["key"]!];
            Assert.Equal((e.Due, e.Late, e.Yellow, e.Blue), ((int)row["due"]!, (int)row["late"]!, (int)row["yellow"]!, (int)row["blue"]!));
        }
        // Filtering by yellow gives rows the in-memory rule lights yellow.
        var rows = (await inspector.GetFromJsonAsync<JsonObject>($"/api/supervision/board?campaignId={campaignId}&light=yellow&pageSize=200"))!;
        Assert.All(rows["items"]!.AsArray(), i => Assert.Equal("yellow", (string)i!["light"]!));
    }
}
