using CreationWorkflow.Core.Acceptance;
using CreationWorkflow.Core.Supervision;
using CreationWorkflow.Web.Acceptance;
using CreationWorkflow.Web.Tests.Scoring;

namespace CreationWorkflow.Web.Tests.Acceptance;

/// <summary>
/// The road after 90 on a virtual Clock (issue 13 point 3): the Hechi campaign reaches the gate in the acceptance phase,
/// applies to the region, is checked (初验) with two findings that become 督办单, the units rectify and the office closes them,
/// 国家民委 visits and accepts, the city is named, and in year two of 巩固提升 the office is reminded of the yearly review by a
/// durable timer the sweep fires. Out-of-order steps are refused in zh-CN with nothing stored.
/// </summary>
public sealed class RoadTests() : HostTest(At(new DateTimeOffset(2023, 2, 6, 10, 0, 0, TimeSpan.FromHours(8))))
{
    private const string UnitA = "市教育局";
    private const string UnitB = "市民宗委";

    /// <summary>Starts the Hechi campaign (2021-12-01) and, if asked, gives every item full marks, reviewed: the gate opens.</summary>
    private async Task<Guid> CampaignAsync(HttpClient office, bool openGate)
    {
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");
        if (openGate)
        {
            foreach (var item in App.Services.GetRequiredService<ProgrammeCatalog>().Find("hechi-2021")!.Items)
            {
                Assert.Equal(HttpStatusCode.OK, (await office.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item.No}",
                    new { facts = AssessmentGateTests.FullMarks(item.Rules) })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item.No}/review",
                    new { decision = "accept" })).StatusCode);
            }
            var standing = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/standing");
            Assert.True((bool)standing!["gateOpen"]!, standing.ToJsonString());
        }
        return campaignId;
    }

    private static MultipartFormDataContent Step(RoadTrigger move, string date, string? result = null, params (string Text, string Unit, string By)[] findings)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(move.ToString())), "move" },
            { new StringContent(date), "date" },
        };
        if (result is not null)
        {
            form.Add(new StringContent(result), "result");
        }
        foreach (var (text, unit, by) in findings)
        {
            form.Add(new StringContent(text), "findingText");
            form.Add(new StringContent(unit), "findingUnit");
            form.Add(new StringContent(by), "findingRectifyBy");
        }
        return form;
    }

    private static ByteArrayContent Pdf(string text)
    {
        var pdf = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return pdf;
    }

    private static async Task<JsonObject> RecordAsync(HttpClient office, Guid campaignId, MultipartFormDataContent step)
    {
        var response = await office.PostAsync($"/api/campaigns/{campaignId}/road", step);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private int Count<T>(Func<Data.AppDbContext, IQueryable<T>> rows) => App.WithDb(db => rows(db).Count());

    [Fact]
    public async Task From_the_gate_to_a_yearly_review_reminder_in_year_two_of_consolidation()
    {
        var office = await App.PatientClientFor(Roles.Office);
        var campaignId = await CampaignAsync(office, openGate: true);
        var road = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/road");
        Assert.Equal("notApplied", (string)road!["stage"]!);
        Assert.Equal(["applyToRegion"], road["next"]!.AsArray().Select(n => (string)n!["move"]!));

        // 申报 through the acceptance page: an office form with its antiforgery token and a document.
        var page = await PageClient.SignInAsync(App, Roles.Office);
        var url = $"/campaigns/{campaignId}/acceptance";
        var html = await page.GetStringAsync(url);
        Assert.Contains("验收之路", html);
        Assert.Contains(RoadLifecycle.StepOf(RoadTrigger.ApplyToRegion).Chinese, html);
        var apply = Step(RoadTrigger.ApplyToRegion, "2023-02-06");
        apply.Add(new StringContent(PageClient.Token(html)), "__RequestVerificationToken");
        apply.Add(Pdf("申报函"), "files", "河池市申报函.pdf");
        var applied = await page.PostAsync($"{url}?handler=Road", apply);
        Assert.True(applied.StatusCode == HttpStatusCode.Redirect, await applied.Content.ReadAsStringAsync());
        html = await page.GetStringAsync(url);
        Assert.Contains("河池市申报函.pdf", html);
        Assert.Contains(RoadLifecycle.StepOf(RoadTrigger.ApplyToRegion).Clause, html);
        var fileId = App.WithDb(db => db.RoadFiles.Single().Id);
        var download = await page.GetAsync($"{url}?handler=RoadFile&fileId={fileId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.StartsWith("%PDF", await download.Content.ReadAsStringAsync());

        // 初验 with two findings: each becomes a 督办单 to its unit, numbered as any order, told to the unit.
        Clock.Set(new DateTimeOffset(2023, 3, 10, 10, 0, 0, TimeSpan.FromHours(8)));
        office = await App.ClientFor(Roles.Office);
        road = await RecordAsync(office, campaignId, Step(RoadTrigger.PreliminaryCheck, "2023-03-09", "基本达到验收标准，限期整改后申请国家验收",
            ("民族团结进步教育进校园台账不完整", UnitA, "2023-04-10"), ("创建工作经费使用情况说明缺失", UnitB, "2023-04-20")));
        var findings = road["steps"]!.AsArray().Single(s => (string)s!["trigger"]! == "preliminaryCheck")!["findings"]!.AsArray();
        Assert.Equal(2, findings.Count);
        var orders = App.WithDb(db => db.SupervisionOrders.AsNoTracking().Where(o => o.CampaignId == campaignId).OrderBy(o => o.Number).ToList());
        Assert.Equal([UnitA, UnitB], orders.Select(o => o.Unit));
        Assert.All(orders, o => Assert.Equal("自治区民宗委初验发现问题（2023-03-09）", o.Source));
        Assert.Equal(Enumerable.Range(1, 2), orders.Select(o => o.Number));
        Assert.All(orders, o => Assert.Equal(1, Count(db => db.Notifications.Where(n => n.Kind == NotificationKind.OrderIssued && n.Recipient == o.Unit))));
        Assert.Equal(1, Count(db => db.Audit.Where(a => a.Action == Data.AuditActions.SupervisionOrderIssued && a.EntityId == orders[0].Id.ToString())));

        // Not yet to 国家民委: both findings are open, and the refusal names them; nothing is stored.
        var steps = Count(db => db.RoadSteps);
        var early = await office.PostAsync($"/api/campaigns/{campaignId}/road", Step(RoadTrigger.ApplyToNational, "2023-03-10"));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        var refusal = await early.Content.ReadAsStringAsync();
        Assert.Contains("初验发现的问题尚未全部整改销号", refusal);
        Assert.All(orders, o => Assert.Contains(o.Title, refusal));
        Assert.Equal(steps, Count(db => db.RoadSteps));

        // The units rectify and answer; the office closes both orders (销号), as any 督办单.
        foreach (var o in orders)
        {
            var unit = await App.ClientFor(Roles.Unit, o.Unit);
            Assert.Equal(HttpStatusCode.OK, (await unit.PostAsJsonAsync($"/api/supervision/orders/{o.Id}/feedback", new { text = "已整改到位，台账补齐。" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/supervision/orders/{o.Id}/close", new { decision = "整改到位，予以销号。" })).StatusCode);
        }
        page = await PageClient.SignInAsync(App, Roles.Office); // the cookie did not outlive the clock's jump
        var orderPage = await page.GetStringAsync($"/supervision/orders/{orders[0].Id}");
        Assert.Contains("自治区民宗委初验发现问题（2023-03-09）", orderPage);

        // 国家民委: application, visit, result, naming.
        Clock.Set(new DateTimeOffset(2023, 9, 1, 10, 0, 0, TimeSpan.FromHours(8)));
        office = await App.ClientFor(Roles.Office);
        await RecordAsync(office, campaignId, Step(RoadTrigger.ApplyToNational, "2023-04-25"));
        await RecordAsync(office, campaignId, Step(RoadTrigger.AcceptanceVisit, "2023-06-15"));
        await RecordAsync(office, campaignId, Step(RoadTrigger.Pass, "2023-07-20", "验收通过"));
        road = await RecordAsync(office, campaignId, Step(RoadTrigger.Name, "2023-09-01", "命名为全国民族团结进步示范市"));
        Assert.Equal("named", (string)road["stage"]!);
        var reviews = road["reviews"]!.AsArray();
        Assert.Equal(RoadLifecycle.TermYears, reviews.Count);
        Assert.Equal(RoadLifecycle.ReviewDates(new DateOnly(2023, 9, 1)).Select(d => d.ToString("yyyy-MM-dd")), reviews.Select(r => (string)r!["due"]!));
        Assert.Equal(1, Count(db => db.Timers.Where(t => t.Kind == RoadReminders.Kind && t.State == TimerState.Pending)));

        // The campaign's own task reminders are not this test's subject: they are cancelled, so the sweeps below fire only the road's.
        App.WithDb(db => db.Timers.Where(t => t.Kind != RoadReminders.Kind).ExecuteUpdate(s => s.SetProperty(t => t.State, TimerState.Cancelled)));

        // Year one's review, recorded on its anniversary (after the clock's jump, sign in again): year two's reminders are planned.
        Clock.Set(new DateTimeOffset(2024, 9, 2, 10, 0, 0, TimeSpan.FromHours(8)));
        await SweepAsync(); // year one's own reminders came before its review
        office = await App.ClientFor(Roles.Office);
        road = await RecordAsync(office, campaignId, Step(RoadTrigger.YearlyReview, "2024-09-02", "自查达标"));
        var first = road["reviews"]!.AsArray()[0]!;
        Assert.Equal("2024-09-02", (string)first["recordedOn"]!);
        Assert.Equal(100m, (decimal)first["score"]!);
        var yearTwo = RoadLifecycle.ReviewDates(new DateOnly(2023, 9, 1))[1];
        var key = RoadReminders.Key(campaignId, yearTwo, "");
        var planned = App.WithDb(db => db.Timers.AsNoTracking().Single(t => t.Kind == RoadReminders.Kind && t.State == TimerState.Pending && t.OccurrenceKey.StartsWith(key)));

        // Year two of 巩固提升: the Clock reaches the first reminder before the review, and the sweep fires it to the office.
        Clock.Set(planned.FireAt.AddMinutes(1));
        var before = Count(db => db.Notifications.Where(n => n.Recipient == Recipients.Office && n.Kind == NotificationKind.DueSoon));
        Assert.True((await SweepAsync()).Fired >= 1);
        var notice = App.WithDb(db => db.Notifications.AsNoTracking().Where(n => n.Recipient == Recipients.Office && n.Kind == NotificationKind.DueSoon)
            .OrderByDescending(n => n.Id).First());
        Assert.Equal(before + 1, Count(db => db.Notifications.Where(n => n.Recipient == Recipients.Office && n.Kind == NotificationKind.DueSoon)));
        Assert.Contains("巩固提升第2年度", notice.Title);
        Assert.Contains(ReminderTexts.RoadReviewStep, notice.Title);
        Assert.Equal($"/campaigns/{campaignId}/acceptance", notice.Link);
        Assert.True(Clock.GetUtcNow() > new DateTimeOffset(2024, 9, 1, 0, 0, 0, TimeSpan.FromHours(8)) && Clock.GetUtcNow() < new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal(1, Count(db => db.Timers.Where(t => t.Kind == RoadReminders.Kind && t.State == TimerState.Pending))); // the next one, planned by the sweep

        // Every step was audited with the road's snapshot: one entry per recorded step.
        Assert.Equal(Count(db => db.RoadSteps), Count(db => db.Audit.Where(a => a.Action == Data.AuditActions.RoadStepRecorded && a.EntityId == campaignId.ToString())));
        page = await PageClient.SignInAsync(App, Roles.Office);
        html = await page.GetStringAsync(url);
        Assert.Contains("巩固提升年度复核", html);
        Assert.Contains("第2年", html);
    }

    /// <summary>
    /// The findings of 初验 are 督办单, chased like any: a durable timer per order from the workflow's reminder policy over its
    /// 整改期限, fired by the sweep on the virtual Clock (临期提醒 before, 今日到期 on the day, 逾期催办 after, to the unit); an
    /// order the unit has answered (整改反馈) is reminded of nothing more.
    /// </summary>
    [Fact]
    public async Task Findings_of_the_preliminary_check_are_reminded_before_and_on_their_deadline_until_answered()
    {
        var office = await App.PatientClientFor(Roles.Office);
        var campaignId = await CampaignAsync(office, openGate: true);
        await RecordAsync(office, campaignId, Step(RoadTrigger.ApplyToRegion, "2023-02-06"));
        Clock.Set(new DateTimeOffset(2023, 3, 10, 10, 0, 0, TimeSpan.FromHours(8)));
        office = await App.ClientFor(Roles.Office);
        await RecordAsync(office, campaignId, Step(RoadTrigger.PreliminaryCheck, "2023-03-09", "基本达到验收标准，限期整改后申请国家验收",
            ("民族团结进步教育进校园台账不完整", UnitA, "2023-04-10"), ("创建工作经费使用情况说明缺失", UnitB, "2023-04-20")));
        var orders = App.WithDb(db => db.SupervisionOrders.AsNoTracking().Where(o => o.CampaignId == campaignId).OrderBy(o => o.Number).ToList());
        Assert.Equal([new DateOnly(2023, 4, 10), new DateOnly(2023, 4, 20)], orders.Select(o => o.RectifyBy));
        // One pending reminder per order, planned with it; the campaign's own task reminders are not this test's subject.
        Assert.All(orders, o => Assert.Equal(1, Count(db => db.Timers.Where(t => t.Kind == OrderReminders.Kind && t.State == TimerState.Pending
            && t.OccurrenceKey.StartsWith(OrderReminders.Key(o.Id, o.RectifyBy, ""))))));
        App.WithDb(db => db.Timers.Where(t => t.Kind != OrderReminders.Kind).ExecuteUpdate(s => s.SetProperty(t => t.State, TimerState.Cancelled)));

        // 市民宗委 answers its order at once; 市教育局 does not.
        var unitB = await App.ClientFor(Roles.Unit, UnitB);
        Assert.Equal(HttpStatusCode.OK, (await unitB.PostAsJsonAsync($"/api/supervision/orders/{orders[1].Id}/feedback", new { text = "已补充经费使用情况说明。" })).StatusCode);

        // The Clock runs past both deadlines, each pending order timer fired by the sweep as it falls due.
        var end = new DateTimeOffset(2023, 4, 21, 18, 0, 0, TimeSpan.FromHours(8));
        var fired = new List<DateTimeOffset>();
        while (App.WithDb(db => db.Timers.AsNoTracking().Where(t => t.Kind == OrderReminders.Kind && t.State == TimerState.Pending && t.FireAt <= end)
            .OrderBy(t => t.FireAt).Select(t => (DateTimeOffset?)t.FireAt).FirstOrDefault()) is { } at)
        {
            Clock.Set(at.AddMinutes(1));
            await SweepAsync();
            fired.Add(at);
        }
        Clock.Set(end);
        var toA = App.WithDb(db => db.Notifications.AsNoTracking().Where(n => n.Recipient == UnitA && n.Link == $"/supervision/orders/{orders[0].Id}"
            && n.Kind != NotificationKind.OrderIssued).OrderBy(n => n.Id).ToList());
        Assert.Contains(toA, n => n.Kind == NotificationKind.DueSoon && n.CreatedAt < new DateTimeOffset(2023, 4, 10, 0, 0, 0, TimeSpan.FromHours(8)));
        var onDue = Assert.Single(toA, n => n.Kind == NotificationKind.Due);
        Assert.Equal(new DateOnly(2023, 4, 10), DateOnly.FromDateTime(onDue.CreatedAt.ToOffset(TimeSpan.FromHours(8)).DateTime));
        Assert.Contains(orders[0].Title, onDue.Title);
        Assert.Contains(ReminderTexts.OrderStep, onDue.Title);
        Assert.Contains(toA, n => n.Kind == NotificationKind.Overdue);
        Assert.All(toA, n => Assert.Equal(campaignId, n.CampaignId));

        // 市民宗委's answered order: its one timer was skipped, no reminder written, nothing more planned.
        Assert.Equal(0, Count(db => db.Notifications.Where(n => n.Link == $"/supervision/orders/{orders[1].Id}"
            && (n.Kind == NotificationKind.DueSoon || n.Kind == NotificationKind.Due || n.Kind == NotificationKind.Overdue))));
        Assert.Equal(0, Count(db => db.Timers.Where(t => t.OccurrenceKey.StartsWith($"order:{orders[1].Id:N}") && t.State == TimerState.Pending)));
        Assert.True(fired.Count >= 3, string.Join(", ", fired));
    }

    [Fact]
    public async Task A_step_out_of_order_is_refused_in_Chinese_and_nothing_is_stored()
    {
        var office = await App.PatientClientFor(Roles.Office);
        var campaignId = await CampaignAsync(office, openGate: false);
        var audit = Count(db => db.Audit.Where(a => !a.Action.StartsWith("signin.")));

        // Straight to 国家民委 from 未申报: 409, naming the stage and the next step, never a 500.
        var skip = Step(RoadTrigger.ApplyToNational, "2023-02-06");
        skip.Add(Pdf("越级"), "files", "越级.pdf");
        var refused = await office.PostAsync($"/api/campaigns/{campaignId}/road", skip);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains($"验收之路当前为「{RoadLifecycle.Chinese(RoadStage.NotApplied)}」，不能办理「{RoadLifecycle.Chinese(RoadTrigger.ApplyToNational)}」", body);
        Assert.Contains(RoadLifecycle.Chinese(RoadTrigger.ApplyToRegion), body);

        // 申报 below the gate: 409 with the score.
        var below = await office.PostAsync($"/api/campaigns/{campaignId}/road", Step(RoadTrigger.ApplyToRegion, "2023-02-06"));
        Assert.Equal(HttpStatusCode.Conflict, below.StatusCode);
        Assert.Contains("验收申请尚未开启，不能向自治区申报", await below.Content.ReadAsStringAsync());

        // An unknown step: 400 naming the field.
        var unknown = new MultipartFormDataContent { { new StringContent("celebrate"), "move" }, { new StringContent("2023-02-06"), "date" } };
        var bad = await office.PostAsync($"/api/campaigns/{campaignId}/road", unknown);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("步骤（move）须为以下之一", await bad.Content.ReadAsStringAsync());

        // The page refuses the same way, with the message on the page.
        var page = await PageClient.SignInAsync(App, Roles.Office);
        var url = $"/campaigns/{campaignId}/acceptance";
        var form = Step(RoadTrigger.Name, "2023-02-06");
        form.Add(new StringContent(PageClient.Token(await page.GetStringAsync(url))), "__RequestVerificationToken");
        var onPage = await page.PostAsync($"{url}?handler=Road", form);
        Assert.Equal(HttpStatusCode.Conflict, onPage.StatusCode);
        Assert.Contains($"不能办理「{RoadLifecycle.Chinese(RoadTrigger.Name)}」", await onPage.Content.ReadAsStringAsync());

        Assert.Equal(0, Count(db => db.Roads));
        Assert.Equal(0, Count(db => db.RoadSteps));
        Assert.Equal(0, Count(db => db.RoadFiles));
        Assert.Equal(audit, Count(db => db.Audit.Where(a => !a.Action.StartsWith("signin."))));
        Assert.Empty(Directory.Exists(Path.Combine(App.DataPath, "evidence")) ? Directory.GetFiles(Path.Combine(App.DataPath, "evidence")) : []);
        var road = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/road");
        Assert.Equal("notApplied", (string)road!["stage"]!);
    }

    private async Task<SweepResult> SweepAsync()
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TimerSweeper>().SweepAsync();
    }
}
