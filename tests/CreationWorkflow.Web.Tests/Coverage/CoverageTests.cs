using CreationWorkflow.Core.Coverage;

namespace CreationWorkflow.Web.Tests.Coverage;

/// <summary>
/// Coverage over the real host from places and denominators this test enters, against the targets of seed/coverage;
/// the expected figures are worked out here from the same inputs (never typed in), then item 47's check is proposed from
/// the register and confirmed by its lead unit.
/// </summary>
public sealed class CoverageTests(CoverageWorld world) : IClassFixture<CoverageWorld>
{
    private sealed record Entered(string Division, string Field, string Name, PlaceState State, Level? Level, int? Year, bool TenHundred, bool Approved)
    {
        public long Id { get; set; }
    }

    private readonly List<Entered> places = [];
    private readonly Dictionary<(string Division, string Field), int> denominators = [];

    private async Task EnterAsync(HttpClient client, string division, string field, string name, PlaceState state, Level? level = null, int? year = null, bool tenHundred = false)
    {
        var view = await CoverageWorld.AddAsync(client, new
        {
            division, field, name, state, level, namedOn = year is { } y ? $"{y}-03-31" : null, tenHundred,
        });
        places.Add(new Entered(division, field, name, state, level, year, tenHundred, client == world.Office) { Id = (long)view["id"]! });
    }

    private async Task DenominatorAsync(string division, string field, int count)
    {
        await CoverageWorld.OkAsync(await world.Office.PutAsJsonAsync(CoverageWorld.Api("denominators"), new { division, field, count, source = $"{division}统计台账" }));
        denominators[(division, field)] = count;
    }

    /// <summary>What a target should read, worked from this test's inputs: (numerator, denominator or null, met).</summary>
    private (int Numerator, int? Denominator, bool Met) Expected(CoverageTarget t, int year)
    {
        var d = CoverageWorld.Definition;
        var counted = places.Where(p => p.Approved).ToList();
        bool Covered(Entered p) => p.State != PlaceState.NotStarted;
        switch (t.Kind)
        {
            case CoverageTargetKind.Coverage:
                var fields = t.Fields ?? d.Fields.Select(f => f.Id).Where(f => !d.Targets.Any(x => x.Kind == CoverageTargetKind.DivisionsNamed && x.Fields!.Contains(f))).ToList();
                var cells = d.Divisions.SelectMany(div => fields.Select(f => (div, f))).ToList();
                var known = cells.Where(denominators.ContainsKey).ToList();
                var num = counted.Count(p => Covered(p) && known.Contains((p.Division, p.Field)));
                var den = known.Sum(c => denominators[c]);
                return (num, den, known.Count == cells.Count && (den == 0 || num * 100m >= t.Min * den));
            case CoverageTargetKind.DivisionsNamed:
                var named = d.Divisions.Count(div => counted.Any(p => p.Division == div && t.Fields!.Contains(p.Field) && p.State == PlaceState.Named && t.Levels!.Contains(p.Level!.Value)));
                return (named, d.Divisions.Count, named * 100m >= t.Min * d.Divisions.Count);
            case CoverageTargetKind.Participation:
                var each = t.Fields!.Select(f => counted.Count(p => p.Field == f && Covered(p))).ToList();
                return (each.Min(), null, each.All(n => n >= t.Min));
            case CoverageTargetKind.DemonstrationUnits:
                var units = counted.Count(p => p.State == PlaceState.Named && t.Levels!.Contains(p.Level!.Value) && p.Year >= t.FromYear && p.Year <= t.ToYear);
                return (units, null, units >= t.Min);
            default:
                var years = Enumerable.Range(t.FromYear!.Value, t.ToYear!.Value - t.FromYear.Value + 1)
                    .Select(y => (y, n: counted.Count(p => p.TenHundred && p.State == PlaceState.Named && p.Year == y))).ToList();
                return (years.Sum(x => x.n), null, years.Where(x => x.y <= year).All(x => x.n >= t.Min));
        }
    }

    private async Task<JsonObject> CheckReportAsync()
    {
        var report = await CoverageWorld.OkAsync(await world.Leader.GetAsync(CoverageWorld.Api("coverage")));
        var targets = report["report"]!["targets"]!.AsArray();
        Assert.Equal(CoverageWorld.Definition.Targets.Count, targets.Count);
        foreach (var t in CoverageWorld.Definition.Targets)
        {
            var shown = targets.Single(x => (string)x!["target"]!["id"]! == t.Id)!;
            var (numerator, denominator, met) = Expected(t, 2023);
            Assert.True((numerator, met) == ((int)shown["numerator"]!, (bool)shown["met"]!), $"{t.Id}: expected {numerator} met={met}, shown {shown.ToJsonString()}");
            if (denominator is { } den)
            {
                Assert.Equal(den, (int)shown["denominator"]!);
            }
            Assert.Equal(t.Source.Lines, (string)shown["target"]!["source"]!["lines"]!);
        }
        var cell = report["report"]!["cells"]!.AsArray().Single(c => (string)c!["division"]! == CoverageWorld.Jinchengjiang && (string)c!["field"]! == "organs")!;
        Assert.Equal(places.Count(p => p.Approved && p is { Division: CoverageWorld.Jinchengjiang, Field: "organs" } && p.State != PlaceState.NotStarted), (int)cell["covered"]!);
        return report;
    }

    private bool RuleMet() => CoverageWorld.Definition.Targets.Where(t => t.Rule == CoverageWorld.Definition.Rule).All(t => Expected(t, 2023).Met);

    [Fact]
    public async Task Coverage_and_item_47_follow_the_entered_places_and_denominators()
    {
        const string jcj = CoverageWorld.Jinchengjiang, yz = CoverageWorld.Yizhou;
        await DenominatorAsync(jcj, "organs", 4);
        await DenominatorAsync(jcj, "townships", 2);
        await DenominatorAsync(jcj, "schools", 3);
        await DenominatorAsync(jcj, "villages", 5);
        await DenominatorAsync(yz, "organs", 2);
        for (var i = 1; i <= 3; i++)
        {
            await EnterAsync(world.Office, jcj, "organs", $"金城江机关{i}", PlaceState.Creating);
            await EnterAsync(world.Office, jcj, "schools", $"金城江学校{i}", PlaceState.Creating);
        }
        await EnterAsync(world.Office, jcj, "organs", "金城江机关4", PlaceState.NotStarted);
        await EnterAsync(world.Office, jcj, "townships", "金城江镇1", PlaceState.Accepted);
        await EnterAsync(world.Office, jcj, "townships", "金城江镇2", PlaceState.Accepted);
        await EnterAsync(world.Office, jcj, "villages", "金城江村1", PlaceState.Named, Level.Prefecture, 2022, tenHundred: true);
        await EnterAsync(world.Office, jcj, "villages", "金城江村2", PlaceState.Named, Level.Prefecture, 2023, tenHundred: true);
        await EnterAsync(world.Office, jcj, "villages", "金城江村3", PlaceState.Creating);
        await EnterAsync(world.Office, yz, "organs", "宜州机关1", PlaceState.Creating);
        await EnterAsync(world.Office, yz, "organs", "宜州机关2", PlaceState.Creating);
        await EnterAsync(world.Office, jcj, "county", "金城江区", PlaceState.Named, Level.National, 2023);
        await EnterAsync(world.County, jcj, "villages", "金城江待审核村", PlaceState.Creating); // a county's entry: not counted until reviewed

        // Most denominators are missing: the percent targets are short; the counts follow the places.
        var first = await CheckReportAsync();
        Assert.Equal(1, first["waiting"]!.AsArray().Single(w => (string)w!["division"]! == jcj)!["pending"]!.GetValue<int>());
        Assert.False(RuleMet());

        using var patient = await world.App.PatientClientFor(Web.Accounts.Roles.Office);
        var campaign = await AppFactory.StartCampaignAsync(patient, CoverageWorld.Programme, "2021-12-01", workflowVersion: 2);
        var proposal = await CoverageWorld.OkAsync(await world.LeadUnit.GetAsync($"/api/campaigns/{campaign}/coverage/proposal"));
        Assert.Equal((false, true, "47", "47.1"), ((bool)proposal["met"]!, (bool)proposal["canConfirm"]!, (string)proposal["item"]!, (string)proposal["rule"]!));
        Assert.Equal(CoverageWorld.Definition.Targets.Count(t => t.Rule == "47.1"), proposal["targets"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.County.GetAsync($"/api/campaigns/{campaign}/coverage/proposal")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Leader.PostAsync($"/api/campaigns/{campaign}/coverage/confirm", null)).StatusCode);

        // Every remaining cell gets its denominator (0: none of that field), 连队 and 社会组织 take part, four more
        // divisions are named at 自治区 level, the last 机关 starts; the office approves the county's village.
        foreach (var division in CoverageWorld.Definition.Divisions)
        {
            foreach (var field in CoverageWorld.Definition.Fields.Select(f => f.Id))
            {
                if (!denominators.ContainsKey((division, field)))
                {
                    await DenominatorAsync(division, field, division == jcj && field is "companies" or "socialOrganisations" ? 1 : 0);
                }
            }
        }
        await EnterAsync(world.Office, jcj, "companies", "金城江连队", PlaceState.Creating);
        await EnterAsync(world.Office, jcj, "socialOrganisations", "金城江协会", PlaceState.Creating);
        foreach (var division in CoverageWorld.Definition.Divisions.Where(d => d != jcj).Take(4))
        {
            await EnterAsync(world.Office, division, "county", division, PlaceState.Named, Level.Province, 2023);
        }
        var organ = places.Single(p => p.Name == "金城江机关4");
        await CoverageWorld.OkAsync(await world.Office.PostAsJsonAsync(CoverageWorld.Api($"register/{organ.Id}/move"), new { to = "creating" }));
        places[places.IndexOf(organ)] = organ with { State = PlaceState.Creating };
        var pending = places.Single(p => p.Name == "金城江待审核村");
        await CoverageWorld.OkAsync(await world.Office.PostAsJsonAsync(CoverageWorld.Api($"register/{pending.Id}/review"), new { decision = "approve" }));
        places[places.IndexOf(pending)] = pending with { Approved = true };

        await CheckReportAsync();
        Assert.True(RuleMet(), "the inputs were chosen to meet item 47's targets");
        proposal = await CoverageWorld.OkAsync(await world.LeadUnit.GetAsync($"/api/campaigns/{campaign}/coverage/proposal"));
        Assert.True((bool)proposal["met"]!);
        Assert.Null(proposal["proposed"]);
        var confirmed = await CoverageWorld.OkAsync(await world.LeadUnit.PostAsync($"/api/campaigns/{campaign}/coverage/confirm", null));
        Assert.Equal((true, "proposed"), ((bool)confirmed["proposed"]!, (string)confirmed["state"]!));
        var fact = world.App.WithDb(db => db.Facts.Single(f => f.CampaignId == campaign && f.RuleId == "47.1" && f.Layer == Web.Scoring.FactLayer.Proposed));
        Assert.Equal("true", fact.Value);
        Assert.StartsWith("创建单位台账（截至2023-06-01", fact.Source);
        Assert.Equal(1, world.App.WithDb(db => db.Audit.Count(a => a.Action == AuditActions.AssessmentProposed && a.EntityId == $"{campaign}//47")));

        // The page shows every target with its clause and source, red where short.
        using var page = await PageClient.SignInAsync(world.App, Web.Accounts.Roles.Leader);
        var html = await (await page.GetAsync($"/programmes/{CoverageWorld.Programme}/coverage")).Content.ReadAsStringAsync();
        foreach (var t in CoverageWorld.Definition.Targets)
        {
            Assert.Contains($"data-target=\"{t.Id}\" data-met=\"{(Expected(t, 2023).Met ? "true" : "false")}\"", html);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(t.Text), html);
        }
        Assert.Contains("progress class=\"bar short\"", html);
    }
}
