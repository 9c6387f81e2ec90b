using System.Text.Json.Serialization;

namespace CreationWorkflow.Web.Tests.Scoring;

/// <summary>
/// Issue 13 point 8 through the API: Taijiang 2.3 ("已获民族团结进步示范单位命名的，县级2分，州级4分、省级6分") and 2.4
/// ("年内获得县级表彰1分，州级2分，省级3分；不同奖项可累加，最高不超过7分") take a 国家级 title or award at the highest level they
/// list instead of refusing it with 400; the consolidation exemption ("获得州级及其以上示范单位可以巩固提升2年，巩固期间不扣分")
/// holds only with a 州级 or higher title. Expected points come from the programme's rules.
/// </summary>
public sealed class TaijiangReadingsApiTests(ClassHost host) : IClassFixture<ClassHost>
{
    private readonly AppFactory app = host.App;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private LevelRule Rule(int item) => (LevelRule)app.Services.GetRequiredService<ProgrammeCatalog>().Find("taijiang-2022")!.Items.Single(i => i.No == item).Rules[0];

    [Fact]
    public async Task The_score_endpoint_takes_national_levels_and_says_how_it_read_them()
    {
        var office = await app.ClientFor(Roles.Office);
        var facts = new Facts
        {
            Cases = [new Case("7.1", "全国民族团结进步示范单位", Level.National), new Case("8.1", "全国民族团结进步模范集体", Level.National)],
            Counts = new Dictionary<string, int> { ["5.1"] = 4 },
        };
        var response = await office.PostAsJsonAsync("/api/programmes/taijiang-2022/score", facts, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonNode.Parse(body)!;
        decimal Score(int no) => (decimal)result["items"]!.AsArray().Single(i => (int)i!["no"]! == no)!["score"]!;
        Assert.Equal(Rule(7).PointsFor(Level.Province), Score(7));
        Assert.Equal(Rule(8).PointsFor(Level.Province), Score(8));
        Assert.Equal(4m, Score(5)); // the rest of the unit is scored too
        var reasons = result["items"]!.AsArray().Where(i => (int)i!["no"]! is 7 or 8).SelectMany(i => i!["lines"]!.AsArray()).Select(l => (string)l!["reason"]!).ToList();
        Assert.All(reasons, r => Assert.Contains("本条未列国家级，按所列最高级别省（区）级计", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Units_report_a_national_title_and_claim_consolidation_and_the_ranking_follows_the_clause()
    {
        var office = await app.ClientFor(Roles.Office);
        string[] units = ["台江县甲局", "台江县乙局"];
        var campaign = await AppFactory.StartCampaignAsync(office, "taijiang-2022", "2022-01-01", units);

        async Task Report(string unit, string item, Facts facts)
        {
            var client = await app.ClientFor(Roles.Unit, unit);
            var put = await client.PutAsJsonAsync($"/api/campaigns/{campaign}/assessment/items/{item}", new { facts }, Json);
            Assert.True(put.IsSuccessStatusCode, $"{unit} {item}: {await put.Content.ReadAsStringAsync()}");
            var review = await office.PostAsJsonAsync($"/api/campaigns/{campaign}/assessment/items/{item}/review?subject={Uri.EscapeDataString(unit)}", new { decision = "accept" });
            Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        }
        // 甲局 holds a national title (not listed by 2.3: counted as 省级) and is in its consolidation years.
        await Report(units[0], "7", new Facts { Cases = [new Case("7.1", "全国民族团结进步示范单位", Level.National)] });
        await Report(units[0], "6", new Facts { Flags = [Flags.Consolidation], TitleLevel = Level.National });
        // 乙局 claims consolidation with a county title only: the exemption does not hold and the clause is scored as usual.
        await Report(units[1], "7", new Facts { Cases = [new Case("7.1", "县级示范单位", Level.County)] });
        await Report(units[1], "6", new Facts { Flags = [Flags.Consolidation], TitleLevel = Level.County });

        var ranking = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaign}/ranking");
        var totals = ranking!["rows"]!.AsArray().ToDictionary(r => (string)r!["unit"]!, r => (decimal)r!["total"]!);
        var application = app.Services.GetRequiredService<ProgrammeCatalog>().Find("taijiang-2022")!.Items.Single(i => i.No == 6).Points;
        Assert.Equal(Rule(7).PointsFor(Level.Province) + application, totals[units[0]]);
        Assert.Equal(Rule(7).PointsFor(Level.County), totals[units[1]]);

        // The reviewed facts keep the title level (stored, read back as the unit entered it).
        Assert.Equal(1, app.WithDb(db => db.Facts.Count(f => f.CampaignId == campaign && f.Subject == units[0] && f.Kind == "titleLevel" && f.Layer == Web.Scoring.FactLayer.Reviewed)));
    }

    [Fact]
    public async Task A_title_level_that_is_not_a_level_is_refused_in_chinese()
    {
        var office = await app.ClientFor(Roles.Office);
        var response = await office.PostAsync("/api/programmes/taijiang-2022/score",
            new StringContent("""{"flags":["consolidation"],"titleLevel":"galactic"}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }
}
