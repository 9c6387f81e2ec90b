namespace CreationWorkflow.Web.Tests.Campaigns;

/// <summary>A running campaign stays on its definition version; moving it is an explicit, logged act.</summary>
public sealed class CampaignVersionTests : IDisposable
{
    private readonly string workflows = Path.Combine(Path.GetTempPath(), "cw-wf-" + Guid.NewGuid().ToString("N"));
    private readonly AppFactory first;

    public CampaignVersionTests()
    {
        AppFactory.CopyDirectory(Path.Combine(AppFactory.RepoRoot, "workflows"), workflows);
        first = new AppFactory { WorkflowsPath = workflows, Clock = new TestClock(new DateTimeOffset(2022, 1, 3, 1, 0, 0, TimeSpan.Zero)) };
    }

    public void Dispose()
    {
        first.Dispose();
        first.DeleteFolders();
        Directory.Delete(workflows, recursive: true);
    }

    [Fact]
    public async Task A_campaign_stays_on_its_version_until_the_office_migrates_it()
    {
        var office = await first.ClientFor(Roles.Office);
        var started = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = new[] { "甲局", "乙局" } });
        var id = (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        first.Dispose();

        // Version 2: no separate acknowledgement, and reports are due five working days earlier.
        var v1 = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(workflows, "taijiang-2022.json")))!;
        var v2 = v1.DeepClone();
        v2["version"] = 2;
        var steps = v2["steps"]!.AsArray();
        steps.RemoveAt(steps.Select((s, i) => (s, i)).Single(x => (string)x.s!["id"]! == "acknowledge").i);
        steps[0]!["due"]!["workingDays"] = -20;
        await File.WriteAllTextAsync(Path.Combine(workflows, "taijiang-2022.v2.json"), v2.ToJsonString());

        using var second = first.Restart();
        office = await second.ClientFor(Roles.Office);
        var campaign = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{id}");
        Assert.Equal(1, (int)campaign!["workflowVersion"]!);
        var dueBefore = second.WithDb(db => db.Assignments.Where(a => a.CampaignId == id && a.StepId == "report").Select(a => a.DueDate).Distinct().Single());

        var migrated = await office.PostAsJsonAsync($"/api/campaigns/{id}/migrate", new { version = 2 });
        Assert.Equal(HttpStatusCode.OK, migrated.StatusCode);
        var result = await migrated.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((1, 2, 0, 2 * 23, 2 * 23), ((int)result!["fromVersion"]!, (int)result["toVersion"]!, (int)result["added"]!, (int)result["cancelled"]!, (int)result["redated"]!));

        var (ackStates, dueAfter, pendingAckTimers, audit) = second.WithDb(db => (
            db.Assignments.Where(a => a.CampaignId == id && a.StepId == "acknowledge").Select(a => a.State).Distinct().ToList(),
            db.Assignments.Where(a => a.CampaignId == id && a.StepId == "report").Select(a => a.DueDate).Distinct().Single(),
            db.Timers.Count(t => t.State == TimerState.Pending && db.Assignments.Any(a => a.Id == t.AssignmentId && a.StepId == "acknowledge")),
            db.Audit.Single(a => a.Action == "campaign.migrated" && a.EntityId == id.ToString())));
        Assert.Equal([AssignmentState.Cancelled], ackStates);
        Assert.True(dueAfter < dueBefore);
        Assert.Equal(0, pendingAckTimers);
        Assert.Contains("\"WorkflowVersion\":1", audit.Before);
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsJsonAsync($"/api/campaigns/{id}/migrate", new { version = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/campaigns/{id}/migrate", new { version = 7 })).StatusCode);
    }

    [Fact]
    public async Task Changing_a_stored_version_without_a_new_number_stops_start_up()
    {
        await first.CreateClient().GetAsync("/api/programmes");
        first.Dispose();
        var path = Path.Combine(workflows, "taijiang-2022.json");
        var v1 = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        v1["title"] = (string)v1["title"]! + "（改）";
        await File.WriteAllTextAsync(path, v1.ToJsonString());

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var (exit, stderr) = await HostProcess.RunUntilExitAsync(first.SeedPath, first.DataPath, TimeSpan.FromSeconds(90), workflows);
        Assert.Equal(1, exit);
        Assert.Contains("workflows/taijiang-2022.json $.version: version 1 of 'taijiang-2022' is already stored with different content", stderr);
    }
}
