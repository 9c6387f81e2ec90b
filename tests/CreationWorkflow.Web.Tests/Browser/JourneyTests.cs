namespace CreationWorkflow.Web.Tests.Browser;

/// <summary>
/// The main journey in a real browser against the real executable (demo configuration, real clock): the office starts a
/// Hechi campaign dated so that today falls in the acceptance phase → 市教育局 acknowledges its 进展填报 on item 48 and uploads
/// evidence → 市民宗委, item 48's lead, approves it and proposes the item's facts citing that file, watching the trail
/// computed live → the office accepts → the reviewed total crosses 90 and the gate opens → the package downloads with the
/// evidence inside. The other 49 items' facts (88 points in all) are entered over the API beforehand, as the other lead
/// units would have done; item 48 (3 points) is what crosses the line. Every page on the way is shot at desktop and
/// phone width into artifacts/screenshots/journey-*.png.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyTests(BrowserHost host)
{
    private const int Item = 48;

    /// <summary>Items left without facts, besides 48: 2 (3), 6 (2), 15 (2), 16 (2) → 100 − 3 − 9 = 88 before item 48.</summary>
    private static readonly int[] Left = [2, 6, 15, 16, Item];

    [Fact]
    public async Task Office_starts_unit_uploads_lead_proposes_office_reviews_gate_opens_package_downloads()
    {
        var shots = new List<string>();
        async Task Shot(Actor actor, string name, bool phone = false)
        {
            await actor.ShotBothAsync($"journey-{shots.Count + 1:00}-{name}", phone);
            shots.Add(name);
        }

        // 1. The office starts the campaign through the form, dated 14 months back: today is in 深入推进和总结验收.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        var start = new DateOnly(today.Year, today.Month, 1).AddMonths(-14);
        var name = $"河池市创建验收演练{Guid.NewGuid().ToString("N")[..6]}";
        var office = await host.SignInAsync("office");
        await office.Desktop.GotoAsync($"{host.Url}/campaigns/new");
        await office.Desktop.SelectOptionAsync("select[name=ProgrammeId]", "hechi-2021");
        await office.Desktop.FillAsync("input[name=StartDate]", start.ToString("yyyy-MM-dd"));
        await office.Desktop.SelectOptionAsync("select[name=WorkflowVersion]", "1"); // this journey files one form per item
        await office.Desktop.FillAsync("input[name=Name]", name);
        await Shot(office, "campaign-new");
        await office.Desktop.ClickAsync("form button[type=submit]:has-text('启动')");
        await office.Desktop.WaitForURLAsync($"{host.Url}/");
        Assert.Contains($"已启动创建活动“{name}”", await office.Desktop.InnerTextAsync("main"));
        await Shot(office, "home-started");

        var api = await host.ApiAsync("office");
        var campaign = (await api.GetFromJsonAsync<JsonArray>("/api/campaigns"))!.Single(c => (string)c!["name"]! == name)!;
        var campaignId = (Guid)campaign["id"]!;

        // 2. Meanwhile the other lead units' facts arrive over the API and are accepted: 88 points, gate still shut.
        var programme = PackageTestData.Hechi;
        foreach (var item in programme.Items.Where(i => !Left.Contains(i.No)))
        {
            var body = new { facts = FullMarks(item.Rules) };
            var proposed = await api.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item.No}", body);
            Assert.True(proposed.IsSuccessStatusCode, $"item {item.No}: {await proposed.Content.ReadAsStringAsync()}");
            var accepted = await api.PostAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item.No}/review", new { decision = "accept" });
            Assert.True(accepted.IsSuccessStatusCode, $"item {item.No}: {await accepted.Content.ReadAsStringAsync()}");
        }
        var standing = await api.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/standing");
        Assert.Equal((88m, false, true), ((decimal)standing!["reviewed"]!["total"]!, (bool)standing["gateOpen"]!, (bool)standing["inAcceptancePhase"]!));
        await office.Desktop.GotoAsync($"{host.Url}/campaigns/{campaignId}/acceptance");
        Assert.Contains("未开启", await office.Desktop.InnerTextAsync("main"));
        await Shot(office, "acceptance-closed");

        // 3. 市教育局 (phone) signs for its last 进展填报 on item 48, reports with a PDF and submits it.
        var unitApi = await host.ApiAsync("jiaoyuju");
        var mine = await unitApi.GetFromJsonAsync<JsonObject>($"/api/assignments/mine?campaignId={campaignId}&pageSize=200");
        var duty = mine!["items"]!.AsArray().Where(a => (int?)a!["itemNo"] == Item && (string)a["stepId"]! == "progress")
            .OrderBy(a => (string)a!["dueDate"]!).Last()!;
        var dutyId = (Guid)duty["id"]!;
        var unit = await host.SignInAsync("jiaoyuju");
        var page = unit.Phone;
        await page.GotoAsync($"{host.Url}/assignments/{dutyId}");
        await Shot(unit, "unit-duty", phone: true);
        await page.ClickAsync("form[action*='handler=Acknowledge'] button");
        await page.WaitForSelectorAsync("form[action*='handler=Progress']");
        var fileName = "市教育局民族团结进步教育台账.pdf";
        var pdf = PackageTestData.Pdf("minzu tuanjie jiaoyu taizhang 2026");
        await page.FillAsync("form[action*='handler=Progress'] textarea[name=text]", "已在全市中小学开展民族团结进步教育主题活动，台账见附件。");
        await page.SetInputFilesAsync("form[action*='handler=Progress'] input[type=file]", new FilePayload { Name = fileName, MimeType = "application/pdf", Buffer = pdf });
        await Shot(unit, "unit-progress-filled", phone: true);
        await page.ClickAsync("form[action*='handler=Progress'] button");
        await page.WaitForSelectorAsync($"a:has-text('{fileName}')");
        await page.ClickAsync("form[action*='handler=Submit'] button");
        await page.WaitForSelectorAsync("form[action*='handler=Submit']", new() { State = WaitForSelectorState.Detached });
        Assert.Contains("已提交", await page.InnerTextAsync("main"));
        await Shot(unit, "unit-submitted", phone: true);

        // 4. 市民宗委 (item 48's lead) approves the submission, then proposes the item's facts, citing the file, and
        //    sees the score computed live from the rules before it saves.
        var lead = await host.SignInAsync("minzongwei");
        await lead.Desktop.GotoAsync($"{host.Url}/assignments/{dutyId}");
        await lead.Desktop.ClickAsync("form[action*='handler=Approve'] button");
        await lead.Desktop.WaitForSelectorAsync("form[action*='handler=Approve']", new() { State = WaitForSelectorState.Detached });
        Assert.Contains("已通过", await lead.Desktop.InnerTextAsync("main"));
        await lead.Desktop.GotoAsync($"{host.Url}/campaigns/{campaignId}/assessment");
        Assert.Equal(1, await lead.Desktop.Locator($"tr[data-item='{Item}']").CountAsync());
        await Shot(lead, "lead-assessment-list");
        await lead.Desktop.GotoAsync($"{host.Url}/campaigns/{campaignId}/assessment/items/{Item}");
        var form = lead.Desktop;
        Assert.Contains(fileName, await form.InnerTextAsync("main"));
        // Item 48 reaches every city unit: the per-unit table starts folded under its totals, the approved report counted.
        Assert.Null(await form.GetAttributeAsync("details.progress", "open"));
        Assert.Contains("待审核 0，已通过 1", await form.InnerTextAsync("details.progress > summary"));
        Assert.Equal("0", await form.GetAttributeAsync("#trail [data-score]", "data-score"));
        await form.CheckAsync($"input[name='check.{Item}.1']");
        await WaitForScoreAsync(form, "2");
        await form.CheckAsync($"input[name='check.{Item}.2']");
        await WaitForScoreAsync(form, "3");
        foreach (var rule in new[] { $"{Item}.1", $"{Item}.2" })
        {
            await form.ClickAsync($"fieldset[data-rule='{rule}'] details.evidence summary");
            await form.CheckAsync($"fieldset[data-rule='{rule}'] input[name='evidence.{rule}']");
            Assert.Equal("1", await form.InnerTextAsync($"fieldset[data-rule='{rule}'] [data-evidence-count]"));
        }
        var trail = await form.InnerTextAsync("#trail");
        Assert.Contains("试算结果（未保存）", trail);
        Assert.Contains($"{Item}.2", trail);
        await Shot(lead, "lead-facts-live-trail");
        await form.ClickAsync("#propose");
        await form.WaitForSelectorAsync("p.ok[role=status]");
        Assert.Equal("proposed", await form.GetAttributeAsync("#review-state", "data-state"));
        await Shot(lead, "lead-proposed");

        // 5. The office reviews item 48 and accepts it: 91 reviewed points, and the gate opens.
        await office.Desktop.GotoAsync($"{host.Url}/campaigns/{campaignId}/assessment/items/{Item}");
        Assert.Contains(fileName, await office.Desktop.InnerTextAsync("#facts-form"));
        await Shot(office, "office-review");
        await office.Desktop.ClickAsync("#accept-form button");
        await office.Desktop.WaitForSelectorAsync("#review-state[data-state='accepted']");
        Assert.Equal("3", await office.Desktop.GetAttributeAsync("[data-reviewed]", "data-reviewed"));
        await Shot(office, "office-accepted");

        // 6. The gate is open on the acceptance page; the package is generated and downloaded in the browser.
        await office.Desktop.GotoAsync($"{host.Url}/campaigns/{campaignId}/acceptance");
        var acceptance = await office.Desktop.InnerTextAsync("main");
        Assert.Contains("已开启", acceptance);
        Assert.Contains("91", acceptance);
        await office.Desktop.FillAsync("input[name=Applicant]", "中共河池市委员会 河池市人民政府");
        await office.Desktop.FillAsync("input[name=ContactName]", "韦民宗");
        await office.Desktop.FillAsync("input[name=ContactPhone]", "0778-2281234");
        await Shot(office, "acceptance-open");
        var download = await office.Desktop.RunAndWaitForDownloadAsync(() => office.Desktop.ClickAsync("form[action*='handler=Package'] button"));
        var saved = Path.Combine(BrowserHost.Screenshots, "..", "journey-package.zip");
        await download.SaveAsAsync(saved);
        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);

        using var zip = ZipFile.OpenRead(saved);
        var manifest = JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!;
        Assert.Equal(91m, (decimal)manifest["score"]!["total"]!);
        foreach (var listed in manifest["files"]!.AsArray())
        {
            using var entry = zip.GetEntry((string)listed!["path"]!)!.Open();
            Assert.Equal((string)listed["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(entry)));
        }
        var evidence = zip.Entries.Single(e => e.FullName.EndsWith(fileName, StringComparison.Ordinal));
        using (var copy = new MemoryStream())
        {
            await using (var stream = evidence.Open())
            {
                await stream.CopyToAsync(copy);
            }
            Assert.Equal(pdf, copy.ToArray());
        }

        standing = await api.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/standing");
        Assert.Equal((91m, true), ((decimal)standing!["reviewed"]!["total"]!, (bool)standing["gateOpen"]!));
        foreach (var shot in shots.Select((n, i) => $"journey-{i + 1:00}-{n}"))
        {
            Assert.True(new FileInfo(Path.Combine(BrowserHost.Screenshots, shot + "-desktop.png")).Length > 0, shot);
            Assert.True(new FileInfo(Path.Combine(BrowserHost.Screenshots, shot + "-phone.png")).Length > 0, shot);
        }
    }

    /// <summary>The 试算 trail is swapped in by assessment.js after a change; wait until it shows the expected score.</summary>
    private static Task WaitForScoreAsync(IPage page, string score) =>
        page.WaitForSelectorAsync($"#trail [data-score='{score}']", new() { Timeout = 15_000 });

    private static Facts FullMarks(IReadOnlyList<Rule> rules) => new()
    {
        Checks = rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true),
        Rates = rules.OfType<TierRule>().ToDictionary(r => r.Id, _ => 100m),
        Counts = rules.OfType<CountRule>().ToDictionary(r => r.Id, r => r.Min),
    };
}
