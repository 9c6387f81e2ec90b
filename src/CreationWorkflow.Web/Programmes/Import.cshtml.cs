using System.Globalization;
using CreationWorkflow.Core.Programmes;
using CreationWorkflow.Core.Programmes.Lists;
using CreationWorkflow.Core.Scoring;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Infrastructure;
using CreationWorkflow.Web.Programmes.Import;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

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

    public static RuleForm Of(Rule r) => r switch
    {
        CheckRule c => new() { Kind = "check", Text = c.Text, Points = c.Points },
        CountRule c => new() { Kind = "count", Text = c.Text, Points = c.Points, Min = c.Min, PerMissing = c.PerMissing },
        PerCaseRule p => new() { Kind = "perCase", Text = p.Text, Points = p.Points, Cap = p.Cap },
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
            "perCase" => new PerCaseRule { Id = "", Text = text, Points = Need(Points, "points"), Cap = Cap },
            "once" => new OnceRule { Id = "", Text = text, Points = Need(Points, "points") },
            "perPerson" => new PerPersonRule { Id = "", Text = text, Points = Need(Points, "points"), PerMissing = PerMissing ?? throw new DomainException($"{field}.perMissing", "请填写每少一人扣分。") },
            "tier" => new TierRule { Id = "", Text = text, Measure = Measure ?? "rate", Tiers = ParseTiers(field) },
            _ => throw new DomainException($"{field}.kind", $"不支持的规则类型「{Kind}」。"),
        };
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
        var rules = Rules.Select((r, i) => r.ToRule($"rules[{i}]", current is not null && i < current.Rules.Count ? current.Rules[i] : null)).OfType<Rule>().ToList();
        await import.SetRulesAsync(id, Item ?? "", rules, User.NameOf(), ct);
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
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
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
