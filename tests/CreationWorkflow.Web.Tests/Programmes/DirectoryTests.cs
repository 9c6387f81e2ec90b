namespace CreationWorkflow.Web.Tests.Programmes;

/// <summary>The office confirms or corrects group memberships the documents do not give; new campaigns follow them.</summary>
public sealed class DirectoryTests() : HostTest(new AppFactory())
{
    private const string Group = "市民族工作委员会委员单位";

    [Fact]
    public async Task The_office_confirms_an_assumed_membership_and_new_campaigns_use_it()
    {
        var office = await App.ClientFor(Roles.Office);
        var unit = await App.ClientFor(Roles.Unit, "市民宗委");
        var groups = await office.GetFromJsonAsync<JsonArray>("/api/programmes/hechi-2021/groups");
        Assert.True((bool)groups!.Single(g => (string)g!["name"]! == Group)!["assumed"]!);

        var url = $"/api/programmes/hechi-2021/groups/{Group}";
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PutAsJsonAsync(url, new { members = new[] { "市民宗委" } })).StatusCode);
        var unknown = await office.PutAsJsonAsync(url, new { members = new[] { "市民宗委", "不存在局" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("members[1]", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await office.PutAsJsonAsync("/api/programmes/hechi-2021/groups/无此组", new { members = new[] { "市民宗委" } })).StatusCode);

        var set = await office.PutAsJsonAsync(url, new { members = new[] { "市民宗委", "市教育局", "市公安局" } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        groups = await office.GetFromJsonAsync<JsonArray>("/api/programmes/hechi-2021/groups");
        var stored = groups!.Single(g => (string)g!["name"]! == Group)!;
        Assert.False((bool)stored["assumed"]!);
        Assert.Equal(["市公安局", "市教育局", "市民宗委"], stored["members"]!.AsArray().Select(m => (string)m!));
        Assert.Contains(App.WithDb(db => db.Audit.Where(a => a.Action == "group.members").Select(a => a.EntityId).ToList()), e => e.EndsWith(Group, StringComparison.Ordinal));

        // Item 4's responsible units are that group and the counties; its lead units keep the lead duty only.
        (await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "hechi-2021", startDate = "2021-12-01", workflowVersion = 1 })).EnsureSuccessStatusCode();
        var responsible = App.WithDb(db => db.Assignments.Where(a => a.ItemNo == 4 && a.StepId == "progress" && a.Period == 1)
            .Select(a => a.Unit).ToList());
        Assert.Equal(11 + 2, responsible.Count); // 11 counties + 市教育局 + 市公安局 (市民宗委 leads item 4)
        Assert.Contains("市教育局", responsible);
        Assert.DoesNotContain("市民宗委", responsible);
    }
}
