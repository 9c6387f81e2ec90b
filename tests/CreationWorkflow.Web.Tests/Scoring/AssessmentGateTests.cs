namespace CreationWorkflow.Web.Tests.Scoring;

/// <summary>
/// Hechi over the API, in the acceptance phase: facts and evidence for all 50 items reach 89 → the gate stays shut;
/// one more fact → 90 → it opens and the office is told; a penalty case → below 90 → it shuts again.
/// </summary>
public sealed class AssessmentGateTests() : HostTest(AtChinaMorning(2023, 2, 6))
{
    [Fact]
    public async Task The_gate_opens_at_90_reviewed_points_and_closes_again_below()
    {
        var office = await App.ClientFor(Roles.Office);
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");
        var programme = App.Services.GetRequiredService<ProgrammeCatalog>().Find("hechi-2021")!;

        // One evidence file, uploaded by 市民宗委 on one of its assignments, cited for every rule.
        var mzw = await App.ClientFor(Roles.Unit, "市民宗委");
        var assignment = (await mzw.GetFromJsonAsync<JsonObject>("/api/assignments/mine?pageSize=200"))!["items"]!.AsArray().First(a => (string)a!["stepId"]! == "progress")!;
        var aid = (Guid)assignment["id"]!;
        await mzw.PostAsJsonAsync($"/api/assignments/{aid}/acknowledge", new { });
        var form = new MultipartFormDataContent { { new StringContent("台账"), "text" } };
        var pdf = new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray());
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "files", "台账.pdf");
        (await mzw.PostAsync($"/api/assignments/{aid}/progress", form)).EnsureSuccessStatusCode();
        var trail = await mzw.GetFromJsonAsync<JsonObject>($"/api/assignments/{aid}/trail");
        var evidenceId = (Guid)trail!["progress"]![0]!["files"]![0]!["id"]!;

        // 100 points less items 2 (3), 6 (2), 15 (2), 16 (2), 12 (1) and 13 (1) = 89.
        var left = new[] { 2, 6, 15, 16, 12, 13 };
        foreach (var item in programme.Items)
        {
            var facts = left.Contains(item.No) ? new Facts() : FullMarks(item.Rules);
            var body = new
            {
                facts,
                evidence = item.Rules.ToDictionary(r => r.Id, _ => new[] { evidenceId }),
            };
            var proposed = await office.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item.No}", body);
            Assert.Equal(HttpStatusCode.OK, proposed.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item.No}/review", new { decision = "accept" })).StatusCode);
        }
        var standing = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/standing");
        Assert.Equal(89m, (decimal)standing!["reviewed"]!["total"]!);
        Assert.Equal(1m, (decimal)standing["gap"]!);
        Assert.False((bool)standing["gateOpen"]!);
        Assert.True((bool)standing["inAcceptancePhase"]!);
        Assert.Contains(standing["forecast"]!.AsArray(), o => (string)o!["item"]! == "13" && (decimal)o["couldAdd"]! == 1m);

        // The office's 验收申请 duty cannot be submitted below 90: refused with the gap.
        var apply = App.WithDb(db => db.Assignments.Single(a => a.CampaignId == campaignId && a.StepId == "apply")).Id;
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/assignments/{apply}/acknowledge", new { })).StatusCode);
        var work = new MultipartFormDataContent { { new StringContent("申报材料已汇总"), "text" } };
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsync($"/api/assignments/{apply}/progress", work)).StatusCode);
        var refused = await office.PostAsJsonAsync($"/api/assignments/{apply}/submit", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("还差1分", await refused.Content.ReadAsStringAsync());

        // …nor can the package be generated: 409 with the shortfall.
        var packageRequest = new { applicant = "中共河池市委员会 河池市人民政府", contactName = "王主任", contactPhone = "0778-0000000" };
        var noPackage = await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/package", packageRequest);
        Assert.Equal(HttpStatusCode.Conflict, noPackage.StatusCode);
        var problem = await noPackage.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((89m, 1m), ((decimal)problem!["total"]!, (decimal)problem["gap"]!));
        Assert.Contains(problem["shortfall"]!.AsArray(), o => (string)o!["item"]! == "13");

        // One more fact: item 13 → 90, the gate opens and the office and the leaders are told.
        var thirteen = programme.Items[12];
        await office.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/13", new { facts = FullMarks(thirteen.Rules) });
        await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/13/review", new { decision = "accept" });
        standing = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/standing");
        Assert.Equal(90m, (decimal)standing!["reviewed"]!["total"]!);
        Assert.True((bool)standing["gateOpen"]!);
        Assert.Equal(1, App.WithDb(db => db.Notifications.Count(n => n.Kind == NotificationKind.GateOpened && n.Recipient == Recipients.Office)));
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/assignments/{apply}/submit", new { })).StatusCode);

        // At 90 the package is generated: every file in its manifest is there with a matching SHA-256, the total is 90,
        // and the cited evidence file is inside.
        var package = await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/package", packageRequest);
        Assert.Equal(HttpStatusCode.OK, package.StatusCode);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await package.Content.ReadAsByteArrayAsync())))
        {
            var manifest = JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!;
            Assert.Equal(90m, (decimal)manifest["score"]!["total"]!);
            var listed = manifest["files"]!.AsArray();
            Assert.Equal(zip.Entries.Count - 1, listed.Count);
            foreach (var file in listed)
            {
                using var entry = zip.GetEntry((string)file!["path"]!)!.Open();
                Assert.Equal((string)file["sha256"]!, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(entry)));
            }
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("台账.pdf", StringComparison.Ordinal));
            Assert.Contains(zip.Entries, e => e.FullName == "03-测评指标得分表.xlsx");
        }
        Assert.Contains(App.WithDb(db => db.Audit.Select(a => a.Action).ToList()), a => a == "package.generated");

        // A penalty case (其他工作事项, 3 points) proposed and accepted: 87 → the gate shuts again, and says so.
        var penalty = await office.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/P1",
            new { facts = new Facts { Cases = [new Case("P1.1", "被自治区通报批评", Category: "other")] } });
        Assert.Equal(HttpStatusCode.OK, penalty.StatusCode);
        await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/P1/review", new { decision = "accept" });
        standing = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/standing");
        Assert.Equal((87m, 3m, false), ((decimal)standing!["reviewed"]!["total"]!, (decimal)standing["reviewed"]!["penalty"]!, (bool)standing["gateOpen"]!));
        Assert.Equal(1, App.WithDb(db => db.Notifications.Count(n => n.Kind == NotificationKind.GateClosed && n.Recipient == Recipients.Leaders)));
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/package", packageRequest)).StatusCode);
        Assert.Equal(["gate.opened", "gate.closed"], App.WithDb(db => db.Audit.Where(a => a.Action.StartsWith("gate.")).OrderBy(a => a.Id).Select(a => a.Action).ToList()));
    }

    [Fact]
    public async Task Proposed_and_reviewed_stay_side_by_side_and_only_leads_evaluators_and_the_office_may_enter_facts()
    {
        var office = await App.ClientFor(Roles.Office);
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");

        // Item 7's lead units are 市委宣传部, 市委统战部 and 市委党校; 市民宗委 is not one of them.
        var notLead = await App.ClientFor(Roles.Unit, "市民宗委");
        var lead = await App.ClientFor(Roles.Unit, "市委宣传部");
        var body = new { facts = new Facts { Checks = new Dictionary<string, bool> { ["7.1"] = true } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await notLead.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/7", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lead.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/7", body)).StatusCode);
        var foreign = await lead.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/7", new { facts = new Facts { Checks = new Dictionary<string, bool> { ["8.1"] = true } } });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("8.1", await foreign.Content.ReadAsStringAsync());

        // The third-party evaluator enters the awareness survey (知晓率 85%: 1 of 2 tier points), with its source.
        var evaluator = await App.ClientFor(Roles.Evaluator);
        Assert.Equal(HttpStatusCode.BadRequest, (await evaluator.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/rates/7.2", new { rate = 85, source = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await evaluator.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/rates/7.2", new { rate = 85, source = "河池市统计局 2023年1月 问卷1200份" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/rates/7.2", new { rate = 99, source = "自填" })).StatusCode);

        // The office adjusts the check (with a reason): proposed 2, reviewed 1.
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/7/review", new { decision = "adjust" })).StatusCode);
        var adjusted = await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/7/review", new
        {
            decision = "adjust",
            reason = "理论学习纳入党校必修课的佐证不足",
            adjusted = new { facts = new Facts { Checks = new Dictionary<string, bool> { ["7.1"] = false }, Rates = new Dictionary<string, decimal> { ["7.2"] = 85 } } },
        });
        Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);
        var standing = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/standing");
        var seven = standing!["items"]!.AsArray().Single(i => (string)i!["item"]! == "7")!;
        Assert.Equal((2m, 1m, "adjusted"), ((decimal)seven["proposed"]!, (decimal)seven["reviewed"]!, (string)seven["state"]!));
        var audit = App.WithDb(db => db.Audit.Where(a => a.Entity == "assessment").Select(a => a.Action).ToList());
        Assert.Equal(["assessment.proposed", "assessment.rate", "assessment.adjust"], audit);
    }

    internal static Facts FullMarks(IReadOnlyList<Rule> rules) => new()
    {
        Checks = rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true),
        Rates = rules.OfType<TierRule>().ToDictionary(r => r.Id, _ => 100m),
        Counts = rules.OfType<CountRule>().ToDictionary(r => r.Id, r => r.Min),
    };
}
