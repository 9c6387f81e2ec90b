namespace CreationWorkflow.Web.Tests.Assignments;

/// <summary>The unit pages (/inbox, /assignments/{id}) and the board, through cookie sign-in and real forms, on Taijiang with three units.</summary>
public sealed partial class AssignmentPageTests() : CampaignTest("taijiang-2022", "2022-01-01", new DateTimeOffset(2022, 1, 4, 2, 0, 0, TimeSpan.Zero), Units)
{
    private static readonly string[] Units = ["台江县民宗局", "台江县教育局", "台江县卫健局"];

    /// <summary>An assignment of the unit in a step with work after signing (not acknowledge-only).</summary>
    private Guid WorkOf(string unit) =>
        App.WithDb(db => db.Assignments.Where(a => a.CampaignId == CampaignId && a.Unit == unit && a.StepId != "acknowledge")
            .OrderBy(a => a.ItemNo).Select(a => a.Id).First());

    /// <summary>The page's progress form (its antiforgery token) with <paramref name="text"/> and one file declared as a PDF.</summary>
    private static MultipartFormDataContent ProgressForm(string page, string text, byte[] file, string fileName)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(PageClient.Token(page)), "__RequestVerificationToken" },
            { new StringContent(text), "text" },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(content, "files", fileName);
        return form;
    }

    private (AssignmentState State, int Audit) StateOf(Guid id) =>
        App.WithDb(db => (db.Assignments.Single(a => a.Id == id).State, db.Audit.Count(a => a.Entity == "assignment" && a.EntityId == id.ToString())));

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_from_every_page()
    {
        var anonymous = PageClient.Anonymous(App);
        foreach (var page in new[] { "/", "/inbox", $"/assignments/{WorkOf(Units[0])}", "/supervision/board" })
        {
            var response = await anonymous.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/login", PageClient.Location(response));
        }
    }

    [Fact]
    public async Task A_unit_cannot_open_or_acknowledge_another_units_assignment()
    {
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, Units[0]);
        var other = WorkOf(Units[1]);

        Assert.Equal(HttpStatusCode.NotFound, (await unitA.GetAsync($"/assignments/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unitA.GetAsync($"/assignments/{other}?handler=Evidence&fileId={Guid.NewGuid()}")).StatusCode);
        var post = await PageClient.PostFormAsync(unitA, "/inbox", $"/assignments/{other}?handler=Acknowledge", new() { ["back"] = "inbox" });
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal((AssignmentState.Assigned, 0), StateOf(other));
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, Units[0]);
        var mine = WorkOf(Units[0]);
        var post = await unitA.PostAsync($"/assignments/{mine}?handler=Acknowledge", new FormUrlEncodedContent(new Dictionary<string, string> { ["back"] = "inbox" }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal((AssignmentState.Assigned, 0), StateOf(mine));
    }

    [Fact]
    public async Task The_inbox_lists_exactly_the_units_own_assignments_by_due_date()
    {
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, Units[0]);
        var html = await unitA.GetStringAsync("/inbox");
        var own = App.WithDb(db => db.Assignments.Where(a => a.Unit == Units[0]).Select(a => new { a.Id, a.DueDate }).ToList());
        Assert.Equal(46, own.Count);
        // The open groups' own pages together list exactly the unit's assignments, each by due date; the overview shows
        // the first rows of each.
        var overview = RowPattern().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        var listed = new List<Guid>();
        var expectedOverview = 0;
        foreach (var group in new[] { InboxGroup.Late, InboxGroup.DueThisWeek, InboxGroup.Later })
        {
            var rows = RowPattern().Matches(await unitA.GetStringAsync($"/inbox?group={InboxWindow.Key(group)}")).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
            var dues = rows.Select(id => own.Single(a => a.Id == id).DueDate).ToList();
            Assert.Equal(dues.Order(), dues);
            listed.AddRange(rows);
            expectedOverview += Math.Min(rows.Count, Web.Assignments.InboxModel.OverviewRows);
        }
        Assert.Equal(own.Select(a => a.Id).Order(), listed.Order());
        Assert.Equal(expectedOverview, overview.Count);
        Assert.All(overview, id => Assert.Contains(id, listed));
        Assert.Contains("签收", html);
        Assert.Contains(Units[0], html);
        Assert.DoesNotContain(Units[1], html);

        var filtered = RowPattern().Matches(await unitA.GetStringAsync("/inbox?state=Approved")).Count;
        Assert.Equal(0, filtered);
    }

    [Fact]
    public async Task Acknowledging_through_the_inbox_form_changes_the_state_and_writes_the_audit_entry()
    {
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, Units[0]);
        var mine = WorkOf(Units[0]);
        var post = await PageClient.PostFormAsync(unitA, "/inbox", $"/assignments/{mine}?handler=Acknowledge", new() { ["back"] = "inbox" });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/inbox", PageClient.Location(post));
        Assert.Equal((AssignmentState.Acknowledged, 1), StateOf(mine));
        var audit = App.WithDb(db => db.Audit.Single(a => a.Entity == "assignment" && a.EntityId == mine.ToString()));
        Assert.Equal("assignment.acknowledge", audit.Action);
        Assert.Equal("页面单位", audit.Actor);
        Assert.Contains("已签收。", await unitA.GetStringAsync("/inbox"));

        // A second acknowledge is refused by the lifecycle, shown in Chinese, and changes nothing.
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(unitA, $"/assignments/{mine}", $"/assignments/{mine}?handler=Acknowledge"), HttpStatusCode.Conflict, "class=\"error\"");
        Assert.Equal((AssignmentState.Acknowledged, 1), StateOf(mine));
    }

    [Fact]
    public async Task Uploading_a_lying_file_shows_the_refusal_and_stores_nothing()
    {
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, Units[0]);
        var mine = WorkOf(Units[0]);
        await PageClient.PostFormAsync(unitA, $"/assignments/{mine}", $"/assignments/{mine}?handler=Acknowledge");
        Assert.Equal(AssignmentState.Acknowledged, StateOf(mine).State);

        var page = await unitA.GetStringAsync($"/assignments/{mine}");
        Assert.Contains("进展填报", page);
        var form = ProgressForm(page, "已召开专题会议", "<html><script>alert(1)</script></html>"u8.ToArray(), "report.pdf");
        var body = await PageClient.AssertAnswerAsync(await unitA.PostAsync($"/assignments/{mine}?handler=Progress", form), HttpStatusCode.BadRequest, "文件「report.pdf」的内容与声明的类型（PDF）不符，已拒收。");
        Assert.Contains("已召开专题会议", body); // the text is kept on the form
        Assert.Equal((0, 0, AssignmentState.Acknowledged), App.WithDb(db => (
            db.ProgressReports.Count(p => p.AssignmentId == mine), db.EvidenceFiles.Count(f => f.AssignmentId == mine), db.Assignments.Single(a => a.Id == mine).State)));
        var folder = Path.Combine(App.DataPath, "evidence");
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0);

        // A true PDF goes through, and comes back only as a download.
        page = await unitA.GetStringAsync($"/assignments/{mine}");
        var ok = ProgressForm(page, "台账已整理", "%PDF-1.4\n%%EOF\n"u8.ToArray(), "taizhang.pdf");
        Assert.Equal(HttpStatusCode.Redirect, (await unitA.PostAsync($"/assignments/{mine}?handler=Progress", ok)).StatusCode);
        var fileId = App.WithDb(db => db.EvidenceFiles.Single(f => f.AssignmentId == mine).Id);
        Assert.Contains($"handler=Evidence&amp;fileId={fileId}", await unitA.GetStringAsync($"/assignments/{mine}"));
        var download = await unitA.GetAsync($"/assignments/{mine}?handler=Evidence&fileId={fileId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_board_is_for_staff_and_urging_twice_a_day_shows_the_refusal()
    {
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, Units[0]);
        var denied = await unitA.GetAsync("/supervision/board");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/denied", PageClient.Location(denied));

        var inspector = await PageClient.SignInAsync(App, Roles.Inspector);
        var board = await inspector.GetStringAsync("/supervision/board");
        Assert.Contains("督查看板", board);
        var target = Guid.Parse(RowPattern().Match(board).Groups[1].Value);
        Assert.True(App.WithDb(db => db.Assignments.Single(a => a.Id == target).State == AssignmentState.Assigned));
        var first = await PageClient.PostFormAsync(inspector, "/supervision/board", "/supervision/board?handler=Urge", new() { ["assignmentId"] = target.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(inspector, "/supervision/board", "/supervision/board?handler=Urge", new() { ["assignmentId"] = target.ToString() }), HttpStatusCode.Conflict, "已催办过，每项任务每天只能催办一次。");
        Assert.Equal(1, App.WithDb(db => db.Notifications.Count(n => n.AssignmentId == target && n.Kind == NotificationKind.Urge)));

        // Leaders read the board but have no 催办 button, and a forged post is forbidden.
        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        var leaderBoard = await leader.GetStringAsync("/supervision/board");
        Assert.DoesNotContain("handler=Urge", leaderBoard);
        var forged = await PageClient.PostFormAsync(leader, "/supervision/board", "/supervision/board?handler=Urge", new() { ["assignmentId"] = WorkOf(Units[1]).ToString() });
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.StartsWith("/account/denied", PageClient.Location(forged));
        Assert.Equal(1, App.WithDb(db => db.Notifications.Count(n => n.Kind == NotificationKind.Urge)));
    }

    [Fact]
    public async Task The_office_reviews_a_submission_on_the_page()
    {
        var unitA = await PageClient.SignInAsync(App, Roles.Unit, Units[0]);
        var mine = WorkOf(Units[0]);
        var api = await App.ClientFor(Roles.Unit, Units[0]);
        (await api.PostAsJsonAsync($"/api/assignments/{mine}/acknowledge", new { })).EnsureSuccessStatusCode();
        (await api.PostAsync($"/api/assignments/{mine}/progress", new MultipartFormDataContent { { new StringContent("已完成"), "text" } })).EnsureSuccessStatusCode();
        var submitted = await PageClient.PostFormAsync(unitA, "/inbox", $"/assignments/{mine}?handler=Submit", new() { ["back"] = "inbox" });
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.Equal(AssignmentState.Submitted, StateOf(mine).State);

        var office = await PageClient.SignInAsync(App, Roles.Office);
        var page = await office.GetStringAsync($"/assignments/{mine}");
        Assert.Contains("handler=Approve", page);
        Assert.Contains("handler=Return", page);
        Assert.DoesNotContain("handler=Acknowledge", page);
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(office, $"/assignments/{mine}", $"/assignments/{mine}?handler=Return", new() { ["reason"] = "" }), HttpStatusCode.BadRequest, "class=\"error\"");
        Assert.Equal(AssignmentState.Submitted, StateOf(mine).State);
        var returned = await PageClient.PostFormAsync(office, $"/assignments/{mine}", $"/assignments/{mine}?handler=Return", new() { ["reason"] = "佐证材料不全" });
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        Assert.Equal(("佐证材料不全", AssignmentState.Returned), App.WithDb(db => db.Assignments.Where(a => a.Id == mine).Select(a => new { a.ReturnReason, a.State }).AsEnumerable().Select(a => (a.ReturnReason, a.State)).Single()));
        Assert.Contains("佐证材料不全", await unitA.GetStringAsync($"/assignments/{mine}"));
    }

    [GeneratedRegex("<tr data-assignment=\"([0-9a-f-]{36})\"")]
    private static partial Regex RowPattern();
}
