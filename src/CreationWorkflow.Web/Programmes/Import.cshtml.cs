using CreationWorkflow.Core.Programmes.Lists;
using CreationWorkflow.Web.Programmes.Import;
using Group = System.Text.RegularExpressions.Group;

namespace CreationWorkflow.Web.Programmes;

/// <summary>One rule as the preview's form edits it: a kind and the few numbers that kind needs.</summary>
public sealed class RuleForm
{
    public string? Kind { get; set; }
    public string? Text { get; set; }
    public decimal? Points { get; set; }
    public decimal? Cap { get; set; }
    public int? Min { get; set; }
    public decimal? PerMissing { get; set; }

    /// <summary>Tiers as "90:2，80:1" (rate ≥ min gives points), highest first; "&gt;90:2" for strictly above.</summary>
    public string? Tiers { get; set; }
    public string? Measure { get; set; }

    /// <summary>Levels as "县级:1，州级:2，省级:3，国家级:4" (level rules).</summary>
    public string? Levels { get; set; }

    /// <summary>"max" (only the best case counts) or "sum" (cases add up to the cap), for level rules.</summary>
    public string? Combine { get; set; }

    /// <summary>同一内容只取最高: cases of one content count once, at their best level (level rules).</summary>
    public bool? Highest { get; set; }

    /// <summary>Staff bands as "1-10:5，11-30:15，51-:30" (staff from–to: the required number), for staffCount rules.</summary>
    public string? Bands { get; set; }

    /// <summary>Penalty or bonus categories as "民族工作事项:5，其他工作事项:3" (per-case rules by category).</summary>
    public string? Categories { get; set; }

    /// <summary>The short level names the form reads and writes (县级, 州级, 省级, 国家级) and their other spellings.</summary>
    public static readonly IReadOnlyDictionary<string, Level> LevelWords = new Dictionary<string, Level>
    {
        ["县级"] = Level.County, ["县"] = Level.County, ["county"] = Level.County,
        ["州级"] = Level.Prefecture, ["市级"] = Level.Prefecture, ["州（市）级"] = Level.Prefecture, ["州"] = Level.Prefecture, ["prefecture"] = Level.Prefecture,
        ["省级"] = Level.Province, ["省（区）级"] = Level.Province, ["自治区级"] = Level.Province, ["省"] = Level.Province, ["province"] = Level.Province,
        ["国家级"] = Level.National, ["全国"] = Level.National, ["国家"] = Level.National, ["national"] = Level.National,
    };

    private static string LevelWord(Level level) => LevelWords.First(w => w.Value == level).Key;

    private static string N(decimal v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static RuleForm Of(Rule r) => r switch
    {
        CheckRule c => new() { Kind = "check", Text = c.Text, Points = c.Points },
        CountRule c => new() { Kind = "count", Text = c.Text, Points = c.Points, Min = c.Min, PerMissing = c.PerMissing },
        PerCaseRule p => new()
        {
            Kind = "perCase", Text = p.Text, Points = p.Points, Cap = p.Cap,
            Categories = p.Categories.Count == 0 ? null : string.Join("，", p.Categories.Select(k => $"{k.Text}:{N(k.Points)}")),
        },
        LevelRule l => new()
        {
            Kind = "level", Text = l.Text, Cap = l.Cap, Combine = l.Combine, Highest = l.HighestPerContent,
            Levels = string.Join("，", l.Levels.Select(x => $"{LevelWord(x.Level)}:{N(x.Points)}")),
        },
        StaffCountRule c => new()
        {
            Kind = "staffCount", Text = c.Text, Points = c.Points, PerMissing = c.PerMissing,
            Bands = string.Join("，", c.Requirements.Select(q => $"{q.MinStaff}-{q.MaxStaff?.ToString(CultureInfo.InvariantCulture)}:{q.Required}")),
        },
        OnceRule o => new() { Kind = "once", Text = o.Text, Points = o.Points },
        PerPersonRule p => new() { Kind = "perPerson", Text = p.Text, Points = p.Points, PerMissing = p.PerMissing },
        TierRule t => new() { Kind = "tier", Text = t.Text, Measure = t.Measure, Tiers = string.Join("，", t.Tiers.Select(x => $"{(x.Exclusive ? ">" : "")}{x.Min}:{x.Points}")) },
        _ => new() { Kind = "keep", Text = r.Text },
    };

    /// <summary>The rule, or null for a blank row; a row that cannot be a rule is refused naming its field.</summary>
    public Rule? ToRule(string field, Rule? kept)
    {
        if (string.IsNullOrWhiteSpace(Kind))
        {
            return null;
        }
        var text = Text?.Trim() ?? "";
        decimal Need(decimal? v, string name) => v ?? throw new DomainException($"{field}.{name}", "请填写分值。");
        return Kind switch
        {
            "keep" => kept ?? throw new DomainException($"{field}.kind", "请选择规则类型。"),
            "check" => new CheckRule { Id = "", Text = text, Points = Need(Points, "points") },
            "count" => new CountRule { Id = "", Text = text, Points = Need(Points, "points"), Min = Min ?? throw new DomainException($"{field}.min", "请填写最少次数。"), PerMissing = PerMissing },
            "perCase" when !string.IsNullOrWhiteSpace(Categories) => new PerCaseRule { Id = "", Text = text, Cap = Cap, Categories = ParseCategories(field, kept as PerCaseRule) },
            "perCase" => new PerCaseRule { Id = "", Text = text, Points = Need(Points, "points"), Cap = Cap },
            "level" => new LevelRule
            {
                Id = "", Text = text, Levels = ParseLevels(field), Combine = Combine == "sum" ? "sum" : "max",
                Cap = Cap ?? throw new DomainException($"{field}.cap", "请填写上限（最高得分）。"), HighestPerContent = Highest ?? false,
            },
            "staffCount" => new StaffCountRule { Id = "", Text = text, Points = Need(Points, "points"), Requirements = ParseBands(field), PerMissing = PerMissing },
            "once" => new OnceRule { Id = "", Text = text, Points = Need(Points, "points") },
            "perPerson" => new PerPersonRule { Id = "", Text = text, Points = Need(Points, "points"), PerMissing = PerMissing ?? throw new DomainException($"{field}.perMissing", "请填写每少一人扣分。") },
            "tier" => new TierRule { Id = "", Text = text, Measure = Measure ?? "rate", Tiers = ParseTiers(field) },
            _ => throw new DomainException($"{field}.kind", $"不支持的规则类型「{Kind}」。"),
        };
    }

    /// <summary>"a:b" pairs of a list field ("县级:1，州级:2"), split on Chinese or ASCII commas and semicolons.</summary>
    private static IEnumerable<(string Part, string Key, string Value)> Pairs(string? list) =>
        (list ?? "").Split([',', '，', ';', '；', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split([':', '：'], 2) is [var k, var v] ? (part, k.Trim(), v.Trim()) : (part, "", ""));

    private List<LevelPoints> ParseLevels(string field)
    {
        var levels = new List<LevelPoints>();
        foreach (var (part, key, value) in Pairs(Levels))
        {
            if (!LevelWords.TryGetValue(key, out var level) || !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var pts))
            {
                throw new DomainException($"{field}.levels", $"「{part}」不是“级别:分值”（如 县级:1，级别为县级、州级、省级、国家级）。");
            }
            if (levels.Any(l => l.Level == level))
            {
                throw new DomainException($"{field}.levels", $"级别「{key}」写了两次。");
            }
            levels.Add(new LevelPoints(level, pts));
        }
        return levels.Count > 0 ? levels : throw new DomainException($"{field}.levels", "请填写级别分值（如 县级:1，州级:2，省级:3）。");
    }

    private List<StaffRequirement> ParseBands(string field)
    {
        var bands = new List<StaffRequirement>();
        foreach (var (part, key, value) in Pairs(Bands))
        {
            var range = key.Split(['-', '—', '－', '~', '～'], 2);
            int? max = range.Length == 2 && range[1].Trim().Length > 0 && int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hi) ? hi : null;
            if (!int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
                || (range.Length == 2 && range[1].Trim().Length > 0 && max is null)
                || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var required))
            {
                throw new DomainException($"{field}.bands", $"「{part}」不是“人数范围:应交数”（如 1-10:5，51-:30）。");
            }
            bands.Add(new StaffRequirement(min, required, max));
        }
        return bands.Count > 0 ? bands : throw new DomainException($"{field}.bands", "请填写人数档次（如 1-10:5，11-30:15，31-:20）。");
    }

    /// <summary>Categories keep the ids they had (facts name them); a new one is c{n}.</summary>
    private List<CaseCategory> ParseCategories(string field, PerCaseRule? kept)
    {
        var categories = new List<CaseCategory>();
        foreach (var (part, key, value) in Pairs(Categories))
        {
            if (key.Length == 0 || !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var pts))
            {
                throw new DomainException($"{field}.categories", $"「{part}」不是“类别:每例分值”（如 民族工作事项:5）。");
            }
            var id = kept?.Categories.FirstOrDefault(k => k.Text == key)?.Id ?? $"c{categories.Count + 1}";
            categories.Add(new CaseCategory(categories.Any(c => c.Id == id) ? $"c{categories.Count + 1}" : id, key, pts));
        }
        return categories;
    }

    private List<Tier> ParseTiers(string field)
    {
        var tiers = new List<Tier>();
        foreach (var part in (Tiers ?? "").Split([',', '，', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split([':', '：']);
            var exclusive = bits[0].StartsWith('>');
            if (bits.Length != 2 || !decimal.TryParse(bits[0].TrimStart('>', '≥'), NumberStyles.Number, CultureInfo.InvariantCulture, out var min)
                || !decimal.TryParse(bits[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var pts))
            {
                throw new DomainException($"{field}.tiers", $"「{part}」不是“比率:分值”（如 90:2）。");
            }
            tiers.Add(new Tier(min, pts, exclusive));
        }
        return tiers.Count > 0 ? tiers : throw new DomainException($"{field}.tiers", "请填写档次（如 90:2，80:1）。");
    }
}

/// <summary>导入责任清单 (/programmes/import, office): upload → preview (units to confirm, flagged clauses to set) → publish.</summary>
[Authorize(Policy = Policies.Office)]
[RequestSizeLimit(ListFiles.MaxFileBytes + 64 * 1024)]
public sealed class ImportModel(ListImportService import, ProgrammeCatalog catalog) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Draft { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? ProgrammeId { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? BaseProgramme { get; set; }
    [BindProperty] public string? Item { get; set; }
    [BindProperty] public List<RuleForm> Rules { get; set; } = [];
    [BindProperty] public List<UnitDecisionForm> Decisions { get; set; } = [];

    public DraftView? View { get; private set; }
    public IReadOnlyList<DraftView> Drafts { get; private set; } = [];
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public string? Published { get; private set; }
    public IReadOnlyList<Programme> Programmes => catalog.All;

    public sealed class UnitDecisionForm
    {
        public string? Name { get; set; }
        public string? Action { get; set; }
        public string? Target { get; set; }
        public UnitKind? Kind { get; set; }
        public string? Members { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Draft is { } id)
        {
            View = await import.FindAsync(id, ct);
            if (View is null)
            {
                return NotFound();
            }
        }
        else
        {
            Drafts = await import.ListAsync(ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Upload is null)
        {
            return Refuse(["请选择要导入的 XLSX 或 DOCX 文件。"]);
        }
        try
        {
            await using var content = Upload.OpenReadStream();
            var draft = await import.UploadAsync(Upload.FileName, content, Upload.Length, ProgrammeId, Title, BaseProgramme, User.NameOf(), ct);
            return Redirect($"/programmes/import?draft={draft.Id}");
        }
        catch (ListFormatException e)
        {
            return Refuse([.. e.Errors.Select(x => x.ToString())]);
        }
        catch (DomainException e)
        {
            return Refuse([e.Message]);
        }
    }

    public Task<IActionResult> OnPostRulesAsync(CancellationToken ct) => Act(async id =>
    {
        var current = (await import.FindAsync(id, ct))?.Entries.FirstOrDefault(e => e.Key == Item);
        try
        {
            var rules = Rules.Select((r, i) => r.ToRule($"rules[{i}]", current is not null && i < current.Rules.Count ? current.Rules[i] : null)).OfType<Rule>().ToList();
            await import.SetRulesAsync(id, Item ?? "", rules, User.NameOf(), ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Invalid && FieldLabel(e.Field) is { } label)
        {
            throw new DomainException(e.Field, $"{label}：{e.Message}");
        }
        return $"#entry-{Item}";
    });

    public Task<IActionResult> OnPostUnitsAsync(CancellationToken ct) => Act(async id =>
    {
        var decisions = Decisions.Where(d => !string.IsNullOrEmpty(d.Name) && Enum.TryParse<UnitAction>(d.Action, true, out _))
            .Select(d => new UnitDecisionInput(d.Name!, Enum.Parse<UnitAction>(d.Action!, true), d.Target, d.Kind,
                d.Members?.Split(['、', '，', ',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .ToList();
        await import.SetUnitsAsync(id, decisions, User.NameOf(), ct);
        return "#units";
    });

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken ct)
    {
        if (Draft is not { } id)
        {
            return NotFound();
        }
        try
        {
            var published = await import.PublishAsync(id, User.NameOf(), ct);
            return Redirect($"/programmes/{published.ProgrammeId}?published={published.Version}");
        }
        catch (DomainException e) when (e.Kind != ErrorKind.NotFound)
        {
            View = await import.FindAsync(id, ct);
            return Refuse([e.Message]);
        }
    }

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken ct)
    {
        if (Draft is { } id)
        {
            await import.DiscardAsync(id, User.NameOf(), ct);
        }
        return Redirect("/programmes/import");
    }

    private async Task<IActionResult> Act(Func<Guid, Task<string>> action)
    {
        if (Draft is not { } id)
        {
            return NotFound();
        }
        try
        {
            var anchor = await action(id);
            return Redirect($"/programmes/import?draft={id}{anchor}");
        }
        catch (DomainException e) when (e.Kind != ErrorKind.NotFound)
        {
            View = await import.FindAsync(id, HttpContext.RequestAborted);
            return Refuse([e.Message]);
        }
    }

    private PageResult Refuse(IReadOnlyList<string> errors)
    {
        Errors = errors;
        this.Invalid();
        return Page();
    }

    private static readonly IReadOnlyDictionary<string, string> FieldNames = new Dictionary<string, string>
    {
        ["points"] = "分值", ["cap"] = "上限", ["min"] = "最少次数", ["perMissing"] = "每少一个扣分", ["tiers"] = "档次",
        ["levels"] = "级别分值", ["bands"] = "人数档次", ["categories"] = "类别", ["kind"] = "规则类型", ["text"] = "条款原文",
        ["minStaff"] = "起始人数", ["maxStaff"] = "截止人数", ["required"] = "应交数", ["requirements"] = "人数档次", ["combine"] = "合计方式",
    };

    /// <summary>"rules[1].levels[0].points" → "第2条规则 级别分值（第1项）分值", so a refused rule form says which rule and field.</summary>
    public static string? FieldLabel(string field)
    {
        var m = System.Text.RegularExpressions.Regex.Match(field, @"^rules\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?(?:\.(\w+))?)?$");
        if (!m.Success)
        {
            return null;
        }
        string Name(Group g) => g.Success ? FieldNames.GetValueOrDefault(g.Value, g.Value) : "";
        var label = $"第{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1}条规则";
        if (m.Groups[2].Success)
        {
            label += " " + Name(m.Groups[2]) + (m.Groups[3].Success ? $"（第{int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) + 1}项）" : "") + (m.Groups[4].Success ? Name(m.Groups[4]) : "");
        }
        return label;
    }

    /// <summary>The item text with each flagged clause marked.</summary>
    public static IReadOnlyList<(string Text, bool Flagged)> Marked(EntryView e)
    {
        var spans = e.Flags.Where(f => f.Start >= 0 && f.Length > 0 && f.Start + f.Length <= e.Text.Length).OrderBy(f => f.Start).ToList();
        var parts = new List<(string, bool)>();
        var at = 0;
        foreach (var f in spans)
        {
            if (f.Start < at)
            {
                continue;
            }
            parts.Add((e.Text[at..f.Start], false));
            parts.Add((e.Text.Substring(f.Start, f.Length), true));
            at = f.Start + f.Length;
        }
        parts.Add((e.Text[at..], false));
        return parts;
    }
}
