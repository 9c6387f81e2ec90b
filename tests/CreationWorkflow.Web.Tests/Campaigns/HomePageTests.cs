using CreationWorkflow.Web.Campaigns;

namespace CreationWorkflow.Web.Tests.Campaigns;

/// <summary>The office's home page on a Hechi campaign: progress by phase, scores by target, the 90-point gate.</summary>
public sealed class HomePageTests() : HostTest(AtChinaMorning(2022, 3, 1))
{
    [Fact]
    public async Task Home_shows_progress_by_phase_scores_and_the_gate_status()
    {
        var api = await App.ClientFor(Roles.Office);
        var started = await api.PostAsJsonAsync("/api/campaigns", new { programmeId = "hechi-2021", startDate = "2021-12-01", workflowVersion = 1 });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var body = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        var total = (int)body["assignments"]!;
        var standing = await api.GetFromJsonAsync<JsonObject>($"/api/campaigns/{(Guid)body["id"]!}/standing");
        var risks = standing!["pointsAtRisk"]!.AsArray();

        var office = await PageClient.SignInAsync(App, Roles.Office);
        var html = await office.GetStringAsync("/");
        Assert.Contains("各阶段任务进度", html);
        Assert.Contains("验收申请：", html);
        Assert.Contains("<span class=\"gate-closed\">未开启</span>", html);
        Assert.Contains("距 90 分还差 90 分", html);
        Assert.Contains("<svg", html);
        // Points at risk: the standing's sum (nothing has evidence yet, so all 100 base points), the highest items named.
        var atRisk = risks.Sum(r => (decimal)r!["points"]!);
        Assert.Equal(100m, atRisk);
        Assert.Contains($"data-points=\"{atRisk}\"", html);
        Assert.Contains($"{risks.Count} 项共 <strong>{atRisk}</strong> 分存在风险", html);
        Assert.Equal(HomeModel.TopRisks, System.Text.RegularExpressions.Regex.Matches(html, "<li><a href=\"/campaigns/[^\"]+/assessment/items/").Count);
        Assert.Contains("/programmes/taijiang-2022", html);
        Assert.Contains("督查看板", html); // the office's nav
        var open = App.WithDb(db => db.Assignments.Count(a => a.State != Core.Assignments.AssignmentState.Approved && a.State != Core.Assignments.AssignmentState.Cancelled));
        Assert.True(total >= open && open > 0);

        var unit = await PageClient.SignInAsync(App, Roles.Unit, "市民宗委");
        var home = await unit.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/inbox", PageClient.Location(home));
    }
}
