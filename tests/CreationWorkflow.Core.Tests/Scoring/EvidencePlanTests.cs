namespace CreationWorkflow.Core.Tests.Scoring;

/// <summary>
/// Issue 13 point 6: evidence by method. Every item of both seed programmes, its methods read from the programme's own
/// items.json (not the loader's copy) and its rules from the loaded programme; what each method asks is counted from them.
/// </summary>
public sealed class EvidencePlanTests
{
    public static TheoryData<string, int> Items()
    {
        var data = new TheoryData<string, int>();
        foreach (var p in new[] { Repo.Hechi, Repo.Taijiang })
        {
            foreach (var i in p.Items)
            {
                data.Add(p.Id, i.No);
            }
        }
        return data;
    }

    /// <summary>The methods an item names in seed/{programme}/items.json ("online", "onsite", "thirdParty").</summary>
    private static IReadOnlyList<EvaluationMethod> SeedMethods(string programme, int no)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Seed, programme, "items.json")));
        var item = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("no").GetInt32() == no);
        return !item.TryGetProperty("methods", out var m) ? [] : [.. m.EnumerateArray().Select(x => x.GetString() switch
        {
            "online" => EvaluationMethod.Online,
            "onsite" => EvaluationMethod.Onsite,
            "thirdParty" => EvaluationMethod.ThirdParty,
            var other => throw new InvalidOperationException(other),
        })];
    }

    private static Item ItemOf(string programme, int no) => Repo.Programmes[programme].Items.Single(i => i.No == no);

    private static readonly FiledEvidence Nothing = new(Facts.None, new Dictionary<string, int>(), [], new Dictionary<string, string>(), new Dictionary<string, string>());

    [Theory]
    [MemberData(nameof(Items))]
    public void Each_method_asks_for_its_own_evidence_and_nothing_filed_misses_all_of_it(string programme, int no)
    {
        var item = ItemOf(programme, no);
        var seed = SeedMethods(programme, no);
        Assert.Equal(seed, item.Methods ?? []);
        var methods = seed.Count == 0 ? [EvaluationMethod.Online] : seed; // no method named: checked on its documents
        var needs = EvidencePlan.For(item.Methods, item.Rules);

        Assert.Equal(methods.Contains(EvaluationMethod.Online) ? item.Rules.Count : 0, needs.Count(n => n.Kind == EvidenceKind.Data));
        Assert.Equal(methods.Contains(EvaluationMethod.Online) ? item.Rules.Count : 0, needs.Count(n => n.Kind == EvidenceKind.Documents));
        var onsite = methods.Contains(EvaluationMethod.Onsite) ? 1 : 0;
        Assert.Equal(onsite, needs.Count(n => n.Kind == EvidenceKind.Checklist));
        Assert.Equal(onsite, needs.Count(n => n.Kind == EvidenceKind.Photos));
        Assert.Equal(onsite, needs.Count(n => n.Kind == EvidenceKind.Place));
        var third = methods.Contains(EvaluationMethod.ThirdParty);
        Assert.Equal(third ? 1 : 0, needs.Count(n => n.Kind == EvidenceKind.Survey));
        var rated = item.Rules.OfType<TierRule>().Select(r => r.Id).ToList();
        Assert.Equal(!third ? [] : rated.Count == 0 ? [null] : rated.Select(r => (string?)r).ToList(),
            needs.Where(n => n.Kind == EvidenceKind.Results).Select(n => n.RuleId).ToList());
        Assert.Equal(needs.Count, needs.Select(n => n.Key).Distinct().Count());
        Assert.All(needs, n => Assert.Contains(n.Method, methods));

        Assert.Equal(needs, EvidencePlan.Missing(item.Methods, item.Rules, Nothing));
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void Filing_every_need_leaves_nothing_missing_and_each_taken_away_is_named(string programme, int no)
    {
        var item = ItemOf(programme, no);
        var full = Full(item.Rules);
        Assert.Empty(EvidencePlan.Missing(item.Methods, item.Rules, full));

        var needs = EvidencePlan.For(item.Methods, item.Rules);
        if (needs.FirstOrDefault(n => n.Kind == EvidenceKind.Documents) is { } documents)
        {
            var without = full with { FilesByRule = full.FilesByRule.Where(f => f.Key != documents.RuleId).ToDictionary() };
            Assert.Equal([documents], EvidencePlan.Missing(item.Methods, item.Rules, without));
        }
        if (needs.Any(n => n.Kind == EvidenceKind.Photos))
        {
            var noPhoto = full with { FileNames = ["会议纪要.pdf"] };
            Assert.Equal([EvidenceKind.Photos], EvidencePlan.Missing(item.Methods, item.Rules, noPhoto).Select(n => n.Kind));
            var noPlace = full with { Notes = full.Notes.Where(n => n.Key != EvidencePlan.PlaceNote).ToDictionary() };
            Assert.Equal([EvidenceKind.Place], EvidencePlan.Missing(item.Methods, item.Rules, noPlace).Select(n => n.Kind));
        }
        // The first rule's data gone: online misses its data, and the site checklist is no longer complete.
        var first = item.Rules[0];
        var gone = full with { Facts = Strip(full.Facts, first.Id) };
        var missing = EvidencePlan.Missing(item.Methods, item.Rules, gone).Select(n => n.Key).ToList();
        Assert.Equal(needs.Any(n => n.Kind == EvidenceKind.Data), missing.Contains($"online.data.{first.Id}"));
        Assert.Equal(needs.Any(n => n.Kind == EvidenceKind.Checklist), missing.Contains("onsite.checklist"));
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void The_checklist_has_a_line_per_rule_asking_what_the_methods_need(string programme, int no)
    {
        var item = ItemOf(programme, no);
        var lines = EvidencePlan.Checklist(item.Methods, item.Rules);
        Assert.Equal(item.Rules.Select(r => r.Id), lines.Select(l => l.RuleId));
        var needs = EvidencePlan.For(item.Methods, item.Rules);
        foreach (var line in lines)
        {
            var expected = needs.Where(n => n.RuleId == line.RuleId || n.RuleId is null && n.Kind != EvidenceKind.Checklist).Select(n => n.Text);
            Assert.Equal(expected.Order(), line.Asks.Order());
        }
    }

    [Fact]
    public void Only_image_files_count_as_site_photos()
    {
        Assert.True(EvidencePlan.IsPhoto("现场.JPG"));
        Assert.True(EvidencePlan.IsPhoto("a.jpeg"));
        Assert.False(EvidencePlan.IsPhoto("照片.pdf"));
        Assert.False(EvidencePlan.IsPhoto("jpg"));
    }

    /// <summary>Facts for every rule, a file per rule, a photo, every note and every survey source.</summary>
    private static FiledEvidence Full(IReadOnlyList<Rule> rules)
    {
        var checks = new Dictionary<string, bool>();
        var rates = new Dictionary<string, decimal>();
        var counts = new Dictionary<string, int>();
        var people = new Dictionary<string, PeopleCount>();
        var cases = new List<Case>();
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case CheckRule: checks[rule.Id] = true; break;
                case TierRule: rates[rule.Id] = 90m; break;
                case CountRule or StaffCountRule: counts[rule.Id] = 1; break;
                case PerPersonRule: people[rule.Id] = new PeopleCount(1, 1); break;
                default: cases.Add(new Case(rule.Id, "事例")); break;
            }
        }
        return new FiledEvidence(
            new Facts { Checks = checks, Rates = rates, Counts = counts, People = people, Cases = cases },
            rules.ToDictionary(r => r.Id, _ => 1),
            ["现场.jpg", "台账.pdf"],
            rules.OfType<TierRule>().ToDictionary(r => r.Id, _ => "某调查机构，2023年5月，样本1000人"),
            EvidencePlan.NoteKeys.ToDictionary(k => k, k => $"{k}说明"));
    }

    private static Facts Strip(Facts f, string rule) => f with
    {
        Checks = f.Checks.Where(x => x.Key != rule).ToDictionary(),
        Rates = f.Rates.Where(x => x.Key != rule).ToDictionary(),
        Counts = f.Counts.Where(x => x.Key != rule).ToDictionary(),
        People = f.People.Where(x => x.Key != rule).ToDictionary(),
        Cases = [.. f.Cases.Where(c => c.Rule != rule)],
    };
}
