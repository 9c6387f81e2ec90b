using CreationWorkflow.Core.Seeding;
using CreationWorkflow.Web.Acceptance;

namespace CreationWorkflow.Web.Tests.Acceptance;

/// <summary>
/// The real Hechi programme scored by the engine from facts made here, and evidence files on disk in a temp folder
/// of the test's own (deleted on dispose).
/// </summary>
public sealed class PackageTestData : IDisposable
{
    private static readonly Lazy<Programme> hechi = new(() => SeedLoader.Load(Path.Combine(AppFactory.RepoRoot, "seed", "hechi-2021")));

    public static Programme Hechi => hechi.Value;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "cw-package-" + Guid.NewGuid().ToString("N"));

    public PackageTestData() => Directory.CreateDirectory(Folder);

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    public static readonly ApplicationInfo Application = new(
        "中共河池市委员会 河池市人民政府", "国家民委", new DateOnly(2023, 6, 30), "韦民宗", "0778-2281234",
        "全市上下以铸牢中华民族共同体意识为主线，扎实推进示范市创建各项工作。");

    /// <summary>
    /// Full marks on every rule, then: 1.3 not met (−1), awareness under 7.2 at 85% (a lower tier), two 党中央
    /// recognitions (+6), one special fund (+1), and one 通报批评 for other work (−3).
    /// </summary>
    public static Facts Facts()
    {
        var rules = Hechi.Items.SelectMany(i => i.Rules).ToList();
        var checks = rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true);
        checks["1.3"] = false;
        var rates = rules.OfType<TierRule>().ToDictionary(r => r.Id, _ => 100m);
        rates["7.2"] = 85m;
        return new Facts
        {
            Checks = checks,
            Rates = rates,
            Counts = rules.OfType<CountRule>().ToDictionary(r => r.Id, r => r.Min),
            People = rules.OfType<PerPersonRule>().ToDictionary(r => r.Id, _ => new PeopleCount(5, 5)),
            Cases =
            [
                .. rules.OfType<LevelRule>().SelectMany(r => Enumerable.Range(0, 10)
                    .Select(i => new Case(r.Id, $"c{i}", r.Levels.MaxBy(l => l.Points)!.Level))),
                new Case("B1.1", "民族团结进步创建经验获党中央肯定"),
                new Case("B1.1", "边疆民族地区治理获国务院肯定"),
                new Case("B5.1", "市本级民族事业发展专项资金"),
                new Case("P1.1", "环保督察约谈", Category: "other"),
            ],
        };
    }

    public static ScoreResult Score() => ScoringEngine.Score(Hechi, Facts());

    /// <summary>Writes a file in the test folder and describes it as evidence (size and SHA-256 from the bytes).</summary>
    public EvidenceEntry Stored(int item, string name, string contentType, byte[] bytes, string description, string? rule = null, AdjustmentKind? kind = null)
    {
        var dir = Path.Combine(Folder, "store");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".bin");
        File.WriteAllBytes(path, bytes);
        return new EvidenceEntry(item, name, contentType, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), rule, description,
            () => File.OpenRead(path), kind);
    }

    public static byte[] Pdf(string text) => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n");

    /// <summary>A handful of small files: two with the same name for one item, one with characters Windows refuses, bonus evidence.</summary>
    public IReadOnlyList<EvidenceEntry> Evidence() =>
    [
        Stored(1, "领导小组成立文件.pdf", "application/pdf", Pdf("leading group"), "市委关于成立创建工作领导小组的通知", "1.1"),
        Stored(1, "会议纪要.pdf", "application/pdf", Pdf("minutes 1"), "领导小组第一次全体会议纪要", "1.2"),
        Stored(1, "会议纪要.pdf", "application/pdf", Pdf("minutes 2"), "领导小组第二次全体会议纪要", "1.2"),
        Stored(3, "常委会议题:民族团结?.pdf", "application/pdf", Pdf("standing committee"), "市委常委会专题研究创建工作会议记录", "3.1"),
        Stored(7, "知晓率调查.csv", "text/csv", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("受访者,知晓\n张三,是\n", 200))), "民族团结知识知晓率抽样调查数据"),
        Stored(24, "工作规划.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], "嵌入式社区建设工作规划"),
        Stored(1, "党中央肯定批示.pdf", "application/pdf", Pdf("recognition"), "党中央肯定河池市创建经验的批示", "B1.1", AdjustmentKind.Bonus),
        Stored(5, "专项资金文件.pdf", "application/pdf", Pdf("fund"), "设立市本级扶持少数民族事业发展专项资金的文件", null, AdjustmentKind.Bonus),
    ];

    public PackageInput Input() => new(Hechi, Score(), Application, Evidence());

    public static async Task<byte[]> BuildAsync(PackageInput input)
    {
        using var output = new MemoryStream();
        await PackageBuilder.WriteAsync(input, output);
        return output.ToArray();
    }

    public static byte[] Entry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"No entry {name} in the package: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static JsonDocument Manifest(ZipArchive zip) => JsonDocument.Parse(Entry(zip, PackageBuilder.ManifestName));
}
