using CreationWorkflow.Core.Seeding;

namespace CreationWorkflow.Web.Tests;

/// <summary>The host started for real: pages, API, OpenAPI, and what it stores in its SQLite file.</summary>
public sealed class HostTests() : HostTest(new AppFactory())
{
    [Fact]
    public async Task Items_page_lists_targets_indicators_and_items_in_chinese()
    {
        var client = await App.ClientFor(Roles.Office);
        var html = await client.GetStringAsync("/programmes/hechi-2021");
        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains("坚持和加强党对民族团结进步的全面领导", html);
        Assert.Contains("（十八）", html);
        Assert.Equal(50, CountOccurrences(html, "id=\"item-"));
        Assert.Contains("牵头单位", html);
        Assert.Contains("市民宗委", html);
        Assert.Contains("知晓率：≥90%得2分", html);
        Assert.Contains("加分事项", html);

        var home = await client.GetStringAsync("/");
        Assert.Contains("/programmes/taijiang-2022", home);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/programmes/nowhere")).StatusCode);
    }

    [Fact]
    public async Task Api_lists_programmes_and_items_whose_points_sum_to_100()
    {
        var client = await App.ClientFor(Roles.Office);
        var programmes = await client.GetFromJsonAsync<JsonArray>("/api/programmes");
        Assert.Equal(["hechi-2021", "taijiang-2022"], programmes!.Select(p => (string)p!["id"]!));
        Assert.Equal("city", (string)programmes![0]!["subject"]!);

        var items = await client.GetFromJsonAsync<JsonObject>("/api/programmes/hechi-2021/items");
        var targets = items!["targets"]!.AsArray();
        Assert.Equal(6, targets.Count);
        Assert.Equal(100m, targets.Sum(t => (decimal)t!["points"]!));
        var all = targets.SelectMany(t => t!["indicators"]!.AsArray()).SelectMany(i => i!["items"]!.AsArray()).ToList();
        Assert.Equal(50, all.Count);
        Assert.Equal("tier", (string)all[6]!["rules"]![1]!["kind"]!);
        Assert.Equal(5, items["bonus"]!.AsArray().Count);

        var missing = await client.GetAsync("/api/programmes/nowhere/items");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("nowhere", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Score_endpoint_returns_totals_with_the_explanation_trail()
    {
        var client = await App.ClientFor(Roles.Office);
        var response = await client.PostAsJsonAsync("/api/programmes/hechi-2021/score", new
        {
            rates = new Dictionary<string, decimal> { ["7.2"] = 85 },
            checks = new Dictionary<string, bool> { ["1.1"] = true },
            cases = new object[] { new { rule = "B3.2", content = "经验" }, new { rule = "B3.3", content = "经验" }, new { rule = "P1.1", category = "other" } },
        });
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(2m, (decimal)result!["base"]!);
        Assert.Equal(2m, (decimal)result["bonus"]!);
        Assert.Equal(3m, (decimal)result["penalty"]!);
        Assert.Equal(1m, (decimal)result["total"]!);
        var item7 = result["items"]!.AsArray().Single(i => (int)i!["no"]! == 7)!;
        var line = item7["lines"]!.AsArray().Single(l => (string)l!["ruleId"]! == "7.2")!;
        Assert.Equal(1m, (decimal)line["points"]!);
        Assert.Contains("知晓率 85%", (string)line["fact"]!);
        Assert.Contains("003_08ee506f8db0d7a8.txt", (string)line["source"]!);
    }

    [Fact]
    public async Task Bad_facts_get_problem_details_naming_the_field()
    {
        var client = await App.ClientFor(Roles.Office);
        var unknownRule = await client.PostAsJsonAsync("/api/programmes/hechi-2021/score", new { counts = new Dictionary<string, int> { ["7.2"] = 3 } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownRule.StatusCode);
        var problem = await unknownRule.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("$.counts['7.2']", problem!["errors"]!.AsObject().Select(e => e.Key));

        var typo = await client.PostAsync("/api/programmes/hechi-2021/score",
            new StringContent("{\"ratse\": {}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        Assert.Contains("不认识的字段「ratse」", await typo.Content.ReadAsStringAsync()); // zh-CN since the bad-body work (was the seed's English)

        var wrongType = await client.PostAsync("/api/programmes/hechi-2021/score",
            new StringContent("{\"rates\": {\"7.2\": \"high\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("rates['7.2']", (await wrongType.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key)); // keyed by the member, as domain errors are
    }

    [Fact]
    public async Task Anonymous_callers_get_nothing_but_the_sign_in_page()
    {
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/programmes")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/programmes/hechi-2021/score", new { })).StatusCode);
        var page = await client.GetAsync("/programmes/hechi-2021");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
        var wrong = await client.PostAsJsonAsync("/api/auth/token", new { userName = "nobody", password = "wrong-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_api()
    {
        var doc = await App.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = doc!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/programmes", paths);
        Assert.Contains("/api/programmes/{id}/items", paths);
        Assert.Contains("/api/programmes/{id}/score", paths);
        Assert.NotNull(doc["paths"]!["/api/programmes/{id}/score"]!["post"]!["requestBody"]);
    }

    [Fact]
    public async Task Programmes_units_and_audit_are_stored_once_across_restarts()
    {
        await App.CreateClient().GetAsync("/api/programmes");
        var (versions, units, assumed, audit) = Snapshot(App);
        Assert.Equal(2, versions);
        Assert.Equal(67, units);
        Assert.True(assumed > 0);
        Assert.Equal("programme.loaded,programme.loaded", audit);
        Assert.True(File.Exists(Path.Combine(App.DataPath, "creationworkflow.db")));
        App.Dispose();

        using var again = App.Restart();
        await again.CreateClient().GetAsync("/api/programmes");
        Assert.Equal((versions, units, assumed, audit), Snapshot(again));
    }

    [Fact]
    public async Task A_changed_definition_becomes_a_new_version_with_an_audit_entry()
    {
        await App.CreateClient().GetAsync("/api/programmes");
        App.Dispose();
        var path = Path.Combine(App.SeedPath, "taijiang-2022", "programme.json");
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["title"] = (string)node["title"]! + "（修订）";
        File.WriteAllText(path, node.ToJsonString());

        using var again = App.Restart();
        await again.CreateClient().GetAsync("/api/programmes");
        var record = again.WithDb(db => db.Programmes.Include(p => p.Versions).Single(p => p.Id == "taijiang-2022"));
        Assert.Equal(2, record.CurrentVersion);
        Assert.EndsWith("（修订）", record.Title);
        Assert.Contains("programme.versioned", again.WithDb(db => db.Audit.Select(a => a.Action).ToList()));
    }

    [Fact]
    public async Task A_broken_seed_stops_start_up_naming_the_fault_and_stores_nothing()
    {
        await App.CreateClient().GetAsync("/api/programmes");
        var before = Snapshot(App);
        App.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var path = Path.Combine(App.SeedPath, "hechi-2021", "items.json");
        var items = JsonNode.Parse(File.ReadAllText(path))!;
        items[0]!["lead"]![0] = "不存在的单位";
        items[1]!["points"] = 4;
        File.WriteAllText(path, items.ToJsonString());

        // The real executable, as a user would start it.
        var (exitCode, stderr) = await HostProcess.RunUntilExitAsync(App.SeedPath, App.DataPath, TimeSpan.FromSeconds(90));
        Assert.Equal(1, exitCode);
        Assert.Contains("seed/hechi-2021/items.json $[0].lead[0]: unknown unit '不存在的单位'", stderr);
        Assert.Contains("seed/hechi-2021/items.json $[1].rules:", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal(before, SnapshotFile(App.DataPath));
    }

    private static (int Versions, int Units, int Assumed, string Audit) Snapshot(AppFactory f) =>
        f.WithDb(db => (db.ProgrammeVersions.Count(), db.Units.Count(), db.UnitGroupMembers.Count(m => m.Assumed),
            string.Join(",", db.Audit.Where(a => a.Entity == "programme").OrderBy(a => a.Id).Select(a => a.Action))));

    /// <summary>Reads the SQLite file directly, without starting a host.</summary>
    private static (int, int, int, string) SnapshotFile(string dataPath)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataPath, "creationworkflow.db")}");
        connection.Open();
        int Count(string sql)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToInt32(cmd.ExecuteScalar());
        }
        using var audit = connection.CreateCommand();
        audit.CommandText = "select Action from audit_log where Entity = 'programme' order by Id";
        var actions = new List<string>();
        using (var reader = audit.ExecuteReader())
        {
            while (reader.Read())
            {
                actions.Add(reader.GetString(0));
            }
        }
        return (Count("select count(*) from programme_versions"), Count("select count(*) from units"),
            Count("select count(*) from unit_group_members where Assumed = 1"), string.Join(",", actions));
    }

    private static int CountOccurrences(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    static HostTests() => _ = JsonSerializerOptions.Default;
}
