namespace CreationWorkflow.Web.Coverage;

/// <summary>
/// The embedded demo's register of creating units (创建单位台账) for Hechi, entered through <see cref="RegisterService"/>
/// as an office and its counties would, so the coverage page shows a real picture:
/// <list type="bullet">
/// <item>each county's 应创建数 (denominators) for the fields the targets name (机关, 乡镇, 学校, 村屯, 企业, 宗教活动场所),
/// from a demo statistic, entered by the office; the other fields have none, as in an office that has not counted them yet;</item>
/// <item>the office's import of the places the counties reported (one transaction, an audit entry per place): the key
/// fields nearly covered (a few counties short of 100%), the grassroots fields around a third; most places 创建中, some
/// 已验收, a few 命名 at county or city level; the 县（区） themselves for the counties named at region level (enough for
/// the 40% target) and a few social organisations taking part;</item>
/// <item>金城江区's clerk entering two more places, waiting for the office's review, and one the office returned.</item>
/// </list>
/// Figures are drawn with <see cref="Demo.DemoSeeder.Seed"/>, so every demo start shows the same register. They are demo
/// data (names end in （演示）), not facts of the source documents.
/// </summary>
public static class CoverageDemo
{
    public const string ProgrammeId = "hechi-2021";
    public const string County = "金城江区";

    /// <summary>Per field: the range of a county's 应创建数 and the share of them covered (key fields near all, grassroots about a third).</summary>
    private static readonly (string Field, int Min, int Max, double Covered)[] Fields =
    [
        ("organs", 14, 24, 0.97), ("townships", 6, 14, 0.97), ("schools", 12, 26, 0.95),
        ("villages", 30, 60, 0.33), ("enterprises", 6, 14, 0.35), ("religious", 2, 6, 0.4),
    ];

    public static async Task SeedAsync(IServiceProvider s, CancellationToken ct)
    {
        var db = s.GetRequiredService<AppDbContext>();
        if (s.GetRequiredService<CoverageCatalog>().Find(ProgrammeId) is null || await db.Places.AnyAsync(p => p.ProgrammeId == ProgrammeId, ct))
        {
            return;
        }
        var programmes = s.GetRequiredService<ProgrammeCatalog>();
        var catalog = s.GetRequiredService<CoverageCatalog>();
        var register = s.GetRequiredService<RegisterService>();
        var office = RegisterScope.For(Demo.DemoSeeder.Office, ProgrammeId, programmes, catalog);
        var definition = office.Definition;
        var today = ChinaTime.Today(s.GetRequiredService<TimeProvider>().GetUtcNow());
        var random = new Random(Demo.DemoSeeder.Seed);
        const string officeName = "创建办 王主任（演示）";

        var places = new List<PlaceRequest>();
        foreach (var division in definition.Divisions)
        {
            foreach (var (field, min, max, covered) in Fields.Where(f => definition.FindField(f.Field) is not null))
            {
                var due = random.Next(min, max + 1);
                await register.SetDenominatorAsync(office, new DenominatorRequest(division, field, due, $"{division}{definition.FieldName(field)}统计（演示数据）"), officeName, ct);
                // Most counties cover the key fields fully; now and then one is a place or two short.
                var count = covered > 0.9 && random.NextDouble() < 0.75 ? due : (int)Math.Round(due * (covered - 0.1 + random.NextDouble() * 0.2));
                for (var n = 1; n <= Math.Min(count, due); n++)
                {
                    places.Add(Place(division, field, n, random, today));
                }
            }
            if (random.NextDouble() < 0.3)
            {
                places.Add(new PlaceRequest(division, "socialOrganisations", $"{division}民族团结促进会（演示）", PlaceState.Creating));
            }
        }
        // The counties named at region level (自治区级) since the programme began: half of them, rounded up.
        foreach (var division in definition.Divisions.Where((_, i) => i % 2 == 0))
        {
            places.Add(new PlaceRequest(division, "county", $"{division}（演示）", PlaceState.Named, Level.Province, Named(random, today)));
        }
        await register.AddAllAsync(office, [.. places.Select(p => register.Check(office, p))], officeName, ct);

        // A county's clerk enters two more; the office returns one of them.
        var county = RegisterScope.For(Demo.DemoSeeder.UnitUser(County), ProgrammeId, programmes, catalog);
        var clerk = $"{County}（演示）";
        await register.AddAsync(county, new PlaceRequest(County, "villages", $"{County}新建村屯（演示）", PlaceState.Creating), clerk, ct);
        var returned = await register.AddAsync(county, new PlaceRequest(County, "enterprises", $"{County}工业园区企业（演示）", PlaceState.Accepted), clerk, ct);
        await register.ReviewAsync(office, returned.Id, new PlaceReviewRequest("return", "请补充验收文件（验收意见及照片）后重新报送。"), officeName, ct);
    }

    /// <summary>A covered place: 创建中 mostly, 已验收 some, 命名 a few (county or city level, named within the last year).</summary>
    private static PlaceRequest Place(string division, string field, int n, Random random, DateOnly today)
    {
        var name = $"{division}{field switch { "organs" => "机关单位", "townships" => "乡镇", "schools" => "学校", "villages" => "村屯", "enterprises" => "企业", _ => "宗教活动场所" }}{n:00}（演示）";
        return random.NextDouble() switch
        {
            < 0.6 => new PlaceRequest(division, field, name, PlaceState.Creating),
            < 0.85 => new PlaceRequest(division, field, name, PlaceState.Accepted),
            var x => new PlaceRequest(division, field, name, PlaceState.Named, x < 0.95 ? Level.County : Level.Prefecture, Named(random, today), TenHundred: x > 0.97),
        };
    }

    private static DateOnly Named(Random random, DateOnly today) => today.AddDays(-random.Next(30, 365));
}
