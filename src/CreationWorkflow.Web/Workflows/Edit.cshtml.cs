using System.Text.Json.Nodes;

namespace CreationWorkflow.Web.Workflows;

/// <summary>
/// 编辑流程 (/workflows/{id}/edit, office): a form over the newest version (or <c>?from=</c> an older one) — title and reminder time,
/// each phase's name and months, each step's name, phase, role, action, grain, scope, evidence, reviewer, due rule, recurrence and
/// reminder policy (or 删除), each checkpoint's name, phase and cron — and, for everything else (reminder policies, new steps), the
/// whole definition as JSON. Both are saved through <see cref="WorkflowEditing.SaveAsync"/>: the loader's zh-CN reasons are shown
/// beside the step, phase or checkpoint they name, and nothing is stored until it passes.
/// </summary>
[Authorize(Policy = Policies.Office)]
public sealed partial class EditModel(WorkflowCatalog workflows, WorkflowEditing editing, ProgrammeCatalog programmes, AppDbContext db) : PageModel
{
    public sealed class PhaseInput
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? Start { get; set; }
        public string? End { get; set; }
    }

    public sealed class StepInput
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? Phase { get; set; }
        public string? Role { get; set; }
        public string? Action { get; set; }
        public string? Grain { get; set; }
        public string? Scope { get; set; }
        public bool Evidence { get; set; }
        public string? Reviewer { get; set; }
        public string? DueFrom { get; set; }
        public string? DueDays { get; set; }
        public string? Recurrence { get; set; }
        public string? Reminders { get; set; }
        public bool Remove { get; set; }
    }

    public sealed class CheckpointInput
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? Phase { get; set; }
        public string? Cron { get; set; }
    }

    [FromRoute] public string Id { get; set; } = "";

    public WorkflowDefinition Base { get; private set; } = null!;
    public Programme Programme { get; private set; } = null!;

    [BindProperty] public int BaseVersion { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? RemindAt { get; set; }
    [BindProperty] public List<PhaseInput> Phases { get; set; } = [];
    [BindProperty] public List<StepInput> Steps { get; set; } = [];
    [BindProperty] public List<CheckpointInput> Checkpoints { get; set; } = [];
    [BindProperty] public string? Json { get; set; }

    /// <summary>The loader's reasons by JSON path ($.steps[2].phase), steps numbered as in the form.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The reasons for paths under <paramref name="prefix"/> ("$.steps[2]"), each with the field it names.</summary>
    public IEnumerable<(string Path, string Reason)> ErrorsUnder(string prefix) =>
        Errors.Where(e => e.Key == prefix || e.Key.StartsWith(prefix + ".", StringComparison.Ordinal) || e.Key.StartsWith(prefix + "[", StringComparison.Ordinal))
            .SelectMany(e => e.Value.Select(r => (e.Key, r)));

    /// <summary>The reasons no part of the form shows (the definition as a whole, reminder policies, the bulletin…).</summary>
    public IEnumerable<(string Path, string Reason)> OtherErrors =>
        Errors.Where(e => !FormPath().IsMatch(e.Key)).SelectMany(e => e.Value.Select(r => (e.Key, r)));

    public static string Spell<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static readonly IReadOnlyList<(string Value, string Text)> RoleNames =
        [("lead", "牵头单位"), ("responsible", "责任单位"), ("office", "创建办"), ("assessed", "被考核单位")];
    public static readonly IReadOnlyList<(string Value, string Text)> ActionNames =
        [("acknowledge", "签收"), ("report", "填报进展"), ("submit", "报送"), ("review", "审核"), ("apply", "提出申请")];
    public static readonly IReadOnlyList<(string Value, string Text)> GrainNames = [("item", "每项一表"), ("unit", "每单位一份报告（一月一报）")];
    public static readonly IReadOnlyList<(string Value, string Text)> ScopeNames = [("item", "按事项"), ("campaign", "整个活动一项")];
    public static readonly IReadOnlyList<(string Value, string Text)> ReviewerNames = [("", "不审核"), ("lead", "事项牵头单位"), ("office", "创建办")];
    public static readonly IReadOnlyList<(string Value, string Text)> DueNames =
        [("phaseStart", "阶段开始"), ("phaseEnd", "阶段结束"), ("periodStart", "周期开始"), ("periodEnd", "周期结束")];
    public static readonly IReadOnlyList<(string Value, string Text)> RecurrenceNames = [("", "不重复"), ("month", "每月"), ("quarter", "每季度")];

    public async Task<IActionResult> OnGetAsync(int? from, CancellationToken ct)
    {
        if (!await LoadAsync(from, ct))
        {
            return NotFound();
        }
        Fill(Base);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(BaseVersion, ct))
        {
            return NotFound();
        }
        var node = JsonNode.Parse(WorkflowEditing.Json(Base))!;
        var steps = node["steps"]!.AsArray();
        if (Steps.Count != steps.Count || Checkpoints.Count != node["checkpoints"]!.AsArray().Count || Phases.Count != Programme.Header.Phases.Count)
        {
            return Refused(new Dictionary<string, string[]> { ["$"] = ["表单与所编辑的版本不一致，请重新打开编辑页面。"] });
        }
        node["title"] = Title;
        node["remindAt"] = RemindAt;
        var own = new JsonArray();
        var ownForm = new List<int>();
        for (var i = 0; i < Phases.Count; i++)
        {
            var (input, phase) = (Phases[i], Programme.Header.Phases[i]);
            if (input.Name != phase.Name || input.Start != phase.Start || input.End != phase.End)
            {
                own.Add(new JsonObject { ["id"] = phase.Id, ["name"] = input.Name, ["start"] = input.Start, ["end"] = input.End });
                ownForm.Add(i);
            }
        }
        if (own.Count > 0)
        {
            node["phases"] = own;
        }
        else
        {
            node.AsObject().Remove("phases");
        }
        for (var i = 0; i < Steps.Count; i++)
        {
            var (s, n) = (Steps[i], steps[i]!);
            n["name"] = s.Name;
            n["phase"] = s.Phase;
            n["role"] = s.Role;
            n["action"] = s.Action;
            n["grain"] = s.Grain;
            n["scope"] = s.Scope;
            n["evidence"] = s.Evidence;
            n["reviewer"] = string.IsNullOrEmpty(s.Reviewer) ? null : s.Reviewer;
            n["due"] = new JsonObject
            {
                ["from"] = s.DueFrom,
                ["workingDays"] = int.TryParse(s.DueDays, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days) ? days : s.DueDays,
            };
            n["recurrence"] = string.IsNullOrEmpty(s.Recurrence) ? null : new JsonObject { ["every"] = s.Recurrence };
            n["reminders"] = s.Reminders;
        }
        var checkpoints = node["checkpoints"]!.AsArray();
        for (var i = 0; i < Checkpoints.Count; i++)
        {
            checkpoints[i]!["name"] = Checkpoints[i].Name;
            checkpoints[i]!["phase"] = Checkpoints[i].Phase;
            checkpoints[i]!["cron"] = Checkpoints[i].Cron;
        }
        // Removed steps go last, so the reasons' step numbers map back onto the form's.
        var kept = Enumerable.Range(0, Steps.Count).Where(i => !Steps[i].Remove).ToList();
        node["steps"] = new JsonArray([.. kept.Select(i => steps[i]!.DeepClone())]);
        try
        {
            return Saved(await editing.SaveAsync(Id, node.ToJsonString(), User.NameOf(), HttpContext.RequestAborted));
        }
        catch (DomainException e)
        {
            return Refused(new Dictionary<string, string[]> { [e.Field] = [e.Message] });
        }
        catch (WorkflowRejectedException e)
        {
            // The reasons' step and phase numbers are the saved JSON's: mapped back onto the form's rows.
            int At(Match m, List<int> rows) => rows[int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)];
            return Refused(e.Errors.GroupBy(x => Indexed().Replace(x.Key, m => $"$.{m.Groups[1].Value}[{At(m, m.Groups[1].Value == "steps" ? kept : ownForm)}]"))
                .ToDictionary(g => g.Key, g => g.SelectMany(x => x.Value).ToArray()));
        }
    }

    public async Task<IActionResult> OnPostJsonAsync(CancellationToken ct)
    {
        if (!await LoadAsync(BaseVersion, ct))
        {
            return NotFound();
        }
        try
        {
            return Saved(await editing.SaveAsync(Id, Json ?? "", User.NameOf(), ct));
        }
        catch (DomainException e)
        {
            Fill(Base, json: false);
            return Refused(new Dictionary<string, string[]> { [e.Field] = [e.Message] });
        }
        catch (WorkflowRejectedException e)
        {
            Fill(Base, json: false);
            return Refused(e.Errors);
        }
    }

    private async Task<bool> LoadAsync(int? version, CancellationToken ct)
    {
        await workflows.RefreshAsync(db, ct);
        var definition = version is { } v and > 0 ? (workflows.TryGet(Id, v, out var d) ? d : null) : workflows.Latest(Id);
        if (definition is null && Copy is { } copy && workflows.Latest(copy) is { } model && programmes.Find(Id) is { } target && workflows.ForProgramme(Id) is null)
        {
            // A first definition for a programme that has none (an imported list): the chosen one as the draft, under the
            // programme's id and with its phases; version 1 once saved.
            definition = model with { Id = Id, Programme = target.Id, Version = 1, Title = $"{target.Header.Title}工作流程", Phases = null };
        }
        if (definition is null || programmes.Find(definition.Programme) is not { } programme)
        {
            return false;
        }
        (Base, Programme, BaseVersion) = (definition, programme, definition.Version);
        return true;
    }

    /// <summary>
    /// For a programme without a definition: the definition to start from (<c>?copy=hechi-2021</c>); the new one takes the
    /// programme's id.
    /// </summary>
    [BindProperty(SupportsGet = true)] public string? Copy { get; set; }

    /// <summary>A new definition (copied from <see cref="Copy"/>), not saved yet.</summary>
    public bool IsNew => workflows.Latest(Id) is null;

    private void Fill(WorkflowDefinition d, bool json = true)
    {
        Title = d.Title;
        RemindAt = d.RemindAt;
        Phases = [.. d.PhasesOf(Programme).Select(p => new PhaseInput { Id = p.Id, Name = p.Name, Start = p.Start, End = p.End })];
        Steps = [.. d.Steps.Select(s => new StepInput
        {
            Id = s.Id, Name = s.Name, Phase = s.Phase, Role = Spell(s.Role), Action = Spell(s.Action), Grain = Spell(s.Grain), Scope = Spell(s.Scope),
            Evidence = s.Evidence, Reviewer = s.Reviewer is { } r ? Spell(r) : "", DueFrom = Spell(s.Due.From),
            DueDays = s.Due.WorkingDays.ToString(CultureInfo.InvariantCulture), Recurrence = s.Recurrence is { } rec ? Spell(rec.Every) : "", Reminders = s.Reminders,
        })];
        Checkpoints = [.. d.Checkpoints.Select(c => new CheckpointInput { Id = c.Id, Name = c.Name, Phase = c.Phase, Cron = c.Cron })];
        if (json)
        {
            Json = WorkflowEditing.Json(d);
        }
    }

    private RedirectResult Saved(WorkflowDefinition saved)
    {
        TempData["Message"] = $"已保存为流程 {saved.Id} 第{saved.Version}版。运行中的创建活动仍在原版本上，可在下表中试运行后迁移。";
        return Redirect("/workflows");
    }

    private PageResult Refused(IReadOnlyDictionary<string, string[]> errors)
    {
        Errors = errors;
        Json ??= WorkflowEditing.Json(Base);
        this.Invalid();
        return Page();
    }

    [GeneratedRegex(@"^\$\.(steps|phases)\[(\d+)\]")]
    private static partial Regex Indexed();

    [GeneratedRegex(@"^\$\.(steps|phases|checkpoints)\[\d+\]|^\$\.(title|remindAt)$")]
    private static partial Regex FormPath();
}
