namespace CreationWorkflow.Web.Tests.Programmes;

/// <summary>
/// Issue 12 point 7 over the API, step by step as the pages do it (the browser twin is Browser/NewOfficeJourneyTests): a
/// new office imports a small county list, sets the one clause the reader flags, confirms the one unit the directory
/// lacks, publishes, finds the programme has no workflow, chooses the generic one, starts a campaign, creates the new
/// unit's clerk, and the clerk (after changing the temporary password) sees the first tasks. Each step asserts its own
/// answer, so a break names the step.
/// </summary>
public sealed class NewOfficeTests(ClassHost host) : IClassFixture<ClassHost>
{
    private readonly AppFactory app = host.App;

    /// <summary>The county list of both tests: item 1's points in Chinese numerals are flagged; 县文旅新局 is not in Hechi's directory.</summary>
    public static byte[] CountyList() => ListFileBuilder.Xlsx(
    [
        ["某县民族团结进步创建测评指标责任清单"],
        ListFileBuilder.Header,
        ["一、组织领导", "（一）工作机制", "１．成立创建工作领导小组，职责明确（得二分）。", "２", "市民宗委", "县文旅新局", "网上申报"],
        [null, null, "2.制定年度创建工作计划（得48分）。", "48", "市民宗委", "县文旅新局", "实地核查"],
        [null, "（二）宣传教育", "3.开展民族团结进步宣传月活动（得50分）。", "50", "市民宗委", "县文旅新局", "实地核查"],
    ], ["A1:G1", "A3:A5", "B3:B4"]);

    public const string NewUnit = "县文旅新局";
    public const string FlaggedItem = "1";
    public const string FlaggedClause = "（得二分）";

    [Fact]
    public async Task A_new_office_goes_from_its_own_list_to_a_unit_seeing_its_first_task()
    {
        var office = await app.ClientFor(Roles.Office);
        var id = "county-" + Guid.NewGuid().ToString("N")[..6];

        // 1. Import: a draft; exactly one clause flagged, exactly one unit to confirm.
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(CountyList()), "file", "county.xlsx" }, { new StringContent(id), "programmeId" },
            { new StringContent("某县民族团结进步创建"), "title" }, { new StringContent("hechi-2021"), "baseProgramme" },
        };
        var uploaded = await office.PostAsync("/api/programmes/imports", form);
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        var draft = (await uploaded.Content.ReadFromJsonAsync<JsonObject>())!;
        var draftId = (string)draft["id"]!;
        var flagged = draft["entries"]!.AsArray().Where(e => e!["flags"]!.AsArray().Count > 0).ToList();
        Assert.Equal([FlaggedItem], flagged.Select(e => (string)e!["key"]!));
        Assert.Contains(flagged[0]!["flags"]!.AsArray(), f => ((string)f!["clause"]!).Contains(FlaggedClause, StringComparison.Ordinal));
        Assert.Equal([NewUnit], draft["units"]!.AsArray().Select(u => (string)u!["name"]!));

        // 2. The flagged clause set in place; 3. the new unit confirmed (created on publishing).
        var rules = await office.PutAsJsonAsync($"/api/programmes/imports/{draftId}/entries/{FlaggedItem}/rules",
            new { rules = new[] { new { kind = "check", id = "x", text = "成立创建工作领导小组，职责明确（得二分）。", points = 2 } } });
        Assert.True(rules.IsSuccessStatusCode, await rules.Content.ReadAsStringAsync());
        var units = await office.PutAsJsonAsync($"/api/programmes/imports/{draftId}/units",
            new { decisions = new[] { new { name = NewUnit, action = "create", kind = "county" } } });
        Assert.True(units.IsSuccessStatusCode, await units.Content.ReadAsStringAsync());
        Assert.Empty((await units.Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray());

        // 4. Publish: a new programme, version 1, whose directory has the new unit.
        var published = await office.PostAsync($"/api/programmes/imports/{draftId}/publish", null);
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        Assert.Equal(1, (int)(await published.Content.ReadFromJsonAsync<JsonObject>())!["version"]!);
        var directory = await office.GetFromJsonAsync<JsonObject>($"/api/programmes/{id}/units");
        Assert.Contains(directory!["units"]!.AsArray(), u => (string)u!["name"]! == NewUnit);

        // 5. No workflow yet: reading it and starting a campaign both say so in Chinese; nothing is started.
        var none = await office.GetAsync($"/api/programmes/{id}/workflow");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("尚无工作流程", Regex.Unescape(await none.Content.ReadAsStringAsync()));
        var refused = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = id, startDate = Today() });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("请先为其选用工作流程", Regex.Unescape(await refused.Content.ReadAsStringAsync()));
        var officePages = await Web.Tests.Infrastructure.PageClient.SignInAsync(app, Roles.Office);
        var startPage = await officePages.GetStringAsync($"/campaigns/new?programme={id}");
        Assert.Contains($"<input type=\"hidden\" name=\"ProgrammeId\" value=\"{id}\" />", startPage); // listed under 选用工作流程
        var pageRefused = await Web.Tests.Infrastructure.PageClient.PostFormAsync(officePages, $"/campaigns/new?programme={id}", "/campaigns/new",
            new() { ["ProgrammeId"] = id, ["StartDate"] = Today() });
        Assert.Equal(HttpStatusCode.BadRequest, pageRefused.StatusCode);
        Assert.Contains("请先为其选用工作流程", WebUtility.HtmlDecode(await pageRefused.Content.ReadAsStringAsync()));
        Assert.Equal(0, app.WithDb(db => db.Campaigns.Count(c => c.ProgrammeId == id)));

        // 6. Choose the generic workflow: version 1 for the programme, stored and audited; a second choice is refused.
        var badTemplate = await office.PostAsJsonAsync($"/api/programmes/{id}/workflow", new { template = "hechi" });
        Assert.Equal(HttpStatusCode.BadRequest, badTemplate.StatusCode);
        var chosen = await office.PostAsJsonAsync($"/api/programmes/{id}/workflow", new { template = "generic" });
        Assert.True(chosen.StatusCode == HttpStatusCode.Created, await chosen.Content.ReadAsStringAsync());
        var workflow = (await chosen.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((id, 1), ((string)workflow["workflowId"]!, (int)workflow["version"]!));
        Assert.Equal(["acknowledge", "acknowledgeResponsible", "progress", "selfScore"], workflow["steps"]!.AsArray().Select(s => (string)s!["id"]!));
        Assert.Equal(1, app.WithDb(db => db.WorkflowDefinitions.Count(w => w.Id == id)));
        Assert.Equal(1, app.WithDb(db => db.Audit.Count(a => a.Action == "workflow.generated" && a.EntityId == id + "@1")));
        var again = await office.PostAsJsonAsync($"/api/programmes/{id}/workflow", new { template = "generic" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已有工作流程", Regex.Unescape(await again.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/api/programmes/{id}/workflow")).StatusCode);

        // 7. Start the campaign today on it.
        var started = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = id, startDate = Today() });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var campaign = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((id, 1), ((string)campaign["workflowId"]!, (int)campaign["workflowVersion"]!));

        // 8. The new unit's clerk: created with a temporary password, which must be changed before the API answers.
        var account = await office.PostAsJsonAsync("/api/accounts", new { userName = "wlx" + Guid.NewGuid().ToString("N")[..8], displayName = "文旅新局联络员", roles = new[] { Roles.Unit }, unit = NewUnit });
        Assert.True(account.StatusCode == HttpStatusCode.Created, await account.Content.ReadAsStringAsync());
        var issued = (await account.Content.ReadFromJsonAsync<JsonObject>())!;
        var userName = (string)issued["account"]!["userName"]!;
        var clerk = await TokenAsync(userName, (string)issued["temporaryPassword"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.GetAsync("/api/assignments/mine")).StatusCode);
        var changed = await clerk.PostAsJsonAsync("/api/accounts/me/password", new { currentPassword = (string)issued["temporaryPassword"]!, newPassword = "Wenlv-2026-new" });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        clerk = await TokenAsync(userName, "Wenlv-2026-new");

        // 9. The clerk's first tasks: 签收任务 on each of the three items, due in five working days, and this month's 进展填报.
        var mine = await clerk.GetFromJsonAsync<JsonObject>($"/api/assignments/mine?campaignId={(string)campaign["id"]!}&pageSize=50");
        var tasks = mine!["items"]!.AsArray();
        Assert.All(tasks, t => Assert.Equal(NewUnit, (string)t!["unit"]!));
        Assert.Equal([1, 2, 3], tasks.Where(t => (string)t!["stepId"]! == "acknowledgeResponsible").Select(t => (int)t!["itemNo"]!).Order());
        Assert.Contains(tasks, t => (string)t!["stepId"]! == "progress");
        var ack = await clerk.PostAsync($"/api/assignments/{(string)tasks.First(t => (string)t!["stepId"]! == "acknowledgeResponsible")!["id"]!}/acknowledge", null);
        Assert.True(ack.IsSuccessStatusCode, await ack.Content.ReadAsStringAsync());

        // 10. The campaign's pages render for the office and the new unit as they do for the seed programmes (an imported
        //     list has no 90-point gate, so there is no acceptance page, as for Taijiang; the home page links none).
        var campaignId = (string)campaign["id"]!;
        var unitPages = await Web.Tests.Infrastructure.PageClient.SignInAsync(app, Roles.Unit, NewUnit);
        var progressId = (string)tasks.First(t => (string)t!["stepId"]! == "progress")!["id"]!;
        var failures = new List<string>();
        foreach (var (client, path) in new[]
        {
            (officePages, "/"), (officePages, $"/programmes/{id}"), (officePages, $"/campaigns/{campaignId}/setup"),
            (officePages, $"/supervision/board?campaignId={campaignId}"), (officePages, $"/campaigns/{campaignId}/assessment"),
            (officePages, $"/campaigns/{campaignId}/assessment/items/1"),
            (officePages, $"/campaigns/{campaignId}/ranking"), (officePages, $"/campaigns/{campaignId}/bulletins"),
            (officePages, $"/campaigns/{campaignId}/peer-inspections"), (officePages, "/attention"),
            (officePages, $"/campaigns/{campaignId}/assessment/score-table.xlsx"), (officePages, $"/campaigns/{campaignId}/appraisal.xlsx"),
            (officePages, $"/supervision/board.xlsx?campaignId={campaignId}"), (officePages, $"/programmes/{id}/list.xlsx"),
            (unitPages, "/inbox"), (unitPages, $"/assignments/{progressId}"), (unitPages, $"/campaigns/{campaignId}/bulletins"),
        })
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{path}: {(int)response.StatusCode}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    /// <summary>The API twin of each page step, as the README's "Set up a new office" lists them, is in /openapi/v1.json.</summary>
    [Fact]
    public async Task Every_step_has_its_api_twin_in_the_OpenAPI_document()
    {
        var doc = await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = doc!["paths"]!.AsObject();
        var missing = new[]
        {
            ("post", "/api/programmes/imports"), ("put", "/api/programmes/imports/{draft}/entries/{item}/rules"),
            ("put", "/api/programmes/imports/{draft}/units"), ("post", "/api/programmes/imports/{draft}/publish"),
            ("get", "/api/programmes/{id}/workflow"), ("post", "/api/programmes/{id}/workflow"), ("post", "/api/campaigns"),
            ("post", "/api/accounts"), ("post", "/api/accounts/me/password"), ("get", "/api/assignments/mine"),
            ("post", "/api/assignments/{id}/acknowledge"),
        }.Where(x => paths[x.Item2]?[x.Item1] is null).Select(x => $"{x.Item1} {x.Item2}").ToList();
        Assert.True(missing.Count == 0, "not in the OpenAPI document: " + string.Join(", ", missing));
        Assert.NotNull(paths["/api/programmes/{id}/workflow"]!["post"]!["requestBody"]);
        Assert.Contains("generic", (string)paths["/api/programmes/{id}/workflow"]!["post"]!["summary"]!);
    }

    /// <summary>The chosen workflow is stored: after a restart the programme still has it and a campaign starts on it.</summary>
    [Fact]
    public async Task The_chosen_workflow_survives_a_restart()
    {
        using var first = new AppFactory();
        try
        {
            var office = await first.ClientFor(Roles.Office);
            var id = await PublishAsync(office, "county-restart");
            Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync($"/api/programmes/{id}/workflow", new { })).StatusCode);
            first.Dispose();

            using var second = first.Restart();
            office = await second.ClientFor(Roles.Office);
            var workflow = await office.GetFromJsonAsync<JsonObject>($"/api/programmes/{id}/workflow");
            Assert.Equal((id, 1), ((string)workflow!["workflowId"]!, (int)workflow["version"]!));
            var started = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = id, startDate = Today() });
            Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/programmes/{id}/workflow", new { })).StatusCode);
        }
        finally
        {
            first.DeleteFolders();
        }
    }

    /// <summary>The county list published over the API with its flag and unit settled; returns the programme id.</summary>
    private static async Task<string> PublishAsync(HttpClient office, string id)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(CountyList()), "file", "county.xlsx" }, { new StringContent(id), "programmeId" },
            { new StringContent("某县民族团结进步创建"), "title" }, { new StringContent("hechi-2021"), "baseProgramme" },
        };
        var draftId = (string)(await (await office.PostAsync("/api/programmes/imports", form)).Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.True((await office.PutAsJsonAsync($"/api/programmes/imports/{draftId}/entries/{FlaggedItem}/rules",
            new { rules = new[] { new { kind = "check", id = "x", text = "成立创建工作领导小组，职责明确（得二分）。", points = 2 } } })).IsSuccessStatusCode);
        Assert.True((await office.PutAsJsonAsync($"/api/programmes/imports/{draftId}/units",
            new { decisions = new[] { new { name = NewUnit, action = "create", kind = "county" } } })).IsSuccessStatusCode);
        var published = await office.PostAsync($"/api/programmes/imports/{draftId}/publish", null);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        return id;
    }

    private async Task<HttpClient> TokenAsync(string userName, string password)
    {
        var client = app.CreateClient();
        var token = await client.PostAsJsonAsync("/api/auth/token", new { userName, password });
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
        return client;
    }

    private static string Today() => ChinaTime.Today(TimeProvider.System.GetUtcNow()).ToString("yyyy-MM-dd");
}
