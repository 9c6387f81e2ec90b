namespace CreationWorkflow.Web.Supervision;

public sealed record UrgeView(long NotificationId, Guid AssignmentId, string Unit, string Title, DateTimeOffset At);

public sealed record UnitUrgeView(long NotificationId, Guid CampaignId, string Unit, string Title, DateTimeOffset At);

public sealed record OrderAssignmentView(
    Guid Id, int? ItemNo, string? ItemText, string StepId, string StepName, string? Period, DateOnly DueDate, AssignmentState State, string StateText);

public sealed record OrderView(
    Guid Id, Guid CampaignId, string Title, int Year, int Number, string Unit, string Requirement, DateOnly RectifyBy,
    string IssuedBy, DateTimeOffset IssuedAt, SupervisionOrderState State, string StateText,
    string? Feedback, string? FeedbackBy, DateTimeOffset? FeedbackAt, string? Decision, DateTimeOffset? DecidedAt,
    IReadOnlyList<OrderAssignmentView> Assignments, string? Source = null);

public sealed record InspectionView(
    long Id, Guid CampaignId, string CheckpointId, DateTimeOffset RunAt, int OpenCount, int LateCount, IReadOnlyList<Finding> Findings);

/// <summary>
/// Supervision (督查督办): the overdue board, one-click 催办, numbered 督办单 and their 整改反馈, and the checkpoint
/// records. Staff see every unit; a unit user sees only its own unit's orders, and any other answers 404.
/// </summary>
public static class SupervisionEndpoints
{
    /// <summary>Staff, or a user bound to a unit: who may read orders (a unit user reads only its own).</summary>
    private static readonly AuthorizationPolicy StaffOrUnit = new AuthorizationPolicyBuilder()
        .RequireRole(Roles.Office, Roles.Inspector, Roles.Leader, Roles.Unit).Build();

    public static RouteGroupBuilder MapSupervision(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/supervision").WithTags("Supervision");
        api.MapGet("/board", Board).RequireAuthorization(Policies.Staff).WithName("GetSupervisionBoard")
            .WithSummary("The overdue board (督查看板): open assignments with their warning light as of today, most days late first; filters, paging and counts per light.")
            .ProducesValidationProblem();
        api.MapGet("/board/summary", Summary).RequireAuthorization(Policies.Staff).WithName("GetSupervisionBoardSummary")
            .WithSummary("The board's summary for a campaign (default: the newest): per unit (by=unit), item (by=item) or phase (by=phase) — 应交, 已交, 逾期, 最长逾期（工作日）, lights, 按时率 — highest risk first. Drill down with /api/supervision/board?unit=…|item=…|phase=….")
            .ProducesValidationProblem();
        api.MapGet("/board/heatmap", HeatMap).RequireAuthorization(Policies.Staff).WithName("GetSupervisionHeatMap")
            .WithSummary("Units × months of the due date for a campaign (default: the newest): work due by today and the part delivered.");
        api.MapPost("/urge-unit", UrgeUnit).RequireAuthorization(Policies.OfficeOrInspector).WithName("UrgeUnit")
            .WithSummary("催办 of a unit for all its late work in a campaign: one notice naming them, at most once per unit per day.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/urge", Urge).RequireAuthorization(Policies.OfficeOrInspector).WithName("UrgeAssignment")
            .WithSummary("One-click 催办: notifies the assignment's unit, at most once per assignment per day.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/orders", Issue).RequireAuthorization(Policies.OfficeOrInspector).WithName("IssueSupervisionOrder")
            .WithSummary("Issues a numbered 督办单 (督办〔YYYY〕N号) to a unit for some of its assignments, with a rectification deadline.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/orders", Orders).RequireAuthorization(StaffOrUnit).WithName("ListSupervisionOrders")
            .WithSummary("督办单, newest first: all for staff, the caller's own unit's for a unit user.");
        api.MapGet("/orders/{id:guid}", Order).RequireAuthorization(StaffOrUnit).WithName("GetSupervisionOrder")
            .WithSummary("One 督办单 with its assignments; another unit's order answers 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/orders/{id:guid}/feedback", Feedback).RequireAuthorization(Policies.UnitUser).WithName("AnswerSupervisionOrder")
            .WithSummary("The order's unit answers with its 整改反馈 (待反馈 → 已反馈); inspectors and the office are told.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/orders/{id:guid}/close", Close).RequireAuthorization(Policies.OfficeOrInspector).WithName("CloseSupervisionOrder")
            .WithSummary("销号: an answered order is closed with a decision (已反馈 → 已销号); the unit is told.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/orders/{id:guid}/escalate", Escalate).RequireAuthorization(Policies.OfficeOrInspector).WithName("EscalateSupervisionOrder")
            .WithSummary("提级督办: an open or answered order is escalated with a decision; the unit and the leaders are told.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/inspections", Inspections).RequireAuthorization(Policies.Staff).WithName("ListInspections")
            .WithSummary("Checkpoint records (督查记录), newest first, with what each found late.");
        return api;
    }

    public static async Task<Ok<BoardView>> Board([AsParameters] BoardQuery query, SupervisionBoard board, CancellationToken ct) =>
        TypedResults.Ok(await board.QueryAsync(query, ct));

    public static async Task<Ok<BoardSummaryView>> Summary([AsParameters] SummaryQuery query, BoardSummaries summaries, CancellationToken ct) =>
        TypedResults.Ok(await summaries.SummaryAsync(query, ct));

    public static async Task<Ok<IReadOnlyList<HeatCell>>> HeatMap(Guid? campaignId, BoardSummaries summaries, CancellationToken ct) =>
        TypedResults.Ok(await summaries.HeatMapAsync(campaignId, ct));

    public static async Task<Ok<UnitUrgeView>> UrgeUnit(UrgeUnitRequest request, SupervisionService supervision, CancellationToken ct, HttpContext http)
    {
        var notice = await supervision.UrgeUnitAsync(request, http.User.NameOf(), ct);
        return TypedResults.Ok(new UnitUrgeView(notice.Id, request.CampaignId, notice.Recipient, notice.Title, notice.CreatedAt));
    }

    public static async Task<Ok<UrgeView>> Urge(UrgeRequest request, SupervisionService supervision, HttpContext http, CancellationToken ct)
    {
        var notice = await supervision.UrgeAsync(request, http.User.NameOf(), ct);
        return TypedResults.Ok(new UrgeView(notice.Id, request.AssignmentId, notice.Recipient, notice.Title, notice.CreatedAt));
    }

    public static async Task<Created<OrderView>> Issue(
        IssueOrderRequest request, SupervisionService supervision, AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes,
        HttpContext http, CancellationToken ct)
    {
        var order = await supervision.IssueAsync(request, http.User.NameOf(), ct);
        var view = (await OrderViews.LoadAsync([order], db, workflows, programmes, ct))[0];
        return TypedResults.Created($"/api/supervision/orders/{order.Id}", view);
    }

    public static async Task<Ok<List<OrderView>>> Orders(
        Guid? campaignId, string? state, AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes, HttpContext http, CancellationToken ct)
    {
        var orders = db.SupervisionOrders.Include(o => o.Assignments).AsQueryable();
        if (!http.User.IsStaff())
        {
            var unit = UnitOrForbid(http.User);
            orders = orders.Where(o => o.Unit == unit);
        }
        if (campaignId is { } id)
        {
            orders = orders.Where(o => o.CampaignId == id);
        }
        if (ParseState(state) is { } s)
        {
            orders = orders.Where(o => o.State == s);
        }
        var rows = await orders.OrderByDescending(o => o.IssuedAt).ThenByDescending(o => o.Year).ThenByDescending(o => o.Number).ToListAsync(ct);
        return TypedResults.Ok(await OrderViews.LoadAsync(rows, db, workflows, programmes, ct));
    }

    public static async Task<Ok<OrderView>> Order(
        Guid id, SupervisionService supervision, AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes, HttpContext http, CancellationToken ct)
    {
        var order = await supervision.FindAsync(id, ct);
        if (!http.User.IsStaff() && order.Unit != UnitOrForbid(http.User))
        {
            throw SupervisionService.NotFound();
        }
        return TypedResults.Ok((await OrderViews.LoadAsync([order], db, workflows, programmes, ct))[0]);
    }

    public static async Task<Ok<OrderView>> Feedback(
        Guid id, OrderFeedbackRequest request, SupervisionService supervision, AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes,
        HttpContext http, CancellationToken ct)
    {
        var order = await supervision.AnswerAsync(id, UnitOrForbid(http.User), request, http.User.NameOf(), ct);
        return TypedResults.Ok((await OrderViews.LoadAsync([order], db, workflows, programmes, ct))[0]);
    }

    public static Task<Ok<OrderView>> Close(
        Guid id, OrderDecisionRequest request, SupervisionService supervision, AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes,
        HttpContext http, CancellationToken ct) =>
        Decide(id, SupervisionOrderState.Closed, request, supervision, db, workflows, programmes, http, ct);

    public static Task<Ok<OrderView>> Escalate(
        Guid id, OrderDecisionRequest request, SupervisionService supervision, AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes,
        HttpContext http, CancellationToken ct) =>
        Decide(id, SupervisionOrderState.Escalated, request, supervision, db, workflows, programmes, http, ct);

    private static async Task<Ok<OrderView>> Decide(
        Guid id, SupervisionOrderState to, OrderDecisionRequest request, SupervisionService supervision, AppDbContext db, WorkflowCatalog workflows,
        ProgrammeCatalog programmes, HttpContext http, CancellationToken ct)
    {
        var order = await supervision.DecideAsync(id, to, request, http.User.NameOf(), ct);
        return TypedResults.Ok((await OrderViews.LoadAsync([order], db, workflows, programmes, ct))[0]);
    }

    public static async Task<Ok<Page<InspectionView>>> Inspections(Guid? campaignId, int? page, int? pageSize, AppDbContext db, CancellationToken ct)
    {
        var (p, size, skip) = Paging.Check(page, pageSize);
        var records = db.Inspections.AsQueryable();
        if (campaignId is { } id)
        {
            records = records.Where(r => r.CampaignId == id);
        }
        var total = await records.CountAsync(ct);
        var rows = await records.OrderByDescending(r => r.RunAt).ThenByDescending(r => r.Id).Skip(skip).Take(size).ToListAsync(ct);
        var views = rows.Select(r => new InspectionView(r.Id, r.CampaignId, r.CheckpointId, r.RunAt, r.OpenCount, r.LateCount,
            JsonSerializer.Deserialize<List<Finding>>(r.Findings) ?? [])).ToList();
        return TypedResults.Ok(new Page<InspectionView>(views, total, p, size));
    }

    private static string UnitOrForbid(ClaimsPrincipal user) =>
        user.UnitOf() ?? throw new DomainException("unit", "当前账户未绑定单位。", ErrorKind.Forbidden);

    private static SupervisionOrderState? ParseState(string? value) => Input.Choice<SupervisionOrderState>(value, "state",
        $"督办单状态须为 open（待反馈）、answered（已反馈）、closed（已销号）或 escalated（已提级督办），而不是 '{value}'。");
}
