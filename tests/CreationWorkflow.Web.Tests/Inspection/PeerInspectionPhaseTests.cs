using CreationWorkflow.Core.Inspection;
using CreationWorkflow.Web.Inspection;

namespace CreationWorkflow.Web.Tests.Inspection;

/// <summary>
/// 互观互检 on a Hechi campaign started 2021-12-01 (its self-check phase 深入推进和总结验收 runs 2023-01-01 to 2023-06-30), on a
/// virtual clock: pairing is refused in 全面推进 with the phase named and accepted in the self-check phase; the inspecting
/// unit is told of its inspections, the inspected unit and the office of the submitted results; the office cancels an open
/// inspection with a reason (the inspecting unit is told) and cannot cancel a submitted one.
/// </summary>
public sealed class PeerInspectionPhaseTests() : HostTest(At(new DateTimeOffset(2022, 3, 1, 10, 0, 0, Beijing)))
{
    private const string Inspector = "市教育局";
    private const string Inspected = "市民宗委";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private int Count<T>(Func<AppDbContext, IQueryable<T>> rows) => App.WithDb(db => rows(db).Count());

    private static async Task<JsonArray> NoticesAsync(HttpClient client, NotificationKind kind) =>
        new([.. (await client.GetFromJsonAsync<JsonObject>("/api/notifications?pageSize=100"))!["items"]!.AsArray()
            .Where(n => (string)n!["kind"]! == kind.Spelling()).Select(n => n!.DeepClone())]);

    [Fact]
    public async Task Pairing_is_refused_outside_the_self_check_phase_and_tells_the_inspecting_units_within_it()
    {
        var office = await App.ClientFor(Roles.Office);
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");
        var list = $"/campaigns/{campaignId}/peer-inspections";

        // 全面推进 (2022-03-01): the API and the page refuse with 409, naming the phase in force and the self-check phase; nothing stored.
        var refused = await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/peer-inspections", new { inspector = Inspector, inspected = Inspected });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var why = await refused.Content.ReadAsStringAsync();
        Assert.Contains("今天（2022-03-01）处于「全面推进」阶段", why);
        Assert.Contains("自查验收阶段「深入推进和总结验收」（2023-01-01至2023-06-30）", why);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/peer-inspections/auto", new { })).StatusCode);
        var page = await PageClient.SignInAsync(App, Roles.Office);
        var html = await page.GetStringAsync(list);
        Assert.Contains("id=\"phase-note\"", html);
        Assert.Contains("处于「全面推进」阶段", html);
        Assert.DoesNotContain("id=\"pair-form\"", html);
        var onPage = await PageClient.PostFormAsync(page, list, $"{list}?handler=Pair", new() { ["inspector"] = Inspector, ["inspected"] = Inspected });
        Assert.Equal(HttpStatusCode.Conflict, onPage.StatusCode);
        Assert.Contains("处于「全面推进」阶段", await onPage.Content.ReadAsStringAsync());
        Assert.Equal(0, Count(db => db.PeerInspections));
        Assert.Equal(0, Count(db => db.Audit.Where(a => a.Entity == AuditEntities.PeerInspection)));
        Assert.Equal(0, Count(db => db.Notifications.Where(n => n.Kind == NotificationKind.PeerInspectionAssigned)));

        // 深入推进和总结验收 (2023-01-10; sign in again, the tokens did not outlive the jump): the office pairs the two units.
        Clock.Set(new DateTimeOffset(2023, 1, 10, 10, 0, 0, Beijing));
        office = await App.ClientFor(Roles.Office);
        var paired = await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/peer-inspections", new { inspector = Inspector, inspected = Inspected });
        Assert.True(paired.StatusCode == HttpStatusCode.OK, await paired.Content.ReadAsStringAsync());
        page = await PageClient.SignInAsync(App, Roles.Office);
        html = await page.GetStringAsync(list);
        Assert.DoesNotContain("id=\"phase-note\"", html);
        Assert.Contains("id=\"pair-form\"", html);

        // Each unit is told once, in-App, of the unit it inspects and every item it inspects there.
        var leads = PeerInspectionService.LeadItems(App.Services.GetRequiredService<ProgrammeCatalog>().Find("hechi-2021")!);
        foreach (var (unit, other) in new[] { (Inspector, Inspected), (Inspected, Inspector) })
        {
            var notices = await NoticesAsync(await App.ClientFor(Roles.Unit, unit), NotificationKind.PeerInspectionAssigned);
            var notice = Assert.Single(notices)!;
            Assert.Equal($"【互观互检】请检查{other}牵头的{leads[other].Count}项测评内容", (string)notice["title"]!);
            Assert.Contains("深入推进和总结验收阶段", (string)notice["body"]!);
            Assert.All(leads[other], no => Assert.Contains($"第{no}项“", (string)notice["body"]!));
            Assert.Equal(list, (string)notice["link"]!);
        }
        // The notice rows are what the channel fan-out carries (robots, webhook), as every other notice.
        Assert.All(App.WithDb(db => db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.PeerInspectionAssigned).ToList()),
            n => Assert.Equal(campaignId, n.CampaignId));
    }

    [Fact]
    public async Task Submitted_results_reach_the_inspected_unit_and_the_office_and_only_open_inspections_can_be_cancelled()
    {
        Clock.Set(new DateTimeOffset(2023, 3, 1, 10, 0, 0, Beijing));
        var office = await App.ClientFor(Roles.Office);
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");
        var paired = await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/peer-inspections", new { inspector = Inspector, inspected = Inspected });
        var created = (await paired.Content.ReadFromJsonAsync<JsonObject>())!["created"]!.AsArray()
            .Where(c => (string)c!["inspector"]! == Inspector).ToList();
        Assert.True(created.Count >= 2, "the test needs two of the inspector's inspections");
        var (done, open) = (created[0]!, created[1]!);
        var doneId = (Guid)done["id"]!;
        var openId = (Guid)open["id"]!;

        // The inspector records every line (the first 不符合) and submits.
        var inspector = await App.ClientFor(Roles.Unit, Inspector);
        var rules = done["lines"]!.AsArray().Select(l => (string)l!["ruleId"]!).ToList();
        foreach (var rule in rules)
        {
            using var form = new MultipartFormDataContent { { new StringContent(rule == rules[0] ? "doesNotConform" : "conforms"), "verdict" } };
            if (rule == rules[0])
            {
                form.Add(new StringContent("宣传栏未更新"), "note");
            }
            var recorded = await inspector.PostAsync($"/api/peer-inspections/{doneId}/lines/{rule}", form);
            Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await inspector.PostAsJsonAsync($"/api/peer-inspections/{doneId}/submit", new { })).StatusCode);

        // The inspected unit is told (to its item's review) and the office (to the inspection), with the count of 不符合.
        var item = (string)done["item"]!;
        var toUnit = Assert.Single(await NoticesAsync(await App.ClientFor(Roles.Unit, Inspected), NotificationKind.PeerInspectionSubmitted))!;
        Assert.Equal($"/campaigns/{campaignId}/assessment/items/{item}", (string)toUnit["link"]!);
        Assert.Contains($"共{rules.Count}条，其中1条不符合", (string)toUnit["body"]!);
        Assert.StartsWith($"{Inspected}：", (string)toUnit["body"]!);
        var toOffice = Assert.Single(await NoticesAsync(office, NotificationKind.PeerInspectionSubmitted))!;
        Assert.Equal($"/peer-inspections/{doneId}", (string)toOffice["link"]!);
        Assert.Contains("需要整改的下发督办单", (string)toOffice["body"]!);
        Assert.Empty(await NoticesAsync(inspector, NotificationKind.PeerInspectionSubmitted));

        // A submitted inspection cannot be cancelled: 409 naming its state, nothing changed.
        var late = await office.PostAsJsonAsync($"/api/peer-inspections/{doneId}/cancel", new { reason = "重新安排" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("当前状态为「已提交」，不能撤销", await late.Content.ReadAsStringAsync());
        Assert.Equal(PeerInspectionState.Submitted, App.WithDb(db => db.PeerInspections.Single(i => i.Id == doneId).State));

        // An open one without a reason: 400 naming the field, nothing changed.
        var bare = await office.PostAsJsonAsync($"/api/peer-inspections/{openId}/cancel", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Contains("reason", await bare.Content.ReadAsStringAsync());
        Assert.Equal(PeerInspectionState.Assigned, App.WithDb(db => db.PeerInspections.Single(i => i.Id == openId).State));

        // On the page, with a reason: cancelled, audited from the open state, the inspector told with the reason.
        var page = await PageClient.SignInAsync(App, Roles.Office);
        var detail = $"/peer-inspections/{openId}";
        Assert.Contains("id=\"cancel-form\"", await page.GetStringAsync(detail));
        Assert.DoesNotContain("id=\"cancel-form\"", await page.GetStringAsync($"/peer-inspections/{doneId}"));
        const string reason = "该项已由市督查组实地核查，不再重复互查";
        var cancelled = await PageClient.PostFormAsync(page, detail, $"{detail}?handler=Cancel", new() { ["reason"] = reason });
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        var row = App.WithDb(db => db.PeerInspections.AsNoTracking().Single(i => i.Id == openId));
        Assert.Equal((PeerInspectionState.Cancelled, reason), (row.State, row.CancelReason));
        Assert.Equal(Clock.GetUtcNow(), row.CancelledAt);
        var audit = App.WithDb(db => db.Audit.AsNoTracking().Single(a => a.Action == AuditActions.PeerInspectionCancelled && a.EntityId == openId.ToString()));
        Assert.Equal("Assigned", (string)JsonNode.Parse(audit.Before!)!["State"]!);
        Assert.Equal(("Cancelled", reason), ((string)JsonNode.Parse(audit.After!)!["State"]!, (string)JsonNode.Parse(audit.After!)!["CancelReason"]!));
        var told = Assert.Single(await NoticesAsync(inspector, NotificationKind.PeerInspectionCancelled))!;
        Assert.Contains(reason, (string)told["body"]!);
        Assert.Equal(detail, (string)told["link"]!);
        var shown = await page.GetStringAsync(detail);
        Assert.Contains("data-state=\"Cancelled\"", shown);
        Assert.Contains(reason, shown);
        Assert.DoesNotContain("id=\"cancel-form\"", shown);

        // Cancelled is final: neither the office again nor the inspector's checklist moves it.
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/peer-inspections/{openId}/cancel", new { reason })).StatusCode);
        using var line = new MultipartFormDataContent { { new StringContent("conforms"), "verdict" } };
        var record = await inspector.PostAsync($"/api/peer-inspections/{openId}/lines/{(string)open["lines"]![0]!["ruleId"]!}", line);
        Assert.Equal(HttpStatusCode.Conflict, record.StatusCode);
        Assert.Contains("已撤销", await record.Content.ReadAsStringAsync());
        Assert.Equal(1, Count(db => db.Audit.Where(a => a.Action == AuditActions.PeerInspectionCancelled)));
        Assert.Equal(0, Count(db => db.PeerFindings.Where(f => f.InspectionId == openId)));
    }
}
