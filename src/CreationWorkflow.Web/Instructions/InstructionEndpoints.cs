namespace CreationWorkflow.Web.Instructions;

/// <summary>
/// 领导批示 over the API (the pages' twins): leaders write and close instructions; the named units answer; staff read all,
/// a unit user only those naming its unit (any other answers 404).
/// </summary>
public static class InstructionEndpoints
{
    public static RouteGroupBuilder MapInstructions(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/instructions").WithTags("Instructions");
        api.MapGet("", List).RequireAuthorization(Policies.StaffOrUnit).WithName("ListInstructions")
            .WithSummary("领导批示, newest first (campaignId, subject=item|order|bulletin with subjectKey, open=true): all for staff, a unit user's own.");
        api.MapPost("", Issue).RequireAuthorization(p => p.RequireRole(Roles.Leader)).WithName("IssueInstruction")
            .WithSummary("A leader's instruction on an item (subjectKey: 12, B3), a 督办单 (its id) or a bulletin (yyyy-MM): a task for the named units with a deadline and reminders.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}", One).RequireAuthorization(Policies.StaffOrUnit).WithName("GetInstruction")
            .WithSummary("One instruction with every named unit's answer; one not naming the caller's unit answers 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/answer", Answer).RequireAuthorization(Policies.UnitUser).DisableAntiforgery().WithName("AnswerInstruction")
            .WithSummary("A named unit's 办理情况 (multipart: text, files under the evidence upload rules), once; the leaders are told.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/close", Close).RequireAuthorization(p => p.RequireRole(Roles.Leader)).WithName("CloseInstruction")
            .WithSummary("办结 by a leader with a note; the named units are told.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id:guid}/files/{fileId:guid}", Download).RequireAuthorization(Policies.StaffOrUnit).WithName("DownloadInstructionFile")
            .WithSummary("A file sent with an answer, always as a download.");
        return api;
    }

    public static async Task<Ok<Page<InstructionView>>> List(
        Guid? campaignId, string? subject, string? subjectKey, bool? open, int? page, InstructionQuery query, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await query.ListAsync(http.User, new InstructionFilter(campaignId, InstructionFilter.SubjectOf(subject), subjectKey, open ?? false, page), ct));

    public static async Task<Created<InstructionView>> Issue(IssueInstructionRequest request, InstructionService service, InstructionQuery query, HttpContext http, CancellationToken ct)
    {
        var instruction = await service.IssueAsync(request, http.User.NameOf(), ct);
        return TypedResults.Created($"/api/instructions/{instruction.Id}", query.View(instruction));
    }

    public static async Task<Ok<InstructionView>> One(Guid id, InstructionService service, InstructionQuery query, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(query.View(await VisibleAsync(id, service, http, ct)));

    public static async Task<Ok<InstructionView>> Answer(
        Guid id, [FromForm] string? text, IFormFileCollection? files, InstructionService service, InstructionQuery query, HttpContext http, CancellationToken ct)
    {
        var unit = http.User.UnitOf() ?? throw InstructionService.NotFound();
        await VisibleAsync(id, service, http, ct);
        return TypedResults.Ok(query.View(await service.AnswerAsync(id, unit, text, files?.ToList(), http.User.NameOf(), ct)));
    }

    public static async Task<Ok<InstructionView>> Close(Guid id, CloseInstructionRequest request, InstructionService service, InstructionQuery query, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(query.View(await service.CloseAsync(id, request, http.User.NameOf(), ct)));

    public static async Task<Results<FileStreamHttpResult, NotFound>> Download(
        Guid id, Guid fileId, InstructionService service, EvidenceStore store, HttpContext http, CancellationToken ct)
    {
        var instruction = await VisibleAsync(id, service, http, ct);
        var file = instruction.Targets.SelectMany(t => t.Files).SingleOrDefault(f => f.Id == fileId);
        return file is null
            ? TypedResults.NotFound()
            : TypedResults.File(store.Open(file.StoredName), "application/octet-stream", file.FileName); // always a download
    }

    private static async Task<InstructionRecord> VisibleAsync(Guid id, InstructionService service, HttpContext http, CancellationToken ct)
    {
        var instruction = await service.FindAsync(id, ct);
        return InstructionService.CanSee(http.User, instruction) ? instruction : throw InstructionService.NotFound();
    }
}
