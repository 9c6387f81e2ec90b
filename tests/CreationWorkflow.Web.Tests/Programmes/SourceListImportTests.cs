using CreationWorkflow.Core.Programmes.Lists;
using CreationWorkflow.Core.Seeding;

namespace CreationWorkflow.Web.Tests.Programmes;

/// <summary>
/// Issue 12 "what it must show": both source lists (Hechi's 附件2 with its 奖惩清单, Taijiang's indicators with the 负面清单)
/// laid out as real XLSX and DOCX files from the documents' own text (<see cref="SourceLists"/>), imported through the real
/// upload, file reader, list parser and clause reader, and compared with seed/ rule by rule: every entry's rules equal
/// seed/'s (kind, id, points, tiers, caps, levels, deductions, categories, exemption, clause), or the entry is flagged;
/// never a points total that differs from 分值 without a flag. Prints the per-kind tally docs/list-format.md shows.
/// </summary>
public sealed class SourceListImportTests(ClassHost host, ITestOutputHelper output) : IClassFixture<ClassHost>
{
    private readonly AppFactory app = host.App;

    private Programme Seed(string id) => app.Services.GetRequiredService<ProgrammeCatalog>().Find(id)!;

    private SourceList Layout(string id) => id == "hechi-2021" ? SourceLists.Hechi(Seed(id)) : SourceLists.Taijiang(Seed(id));

    /// <summary>What the measurement found: flagged entries (all with seed/'s rules) per programme; every other entry the same, unflagged.</summary>
    private static readonly Dictionary<string, string[]> Flagged = new() { ["hechi-2021"] = ["47"], ["taijiang-2022"] = ["20"] };

    [Theory]
    [InlineData("hechi-2021", "xlsx")]
    [InlineData("hechi-2021", "docx")]
    [InlineData("taijiang-2022", "xlsx")]
    [InlineData("taijiang-2022", "docx")]
    public async Task A_source_list_imports_into_seed_rules_or_flags(string id, string format)
    {
        var seed = Seed(id);
        var layout = Layout(id);
        // The layout really is the document's: Hechi's cells are the printed ones but for the three garbled rows.
        if (id == "hechi-2021")
        {
            Assert.Equal(["4", "6", "7"], layout.ContentFromSeed);
            Assert.Equal(["4", "6", "7"], layout.PointsFromSeed);
            Assert.Contains(layout.Rows, r => r.Length > 2 && r[2] is { } c && c.Contains("（得 1分）", StringComparison.Ordinal) && c.Contains('\n'));
        }
        else
        {
            Assert.Empty(layout.ContentFromSeed);
        }
        var bytes = format == "xlsx" ? ListFileBuilder.Xlsx(layout.Rows, layout.Merges) : ListFileBuilder.Docx(layout.Rows);
        var office = await app.ClientFor(Roles.Office);
        var programmeId = $"src-{id[..id.IndexOf('-')]}-{format}";
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(bytes), "file", $"{id}.{format}" }, { new StringContent(programmeId), "programmeId" },
            { new StringContent(seed.Header.Title), "title" }, { new StringContent(id), "baseProgramme" },
        };
        var response = await office.PostAsync("/api/programmes/imports", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var view = JsonNode.Parse(body)!;
        var draftId = Guid.Parse((string)view["id"]!);
        var draft = JsonSerializer.Deserialize<ListDraft>(app.WithDb(db => db.ImportDrafts.Single(d => d.Id == draftId).Json), SeedJson.Options)!;

        // Structure: targets, indicators and entries as seed/ has them.
        Assert.Equal(seed.Targets.Select(t => (t.Name, t.Indicators.Count)), draft.Targets.Select(t => (t.Name, t.Indicators.Count)));
        Assert.Equal(seed.Targets.SelectMany(t => t.Indicators).Select(i => i.Name), draft.Targets.SelectMany(t => t.Indicators).Select(i => i.Name));
        var expected = Expected(seed);
        Assert.Equal(expected.Select(e => e.Key), draft.Entries.Select(e => e.Key));
        Assert.Empty(draft.Units); // every unit of the list is in the base programme's directory

        var tally = new List<(string Kind, string Verdict)>();
        foreach (var (entry, want) in draft.Entries.Zip(expected))
        {
            Assert.Equal(Compact(want.Text), Compact(entry.Text)); // numbering off, lines joined, the printed words kept
            Assert.Equal(want.Points, entry.Points);               // full-width 分值 read as numbers
            Assert.Equal(want.Indicator, entry.Indicator);
            if (entry.Section == ListSection.Item)
            {
                Assert.Equal(want.Lead, entry.Lead);
                Assert.Equal(want.Responsible, entry.Responsible);
                Assert.Equal(want.Methods, entry.Methods);
            }
            var same = entry.Rules.Count == want.Rules.Count && entry.Rules.Zip(want.Rules).All(p => Shape(p.First) == Shape(p.Second));
            var flagged = entry.Flags.Count > 0;
            // Never a wrong proposal without a flag, never a points total off 分值 without one.
            Assert.True(same || flagged, $"{entry.Key}: {string.Join("; ", entry.Rules.Select(Shape))} ≠ seed {string.Join("; ", want.Rules.Select(Shape))}");
            if (entry.Section == ListSection.Item && entry.Rules.Sum(r => r.MaxPoints) != entry.Points)
            {
                Assert.True(flagged, $"{entry.Key}: rules total {entry.Rules.Sum(r => r.MaxPoints)} ≠ 分值 {entry.Points}, unflagged");
            }
            foreach (var rule in want.Rules)
            {
                var read = entry.Rules.FirstOrDefault(r => r.Id == rule.Id);
                tally.Add((Rule.Kinds[Array.IndexOf(Kinds, rule.GetType())], read is not null && Shape(read) == Shape(rule) ? (flagged ? "flagged" : "reproduced") : flagged ? "flagged" : "wrong"));
            }
        }
        // Today's reading: every entry reproduced, only the documents' two ambiguous items flagged (with seed/'s rules).
        Assert.Equal(Flagged[id], draft.Entries.Where(e => e.Flags.Count > 0).Select(e => e.Key));
        Assert.All(draft.Entries, e => Assert.Equal(expected.Single(x => x.Key == e.Key).Rules.Select(Shape), e.Rules.Select(Shape)));
        // What stops publishing is those flags alone (one problem per flag): no unit, total or points fault.
        var problems = view["problems"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Equal(draft.Entries.Sum(e => e.Flags.Count), problems.Count);
        Assert.All(problems, p => Assert.Contains("请核定规则", p, StringComparison.Ordinal));
        Assert.Equal(seed.Items.Sum(i => i.Points), (decimal)view["totals"]!["items"]!);

        output.WriteLine($"{id} {format}: " + string.Join(", ", tally.GroupBy(t => t.Kind).OrderBy(g => Rule.Kinds.ToList().IndexOf(g.Key))
            .Select(g => $"{g.Key} {g.Count()} ({g.Count(t => t.Verdict == "reproduced")} reproduced, {g.Count(t => t.Verdict == "flagged")} flagged, {g.Count(t => t.Verdict == "wrong")} wrong)")));
        Assert.DoesNotContain(tally, t => t.Verdict == "wrong");

        // The office confirms the flagged readings as proposed and publishes: the programme scores as seed/'s does.
        foreach (var key in Flagged[id])
        {
            var rules = draft.Entries.Single(e => e.Key == key).Rules;
            var put = await office.PutAsync($"/api/programmes/imports/{draftId}/entries/{key}/rules",
                new StringContent(JsonSerializer.Serialize(new { rules }, SeedJson.Options), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        var published = await office.PostAsync($"/api/programmes/imports/{draftId}/publish", null);
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        var imported = Seed(programmeId);
        Assert.Equal(seed.Items.SelectMany(i => i.Rules).Select(Shape), imported.Items.SelectMany(i => i.Rules).Select(Shape));
        Assert.Equal(seed.AllAdjustments.SelectMany(a => a.Item.Rules).Select(Shape), imported.AllAdjustments.SelectMany(a => a.Item.Rules).Select(Shape));
        var full = FullMarks(seed);
        Assert.Equal(ScoringEngine.Score(seed, full).Total, ScoringEngine.Score(imported, full).Total);
    }

    private static readonly Type[] Kinds = [typeof(CheckRule), typeof(TierRule), typeof(CountRule), typeof(StaffCountRule), typeof(PerPersonRule), typeof(LevelRule), typeof(PerCaseRule), typeof(OnceRule)];

    private sealed record Want(string Key, ListSection Section, int Indicator, string Text, decimal Points, IReadOnlyList<string> Lead,
        IReadOnlyList<string> Responsible, IReadOnlyList<EvaluationMethod> Methods, IReadOnlyList<Rule> Rules);

    private static List<Want> Expected(Programme p)
    {
        var list = p.Items.Select(i => new Want(i.No.ToString(), ListSection.Item, i.Indicator, i.Text, i.Points, i.LeadUnits, i.ResponsibleUnits, i.Methods ?? [], i.Rules)).ToList();
        foreach (var (kind, a) in p.AllAdjustments)
        {
            var section = kind switch { AdjustmentKind.Bonus => ListSection.Bonus, AdjustmentKind.Penalty => ListSection.Penalty, _ => ListSection.Negative };
            list.Add(new Want(ListEntry.KeyOf(section, a.No), section, 0, a.Text, 0m, a.Lead ?? [], a.Responsible ?? [], a.Methods ?? [], a.Rules));
        }
        return list;
    }

    /// <summary>Facts that earn every rule's most (checks held, counts met, top tiers, cases at the top level).</summary>
    private static Facts FullMarks(Programme p)
    {
        var rules = p.Items.SelectMany(i => i.Rules).ToList();
        return new Facts
        {
            Checks = rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true),
            Rates = rules.OfType<TierRule>().ToDictionary(r => r.Id, _ => 100m),
            Counts = rules.OfType<CountRule>().ToDictionary(r => r.Id, r => r.Min)
                .Concat(rules.OfType<StaffCountRule>().ToDictionary(r => r.Id, r => r.Requirements[0].Required)).ToDictionary(),
            StaffSize = rules.OfType<StaffCountRule>().Select(r => (int?)r.Requirements[0].MinStaff).FirstOrDefault(),
            People = rules.OfType<PerPersonRule>().ToDictionary(r => r.Id, _ => new PeopleCount(5, 5)),
            Cases = [.. rules.OfType<LevelRule>().SelectMany(r => Enumerable.Range(1, 5).Select(k => new Case(r.Id, $"案例{k}", r.Levels.MaxBy(l => l.Points)!.Level)))],
        };
    }

    private static string Compact(string s) => Regex.Replace(s, @"\s+", "");

    /// <summary>Everything that scores, and the clause compared without whitespace and a closing separator (as the measurement does).</summary>
    private static string Shape(Rule rule)
    {
        var node = JsonSerializer.SerializeToNode(rule, SeedJson.Options)!;
        void Normalise(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                if (o["text"] is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    o["text"] = Compact(text).TrimEnd('，', '。', '；', '：', ',', ';', ':', '、');
                }
                foreach (var (_, child) in o.ToList())
                {
                    Normalise(child);
                }
            }
            else if (n is JsonArray a)
            {
                foreach (var child in a)
                {
                    Normalise(child);
                }
            }
        }
        Normalise(node);
        var json = node.ToJsonString();
        return Regex.Replace(json, @"(\d+)\.0+(?=[,}\]])|(\d+\.\d*?[1-9])0+(?=[,}\]])", m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
    }
}
