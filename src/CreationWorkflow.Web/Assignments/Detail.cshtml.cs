namespace CreationWorkflow.Web.Assignments;

/// <summary>
/// One assignment (/assignments/{id}): what it is, its trail, and forms for what the lifecycle lets the caller do now.
/// Loads, then checks <see cref="Access.CanSee"/>: an assignment the caller may not see answers 404, for reading and for every form.
/// Refusals (lifecycle, evidence checks) are shown on the page in Chinese with their status; nothing is stored.
/// </summary>
public sealed class DetailModel(AssignmentService service, ReportService reports, ProgressReporting progress, Views views, AppDbContext db, EvidenceStore store) : PageModel
{
    public AssignmentView Assignment { get; private set; } = null!;

    /// <summary>A per-unit report's lines (null for a per-item assignment): filled one by one, reviewed one by one.</summary>
    public ReportView? Report { get; private set; }
    public TrailView Trail { get; private set; } = null!;
    public IReadOnlySet<AssignmentTrigger> Permitted { get; private set; } = new HashSet<AssignmentTrigger>();
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    [TempData] public string? Message { get; set; }

    /// <summary>Form values kept on a refused form, so the user does not retype them.</summary>
    public string? Text { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>Shows the assignment; opening it counts as reading the caller's notices about it (its unit's, or its role's).</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, [FromServices] TimeProvider clock, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is null)
        {
            return NotFound();
        }
        var recipients = User.RecipientsOf();
        await Reminders.NotificationReads.MarkAsync(db, db.Notifications.Where(n => n.AssignmentId == id && recipients.Contains(n.Recipient)),
            User.NameOf(), clock.GetUtcNow(), ct);
        return Page();
    }

    /// <summary>Evidence download: same visibility check, always an attachment, never sniffed or rendered.</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(Guid id, Guid fileId, CancellationToken ct)
    {
        if (await FindVisibleAsync(id, ct) is not { } row)
        {
            return NotFound();
        }
        var file = await db.EvidenceFiles.SingleOrDefaultAsync(f => f.Id == fileId && f.AssignmentId == row.Id, ct)
            ?? (await reports.IsCitedAsync(row.Id, fileId, ct) ? await db.EvidenceFiles.SingleOrDefaultAsync(f => f.Id == fileId, ct) : null);
        if (file is null)
        {
            return NotFound();
        }
        return store.Download(this, file.StoredName, file.FileName);
    }

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid id, string? back, CancellationToken ct) =>
        ActAsync(id, (l, a, at) => l.Acknowledge(a, at), reviewing: false, "已签收。", back, ct);

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, string? back, CancellationToken ct) =>
        await reports.IsReportAsync(id, ct)
            ? await ReportAsync(id, row => reports.SubmitAsync(row, User, ct), "报告已提交，各条目等待审核。", ct)
            : await ActAsync(id, (l, a, at) => l.Submit(a, at), reviewing: false, "已提交，等待审核。", back, ct);

    /// <summary>Saves one line of a per-unit report as a draft (text, 本期无新进展, cited and new evidence).</summary>
    public Task<IActionResult> OnPostLineAsync(
        Guid id, int itemNo, string? text, bool noProgress, string? noProgressReason, bool copyPrevious, Guid[]? cite, CancellationToken ct)
    {
        Text = text;
        return ReportAsync(id, row => reports.SaveLineAsync(row, itemNo, new LineInput(text, noProgress, noProgressReason, copyPrevious, cite),
            Request.HasFormContentType ? [.. Request.Form.Files] : [], User, ct), $"第{itemNo}项已保存。", ct);
    }

    public Task<IActionResult> OnPostLineApproveAsync(Guid id, int itemNo, CancellationToken ct) =>
        ReportAsync(id, row => reports.ReviewLineAsync(row, itemNo, approve: true, null, User, ct), $"第{itemNo}项已通过。", ct);

    /// <summary>全部通过: every line of the report awaiting the caller's review, in one action.</summary>
    public async Task<IActionResult> OnPostLinesApproveMineAsync(Guid id, CancellationToken ct)
    {
        var approved = 0;
        return await ReportAsync(id, async row => approved = (await reports.ApproveMineAsync(row, User, ct)).Count, () => $"已通过{approved}项。", ct);
    }

    public Task<IActionResult> OnPostLineReturnAsync(Guid id, int itemNo, string? reason, CancellationToken ct)
    {
        Reason = reason;
        return ReportAsync(id, row => reports.ReviewLineAsync(row, itemNo, approve: false, reason, User, ct), $"第{itemNo}项已退回。", ct);
    }

    private Task<IActionResult> ReportAsync(Guid id, Func<AssignmentRecord, Task> act, string done, CancellationToken ct) =>
        ReportAsync(id, act, () => done, ct);

    private async Task<IActionResult> ReportAsync(Guid id, Func<AssignmentRecord, Task> act, Func<string> done, CancellationToken ct)
    {
        if (await FindVisibleAsync(id, ct) is not { } row)
        {
            return NotFound();
        }
        try
        {
            await act(row);
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear();
            return await RefuseAsync(id, r.Field, r.Message, r.Status, ct);
        }
        Message = done();
        return RedirectToPage(new { id });
    }

    public Task<IActionResult> OnPostApproveAsync(Guid id, string? back, CancellationToken ct) =>
        ActAsync(id, (l, a, at) => l.Approve(a, at), reviewing: true, "已审核通过。", back, ct);

    public Task<IActionResult> OnPostReturnAsync(Guid id, string? reason, CancellationToken ct)
    {
        Reason = reason;
        return ActAsync(id, (l, a, at) => l.Return(a, at, reason ?? ""), reviewing: true, "已退回。", null, ct);
    }

    public Task<IActionResult> OnPostExtensionAsync(Guid id, DateOnly? dueDate, string? reason, CancellationToken ct)
    {
        Reason = reason;
        if (dueDate is not { } due)
        {
            return RefuseAsync(id, "dueDate", "请选择申请延期至的日期。", StatusCodes.Status400BadRequest, ct);
        }
        return ActAsync(id, (l, a, at) => l.RequestExtension(a, at, due, reason ?? ""), reviewing: false, "延期申请已提交，等待创建办审批。", null, ct, due);
    }

    public Task<IActionResult> OnPostApproveExtensionAsync(Guid id, CancellationToken ct) =>
        User.IsInRole(Roles.Office)
            ? ActAsync(id, (l, a, at) => l.ApproveExtension(a, at), reviewing: false, "已批准延期。", null, ct)
            : ForbidOrNotFoundAsync(id, ct);

    public Task<IActionResult> OnPostRefuseExtensionAsync(Guid id, string? reason, CancellationToken ct)
    {
        Reason = reason;
        return User.IsInRole(Roles.Office)
            ? ActAsync(id, (l, a, at) => l.RefuseExtension(a, at, reason ?? ""), reviewing: false, "已不予延期。", null, ct)
            : ForbidOrNotFoundAsync(id, ct);
    }

    /// <summary>进展填报: text plus evidence files, by the same service as the API (same checks, nothing stored on refusal).</summary>
    public async Task<IActionResult> OnPostProgressAsync(Guid id, string? text, CancellationToken ct)
    {
        Text = text;
        if (await FindVisibleAsync(id, ct) is null)
        {
            return NotFound();
        }
        try
        {
            await progress.ReportAsync(id, text ?? "", Request.Form.Files, User, ct);
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear();
            return await RefuseAsync(id, r.Field, r.Message, r.Status, ct);
        }
        Message = "进展已报送。";
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> ActAsync(
        Guid id, Func<AssignmentLifecycle, Actor, DateTimeOffset, AssignmentTransition> act, bool reviewing, string done, string? back, CancellationToken ct,
        DateOnly? dueDate = null)
    {
        if (await FindVisibleAsync(id, ct) is not { } row)
        {
            return NotFound();
        }
        var actor = User.ActorFor(row, reviewing);
        try
        {
            await service.ApplyAsync(row, (lifecycle, at) => act(lifecycle, actor, at), User.NameOf(), ct, dueDate: dueDate);
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear(); // the refused change stays unsaved; reload what is stored
            return await RefuseAsync(id, r.Field, r.Message, r.Status, ct);
        }
        Message = done;
        return back == "inbox" ? Redirect("/inbox") : RedirectToPage(new { id });
    }

    private async Task<IActionResult> ForbidOrNotFoundAsync(Guid id, CancellationToken ct) =>
        await FindVisibleAsync(id, ct) is null ? NotFound() : await RefuseAsync(id, "actor", "只有创建办可以审批延期申请。", StatusCodes.Status403Forbidden, ct);

    private async Task<IActionResult> RefuseAsync(Guid id, string field, string message, int status, CancellationToken ct)
    {
        if (status == StatusCodes.Status404NotFound || await LoadAsync(id, ct) is null)
        {
            return NotFound();
        }
        Error = message;
        ErrorField = field;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<AssignmentRecord?> FindVisibleAsync(Guid id, CancellationToken ct)
    {
        var row = await db.Assignments.SingleOrDefaultAsync(a => a.Id == id, ct);
        return row is not null && await reports.CanSeeAsync(User, row, ct) ? row : null;
    }

    private async Task<AssignmentRecord?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await FindVisibleAsync(id, ct) is not { } row)
        {
            return null;
        }
        Assignment = await views.OneAsync(row, ct);
        Trail = await AssignmentTrail.LoadAsync(row, db, ct);
        var core = AssignmentService.ToCore(row);
        var lifecycle = new AssignmentLifecycle(core);
        var permitted = lifecycle.PermittedTriggers(User.ActorFor(row)).ToHashSet();
        permitted.UnionWith(lifecycle.PermittedTriggers(User.ActorFor(row, reviewing: true)));
        if (await reports.IsReportAsync(row.Id, ct))
        {
            Report = await reports.ViewAsync(row, User, ct);
            // A report is filled and reviewed line by line below; 签收, 提交 and extensions stay whole-report actions.
            permitted.ExceptWith([AssignmentTrigger.ReportProgress, AssignmentTrigger.Approve, AssignmentTrigger.Return]);
        }
        Permitted = permitted;
        return row;
    }

    public static string LightClass(Light light) => "light-" + light.ToString().ToLowerInvariant();

    /// <summary>An audit action as the trail shows it: assignment.acknowledge → 签收.</summary>
    public static string ActionName(string action) => action switch
    {
        AuditActions.AssignmentUrged => "催办",
        AuditActions.AssignmentReassigned => "改派",
        AuditActions.AssignmentRescheduled => "改期",
        AuditActions.AssignmentCreated => "交办",
        AuditActions.ReportLineSaved => "保存条目",
        AuditActions.ReportLineSubmitted => "报送条目",
        AuditActions.ReportLineReturned => "退回条目",
        AuditActions.ReportLineApproved => "通过条目",
        _ when AuditActions.IsAssignmentTransition(action, out var trigger) => trigger.Label(),
        _ => action,
    };
}
