namespace CreationWorkflow.Web.Campaigns;

/// <summary>A pending 延期申请 as the setup page lists it.</summary>
public sealed record PendingExtension(AssignmentView Assignment, DateOnly RequestedDueDate, string Reason, string? By, DateTimeOffset? At);

/// <summary>
/// 任务调整 (/campaigns/{id}/setup, office): the campaign's header; its assignments filtered by unit, item, step and state,
/// paged, each with 改派 / 改期 (a reason each) and a checkbox for 批量改派; the pending 延期申请 with 同意 / 不同意 per row
/// and in bulk. Every change goes through <see cref="AssignmentService"/>; a batch is one transaction, refused whole with
/// the offending row named.
/// </summary>
[Authorize(Policy = Policies.Office)]
public sealed class SetupModel(
    AssignmentService service, Views views, AppDbContext db, ProgrammeCatalog catalog, WorkflowCatalog workflows, BurdenMeter burden, TimeProvider clock)
    : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public int? Item { get; set; }
    [BindProperty(SupportsGet = true)] public string? Step { get; set; }
    [BindProperty(SupportsGet = true)] public AssignmentState? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNo { get; set; }
    [TempData] public string? Message { get; set; }

    public CampaignRecord Campaign { get; private set; } = null!;
    public Programme Programme { get; private set; } = null!;
    public IReadOnlyList<(string Id, string Name)> Steps { get; private set; } = [];
    public IReadOnlyList<string> Units { get; private set; } = [];
    public IReadOnlyList<AssignmentView> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public IReadOnlyList<PendingExtension> Extensions { get; private set; } = [];

    /// <summary>The burden meter: what the campaign asks of each unit per month.</summary>
    public BurdenView? Burden { get; private set; }
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    /// <summary>The filters as query values, so each form comes back to the same list.</summary>
    public Dictionary<string, string> Query => new Dictionary<string, string?>
    {
        ["unit"] = Unit, ["item"] = Item?.ToString(), ["step"] = Step, ["state"] = State?.ToString(), ["p"] = PageNo?.ToString(),
    }.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value!);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>改派 one assignment: the same batch path as 批量改派, with one row.</summary>
    public Task<IActionResult> OnPostReassignAsync(Guid id, Guid assignmentId, string? unit, string? reason, CancellationToken ct) =>
        DoAsync(id, async () =>
        {
            var row = (await service.ReassignManyAsync(id, [assignmentId], unit ?? "", reason ?? "", User.NameOf(), ct))[0];
            return $"已改派给{row.Unit}。";
        }, ct);

    /// <summary>改期 one assignment, to a new date from today on, with a reason.</summary>
    public Task<IActionResult> OnPostRedateAsync(Guid id, Guid assignmentId, DateOnly? dueDate, string? reason, CancellationToken ct) =>
        DoAsync(id, async () =>
        {
            var row = await db.Assignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.CampaignId == id, ct)
                ?? throw new DomainException("assignmentId", "任务不存在或不属于本次创建活动。", ErrorKind.NotFound);
            if (dueDate is not { } due)
            {
                throw new DomainException("dueDate", "请选择新的截止日期。");
            }
            await service.ChangeAsync(row, due, null, reason ?? "", User.NameOf(), ct);
            return $"已将截止日期改为{due:yyyy-MM-dd}。";
        }, ct);

    /// <summary>批量改派: the checked rows to one unit with one reason, all or none.</summary>
    public Task<IActionResult> OnPostBulkReassignAsync(Guid id, List<Guid> ids, string? unit, string? reason, CancellationToken ct) =>
        DoAsync(id, async () =>
        {
            var rows = await service.ReassignManyAsync(id, ids, unit ?? "", reason ?? "", User.NameOf(), ct);
            return $"已将{rows.Count}项任务改派给{unit?.Trim()}。";
        }, ct);

    /// <summary>同意延期 for the checked requests (or the one row's), to the requested dates; all or none.</summary>
    public Task<IActionResult> OnPostApproveExtensionsAsync(Guid id, List<Guid> ids, CancellationToken ct) =>
        DoAsync(id, async () =>
        {
            var rows = await service.DecideExtensionsAsync(id, ids, approve: true, null, User.NameOf(), ct);
            return $"已同意{rows.Count}项延期申请。";
        }, ct);

    /// <summary>不同意延期 for the checked requests (or the one row's), with one note; all or none.</summary>
    public Task<IActionResult> OnPostRefuseExtensionsAsync(Guid id, List<Guid> ids, string? note, CancellationToken ct) =>
        DoAsync(id, async () =>
        {
            var rows = await service.DecideExtensionsAsync(id, ids, approve: false, note, User.NameOf(), ct);
            return $"已不同意{rows.Count}项延期申请。";
        }, ct);

    private async Task<IActionResult> DoAsync(Guid id, Func<Task<string>> act, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == id, ct))
        {
            return NotFound();
        }
        try
        {
            Message = await act();
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear(); // nothing refused is stored; show what is
            Error = r.Message;
            ErrorField = r.Field;
            await LoadAsync(id, ct);
            Response.StatusCode = r.Status;
            return Page();
        }
        return RedirectToPage(new { id, unit = Unit, item = Item, step = Step, state = State, p = PageNo });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await db.Campaigns.AsNoTracking().Include(c => c.Phases).SingleOrDefaultAsync(c => c.Id == id, ct) is not { } campaign
            || catalog.Find(campaign.ProgrammeId, campaign.ProgrammeVersion) is not { } programme)
        {
            return false;
        }
        (Campaign, Programme) = (campaign, programme);
        Today = ChinaTime.Today(clock.GetUtcNow());
        Burden = await burden.MeasureAsync(id, ct);
        Steps = [.. workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion).Steps.DistinctBy(s => s.Id).Select(s => (s.Id, s.Name))];
        var campaignUnits = await db.Assignments.Where(a => a.CampaignId == id).Select(a => a.Unit).Distinct().ToListAsync(ct);
        Units = [.. programme.Units.Units.Select(u => u.Name).Concat(campaignUnits).Where(u => u != Core.Workflows.CampaignPlanner.Office)
            .Distinct().Order(StringComparer.Ordinal)];

        var query = db.Assignments.AsNoTracking().Where(a => a.CampaignId == id);
        if (!string.IsNullOrWhiteSpace(Unit))
        {
            var unit = Unit.Trim();
            query = query.Where(a => a.Unit.Contains(unit));
        }
        if (Item is { } item)
        {
            query = query.Where(a => a.ItemNo == item);
        }
        if (!string.IsNullOrWhiteSpace(Step))
        {
            query = query.Where(a => a.StepId == Step);
        }
        if (State is { } state)
        {
            query = query.Where(a => a.State == state);
        }
        try
        {
            var (page, size, skip) = Paging.Check(PageNo, PageSize, PageSize);
            PageNumber = page;
            Total = await query.CountAsync(ct);
            var rows = await query.OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.Unit).ThenBy(a => a.Id).Skip(skip).Take(size).ToListAsync(ct);
            Rows = await views.ManyAsync(rows, ct);
        }
        catch (DomainException e) when (Refusals.Of(e) is { } r)
        {
            Error ??= r.Message;
            ErrorField ??= r.Field;
            Response.StatusCode = r.Status;
        }

        var pending = await db.Assignments.AsNoTracking().Where(a => a.CampaignId == id && a.ExtensionRequestedDueDate != null)
            .OrderBy(a => a.ExtensionRequestedAt).ThenBy(a => a.Id).ToListAsync(ct);
        var pendingViews = await views.ManyAsync(pending, ct);
        Extensions = [.. pending.Zip(pendingViews, (r, v) => new PendingExtension(v, r.ExtensionRequestedDueDate!.Value, r.ExtensionReason ?? "", r.ExtensionRequestedBy, r.ExtensionRequestedAt))];
        return true;
    }

    /// <summary>Whether 改派 / 改期 may apply: not once approved or cancelled.</summary>
    public static bool Changeable(AssignmentView a) => a.State is not (AssignmentState.Approved or AssignmentState.Cancelled);

    public string PageLink(int page) =>
        $"/campaigns/{Campaign.Id}/setup?unit={Uri.EscapeDataString(Unit ?? "")}&item={Item}&step={Uri.EscapeDataString(Step ?? "")}&state={State}&p={page}";
}
