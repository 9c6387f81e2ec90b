namespace CreationWorkflow.Web.Tests.Campaigns;

/// <summary>
/// The office edits hechi-2021 over the API: a broken definition is refused with the loader's zh-CN reason under its JSON
/// path and nothing is stored; a good one becomes version 3, served at once. A running version 2 campaign is moved to it: the
/// dry run counts what would change, a migration that would lose a unit's draft is refused untouched until the office accepts,
/// and applying it cancels and re-dates open work while the approved work stays exactly as it was.
/// </summary>
public sealed partial class WorkflowEditingTests : IDisposable
{
    private const string Lead = "市民宗委";
    private readonly AppFactory app = new() { Clock = new TestClock(new DateTimeOffset(2022, 3, 1, 10, 0, 0, TimeSpan.FromHours(8))) };

    public void Dispose()
    {
        app.Dispose();
        app.DeleteFolders();
    }

    private static async Task OkAsync(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

    private (int Definitions, int Audit) Stored() => app.WithDb(db => (db.WorkflowDefinitions.Count(), db.Audit.Count()));

    /// <summary>Version 2 as served, changed by <paramref name="change"/>.</summary>
    private static async Task<JsonNode> EditedAsync(HttpClient office, Action<JsonNode> change)
    {
        var v2 = JsonNode.Parse(await office.GetStringAsync("/api/workflows/hechi-2021/2"))!;
        change(v2);
        return v2;
    }

    private static JsonNode Step(JsonNode d, string id) => d["steps"]!.AsArray().Single(s => (string)s!["id"]! == id)!;

    [Fact]
    public async Task A_broken_edit_is_refused_by_field_and_a_good_one_is_served_at_once_as_the_next_version()
    {
        var office = await app.ClientFor(Roles.Office);
        var unit = await app.ClientFor(Roles.Unit, Lead);
        var list = await office.GetFromJsonAsync<JsonArray>("/api/workflows");
        Assert.Equal(2, (int)list!.Single(w => (string)w!["id"]! == "hechi-2021")!["latest"]!);
        var before = Stored();

        var broken = await EditedAsync(office, d =>
        {
            Step(d, "progress")["phase"] = "fullpush";
            d["remindAt"] = 9;
        });
        var refused = await office.PostAsJsonAsync("/api/workflows/hechi-2021/versions", broken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Contains("值的类型不对", (string)problem["errors"]!["$.remindAt"]![0]!); // the JSON is read before the fields are checked

        var wrongPhase = await EditedAsync(office, d => Step(d, "progress")["phase"] = "fullpush");
        refused = await office.PostAsJsonAsync("/api/workflows/hechi-2021/versions", wrongPhase);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.StartsWith("阶段「fullpush」不存在", (string)problem["errors"]!["$.steps[2].phase"]![0]!);
        Assert.Equal(before, Stored());

        var unchanged = await EditedAsync(office, _ => { });
        Assert.Contains("完全相同", await (await office.PostAsJsonAsync("/api/workflows/hechi-2021/versions", unchanged)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync("/api/workflows/hechi-2021/versions", unchanged)).StatusCode);
        Assert.Equal(before, Stored());

        var good = await EditedAsync(office, d => d["phases"] = JsonNode.Parse("""[{"id":"fullPush","name":"全面推进（延至12月）","start":"2022-01","end":"2022-12"}]"""));
        var saved = await office.PostAsJsonAsync("/api/workflows/hechi-2021/versions", good);
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        Assert.Equal(3, (int)(await saved.Content.ReadFromJsonAsync<JsonObject>())!["version"]!);
        Assert.Contains("全面推进（延至12月）", await office.GetStringAsync("/api/workflows/hechi-2021/3"));
        Assert.Equal((before.Definitions + 1, 1), app.WithDb(db => (db.WorkflowDefinitions.Count(), db.Audit.Count(a => a.Action == AuditActions.WorkflowVersionSaved && a.EntityId == "hechi-2021@3"))));
        Assert.Equal(3, app.Services.GetRequiredService<WorkflowCatalog>().Latest("hechi-2021")!.Version);

        // A new campaign runs on it without a restart.
        var started = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "hechi-2021", startDate = "2022-01-01" });
        Assert.Equal(3, (int)(await started.Content.ReadFromJsonAsync<JsonObject>())!["workflowVersion"]!);
    }

    [Fact]
    public async Task The_dry_run_counts_the_changes_and_the_migration_keeps_finished_work()
    {
        var office = await app.PatientClientFor(Roles.Office);
        var campaign = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01", workflowVersion: 2);
        var lead = await app.ClientFor(Roles.Unit, Lead);

        // 市民宗委's 报送具体工作措施: the first approved by the office, the second with a draft in progress.
        var measures = app.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaign && a.StepId == "measures" && a.Unit == Lead)
            .OrderBy(a => a.ItemNo).Select(a => a.Id).Take(2).ToList());
        var (approved, draft) = (measures[0], measures[1]);
        foreach (var id in measures)
        {
            await OkAsync(await lead.PostAsJsonAsync($"/api/assignments/{id}/acknowledge", new { }));
            await OkAsync(await lead.PostAsync($"/api/assignments/{id}/progress", new MultipartFormDataContent { { new StringContent("细化措施：每季度召开一次联席会议。"), "text" } }));
        }
        await OkAsync(await lead.PostAsJsonAsync($"/api/assignments/{approved}/submit", new { }));
        await OkAsync(await office.PostAsJsonAsync($"/api/assignments/{approved}/approve", new { }));
        var finished = app.WithDb(db => db.Assignments.Single(a => a.Id == approved));
        Assert.Equal(AssignmentState.Approved, finished.State);

        // Version 3: no separate 报送具体工作措施, and the monthly reports due two working days later.
        var v3 = await EditedAsync(office, d =>
        {
            d["steps"]!.AsArray().Remove(Step(d, "measures"));
            Step(d, "progress")["due"]!["workingDays"] = -1;
        });
        await OkAsync(await office.PostAsJsonAsync("/api/workflows/hechi-2021/versions", v3));

        var (openMeasures, openReports, finishedCount) = app.WithDb(db => (
            db.Assignments.Count(a => a.CampaignId == campaign && a.StepId == "measures" && a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled),
            db.Assignments.Count(a => a.CampaignId == campaign && a.StepId == "progress" && a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled),
            db.Assignments.Count(a => a.CampaignId == campaign && (a.State == AssignmentState.Approved || a.State == AssignmentState.Cancelled))));
        var preview = await office.PostAsJsonAsync($"/api/campaigns/{campaign}/migration/preview", new { toVersion = 3 });
        await OkAsync(preview);
        var run = (await preview.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((0, openMeasures, openReports, 0, 1, finishedCount, true),
            ((int)run["added"]!, (int)run["cancelled"]!, (int)run["redated"]!, (int)run["folded"]!, (int)run["wouldLoseState"]!, (int)run["kept"]!, (bool)run["canApply"]!));
        Assert.Contains(Lead, (string)run["wouldLoseStateExamples"]![0]!);
        Assert.Contains("办理中", (string)run["wouldLoseStateExamples"]![0]!);

        // Not accepted: refused, and nothing changes.
        var snapshot = () => app.WithDb(db => (
            string.Join(",", db.Assignments.Where(a => a.CampaignId == campaign).OrderBy(a => a.Id).Select(a => $"{a.State}:{a.DueDate}")),
            db.Audit.Count(), db.Campaigns.Single(c => c.Id == campaign).WorkflowVersion));
        var before = snapshot();
        var refused = await office.PostAsJsonAsync($"/api/campaigns/{campaign}/migration", new { toVersion = 3 });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var why = await refused.Content.ReadAsStringAsync();
        Assert.Contains("已在办理的任务将被撤销", why);
        Assert.Contains("未作任何迁移", why);
        Assert.Equal(before, snapshot());
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.PostAsJsonAsync($"/api/campaigns/{campaign}/migration", new { toVersion = 3, acceptLoss = true })).StatusCode);

        var applied = await office.PostAsJsonAsync($"/api/campaigns/{campaign}/migration", new { toVersion = 3, acceptLoss = true });
        await OkAsync(applied);
        var result = (await applied.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((2, 3, openMeasures, openReports), ((int)result["fromVersion"]!, (int)result["toVersion"]!, (int)result["cancelled"]!, (int)result["redated"]!));

        var (kept, drafted, version, cancelAudits, redateAudits, auditOfApproved) = app.WithDb(db => (
            db.Assignments.Single(a => a.Id == approved),
            db.Assignments.Single(a => a.Id == draft).State,
            db.Campaigns.Single(c => c.Id == campaign).WorkflowVersion,
            db.Audit.Count(e => e.Action == AuditActions.Assignment(AssignmentTrigger.Cancel) && e.Entity == "assignment"),
            db.Audit.Count(e => e.Action == AuditActions.AssignmentRescheduled),
            db.Audit.Count(e => e.EntityId == approved.ToString())));
        Assert.Equal((AssignmentState.Approved, finished.DueDate, finished.UpdatedAt), (kept.State, kept.DueDate, kept.UpdatedAt));
        Assert.Equal(AssignmentState.Cancelled, drafted);
        Assert.Equal(3, version);
        Assert.Equal((openMeasures, openReports), (cancelAudits, redateAudits)); // one lifecycle entry per assignment
        Assert.Equal(4, auditOfApproved); // acknowledge, progress, submit, approve: the migration wrote none
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/campaigns/{campaign}/migration/preview", new { toVersion = 3 })).StatusCode);
    }

    /// <summary>The fields the edit form posts as a browser would: inputs with their values, each select's selected option, ticked boxes.</summary>
    private static Dictionary<string, string> FormFields(string html)
    {
        var start = html.IndexOf("class=\"wf-form\"", StringComparison.Ordinal);
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        var fields = new Dictionary<string, string>();
        foreach (Match m in InputTag().Matches(form))
        {
            var tag = m.Value;
            var name = System.Net.WebUtility.HtmlDecode(Attr().Match(tag.Replace("value=", "v=", StringComparison.Ordinal)).Groups[1].Value);
            var value = ValueAttr().Match(tag) is { Success: true } v ? System.Net.WebUtility.HtmlDecode(v.Groups[1].Value) : "";
            if (!tag.Contains("type=\"checkbox\"", StringComparison.Ordinal) || tag.Contains("checked", StringComparison.Ordinal))
            {
                fields[name] = value;
            }
        }
        foreach (Match m in SelectTag().Matches(form))
        {
            var selected = SelectedOption().Match(m.Groups[2].Value);
            fields[System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)] = selected.Success ? System.Net.WebUtility.HtmlDecode(selected.Groups[1].Value) : "";
        }
        return fields;
    }

    [GeneratedRegex("<input[^>]*name=\"[^\"]+\"[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("name=\"([^\"]+)\"")]
    private static partial Regex Attr();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttr();

    [GeneratedRegex("<select name=\"([^\"]+)\">(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex SelectTag();

    [GeneratedRegex("<option value=\"([^\"]*)\" selected")]
    private static partial Regex SelectedOption();

    [Fact]
    public async Task The_office_edits_in_the_form_sees_the_reason_beside_the_step_then_migrates_after_the_dry_run()
    {
        var office = await PageClient.SignInAsync(app, Roles.Office);
        var api = await app.PatientClientFor(Roles.Office);
        var campaign = await AppFactory.StartCampaignAsync(api, "hechi-2021", "2021-12-01", workflowVersion: 2);
        const string edit = "/workflows/hechi-2021/edit";
        var fields = FormFields(await office.GetStringAsync(edit));
        Assert.Equal(("progress", "fullPush", "periodEnd", "-3", "month"),
            (fields["Steps[2].Id"], fields["Steps[2].Phase"], fields["Steps[2].DueFrom"], fields["Steps[2].DueDays"], fields["Steps[2].Recurrence"]));
        Assert.Equal("2022-11", fields["Phases[1].End"]);

        // 报送具体工作措施 removed, and 进展填报 due from the phase's end although it recurs monthly: refused beside 进展填报 (the form's third step).
        var before = Stored();
        fields["Steps[1].Remove"] = "true";
        fields["Steps[2].DueFrom"] = "phaseEnd";
        var refused = await PageClient.PostFormAsync(office, edit, edit, fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-path=\"$.steps[2].due.from\"", html);
        Assert.Contains("按周期重复的步骤须相对周期计算期限", html);
        Assert.Equal(before.Definitions, Stored().Definitions);

        fields.Remove("Steps[1].Remove");
        fields["Steps[2].DueFrom"] = "periodEnd";
        fields["Steps[2].DueDays"] = "-1";
        fields["Phases[1].End"] = "2022-12";
        var saved = await PageClient.PostFormAsync(office, edit, edit, fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var v3 = app.Services.GetRequiredService<WorkflowCatalog>().Get("hechi-2021", 3);
        Assert.Equal((-1, "2022-12"), (v3.Steps.Single(s => s.Id == "progress").Due.WorkingDays, v3.PhasesOf(app.Services.GetRequiredService<Web.Programmes.ProgrammeCatalog>().Find("hechi-2021")!).Single(p => p.Id == "fullPush").End));
        Assert.Contains("第3版", await office.GetStringAsync("/workflows"));

        // The campaign's page: the dry run first, then 确认迁移.
        var page = $"/campaigns/{campaign}/migration";
        var dry = await office.GetStringAsync(page + "?to=3");
        Assert.Contains("data-dry-run=\"3\"", dry);
        Assert.Matches("data-count=\"added\"><strong>[1-9]", dry); // December's reports
        Assert.Matches("data-count=\"redated\"><strong>[1-9]", dry);
        Assert.Equal(2, app.WithDb(db => db.Campaigns.Single(c => c.Id == campaign).WorkflowVersion)); // the dry run changed nothing
        var applied = await PageClient.PostFormAsync(office, page + "?to=3", page, new Dictionary<string, string> { ["To"] = "3" });
        Assert.Equal((HttpStatusCode.Redirect, $"/campaigns/{campaign}/setup"), (applied.StatusCode, PageClient.Location(applied)));
        Assert.Equal(3, app.WithDb(db => db.Campaigns.Single(c => c.Id == campaign).WorkflowVersion));
        Assert.Contains("已迁移到第3版", await office.GetStringAsync($"/campaigns/{campaign}/setup"));
    }

    /// <summary>An office's own list, published as a new programme, gets its first workflow from a copy of one of the same kind.</summary>
    [Fact]
    public async Task A_programme_without_a_workflow_gets_its_first_from_a_copy()
    {
        var api = await app.ClientFor(Roles.Office);
        var export = await (await api.GetAsync("/api/programmes/taijiang-2022/list.xlsx")).Content.ReadAsByteArrayAsync();
        var upload = await api.PostAsync("/api/programmes/imports",
            new MultipartFormDataContent { { new ByteArrayContent(export), "file", "county.xlsx" }, { new StringContent("county-2023"), "programmeId" } });
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        var draft = (string)(await upload.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await OkAsync(await api.PostAsync($"/api/programmes/imports/{draft}/publish", null));

        var office = await PageClient.SignInAsync(app, Roles.Office);
        Assert.Contains("/workflows/county-2023/edit?copy=taijiang-2022", await office.GetStringAsync("/workflows"));
        var edit = "/workflows/county-2023/edit?copy=taijiang-2022";
        var fields = FormFields(await office.GetStringAsync(edit));
        Assert.Equal(("taijiang-2022", "1"), (fields["Copy"], fields["BaseVersion"]));
        fields["Title"] = "某县年度考核工作流程";
        var saved = await PageClient.PostFormAsync(office, edit, "/workflows/county-2023/edit", fields);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        var first = app.Services.GetRequiredService<WorkflowCatalog>().ForProgramme("county-2023")!;
        Assert.Equal(("county-2023", 1, "某县年度考核工作流程"), (first.Id, first.Version, first.Title));
        var started = await api.PostAsJsonAsync("/api/campaigns", new { programmeId = "county-2023", startDate = "2023-01-01", assessedUnits = new[] { "甲局" } });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
    }
}
