namespace CreationWorkflow.Web.Tests.Assignments;

/// <summary>
/// hechi-2021 version 2 over the API: one 进展填报 per unit per month, its lines saved one by one, the report submitted
/// once, each line reviewed by its item's lead unit; evidence cited instead of uploaded again; another unit sees nothing.
/// </summary>
public sealed class ReportLineTests() : CampaignTest("hechi-2021", "2021-12-01", ChinaMorning(2022, 3, 1), workflowVersion: 2)
{
    private const string County = "市教育局";
    private HttpClient unit = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        unit = await App.ClientFor(Roles.Unit, County);
    }

    private Guid Report(int period) => App.WithDb(db => db.Assignments
        .Single(a => a.CampaignId == CampaignId && a.StepId == "progress" && a.Unit == County && a.Period == period).Id);

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return form;
    }

    private async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static JsonObject Line(JsonObject report, int itemNo) => report["lines"]!.AsArray().Single(l => (int)l!["itemNo"]! == itemNo)!.AsObject();

    [Fact]
    public void The_campaign_holds_the_planned_reports_each_with_one_line_per_item_and_at_most_one_pending_reminder_per_form()
    {
        var plan = App.WithDb(db => (
            Reports: db.Assignments.Count(a => a.CampaignId == CampaignId && (a.StepId == "progress" || a.StepId == "consolidate")),
            Lines: db.ReportLines.Count(),
            Assignments: db.Assignments.Count(a => a.CampaignId == CampaignId),
            BusiestTimer: db.Timers.Where(t => t.State == TimerState.Pending).GroupBy(t => t.AssignmentId).Select(g => g.Count()).Max()));
        var services = App.Services;
        var core = CampaignPlanner.Plan(
            services.GetRequiredService<Web.Programmes.ProgrammeCatalog>().Find("hechi-2021")!,
            services.GetRequiredService<Web.Workflows.WorkflowCatalog>().Get("hechi-2021", 2),
            new DateOnly(2021, 12, 1), services.GetRequiredService<Core.Calendar.WorkingDayCalendar>());
        Assert.Equal(core.Assignments.Count, plan.Assignments);
        Assert.True(plan.Assignments <= 2000, $"{plan.Assignments} forms");
        Assert.Equal(core.Assignments.Count(a => a.Lines is not null), plan.Reports);
        Assert.Equal(core.Assignments.Sum(a => a.Lines?.Count ?? 0), plan.Lines);
        Assert.Equal(1, plan.BusiestTimer);
    }

    [Fact]
    public async Task A_county_files_two_months_and_the_lead_returns_one_line_which_alone_reopens()
    {
        // January: every line filled, item 48 (led by 市民宗委) with a PDF; the Office approves the whole report.
        var january = Report(1);
        var jan = await OkAsync(await unit.GetAsync($"/api/assignments/{january}/lines"));
        var items = jan["lines"]!.AsArray().Select(l => (int)l!["itemNo"]!).ToList();
        Assert.Contains(48, items);
        Assert.Equal("市民宗委", (string)Line(jan, 48)["reviewerUnit"]!);
        var pdf = new ByteArrayContent(PackageTestData.Pdf("jiaoyu taizhang 2022-01"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var first = Form(("text", "一月：全市中小学开展民族团结进步教育主题班会。"));
        first.Add(pdf, "files", "一月主题班会台账.pdf");
        jan = await OkAsync(await unit.PostAsync($"/api/assignments/{january}/lines/48", first));
        Assert.Equal("draft", (string)Line(jan, 48)["state"]!);
        var janFile = (Guid)Line(jan, 48)["files"]![0]!["id"]!;
        Assert.Equal(48, App.WithDb(db => db.EvidenceFiles.Single(f => f.Id == janFile).ItemNo)); // evidence stays attached to its item

        // Submitting with lines still empty is refused, naming them; nothing moves.
        var early = await unit.PostAsJsonAsync($"/api/assignments/{january}/submit", new { });
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("尚未填写", await early.Content.ReadAsStringAsync());
        Assert.Equal(AssignmentState.InProgress, App.WithDb(db => db.Assignments.Single(a => a.Id == january).State));

        foreach (var item in items.Where(i => i != 48))
        {
            await OkAsync(await unit.PostAsync($"/api/assignments/{january}/lines/{item}", Form(("text", $"一月：第{item}项按计划推进。"))));
        }
        await OkAsync(await unit.PostAsJsonAsync($"/api/assignments/{january}/submit", new { }));
        foreach (var item in items)
        {
            await OkAsync(await Office.PostAsJsonAsync($"/api/assignments/{january}/lines/{item}/approve", new { }));
        }
        Assert.Equal(AssignmentState.Approved, App.WithDb(db => db.Assignments.Single(a => a.Id == january).State));

        // February: item 48 starts from January's text, another line cites January's PDF instead of uploading it again,
        // the rest have no new progress (with a reason).
        var february = Report(2);
        var feb = await OkAsync(await unit.GetAsync($"/api/assignments/{february}/lines"));
        Assert.Equal("一月：全市中小学开展民族团结进步教育主题班会。", (string)Line(feb, 48)["previousText"]!);
        Assert.Contains(feb["citable"]!.AsArray(), f => (Guid)f!["id"]! == janFile);
        feb = await OkAsync(await unit.PostAsync($"/api/assignments/{february}/lines/48", Form(("copyPrevious", "true"))));
        Assert.Equal((string)Line(feb, 48)["previousText"]!, (string)Line(feb, 48)["text"]!);
        var citing = items.First(i => i != 48);
        feb = await OkAsync(await unit.PostAsync($"/api/assignments/{february}/lines/{citing}",
            Form(("text", "二月：主题班会继续开展，台账同一月。"), ("cite", janFile.ToString()))));
        Assert.Equal(janFile, (Guid)Line(feb, citing)["cited"]![0]!["id"]!);
        Assert.Empty(Line(feb, citing)["files"]!.AsArray());
        var noReason = await unit.PostAsync($"/api/assignments/{february}/lines/{items.Last()}", Form(("noProgress", "true")));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("须说明理由", await noReason.Content.ReadAsStringAsync());
        foreach (var item in items.Where(i => i != 48 && i != citing))
        {
            await OkAsync(await unit.PostAsync($"/api/assignments/{february}/lines/{item}", Form(("noProgress", "true"), ("noProgressReason", "本月无新的工作安排。"))));
        }
        await OkAsync(await unit.PostAsJsonAsync($"/api/assignments/{february}/submit", new { }));
        Assert.Equal(AssignmentState.Submitted, App.WithDb(db => db.Assignments.Single(a => a.Id == february).State));

        // The lead's queue holds item 48 of the report; the per-item routes refuse a report.
        var lead = await App.ClientFor(Roles.Unit, "市民宗委");
        var queue = (await lead.GetFromJsonAsync<JsonArray>($"/api/assignments/review-lines?CampaignId={CampaignId}"))!;
        Assert.Contains(queue, l => (Guid)l!["assignmentId"]! == february && (int)l["itemNo"]! == 48);
        Assert.All(queue, l => Assert.Equal("市民宗委", App.WithDb(db => db.ReportLines.Single(x => x.Id == (long)l!["lineId"]!).ReviewerUnit)));
        var inbox = await (await PageClient.SignInAsync(App, Roles.Unit, "市民宗委")).GetStringAsync("/inbox");
        Assert.Contains($"href=\"/assignments/{february}#line-48\"", inbox);
        Assert.Contains("data-review-item=\"48\"", inbox);
        Assert.Equal(HttpStatusCode.Conflict, (await Office.PostAsJsonAsync($"/api/assignments/{february}/approve", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await unit.PostAsync($"/api/assignments/{february}/progress", Form(("text", "整份报告")))).StatusCode);

        // The lead downloads the cited January file through the February report.
        Assert.Equal(HttpStatusCode.OK, (await lead.GetAsync($"/api/assignments/{february}/evidence/{janFile}")).StatusCode);

        // Another unit (neither the county nor a reviewer of any of its lines) sees nothing and changes nothing.
        var reviewers = App.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == february).Select(l => l.ReviewerUnit).Distinct().ToList());
        var stranger = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == CampaignId).Select(a => a.Unit).Distinct().ToList())
            .First(u => u != County && !reviewers.Contains(u) && u != CampaignPlanner.Office);
        var other = await App.ClientFor(Roles.Unit, stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/assignments/{february}/lines")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/assignments/{february}/lines/48/approve", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/assignments/{february}/lines/48", Form(("text", "冒充")))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/assignments/{february}/evidence/{janFile}")).StatusCode);
        // A reviewer of another line may not review item 48.
        if (reviewers.FirstOrDefault(r => r is not null && r != "市民宗委") is { } otherLead)
        {
            var wrong = await (await App.ClientFor(Roles.Unit, otherLead)).PostAsJsonAsync($"/api/assignments/{february}/lines/48/approve", new { });
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }

        // 市民宗委 returns item 48: the report is returned, only that line reopens.
        Assert.Equal(HttpStatusCode.BadRequest, (await lead.PostAsJsonAsync($"/api/assignments/{february}/lines/48/return", new { reason = "" })).StatusCode);
        feb = await OkAsync(await lead.PostAsJsonAsync($"/api/assignments/{february}/lines/48/return", new { reason = "请补充二月的具体场次和参与人数。" }));
        Assert.Equal("returned", (string)Line(feb, 48)["state"]!);
        Assert.All(feb["lines"]!.AsArray().Where(l => (int)l!["itemNo"]! != 48), l => Assert.Equal("submitted", (string)l!["state"]!));
        Assert.Equal(AssignmentState.Returned, App.WithDb(db => db.Assignments.Single(a => a.Id == february).State));

        // The county may change item 48 only; it fixes it and submits again.
        Assert.Equal(HttpStatusCode.Conflict, (await unit.PostAsync($"/api/assignments/{february}/lines/{citing}", Form(("text", "改")))).StatusCode);
        await OkAsync(await unit.PostAsync($"/api/assignments/{february}/lines/48", Form(("text", "二月：开展主题班会126场，参与学生5.2万人次。"))));
        Assert.Equal("submitted", (string)(await OkAsync(await unit.PostAsJsonAsync($"/api/assignments/{february}/submit", new { })))["state"]!);
        feb = await OkAsync(await unit.GetAsync($"/api/assignments/{february}/lines"));
        Assert.All(feb["lines"]!.AsArray(), l => Assert.Equal("submitted", (string)l!["state"]!));

        // Every line approved (48 by its lead, the rest by their reviewers through the Office): the report is done.
        await OkAsync(await lead.PostAsJsonAsync($"/api/assignments/{february}/lines/48/approve", new { }));
        Assert.Equal(AssignmentState.Submitted, App.WithDb(db => db.Assignments.Single(a => a.Id == february).State));
        foreach (var item in items.Where(i => i != 48))
        {
            feb = await OkAsync(await Office.PostAsJsonAsync($"/api/assignments/{february}/lines/{item}/approve", new { }));
        }
        Assert.Equal(items.Count, (int)feb["approved"]!);
        Assert.Equal(AssignmentState.Approved, App.WithDb(db => db.Assignments.Single(a => a.Id == february).State));

        // Traceable: each line change audited on the report; the report's own moves through the lifecycle.
        var actions = App.WithDb(db => db.Audit.Where(a => a.Entity == "assignment" && a.EntityId == february.ToString()).Select(a => a.Action).ToList());
        Assert.Equal(items.Count + 1, actions.Count(a => a == "reportline.saved"));
        Assert.Equal(1, actions.Count(a => a == "reportline.returned"));
        Assert.Equal(items.Count, actions.Count(a => a == "reportline.approved"));
        Assert.Equal(["assignment.acknowledge", "assignment.submit", "assignment.return", "assignment.submit", "assignment.approve"],
            actions.Where(a => a is "assignment.acknowledge" or "assignment.submit" or "assignment.return" or "assignment.approve"));
    }
}
