using CreationWorkflow.Core.Instructions;
using CreationWorkflow.Web.Instructions;
using CreationWorkflow.Web.Tests.Supervision;

namespace CreationWorkflow.Web.Tests.Instructions;

/// <summary>
/// 领导批示, 需关注 and the 绩效考评 export over the real host (SQLite file, cookie sign-in, real forms), on the supervision
/// scenario: a leader instructs on an item naming two units, the reminders fire on the virtual clock before the deadline,
/// one unit answers with a file, the leader reads it and closes the instruction.
/// </summary>
public sealed class InstructionPagesTests(LeaderWorld world) : IClassFixture<LeaderWorld>
{
    private Scenario S => world.S;
    private AppFactory App => world.App;
    private static string UnitA => Scenario.Units[0];
    private static string UnitB => Scenario.Units[1];
    private static string UnitC => Scenario.Units[2];

    private (InstructionState State, int Answered, int Files, int Audit) Stored(Guid id) => App.WithDb(db =>
    {
        var i = db.Instructions.AsNoTracking().Include(x => x.Targets).ThenInclude(t => t.Files).Single(x => x.Id == id);
        return (i.State, i.Targets.Count(t => t.AnsweredAt != null), i.Targets.Sum(t => t.Files.Count),
            db.Audit.Count(a => a.Entity == AuditEntities.Instruction && a.EntityId == id.ToString()));
    });

    private List<(string Recipient, NotificationKind Kind, string Body)> Notices(Guid id) => App.WithDb(db =>
        db.Notifications.AsNoTracking().Where(n => n.Link == $"/instructions/{id}").OrderBy(n => n.Id).ToList()
            .Select(n => (n.Recipient, n.Kind, n.Body)).ToList());

    private static List<string> Sorted(IEnumerable<string> values) => [.. values.OrderBy(v => v, StringComparer.Ordinal)];

    [Fact]
    public async Task A_leader_instructs_on_an_item_two_units_are_reminded_one_answers_and_the_leader_closes_it()
    {
        S.Clock.Set(Scenario.At(2022, 1, 20));
        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, UnitA);
        var unitB = await PageClient.SignInAsync(App, Roles.Unit, UnitB);
        var unitC = await PageClient.SignInAsync(App, Roles.Unit, UnitC);
        var itemPage = $"/campaigns/{S.CampaignId}/assessment/items/3?subject={Uri.EscapeDataString(UnitA)}";
        var page = await leader.GetStringAsync(itemPage);
        Assert.Contains("作出批示", page);
        const string text = "请民宗局、教育局对照第3项逐条抓好落实，1月26日前报送办理情况。";

        var issued = await LeaderWorld.PostAsync(leader, itemPage, "/instructions?handler=Issue",
            ("campaignId", S.CampaignId.ToString()), ("subject", "Item"), ("subjectKey", "3"), ("units", UnitA), ("units", UnitB),
            ("text", text), ("dueDate", "2022-01-26"), ("returnUrl", itemPage));
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        Assert.Equal(itemPage + "#instructions", PageClient.Location(issued));
        var id = App.WithDb(db => db.Instructions.Single(i => i.CampaignId == S.CampaignId && i.Text == text).Id);
        Assert.Equal((InstructionState.Open, 0, 0, 1), Stored(id));
        Assert.Equal(Sorted([UnitA, UnitB]), Sorted(Notices(id).Where(n => n.Kind == NotificationKind.InstructionIssued).Select(n => n.Recipient)));
        Assert.Equal(2, Notices(id).Count);
        var targets = App.WithDb(db => db.InstructionTargets.Where(t => t.InstructionId == id).Select(t => t.Id).ToList()).Select(t => $"instr:{t:N}:").ToList();
        Assert.Equal(2, App.WithDb(db => db.Timers.Where(t => t.Kind == InstructionReminders.Kind && t.State == Web.Reminders.TimerState.Pending).Select(t => t.OccurrenceKey).ToList())
            .Count(k => targets.Any(k.StartsWith)));

        // It shows where it was written, in the named units' inboxes, and to nobody else.
        var shown = LeaderWorld.Text(await leader.GetStringAsync(itemPage));
        Assert.Contains(text, shown);
        Assert.Contains($"{UnitA}（未报送）", shown);
        Assert.Contains($"data-instruction=\"{id}\"", await unitA.GetStringAsync("/inbox"));
        Assert.Contains($"data-instruction=\"{id}\"", await unitB.GetStringAsync("/inbox"));
        Assert.DoesNotContain($"data-instruction=\"{id}\"", await unitC.GetStringAsync("/inbox"));
        Assert.Equal(HttpStatusCode.NotFound, (await unitC.GetAsync($"/instructions/{id}")).StatusCode);

        // 临期提醒 three working days before 2022-01-26 (Friday 21st), to both units.
        S.Clock.Set(Scenario.At(2022, 1, 21, 9).AddMinutes(30));
        await world.SweepAsync();
        var dueSoon = Notices(id).Where(n => n.Kind == NotificationKind.DueSoon).ToList();
        Assert.Equal(Sorted([UnitA, UnitB]), Sorted(dueSoon.Select(n => n.Recipient)));
        Assert.All(dueSoon, n => Assert.Contains("还剩3个工作日", n.Body));

        // Unit A answers with a file; the leaders are told; the instruction is still open for unit B. (Page sign-ins last 8
        // hours of the virtual clock: each day signs in again.)
        unitA = await PageClient.SignInAsync(App, Roles.Unit, UnitA);
        var detail = $"/instructions/{id}";
        var form = await unitA.GetStringAsync(detail);
        Assert.Contains("报送办理情况", form);
        var pdf = "%PDF-1.4 批示办理情况"u8.ToArray();
        using (var content = new MultipartFormDataContent())
        {
            content.Add(new StringContent(PageClient.Token(form)), "__RequestVerificationToken");
            content.Add(new StringContent("已召开专题会议部署落实，逐项整改完毕。"), "text");
            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(file, "files", "办理情况.pdf");
            var answered = await unitA.PostAsync($"{detail}?handler=Answer", content);
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }
        Assert.Equal((InstructionState.Open, 1, 1, 2), Stored(id));
        Assert.Contains(Notices(id), n => n.Recipient == Web.Reminders.Recipients.Leaders && n.Kind == NotificationKind.InstructionAnswered && n.Body.Contains("尚有1个单位未报送"));

        // A second answer is refused and stores nothing.
        var api = await S.Client(Roles.Unit, UnitA);
        using (var again = new MultipartFormDataContent { { new StringContent("再次报送"), "text" } })
        {
            var refused = await api.PostAsync($"/api/instructions/{id}/answer", again);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("不能重复报送", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal((InstructionState.Open, 1, 1, 2), Stored(id));

        // 临期提醒 one working day before (Tuesday 25th): only to the unit that has not answered.
        S.Clock.Set(Scenario.At(2022, 1, 25, 9).AddMinutes(30));
        await world.SweepAsync();
        Assert.Equal(Sorted([UnitA, UnitB, UnitB]), Sorted(Notices(id).Where(n => n.Kind == NotificationKind.DueSoon).Select(n => n.Recipient)));

        // The leader reads the answer (and its file) and closes the instruction.
        leader = await PageClient.SignInAsync(App, Roles.Leader);
        unitC = await PageClient.SignInAsync(App, Roles.Unit, UnitC);
        var read = await leader.GetStringAsync(detail);
        Assert.Contains("已召开专题会议部署落实", read);
        Assert.Contains("办理情况.pdf", read);
        var fileId = App.WithDb(db => db.InstructionFiles.Single(f => f.FileName == "办理情况.pdf").Id);
        Assert.Equal(pdf, await leader.GetByteArrayAsync($"/instructions/{id}?handler=File&fileId={fileId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await unitC.GetAsync($"/instructions/{id}?handler=File&fileId={fileId}")).StatusCode);
        var closed = await LeaderWorld.PostAsync(leader, detail, $"{detail}?handler=Close", ("note", "民宗局已落实；教育局另行督促。"));
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.Equal((InstructionState.Closed, 1, 1, 3), Stored(id));
        Assert.Equal([AuditActions.InstructionIssued, AuditActions.InstructionAnswered, AuditActions.InstructionClosed],
            App.WithDb(db => db.Audit.Where(a => a.EntityId == id.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToList()));
        Assert.Equal(Sorted([UnitA, UnitB]), Sorted(Notices(id).Where(n => n.Kind == NotificationKind.InstructionClosed).Select(n => n.Recipient)));
        Assert.Contains("已办结", LeaderWorld.Text(await leader.GetStringAsync(itemPage)));

        // Closed: no 今日到期 or 逾期 reminder follows, and unit B can no longer answer.
        S.Clock.Set(Scenario.At(2022, 1, 28, 10));
        await world.SweepAsync();
        Assert.DoesNotContain(Notices(id), n => n.Kind is NotificationKind.Due or NotificationKind.Overdue or NotificationKind.Escalation);
        using (var late = new MultipartFormDataContent { { new StringContent("迟到的报送"), "text" } })
        {
            Assert.Equal(HttpStatusCode.Conflict, (await (await S.Client(Roles.Unit, UnitB)).PostAsync($"/api/instructions/{id}/answer", late)).StatusCode);
        }
        Assert.Equal((InstructionState.Closed, 1, 1, 3), Stored(id));
    }

    [Fact]
    public async Task Instructions_on_orders_and_bulletins_show_on_their_pages_and_bad_ones_store_nothing()
    {
        var inspector = await S.Client(Roles.Inspector);
        var issuedOrder = await OrderTests.IssueAsync(S, inspector, UnitA, [6], rectifyBy: "2022-03-31");
        Assert.Equal(HttpStatusCode.Created, issuedOrder.StatusCode);
        var orderId = (Guid)(await issuedOrder.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var leaderApi = await S.Client(Roles.Leader);
        var due = Scenario.Today.AddDays(60).ToString("yyyy-MM-dd");
        var on = await leaderApi.PostAsJsonAsync("/api/instructions", new
        {
            campaignId = S.CampaignId, subject = "order", subjectKey = orderId.ToString(), units = new[] { UnitA }, text = "督办单所列问题请主要负责同志亲自抓。", dueDate = due,
        });
        Assert.Equal(HttpStatusCode.Created, on.StatusCode);
        var view = await on.Content.ReadFromJsonAsync<JsonObject>();
        Assert.StartsWith("督办〔", (string)view!["subjectTitle"]!);
        foreach (var client in new[] { await PageClient.SignInAsync(App, Roles.Leader), await PageClient.SignInAsync(App, Roles.Unit, UnitA) })
        {
            Assert.Contains("督办单所列问题请主要负责同志亲自抓。", await client.GetStringAsync($"/supervision/orders/{orderId}"));
        }

        var count = App.WithDb(db => db.Instructions.Count());
        async Task Refused(HttpClient client, object body, HttpStatusCode status, string field)
        {
            var response = await client.PostAsJsonAsync("/api/instructions", body);
            Assert.Equal(status, response.StatusCode);
            if (field.Length > 0)
            {
                Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
            }
        }
        await Refused(await S.Client(Roles.Office), new { campaignId = S.CampaignId, subject = "item", subjectKey = "3", units = new[] { UnitA }, text = "办公室不能批示", dueDate = due },
            HttpStatusCode.Forbidden, "");
        await Refused(leaderApi, new { campaignId = S.CampaignId, subject = "item", subjectKey = "3", units = new[] { "不存在的单位" }, text = "x", dueDate = due }, HttpStatusCode.BadRequest, "units");
        await Refused(leaderApi, new { campaignId = S.CampaignId, subject = "item", subjectKey = "3", units = new[] { UnitA }, text = "x", dueDate = "2022-01-01" }, HttpStatusCode.BadRequest, "dueDate");
        await Refused(leaderApi, new { campaignId = S.CampaignId, subject = "item", subjectKey = "99", units = new[] { UnitA }, text = "x", dueDate = due }, HttpStatusCode.NotFound, "subjectKey");
        await Refused(leaderApi, new { campaignId = S.CampaignId, subject = "bulletin", subjectKey = "2021-12", units = new[] { UnitA }, text = "x", dueDate = due }, HttpStatusCode.NotFound, "subjectKey");
        Assert.Equal(count, App.WithDb(db => db.Instructions.Count()));
    }

    [Fact]
    public async Task The_attention_list_follows_the_board_the_standing_the_orders_and_the_instructions()
    {
        var inspector = await S.Client(Roles.Inspector);
        var issued = await OrderTests.IssueAsync(S, inspector, UnitB, [7], rectifyBy: "2022-03-31");
        var orderId = (Guid)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await inspector.PostAsJsonAsync($"/api/supervision/orders/{orderId}/escalate", new { decision = "逾期未整改，提级督办" })).StatusCode);
        var leaderApi = await S.Client(Roles.Leader);
        var instructed = await leaderApi.PostAsJsonAsync("/api/instructions", new
        {
            campaignId = S.CampaignId, subject = "item", subjectKey = "5", units = new[] { UnitC }, text = "需关注测试批示", dueDate = Scenario.Today.AddDays(90).ToString("yyyy-MM-dd"),
        });
        var instructionId = (Guid)(await instructed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        Assert.Contains($"/attention?campaign={S.CampaignId}", await leader.GetStringAsync("/"));
        var html = await leader.GetStringAsync($"/attention?campaign={S.CampaignId}");
        string Section(string id)
        {
            var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
            Assert.True(start >= 0, id);
            var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
            return html[start..end];
        }
        static IReadOnlyList<string> Values(string section, string attribute) =>
            [.. System.Text.RegularExpressions.Regex.Matches(section, $"{attribute}=\"([^\"]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).OrderBy(x => x, StringComparer.Ordinal)];

        var summary = await leaderApi.GetFromJsonAsync<JsonObject>($"/api/supervision/board/summary?campaignId={S.CampaignId}&by=unit");
        var red = summary!["rows"]!.AsArray().Where(r => (int)r!["red"]! > 0).Select(r => (string)r!["key"]!).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(red);
        Assert.Equal(red, Values(Section("red-units"), "data-unit"));

        var orders = await leaderApi.GetFromJsonAsync<JsonArray>($"/api/supervision/orders?campaignId={S.CampaignId}");
        var escalated = orders!.Where(o => (string)o!["state"]! == "escalated").Select(o => (string)o!["id"]!).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Contains(orderId.ToString(), escalated);
        Assert.Equal(escalated, Values(Section("escalated"), "data-order"));

        // A unit assessment scores each unit: the list sends the leader to the ranking rather than naming the city's items.
        Assert.Empty(Values(Section("at-risk"), "data-item"));
        Assert.Contains($"/campaigns/{S.CampaignId}/ranking", Section("at-risk"));

        var open = await leaderApi.GetFromJsonAsync<JsonObject>($"/api/instructions?campaignId={S.CampaignId}&open=true");
        var unanswered = open!["items"]!.AsArray().Where(i => (int)i!["pending"]! > 0).Select(i => (string)i!["id"]!).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Contains(instructionId.ToString(), unanswered);
        Assert.Equal(unanswered, Values(Section("unanswered"), "data-instruction"));

        Assert.Equal(HttpStatusCode.Redirect, (await (await PageClient.SignInAsync(App, Roles.Unit, UnitA)).GetAsync("/attention")).StatusCode);
    }

    [Fact]
    public async Task The_appraisal_sheet_reads_back_to_the_board_the_ranking_and_the_orders_of_the_same_day()
    {
        var office = await S.Client(Roles.Office);
        // A return of 教育局's submitted work, so returns count from a real review.
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/assignments/{S.Submitted}/return", new { reason = "材料不全，请补充" })).StatusCode);
        var inspector = await S.Client(Roles.Inspector);
        var issued = await OrderTests.IssueAsync(S, inspector, UnitC, [8], rectifyBy: "2022-03-31");
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);

        var response = await office.GetAsync($"/api/campaigns/{S.CampaignId}/appraisal.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Web.Acceptance.SheetWriter.ContentType, response.Content.Headers.ContentType!.MediaType);
        var sheet = OfficeReader.Sheet(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("单位", sheet[2]["A"]);
        var rows = sheet.Where(r => r.Key > 2).ToDictionary(r => r.Value["A"], r => r.Value);

        var summary = await office.GetFromJsonAsync<JsonObject>($"/api/supervision/board/summary?campaignId={S.CampaignId}&by=unit");
        var ranking = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{S.CampaignId}/ranking");
        var orders = (await office.GetFromJsonAsync<JsonArray>($"/api/supervision/orders?campaignId={S.CampaignId}"))!;
        var units = summary!["rows"]!.AsArray().Select(r => (string)r!["key"]!).ToList();
        Assert.Equal(Sorted(units), Sorted(rows.Keys));
        foreach (var r in summary["rows"]!.AsArray())
        {
            var unit = (string)r!["key"]!;
            var row = rows[unit];
            Assert.Equal((int)r["due"]!, (int)OfficeReader.Number(row["B"]));
            Assert.Equal((int)r["delivered"]!, (int)OfficeReader.Number(row["C"]));
            Assert.Equal((int)r["onTime"]!, (int)OfficeReader.Number(row["D"]));
            Assert.Equal(r["onTimeRate"] is { } rate ? ((decimal)rate).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) : "—",
                row["E"] == "—" ? "—" : OfficeReader.Number(row["E"]).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((int)r["late"]!, (int)OfficeReader.Number(row["F"]));
            var mine = orders.Where(o => (string)o!["unit"]! == unit).ToList();
            Assert.Equal(mine.Count, (int)OfficeReader.Number(row["H"]));
            Assert.Equal(mine.Count(o => (string)o!["state"]! == "closed"), (int)OfficeReader.Number(row["I"]));
            Assert.Equal(mine.Count(o => (string)o!["state"]! == "escalated"), (int)OfficeReader.Number(row["J"]));
            var ranked = ranking!["rows"]!.AsArray().Single(x => (string)x!["unit"]! == unit)!;
            Assert.Equal((int)ranked["items"]!, (int)OfficeReader.Number(row["M"]));
            Assert.Equal((decimal)ranked["total"]!, OfficeReader.Number(row["O"]));
            Assert.Equal((int)ranked["reviewed"]!, (int)OfficeReader.Number(row["P"]));
        }
        Assert.Equal(1, (int)OfficeReader.Number(rows[UnitB]["G"]));
        Assert.Equal(0, (int)OfficeReader.Number(rows[UnitC]["G"]));

        // One unit's record; the page link (cookie) for staff; units are refused.
        var one = OfficeReader.Sheet(await office.GetByteArrayAsync($"/api/campaigns/{S.CampaignId}/appraisal.xlsx?unit={Uri.EscapeDataString(UnitC)}"));
        Assert.Equal([UnitC], one.Where(r => r.Key > 2).Select(r => r.Value["A"]).ToList());
        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        var download = await leader.GetAsync($"/campaigns/{S.CampaignId}/appraisal.xlsx");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await S.Client(Roles.Unit, UnitA)).GetAsync($"/api/campaigns/{S.CampaignId}/appraisal.xlsx")).StatusCode);
    }
}
