using CreationWorkflow.Web.Campaigns;
using CreationWorkflow.Web.Scoring;

namespace CreationWorkflow.Web.Tests.Campaigns;

/// <summary>
/// The office adjusts a campaign at /campaigns/{id}/setup (改派, 改期, 批量改派, 延期申请 per row and in bulk — each batch all
/// or nothing), and leaders read /campaigns/{id}/ranking (Taijiang: reviewed scores; Hechi: work done so far) and its XLSX.
/// </summary>
public sealed partial class SetupPagesTests() : HostTest(AtChinaMorning(2022, 3, 1))
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateOnly Today = new(2022, 3, 1);

    // ---------------------------------------------------------------- setup: 改派 / 改期

    [Fact]
    public async Task Setup_page_shows_the_campaign_header_and_a_filtered_paged_list()
    {
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var office = await PageClient.SignInAsync(App, Roles.Office);
        var html = await office.GetStringAsync($"/campaigns/{id}/setup");
        Assert.Contains("河池市", html);
        Assert.Contains("hechi-2021 第1版", html);
        Assert.Contains("2021-12-01", html);
        Assert.Contains("全面推进（当前）", html);
        var total = App.WithDb(db => db.Assignments.Count(a => a.CampaignId == id));
        Assert.Contains($"任务（{total}）", html);
        Assert.Equal(SetupModel.PageSize, Regex.Matches(html, "<tr data-assignment=").Count);

        var filtered = await office.GetStringAsync($"/campaigns/{id}/setup?unit=市民宗委&step=progress&state=Assigned&item=5");
        var expected = App.WithDb(db => db.Assignments.Count(a => a.CampaignId == id && a.Unit == "市民宗委" && a.StepId == "progress"
            && a.State == AssignmentState.Assigned && a.ItemNo == 5));
        Assert.True(expected > 0);
        Assert.Contains($"任务（{expected}）", filtered);
        Assert.Equal(Math.Min(expected, SetupModel.PageSize), Regex.Matches(filtered, "<tr data-assignment=").Count);
        Assert.Contains("<datalist id=\"units\">", filtered);
        Assert.Contains("<option value=\"市教育局\"></option>", filtered);
    }

    [Fact]
    public async Task Office_reassigns_one_assignment_with_a_reason_audited_notified_and_reminders_replanned()
    {
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var row = OpenRows(id, "市民宗委", 1)[0];
        var target = FreeUnitFor(id, [row]);
        var office = await PageClient.SignInAsync(App, Roles.Office);

        var posted = await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=Reassign&unit=市民宗委",
            ("assignmentId", row.Id.ToString()), ("unit", target), ("reason", "职能调整，由新单位承办"));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.StartsWith($"/campaigns/{id}/setup", PageClient.Location(posted));
        Assert.Contains("unit=", PageClient.Location(posted)); // back to the same filtered list

        var after = Row(row.Id);
        Assert.Equal(target, after.Unit);
        Assert.Equal(AssignmentState.Assigned, after.State);
        Assert.Equal(row.Revision + 1, after.Revision);
        var audit = App.WithDb(db => db.Audit.Single(e => e.EntityId == row.Id.ToString() && e.Action == "assignment.reassigned"));
        Assert.Equal("页面创建办", audit.Actor);
        Assert.Equal("市民宗委", System.Text.Json.JsonDocument.Parse(audit.Before!).RootElement.GetProperty("Unit").GetString());
        Assert.Equal(target, System.Text.Json.JsonDocument.Parse(audit.After!).RootElement.GetProperty("Unit").GetString());
        var notices = App.WithDb(db => db.Notifications.Where(n => n.AssignmentId == row.Id && n.Kind == NotificationKind.Changed).Select(n => new { n.Recipient, n.Body }).ToList());
        Assert.Equal(new[] { "市民宗委", target }.Order(StringComparer.Ordinal), notices.Select(n => n.Recipient).Order(StringComparer.Ordinal));
        Assert.All(notices, n => Assert.Contains("理由：职能调整，由新单位承办", n.Body));
        // The reminders were planned again for the row: no more than one pending, and any earlier ones cancelled.
        Assert.True(App.WithDb(db => db.Timers.Count(t => t.AssignmentId == row.Id && t.State == TimerState.Pending)) <= 1);

        var shown = await office.GetStringAsync(PageClient.Location(posted));
        Assert.Contains($"已改派给{target}。", shown);
        var page = await office.GetStringAsync($"/campaigns/{id}/setup?unit={Uri.EscapeDataString(target)}&step={row.StepId}&item={row.ItemNo}&state=Assigned");
        Assert.Contains($"data-assignment=\"{row.Id}\"", page);
    }

    [Fact]
    public async Task Bulk_reassign_moves_every_checked_row_in_one_go()
    {
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var (rows, target) = MovableRows(id, "市民宗委", 3);
        var office = await PageClient.SignInAsync(App, Roles.Office);

        var posted = await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=BulkReassign",
            [.. rows.Select(r => ("ids", r.Id.ToString())), ("unit", target), ("reason", "工作分工调整")]);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains($"已将3项任务改派给{target}。", await office.GetStringAsync(PageClient.Location(posted)));
        Assert.All(rows, r => Assert.Equal(target, Row(r.Id).Unit));
        var ids = rows.Select(r => r.Id.ToString()).ToList();
        Assert.Equal(3, App.WithDb(db => db.Audit.Count(e => e.Action == "assignment.reassigned" && ids.Contains(e.EntityId))));
        Assert.Equal(3, App.WithDb(db => db.Notifications.Count(n => n.Kind == NotificationKind.Changed && n.Recipient == target)));
    }

    [Fact]
    public async Task Bulk_reassign_with_one_closed_row_changes_nothing_and_names_that_row()
    {
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var open = OpenRows(id, "市民宗委", 2);
        var closed = await CloseAcknowledgeRowAsync(id, "市民宗委");
        var target = FreeUnitFor(id, [.. open, closed]);
        var office = await PageClient.SignInAsync(App, Roles.Office);
        var before = Snapshot(id);

        var html = await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=BulkReassign",
            ("ids", open[0].Id.ToString()), ("ids", closed.Id.ToString()), ("ids", open[1].Id.ToString()), ("unit", target), ("reason", "分工调整")), HttpStatusCode.Conflict, "市民宗委·");
        Assert.Contains($"（截止{closed.DueDate:yyyy-MM-dd}）：已办结或已撤销的任务不能调整。没有处理任何一项。", html);
        Assert.Equal(before, Snapshot(id));
        Assert.All(open, r => Assert.Equal("市民宗委", Row(r.Id).Unit));

        // A unit outside the directory is refused too, before anything moves.
        await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=BulkReassign",
            ("ids", open[0].Id.ToString()), ("unit", "火星办事处"), ("reason", "分工调整")), HttpStatusCode.BadRequest, "单位 &#x27;火星办事处&#x27; 不在本创建方案的单位名录中");
        // A missing reason, or no row checked, is refused as well.
        await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=BulkReassign",
            ("ids", open[0].Id.ToString()), ("unit", target), ("reason", " ")), HttpStatusCode.BadRequest, "调整须说明理由。");
        await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=BulkReassign", ("unit", target), ("reason", "x")), HttpStatusCode.BadRequest, "请至少勾选一项。");
        Assert.Equal(before, Snapshot(id));
    }

    [Fact]
    public async Task Office_redates_an_open_assignment_but_not_a_closed_one_nor_into_the_past()
    {
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var row = OpenRows(id, "市民宗委", 1)[0];
        var office = await PageClient.SignInAsync(App, Roles.Office);
        var newDate = row.DueDate.AddDays(10);

        var posted = await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=Redate",
            ("assignmentId", row.Id.ToString()), ("dueDate", newDate.ToString("yyyy-MM-dd")), ("reason", "配合全市统一部署"));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(newDate, Row(row.Id).DueDate);
        Assert.Equal("市民宗委", Row(row.Id).Unit);
        Assert.True(App.WithDb(db => db.Audit.Any(e => e.EntityId == row.Id.ToString() && e.Action == "assignment.rescheduled")));
        Assert.True(App.WithDb(db => db.Notifications.Any(n => n.AssignmentId == row.Id && n.Recipient == "市民宗委" && n.Body.Contains("理由：配合全市统一部署"))));

        var closed = await CloseAcknowledgeRowAsync(id, "市民宗委");
        var before = Snapshot(id);
        await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=Redate",
            ("assignmentId", closed.Id.ToString()), ("dueDate", "2022-06-30"), ("reason", "调整")), HttpStatusCode.Conflict, "已办结或已撤销的任务不能调整。");
        await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=Redate",
            ("assignmentId", row.Id.ToString()), ("dueDate", "2022-02-01"), ("reason", "调整")), HttpStatusCode.BadRequest, "不能早于今天（2022-03-01）");
        await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=Redate",
            ("assignmentId", row.Id.ToString()), ("dueDate", newDate.AddDays(5).ToString("yyyy-MM-dd")), ("reason", "")), HttpStatusCode.BadRequest, "调整须说明理由。");
        Assert.Equal(before, Snapshot(id));
    }

    // ---------------------------------------------------------------- setup: 延期申请

    [Fact]
    public async Task Pending_extensions_are_listed_and_approved_or_refused_per_row()
    {
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var rows = await RequestExtensionsAsync(id, "市民宗委", 2);
        var office = await PageClient.SignInAsync(App, Roles.Office);
        var html = await office.GetStringAsync($"/campaigns/{id}/setup");
        Assert.Contains("待审批的延期申请（2）", html);
        foreach (var (row, until) in rows)
        {
            Assert.Contains($"<tr data-extension=\"{row.Id}\">", html);
            Assert.Contains(until.ToString("yyyy-MM-dd"), html);
        }
        Assert.Contains("需协调多部门，申请延期", html);

        var (first, firstUntil) = rows[0];
        var approved = await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=ApproveExtensions", ("ids", first.Id.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal((firstUntil, (DateOnly?)null), (Row(first.Id).DueDate, Row(first.Id).ExtensionRequestedDueDate));
        Assert.True(App.WithDb(db => db.Audit.Any(e => e.EntityId == first.Id.ToString() && e.Action == "assignment.approveextension")));
        Assert.True(App.WithDb(db => db.Notifications.Any(n => n.AssignmentId == first.Id && n.Recipient == "市民宗委" && n.Title.StartsWith("【延期已批准】"))));

        var (second, _) = rows[1];
        var refused = await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=RefuseExtensions",
            ("ids", second.Id.ToString()), ("note", "时间节点不能推迟"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal((second.DueDate, (DateOnly?)null), (Row(second.Id).DueDate, Row(second.Id).ExtensionRequestedDueDate));
        Assert.True(App.WithDb(db => db.Notifications.Any(n => n.AssignmentId == second.Id && n.Body.Contains("理由：时间节点不能推迟"))));
        Assert.Contains("待审批的延期申请（0）", await office.GetStringAsync(PageClient.Location(refused)));
    }

    [Fact]
    public async Task Bulk_extension_decisions_are_all_or_nothing()
    {
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var rows = await RequestExtensionsAsync(id, "市民宗委", 3);
        var notPending = OpenRows(id, "市民宗委", 5).First(r => rows.All(x => x.Row.Id != r.Id));
        var office = await PageClient.SignInAsync(App, Roles.Office);
        var before = Snapshot(id);

        // Refusing needs a note; one row without a pending request refuses the whole batch, naming it.
        await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=RefuseExtensions",
            [.. rows.Select(r => ("ids", r.Row.Id.ToString())), ("note", "")]), HttpStatusCode.BadRequest, "不予延期须说明理由。");
        var html = await PageClient.AssertAnswerAsync(await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=ApproveExtensions",
            ("ids", rows[0].Row.Id.ToString()), ("ids", notPending.Id.ToString()), ("ids", rows[1].Row.Id.ToString())), HttpStatusCode.Conflict, $"（截止{notPending.DueDate:yyyy-MM-dd}）：没有待审批的延期申请，不能执行「批准延期」。没有处理任何一项。");
        Assert.Equal(before, Snapshot(id));
        Assert.Contains("待审批的延期申请（3）", html); // the page shows what is stored, not the rolled-back attempt

        var approved = await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=ApproveExtensions",
            ("ids", rows[0].Row.Id.ToString()), ("ids", rows[1].Row.Id.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains("已同意2项延期申请。", await office.GetStringAsync(PageClient.Location(approved)));
        Assert.Equal(rows[0].Until, Row(rows[0].Row.Id).DueDate);
        Assert.Equal(rows[1].Until, Row(rows[1].Row.Id).DueDate);
        Assert.NotNull(Row(rows[2].Row.Id).ExtensionRequestedDueDate);

        var refused = await PostAsync(office, $"/campaigns/{id}/setup", $"/campaigns/{id}/setup?handler=RefuseExtensions",
            ("ids", rows[2].Row.Id.ToString()), ("note", "统一不予延期"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Null(Row(rows[2].Row.Id).ExtensionRequestedDueDate);
        Assert.Equal(rows[2].Row.DueDate, Row(rows[2].Row.Id).DueDate);
        var ids = rows.Select(r => r.Row.Id.ToString()).ToList();
        Assert.Equal(2, App.WithDb(db => db.Audit.Count(e => ids.Contains(e.EntityId) && e.Action == "assignment.approveextension")));
        Assert.Equal(1, App.WithDb(db => db.Audit.Count(e => ids.Contains(e.EntityId) && e.Action == "assignment.refuseextension")));
    }

    // ---------------------------------------------------------------- setup: access

    [Fact]
    public async Task Only_the_office_may_use_the_setup_page_and_every_post_needs_its_antiforgery_token()
    {
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var rows = await RequestExtensionsAsync(id, "市民宗委", 1);
        var row = rows[0].Row;
        var target = FreeUnitFor(id, [row]);
        var other = await ScopedAsync(async s => (await s.GetRequiredService<CampaignService>()
            .StartAsync(new StartCampaign("taijiang-2022", new DateOnly(2022, 1, 1), AssessedUnits: ["台江县甲局"]), "创建办")).Id);
        var before = Snapshot(id);
        var page = $"/campaigns/{id}/setup";

        var anonymous = await PageClient.Anonymous(App).GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", PageClient.Location(anonymous));

        foreach (var (role, unit) in new[] { (Roles.Leader, (string?)null), (Roles.Inspector, null), (Roles.Unit, "市民宗委") })
        {
            var client = await PageClient.SignInAsync(App, role, unit);
            var get = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
            Assert.StartsWith("/account/denied", PageClient.Location(get));
            foreach (var (handler, fields) in new (string, (string, string)[])[]
            {
                ("Reassign", [("assignmentId", row.Id.ToString()), ("unit", target), ("reason", "越权")]),
                ("BulkReassign", [("ids", row.Id.ToString()), ("unit", target), ("reason", "越权")]),
                ("ApproveExtensions", [("ids", row.Id.ToString())]),
            })
            {
                var post = await PostAsync(client, "/programmes", $"{page}?handler={handler}", fields);
                Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
                Assert.StartsWith("/account/denied", PageClient.Location(post));
            }
        }

        var office = await PageClient.SignInAsync(App, Roles.Office);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/campaigns/{Guid.NewGuid()}/setup")).StatusCode);
        var withoutToken = await office.PostAsync($"{page}?handler=ApproveExtensions",
            new FormUrlEncodedContent([new("ids", row.Id.ToString())]));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        var reassignWithoutToken = await office.PostAsync($"{page}?handler=BulkReassign",
            new FormUrlEncodedContent([new("ids", row.Id.ToString()), new("unit", target), new("reason", "无令牌")]));
        Assert.Equal(HttpStatusCode.BadRequest, reassignWithoutToken.StatusCode);
        // An assignment of another campaign is not this page's to touch.
        var foreign = await PostAsync(office, page, $"/campaigns/{other}/setup?handler=ApproveExtensions", ("ids", row.Id.ToString()));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(before, Snapshot(id));
    }

    // ---------------------------------------------------------------- ranking

    [Fact]
    public async Task Taijiang_ranking_page_and_its_sheet_rank_units_by_reviewed_score_with_the_negative_list()
    {
        string[] units = ["台江县甲局", "台江县乙局", "台江县丙局"];
        var id = await ScopedAsync(async s => (await s.GetRequiredService<CampaignService>()
            .StartAsync(new StartCampaign("taijiang-2022", new DateOnly(2022, 1, 1), AssessedUnits: units), "创建办")).Id);
        await ScopedAsync(async s =>
        {
            var assessment = s.GetRequiredService<ItemReviews>();
            var programme = s.GetRequiredService<ProgrammeCatalog>().Find("taijiang-2022")!;
            foreach (var unit in units)
            {
                foreach (var (item, facts) in TaijiangFacts(unit, programme))
                {
                    await assessment.ProposeAsync(id, unit, item, new ItemFacts(facts), unit, default);
                    await assessment.ReviewAsync(id, unit, item, new ReviewDecision("accept"), "创建办", default);
                }
            }
            return 0;
        });

        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        Assert.Contains("href=\"/ranking\"", await leader.GetStringAsync("/"));
        var index = await leader.GetAsync("/ranking");
        Assert.Equal($"/campaigns/{id}/ranking", PageClient.Location(index)); // the only campaign
        var html = await leader.GetStringAsync($"/campaigns/{id}/ranking");
        Assert.Contains("被考核单位得分排名", html);
        Assert.Contains($"href=\"/campaigns/{id}/ranking.xlsx\"", html);
        Assert.DoesNotContain("?handler=", html); // read-only
        // 甲局 full marks; 乙局 three briefings short (−3); 丙局 on the negative list (−20).
        Assert.Equal(["1", "台江县甲局", "100"], Cells(html, "台江县甲局")[..3]);
        Assert.Equal(["2", "台江县乙局", "97"], Cells(html, "台江县乙局")[..3]);
        Assert.Equal(["3", "台江县丙局", "80"], Cells(html, "台江县丙局")[..3]);
        Assert.Equal("−20", Cells(html, "台江县丙局")[^2]);
        Assert.True(html.IndexOf("data-unit=\"台江县甲局\"", StringComparison.Ordinal) < html.IndexOf("data-unit=\"台江县乙局\"", StringComparison.Ordinal));

        var xlsx = await leader.GetAsync($"/campaigns/{id}/ranking.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var sheet = OfficeReader.Sheet(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(units, new[] { sheet[3]["B"], sheet[4]["B"], sheet[5]["B"] });
        Assert.Equal(new[] { 1m, 2m, 3m }, new[] { OfficeReader.Number(sheet[3]["A"]), OfficeReader.Number(sheet[4]["A"]), OfficeReader.Number(sheet[5]["A"]) });
        var totalColumn = sheet[2].Single(c => c.Value == "总分").Key;
        Assert.Equal(new[] { 100m, 97m, 80m }, new[] { OfficeReader.Number(sheet[3][totalColumn]), OfficeReader.Number(sheet[4][totalColumn]), OfficeReader.Number(sheet[5][totalColumn]) });

        var unitUser = await PageClient.SignInAsync(App, Roles.Unit, "台江县甲局");
        foreach (var url in new[] { $"/campaigns/{id}/ranking", $"/campaigns/{id}/ranking.xlsx", "/ranking" })
        {
            var denied = await unitUser.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.StartsWith("/account/denied", PageClient.Location(denied));
            var anonymous = await PageClient.Anonymous(App).GetAsync(url);
            Assert.StartsWith("/account/login", PageClient.Location(anonymous));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync($"/campaigns/{Guid.NewGuid()}/ranking")).StatusCode);
    }

    [Fact]
    public async Task Hechi_ranking_ranks_units_by_their_work_done_on_time_so_far()
    {
        // The campaign starts on 2021-12-01. 市民宗委 finishes everything due before March that same day (on time);
        // 市教育局 finishes its share on 2022-03-01 (late); 金城江区 does nothing.
        Clock.Set(new DateTimeOffset(2021, 12, 1, 10, 0, 0, China));
        var id = await StartHechiAsync(new DateOnly(2021, 12, 1));
        var finishedOnTime = await FinishAsync(id, "市民宗委");
        Clock.Set(new DateTimeOffset(2022, 3, 1, 10, 0, 0, China));
        var finishedLate = await FinishAsync(id, "市教育局");
        var dueIdle = App.WithDb(db => db.Assignments.Count(a => a.CampaignId == id && a.Unit == "金城江区" && a.DueDate < Today && a.State != AssignmentState.Cancelled));
        Assert.True(finishedOnTime > 0 && finishedLate > 0 && dueIdle > 0);

        var office = await PageClient.SignInAsync(App, Roles.Office);
        Assert.Contains($"href=\"/campaigns/{id}/ranking\"", await office.GetStringAsync("/"));
        Assert.Contains($"href=\"/campaigns/{id}/setup\"", await office.GetStringAsync("/"));
        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        var html = await leader.GetStringAsync($"/campaigns/{id}/ranking");
        Assert.Contains("各单位工作排名", html);
        Assert.DoesNotContain("?handler=", html);
        // rank, unit, due, finished, on time, on-time rate, overdue now
        Assert.Equal(["1", "市民宗委", $"{finishedOnTime}", $"{finishedOnTime}", $"{finishedOnTime}", "100%", "0"], Cells(html, "市民宗委"));
        Assert.Equal(["2", "市教育局", $"{finishedLate}", $"{finishedLate}", "0", "0%", "0"], Cells(html, "市教育局"));
        var idle = Cells(html, "金城江区");
        Assert.Equal(["金城江区", $"{dueIdle}", "0", "0", "0%", $"{dueIdle}"], idle[1..]);
        Assert.True(int.Parse(idle[0]) > 2);
        Assert.DoesNotContain("data-unit=\"创建办\"", html); // the office's own duties are not ranked

        var xlsx = await leader.GetAsync($"/campaigns/{id}/ranking.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var sheet = OfficeReader.Sheet(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Contains("各单位工作排名", sheet[1]["A"]);
        Assert.Equal("按时完成率（%）", sheet[2]["F"]);
        Assert.Equal(("市民宗委", 1m, (decimal)finishedOnTime, 100m, 0m),
            (sheet[3]["B"], OfficeReader.Number(sheet[3]["A"]), OfficeReader.Number(sheet[3]["C"]), OfficeReader.Number(sheet[3]["F"]), OfficeReader.Number(sheet[3]["G"])));
        Assert.Equal(("市教育局", 0m, 0m), (sheet[4]["B"], OfficeReader.Number(sheet[4]["E"]), OfficeReader.Number(sheet[4]["F"])));
        var idleRow = sheet.Values.Single(r => r.GetValueOrDefault("B") == "金城江区");
        Assert.Equal(dueIdle, OfficeReader.Number(idleRow["G"]));
    }

    // ---------------------------------------------------------------- helpers

    private async Task<T> ScopedAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        using var scope = App.Services.CreateScope();
        return await work(scope.ServiceProvider);
    }

    private Task<Guid> StartHechiAsync(DateOnly start) =>
        ScopedAsync(async s => (await s.GetRequiredService<CampaignService>().StartAsync(new StartCampaign("hechi-2021", start, WorkflowVersion: 1), "创建办")).Id);

    private AssignmentRecord Row(Guid id) => App.WithDb(db => db.Assignments.AsNoTracking().Single(a => a.Id == id));

    /// <summary>Open, not yet due assignments of a unit, each a different duty (step, item, period).</summary>
    private List<AssignmentRecord> OpenRows(Guid campaignId, string unit, int count) => App.WithDb(db => db.Assignments.AsNoTracking()
        .Where(a => a.CampaignId == campaignId && a.Unit == unit && a.State == AssignmentState.Assigned && a.DueDate > Today && a.StepId == "progress")
        .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).Take(count).ToList());

    /// <summary>The directory unit with the fewest duties, and open rows of <paramref name="unit"/> it does not have yet.</summary>
    private (List<AssignmentRecord> Rows, string Target) MovableRows(Guid campaignId, string unit, int count)
    {
        var directory = App.Services.GetRequiredService<ProgrammeCatalog>().Find("hechi-2021")!.Units.Units.Select(u => u.Name).ToList();
        return App.WithDb(db =>
        {
            var load = db.Assignments.Where(a => a.CampaignId == campaignId).GroupBy(a => a.Unit).ToDictionary(g => g.Key, g => g.Count());
            var target = directory.Where(n => n != unit).OrderBy(n => load.GetValueOrDefault(n)).First();
            var rows = db.Assignments.AsNoTracking()
                .Where(a => a.CampaignId == campaignId && a.Unit == unit && a.State == AssignmentState.Assigned && a.DueDate > Today
                    && !db.Assignments.Any(b => b.CampaignId == campaignId && b.Unit == target && b.StepId == a.StepId && b.ItemNo == a.ItemNo && b.Period == a.Period))
                .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).Take(count).ToList();
            Assert.Equal(count, rows.Count);
            return (rows, target);
        });
    }

    /// <summary>A directory unit that has none of these duties yet, so they may all move to it.</summary>
    private string FreeUnitFor(Guid campaignId, IReadOnlyList<AssignmentRecord> rows)
    {
        var directory = App.Services.GetRequiredService<ProgrammeCatalog>().Find("hechi-2021")!.Units.Units.Select(u => u.Name);
        return App.WithDb(db => directory.First(name => rows.All(r => r.Unit != name && !db.Assignments.Any(a =>
            a.CampaignId == campaignId && a.Unit == name && a.StepId == r.StepId && a.ItemNo == r.ItemNo && a.Period == r.Period))));
    }

    /// <summary>A unit acknowledges an acknowledge-only duty: it is approved (closed) at once.</summary>
    private Task<AssignmentRecord> CloseAcknowledgeRowAsync(Guid campaignId, string unit) => ScopedAsync(async s =>
    {
        var db = s.GetRequiredService<AppDbContext>();
        var row = await db.Assignments.FirstAsync(a => a.CampaignId == campaignId && a.Unit == unit && a.StepId == "acknowledge");
        await s.GetRequiredService<AssignmentService>().ApplyAsync(row, (l, at) => l.Acknowledge(Actor.Unit(unit), at), unit, default);
        Assert.Equal(AssignmentState.Approved, row.State);
        return row;
    });

    private Task<List<(AssignmentRecord Row, DateOnly Until)>> RequestExtensionsAsync(Guid campaignId, string unit, int count) => ScopedAsync(async s =>
    {
        var db = s.GetRequiredService<AppDbContext>();
        var service = s.GetRequiredService<AssignmentService>();
        var list = new List<(AssignmentRecord, DateOnly)>();
        foreach (var open in OpenRows(campaignId, unit, count))
        {
            var row = await db.Assignments.SingleAsync(a => a.Id == open.Id);
            var until = row.DueDate.AddDays(20);
            await service.ApplyAsync(row, (l, at) => l.RequestExtension(Actor.Unit(unit), at, until, "需协调多部门，申请延期"), unit, default);
            list.Add((open, until));
        }
        Assert.Equal(count, list.Count);
        return list;
    });

    /// <summary>The unit finishes every assignment due before <see cref="Today"/>, now; returns how many.</summary>
    private Task<int> FinishAsync(Guid campaignId, string unit) => ScopedAsync(async s =>
    {
        var db = s.GetRequiredService<AppDbContext>();
        var service = s.GetRequiredService<AssignmentService>();
        var rows = await db.Assignments.Where(a => a.CampaignId == campaignId && a.Unit == unit && a.DueDate < Today).ToListAsync();
        var me = Actor.Unit(unit);
        foreach (var row in rows)
        {
            await service.ApplyAsync(row, (l, at) => l.Acknowledge(me, at), unit, default);
            if (row.State != AssignmentState.Approved)
            {
                await service.ApplyAsync(row, (l, at) => l.ReportProgress(me, at, "已完成"), unit, default);
                await service.ApplyAsync(row, (l, at) => l.Submit(me, at), unit, default);
            }
        }
        return rows.Count;
    });

    /// <summary>What a refused request must leave untouched: every assignment's unit, state, dates and revision, audit and notices.</summary>
    private string Snapshot(Guid campaignId) => App.WithDb(db => string.Join("\n",
        db.Assignments.AsNoTracking().Where(a => a.CampaignId == campaignId).OrderBy(a => a.Id)
            .Select(a => a.Id + a.Unit + a.State + a.DueDate + a.ExtensionRequestedDueDate + a.Revision).ToList()
            .Append($"audit {db.Audit.Count(a => !a.Action.StartsWith("signin."))} notices {db.Notifications.Count()} timers {db.Timers.Count(t => t.State == TimerState.Pending)}")));

    /// <summary>The text of each cell of a ranking row.</summary>
    private static string[] Cells(string html, string unit)
    {
        var row = Regex.Match(html, $"<tr data-unit=\"{Regex.Escape(unit)}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"no row for {unit}");
        return [.. Regex.Matches(row.Groups[1].Value, "<td>(.*?)</td>", RegexOptions.Singleline)
            .Select(m => System.Net.WebUtility.HtmlDecode(TagPattern().Replace(m.Groups[1].Value, "")).Trim())];
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    /// <summary>Posts form fields (repeatable names) with the antiforgery token scraped from <paramref name="formPage"/>.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string formPage, string action, params (string Name, string Value)[] fields)
    {
        var token = PageClient.Token(await client.GetStringAsync(formPage));
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token));
        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    /// <summary>Full marks on every item, less what the unit's story says (as in TaijiangRankingTests).</summary>
    private static IEnumerable<(string Item, Facts Facts)> TaijiangFacts(string unit, Core.Programmes.Programme p)
    {
        foreach (var item in p.Items)
        {
            var rules = item.Rules;
            var counts = rules.OfType<CountRule>().ToDictionary(r => r.Id, r => r.Min);
            var checks = rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true);
            var people = rules.OfType<PerPersonRule>().ToDictionary(r => r.Id, _ => new PeopleCount(10, 10));
            var cases = rules.OfType<LevelRule>().SelectMany(r => Enumerable.Range(1, 3).Select(k => new Case(r.Id, $"{r.Id}-{k}", r.Levels.MaxBy(l => l.Points)!.Level))).ToList();
            int? staff = null;
            foreach (var r in rules.OfType<StaffCountRule>())
            {
                staff = 25;
                counts[r.Id] = 15;
            }
            if (unit == "台江县乙局" && item.No == 12)
            {
                counts["12.1"] = 9;
            }
            yield return (item.No.ToString(), new Facts { Checks = checks, Counts = counts, People = people, Cases = cases, StaffSize = staff });
        }
        if (unit == "台江县丙局")
        {
            yield return ("N1", new Facts { Cases = [new Case("N1.1", "涉民族因素舆情，造成重大影响")] });
        }
    }
}
