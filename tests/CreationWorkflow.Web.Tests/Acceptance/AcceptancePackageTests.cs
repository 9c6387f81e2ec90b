using CreationWorkflow.Web.Acceptance;
using CreationWorkflow.Web.Infrastructure;
using DocumentFormat.OpenXml.Validation;

namespace CreationWorkflow.Web.Tests.Acceptance;

/// <summary>The acceptance package for the real Hechi programme, opened and read back as a reviewer would.</summary>
public sealed class AcceptancePackageTests(ITestOutputHelper output) : IDisposable
{
    private readonly PackageTestData data = new();

    public void Dispose() => data.Dispose();

    private static readonly string[] Documents =
        ["01-验收申请.docx", "02-自评报告.docx", "03-测评指标得分表.xlsx", "04-佐证材料目录.xlsx"];

    private static string N(decimal v) => v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_file_is_in_the_manifest_with_its_size_and_SHA256_and_evidence_sits_in_its_item_folder()
    {
        var input = data.Input();
        var path = Path.Combine(data.Folder, "package.zip");
        PackageManifest returned;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            returned = await PackageBuilder.WriteAsync(input, file);
        }

        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(Documents, names.Take(4));
        Assert.Equal(PackageBuilder.ManifestName, names[^1]);

        using var manifest = PackageTestData.Manifest(zip);
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray()
            .Select(f => (Path: f.GetProperty("path").GetString()!, Size: f.GetProperty("size").GetInt64(), Sha: f.GetProperty("sha256").GetString()!))
            .ToList();
        Assert.Equal(names.Take(names.Count - 1), listed.Select(f => f.Path));
        foreach (var (entryPath, size, sha) in listed)
        {
            var bytes = PackageTestData.Entry(zip, entryPath);
            Assert.Equal(size, bytes.Length);
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        Assert.Equal(listed.Select(f => f.Path), returned.Files.Select(f => f.Path));

        var score = manifest.RootElement.GetProperty("score");
        Assert.Equal(input.Reviewed.Base, score.GetProperty("base").GetDecimal());
        Assert.Equal(input.Reviewed.Bonus, score.GetProperty("bonus").GetDecimal());
        Assert.Equal(input.Reviewed.Penalty, score.GetProperty("penalty").GetDecimal());
        Assert.Equal(input.Reviewed.Total, score.GetProperty("total").GetDecimal());
        Assert.Equal("hechi-2021", manifest.RootElement.GetProperty("programmeId").GetString());

        // Folders by target / indicator / item; clashing names numbered; names Windows refuses made safe; bonus evidence under 奖惩清单.
        const string item1 = "证据材料/01-坚持和加强党对民族团结进步的全面领导/01-政治领导/第1项/";
        Assert.Contains(item1 + "会议纪要.pdf", names);
        Assert.Contains(item1 + "会议纪要 (2).pdf", names);
        Assert.Contains(item1 + "领导小组成立文件.pdf", names);
        Assert.Contains("证据材料/01-坚持和加强党对民族团结进步的全面领导/01-政治领导/第3项/常委会议题_民族团结_.pdf", names);
        Assert.Contains("证据材料/03-深化各民族交流交往交融/08-推进建立嵌入式社会结构和生活环境/第24项/工作规划.docx", names);
        Assert.Contains("证据材料/07-奖惩清单/19-加分事项/第1项/党中央肯定批示.pdf", names);
        Assert.Contains("证据材料/07-奖惩清单/19-加分事项/第5项/专项资金文件.pdf", names);

        // Evidence in the order of 附件2 (item 1 before 3 before 7 …), and byte for byte what was stored.
        var evidence = names.Where(n => n.StartsWith("证据材料/", StringComparison.Ordinal)).ToList();
        Assert.Equal(input.Evidence.Count, evidence.Count);
        Assert.Equal(["第1项", "第1项", "第1项", "第3项", "第7项", "第24项", "第1项", "第5项"], evidence.Select(n => n.Split('/')[3]));
        foreach (var e in input.Evidence)
        {
            using var source = e.Open();
            using var copy = new MemoryStream();
            source.CopyTo(copy);
            Assert.Contains(listed, f => f.Sha == e.Sha256 && f.Size == e.Size);
        }
        output.WriteLine($"{names.Count} entries, {new FileInfo(path).Length} bytes");
    }

    [Fact]
    public async Task Score_table_is_the_layout_of_附件2_with_the_self_scores_and_the_engine_totals()
    {
        var input = data.Input();
        using var zip = new ZipArchive(new MemoryStream(await PackageTestData.BuildAsync(input)));
        var xlsx = PackageTestData.Entry(zip, "03-测评指标得分表.xlsx");
        var rows = OfficeReader.Sheet(xlsx);

        Assert.Equal(["测评目标", "测评指标", "测评内容", "分值", "自评得分", "牵头单位", "责任单位", "测评方法"],
            rows[2].OrderBy(c => c.Key).Select(c => c.Value));
        Assert.Equal("河池市创建全国民族团结进步示范市测评指标自评得分表", rows[1]["A"]);

        var score = input.Reviewed;
        var hechi = PackageTestData.Hechi;
        var body = rows.Where(r => r.Key > 2 && r.Value.TryGetValue("C", out var c) && char.IsAsciiDigit(c[0])).ToList();
        var items = body.Take(hechi.Items.Count).ToList();
        Assert.Equal(hechi.Items.Select(i => $"{i.No}."), items.Select(r => r.Value["C"][..(r.Value["C"].IndexOf('.') + 1)]));
        foreach (var (item, row) in hechi.Items.Zip(items))
        {
            Assert.StartsWith($"{item.No}.{item.Text[..10]}", row.Value["C"]);
            Assert.Equal(item.Points, OfficeReader.Number(row.Value["D"]));
            Assert.Equal(score.Item(item.No).Score, OfficeReader.Number(row.Value["E"]));
            Assert.Equal(string.Join("、", item.LeadUnits), row.Value["F"]);
        }
        Assert.Equal("一、坚持和加强党对民族团结进步的全面领导", items[0].Value["A"]);
        Assert.Equal("（一）政治领导", items[0].Value["B"]);
        Assert.Equal("网上申报\n实地核查\n第三方评估", items[0].Value["H"]);
        // 附件2 merges the target and indicator cells down their items: 一 has items 1–11 (rows 3–13), （一） items 1–5.
        var merges = OfficeReader.Merges(xlsx);
        Assert.Contains("A3:A13", merges);
        Assert.Contains("B3:B7", merges);

        // Then 七、奖惩清单: （十九）加分事项 1–5, （二十）减分事项 1–3, each with what it adds (penalties negative).
        var adjustments = body.Skip(hechi.Items.Count).ToList();
        Assert.Equal(8, adjustments.Count);
        Assert.Equal("七、奖惩清单", adjustments[0].Value["A"]);
        Assert.Equal("（十九）加分事项", adjustments[0].Value["B"]);
        Assert.Equal("（二十）减分事项", adjustments[5].Value["B"]);
        Assert.Equal(score.Adjustment(AdjustmentKind.Bonus, 1).Score, OfficeReader.Number(adjustments[0].Value["E"]));
        Assert.Equal(-score.Adjustment(AdjustmentKind.Penalty, 1).Score, OfficeReader.Number(adjustments[5].Value["E"]));

        decimal Total(string label) => OfficeReader.Number(rows.Values.Single(r => r.GetValueOrDefault("A") == label)["E"]);
        Assert.Equal(score.Base, Total("基础分"));
        Assert.Equal(score.Bonus, Total("加分"));
        Assert.Equal(-score.Penalty, Total("减分"));
        Assert.Equal(score.Total, Total("自评总分"));
        Assert.Equal(98m, score.Base);
        Assert.Equal(7m, score.Bonus);
        Assert.Equal(3m, score.Penalty);
        Assert.Equal(102m, score.Total);
    }

    [Fact]
    public async Task Report_gives_every_item_its_score_trail_and_evidence_and_the_letter_applies_to_国家民委()
    {
        var input = data.Input();
        var score = input.Reviewed;
        using var zip = new ZipArchive(new MemoryStream(await PackageTestData.BuildAsync(input)));

        var (paragraphs, tables) = OfficeReader.Word(PackageTestData.Entry(zip, "02-自评报告.docx"));
        Assert.Equal("河池市创建全国民族团结进步示范市自评报告", paragraphs[0]);
        var overview = tables[0];
        string Cell(string label) => overview.Single(r => r[0] == label)[2];
        Assert.Equal(N(score.Base), Cell("基础分"));
        Assert.Equal(N(score.Bonus), Cell("加分"));
        Assert.Equal(N(-score.Penalty), Cell("减分"));
        Assert.Equal(N(score.Total), Cell("自评总分"));
        foreach (var target in score.Targets)
        {
            Assert.Contains(overview, r => r[0].EndsWith(target.Name, StringComparison.Ordinal) && r[2] == N(target.Score));
        }

        // Each item: a heading with score/max, its trail as a table (one row per rule), then its evidence.
        var headings = paragraphs.Select((p, i) => (p, i)).Where(x => x.p.StartsWith('第') && x.p.Contains('项')).ToList();
        foreach (var item in score.Items)
        {
            Assert.Contains($"第{item.No}项　分值{N(item.Max)}分，自评{N(item.Score)}分", paragraphs);
        }
        Assert.Contains("第1项　加6分", paragraphs);
        Assert.Contains("第1项　减3分", paragraphs);
        Assert.Contains("第2项　未发生", paragraphs);
        var trails = tables.Skip(1).ToList();
        Assert.Equal(score.Items.Count + score.Adjustments.Count, trails.Count);
        var item1 = trails[0];
        Assert.Equal(["规则", "条款", "事实", "认定", "得分"], item1[0]);
        Assert.Equal(["1.1", "1.2", "1.3"], item1.Skip(1).Select(r => r[0]));
        Assert.Equal(["1", "1", "0"], item1.Skip(1).Select(r => r[4]));
        Assert.Equal("未达到", item1[3][2]);
        var item7 = trails[6];
        Assert.Contains(item7.Skip(1), r => r[0] == "7.2" && r[2] == "知晓率 85%");
        Assert.Contains(paragraphs, p => p.StartsWith("1. 领导小组第一次全体会议纪要（规则1.2；会议纪要.pdf", StringComparison.Ordinal)
            && p.EndsWith("见 证据材料/01-坚持和加强党对民族团结进步的全面领导/01-政治领导/第1项/会议纪要.pdf）", StringComparison.Ordinal));
        Assert.Contains(paragraphs, p => p.Contains("证据材料/07-奖惩清单/19-加分事项/第1项/党中央肯定批示.pdf", StringComparison.Ordinal));
        Assert.Contains("佐证材料：未提供。", paragraphs);
        Assert.Contains(paragraphs, p => p.StartsWith("条款出处：003_08ee506f8db0d7a8.txt 附件2 一（一）第1项", StringComparison.Ordinal));

        var letter = OfficeReader.Word(PackageTestData.Entry(zip, "01-验收申请.docx")).Paragraphs;
        Assert.Equal("关于申请全国民族团结进步示范市验收的请示", letter[0]);
        Assert.Equal("国家民委：", letter[1]);
        var text = string.Join("\n", letter);
        Assert.Contains("《全国民族团结进步示范州（地、市、盟）测评指标（试行）》（民办发〔2020〕4号）", text);
        Assert.Contains("《河池市创建全国民族团结进步示范市实施方案》（河办发〔2021〕66号）", text);
        Assert.Contains($"自评得分{N(score.Total)}分，其中基础分{N(score.Base)}分（满分100分），加分{N(score.Bonus)}分，减分{N(score.Penalty)}分", text);
        Assert.Contains("达到自评分90分以上申请验收的条件", text);
        Assert.Contains("3.佐证材料目录（共8份）", text);
        Assert.Contains("中共河池市委员会 河池市人民政府", letter);
        Assert.Contains("2023年6月30日", letter);
        Assert.Contains("（联系人：韦民宗；联系电话：0778-2281234）", letter);

        // Chinese text is set in Chinese faces, which every run inherits from the styles: 宋体 (SimSun) and 黑体 (SimHei).
        Assert.Equal(new HashSet<string> { "SimSun", "SimHei" }, OfficeReader.EastAsiaFonts(PackageTestData.Entry(zip, "02-自评报告.docx")));
        Assert.Contains("SimSun", OfficeReader.EastAsiaFonts(PackageTestData.Entry(zip, "01-验收申请.docx")));
    }

    [Fact]
    public async Task Evidence_index_lists_every_file_in_indicator_order_with_the_hash_in_the_manifest()
    {
        var input = data.Input();
        using var zip = new ZipArchive(new MemoryStream(await PackageTestData.BuildAsync(input)));
        using var manifest = PackageTestData.Manifest(zip);
        var hashes = manifest.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("sha256").GetString()!);

        var rows = OfficeReader.Sheet(PackageTestData.Entry(zip, "04-佐证材料目录.xlsx"));
        Assert.Equal(["序号", "测评目标", "测评指标", "测评项目", "规则", "文件名", "说明", "大小", "大小（字节）", "SHA-256", "包内路径"],
            rows[2].OrderBy(c => c.Key.Length).ThenBy(c => c.Key).Select(c => c.Value));
        var listed = rows.Where(r => r.Key > 2).Select(r => r.Value).ToList();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => i.ToString()), listed.Select(r => r["A"]));
        Assert.Equal(["第1项", "第1项", "第1项", "第3项", "第7项", "第24项", "第1项", "第5项"], listed.Select(r => r["D"]));
        Assert.Equal("（十九）加分事项", listed[6]["C"]);
        foreach (var row in listed)
        {
            Assert.Equal(hashes[row["K"]], row["J"]);
            Assert.Equal(PackageTestData.Entry(zip, row["K"]).Length, long.Parse(row["I"]));
        }
        Assert.Equal("会议纪要.pdf", listed[0]["F"]);
        Assert.Equal("领导小组第一次全体会议纪要", listed[0]["G"]);
        Assert.Equal("常委会议题:民族团结?.pdf", listed[3]["F"]);
    }

    [Fact]
    public async Task The_same_inputs_give_the_same_bytes_whatever_the_order_of_the_evidence_and_the_output_stream()
    {
        var input = data.Input();
        var first = await PackageTestData.BuildAsync(input);
        await Task.Delay(TimeSpan.FromSeconds(2.1)); // ZIP times have a 2-second resolution: a clock read would show.
        var shuffled = input with { Evidence = input.Evidence.Reverse().ToList() };
        var second = await PackageTestData.BuildAsync(shuffled);
        Assert.Equal(first, second);

        // An HTTP response: not seekable, and synchronous writes are refused.
        var response = new ResponseLikeStream();
        await PackageBuilder.WriteAsync(input, response);
        Assert.Equal(first, response.Written.ToArray());

        using var zip = new ZipArchive(new MemoryStream(first));
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2023, 6, 30), e.LastWriteTime.DateTime));
    }

    [Fact]
    public async Task Documents_are_valid_Open_XML()
    {
        using var zip = new ZipArchive(new MemoryStream(await PackageTestData.BuildAsync(data.Input())));
        var validator = new OpenXmlValidator();
        foreach (var name in Documents)
        {
            using OpenXmlPackage doc = name.EndsWith(".docx", StringComparison.Ordinal)
                ? WordprocessingDocument.Open(new MemoryStream(PackageTestData.Entry(zip, name)), false)
                : SpreadsheetDocument.Open(new MemoryStream(PackageTestData.Entry(zip, name)), false);
            var errors = validator.Validate(doc).Select(e => $"{name} {e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            Assert.Equal(new DateTime(2023, 6, 29, 16, 0, 0, DateTimeKind.Utc), doc.PackageProperties.Created?.ToUniversalTime());
        }
    }

    [Fact]
    public async Task A_self_score_below_90_unknown_items_and_changed_evidence_are_refused()
    {
        var input = data.Input();

        var low = ScoringEngine.Score(PackageTestData.Hechi, new Facts { Checks = new Dictionary<string, bool> { ["1.1"] = true } });
        var tooLow = await Assert.ThrowsAsync<DomainException>(() => PackageBuilder.WriteAsync(input with { Reviewed = low }, new MemoryStream()));
        Assert.Equal("自评分1分，未达到申请验收所需的90分（民办发〔2020〕4号），不能申请验收。", tooLow.Message);

        var unknown = input with { Evidence = [.. input.Evidence, data.Stored(51, "x.pdf", "application/pdf", PackageTestData.Pdf("x"), "无此项")] };
        var output = new MemoryStream();
        var noItem = await Assert.ThrowsAsync<DomainException>(() => PackageBuilder.WriteAsync(unknown, output));
        Assert.Equal("evidence[8].itemNo", noItem.Field);
        Assert.Equal(0, output.Length); // refused before a byte was written

        var wrongRule = input with { Evidence = [data.Stored(2, "x.pdf", "application/pdf", PackageTestData.Pdf("x"), "规则不符", "1.1")] };
        Assert.Equal("evidence[0].ruleId", (await Assert.ThrowsAsync<DomainException>(() => PackageBuilder.WriteAsync(wrongRule, new MemoryStream()))).Field);

        var stored = data.Stored(2, "改过的.pdf", "application/pdf", PackageTestData.Pdf("original"), "登记后被改动的文件");
        var changedPath = Path.Combine(data.Folder, "changed.pdf");
        await File.WriteAllBytesAsync(changedPath, PackageTestData.Pdf("changed!"));
        var changed = input with { Evidence = [stored with { Open = () => File.OpenRead(changedPath) }] };
        var mismatch = await Assert.ThrowsAsync<DomainException>(() => PackageBuilder.WriteAsync(changed, new MemoryStream()));
        Assert.Contains("「改过的.pdf」", mismatch.Message);
        Assert.Contains("与登记时不一致", mismatch.Message);
    }

    [Fact]
    public async Task A_client_that_goes_away_or_a_cancelled_request_stops_the_package()
    {
        // More evidence than the pipe holds, so the writer is blocked on a full pipe when the client goes.
        var big = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(big);
        var input = data.Input() with { Evidence = [data.Stored(2, "录像.pdf", "application/pdf", big, "会议录像")] };
        var broken = new ResponseLikeStream { FailAfter = 100_000 };
        var failing = PackageBuilder.WriteAsync(input, broken);
        Assert.Same(failing, await Task.WhenAny(failing, Task.Delay(TimeSpan.FromSeconds(30))));
        await Assert.ThrowsAsync<IOException>(() => failing);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PackageBuilder.WriteAsync(input, new ResponseLikeStream(), cancelled.Token));
    }

    /// <summary>Like Kestrel's response body: write-only, not seekable, no synchronous I/O.</summary>
    private sealed class ResponseLikeStream : Stream
    {
        public MemoryStream Written { get; } = new();

        /// <summary>The client disconnects once this many bytes have been sent.</summary>
        public long FailAfter { get; init; } = long.MaxValue;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Written.Length + buffer.Length > FailAfter)
            {
                throw new IOException("The client reset the connection.");
            }
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
