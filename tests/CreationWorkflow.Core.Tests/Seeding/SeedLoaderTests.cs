namespace CreationWorkflow.Core.Tests.Seeding;

/// <summary>Broken seed files: each fault is reported with file, JSON path and reason.</summary>
public sealed class SeedLoaderTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "cw-seed-" + Guid.NewGuid().ToString("N"));
    private string Folder => Path.Combine(root, "hechi-2021");

    public SeedLoaderTests()
    {
        Directory.CreateDirectory(Folder);
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Seed, "hechi-2021")))
        {
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Edit(string file, Action<JsonNode> change)
    {
        var path = Path.Combine(Folder, file);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        change(node);
        File.WriteAllText(path, node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private SeedError SingleError()
    {
        var ex = Assert.Throws<SeedException>(() => SeedLoader.LoadAll(root));
        return Assert.Single(ex.Errors);
    }

    [Fact]
    public void The_unchanged_copy_loads()
    {
        var programme = Assert.Single(SeedLoader.LoadAll(root));
        Assert.Equal("hechi-2021", programme.Id);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line()
    {
        var path = Path.Combine(Folder, "targets.json");
        var lines = File.ReadAllLines(path);
        lines[3] = lines[3].Replace("\",", "\"", StringComparison.Ordinal); // drop a comma
        File.WriteAllLines(path, lines);
        var e = SingleError();
        Assert.Equal("seed/hechi-2021/targets.json", e.File);
        Assert.NotNull(e.Line);
        Assert.InRange(e.Line!.Value, 4, 6);
    }

    [Fact]
    public void Unknown_unit_name_is_refused_with_its_path()
    {
        Edit("items.json", n => n[6]!["lead"]![2] = "市委党校x");
        var e = SingleError();
        Assert.Equal(("seed/hechi-2021/items.json", "$[6].lead[2]"), (e.File, e.Path));
        Assert.Contains("unknown unit '市委党校x'", e.Reason);
    }

    [Fact]
    public void Duplicate_item_numbers_are_refused()
    {
        Edit("items.json", n => n[9]!["no"] = 9);
        var ex = Assert.Throws<SeedException>(() => SeedLoader.LoadAll(root));
        Assert.Contains(ex.Errors, e => e.Path == "$[9]" && e.Reason.Contains("duplicate item number 9"));
    }

    [Fact]
    public void Points_that_do_not_sum_to_100_are_refused()
    {
        Edit("items.json", n =>
        {
            n[1]!["points"] = 4;
            n[1]!["rules"]![0]!["points"] = 4;
        });
        var e = SingleError();
        Assert.Equal(("$", "seed/hechi-2021/items.json"), (e.Path, e.File));
        Assert.Contains("sum to 101", e.Reason);
    }

    [Fact]
    public void Rules_that_do_not_give_the_item_points_are_refused()
    {
        Edit("items.json", n => n[0]!["rules"]![0]!["points"] = 2);
        var ex = Assert.Throws<SeedException>(() => SeedLoader.LoadAll(root));
        Assert.Contains(ex.Errors, e => e.Path == "$[0].rules" && e.Reason.Contains("at most 4 points but the item has 3"));
    }

    [Fact]
    public void Unknown_rule_kind_is_refused_with_the_known_kinds()
    {
        Edit("items.json", n => n[4]!["rules"]![1]!["kind"] = "magic");
        var e = SingleError();
        Assert.Equal("seed/hechi-2021/items.json", e.File);
        Assert.StartsWith("$[4].rules[1]", e.Path);
        Assert.Contains("unknown rule kind 'magic'", e.Reason);
        Assert.Contains("tier", e.Reason);
    }

    [Fact]
    public void Unknown_property_is_refused()
    {
        Edit("programme.json", n => n["gate"]!["minScroe"] = 90);
        var e = SingleError();
        Assert.Equal("seed/hechi-2021/programme.json", e.File);
        Assert.Contains("minScroe", e.Reason);
    }

    [Fact]
    public void Duplicate_rule_ids_and_bad_tiers_are_all_reported_together()
    {
        Edit("items.json", n =>
        {
            n[1]!["rules"]![0]!["id"] = "1.1";
            n[6]!["rules"]![1]!["tiers"]![1]!["min"] = 95;
        });
        var ex = Assert.Throws<SeedException>(() => SeedLoader.LoadAll(root));
        Assert.Contains(ex.Errors, e => e.Path == "$[1].rules[0].id" && e.Reason.Contains("duplicate rule id '1.1'"));
        Assert.Contains(ex.Errors, e => e.Path == "$[6].rules[1].tiers[1]" && e.Reason.Contains("highest first"));
    }

    [Fact]
    public void A_missing_required_file_is_named()
    {
        File.Delete(Path.Combine(Folder, "targets.json"));
        var e = SingleError();
        Assert.Equal(("seed/hechi-2021/targets.json", "required file is missing"), (e.File, e.Reason));
    }

    [Fact]
    public void A_gate_on_an_unknown_phase_and_a_bad_month_are_refused()
    {
        Edit("programme.json", n =>
        {
            n["gate"]!["phase"] = "harvest";
            n["phases"]![1]!["end"] = "2022-13";
        });
        var ex = Assert.Throws<SeedException>(() => SeedLoader.LoadAll(root));
        Assert.Contains(ex.Errors, e => e.Path == "$.gate.phase" && e.Reason.Contains("harvest"));
        Assert.Contains(ex.Errors, e => e.Path == "$.phases[1].end" && e.Reason.Contains("yyyy-MM"));
        Assert.All(ex.Errors, e => Assert.Equal("seed/hechi-2021/programme.json", e.File));
    }

    [Fact]
    public void The_message_lists_every_error_with_file_path_and_reason()
    {
        Edit("items.json", n => n[6]!["lead"]![2] = "无此单位");
        var ex = Assert.Throws<SeedException>(() => SeedLoader.LoadAll(root));
        Assert.Contains("seed/hechi-2021/items.json $[6].lead[2]: unknown unit '无此单位'", ex.Message);
    }
}
