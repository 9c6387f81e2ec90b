namespace CreationWorkflow.Web.Tests.Assignments;

/// <summary>
/// 全部通过: a lead unit approves every line of a county's submitted report that it reviews in one action, on the
/// report's page and through the API twin; one audit entry per line, the other reviewers' lines untouched, the report
/// approved once its last line is.
/// </summary>
public sealed class ApproveMineTests() : CampaignTest("hechi-2021", "2021-12-01", ChinaMorning(2022, 3, 1), workflowVersion: 2)
{
    private const string County = "市教育局";
    private Guid report;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var campaignId = CampaignId;
        report = App.WithDb(db => db.Assignments.Single(a => a.CampaignId == campaignId && a.StepId == "progress" && a.Unit == County && a.Period == 1).Id);
        var unit = await App.ClientFor(Roles.Unit, County);
        foreach (var item in App.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == report).Select(l => l.ItemNo).ToList()))
        {
            using var form = new MultipartFormDataContent { { new StringContent($"一月：第{item}项按计划推进。"), "text" } };
            Assert.Equal(HttpStatusCode.OK, (await unit.PostAsync($"/api/assignments/{report}/lines/{item}", form)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await unit.PostAsJsonAsync($"/api/assignments/{report}/submit", new { })).StatusCode);
    }

    /// <summary>The report's lines by reviewer (null: 创建办), with their states.</summary>
    private List<(string? Reviewer, int ItemNo, ReportLineState State)> Lines() => App.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == report)
        .OrderBy(l => l.ItemNo).Select(l => new { l.ReviewerUnit, l.ItemNo, l.State }).ToList()).Select(l => (l.ReviewerUnit, l.ItemNo, l.State)).ToList();

    private int Approvals() => App.WithDb(db => db.Audit.Count(a => a.Entity == AuditEntities.Assignment && a.EntityId == report.ToString() && a.Action == AuditActions.ReportLineApproved));

    [Fact]
    public async Task A_lead_unit_approves_all_its_lines_on_the_page_then_another_through_the_api_and_the_report_is_done()
    {
        var lines = Lines();
        Assert.All(lines, l => Assert.Equal(ReportLineState.Submitted, l.State));
        var byReviewer = lines.Where(l => l.Reviewer is not null).GroupBy(l => l.Reviewer!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var lead = byReviewer.First(g => g.Count() > 1);
        var mine = lead.Select(l => l.ItemNo).ToHashSet();

        // The page offers the button with the lead's own count; one post approves exactly those lines, an audit entry each.
        var page = await PageClient.SignInAsync(App, Roles.Unit, lead.Key);
        var path = $"/assignments/{report}";
        var html = await page.GetStringAsync(path);
        Assert.Contains($"data-approve-mine=\"{mine.Count}\"", html);
        Assert.Contains($"全部通过（{mine.Count}项）", html);
        var posted = await PageClient.PostFormAsync(page, path, $"{path}?handler=LinesApproveMine");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains($"已通过{mine.Count}项。", await page.GetStringAsync(PageClient.Location(posted)));
        var after = Lines();
        Assert.All(after, l => Assert.Equal(mine.Contains(l.ItemNo) ? ReportLineState.Approved : ReportLineState.Submitted, l.State));
        Assert.Equal(mine.Count, Approvals());
        Assert.Equal(AssignmentState.Submitted, App.WithDb(db => db.Assignments.Single(a => a.Id == report).State));

        // Again: nothing of the lead's is pending, so the action is refused with the reason and nothing changes.
        var again = await PageClient.PostFormAsync(page, path, $"{path}?handler=LinesApproveMine");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"本报告没有待{lead.Key}审核的条目。", await again.Content.ReadAsStringAsync());
        Assert.Equal(mine.Count, Approvals());

        // The county itself reviews none of its lines; a unit unrelated to the report does not see it.
        var county = await App.ClientFor(Roles.Unit, County);
        Assert.Equal(HttpStatusCode.Conflict, (await county.PostAsync($"/api/assignments/{report}/lines/approve-mine", null)).StatusCode);
        var stranger = App.WithDb(db => db.Assignments.Select(a => a.Unit).Distinct().ToList())
            .First(u => u != County && lines.All(l => l.Reviewer != u));
        var outsider = await App.ClientFor(Roles.Unit, stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsync($"/api/assignments/{report}/lines/approve-mine", null)).StatusCode);

        // The API twin, for every other reviewer in turn (the office for the lines 创建办 reviews): the last one approves the report.
        foreach (var other in byReviewer.Where(g => g.Key != lead.Key))
        {
            var client = await App.ClientFor(Roles.Unit, other.Key);
            var answer = await client.PostAsync($"/api/assignments/{report}/lines/approve-mine", null);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var view = (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.All(view["lines"]!.AsArray().Where(l => (string?)l!["reviewerUnit"] == other.Key), l => Assert.Equal("approved", (string)l!["state"]!));
        }
        if (lines.Any(l => l.Reviewer is null))
        {
            var office = await App.ClientFor(Roles.Office);
            Assert.Equal(HttpStatusCode.OK, (await office.PostAsync($"/api/assignments/{report}/lines/approve-mine", null)).StatusCode);
        }
        Assert.All(Lines(), l => Assert.Equal(ReportLineState.Approved, l.State));
        Assert.Equal(lines.Count, Approvals());
        Assert.Equal(AssignmentState.Approved, App.WithDb(db => db.Assignments.Single(a => a.Id == report).State));
    }
}
