using CreationWorkflow.Core.Supervision;
using CreationWorkflow.Web.Tests.Supervision;

namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>
/// The 督办单 pages (/supervision/orders/new, /supervision/orders, /supervision/orders/{id}), the inbox's 我的督办单 and
/// the board's XLSX export, through cookie sign-in and real forms, on the supervision <see cref="Scenario"/>
/// (Taijiang, looked at on 2022-01-20, 67 late assignments).
/// </summary>
public sealed partial class SupervisionPagesTests : ScenarioTest
{
    private AppFactory App => S.App;
    private static string UnitA => Scenario.Units[0];
    private static string UnitB => Scenario.Units[1];
    private static readonly NotificationKind[] OrderKinds =
        [NotificationKind.OrderIssued, NotificationKind.OrderAnswered, NotificationKind.OrderClosed, NotificationKind.OrderEscalated];

    /// <summary>Issues an order through the API (bearer), for the unit's acknowledge duties of the items.</summary>
    private async Task<Guid> IssuedAsync(string unit, params int[] items)
    {
        var response = await OrderTests.IssueAsync(S, await S.Client(Roles.Inspector), unit, items);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (Guid)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private (SupervisionOrderState State, string? Feedback, string? Decision, int Revision, int Audit) OrderState(Guid id) => App.WithDb(db =>
    {
        var o = db.SupervisionOrders.AsNoTracking().Single(x => x.Id == id);
        return (o.State, o.Feedback, o.Decision, o.Revision, db.Audit.Count(a => a.Entity == "supervision_order" && a.EntityId == id.ToString()));
    });

    private int Orders() => App.WithDb(db => db.SupervisionOrders.Count());

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_other_roles_are_denied()
    {
        var id = await IssuedAsync(UnitA, 1);
        var anonymous = PageClient.Anonymous(App);
        foreach (var page in new[] { "/supervision/orders", $"/supervision/orders/{id}", $"/supervision/orders/new?assignment={S.Late15}", "/supervision/board.xlsx" })
        {
            var response = await anonymous.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/login", PageClient.Location(response));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/supervision/board.xlsx")).StatusCode);

        async Task Denied(HttpClient client, string page)
        {
            var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", PageClient.Location(response));
        }
        var unit = await PageClient.SignInAsync(App, Roles.Unit, UnitA);
        await Denied(unit, $"/supervision/orders/new?assignment={S.Late15}");
        await Denied(unit, "/supervision/board.xlsx");
        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        await Denied(leader, $"/supervision/orders/new?assignment={S.Late15}");
        var evaluator = await PageClient.SignInAsync(App, Roles.Evaluator);
        await Denied(evaluator, "/supervision/orders");
        await Denied(evaluator, $"/supervision/orders/{id}");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await S.Client(Roles.Unit, UnitA)).GetAsync("/api/supervision/board.xlsx")).StatusCode);

        var inspector = await PageClient.SignInAsync(App, Roles.Inspector);
        Assert.Equal(HttpStatusCode.NotFound, (await inspector.GetAsync($"/supervision/orders/new?assignment={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await inspector.GetAsync($"/supervision/orders/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task An_inspector_issues_an_order_from_the_board_and_bad_input_stores_nothing()
    {
        var inspector = await PageClient.SignInAsync(App, Roles.Inspector);
        var board = await inspector.GetStringAsync("/supervision/board");
        Assert.Contains($"href=\"/supervision/orders/new?assignment={S.Late15}\"", board);
        Assert.Contains("开具督办单", board);

        var issuePage = $"/supervision/orders/new?assignment={S.Late15}";
        var form = await inspector.GetStringAsync(issuePage);
        Assert.Contains(UnitA, form);
        Assert.Matches($"value=\"{S.Late15}\" checked=\"checked\"", form);
        var other = S.Assignment(UnitA, "acknowledge", 6);
        Assert.Contains($"value=\"{other}\"", form); // the unit's other late duties are offered, not ticked
        Assert.DoesNotMatch($"value=\"{other}\" checked", form);
        Assert.DoesNotContain(UnitB, form);

        // A deadline in the past: refused in Chinese, the form keeps what was typed, nothing is stored.
        var body = await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(inspector, issuePage, issuePage, new()
        {
            ["assignmentIds"] = S.Late15.ToString(), ["requirement"] = "限期签收并报送整改情况", ["rectifyBy"] = "2022-01-10",
        }), HttpStatusCode.BadRequest, "整改期限（2022-01-10）须晚于今天（2022-01-20）。");
        Assert.Contains("限期签收并报送整改情况", body);
        var blank = await PageClient.PostFormAsync(inspector, issuePage, issuePage, new()
        {
            ["assignmentIds"] = S.Late15.ToString(), ["requirement"] = " ", ["rectifyBy"] = "2022-01-31",
        });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Contains("整改要求：此项不能为空。", await blank.Content.ReadAsStringAsync());
        var noDate = await PageClient.PostFormAsync(inspector, issuePage, issuePage, new()
        {
            ["assignmentIds"] = S.Late15.ToString(), ["requirement"] = "限期整改", ["rectifyBy"] = "",
        });
        Assert.Equal(HttpStatusCode.BadRequest, noDate.StatusCode);
        Assert.Contains("请选择整改期限。", await noDate.Content.ReadAsStringAsync());
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(inspector, issuePage, issuePage, new() { ["requirement"] = "限期整改", ["rectifyBy"] = "2022-01-31" }), HttpStatusCode.BadRequest, "督办单须至少列出一项任务。");
        var foreign = await PageClient.PostFormAsync(inspector, issuePage, issuePage, new()
        {
            ["assignmentIds"] = S.Submitted.ToString(), ["requirement"] = "限期整改", ["rectifyBy"] = "2022-01-31",
        });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains($"不是本创建活动中{UnitA}的任务", await foreign.Content.ReadAsStringAsync());
        var noToken = await inspector.PostAsync(issuePage, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["assignmentIds"] = S.Late15.ToString(), ["requirement"] = "限期整改", ["rectifyBy"] = "2022-01-31",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal((0, 0, 0), App.WithDb(db => (db.SupervisionOrders.Count(), db.Audit.Count(a => a.Entity == "supervision_order"),
            db.Notifications.Count(n => OrderKinds.Contains(n.Kind)))));

        // Two ticked duties: one numbered order to the unit, audited and notified.
        var issued = await PageClient.PostFormAsync(inspector, issuePage, issuePage, new()
        {
            ["assignmentIds"] = S.Late15.ToString(), ["requirement"] = "逾期未签收，限期整改到位", ["rectifyBy"] = "2022-01-31",
        });
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var order = App.WithDb(db => db.SupervisionOrders.Include(o => o.Assignments).Single());
        Assert.Equal($"/supervision/orders/{order.Id}", PageClient.Location(issued));
        Assert.Equal(("督办〔2022〕1号", UnitA, new DateOnly(2022, 1, 31), "逾期未签收，限期整改到位", "页面督查", SupervisionOrderState.Open),
            (order.Title, order.Unit, order.RectifyBy, order.Requirement, order.IssuedBy, order.State));
        Assert.Equal([S.Late15], order.Assignments.Select(a => a.AssignmentId));
        Assert.Single(S.Audit("supervision_order.issued", order.Id));
        Assert.Equal(1, App.WithDb(db => db.Notifications.Count(n => n.Kind == NotificationKind.OrderIssued && n.Recipient == UnitA)));

        var page = await inspector.GetStringAsync(PageClient.Location(issued));
        Assert.Contains("已下发督办〔2022〕1号，整改期限2022年1月31日，已通知台江县民宗局。", page);
        Assert.Contains($"data-assignment=\"{S.Late15}\"", page);
        Assert.Contains("下发督办单", page);

        var second = await PageClient.PostFormAsync(inspector, issuePage, issuePage, new()
        {
            ["assignmentIds"] = other.ToString(), ["requirement"] = "限期整改", ["rectifyBy"] = "2022-02-08",
        });
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(["督办〔2022〕1号", "督办〔2022〕2号"], App.WithDb(db => db.SupervisionOrders.OrderBy(o => o.Number).AsEnumerable().Select(o => o.Title).ToList()));
    }

    [Fact]
    public async Task Staff_list_every_order_with_filters_and_a_unit_only_its_own()
    {
        var a = await IssuedAsync(UnitA, 1);
        var b = await IssuedAsync(UnitB, 1);
        var inspector = await S.Client(Roles.Inspector);
        (await inspector.PostAsJsonAsync($"/api/supervision/orders/{b}/escalate", new { decision = "逾期未反馈" })).EnsureSuccessStatusCode();

        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        var all = await leader.GetStringAsync("/supervision/orders");
        Assert.Equal([b, a], Listed(all));
        Assert.Contains("已提级督办", all);
        Assert.Equal([a], Listed(await leader.GetStringAsync("/supervision/orders?state=open")));
        Assert.Equal([b], Listed(await leader.GetStringAsync("/supervision/orders?state=escalated")));
        Assert.Equal([b], Listed(await leader.GetStringAsync($"/supervision/orders?unit={Uri.EscapeDataString(UnitB)}")));
        await PageClient.AssertAnswerAsync(await leader.GetAsync("/supervision/orders?state=done"), HttpStatusCode.BadRequest, "督办单状态「done」无效");

        // A unit sees only its own, even when it asks for another unit'S.
        var unit = await PageClient.SignInAsync(App, Roles.Unit, UnitA);
        Assert.Equal([a], Listed(await unit.GetStringAsync("/supervision/orders")));
        Assert.Equal([a], Listed(await unit.GetStringAsync($"/supervision/orders?unit={Uri.EscapeDataString(UnitB)}")));
    }

    [Fact]
    public async Task The_unit_answers_its_own_order_from_the_inbox_and_never_another_units()
    {
        var mine = await IssuedAsync(UnitA, 1);
        var theirs = await IssuedAsync(UnitB, 1);
        var unit = await PageClient.SignInAsync(App, Roles.Unit, UnitA);

        var inbox = await unit.GetStringAsync("/inbox");
        Assert.Contains("我的督办单", inbox);
        Assert.Contains($"href=\"/supervision/orders/{mine}#answer\"", inbox);
        Assert.Contains("整改期限 2022-01-31", inbox);
        Assert.DoesNotContain(theirs.ToString(), inbox);

        // Another unit's order: 404 for reading and for the form, and nothing changes.
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync($"/supervision/orders/{theirs}")).StatusCode);
        var forged = await PageClient.PostFormAsync(unit, $"/supervision/orders/{mine}", $"/supervision/orders/{theirs}?handler=Answer", new() { ["text"] = "已整改" });
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal((SupervisionOrderState.Open, null, null, 0, 1), OrderState(theirs));

        // Without the antiforgery token: refused, nothing changes.
        var noToken = await unit.PostAsync($"/supervision/orders/{mine}?handler=Answer",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = "已整改" }));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal((SupervisionOrderState.Open, null, null, 0, 1), OrderState(mine));

        var page = await unit.GetStringAsync($"/supervision/orders/{mine}");
        Assert.Contains("提交整改反馈", page);
        Assert.DoesNotContain("handler=Close", page);
        Assert.DoesNotContain("handler=Escalate", page);
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(unit, $"/supervision/orders/{mine}", $"/supervision/orders/{mine}?handler=Answer", new() { ["text"] = "" }), HttpStatusCode.BadRequest, "此项不能为空。");
        Assert.Equal((SupervisionOrderState.Open, null, null, 0, 1), OrderState(mine));

        // A unit cannot close its own order.
        var close = await PageClient.PostFormAsync(unit, $"/supervision/orders/{mine}", $"/supervision/orders/{mine}?handler=Close", new() { ["decision"] = "自行销号" });
        Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);
        Assert.StartsWith("/account/denied", PageClient.Location(close));
        Assert.Equal((SupervisionOrderState.Open, null, null, 0, 1), OrderState(mine));

        var answered = await PageClient.PostFormAsync(unit, $"/supervision/orders/{mine}", $"/supervision/orders/{mine}?handler=Answer",
            new() { ["text"] = "已于1月20日完成签收，并建立台账。" });
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        Assert.Equal($"/supervision/orders/{mine}", PageClient.Location(answered));
        Assert.Equal((SupervisionOrderState.Answered, "已于1月20日完成签收，并建立台账。", null, 1, 2), OrderState(mine));
        var audit = Assert.Single(S.Audit("supervision_order.answered", mine));
        Assert.Equal("页面单位", audit.Actor);
        page = await unit.GetStringAsync($"/supervision/orders/{mine}");
        Assert.Contains("已提交督办〔2022〕1号的整改反馈", page);
        Assert.Contains("整改反馈已提交，等待督查审核。", page);
        Assert.DoesNotContain("handler=Answer", page);

        // Answering twice is refused by the service, shown in Chinese.
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(unit, $"/supervision/orders/{mine}", $"/supervision/orders/{mine}?handler=Answer", new() { ["text"] = "再次反馈" }), HttpStatusCode.Conflict, "不能提交整改反馈");
        Assert.Equal((SupervisionOrderState.Answered, "已于1月20日完成签收，并建立台账。", null, 1, 2), OrderState(mine));
    }

    [Fact]
    public async Task Inspectors_close_or_escalate_with_a_note_and_leaders_only_read()
    {
        var first = await IssuedAsync(UnitA, 1);
        var second = await IssuedAsync(UnitB, 1);
        var inspector = await PageClient.SignInAsync(App, Roles.Inspector);
        var page = await inspector.GetStringAsync($"/supervision/orders/{first}");
        Assert.DoesNotContain("handler=Close", page); // not answered yet
        Assert.Contains("handler=Escalate", page);
        Assert.DoesNotContain("handler=Answer", page);

        // Closing before the unit answered: refused with the service's reason, nothing changes.
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(inspector, $"/supervision/orders/{first}", $"/supervision/orders/{first}?handler=Close", new() { ["decision"] = "办结" }), HttpStatusCode.Conflict, $"须先由{UnitA}提交整改反馈。");
        Assert.Equal((SupervisionOrderState.Open, null, null, 0, 1), OrderState(first));

        var unitApi = await S.Client(Roles.Unit, UnitA);
        (await unitApi.PostAsJsonAsync($"/api/supervision/orders/{first}/feedback", new { text = "已完成签收" })).EnsureSuccessStatusCode();

        // Leaders read the order and its history but have none of its forms (their one form is 领导批示, written on
        // the order for the unit, not an action on it); a forged post is denied and changes nothing.
        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        var read = await leader.GetStringAsync($"/supervision/orders/{first}");
        Assert.Contains("已完成签收", read);
        foreach (var handler in new[] { "Answer", "Close", "Escalate" })
        {
            Assert.DoesNotContain($"handler={handler}", read);
        }
        Assert.Contains("/instructions?handler=Issue", read);
        var forged = await PageClient.PostFormAsync(leader, $"/supervision/orders/{first}", $"/supervision/orders/{first}?handler=Close", new() { ["decision"] = "办结" });
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.StartsWith("/account/denied", PageClient.Location(forged));
        Assert.Equal((SupervisionOrderState.Answered, "已完成签收", null, 1, 2), OrderState(first));

        var blank = await PageClient.PostFormAsync(inspector, $"/supervision/orders/{first}", $"/supervision/orders/{first}?handler=Close", new() { ["decision"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal((SupervisionOrderState.Answered, "已完成签收", null, 1, 2), OrderState(first));
        var closed = await PageClient.PostFormAsync(inspector, $"/supervision/orders/{first}", $"/supervision/orders/{first}?handler=Close",
            new() { ["decision"] = "整改到位，予以销号" });
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.Equal((SupervisionOrderState.Closed, "已完成签收", "整改到位，予以销号", 2, 3), OrderState(first));
        Assert.Equal(1, App.WithDb(db => db.Notifications.Count(n => n.Kind == NotificationKind.OrderClosed && n.Recipient == UnitA)));

        // The history lists each step in order, with who wrote what.
        var history = HistoryRows(await inspector.GetStringAsync($"/supervision/orders/{first}"));
        Assert.Equal(["下发督办单", "整改反馈", "办结（销号）"], history.Select(h => h.Action));
        Assert.Equal(["逾期未签收，限期整改到位", "已完成签收", "整改到位，予以销号"], history.Select(h => h.Text));
        Assert.Equal(["测试督查", "测试单位", "页面督查"], history.Select(h => h.Actor));

        var escalated = await PageClient.PostFormAsync(inspector, $"/supervision/orders/{second}", $"/supervision/orders/{second}?handler=Escalate",
            new() { ["decision"] = "逾期未反馈，提请领导小组督办" });
        Assert.Equal(HttpStatusCode.Redirect, escalated.StatusCode);
        Assert.Equal((SupervisionOrderState.Escalated, null, "逾期未反馈，提请领导小组督办", 1, 2), OrderState(second));
        Assert.Equal(["role:leader", UnitB], App.WithDb(db => db.Notifications.Where(n => n.Kind == NotificationKind.OrderEscalated).Select(n => n.Recipient).OrderBy(r => r).ToList()));
        var after = await inspector.GetStringAsync($"/supervision/orders/{second}");
        Assert.Contains("已升级（提级督办）", after);
        Assert.DoesNotContain("handler=", after);

        // The unit's inbox no longer offers the closed order, and still shows the escalated one's unit only to that unit.
        var unitB = await PageClient.SignInAsync(App, Roles.Unit, UnitB);
        var inbox = await unitB.GetStringAsync("/inbox");
        Assert.Contains($"data-order=\"{second}\"", inbox);
        Assert.DoesNotContain($"/supervision/orders/{second}#answer", inbox);
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, UnitA);
        Assert.DoesNotContain("我的督办单", await unitA.GetStringAsync("/inbox"));
    }

    [Fact]
    public async Task The_board_exports_to_xlsx_with_the_pages_filters_on_both_sides()
    {
        var calendar = App.Services.GetRequiredService<WorkingDayCalendar>();
        var phases = App.WithDb(db => db.Set<Web.Campaigns.CampaignPhaseRecord>().Where(p => p.CampaignId == S.CampaignId).ToDictionary(p => p.PhaseId, p => p.Name));
        var api = await S.Client(Roles.Office);
        var inspector = await PageClient.SignInAsync(App, Roles.Inspector);

        var filtered = await inspector.GetStringAsync($"/supervision/board?unit={Uri.EscapeDataString(UnitA)}&light=red");
        // The rows (and so the export link) follow the summary's campaign.
        var link = $"/supervision/board.xlsx?unit={Uri.EscapeDataString(UnitA)}&item=&phase=&light=red&campaignId={S.CampaignId}";
        Assert.Contains($"href=\"{link.Replace("&", "&amp;")}\"", filtered);
        Assert.Contains("导出Excel", filtered);

        foreach (var (query, expected) in new[] { ($"unit={Uri.EscapeDataString(UnitA)}&light=red", 23), ("", 137), ("light=blue", 1) })
        {
            var response = await inspector.GetAsync($"/supervision/board.xlsx?{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Web.Acceptance.SheetWriter.ContentType, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("督查看板-20220120.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var sheet = OfficeReader.Sheet(bytes);
            Assert.Equal("督查看板（截至2022年1月20日）", sheet[1]["A"]);
            Assert.Equal(BoardExport.Headers, new[] { "A", "B", "C", "D", "E", "F", "G", "H" }.Select(c => sheet[2][c]));

            var board = (await api.GetFromJsonAsync<JsonObject>($"/api/supervision/board?{query}&pageSize=200"))!;
            var items = board["items"]!.AsArray();
            Assert.Equal(expected, (int)board["total"]!);
            Assert.Equal(expected, items.Count);
            var data = sheet.Where(r => r.Key > 2).Select(r => r.Value).ToList();
            Assert.Equal(items.Count, data.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i]!;
                var due = DateOnly.Parse((string)item["dueDate"]!, System.Globalization.CultureInfo.InvariantCulture);
                var late = (string)item["light"]! == "red" ? calendar.WorkingDaysBetween(due, new DateOnly(2022, 1, 20)) : 0;
                var period = (string?)item["period"];
                Assert.Equal(
                    ((string)item["unit"]!, $"{(int)item["itemNo"]!}. {(string?)item["itemText"]}".TrimEnd(), (string)item["stepName"]! + (period is null ? "" : $"（{period}）"),
                     phases[(string)item["phaseId"]!], (string)item["dueDate"]!, late, (string)item["lightText"]!, (string)item["stateText"]!),
                    (data[i]["A"], data[i]["B"], data[i]["C"], data[i]["D"], data[i]["E"], (int)OfficeReader.Number(data[i]["F"]), data[i]["G"], data[i]["H"]));
            }

            // The API side (bearer) gives the same sheet, byte for byte.
            var fromApi = await api.GetAsync($"/api/supervision/board.xlsx?{query}");
            Assert.Equal(HttpStatusCode.OK, fromApi.StatusCode);
            Assert.Equal(bytes, await fromApi.Content.ReadAsByteArrayAsync());
        }

        // The top row: 民宗局's item 1, due 2022-01-05: 15 calendar days, 11 working days late.
        var top = OfficeReader.Sheet(await (await inspector.GetAsync("/supervision/board.xlsx")).Content.ReadAsByteArrayAsync())[3];
        Assert.Equal((UnitA, "2022-01-05", calendar.WorkingDaysBetween(new DateOnly(2022, 1, 5), new DateOnly(2022, 1, 20)), "红灯"),
            (top["A"], top["E"], (int)OfficeReader.Number(top["F"]), top["G"]));
        Assert.StartsWith("1. ", top["B"]);

        var bad = await api.GetAsync("/api/supervision/board.xlsx?light=purple");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_demo_run_shows_one_issued_order_to_a_late_unit()
    {
        var demo = new AppFactory { Settings = new Dictionary<string, string> { ["CreationWorkflow:Demo"] = "true" } };
        try
        {
            var order = demo.WithDb(db => db.SupervisionOrders.Include(o => o.Assignments).Single());
            Assert.Equal((SupervisionDemo.Unit, SupervisionOrderState.Open, 1), (order.Unit, order.State, order.Number));
            var ids = order.Assignments.Select(a => a.AssignmentId).ToList();
            Assert.Equal(2, ids.Count);
            Assert.All(demo.WithDb(db => db.Assignments.Where(a => ids.Contains(a.Id)).ToList()), a => Assert.Equal(SupervisionDemo.Unit, a.Unit));
            Assert.Single(demo.WithDb(db => db.Audit.Where(a => a.Action == "supervision_order.issued").ToList()));

            var unit = await PageClient.SignInAsync(demo, Roles.Unit, SupervisionDemo.Unit);
            Assert.Contains($"href=\"/supervision/orders/{order.Id}#answer\"", await unit.GetStringAsync("/inbox"));
            var inspector = await PageClient.SignInAsync(demo, Roles.Inspector);
            Assert.Contains(order.Title, await inspector.GetStringAsync("/supervision/orders"));
        }
        finally
        {
            demo.Dispose();
            demo.DeleteFolders();
        }
    }

    private static List<Guid> Listed(string html) => [.. OrderRowPattern().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value))];

    private static List<(string Actor, string Action, string Text)> HistoryRows(string html) =>
        [.. HistoryPattern().Matches(html).Select(m => (WebUtility.HtmlDecode(m.Groups[2].Value), WebUtility.HtmlDecode(m.Groups[3].Value), WebUtility.HtmlDecode(m.Groups[4].Value)))];

    [GeneratedRegex("<tr data-order=\"([0-9a-f-]{36})\"")]
    private static partial Regex OrderRowPattern();

    [GeneratedRegex("<tr class=\"history\"><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")]
    private static partial Regex HistoryPattern();
}
