using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Tests.Infrastructure;
using CreationWorkflow.Web.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace CreationWorkflow.Web.Tests.Campaigns;

/// <summary>
/// The office edits hechi-2021 over the API: a broken definition is refused with the loader's zh-CN reason under its JSON
/// path and nothing is stored; a good one becomes version 3, served at once. A running version 2 campaign is moved to it: the
/// dry run counts what would change, a migration that would lose a unit's draft is refused untouched until the office accepts,
/// and applying it cancels and re-dates open work while the approved work stays exactly as it was.
/// </summary>
public sealed class WorkflowEditingTests : IDisposable
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
}
