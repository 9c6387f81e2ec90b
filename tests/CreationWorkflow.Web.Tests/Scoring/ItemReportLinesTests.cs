namespace CreationWorkflow.Web.Tests.Scoring;

/// <summary>
/// The item page's 汇总 on workflow version 2 (real host, real SQLite file): the units' progress on item 48 comes from
/// their monthly reports' lines — per unit the lines, those under review, approved and late; and each period's line
/// with its text, state and evidence (uploaded or cited), downloadable from the item page.
/// </summary>
public sealed partial class ItemReportLinesTests() : CampaignTest("hechi-2021", "2021-12-01", ChinaMorning(2022, 3, 1), workflowVersion: 2)
{
    private const int Item = 48;
    private const string County = "市教育局";
    private const string Lead = "市民宗委";
    private const string FileName = "一月主题班会台账.pdf";

    [Fact]
    public async Task The_item_page_sums_up_the_units_report_lines_with_their_text_state_and_evidence()
    {
        var (office, campaignId) = (Office, CampaignId);
        var reports = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaignId && a.StepId == "progress" && a.Unit == County)
            .OrderBy(a => a.Period).Select(a => a.Id).Take(2).ToList());
        var (january, february) = (reports[0], reports[1]);
        var unit = await App.ClientFor(Roles.Unit, County);

        // January: item 48 with a PDF, every other line filed; submitted; 市民宗委 approves item 48.
        var pdf = new ByteArrayContent(PackageTestData.Pdf("jiaoyu 2022-01"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var first = new MultipartFormDataContent { { new StringContent("一月：全市中小学开展民族团结进步教育主题班会。"), "text" } };
        first.Add(pdf, "files", FileName);
        await OkAsync(unit.PostAsync($"/api/assignments/{january}/lines/{Item}", first));
        foreach (var other in App.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == january && l.ItemNo != Item).Select(l => l.ItemNo).ToList()))
        {
            await OkAsync(unit.PostAsync($"/api/assignments/{january}/lines/{other}", new MultipartFormDataContent { { new StringContent("一月按计划推进。"), "text" } }));
        }
        await OkAsync(unit.PostAsJsonAsync($"/api/assignments/{january}/submit", new { }));
        var lead = await App.ClientFor(Roles.Unit, Lead);
        await OkAsync(lead.PostAsJsonAsync($"/api/assignments/{january}/lines/{Item}/approve", new { }));
        var file = App.WithDb(db => db.EvidenceFiles.Single(f => f.AssignmentId == january).Id);

        // February: item 48 cites January's file (a draft; the report is late on 1 March).
        await OkAsync(unit.PostAsync($"/api/assignments/{february}/lines/{Item}",
            new MultipartFormDataContent { { new StringContent("二月：主题班会继续开展，台账同一月。"), "text" }, { new StringContent(file.ToString()), "cite" } }));

        var page = await PageClient.SignInAsync(App, Roles.Unit, Lead);
        var html = await page.GetStringAsync($"/campaigns/{campaignId}/assessment/items/{Item}");

        // 汇总 per unit from the lines: as many as the unit's reports hold item 48, by their states and the one rule for late.
        var today = ChinaTime.Today(App.Clock!.GetUtcNow());
        var expected = App.WithDb(db => db.ReportLines.Where(l => l.ItemNo == Item)
            .Join(db.Assignments.Where(a => a.CampaignId == campaignId && a.Unit == County), l => l.AssignmentId, a => a.Id, (l, a) => new { l.State, Report = a.State, a.DueDate })
            .ToList());
        var late = expected.Count(x => x.State is ReportLineState.Draft or ReportLineState.Returned && Deadline.IsLate(x.Report, x.DueDate, today));
        Assert.True(late >= 1, "February's line is late on 1 March");
        var row = Regex.Replace(Regex.Match(html, $"<tr data-unit=\"{County}\">.*?</tr>").Value, ">\\s+<", "><");
        Assert.Equal($"<tr data-unit=\"{County}\"><td>{County}</td><td>{expected.Count}</td><td>{expected.Count(x => x.State == ReportLineState.Submitted)}</td><td>1</td><td><span class=\"badge light-red\">{late}</span></td></tr>", row);
        // One row per unit with work on the item: its per-item duties (the lead's) and its report lines.
        var units = App.WithDb(db => db.ReportLines.Where(l => l.ItemNo == Item)
            .Join(db.Assignments.Where(a => a.CampaignId == campaignId), l => l.AssignmentId, a => a.Id, (l, a) => a.Unit)
            .Union(db.Assignments.Where(a => a.CampaignId == campaignId && a.ItemNo == Item).Select(a => a.Unit)).Distinct().Count());
        Assert.Equal(units, UnitRow().Matches(html).Count);

        // Each filed period's line with its text, state and evidence; February's cites January's file without a copy.
        var lines = App.WithDb(db => db.ReportLines.Where(l => l.ItemNo == Item && (l.AssignmentId == january || l.AssignmentId == february))
            .ToDictionary(l => l.AssignmentId, l => l.Id));
        var jan = Block(html, lines[january]);
        Assert.Contains("一月：全市中小学开展民族团结进步教育主题班会。", jan);
        Assert.Contains("已通过", jan);
        Assert.Contains(FileName, jan);
        var feb = Block(html, lines[february]);
        Assert.Contains("二月：主题班会继续开展，台账同一月。", feb);
        Assert.Contains("草稿", feb);
        Assert.Contains(FileName, feb);
        Assert.Contains("引用已报送材料", feb);
        Assert.True(html.IndexOf(feb, StringComparison.Ordinal) < html.IndexOf(jan, StringComparison.Ordinal), "newest period first");

        // The file downloads from the item page, as the evidence of item 48.
        var download = await page.GetAsync($"/campaigns/{campaignId}/assessment/items/{Item}?handler=Evidence&fileId={file}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(PackageTestData.Pdf("jiaoyu 2022-01"), await download.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The line's block on the page (from its element to the next line's or the end of its list).</summary>
    private static string Block(string html, long lineId)
    {
        var start = html.IndexOf($"data-report-line=\"{lineId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"line {lineId} not on the page");
        var end = html.IndexOf("data-report-line=", start + 20, StringComparison.Ordinal);
        return html[start..(end < 0 ? Math.Min(html.Length, start + 4000) : end)];
    }

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<tr data-unit=\"")]
    private static partial Regex UnitRow();
}
