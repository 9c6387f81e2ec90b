namespace CreationWorkflow.Web.Supervision;

/// <summary>One of the unit's open assignments the issue form offers to list on the order.</summary>
public sealed record IssueCandidate(Guid Id, string Text, DateOnly DueDate, int DaysLate, string StateText);

/// <summary>
/// 开具督办单 (/supervision/orders/new?assignment={id}), from a row of the board: the order goes to that assignment's
/// unit in its campaign, listing that assignment and, if ticked, the unit's other late ones, with a rectification
/// deadline and requirement. <see cref="SupervisionService.IssueAsync"/> numbers it and refuses bad input; a refusal is
/// shown on the form in Chinese and nothing is stored.
/// </summary>
[Authorize(Policy = Policies.OfficeOrInspector)]
public sealed class IssueModel(
    SupervisionService supervision, AppDbContext db, TimeProvider clock, WorkingDayCalendar calendar, WorkflowCatalog workflows, ProgrammeCatalog programmes)
    : PageModel
{
    /// <summary>How many of the unit's other late assignments the form offers.</summary>
    public const int MaxCandidates = 100;

    /// <summary>The rectification deadline the form suggests: five working days from today.</summary>
    public const int DefaultWorkingDays = 5;

    [BindProperty(SupportsGet = true, Name = "assignment")] public Guid AssignmentId { get; set; }

    /// <summary>From a unit's row of the board's summary: every late assignment offered is ticked.</summary>
    [BindProperty(SupportsGet = true, Name = "all")] public bool All { get; set; }

    /// <summary>From a unit's row of the summary (without an assignment): the unit and campaign; the order starts from its oldest late work.</summary>
    [BindProperty(SupportsGet = true, Name = "unit")] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true, Name = "campaign")] public Guid? Campaign { get; set; }

    public AssignmentRecord Assignment { get; private set; } = null!;
    public IReadOnlyList<IssueCandidate> Candidates { get; private set; } = [];
    public ISet<Guid> Selected { get; private set; } = new HashSet<Guid>();
    public string? Requirement { get; private set; }
    public DateOnly RectifyBy { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        Selected = All ? Candidates.Select(c => c.Id).ToHashSet() : new HashSet<Guid> { Assignment.Id };
        RectifyBy = calendar.AddWorkingDays(Today, DefaultWorkingDays);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(List<Guid>? assignmentIds, string? requirement, DateOnly? rectifyBy, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        Selected = (assignmentIds ?? []).ToHashSet();
        Requirement = requirement;
        RectifyBy = rectifyBy ?? default;
        if (rectifyBy is not { } deadline)
        {
            return Refuse("rectifyBy", "请选择整改期限。", StatusCodes.Status400BadRequest);
        }
        try
        {
            var order = await supervision.IssueAsync(
                new IssueOrderRequest(Assignment.CampaignId, Assignment.Unit, [.. Selected], requirement ?? "", deadline), User.NameOf(), ct);
            TempData["Message"] = $"已下发{order.Title}，整改期限{order.RectifyBy:yyyy年M月d日}，已通知{order.Unit}。";
            return Redirect($"/supervision/orders/{order.Id}");
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            return Refuse(e.Field, e.Message, e.Kind == ErrorKind.NotFound ? StatusCodes.Status400BadRequest : Refusals.StatusOf(e.Kind));
        }
    }

    private PageResult Refuse(string field, string message, int status)
    {
        ErrorField = field;
        Error = FieldName(field) + message;
        Response.StatusCode = status;
        return Page();
    }

    private static string FieldName(string field) => field switch
    {
        "requirement" => "整改要求：",
        "rectifyBy" => "",
        "assignmentIds" => "督办任务：",
        _ => "",
    };

    /// <summary>The board's assignment (404 when it does not exist) and the unit's open assignments the order may list.</summary>
    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Today = ChinaTime.Today(clock.GetUtcNow());
        var found = AssignmentId == Guid.Empty && Unit is { } unit && Campaign is { } campaign
            ? await db.Assignments.Where(a => a.CampaignId == campaign && a.Unit == unit).Where(LightQuery.LateOn(Today))
                .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.StepId).ThenBy(a => a.Period).FirstOrDefaultAsync(ct)
            : await db.Assignments.SingleOrDefaultAsync(a => a.Id == AssignmentId, ct);
        if (found is not { } row)
        {
            return false;
        }
        Assignment = row;
        var today = Today;
        var others = await db.Assignments
            .Where(a => a.CampaignId == row.CampaignId && a.Unit == row.Unit && a.Id != row.Id)
            .Where(LightQuery.LateOn(today))
            .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.StepId).ThenBy(a => a.Period)
            .Take(MaxCandidates).ToListAsync(ct);
        var lookup = await CampaignLookup.LoadAsync(db, workflows, programmes, [row.CampaignId], ct);
        Candidates = [.. new[] { row }.Concat(others).Select(a => new IssueCandidate(
            a.Id, lookup.Describe(a), a.DueDate, Deadline.DaysLate(a.State, a.DueDate, today), a.State.Label()))];
        return true;
    }
}
