namespace CreationWorkflow.Web.Coverage;

public sealed record ImportedPlaces(int Imported);

/// <summary>
/// The register of creating units and coverage (创建单位台账与覆盖率), API twins of /programmes/{id}/register and
/// /programmes/{id}/coverage: places listed, entered, moved and reviewed, imported from XLSX; denominators; the coverage
/// report; item 47's proposal and its confirmation. Roles are checked here, divisions by <see cref="RegisterScope"/>.
/// </summary>
public static class CoverageEndpoints
{
    public static RouteGroupBuilder MapCoverage(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/programmes/{id}").WithTags("Coverage");
        api.MapGet("/register", List).RequireAuthorization(Policies.StaffOrUnit).WithName("ListPlaces")
            .WithSummary("创建单位台账: places by division, field, state and review (paged); a county sees its own division's only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/register", Add).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Unit)).WithName("AddPlace")
            .WithSummary("Enters a place (a county its own division's; the office any): its field, name and present state, walked through the lifecycle; 命名 with level and date. A county's entry waits for the office's review.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/register/{placeId:long}/move", Move).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Unit)).WithName("MovePlace")
            .WithSummary("Moves a place to its next state (未启动 → 创建中 → 已验收 → 命名; 命名 with level and date); another division's place answers 404.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/register/{placeId:long}", Edit).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Unit)).WithName("EditPlace")
            .WithSummary("Corrects a place (field, name, state, level, date, 十百): a county its own not yet approved (待审核 or 已退回), back to 待审核 with the office told; the office any.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/register/{placeId:long}", Delete).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Unit)).WithName("DeletePlace")
            .WithSummary("Deletes a place: a county its own not yet approved (待审核 or 已退回), the office told; the office any.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/register/{placeId:long}/review", Review).RequireAuthorization(Policies.Office).WithName("ReviewPlace")
            .WithSummary("The office approves a county's entry or change (it then counts toward coverage), or returns it with a reason.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/register/import", Import).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Unit)).DisableAntiforgery().WithName("ImportPlaces")
            .WithSummary("Imports places from an XLSX sheet (县（区）, 领域, 名称, 状态; optional 命名级别, 命名日期, 十百工程示范点): all stored, or none with every row's fault (第N行 X列：…).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/denominators", Denominators).RequireAuthorization(Policies.StaffOrUnit).WithName("ListDenominators")
            .WithSummary("How many places of each field each division has (the coverage denominators), with their sources.");
        api.MapPut("/denominators", SetDenominator).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Unit)).WithName("SetDenominator")
            .WithSummary("Enters a division's count of a field (a county its own) with its source.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/coverage", Report).RequireAuthorization(Policies.StaffOrUnit).WithName("Coverage")
            .WithSummary("Coverage per division and field against every target of seed/coverage (rule text and source with each), demonstration units toward 300 by level and year, 十百 points per year; reviewed places only.");

        var campaigns = app.MapGroup("/api/campaigns/{id:guid}/coverage").WithTags("Coverage");
        campaigns.MapGet("/proposal", Proposal).RequireAuthorization(Policies.StaffOrUnit).WithName("CoverageProposal")
            .WithSummary("Item 47's check as the register proposes it (met or not, target by target), what the item holds now, and whether the caller may confirm it.");
        campaigns.MapPost("/confirm", Confirm).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Unit)).WithName("ConfirmCoverage")
            .WithSummary("The item's lead unit (or the office) confirms the proposal: the check is proposed with the register as its evidence and goes to the office's review.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static RegisterScope Scope(string id, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog) =>
        RegisterScope.For(http.User, id, programmes, catalog);

    public static async Task<Ok<Page<PlaceView>>> List(
        string id, [AsParameters] PlaceQuery query, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterService register, CancellationToken ct) =>
        TypedResults.Ok(await register.ListAsync(Scope(id, http, programmes, catalog), query, ct));

    public static async Task<Created<PlaceView>> Add(
        string id, PlaceRequest body, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterService register, CancellationToken ct)
    {
        var scope = Scope(id, http, programmes, catalog);
        var place = await register.AddAsync(scope, body, http.User.NameOf(), ct);
        return TypedResults.Created($"/api/programmes/{id}/register/{place.Id}", place);
    }

    public static async Task<Ok<PlaceView>> Move(
        string id, long placeId, PlaceMoveRequest body, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterService register, CancellationToken ct) =>
        TypedResults.Ok(await register.MoveAsync(Scope(id, http, programmes, catalog), placeId, body, http.User.NameOf(), ct));

    public static async Task<Ok<PlaceView>> Edit(
        string id, long placeId, PlaceEditRequest body, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterService register, CancellationToken ct) =>
        TypedResults.Ok(await register.EditAsync(Scope(id, http, programmes, catalog), placeId, body, http.User.NameOf(), ct));

    public static async Task<NoContent> Delete(
        string id, long placeId, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterService register, CancellationToken ct)
    {
        await register.DeleteAsync(Scope(id, http, programmes, catalog), placeId, http.User.NameOf(), ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<PlaceView>> Review(
        string id, long placeId, PlaceReviewRequest body, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterService register, CancellationToken ct) =>
        TypedResults.Ok(await register.ReviewAsync(Scope(id, http, programmes, catalog), placeId, body, http.User.NameOf(), ct));

    public static async Task<Results<Ok<ImportedPlaces>, ValidationProblem>> Import(
        string id, IFormFile? file, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterImport import, CancellationToken ct)
    {
        var scope = Scope(id, http, programmes, catalog);
        return await SheetImport.UploadAsync(file, async (f, content) =>
            new ImportedPlaces(await import.ImportAsync(scope, f.FileName, content, f.Length, http.User.NameOf(), ct)), "导入失败，未保存任何创建单位");
    }

    public static async Task<Ok<IReadOnlyList<DenominatorView>>> Denominators(
        string id, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterService register, CancellationToken ct) =>
        TypedResults.Ok(await register.DenominatorsAsync(Scope(id, http, programmes, catalog), ct));

    public static async Task<Ok<DenominatorView>> SetDenominator(
        string id, DenominatorRequest body, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, RegisterService register, CancellationToken ct) =>
        TypedResults.Ok(await register.SetDenominatorAsync(Scope(id, http, programmes, catalog), body, http.User.NameOf(), ct));

    public static async Task<Ok<CoverageView>> Report(
        string id, HttpContext http, ProgrammeCatalog programmes, CoverageCatalog catalog, CoverageQuery coverage, CancellationToken ct) =>
        TypedResults.Ok(await coverage.ReportAsync(Scope(id, http, programmes, catalog), ct));

    public static async Task<Ok<CoverageProposal>> Proposal(Guid id, HttpContext http, CoverageQuery coverage, CancellationToken ct) =>
        TypedResults.Ok(await coverage.ProposalAsync(id, http.User, ct));

    public static async Task<Ok<CoverageProposal>> Confirm(Guid id, HttpContext http, CoverageQuery coverage, CancellationToken ct) =>
        TypedResults.Ok(await coverage.ConfirmAsync(id, http.User, ct));
}
