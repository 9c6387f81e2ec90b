namespace CreationWorkflow.Web.Tests.Assignments;

/// <summary>Campaign start and the assignment lifecycle over the API, on a real SQLite file, with three assessed units.</summary>
public sealed class AssignmentApiTests : IAsyncLifetime
{
    private static readonly string[] Units = ["台江县民宗局", "台江县教育局", "台江县卫健局"];
    private readonly AppFactory app = new() { Clock = new TestClock(new DateTimeOffset(2022, 1, 4, 2, 0, 0, TimeSpan.Zero)) };
    private HttpClient office = null!;
    private HttpClient unitA = null!;
    private HttpClient unitB = null!;
    private Guid campaignId;

    public async Task InitializeAsync()
    {
        office = await app.ClientFor(Roles.Office);
        unitA = await app.ClientFor(Roles.Unit, Units[0]);
        unitB = await app.ClientFor(Roles.Unit, Units[1]);
        var started = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = Units });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var campaign = await started.Content.ReadFromJsonAsync<JsonObject>();
        campaignId = (Guid)campaign!["id"]!;
        Assert.Equal(2 * 23 * Units.Length, (int)campaign["assignments"]!);
    }

    public Task DisposeAsync()
    {
        app.Dispose();
        app.DeleteFolders();
        return Task.CompletedTask;
    }

    private async Task<JsonArray> MineAsync(HttpClient client, string query = "")
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/assignments/mine?pageSize=200{query}");
        return page!["items"]!.AsArray();
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string url, object? body = null) =>
        await client.PostAsJsonAsync(url, body ?? new { });

    [Fact]
    public async Task Starting_a_campaign_creates_assignments_timers_notices_and_an_audit_entry()
    {
        var (assignments, timers, notices, audit) = app.WithDb(db => (
            db.Assignments.Count(a => a.CampaignId == campaignId),
            db.Timers.Count(t => t.CampaignId == campaignId && t.State == TimerState.Pending),
            db.Notifications.Count(n => n.CampaignId == campaignId && n.Kind == NotificationKind.Assigned),
            db.Audit.Count(a => a.Action == "campaign.started" && a.EntityId == campaignId.ToString())));
        Assert.Equal(138, assignments);
        Assert.Equal(138, timers); // each open assignment has its next reminder planned
        Assert.Equal(Units.Length, notices);
        Assert.Equal(1, audit);

        Assert.Equal(HttpStatusCode.Forbidden, (await unitA.PostAsJsonAsync("/api/campaigns", new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = Units })).StatusCode);
        var bad = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "taijiang-2022", startDate = "2022-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("assessedUnits", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_unit_sees_only_its_own_assignments_sorted_by_due_date()
    {
        var mine = await MineAsync(unitA);
        Assert.Equal(46, mine.Count);
        Assert.All(mine, a => Assert.Equal(Units[0], (string)a!["unit"]!));
        var dues = mine.Select(a => DateOnly.Parse((string)a!["dueDate"]!)).ToList();
        Assert.Equal(dues.Order(), dues);

        var other = (Guid)(await MineAsync(unitB))[0]!["id"]!;
        Assert.Equal(HttpStatusCode.NotFound, (await unitA.GetAsync($"/api/assignments/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Post(unitA, $"/api/assignments/{other}/acknowledge")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unitA.GetAsync($"/api/assignments/{other}/trail")).StatusCode);
        var untouched = await unitB.GetFromJsonAsync<JsonObject>($"/api/assignments/{other}");
        Assert.Equal("assigned", (string)untouched!["state"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync("/api/assignments/mine")).StatusCode);
    }

    [Fact]
    public async Task Acknowledge_report_with_evidence_submit_return_resubmit_approve()
    {
        var report = (await MineAsync(unitA)).First(a => (string)a!["stepId"]! != "acknowledge")!;
        var id = (Guid)report["id"]!;
        Assert.Equal(HttpStatusCode.Conflict, (await Post(unitA, $"/api/assignments/{id}/submit")).StatusCode);
        Assert.Equal("acknowledged", (string)(await (await Post(unitA, $"/api/assignments/{id}/acknowledge")).Content.ReadFromJsonAsync<JsonObject>())!["state"]!);

        var progress = await unitA.PostAsync($"/api/assignments/{id}/progress", Form("已召开专题会议4次", ("会议纪要.pdf", "application/pdf", Pdf)));
        Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        Assert.Equal("inProgress", (string)(await progress.Content.ReadFromJsonAsync<JsonObject>())!["state"]!);
        Assert.Equal(HttpStatusCode.OK, (await Post(unitA, $"/api/assignments/{id}/submit")).StatusCode);

        // Another unit cannot review; the office returns with a reason, the unit resubmits, the office approves.
        Assert.Equal(HttpStatusCode.NotFound, (await Post(unitB, $"/api/assignments/{id}/approve")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(office, $"/api/assignments/{id}/return", new { reason = " " })).StatusCode);
        var returned = await (await Post(office, $"/api/assignments/{id}/return", new { reason = "缺少会议照片" })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(("returned", "缺少会议照片"), ((string)returned!["state"]!, (string)returned["returnReason"]!));
        Assert.Equal(HttpStatusCode.OK, (await Post(unitA, $"/api/assignments/{id}/submit")).StatusCode);
        var approved = await (await Post(office, $"/api/assignments/{id}/approve")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("approved", (string)approved!["state"]!);

        var trail = await unitA.GetFromJsonAsync<JsonObject>($"/api/assignments/{id}/trail");
        Assert.Equal(["assignment.acknowledge", "assignment.reportprogress", "assignment.submit", "assignment.return", "assignment.submit", "assignment.approve"],
            trail!["audit"]!.AsArray().Select(a => (string)a!["action"]!));
        var file = trail["progress"]![0]!["files"]![0]!;
        Assert.Equal("会议纪要.pdf", (string)file["fileName"]!);
        var download = await unitA.GetAsync($"/api/assignments/{id}/evidence/{(Guid)file["id"]!}");
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(HttpStatusCode.NotFound, (await unitB.GetAsync($"/api/assignments/{id}/evidence/{(Guid)file["id"]!}")).StatusCode);
        Assert.Contains(trail["notifications"]!.AsArray(), n => ((string)n!["title"]!).StartsWith("【退回】", StringComparison.Ordinal));
        Assert.Equal(0, app.WithDb(db => db.Timers.Count(t => t.AssignmentId == id && t.State == TimerState.Pending)));
    }

    [Fact]
    public async Task Acknowledging_a_sign_for_duty_completes_it_and_stops_its_reminders()
    {
        var ack = (await MineAsync(unitA)).First(a => (string)a!["stepId"]! == "acknowledge")!;
        var id = (Guid)ack["id"]!;
        var done = await (await Post(unitA, $"/api/assignments/{id}/acknowledge")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("approved", (string)done!["state"]!);
        Assert.Equal(0, app.WithDb(db => db.Timers.Count(t => t.AssignmentId == id && t.State == TimerState.Pending)));
    }

    [Fact]
    public async Task Lying_oversized_and_path_traversal_uploads_are_refused_and_nothing_is_stored()
    {
        var id = (Guid)(await MineAsync(unitA)).First(a => (string)a!["stepId"]! != "acknowledge")!["id"]!;
        await Post(unitA, $"/api/assignments/{id}/acknowledge");
        var lying = await unitA.PostAsync($"/api/assignments/{id}/progress", Form("进展", ("报告.pdf", "application/pdf", "<html><script>alert(1)</script>"u8.ToArray())));
        Assert.Equal(HttpStatusCode.BadRequest, lying.StatusCode);
        Assert.Contains("内容与声明的类型（PDF）不符", await lying.Content.ReadAsStringAsync());
        var traversal = await unitA.PostAsync($"/api/assignments/{id}/progress", Form("进展", ("../../etc/passwd.pdf", "application/pdf", Pdf)));
        Assert.Equal(HttpStatusCode.BadRequest, traversal.StatusCode);
        Assert.Contains("不得包含路径", await traversal.Content.ReadAsStringAsync());
        var big = new byte[21 * 1024 * 1024];
        Pdf.CopyTo(big, 0);
        var oversized = await unitA.PostAsync($"/api/assignments/{id}/progress", Form("进展", ("大文件.pdf", "application/pdf", big)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Contains("超过大小上限", await oversized.Content.ReadAsStringAsync());
        var html = await unitA.PostAsync($"/api/assignments/{id}/progress", Form("进展", ("page.html", "text/html", "<html></html>"u8.ToArray())));
        Assert.Equal(HttpStatusCode.BadRequest, html.StatusCode);

        Assert.Equal((0, 0, "acknowledged"), app.WithDb(db => (db.EvidenceFiles.Count(), db.ProgressReports.Count(),
            db.Assignments.Single(a => a.Id == id).State.ToString().ToLowerInvariant())));
        var folder = Path.Combine(app.DataPath, "evidence");
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0);
    }

    [Fact]
    public async Task An_approved_extension_moves_the_deadline_and_replans_the_reminders()
    {
        var a = (await MineAsync(unitA)).First(x => (string)x!["stepId"]! != "acknowledge")!;
        var (id, due) = ((Guid)a["id"]!, DateOnly.Parse((string)a["dueDate"]!));
        var bad = await Post(unitA, $"/api/assignments/{id}/extension", new { dueDate = due.AddDays(-1), reason = "来不及" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(unitA, $"/api/assignments/{id}/extension", new { dueDate = due.AddDays(10), reason = "等待县委审定" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Post(unitA, $"/api/assignments/{id}/extension", new { dueDate = due.AddDays(12), reason = "再延" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(unitA, $"/api/assignments/{id}/extension/approve")).StatusCode);
        var approved = await (await Post(office, $"/api/assignments/{id}/extension/approve")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(due.AddDays(10), DateOnly.Parse((string)approved!["dueDate"]!));

        var timers = app.WithDb(db => db.Timers.Where(t => t.AssignmentId == id).ToList());
        Assert.Contains(timers, t => t.State == TimerState.Cancelled && t.OccurrenceKey.Contains($":{due:yyyyMMdd}:", StringComparison.Ordinal));
        var pending = Assert.Single(timers, t => t.State == TimerState.Pending);
        Assert.Contains($":{due.AddDays(10):yyyyMMdd}:", pending.OccurrenceKey);
        Assert.Contains(app.WithDb(db => db.Audit.Where(x => x.EntityId == id.ToString()).Select(x => x.Action).ToList()), x => x == "assignment.approveextension");
    }

    [Fact]
    public async Task The_office_reassigns_with_a_reason_and_it_is_logged()
    {
        var id = (Guid)(await MineAsync(unitA))[0]!["id"]!;
        var noReason = await office.PatchAsJsonAsync($"/api/assignments/{id}", new { unit = "台江县卫健局", reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var taken = await office.PatchAsJsonAsync($"/api/assignments/{id}", new { unit = "台江县卫健局", reason = "职能调整" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode); // that unit already has the same duty
        Assert.Equal(HttpStatusCode.Forbidden, (await unitA.PatchAsJsonAsync($"/api/assignments/{id}", new { dueDate = "2022-03-01", reason = "x" })).StatusCode);
        var moved = await office.PatchAsJsonAsync($"/api/assignments/{id}", new { dueDate = "2022-03-01", reason = "统一调整截止时间" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var audit = app.WithDb(db => db.Audit.Single(x => x.EntityId == id.ToString() && x.Action == "assignment.rescheduled"));
        Assert.Contains("2022-03-01", audit.After);
        Assert.DoesNotContain("2022-03-01", audit.Before);
    }

    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();

    private static MultipartFormDataContent Form(string text, params (string Name, string Type, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(text), "text" } };
        foreach (var (name, type, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "files", name);
        }
        return form;
    }
}
