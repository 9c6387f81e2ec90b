namespace CreationWorkflow.Web.Tests.Campaigns;

/// <summary>
/// Migrating a running hechi-2021 campaign from version 1 (one 进展填报 per item) to version 2 (one report per unit per
/// month): open per-item duties fold into the unit's report with their text and evidence, each cancelled through the
/// lifecycle; a duty under review refuses the whole migration, and nothing changes.
/// </summary>
public sealed class MigrationFoldTests() : HostTest(At(new DateTimeOffset(2022, 3, 1, 10, 0, 0, TimeSpan.FromHours(8))))
{
    private const string County = "市教育局";

    private Guid Duty(Guid campaign, int period) => App.WithDb(db => db.Assignments
        .Single(a => a.CampaignId == campaign && a.StepId == "progress" && a.Unit == County && a.ItemNo == 48 && a.Period == period).Id);

    private static async Task OkAsync(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

    [Fact]
    public async Task Open_duties_fold_into_the_units_report_and_a_duty_under_review_refuses_the_whole_migration()
    {
        var office = await App.PatientClientFor(Roles.Office); // the migration folds a whole city programme (26,564 assignments)
        var campaign = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");
        var unit = await App.ClientFor(Roles.Unit, County);

        // February's item 48: signed for, progress with a PDF, then submitted — under review.
        var february = Duty(campaign, 2);
        await OkAsync(await unit.PostAsJsonAsync($"/api/assignments/{february}/acknowledge", new { }));
        var pdf = new ByteArrayContent(PackageTestData.Pdf("jiaoyu 2022-02"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var form = new MultipartFormDataContent { { new StringContent("二月：开展民族团结进步教育进校园。"), "text" } };
        form.Add(pdf, "files", "二月台账.pdf");
        await OkAsync(await unit.PostAsync($"/api/assignments/{february}/progress", form));
        await OkAsync(await unit.PostAsJsonAsync($"/api/assignments/{february}/submit", new { }));
        var file = App.WithDb(db => db.EvidenceFiles.Single(f => f.AssignmentId == february).Id);

        var before = App.WithDb(db => (db.Assignments.Count(), db.ReportLines.Count(), db.Audit.Count(), db.Campaigns.Single(c => c.Id == campaign).WorkflowVersion));
        var refused = await office.PostAsJsonAsync($"/api/campaigns/{campaign}/migrate", new { version = 2 });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var why = await refused.Content.ReadAsStringAsync();
        Assert.Contains("市教育局·第48项", why);
        Assert.Contains("正在审核", why);
        Assert.Contains("未作任何迁移", why);
        Assert.Equal(before, App.WithDb(db => (db.Assignments.Count(), db.ReportLines.Count(), db.Audit.Count(), db.Campaigns.Single(c => c.Id == campaign).WorkflowVersion)));

        // The lead returns it: open again, so it folds.
        var lead = await App.ClientFor(Roles.Unit, "市民宗委");
        await OkAsync(await lead.PostAsJsonAsync($"/api/assignments/{february}/return", new { reason = "请补充场次。" }));
        await OkAsync(await office.PostAsJsonAsync($"/api/campaigns/{campaign}/migrate", new { version = 2 }));

        var fold = Web.Data.AuditActions.Assignment(AssignmentTrigger.Fold); // 并入单位报告: the lifecycle's own trigger for a folded duty
        var (report, line, cited, state, cancelAudits, openPerItem, version) = App.WithDb(db =>
        {
            var r = db.Assignments.Single(a => a.CampaignId == campaign && a.StepId == "progress" && a.Unit == County && a.Period == 2 && a.ItemNo == null);
            var l = db.ReportLines.Single(x => x.AssignmentId == r.Id && x.ItemNo == 48);
            return (r, l, db.ReportLineCitations.Where(c => c.LineId == l.Id).Select(c => c.EvidenceFileId).ToList(),
                db.Assignments.Single(a => a.Id == february).State,
                db.Audit.Count(e => e.Entity == "assignment" && e.EntityId == february.ToString() && e.Action == fold),
                db.Assignments.Count(a => a.CampaignId == campaign && a.ItemNo != null && (a.StepId == "progress" || a.StepId == "consolidate")
                    && a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled),
                db.Campaigns.Single(c => c.Id == campaign).WorkflowVersion);
        });
        Assert.Equal(2, version);
        Assert.Equal(AssignmentState.Cancelled, state);
        Assert.Equal(1, cancelAudits);
        Assert.Equal(0, openPerItem);
        Assert.Equal(("二月：开展民族团结进步教育进校园。", ReportLineState.Draft), (line.Text, line.State));
        Assert.Equal([file], cited);
        Assert.Equal(48, App.WithDb(db => db.EvidenceFiles.Single(f => f.Id == file).ItemNo)); // still on its item for scoring
        Assert.Contains(App.WithDb(db => db.Audit.Where(e => e.EntityId == report.Id.ToString()).Select(e => e.Action).ToList()), a => a == "reportline.folded");

        // The county goes on in its report: the folded line is there to submit with the rest.
        var lines = await unit.GetStringAsync($"/api/assignments/{report.Id}/lines");
        Assert.Contains("二月台账.pdf", lines);
        Assert.Equal(1, App.WithDb(db => db.Timers.Count(t => t.AssignmentId == report.Id && t.State == Web.Reminders.TimerState.Pending)));
    }
}
