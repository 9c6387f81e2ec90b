namespace CreationWorkflow.Web.Tests.Assignments;

/// <summary>
/// 本项全部通过: from 待我审核, a lead unit approves one item's submitted lines in every county's report at once, on the
/// inbox page and through the API twin; an audit entry per line, the other items' lines untouched, each report approved
/// when its last line is.
/// </summary>
public sealed class ApproveItemTests() : CampaignTest("hechi-2021", "2021-12-01", ChinaMorning(2022, 3, 1), workflowVersion: 2)
{
    private readonly List<Guid> reports = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var campaignId = CampaignId;
        // The two units with the most lines in January: each fills every line and submits.
        var firsts = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaignId && a.StepId == "progress" && a.Period == 1)
            .Select(a => new { a.Id, a.Unit, Lines = db.ReportLines.Count(l => l.AssignmentId == a.Id) })
            .OrderByDescending(a => a.Lines).ThenBy(a => a.Unit).Take(2).ToList());
        foreach (var report in firsts)
        {
            var unit = await App.ClientFor(Roles.Unit, report.Unit);
            foreach (var item in App.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == report.Id).Select(l => l.ItemNo).ToList()))
            {
                using var form = new MultipartFormDataContent { { new StringContent($"一月：第{item}项按计划推进。"), "text" } };
                Assert.Equal(HttpStatusCode.OK, (await unit.PostAsync($"/api/assignments/{report.Id}/lines/{item}", form)).StatusCode);
            }
            Assert.Equal(HttpStatusCode.OK, (await unit.PostAsJsonAsync($"/api/assignments/{report.Id}/submit", new { })).StatusCode);
            reports.Add(report.Id);
        }
    }

    private List<(Guid Report, string? Reviewer, int ItemNo, ReportLineState State)> Lines() => App.WithDb(db => db.ReportLines
        .Where(l => reports.Contains(l.AssignmentId)).Select(l => new { l.AssignmentId, l.ReviewerUnit, l.ItemNo, l.State }).ToList())
        .Select(l => (l.AssignmentId, l.ReviewerUnit, l.ItemNo, l.State)).OrderBy(l => l.AssignmentId).ThenBy(l => l.ItemNo).ToList();

    private int Audits(string action) => App.WithDb(db => db.Audit.Count(a => a.Entity == AuditEntities.Assignment
        && reports.Select(r => r.ToString()).Contains(a.EntityId) && a.Action == action));

    [Fact]
    public async Task A_lead_unit_approves_one_item_in_every_report_then_all_items_through_the_api_approve_both_reports()
    {
        var lines = Lines();
        Assert.All(lines, l => Assert.Equal(ReportLineState.Submitted, l.State));
        // An item a lead unit reviews in both reports.
        var (lead, item) = lines.Where(l => l.Reviewer is not null).GroupBy(l => (l.Reviewer!, l.ItemNo))
            .First(g => g.Select(l => l.Report).Distinct().Count() == 2).Key;

        var page = await PageClient.SignInAsync(App, Roles.Unit, lead);
        Assert.Contains($"data-approve-item=\"{item}\"", await page.GetStringAsync("/inbox"));
        var posted = await PageClient.PostFormAsync(page, "/inbox", $"/inbox?handler=ApproveItem&itemNo={item}");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains($"第{item}项已通过2条（2份报告）。", await page.GetStringAsync("/inbox"));
        Assert.All(Lines(), l => Assert.Equal(l.ItemNo == item && l.Reviewer == lead ? ReportLineState.Approved : ReportLineState.Submitted, l.State));
        Assert.Equal(2, Audits(AuditActions.ReportLineApproved));

        // Again: nothing of that item is pending for the lead, so it is refused with the reason and nothing changes.
        var again = await PageClient.PostFormAsync(page, "/inbox", $"/inbox?handler=ApproveItem&itemNo={item}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"第{item}项没有待{lead}审核的条目。", await again.Content.ReadAsStringAsync());
        // An inspector reviews no lines: refused, nothing changes.
        var inspector = await App.ClientFor(Roles.Inspector);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostAsync($"/api/assignments/review-lines/items/{item}/approve", null)).StatusCode);
        Assert.Equal(2, Audits(AuditActions.ReportLineApproved));

        // The API twin, for every other reviewer and item (the office for the lines 创建办 reviews): both reports end approved, once each.
        foreach (var (reviewer, no) in Lines().Where(l => l.State == ReportLineState.Submitted).Select(l => (l.Reviewer, l.ItemNo)).Distinct().ToList())
        {
            var client = reviewer is null ? await App.ClientFor(Roles.Office) : await App.ClientFor(Roles.Unit, reviewer);
            var answer = await client.PostAsync($"/api/assignments/review-lines/items/{no}/approve?campaignId={CampaignId}", null);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var body = (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(no, (int)body["itemNo"]!);
            Assert.Equal(lines.Count(l => l.Reviewer == reviewer && l.ItemNo == no), (int)body["lines"]!);
        }
        Assert.All(Lines(), l => Assert.Equal(ReportLineState.Approved, l.State));
        Assert.Equal(lines.Count, Audits(AuditActions.ReportLineApproved));
        Assert.All(reports, r => Assert.Equal(AssignmentState.Approved, App.WithDb(db => db.Assignments.Single(a => a.Id == r).State)));
        Assert.Equal(2, Audits(AuditActions.Assignment(AssignmentTrigger.Approve)));
    }
}
