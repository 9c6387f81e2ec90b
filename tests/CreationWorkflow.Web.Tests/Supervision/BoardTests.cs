namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>The overdue board (督查看板) over HTTP, on SQLite.</summary>
public sealed class BoardTests : ScenarioTest
{
    [Fact]
    public async Task Board_shows_red_items_most_days_late_first_with_counts_per_light() =>
        await BoardChecks.RedFirstAsync(S, await S.Client(Roles.Inspector));

    [Fact]
    public async Task Board_filters_by_unit_item_phase_and_light()
    {
        var client = await S.Client(Roles.Office);
        var board = $"/api/supervision/board?campaignId={S.CampaignId}";

        var unit = await client.GetFromJsonAsync<JsonObject>($"{board}&unit={Scenario.Units[0]}&pageSize=100");
        Assert.Equal(46, (int)unit!["total"]!);
        Assert.All(unit["items"]!.AsArray(), i => Assert.Equal(Scenario.Units[0], (string)i!["unit"]!));
        Assert.Equal((23, 1, 0, 22), Counts(unit));

        var item = await client.GetFromJsonAsync<JsonObject>($"{board}&item=1");
        Assert.Equal(6, (int)item!["total"]!);
        Assert.All(item["items"]!.AsArray(), i => Assert.Equal(1, (int)i!["itemNo"]!));
        Assert.Equal(3, Counts(item).Red);

        Assert.Equal(137, (int)(await client.GetFromJsonAsync<JsonObject>($"{board}&phase=annual"))!["total"]!);
        Assert.Equal(0, (int)(await client.GetFromJsonAsync<JsonObject>($"{board}&phase=fullPush"))!["total"]!);

        var blue = await client.GetFromJsonAsync<JsonObject>($"{board}&light=blue");
        var only = Assert.Single(blue!["items"]!.AsArray())!;
        Assert.Equal((S.Blue, "blue", "蓝灯", 0), ((Guid)only["assignmentId"]!, (string)only["light"]!, (string)only["lightText"]!, (int)only["daysLate"]!));

        var yellow = await client.GetFromJsonAsync<JsonObject>($"{board}&light=Yellow");
        Assert.Equal(S.Returned, (Guid)Assert.Single(yellow!["items"]!.AsArray())!["assignmentId"]!);

        var none = await client.GetFromJsonAsync<JsonObject>($"{board}&light=none&pageSize=100");
        Assert.Equal(68, (int)none!["total"]!);
        Assert.Equal(68, none["items"]!.AsArray().Count);
        Assert.All(none["items"]!.AsArray(), i => Assert.Equal("none", (string)i!["light"]!));
        // The submitted one is past its date but waits on its reviewer: no light, and first among the rest by due date.
        Assert.Equal((S.Submitted, "2022-01-10"), ((Guid)none["items"]![0]!["assignmentId"]!, (string)none["items"]![0]!["dueDate"]!));

        var combined = await client.GetFromJsonAsync<JsonObject>($"{board}&unit={Scenario.Units[0]}&light=red&item=1");
        Assert.Equal(S.Late15, (Guid)Assert.Single(combined!["items"]!.AsArray())!["assignmentId"]!);

        Assert.DoesNotContain(S.Approved, (await client.GetFromJsonAsync<JsonObject>($"{board}&item=5"))!["items"]!.AsArray()
            .Select(i => (Guid)i!["assignmentId"]!));
    }

    [Fact]
    public async Task Board_pages_through_all_open_assignments_in_one_order()
    {
        var client = await S.Client(Roles.Leader);
        var seen = new List<JsonNode>();
        for (var page = 1; page <= 3; page++)
        {
            var board = await client.GetFromJsonAsync<JsonObject>($"/api/supervision/board?campaignId={S.CampaignId}&page={page}&pageSize=50");
            Assert.Equal(137, (int)board!["total"]!);
            seen.AddRange(board["items"]!.AsArray()!);
        }
        Assert.Equal(137, seen.Count);
        Assert.Equal(137, seen.Select(i => (Guid)i!["assignmentId"]!).Distinct().Count());
        Assert.All(seen.Take(67), i => Assert.Equal("red", (string)i!["light"]!));
        Assert.Equal([S.Submitted, S.Blue], seen.Skip(67).Take(2).Select(i => (Guid)i!["assignmentId"]!));
        var dueDates = seen.Skip(67).Select(i => DateOnly.Parse((string)i!["dueDate"]!)).ToList();
        Assert.Equal(dueDates.Order(), dueDates);
    }

    [Fact]
    public async Task Lights_follow_the_clock_and_are_never_stored()
    {
        S.Clock.Set(Scenario.At(2022, 1, 25)); // the blue one is now a day late
        var client = await S.Client(Roles.Inspector);
        var board = $"/api/supervision/board?campaignId={S.CampaignId}";
        var later = await client.GetFromJsonAsync<JsonObject>($"{board}&light=red&item=3&unit={Scenario.Units[2]}");
        var rows = later!["items"]!.AsArray();
        Assert.Contains(rows, r => (Guid)r!["assignmentId"]! == S.Blue && (int)r["daysLate"]! == 1);
        Assert.Equal("2022-01-25", (string)later["today"]!);
    }

    [Fact]
    public async Task Only_staff_see_the_board_and_bad_filters_are_named()
    {
        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.GetAsync("/api/supervision/board")).StatusCode);
        var evaluator = await S.Client(Roles.Evaluator);
        Assert.Equal(HttpStatusCode.Forbidden, (await evaluator.GetAsync("/api/supervision/board")).StatusCode);

        var office = await S.Client(Roles.Office);
        var light = await office.GetAsync("/api/supervision/board?light=purple");
        Assert.Equal(HttpStatusCode.BadRequest, light.StatusCode);
        Assert.Contains("purple", await light.Problem("light"));
        var page = await office.GetAsync("/api/supervision/board?page=0");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("页码", await page.Problem("page"));
        var size = await office.GetAsync("/api/supervision/board?pageSize=1000");
        Assert.Equal(HttpStatusCode.BadRequest, size.StatusCode);
        var campaign = await office.GetAsync($"/api/supervision/board?campaignId={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, campaign.StatusCode);
        Assert.Equal("创建活动不存在。", await campaign.Problem("campaignId"));
    }

    [Fact]
    public async Task OpenApi_names_the_supervision_and_notification_endpoints()
    {
        var doc = await S.App.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = doc!["paths"]!.AsObject();
        Assert.Equal("GetSupervisionBoard", (string)paths["/api/supervision/board"]!["get"]!["operationId"]!);
        Assert.Equal("UrgeAssignment", (string)paths["/api/supervision/urge"]!["post"]!["operationId"]!);
        Assert.Equal("IssueSupervisionOrder", (string)paths["/api/supervision/orders"]!["post"]!["operationId"]!);
        Assert.Equal("CloseSupervisionOrder", (string)paths["/api/supervision/orders/{id}/close"]!["post"]!["operationId"]!);
        Assert.Equal("ListInspections", (string)paths["/api/supervision/inspections"]!["get"]!["operationId"]!);
        Assert.Equal("ListMyNotifications", (string)paths["/api/notifications"]!["get"]!["operationId"]!);
        Assert.Equal("MarkNotificationRead", (string)paths["/api/notifications/{id}/read"]!["post"]!["operationId"]!);
        Assert.NotNull(paths["/api/supervision/board"]!["get"]!["summary"]);
    }

    internal static (int Red, int Yellow, int Blue, int None) Counts(JsonObject board)
    {
        var c = board["counts"]!;
        return ((int)c["red"]!, (int)c["yellow"]!, (int)c["blue"]!, (int)c["none"]!);
    }
}

/// <summary>Checks shared by the SQLite and PostgreSQL runs.</summary>
internal static class BoardChecks
{
    public static async Task RedFirstAsync(Scenario scenario, HttpClient client)
    {
        var red = await client.GetFromJsonAsync<JsonObject>($"/api/supervision/board?campaignId={scenario.CampaignId}&light=red&pageSize=10");
        Assert.Equal("2022-01-20", (string)red!["today"]!);
        Assert.Equal(67, (int)red["total"]!);
        Assert.Equal((67, 1, 1, 68), BoardTests.Counts(red));
        var items = red["items"]!.AsArray();
        Assert.Equal(10, items.Count);
        Assert.All(items, i => Assert.Equal(("red", "红灯"), ((string)i!["light"]!, (string)i["lightText"]!)));

        var top = items[0]!;
        Assert.Equal(scenario.Late15, (Guid)top["assignmentId"]!);
        Assert.Equal((15, Scenario.Units[0], 1, "acknowledge", "签收任务", "annual", "2022-01-05", "assigned", "已交办"),
            ((int)top["daysLate"]!, (string)top["unit"]!, (int)top["itemNo"]!, (string)top["stepId"]!, (string)top["stepName"]!,
             (string)top["phaseId"]!, (string)top["dueDate"]!, (string)top["state"]!, (string)top["stateText"]!));
        Assert.False(string.IsNullOrEmpty((string?)top["itemText"]));
        Assert.All(items.Skip(1), i => Assert.Equal(10, (int)i!["daysLate"]!));
        var late = items.Select(i => (int)i!["daysLate"]!).ToList();
        Assert.Equal(late.OrderDescending(), late);
    }
}
