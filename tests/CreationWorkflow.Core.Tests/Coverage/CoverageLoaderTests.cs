using CreationWorkflow.Core.Coverage;

namespace CreationWorkflow.Core.Tests.Coverage;

/// <summary>seed/coverage: the shipped definition loads, every target and field carries a source, and a broken file names each fault.</summary>
public class CoverageLoaderTests
{
    /// <summary>Loading a seed folder whose coverage/ holds only <paramref name="files"/> (name, JSON) fails; the folder is deleted after.</summary>
    private static SeedException Refused(params (string Name, string Json)[] files)
    {
        var root = Path.Combine(Path.GetTempPath(), "cw-coverage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, CoverageLoader.Folder));
        try
        {
            foreach (var (name, json) in files)
            {
                File.WriteAllText(Path.Combine(root, CoverageLoader.Folder, name), json);
            }
            return Assert.Throws<SeedException>(() => CoverageLoader.LoadAll(root, Repo.Programmes));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_Hechi_definition_loads_with_its_divisions_fields_targets_and_rule()
    {
        var definition = Assert.Single(CoverageLoader.LoadAll(Repo.Seed, Repo.Programmes));
        Assert.Equal("hechi-2021", definition.ProgrammeId);
        // The divisions are the programme's county units, as units.json lists them.
        Assert.Equal(Repo.Hechi.Units.Units.Where(u => u.Kind == Core.Programmes.UnitKind.County).Select(u => u.Name), definition.Divisions);
        // Task 12's 7+N fields are all there (key-tasks.json carries them), under the same names.
        var task12 = Repo.Hechi.KeyTasks.Single(t => t.No == 12).Fields!;
        Assert.All(task12, name => Assert.NotNull(definition.FindField(name)));
        Assert.Equal("47.1", definition.Rule);
        Assert.Equal(47, definition.ItemNo);
        Assert.All(definition.Targets, t => Assert.Equal("003_08ee506f8db0d7a8.txt", t.Source.File));
        Assert.All(definition.Targets, t => Assert.False(string.IsNullOrEmpty(t.Source.Lines)));
        // Both readings of the key-unit target are kept, each with its own clause.
        Assert.Contains(definition.Targets, t => t.Id == "key-units-13" && t.Min == 90m);
        Assert.Contains(definition.Targets, t => t.Id == "key-units-47" && t.Min == 100m && t.Rule == "47.1");
        // Adding the definition changes no programme: the folder is not one.
        Assert.Contains(CoverageLoader.Folder, SeedLoader.NonProgrammeFolders);
    }

    [Fact]
    public void A_broken_definition_names_every_fault_with_its_path()
    {
        var ex = Refused(
            ("hechi-2021.json", """
            {
              "programme": "hechi-2021", "divisions": "county",
              "source": { "file": "003_08ee506f8db0d7a8.txt", "section": "二" },
              "fields": [
                { "id": "organs", "name": "机关", "source": { "file": "003_08ee506f8db0d7a8.txt", "section": "12" } },
                { "id": "organs", "name": "学校", "source": { "file": "003_08ee506f8db0d7a8.txt", "section": "12", "lines": "9-3" } }
              ],
              "targets": [
                { "id": "a", "kind": "coverage", "min": 120, "text": "x", "fields": ["nowhere"], "source": { "file": "f", "section": "s" } },
                { "id": "b", "kind": "demonstrationUnits", "min": 300, "text": "y", "rule": "99.9", "source": { "file": "f", "section": "s" } },
                { "id": "c", "kind": "coverage", "min": 50, "text": "z", "rule": "7.2", "source": { "file": "f", "section": "s" } }
              ]
            }
            """));
        var faults = ex.Errors.Select(e => $"{e.Path}: {e.Reason}").ToList();
        Assert.Contains(faults, f => f.StartsWith("$.fields[1].id: duplicate field id 'organs'", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("$.fields[1].source.lines:", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("$.targets[0].min:", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("$.targets[0].fields[0]: unknown field 'nowhere'", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("$.targets[1].levels:", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("$.targets[1].fromYear:", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("$.targets[1].rule: unknown rule '99.9'", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("$.targets[2].rule: rule '7.2' is not a check rule", StringComparison.Ordinal));
        Assert.All(ex.Errors, e => Assert.Equal("seed/coverage/hechi-2021.json", e.File));
    }

    [Fact]
    public void An_unknown_property_or_programme_is_refused()
    {
        var ex = Refused(
            ("nowhere.json", """
            { "programme": "nowhere", "divisions": "county", "source": { "file": "f", "section": "s" }, "fields": [], "targets": [] }
            """),
            ("hechi-2021.json", """
            { "programme": "hechi-2021", "divisions": "county", "colour": "red", "source": { "file": "f", "section": "s" }, "fields": [], "targets": [] }
            """));
        Assert.Contains(ex.Errors, e => e.File == "seed/coverage/hechi-2021.json" && e.Reason == "unknown property 'colour'");
        Assert.Contains(ex.Errors, e => e.File == "seed/coverage/nowhere.json" && e.Reason.StartsWith("unknown programme 'nowhere'", StringComparison.Ordinal));
    }
}
