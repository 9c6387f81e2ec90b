namespace CreationWorkflow.Web.Tests.Scoring;

/// <summary>
/// A lead unit's 待我审核 in /inbox: the responsible units' submitted progress on the items it leads, approved from there;
/// nobody else sees or approves them.
/// </summary>
public sealed class ReviewQueueTests() : CampaignTest("hechi-2021", "2021-12-01", ChinaMorning(2022, 3, 1))
{

    /// <summary>市教育局 reports and submits its first 进展填报 on item 48 (led by 市民宗委 alone) over the API.</summary>
    private async Task<Guid> SubmittedAsync()
    {
        var id = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == CampaignId && a.Unit == "市教育局" && a.ItemNo == 48 && a.StepId == "progress")
            .OrderBy(a => a.DueDate).Select(a => a.Id).First());
        var unit = await App.ClientFor(Roles.Unit, "市教育局");
        Assert.Equal(HttpStatusCode.OK, (await unit.PostAsJsonAsync($"/api/assignments/{id}/acknowledge", new { })).StatusCode);
        var report = new MultipartFormDataContent { { new StringContent("已开展民族团结进步教育进校园活动。"), "text" } };
        Assert.Equal(HttpStatusCode.OK, (await unit.PostAsync($"/api/assignments/{id}/progress", report)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unit.PostAsJsonAsync($"/api/assignments/{id}/submit", new { })).StatusCode);
        return id;
    }

    [Fact]
    public async Task The_lead_unit_sees_the_submission_in_its_review_queue_and_approves_it_from_there()
    {
        var id = await SubmittedAsync();
        var lead = await PageClient.SignInAsync(App, Roles.Unit, "市民宗委");
        var inbox = await lead.GetStringAsync("/inbox");
        Assert.Contains("待我审核", inbox);
        Assert.Contains($"data-review=\"{id}\"", inbox);
        Assert.Contains("共 1 项", inbox);

        // The submitting unit and an unrelated unit have no such queue, and cannot approve.
        var own = await PageClient.SignInAsync(App, Roles.Unit, "市教育局");
        Assert.DoesNotContain("data-review=", await own.GetStringAsync("/inbox"));
        var other = await PageClient.SignInAsync(App, Roles.Unit, "市委宣传部");
        Assert.DoesNotContain("待我审核", await other.GetStringAsync("/inbox"));
        var refused = await PageClient.PostFormAsync(other, "/inbox", $"/assignments/{id}?handler=Approve", new() { ["back"] = "inbox" });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(AssignmentState.Submitted, App.WithDb(db => db.Assignments.Single(a => a.Id == id).State));

        var approved = await PageClient.PostFormAsync(lead, "/inbox", $"/assignments/{id}?handler=Approve", new() { ["back"] = "inbox" });
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("/inbox", PageClient.Location(approved));
        Assert.Equal(AssignmentState.Approved, App.WithDb(db => db.Assignments.Single(a => a.Id == id).State));
        Assert.Equal(1, App.WithDb(db => db.Audit.Count(e => e.EntityId == id.ToString() && e.Action == "assignment.approve")));
        var after = await lead.GetStringAsync("/inbox");
        Assert.Contains("已审核通过。", after);
        Assert.DoesNotContain($"data-review=\"{id}\"", after);
    }
}
