using CreationWorkflow.Core.Supervision;

namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>督办单: numbering, who sees which, 整改反馈, 销号 and 提级督办.</summary>
public sealed class OrderTests : ScenarioTest
{
    /// <summary>Issues an order to the unit for its acknowledge duties of the given items.</summary>
    internal static async Task<HttpResponseMessage> IssueAsync(Scenario scenario, HttpClient client, string unit, int[] items, string rectifyBy = "2022-01-31") =>
        await client.PostAsJsonAsync("/api/supervision/orders", new
        {
            campaignId = scenario.CampaignId,
            unit,
            assignmentIds = items.Select(i => scenario.Assignment(unit, "acknowledge", i)).ToArray(),
            requirement = "逾期未签收，限期整改到位",
            rectifyBy,
        });

    private async Task<JsonObject> IssuedAsync(HttpClient client, string unit, params int[] items)
    {
        var response = await IssueAsync(S, client, unit, items);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    [Fact]
    public async Task Orders_are_numbered_per_campaign_and_year_and_tell_the_unit()
    {
        var inspector = await S.Client(Roles.Inspector);
        var first = await IssueAsync(S, inspector, Scenario.Units[0], [1, 6]);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var order = await first.Body();
        Assert.Equal($"/api/supervision/orders/{order["id"]}", first.Headers.Location!.OriginalString);
        Assert.Equal(("督办〔2022〕1号", 2022, 1, "open", "待反馈", "2022-01-31", "测试督查"),
            ((string)order["title"]!, (int)order["year"]!, (int)order["number"]!, (string)order["state"]!, (string)order["stateText"]!,
             (string)order["rectifyBy"]!, (string)order["issuedBy"]!));
        var assignments = order["assignments"]!.AsArray();
        Assert.Equal([S.Late15, S.Assignment(Scenario.Units[0], "acknowledge", 6)], assignments.Select(a => (Guid)a!["id"]!));
        Assert.Equal("签收任务", (string)assignments[0]!["stepName"]!);

        var id = (Guid)order["id"]!;
        var notice = S.App.WithDb(db => db.Notifications.Single(n => n.Kind == NotificationKind.OrderIssued && n.Link == $"/supervision/orders/{id}"));
        Assert.Equal(Scenario.Units[0], notice.Recipient);
        Assert.Equal($"【督办】督办〔2022〕1号：{Scenario.Units[0]}限期整改", notice.Title);
        Assert.Contains("督办任务2项", notice.Body);
        Assert.Contains("请于2022年1月31日前完成整改", notice.Body);
        var audit = Assert.Single(S.Audit("supervision_order.issued", id));
        Assert.Equal("督办〔2022〕1号", (string)JsonNode.Parse(audit.After!)!["Title"]!);

        var office = await S.Client(Roles.Office);
        Assert.Equal(2, (int)(await IssuedAsync(office, Scenario.Units[1], 1))["number"]!);
        Assert.Equal(3, (int)(await IssuedAsync(inspector, Scenario.Units[0], 2))["number"]!);

        // A new year starts again at 1.
        S.Clock.Set(Scenario.At(2023, 1, 4));
        var nextYear = await IssueAsync(S, await S.Client(Roles.Office), Scenario.Units[2], [1], rectifyBy: "2023-01-20");
        Assert.Equal(HttpStatusCode.Created, nextYear.StatusCode);
        var next = await nextYear.Body();
        Assert.Equal(("督办〔2023〕1号", 1), ((string)next["title"]!, (int)next["number"]!));
        Assert.Equal(4, S.App.WithDb(db => db.Audit.Count(a => a.Action == "supervision_order.issued")));
    }

    [Fact]
    public async Task Orders_issued_at_the_same_moment_get_distinct_consecutive_numbers() =>
        await OrderChecks.ConcurrentNumbersAsync(S, await S.Client(Roles.Office));

    [Fact]
    public async Task An_order_is_refused_for_another_units_work_a_past_deadline_or_closed_work()
    {
        var office = await S.Client(Roles.Office);
        var foreign = await office.PostAsJsonAsync("/api/supervision/orders", new
        {
            campaignId = S.CampaignId, unit = Scenario.Units[0], assignmentIds = new[] { S.Late15, S.Submitted },
            requirement = "限期整改", rectifyBy = "2022-01-31",
        });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains(S.Submitted.ToString(), await foreign.Problem("assignmentIds"));

        var today = await IssueAsync(S, office, Scenario.Units[0], [1], rectifyBy: "2022-01-20");
        Assert.Equal(HttpStatusCode.BadRequest, today.StatusCode);
        Assert.Equal("整改期限（2022-01-20）须晚于今天（2022-01-20）。", await today.Problem("rectifyBy"));

        var closed = await office.PostAsJsonAsync("/api/supervision/orders", new
        {
            campaignId = S.CampaignId, unit = Scenario.Units[2], assignmentIds = new[] { S.Approved }, requirement = "限期整改", rectifyBy = "2022-01-31",
        });
        Assert.Equal(HttpStatusCode.BadRequest, closed.StatusCode);
        Assert.Contains("已办结或已撤销的任务不能督办", await closed.Problem("assignmentIds"));

        var blank = await office.PostAsJsonAsync("/api/supervision/orders", new
        {
            campaignId = S.CampaignId, unit = Scenario.Units[0], assignmentIds = new[] { S.Late15 }, requirement = "  ", rectifyBy = "2022-01-31",
        });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal("此项不能为空。", await blank.Problem("requirement"));

        var campaign = await office.PostAsJsonAsync("/api/supervision/orders", new
        {
            campaignId = Guid.NewGuid(), unit = Scenario.Units[0], assignmentIds = new[] { S.Late15 }, requirement = "限期整改", rectifyBy = "2022-01-31",
        });
        Assert.Equal(HttpStatusCode.NotFound, campaign.StatusCode);

        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        Assert.Equal(HttpStatusCode.Forbidden, (await IssueAsync(S, unit, Scenario.Units[0], [1])).StatusCode);

        Assert.Equal(0, S.App.WithDb(db => db.SupervisionOrders.Count()));
        Assert.Equal(0, S.App.WithDb(db => db.Audit.Count(a => a.Entity == "supervision_order")));
    }

    [Fact]
    public async Task A_unit_sees_only_its_own_orders()
    {
        var inspector = await S.Client(Roles.Inspector);
        var mine = (Guid)(await IssuedAsync(inspector, Scenario.Units[0], 1))["id"]!;
        var theirs = (Guid)(await IssuedAsync(inspector, Scenario.Units[1], 1))["id"]!;

        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        var list = await unit.GetFromJsonAsync<JsonArray>("/api/supervision/orders");
        Assert.Equal([mine], list!.Select(o => (Guid)o!["id"]!));
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync($"/api/supervision/orders/{mine}")).StatusCode);
        var other = await unit.GetAsync($"/api/supervision/orders/{theirs}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("督办单不存在。", await other.Problem("id"));
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync($"/api/supervision/orders/{Guid.NewGuid()}")).StatusCode);

        var leader = await S.Client(Roles.Leader);
        var all = await leader.GetFromJsonAsync<JsonArray>($"/api/supervision/orders?campaignId={S.CampaignId}");
        Assert.Equal([theirs, mine], all!.Select(o => (Guid)o!["id"]!)); // newest first
        Assert.Equal(2, (await leader.GetFromJsonAsync<JsonArray>("/api/supervision/orders?state=open"))!.Count);
        Assert.Empty((await leader.GetFromJsonAsync<JsonArray>("/api/supervision/orders?state=closed"))!);
        var bad = await leader.GetAsync("/api/supervision/orders?state=done");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("done", await bad.Problem("state"));

        var evaluator = await S.Client(Roles.Evaluator);
        Assert.Equal(HttpStatusCode.Forbidden, (await evaluator.GetAsync("/api/supervision/orders")).StatusCode);
    }

    [Fact]
    public async Task Only_the_orders_unit_answers_and_inspectors_and_the_office_are_told()
    {
        var inspector = await S.Client(Roles.Inspector);
        var id = (Guid)(await IssuedAsync(inspector, Scenario.Units[0], 1))["id"]!;

        var other = await S.Client(Roles.Unit, Scenario.Units[1]);
        var refused = await other.PostAsJsonAsync($"/api/supervision/orders/{id}/feedback", new { text = "已整改" });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostAsJsonAsync($"/api/supervision/orders/{id}/feedback", new { text = "已整改" })).StatusCode);
        var untouched = S.App.WithDb(db => db.SupervisionOrders.Single(o => o.Id == id));
        Assert.Equal((SupervisionOrderState.Open, null, 0), (untouched.State, untouched.Feedback, untouched.Revision));
        Assert.Empty(S.Audit("supervision_order.answered", id));

        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        var blank = await unit.PostAsJsonAsync($"/api/supervision/orders/{id}/feedback", new { text = "" });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal("此项不能为空。", await blank.Problem("text"));

        var answered = await unit.PostAsJsonAsync($"/api/supervision/orders/{id}/feedback", new { text = "已于1月20日完成签收，并建立台账。" });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var view = await answered.Body();
        Assert.Equal(("answered", "已反馈", "已于1月20日完成签收，并建立台账。", "测试单位"),
            ((string)view["state"]!, (string)view["stateText"]!, (string)view["feedback"]!, (string)view["feedbackBy"]!));
        Assert.Equal(["role:inspector", "role:office"],
            S.App.WithDb(db => db.Notifications.Where(n => n.Kind == NotificationKind.OrderAnswered).Select(n => n.Recipient).OrderBy(r => r).ToList()));
        var audit = Assert.Single(S.Audit("supervision_order.answered", id));
        Assert.Contains("Open", audit.Before);
        Assert.Contains("Answered", audit.After);

        var twice = await unit.PostAsJsonAsync($"/api/supervision/orders/{id}/feedback", new { text = "补充" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("当前状态为「已反馈」", await twice.Problem("state"));
        Assert.Single(S.Audit("supervision_order.answered", id));
    }

    [Fact]
    public async Task Answered_orders_close_open_or_answered_ones_escalate_and_the_rest_is_refused()
    {
        var inspector = await S.Client(Roles.Inspector);
        var first = (Guid)(await IssuedAsync(inspector, Scenario.Units[0], 1))["id"]!;
        var second = (Guid)(await IssuedAsync(inspector, Scenario.Units[1], 1))["id"]!;

        // An open order cannot be closed before the unit answers.
        var early = await inspector.PostAsJsonAsync($"/api/supervision/orders/{first}/close", new { decision = "同意销号" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal($"督办〔2022〕1号当前状态为「待反馈」，不能销号：须先由{Scenario.Units[0]}提交整改反馈。", await early.Problem("state"));

        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        (await unit.PostAsJsonAsync($"/api/supervision/orders/{first}/feedback", new { text = "已整改" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync($"/api/supervision/orders/{first}/close", new { decision = "自行销号" })).StatusCode);
        var leader = await S.Client(Roles.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"/api/supervision/orders/{first}/close", new { decision = "销号" })).StatusCode);
        var noDecision = await inspector.PostAsJsonAsync($"/api/supervision/orders/{first}/close", new { decision = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noDecision.StatusCode);

        var closed = await inspector.PostAsJsonAsync($"/api/supervision/orders/{first}/close", new { decision = "整改到位，同意销号" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var closedView = await closed.Body();
        Assert.Equal(("closed", "已销号", "整改到位，同意销号"), ((string)closedView["state"]!, (string)closedView["stateText"]!, (string)closedView["decision"]!));
        Assert.Single(S.Audit("supervision_order.closed", first));
        Assert.Equal(Scenario.Units[0], S.App.WithDb(db => db.Notifications.Single(n => n.Kind == NotificationKind.OrderClosed).Recipient));

        var closeAgain = await inspector.PostAsJsonAsync($"/api/supervision/orders/{first}/close", new { decision = "再次销号" });
        Assert.Equal(HttpStatusCode.Conflict, closeAgain.StatusCode);
        Assert.Contains("当前状态为「已销号」，不能销号", await closeAgain.Problem("state"));
        var escalateClosed = await inspector.PostAsJsonAsync($"/api/supervision/orders/{first}/escalate", new { decision = "提级" });
        Assert.Equal(HttpStatusCode.Conflict, escalateClosed.StatusCode);
        Assert.Contains("当前状态为「已销号」，不能提级督办", await escalateClosed.Problem("state"));

        // An open order is escalated: the unit and the leaders are told.
        var office = await S.Client(Roles.Office);
        var escalated = await office.PostAsJsonAsync($"/api/supervision/orders/{second}/escalate", new { decision = "逾期未反馈，提请领导小组督办" });
        Assert.Equal(HttpStatusCode.OK, escalated.StatusCode);
        Assert.Equal("escalated", (string)(await escalated.Body())["state"]!);
        Assert.Single(S.Audit("supervision_order.escalated", second));
        Assert.Equal(["role:leader", Scenario.Units[1]],
            S.App.WithDb(db => db.Notifications.Where(n => n.Kind == NotificationKind.OrderEscalated).Select(n => n.Recipient).OrderBy(r => r).ToList()));

        var again = await office.PostAsJsonAsync($"/api/supervision/orders/{second}/escalate", new { decision = "再次提级" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("「已提级督办」", await again.Problem("state"));
        var lateAnswer = await (await S.Client(Roles.Unit, Scenario.Units[1])).PostAsJsonAsync($"/api/supervision/orders/{second}/feedback", new { text = "已整改" });
        Assert.Equal(HttpStatusCode.Conflict, lateAnswer.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/supervision/orders/{Guid.NewGuid()}/close", new { decision = "销号" })).StatusCode);
        var states = S.App.WithDb(db => db.SupervisionOrders.AsNoTracking().OrderBy(o => o.Number).Select(o => o.State).ToList());
        Assert.Equal([SupervisionOrderState.Closed, SupervisionOrderState.Escalated], states);
    }
}

/// <summary>Checks shared by the SQLite and PostgreSQL runs.</summary>
internal static class OrderChecks
{
    public static async Task ConcurrentNumbersAsync(Scenario scenario, HttpClient office)
    {
        var responses = await Task.WhenAll(Enumerable.Range(6, 6).Select(i => OrderTests.IssueAsync(scenario, office, Scenario.Units[i % 3], [i])));
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        var numbers = scenario.App.WithDb(db => db.SupervisionOrders.Where(o => o.CampaignId == scenario.CampaignId).Select(o => o.Number).ToList());
        Assert.Equal([1, 2, 3, 4, 5, 6], numbers.Order());
        Assert.Equal(6, scenario.App.WithDb(db => db.Audit.Count(a => a.Action == "supervision_order.issued")));
        Assert.Equal(6, scenario.App.WithDb(db => db.Notifications.Count(n => n.Kind == NotificationKind.OrderIssued)));
    }
}
