namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>
/// Figures kept under the campaigns' revisions (<see cref="Infrastructure.CampaignFigures"/>): a change made through any
/// instance sharing the database shows at once on every other one, a save that changes nothing of a campaign's figures
/// leaves its revision, and a rolled-back change leaves it too.
/// </summary>
public sealed class CampaignFiguresTests : IDisposable
{
    private readonly Scenario s = Scenario.StartAsync().GetAwaiter().GetResult();

    public void Dispose() => s.Dispose();

    [Fact]
    public async Task A_change_through_a_second_instance_shows_at_once_on_the_first() =>
        await FiguresChecks.SecondInstanceAsync(s);

    [Fact]
    public void Saves_stamp_the_campaigns_whose_figures_they_change_and_no_other()
    {
        long Revision() => s.App.WithDb(db => db.CampaignRevisions.AsNoTracking().Single(r => r.CampaignId == s.CampaignId).Revision);

        var before = Revision();
        // An audit entry alone (no campaign figure) changes nothing.
        s.App.WithDb(db =>
        {
            db.Audit.Add(new AuditEntry { At = DateTimeOffset.UtcNow, Actor = "test", Action = "test.noop", Entity = "test", EntityId = "1" });
            return db.SaveChanges();
        });
        Assert.Equal(before, Revision());

        // A change to an assignment stamps its campaign.
        s.App.WithDb(db =>
        {
            var a = db.Assignments.First(x => x.CampaignId == s.CampaignId && x.State == AssignmentState.Assigned);
            a.State = AssignmentState.Acknowledged;
            return db.SaveChanges();
        });
        var afterChange = Revision();
        Assert.NotEqual(before, afterChange);

        // A change rolled back leaves the revision as it was.
        s.App.WithDb(db =>
        {
            using var tx = db.Database.BeginTransaction();
            var a = db.Assignments.First(x => x.CampaignId == s.CampaignId && x.State == AssignmentState.Assigned);
            a.State = AssignmentState.Acknowledged;
            db.SaveChanges();
            tx.Rollback();
            return 0;
        });
        Assert.Equal(afterChange, Revision());
    }
}

internal static class FiguresChecks
{
    /// <summary>
    /// The first instance shows the board's counts, summary and standing (and keeps them); a second instance over the same
    /// database signs for the 15-days-late 签收 task (which delivers it); the first instance's next answers count it as delivered, not red.
    /// </summary>
    public static async Task SecondInstanceAsync(Scenario s)
    {
        var first = await s.Client(Roles.Inspector);
        var board = $"/api/supervision/board?campaignId={s.CampaignId}&pageSize=1";
        var summary = $"/api/supervision/board/summary?campaignId={s.CampaignId}";
        var counts = BoardTests.Counts((await first.GetFromJsonAsync<JsonObject>(board))!);
        var unitRow = await UnitRowAsync(first, summary, Scenario.Units[0]);
        Assert.Equal(67, counts.Red);
        // Asked again: the same figures (kept, or counted again — the answer may not tell).
        Assert.Equal(counts, BoardTests.Counts((await first.GetFromJsonAsync<JsonObject>(board))!));

        // The unit's own list on the first instance, asked twice (kept): the late 签收 task still 待签收.
        var own = await s.Client(Roles.Unit, Scenario.Units[0]);
        var mine = $"/api/assignments/mine?campaignId={s.CampaignId}&pageSize=200";
        async Task<string> StateOnFirstAsync() => (string)(await own.GetFromJsonAsync<JsonObject>(mine))!["items"]!.AsArray()
            .Single(a => (string)a!["id"]! == s.Late15.ToString())!["state"]!;
        Assert.Equal("assigned", await StateOnFirstAsync());
        Assert.Equal("assigned", await StateOnFirstAsync());
        // Its inbox page on the first instance, asked twice (its 督办单 kept): none yet.
        var page = await PageClient.SignInAsync(s.App, Roles.Unit, Scenario.Units[0]);
        Assert.DoesNotContain("data-order=", await page.GetStringAsync("/inbox"));
        Assert.DoesNotContain("data-order=", await page.GetStringAsync("/inbox"));

        using var second = s.App.Restart();
        // A 督办单 issued on the second instance is on the unit's inbox page on the first at once.
        var issued = await OrderTests.IssueAsync(s, await second.ClientFor(Roles.Inspector), Scenario.Units[0], [6]);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Contains($"data-order=\"{(string)(await issued.Body())["id"]!}\"", await page.GetStringAsync("/inbox"));

        var clerk = await second.ClientFor(Roles.Unit, Scenario.Units[0]);
        var signed = await clerk.PostAsJsonAsync($"/api/assignments/{s.Late15}/acknowledge", new { });
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());

        var after = BoardTests.Counts((await first.GetFromJsonAsync<JsonObject>(board))!);
        Assert.Equal(counts.Red - 1, after.Red);
        var rowAfter = await UnitRowAsync(first, summary, Scenario.Units[0]);
        Assert.Equal((int)unitRow["late"]! - 1, (int)rowAfter["late"]!);
        Assert.Equal((int)unitRow["delivered"]! + 1, (int)rowAfter["delivered"]!);
        Assert.Equal("approved", await StateOnFirstAsync()); // 签收 delivers an acknowledge-only task
    }

    private static async Task<JsonObject> UnitRowAsync(HttpClient client, string summary, string unit) =>
        (await client.GetFromJsonAsync<JsonObject>(summary))!["rows"]!.AsArray().Select(r => r!.AsObject()).Single(r => (string)r["key"]! == unit);
}
