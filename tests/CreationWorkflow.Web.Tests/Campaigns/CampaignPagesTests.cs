namespace CreationWorkflow.Web.Tests.Campaigns;

/// <summary>The office starts campaigns at /campaigns/new and follows the 90-point gate at /campaigns/{id}/acceptance.</summary>
public sealed class CampaignPagesTests() : HostTest(AtChinaMorning(2022, 3, 1))
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task Office_starts_a_Taijiang_campaign_through_the_form()
    {
        var office = await PageClient.SignInAsync(App, Roles.Office);
        var form = await office.GetStringAsync("/campaigns/new");
        Assert.Contains("value=\"taijiang-2022\"", form);
        Assert.Contains("value=\"2022-03-01\"", form); // today in China by default

        var posted = await PageClient.PostFormAsync(office, "/campaigns/new", "/campaigns/new", new()
        {
            ["ProgrammeId"] = "taijiang-2022",
            ["StartDate"] = "2022-01-01",
            ["Name"] = "台江县2022年度考核",
            ["AssessedUnits"] = "甲局\r\n乙局\r\n\r\n甲局\r\n",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/", PageClient.Location(posted));

        var campaign = App.WithDb(db => db.Campaigns.Single());
        Assert.Equal("台江县2022年度考核", campaign.Name);
        Assert.True(App.WithDb(db => db.Assignments.Count(a => a.CampaignId == campaign.Id)) > 0);
        Assert.Equal(2, App.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaign.Id && (a.Unit == "甲局" || a.Unit == "乙局"))
            .Select(a => a.Unit).Distinct().Count()));
        Assert.True(App.WithDb(db => db.Audit.Any(e => e.Action == "campaign.started" && e.EntityId == campaign.Id.ToString())));

        var home = await office.GetStringAsync("/");
        Assert.Contains("已启动创建活动“台江县2022年度考核”。", home);
        Assert.Contains("href=\"/campaigns/new\"", home);
    }

    [Fact]
    public async Task A_unit_programme_without_assessed_units_is_refused_and_nothing_is_created()
    {
        var office = await PageClient.SignInAsync(App, Roles.Office);
        var posted = await PageClient.PostFormAsync(office, "/campaigns/new", "/campaigns/new", new()
        {
            ["ProgrammeId"] = "taijiang-2022",
            ["StartDate"] = "2022-01-01",
            ["AssessedUnits"] = " \r\n ",
        });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Contains("data-field=\"assessedUnits\">年度考核须列出参加考核的单位。", html);
        Assert.Equal(0, App.WithDb(db => db.Campaigns.Count()));
        Assert.Equal(0, App.WithDb(db => db.Assignments.Count()));
    }

    [Fact]
    public async Task A_unit_user_is_denied_both_pages()
    {
        var api = await App.ClientFor(Roles.Office);
        var id = await StartHechiAsync(api);
        var unit = await PageClient.SignInAsync(App, Roles.Unit, "市民宗委");
        foreach (var page in new[] { "/campaigns/new", $"/campaigns/{id}/acceptance" })
        {
            var response = await unit.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", PageClient.Location(response));
        }
    }

    [Fact]
    public async Task Acceptance_page_of_a_fresh_Hechi_campaign_shows_the_closed_gate_and_refuses_the_package()
    {
        var api = await App.ClientFor(Roles.Office);
        var id = await StartHechiAsync(api);
        var office = await PageClient.SignInAsync(App, Roles.Office);

        Assert.Contains($"href=\"/campaigns/{id}/acceptance\"", await office.GetStringAsync("/"));
        var page = $"/campaigns/{id}/acceptance";
        var html = await office.GetStringAsync(page);
        Assert.Contains("<span class=\"gate-closed\">未开启</span>", html);
        Assert.Contains("还差 90 分", html);
        Assert.Contains("可争取分值", html);
        Assert.Contains("生成并下载", html);

        var posted = await PageClient.PostFormAsync(office, page, $"{page}?handler=Package", new()
        {
            ["Applicant"] = "河池市人民政府",
            ["ContactName"] = "张三",
            ["ContactPhone"] = "0778-1234567",
        });
        Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
        Assert.StartsWith("text/html", posted.Content.Headers.ContentType?.MediaType);
        Assert.Null(posted.Content.Headers.ContentDisposition);
        var refused = await posted.Content.ReadAsStringAsync();
        Assert.Contains("经审核的自评分为0分，差90分达到90分", refused);
        Assert.False(App.WithDb(db => db.Audit.Any(e => e.Action == "package.generated")));

        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        var read = await leader.GetStringAsync(page);
        Assert.Contains("未开启", read);
        Assert.DoesNotContain("生成并下载", read);
        var leaderPost = await leader.PostAsync($"{page}?handler=Package", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageClient.Token(await leader.GetStringAsync("/")),
        }));
        Assert.NotEqual(HttpStatusCode.OK, leaderPost.StatusCode);
        Assert.Null(leaderPost.Content.Headers.ContentDisposition);
    }

    private static async Task<Guid> StartHechiAsync(HttpClient api)
    {
        var started = await api.PostAsJsonAsync("/api/campaigns", new { programmeId = "hechi-2021", startDate = "2021-12-01", workflowVersion = 1 });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }
}
