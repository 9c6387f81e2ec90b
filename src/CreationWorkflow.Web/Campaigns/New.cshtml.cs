namespace CreationWorkflow.Web.Campaigns;

/// <summary>
/// 启动创建活动 (/campaigns/new, office): programme, start date, optional name and, for a unit programme, the assessed
/// units one per line. Goes through <see cref="CampaignService.StartAsync"/>; a refusal is shown next to its field and nothing is created.
/// </summary>
[Authorize(Policy = Policies.Office)]
public sealed class NewModel(CampaignService campaigns, ProgrammeCatalog catalog, Workflows.WorkflowCatalog workflows, ProgrammeWorkflows choose, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Programme> Programmes => catalog.All;

    /// <summary>Programmes without a workflow (imported lists): the office chooses one before their first campaign.</summary>
    public IReadOnlyList<Programme> WithoutWorkflow => [.. catalog.All.Where(p => workflows.ForProgramme(p.Id) is null)];

    /// <summary>The workflow of the programme chosen (the one in the query, or the first), shown under the form.</summary>
    public Core.Workflows.WorkflowDefinition? Workflow => ProgrammeId is null ? null : workflows.ForProgramme(ProgrammeId);

    [TempData] public string? Message { get; set; }

    /// <summary>The versions of the workflow files, for a campaign pinned to an older one.</summary>
    public IReadOnlyList<Core.Workflows.WorkflowDefinition> Versions =>
        [.. catalog.All.Select(p => workflows.ForProgramme(p.Id)).OfType<Core.Workflows.WorkflowDefinition>()
            .SelectMany(d => Enumerable.Range(1, d.Version).Select(v => workflows.TryGet(d.Id, v, out var w) ? w : null).OfType<Core.Workflows.WorkflowDefinition>())];

    [BindProperty] public int? WorkflowVersion { get; set; }

    [BindProperty] public string? ProgrammeId { get; set; }
    [BindProperty] public DateOnly? StartDate { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? AssessedUnits { get; set; }

    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    public void OnGet(string? programme)
    {
        StartDate = ChinaTime.Today(clock.GetUtcNow());
        ProgrammeId = catalog.Find(programme ?? "")?.Id ?? catalog.All.FirstOrDefault()?.Id;
    }

    /// <summary>选用通用流程: the generic workflow for a programme that has none (<see cref="ProgrammeWorkflows"/>).</summary>
    public async Task<IActionResult> OnPostWorkflowAsync(CancellationToken ct)
    {
        StartDate = ChinaTime.Today(clock.GetUtcNow());
        try
        {
            var definition = await choose.ChooseAsync(ProgrammeId ?? "", ProgrammeWorkflows.Generic, User.NameOf(), ct);
            Message = $"已为“{catalog.Find(definition.Programme)!.Header.Title}”选用通用流程（{definition.Steps.Count} 个步骤），可以启动创建活动。";
            return Redirect($"/campaigns/new?programme={Uri.EscapeDataString(definition.Programme)}");
        }
        catch (DomainException e)
        {
            return Show("workflow", this.Refused(e, namedByForm: true).Message);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(ProgrammeId))
        {
            return Refuse("programmeId", "请选择创建方案。");
        }
        if (StartDate is not { } start)
        {
            return Refuse("startDate", "请填写启动日期。");
        }
        var units = Lines(AssessedUnits);
        var programme = catalog.Find(ProgrammeId);
        try
        {
            var campaign = await campaigns.StartAsync(
                new StartCampaign(ProgrammeId, start, string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
                    AssessedUnits: programme?.Header.Subject == ProgrammeSubject.Unit ? units : null,
                    WorkflowVersion: WorkflowVersion),
                User.NameOf(), ct);
            TempData["Message"] = $"已启动创建活动“{campaign.Name}”。";
        }
        catch (DomainException e)
        {
            var refusal = this.Refused(e, namedByForm: true);
            return Show(refusal.Field, refusal.Message);
        }
        return Redirect("/");
    }

    /// <summary>The assessed units as typed: one per line, trimmed, blanks and repeats dropped.</summary>
    public static IReadOnlyList<string> Lines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The error text when it belongs to <paramref name="field"/>.</summary>
    public string? ErrorFor(string field) => ErrorField == field ? Error : null;

    /// <summary>A form error the page finds itself: 400.</summary>
    private PageResult Refuse(string field, string message)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Show(field, message);
    }

    /// <summary>Shows a refusal (its status already set) beside <paramref name="field"/>.</summary>
    private PageResult Show(string field, string message)
    {
        (Error, ErrorField) = (message, field);
        return Page();
    }
}
