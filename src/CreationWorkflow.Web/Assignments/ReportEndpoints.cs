namespace CreationWorkflow.Web.Assignments;

public sealed record LineReviewRequest(string? Reason = null);

/// <summary>
/// Per-unit reports (一月一报): the lines of a report, saving one line, reviewing one line, and the caller's review queue.
/// The report is submitted with the assignment's own <c>POST /api/assignments/{id}/submit</c>. A report the caller may
/// not see answers 404; a line the caller may not change or review answers 403/409 with the reason.
/// </summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/assignments").WithTags("Reports");
        api.MapGet("/review-lines", ReviewLines).RequireAuthorization(Policies.UnitUser).WithName("MyReviewLines")
            .WithSummary("待我审核: report lines awaiting my unit's review as the items' lead unit, by item.");
        api.MapGet("/{id:guid}/lines", Lines).WithName("ReportLines")
            .WithSummary("The lines of a per-unit report, with last period's text and citable evidence (none for a per-item assignment).");
        api.MapPost("/{id:guid}/lines/{itemNo:int}", SaveLine).DisableAntiforgery().WithName("SaveReportLine")
            .WithSummary("Saves one line as a draft: multipart form with 'text' (or 'copyPrevious'), or 'noProgress' with 'noProgressReason'; 'cite' (earlier evidence ids) and 'files'.");
        api.MapPost("/{id:guid}/lines/{itemNo:int}/approve", ApproveLine).WithName("ApproveReportLine").WithSummary("通过 one line (its item's lead unit or the office).");
        api.MapPost("/{id:guid}/lines/approve-mine", ApproveMine).WithName("ApproveMyReportLines")
            .WithSummary("全部通过: approves every submitted line of the report that my unit reviews (the office: those 创建办 reviews) in one change, an audit entry per line.");
        api.MapPost("/review-lines/items/{itemNo:int}/approve", ApproveItem).WithName("ApproveItemReviewLines")
            .WithSummary("本项全部通过: approves every submitted line of the item that my unit reviews (the office: those 创建办 reviews) in all reports of the campaign (?campaignId=, or every campaign), in one change; an audit entry per line.");
        api.MapPost("/{id:guid}/lines/{itemNo:int}/return", ReturnLine).WithName("ReturnReportLine").WithSummary("退回 one line with a reason; only that line reopens.");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<ReviewLineView>>> ReviewLines(Guid? campaignId, HttpContext http, ReportService reports, CancellationToken ct) =>
        TypedResults.Ok(await reports.ReviewQueueAsync(http.User.UnitOf()!, campaignId, ct));

    public static async Task<Ok<ReportView>> Lines(Guid id, HttpContext http, ReportService reports, CancellationToken ct) =>
        TypedResults.Ok(await reports.ViewAsync(await reports.FindVisibleAsync(id, http.User, ct, anyAssignment: true), http.User, ct));

    public static async Task<Ok<ReportView>> SaveLine(
        Guid id, int itemNo, [FromForm] string? text, [FromForm] bool? noProgress, [FromForm] string? noProgressReason, [FromForm] bool? copyPrevious,
        [FromForm] Guid[]? cite, IFormFileCollection? files, HttpContext http, ReportService reports, CancellationToken ct)
    {
        var row = await reports.FindVisibleAsync(id, http.User, ct);
        await reports.SaveLineAsync(row, itemNo, new LineInput(text, noProgress ?? false, noProgressReason, copyPrevious ?? false, cite), files?.ToList() ?? [], http.User, ct);
        return TypedResults.Ok(await reports.ViewAsync(row, http.User, ct));
    }

    public static Task<Ok<ReportView>> ApproveLine(Guid id, int itemNo, HttpContext http, ReportService reports, CancellationToken ct) =>
        ReviewAsync(id, itemNo, approve: true, null, http, reports, ct);

    public static async Task<Ok<ReportView>> ApproveMine(Guid id, HttpContext http, ReportService reports, CancellationToken ct)
    {
        var row = await reports.FindVisibleAsync(id, http.User, ct);
        await reports.ApproveMineAsync(row, http.User, ct);
        return TypedResults.Ok(await reports.ViewAsync(row, http.User, ct));
    }

    public sealed record ItemApproval(int ItemNo, int Lines, int Reports);

    public static async Task<Ok<ItemApproval>> ApproveItem(int itemNo, Guid? campaignId, HttpContext http, ReportService reports, CancellationToken ct)
    {
        var (lines, count) = await reports.ApproveItemAsync(campaignId, itemNo, http.User, ct);
        return TypedResults.Ok(new ItemApproval(itemNo, lines, count));
    }

    public static Task<Ok<ReportView>> ReturnLine(Guid id, int itemNo, LineReviewRequest body, HttpContext http, ReportService reports, CancellationToken ct) =>
        ReviewAsync(id, itemNo, approve: false, body.Reason, http, reports, ct);

    private static async Task<Ok<ReportView>> ReviewAsync(Guid id, int itemNo, bool approve, string? reason, HttpContext http, ReportService reports, CancellationToken ct)
    {
        var row = await reports.FindVisibleAsync(id, http.User, ct);
        await reports.ReviewLineAsync(row, itemNo, approve, reason, http.User, ct);
        return TypedResults.Ok(await reports.ViewAsync(row, http.User, ct));
    }
}
