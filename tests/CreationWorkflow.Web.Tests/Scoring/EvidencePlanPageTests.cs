using CreationWorkflow.Web.Scoring;

namespace CreationWorkflow.Web.Tests.Scoring;

/// <summary>
/// Issue 13 point 6 on the item page of a Hechi campaign: item 48's methods (网上申报, 实地核查, 第三方评估) ask for evidence the
/// plan lists; 提交自评 warns of what is missing without blocking, the audit keeps the warning, and filing the evidence clears it.
/// The needs are the Core plan's own (<see cref="EvidencePlan"/>), never typed in.
/// </summary>
public sealed class EvidencePlanPageTests() : CampaignTest("hechi-2021", "2021-12-01", ChinaMorning(2022, 3, 1))
{
    private const string Mzw = "市民宗委";

    private string Item(string item) => $"/campaigns/{CampaignId}/assessment/items/{item}";

    /// <summary>市民宗委 reports progress on an item-48 assignment with one file; returns the evidence file id.</summary>
    private async Task<(Guid Pdf, Guid Photo)> UploadAsync()
    {
        var unit = await App.ClientFor(Roles.Unit, Mzw);
        var aid = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == CampaignId && a.Unit == Mzw && a.ItemNo == 48 && a.StepId != "acknowledge")
            .OrderBy(a => a.DueDate).Select(a => a.Id).First());
        Assert.Equal(HttpStatusCode.OK, (await unit.PostAsJsonAsync($"/api/assignments/{aid}/acknowledge", new { })).StatusCode);
        var form = new MultipartFormDataContent { { new StringContent("现场核查材料见附件。"), "text" } };
        foreach (var (name, type, content) in new[] { ("专题会议台账.pdf", "application/pdf", "%PDF-1.4\n%%EOF\n"u8.ToArray()),
            ("现场照片.png", "image/png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 }) })
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(file, "files", name);
        }
        (await unit.PostAsync($"/api/assignments/{aid}/progress", form)).EnsureSuccessStatusCode();
        Guid Id(string name) => App.WithDb(db => db.EvidenceFiles.Single(f => f.AssignmentId == aid && f.FileName == name).Id);
        return (Id("专题会议台账.pdf"), Id("现场照片.png"));
    }

    private static IEnumerable<string> WarnedKeys(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "data-missing=\"([^\"]+)\"").Select(m => m.Groups[1].Value);

    [Fact]
    public async Task Submitting_warns_of_the_missing_evidence_without_blocking_and_filing_it_clears_the_warning()
    {
        var programme = App.Services.GetRequiredService<ProgrammeCatalog>().Find("hechi-2021")!;
        var item = programme.Items.Single(i => i.No == 48);
        var needs = EvidencePlan.For(item.Methods, item.Rules);
        var (pdf, photo) = await UploadAsync();
        var unit = await PageClient.SignInAsync(App, Roles.Unit, Mzw);

        // Nothing filed: the page lists every need of every method, all missing, and the warning names them.
        var page = await unit.GetStringAsync(Item("48"));
        foreach (var method in item.Methods!)
        {
            Assert.Contains($"data-method=\"{method}\"", page);
        }
        Assert.Equal(needs.Select(n => n.Key), WarnedKeys(page));
        Assert.All(needs, n => Assert.Contains($"data-need=\"{n.Key}\" data-present=\"false\"", page));

        // 提交自评 with data and a document for 48.1 only: stored (not a block), the message and the audit name what is missing.
        var first = item.Rules[0].Id;
        var posted = await PageClient.PostFormAsync(unit, Item("48"), $"{Item("48")}?handler=Propose", new()
        {
            ["subject"] = "",
            [FactsForm.Check(first)] = "true",
            [FactsForm.Evidence(first)] = pdf.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(ReviewState.Proposed, App.WithDb(db => db.ItemReviews.Single(r => r.CampaignId == CampaignId && r.Item == "48").State));
        var filed = new FiledEvidence(new Facts { Checks = item.Rules.OfType<CheckRule>().ToDictionary(r => r.Id, r => r.Id == first) },
            new Dictionary<string, int> { [first] = 1 }, ["专题会议台账.pdf"], new Dictionary<string, string>(), new Dictionary<string, string>());
        var missing = EvidencePlan.Missing(item.Methods, item.Rules, filed);
        Assert.NotEmpty(missing);
        Assert.DoesNotContain(missing, m => m.Key == $"online.documents.{first}");
        var after = await unit.GetStringAsync(Item("48"));
        Assert.Contains($"佐证材料尚缺{missing.Count}项", after);
        Assert.Equal(missing.Select(m => m.Key), WarnedKeys(after));
        Assert.Contains($"data-need=\"online.documents.{first}\" data-present=\"true\"", after);
        var audit = App.WithDb(db => db.Audit.Where(a => a.Action == AuditActions.AssessmentProposed && a.EntityId == $"{CampaignId}//48").Select(a => a.After).Single());
        var warned = JsonNode.Parse(audit!)![AuditActions.MissingEvidence]!.AsArray().Select(x => (string)x!).ToList();
        Assert.Equal(missing.Select(m => m.Text), warned);

        // The API twin says the same of the stored proposal.
        var plan = (await Office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{CampaignId}/assessment/items/48/evidence-plan"))!;
        Assert.Equal(missing.Select(m => m.Key), plan["missing"]!.AsArray().Select(m => (string)m!["key"]!));

        // Every need filed — data for each rule, a document on each, a site photo, the place, the survey and its results:
        // 试算 shows no warning any more, and 提交自评 says nothing is missing.
        var full = new Dictionary<string, string> { ["subject"] = "" };
        foreach (var (rule, n) in item.Rules.Select((r, n) => (r, n)))
        {
            full[FactsForm.Check(rule.Id)] = "true";
            full[FactsForm.Evidence(rule.Id)] = (n == 0 ? pdf : photo).ToString();
        }
        foreach (var key in EvidencePlan.NoteKeys)
        {
            full[FactsForm.Note(key)] = "2022年2月28日，市民宗委会议室及社区活动中心；问卷《民族团结进步创建满意度调查》，样本300人；满意度96%";
        }
        var preview = await PageClient.PostFormAsync(unit, Item("48"), $"{Item("48")}?handler=Preview", full);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var previewed = await preview.Content.ReadAsStringAsync();
        Assert.DoesNotContain("id=\"evidence-warning\"", previewed);
        Assert.All(needs, n => Assert.Contains($"data-need=\"{n.Key}\" data-present=\"true\"", previewed));

        var again = await PageClient.PostFormAsync(unit, Item("48"), $"{Item("48")}?handler=Propose", full);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var done = await unit.GetStringAsync(Item("48"));
        Assert.DoesNotContain("id=\"evidence-warning\"", done);
        Assert.DoesNotContain("佐证材料尚缺", done);
        Assert.Contains("自评事实已报送，等待创建办审核。", done);
        var last = App.WithDb(db => db.Audit.Where(a => a.Action == AuditActions.AssessmentProposed && a.EntityId == $"{CampaignId}//48").OrderBy(a => a.Id).Select(a => a.After).ToList()).Last();
        Assert.Null(JsonNode.Parse(last!)![AuditActions.MissingEvidence]);
        var emptied = (await Office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{CampaignId}/assessment/items/48/evidence-plan"))!;
        Assert.Empty(emptied["missing"]!.AsArray());
    }
}
