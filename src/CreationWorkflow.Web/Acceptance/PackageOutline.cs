using CreationWorkflow.Core;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// The package's table of contents, in the order of 附件2: targets → indicators → items, then the 奖惩清单 (bonus,
/// penalty, negative-list items) as one more target, each item with its score, explanation trail and the evidence
/// placed in its folder. Every document and the ZIP itself are written from this one outline.
/// </summary>
internal sealed class PackageOutline
{
    public const string EvidenceRoot = "证据材料";

    public required PackageInput Input { get; init; }
    public required IReadOnlyList<OutlineTarget> Targets { get; init; }
    public required Gate Gate { get; init; }

    public Programme Programme => Input.Programme;
    public ScoreResult Score => Input.Reviewed;
    public ApplicationInfo Application => Input.Application;

    public IEnumerable<OutlineItem> Items => Targets.SelectMany(t => t.Indicators).SelectMany(i => i.Items);

    public IEnumerable<PlacedEvidence> Evidence => Items.SelectMany(i => i.Evidence);

    /// <summary>"河池市创建全国民族团结进步示范市实施方案" → "河池市创建全国民族团结进步示范市".</summary>
    public string Subject => Programme.Header.Title.EndsWith("实施方案", StringComparison.Ordinal)
        ? Programme.Header.Title[..^"实施方案".Length]
        : Programme.Header.Title;

    /// <summary>What is applied for: "全国民族团结进步示范市" (the part of the title after 创建).</summary>
    public string Honour
    {
        get
        {
            var at = Subject.IndexOf("创建", StringComparison.Ordinal);
            return at >= 0 && at + 2 < Subject.Length ? Subject[(at + 2)..] : Subject;
        }
    }

    /// <summary>
    /// The standard as the programme cites it, e.g. 《全国民族团结进步示范州（地、市、盟）测评指标（试行）》（民办发〔2020〕4号）,
    /// found in the gate's phase text; just the document number when the phase does not name it.
    /// </summary>
    public string Standard
    {
        get
        {
            var phase = Programme.Header.Phases.FirstOrDefault(p => p.Id == Gate.Phase);
            var cited = phase is null ? null
                : Regex.Match(phase.Summary, "《[^《》]+》（" + Regex.Escape(Gate.Standard) + "）");
            return cited is { Success: true } ? cited.Value : $"（{Gate.Standard}）";
        }
    }

    /// <summary>Validates the input (before a byte is written) and lays it out.</summary>
    public static PackageOutline Build(PackageInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var programme = input.Programme;
        var score = input.Reviewed;
        var app = input.Application;

        if (score.ProgrammeId != programme.Id)
        {
            throw new DomainException("reviewed", $"自评结果属于方案「{score.ProgrammeId}」，不是「{programme.Id}」。");
        }
        if (!score.Items.Select(i => i.No).Order().SequenceEqual(programme.Items.Select(i => i.No).Order()))
        {
            throw new DomainException("reviewed", "自评结果的测评项目与方案不一致，请重新计分。");
        }
        if (!score.Adjustments.Select(a => (a.Kind, a.No)).Order().SequenceEqual(programme.AllAdjustments.Select(a => (a.Kind, a.Item.No)).Order()))
        {
            throw new DomainException("reviewed", "自评结果的加分、减分事项与方案不一致，请重新计分。");
        }
        if (programme.Header.Gate is not { } gate)
        {
            throw new DomainException("programme", $"方案「{programme.Header.Title}」未规定申请验收的条件，不能生成验收申请材料。");
        }
        if (score.Total < gate.MinScore)
        {
            throw new DomainException("reviewed",
                $"自评分{Display.Points(score.Total)}，未达到申请验收所需的{Display.Points(gate.MinScore)}（{gate.Standard}），不能申请验收。");
        }
        foreach (var (value, field) in new[] { (app.Applicant, "applicant"), (app.Addressee, "addressee"), (app.ContactName, "contactName"), (app.ContactPhone, "contactPhone") })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new DomainException($"application.{field}", "不能为空。");
            }
        }

        var items = programme.Items.ToDictionary(i => i.No);
        var adjustments = programme.AllAdjustments.ToDictionary(a => (a.Kind, a.Item.No), a => a.Item);
        for (var i = 0; i < input.Evidence.Count; i++)
        {
            var e = input.Evidence[i];
            var field = $"evidence[{i}]";
            IReadOnlyList<Rule>? rules = e.Adjustment is { } kind
                ? adjustments.GetValueOrDefault((kind, e.ItemNo))?.Rules
                : items.GetValueOrDefault(e.ItemNo)?.Rules;
            if (rules is null)
            {
                throw new DomainException($"{field}.itemNo", $"方案中没有{(e.Adjustment is { } k ? KindName(k) : "测评项目")}第{e.ItemNo}项。");
            }
            if (e.RuleId is { } ruleId && rules.All(r => r.Id != ruleId))
            {
                throw new DomainException($"{field}.ruleId", $"规则「{ruleId}」不属于第{e.ItemNo}项。");
            }
            if (string.IsNullOrWhiteSpace(e.FileName))
            {
                throw new DomainException($"{field}.fileName", "文件名不能为空。");
            }
            if (e.Size < 0)
            {
                throw new DomainException($"{field}.size", "大小不能为负。");
            }
            if (e.Sha256 is not { Length: 64 } || !e.Sha256.All(char.IsAsciiHexDigit))
            {
                throw new DomainException($"{field}.sha256", "须为64位十六进制的SHA-256。");
            }
        }

        var targets = new List<OutlineTarget>();
        foreach (var target in programme.Targets)
        {
            var indicators = target.Indicators.Select(ind =>
            {
                var its = programme.Items.Where(i => i.Indicator == ind.No).Select(item =>
                {
                    var scored = score.Item(item.No);
                    return new OutlineItem(null, item.No, item.Text, item.Points, scored.Score, scored.Lines,
                        item.LeadUnits, item.ResponsibleUnits, item.Methods ?? [], Folder(target.No, target.Name, ind.No, ind.Name, item.No));
                }).ToList();
                var sub = score.Indicators.Single(s => s.No == ind.No);
                return new OutlineIndicator(ind.No, ind.Name, null, sub.Max, sub.Score, its);
            }).ToList();
            var t = score.Targets.Single(s => s.No == target.No);
            targets.Add(new OutlineTarget(target.No, target.Name, t.Max, t.Score, indicators));
        }

        // The 奖惩清单 follows as one more target (附件2: 七、奖惩清单 with （十九）加分事项 and （二十）减分事项).
        var kinds = programme.AllAdjustments.Select(a => a.Kind).Distinct().ToList();
        if (kinds.Count > 0)
        {
            var targetNo = programme.Targets.Max(t => t.No) + 1;
            var indicatorNo = programme.Indicators.Max(i => i.No);
            var adjIndicators = kinds.Select(kind =>
            {
                var no = ++indicatorNo;
                var its = programme.AllAdjustments.Where(a => a.Kind == kind).Select(a =>
                {
                    var scored = score.Adjustment(kind, a.Item.No);
                    return new OutlineItem(kind, a.Item.No, a.Item.Text, null, scored.Score, scored.Lines,
                        a.Item.Lead ?? [], a.Item.Responsible ?? [], a.Item.Methods ?? [], Folder(targetNo, AdjustmentsName, no, KindName(kind), a.Item.No));
                }).ToList();
                return new OutlineIndicator(no, KindName(kind), kind, null, its.Sum(i => i.Score), its);
            }).ToList();
            targets.Add(new OutlineTarget(targetNo, AdjustmentsName, null, null, adjIndicators));
        }

        var outline = new PackageOutline { Input = input, Targets = targets, Gate = gate };
        Place(outline, input.Evidence);
        return outline;
    }

    public const string AdjustmentsName = "奖惩清单";

    public static string KindName(AdjustmentKind kind) => kind switch
    {
        AdjustmentKind.Bonus => "加分事项",
        AdjustmentKind.Penalty => "减分事项",
        _ => "负面清单",
    };

    /// <summary>1 → 一 (as 附件2 numbers its targets and, in brackets, its indicators).</summary>

    public static string MethodName(EvaluationMethod m) => ItemsModel.MethodName(m);

    /// <summary>Points without trailing zeros: 97.5, 100, 0.5.</summary>
    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Folder(int targetNo, string targetName, int indicatorNo, string indicatorName, int itemNo) =>
        $"{EvidenceRoot}/{targetNo:00}-{SafeName(targetName, 60)}/{indicatorNo:00}-{SafeName(indicatorName, 60)}/第{itemNo}项";

    /// <summary>
    /// Evidence in the order of the outline, then by file name, description and hash (so the order it was passed in
    /// does not matter); clashing names in one folder (compared as Windows does, ignoring case) get " (2)", " (3)"….
    /// </summary>
    private static void Place(PackageOutline outline, IReadOnlyList<EvidenceEntry> evidence)
    {
        var order = outline.Items.Select((item, i) => (item, i)).ToDictionary(x => (x.item.Kind, x.item.No), x => x.i);
        var sorted = evidence
            .OrderBy(e => order[(e.Adjustment, e.ItemNo)])
            .ThenBy(e => e.FileName, StringComparer.Ordinal)
            .ThenBy(e => e.Description, StringComparer.Ordinal)
            .ThenBy(e => e.Sha256, StringComparer.OrdinalIgnoreCase);
        var byItem = outline.Items.ToDictionary(i => (i.Kind, i.No));
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seq = 0;
        foreach (var e in sorted)
        {
            var item = byItem[(e.Adjustment, e.ItemNo)];
            var name = SafeName(e.FileName, 100);
            var stem = Path.GetFileNameWithoutExtension(name);
            var ext = Path.GetExtension(name);
            var path = $"{item.Folder}/{name}";
            for (var n = 2; !taken.Add(path); n++)
            {
                path = $"{item.Folder}/{stem} ({n}){ext}";
            }
            item.Evidence.Add(new PlacedEvidence(++seq, e, path));
        }
    }

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// A name every common unzip tool and file system accepts: NFC, no path separators or characters Windows refuses,
    /// no control characters, no leading/trailing dots or spaces, not a reserved device name, and at most
    /// <paramref name="max"/> characters (the extension kept).
    /// </summary>
    public static string SafeName(string name, int max)
    {
        var sb = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            sb.Append(char.IsControl(c) || "\\/:*?\"<>|".Contains(c) ? '_' : c);
        }
        var safe = sb.ToString().Trim().Trim('.').Trim();
        if (safe.Length == 0)
        {
            safe = "未命名";
        }
        if (Reserved.Contains(Path.GetFileNameWithoutExtension(safe)))
        {
            safe = "_" + safe;
        }
        if (safe.Length > max)
        {
            var ext = Path.GetExtension(safe);
            ext = ext.Length > 12 ? "" : ext;
            var keep = max - ext.Length;
            if (char.IsHighSurrogate(safe[keep - 1]))
            {
                keep--;
            }
            safe = safe[..keep].TrimEnd('.', ' ') + ext;
        }
        return safe;
    }
}

internal sealed record OutlineTarget(int No, string Name, decimal? Max, decimal? Score, IReadOnlyList<OutlineIndicator> Indicators)
{
    public bool IsAdjustments => Max is null;
}

internal sealed record OutlineIndicator(int No, string Name, AdjustmentKind? Kind, decimal? Max, decimal Score, IReadOnlyList<OutlineItem> Items);

/// <summary>A scored item, or (with <see cref="Kind"/>) a bonus / penalty item, whose <see cref="Score"/> is then its points.</summary>
internal sealed record OutlineItem(
    AdjustmentKind? Kind,
    int No,
    string Text,
    decimal? Max,
    decimal Score,
    IReadOnlyList<ExplanationLine> Lines,
    IReadOnlyList<string> Lead,
    IReadOnlyList<string> Responsible,
    IReadOnlyList<EvaluationMethod> Methods,
    string Folder)
{
    public List<PlacedEvidence> Evidence { get; } = [];

    /// <summary>What the item adds to the total: penalties count negative.</summary>
    public decimal Contribution => Kind is AdjustmentKind.Penalty or AdjustmentKind.Negative ? -Score : Score;
}

/// <summary>An evidence file with its number in the index (1…) and its path in the ZIP.</summary>
internal sealed record PlacedEvidence(int Seq, EvidenceEntry Entry, string Path);
