namespace CreationWorkflow.Web.Assignments;

public sealed record AssignmentView(
    Guid Id, Guid CampaignId, string ProgrammeId, string StepId, string StepName, string PhaseId, int? ItemNo, string? ItemText,
    string Unit, string? Period, DateOnly DueDate, AssignmentState State, string StateName, Light Light, string LightName, int DaysLate, int WorkingDaysLate,
    string? ReviewerUnit, bool Evidence, DateOnly? ExtensionRequestedDueDate, string? ExtensionReason, string? ReturnReason, int Revision);

public sealed record ReasonRequest(string Reason);

public sealed record ExtensionRequestBody(DateOnly DueDate, string Reason);

public sealed record ExtensionDecision(DateOnly? DueDate = null);

public sealed record ChangeRequest(string Reason, DateOnly? DueDate = null, string? Unit = null);

/// <summary>批量签收: every task of the caller's unit in this phase of this campaign not yet signed for.</summary>
public sealed record SignRequest(Guid CampaignId, string PhaseId);

public sealed record SignResult(int Signed, IReadOnlyList<Guid> Ids);

public sealed record AuditView(DateTimeOffset At, string Actor, string Action, string? Before, string? After);

public sealed record TrailView(IReadOnlyList<AuditView> Audit, IReadOnlyList<TrailNotice> Notifications, IReadOnlyList<ProgressView> Progress);

public sealed record TrailNotice(DateTimeOffset At, string Recipient, string Kind, string Title);

public sealed record ProgressView(long Id, DateTimeOffset At, string By, string Text, IReadOnlyList<EvidenceView> Files);

public sealed record EvidenceView(Guid Id, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt);


/// <summary>
/// The assignment API. Every handler loads the assignment, then checks the caller may see it (else 404) and
/// lets the lifecycle decide whether the caller may do this now (else 403/409).
/// </summary>
public static class AssignmentEndpoints
{
    public static RouteGroupBuilder MapAssignments(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/assignments").WithTags("Assignments");
        api.MapGet("/mine", Mine).RequireAuthorization(Policies.UnitUser).WithName("MyAssignments")
            .WithSummary("My unit's assignments sorted by due date with their lights; view=review lists submissions awaiting my review as lead unit; "
                + "group=late|week|review|later|done lists one inbox group (item= narrows it to one item), paged.");
        api.MapGet("/mine/groups", Groups).RequireAuthorization(Policies.UnitUser).WithName("MyInboxGroups")
            .WithSummary("My inbox's groups (逾期, 本周到期, 待我审核, 以后, 已交/已办结) with their counts, 待我审核 by item, and the phases with tasks to sign for.");
        api.MapPost("/sign", Sign).RequireAuthorization(Policies.UnitUser).WithName("SignForPhase")
            .WithSummary("批量签收: signs for every task of my unit in one phase of a campaign not yet signed for, one audit entry each, in one transaction.");
        api.MapGet("/{id:guid}", Get).WithName("GetAssignment");
        api.MapPost("/{id:guid}/acknowledge", Acknowledge).WithName("AcknowledgeAssignment").WithSummary("签收");
        api.MapPost("/{id:guid}/progress", Progress).DisableAntiforgery().WithName("ReportProgress")
            .WithSummary("进展填报: multipart form with 'text' and optional evidence 'files' (PDF, JPEG/PNG, Word/Excel).");
        api.MapPost("/{id:guid}/submit", Submit).WithName("SubmitAssignment").WithSummary("提交");
        api.MapPost("/{id:guid}/return", Return).WithName("ReturnAssignment").WithSummary("退回 (reviewer or office)");
        api.MapPost("/{id:guid}/approve", Approve).WithName("ApproveAssignment").WithSummary("审核通过 (reviewer or office)");
        api.MapPost("/{id:guid}/extension", RequestExtension).WithName("RequestExtension").WithSummary("延期申请");
        api.MapPost("/{id:guid}/extension/approve", ApproveExtension).RequireAuthorization(Policies.Office).WithName("ApproveExtension");
        api.MapPost("/{id:guid}/extension/refuse", RefuseExtension).RequireAuthorization(Policies.Office).WithName("RefuseExtension");
        api.MapPatch("/{id:guid}", Change).RequireAuthorization(Policies.Office).WithName("ChangeAssignment")
            .WithSummary("改期 / 改派 by the office, with a reason; logged and reminders re-planned.");
        api.MapGet("/{id:guid}/trail", Trail).WithName("AssignmentTrail").WithSummary("Audit trail, notifications and progress reports of one assignment.");
        api.MapGet("/{id:guid}/evidence/{fileId:guid}", Download).WithName("DownloadEvidence");
        return api;
    }

    /// <summary>
    /// A unit's work, one page: kept under the campaigns' revisions and the day (<see cref="CampaignFigures"/>), so a
    /// clerk's app asking again reads one revision row instead of counting and loading the rows again.
    /// </summary>
    public static async Task<Ok<Page<AssignmentView>>> Mine(
        HttpContext http, AppDbContext db, Views views, InboxQuery inbox, CampaignFigures figures, TimeProvider clock, Guid? campaignId,
        AssignmentState? state, string? view, string? group, int? item, int? page, int? pageSize, CancellationToken ct)
    {
        var unit = http.User.UnitOf()!;
        var (p, size, skip) = Paging.Check(page, pageSize, defaultPageSize: 50);
        var wanted = group is null ? (InboxGroup?)null : InboxWindow.Parse(group)
            ?? throw new DomainException("group", $"分组须为 late（逾期）、week（本周到期）、review（待我审核）、later（以后）或 done（已交/已办结），而不是 '{group}'。");
        var review = view == "review"; // any other view is the unit's own work: one figure, whatever was typed
        var what = $"mine|{Uri.EscapeDataString(unit)}|{campaignId}|{state}|{review}|{wanted}|{item}|{p}|{size}";
        return TypedResults.Ok(await figures.GetAsync(what, campaignId is { } id ? [id] : null, ChinaTime.Today(clock.GetUtcNow()),
            () => MineAsync(unit, db, views, inbox, campaignId, state, review, wanted, item, p, size, skip, ct), ct));
    }

    private static async Task<Page<AssignmentView>> MineAsync(
        string unit, AppDbContext db, Views views, InboxQuery inbox, Guid? campaignId, AssignmentState? state, bool review, InboxGroup? wanted,
        int? item, int p, int size, int skip, CancellationToken ct)
    {
        if (wanted is { } g)
        {
            var rows = inbox.Rows(unit, inbox.Window(), g, campaignId, state, item);
            var count = await rows.CountAsync(ct);
            return new Page<AssignmentView>(await views.ManyAsync(await rows.AsNoTracking().Skip(skip).Take(size).ToListAsync(ct), ct), count, p, size);
        }
        var query = review
            ? db.Assignments.Where(a => a.ReviewerUnit == unit && a.State == AssignmentState.Submitted)
            : db.Assignments.Where(a => a.Unit == unit);
        if (campaignId is { } c)
        {
            query = query.Where(a => a.CampaignId == c);
        }
        if (state is { } s)
        {
            query = query.Where(a => a.State == s);
        }
        var total = await query.CountAsync(ct);
        var list = await query.AsNoTracking().OrderBy(a => a.State == AssignmentState.Approved || a.State == AssignmentState.Cancelled)
            .ThenBy(a => a.DueDate).ThenBy(a => a.ItemNo).Skip(skip).Take(size).ToListAsync(ct);
        return new Page<AssignmentView>(await views.ManyAsync(list, ct), total, p, size);
    }

    public static async Task<Ok<InboxSummary>> Groups(HttpContext http, InboxQuery inbox, Guid? campaignId, AssignmentState? state, CancellationToken ct) =>
        TypedResults.Ok(await inbox.SummaryAsync(http.User.UnitOf()!, campaignId, state, ct));

    public static async Task<Ok<SignResult>> Sign(SignRequest body, HttpContext http, AssignmentService service, CancellationToken ct)
    {
        var rows = await service.AcknowledgeManyAsync(body.CampaignId, body.PhaseId, http.User.UnitOf()!, http.User.NameOf(), ct);
        return TypedResults.Ok(new SignResult(rows.Count, [.. rows.Select(r => r.Id)]));
    }

    public static async Task<Ok<AssignmentView>> Get(Guid id, HttpContext http, AssignmentService service, Views views, CancellationToken ct) =>
        TypedResults.Ok(await views.OneAsync(http.User.EnsureVisible(await service.FindAsync(id, ct)), ct));

    public static Task<Ok<AssignmentView>> Acknowledge(Guid id, HttpContext http, AssignmentService service, Views views, CancellationToken ct) =>
        Act(id, http, service, views, (l, a, at) => l.Acknowledge(a, at), reviewing: false, ct);

    public static async Task<Ok<AssignmentView>> Submit(Guid id, HttpContext http, AssignmentService service, ReportService reports, Views views, CancellationToken ct)
    {
        var row = http.User.EnsureVisible(await service.FindAsync(id, ct));
        if (await reports.IsReportAsync(id, ct))
        {
            await reports.SubmitAsync(row, http.User, ct); // a per-unit report: every line filled first
            return TypedResults.Ok(await views.OneAsync(row, ct));
        }
        return await Act(id, http, service, views, (l, a, at) => l.Submit(a, at), reviewing: false, ct);
    }

    public static Task<Ok<AssignmentView>> Return(Guid id, ReasonRequest body, HttpContext http, AssignmentService service, Views views, CancellationToken ct) =>
        Act(id, http, service, views, (l, a, at) => l.Return(a, at, body.Reason), reviewing: true, ct);

    public static Task<Ok<AssignmentView>> Approve(Guid id, HttpContext http, AssignmentService service, Views views, CancellationToken ct) =>
        Act(id, http, service, views, (l, a, at) => l.Approve(a, at), reviewing: true, ct);

    public static Task<Ok<AssignmentView>> RequestExtension(Guid id, ExtensionRequestBody body, HttpContext http, AssignmentService service, Views views, CancellationToken ct) =>
        Act(id, http, service, views, (l, a, at) => l.RequestExtension(a, at, body.DueDate, body.Reason), reviewing: false, ct, body.DueDate);

    public static Task<Ok<AssignmentView>> ApproveExtension(Guid id, ExtensionDecision body, HttpContext http, AssignmentService service, Views views, CancellationToken ct) =>
        Act(id, http, service, views, (l, a, at) => l.ApproveExtension(a, at, body.DueDate), reviewing: false, ct, body.DueDate);

    public static Task<Ok<AssignmentView>> RefuseExtension(Guid id, ReasonRequest body, HttpContext http, AssignmentService service, Views views, CancellationToken ct) =>
        Act(id, http, service, views, (l, a, at) => l.RefuseExtension(a, at, body.Reason), reviewing: false, ct);

    public static async Task<Ok<AssignmentView>> Change(Guid id, ChangeRequest body, HttpContext http, AssignmentService service, Views views, CancellationToken ct)
    {
        var row = await service.FindAsync(id, ct);
        await service.ChangeAsync(row, body.DueDate, body.Unit, body.Reason, http.User.NameOf(), ct);
        return TypedResults.Ok(await views.OneAsync(row, ct));
    }

    private static async Task<Ok<AssignmentView>> Act(
        Guid id, HttpContext http, AssignmentService service, Views views,
        Func<AssignmentLifecycle, Actor, DateTimeOffset, AssignmentTransition> act, bool reviewing, CancellationToken ct, DateOnly? dueDate = null)
    {
        var row = http.User.EnsureVisible(await service.FindAsync(id, ct));
        var actor = http.User.ActorFor(row, reviewing);
        await service.ApplyAsync(row, (lifecycle, at) => act(lifecycle, actor, at), http.User.NameOf(), ct, dueDate: dueDate);
        return TypedResults.Ok(await views.OneAsync(row, ct));
    }

    public static async Task<Ok<AssignmentView>> Progress(
        Guid id, [FromForm] string text, IFormFileCollection? files, HttpContext http, ProgressReporting progress, Views views, CancellationToken ct) =>
        TypedResults.Ok(await views.OneAsync(await progress.ReportAsync(id, text, files, http.User, ct), ct));

    public static async Task<Ok<TrailView>> Trail(Guid id, HttpContext http, AssignmentService service, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await AssignmentTrail.LoadAsync(http.User.EnsureVisible(await service.FindAsync(id, ct)), db, ct));

    public static async Task<Results<FileStreamHttpResult, NotFound>> Download(
        Guid id, Guid fileId, HttpContext http, AssignmentService service, ReportService reports, AppDbContext db, EvidenceStore store, CancellationToken ct)
    {
        var row = await service.FindAsync(id, ct);
        if (!await reports.CanSeeAsync(http.User, row, ct))
        {
            return TypedResults.NotFound();
        }
        var file = await db.EvidenceFiles.SingleOrDefaultAsync(f => f.Id == fileId && f.AssignmentId == row.Id, ct)
            ?? (await reports.IsCitedAsync(row.Id, fileId, ct) ? await db.EvidenceFiles.SingleOrDefaultAsync(f => f.Id == fileId, ct) : null);
        if (file is null)
        {
            return TypedResults.NotFound();
        }
        EvidenceStore.AsDownload(http.Response);
        return TypedResults.File(store.Open(file.StoredName), "application/octet-stream", file.FileName); // always a download
    }
}

/// <summary>Builds the views: step names from the campaign's workflow version, item text, light and lateness from the clock (<see cref="Deadline"/>).</summary>
public sealed class Views(AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes, WorkingDayCalendar calendar, TimeProvider clock)
{
    public async Task<AssignmentView> OneAsync(AssignmentRecord row, CancellationToken ct) => (await ManyAsync([row], ct))[0];

    public async Task<List<AssignmentView>> ManyAsync(IReadOnlyList<AssignmentRecord> rows, CancellationToken ct)
    {
        var lookup = await CampaignLookup.LoadAsync(db, workflows, programmes, rows.Select(r => r.CampaignId), ct);
        var today = ChinaTime.Today(clock.GetUtcNow());
        return [.. rows.Select(r =>
        {
            var status = lookup.Status(r, today, calendar);
            return new AssignmentView(r.Id, r.CampaignId, r.ProgrammeId, r.StepId, lookup.StepName(r.CampaignId, r.StepId), r.PhaseId, r.ItemNo,
                lookup.ItemText(r.CampaignId, r.ItemNo), r.Unit, r.PeriodLabel, r.DueDate, r.State, r.State.Label(), status.Light,
                Deadline.Chinese(status.Light), status.DaysLate, status.WorkingDaysLate, r.ReviewerUnit, r.Evidence,
                r.ExtensionRequestedDueDate, r.ExtensionReason, r.ReturnReason, r.Revision);
        })];
    }
}
