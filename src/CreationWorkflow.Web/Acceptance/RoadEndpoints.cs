using CreationWorkflow.Core.Acceptance;

namespace CreationWorkflow.Web.Acceptance;

public sealed record RoadFileView(Guid Id, string FileName, long Size, string Sha256, string Link);

public sealed record RoadOrderView(Guid Id, string Title, string Unit, string Requirement, DateOnly RectifyBy, SupervisionOrderState State, string StateText, string Link);

public sealed record RoadStepView(
    Guid Id, RoadTrigger Trigger, string StepText, string Clause, string Source, RoadStage Stage, DateOnly Date, string? Result, string? Notes,
    int? TermYear, decimal? Score, string RecordedBy, DateTimeOffset RecordedAt, IReadOnlyList<RoadFileView> Files, IReadOnlyList<RoadOrderView> Findings);

/// <summary>A step the road may take next, with the clause it comes from.</summary>
public sealed record RoadNextView(RoadTrigger Trigger, string Move, string StepText, string Clause);

/// <summary>A yearly review of the 巩固提升 term: due on the naming anniversary, recorded or not.</summary>
public sealed record RoadReviewView(int Year, DateOnly Due, DateOnly? RecordedOn, decimal? Score);

public sealed record RoadView(
    Guid CampaignId, RoadStage Stage, string StageText, DateOnly? NamedOn, IReadOnlyList<RoadNextView> Next, IReadOnlyList<RoadStepView> Steps,
    IReadOnlyList<RoadReviewView> Reviews)
{
    public static RoadView Of(RoadRecord road, IReadOnlyList<Supervision.SupervisionOrderRecord> orders)
    {
        var steps = road.Steps.OrderBy(s => s.Date).ThenBy(s => s.RecordedAt).Select(s =>
        {
            var declared = RoadLifecycle.StepOf(s.Trigger);
            return new RoadStepView(s.Id, s.Trigger, declared.Chinese, declared.Clause, declared.Source, s.Stage, s.Date, s.Result, s.Notes, s.TermYear, s.Score,
                s.RecordedBy, s.RecordedAt,
                [.. s.Files.OrderBy(f => f.UploadedAt).Select(f => new RoadFileView(f.Id, f.FileName, f.Size, f.Sha256, $"/api/campaigns/{road.CampaignId}/road/files/{f.Id}"))],
                [.. orders.Where(o => o.RoadStepId == s.Id).Select(o => new RoadOrderView(o.Id, o.Title, o.Unit, o.Requirement, o.RectifyBy, o.State,
                    SupervisionOrderLifecycle.Chinese(o.State), $"/supervision/orders/{o.Id}"))]);
        }).ToList();
        var reviews = road.NamedOn is { } named
            ? RoadLifecycle.ReviewDates(named).Select((due, i) =>
            {
                var done = road.Steps.SingleOrDefault(s => s.TermYear == i + 1);
                return new RoadReviewView(i + 1, due, done?.Date, done?.Score);
            }).ToList()
            : [];
        return new RoadView(road.CampaignId, road.Stage, RoadLifecycle.Chinese(road.Stage), road.NamedOn,
            [.. RoadLifecycle.Next(road.Stage).Select(t => RoadLifecycle.StepOf(t)).Select(s =>
                new RoadNextView(s.Trigger, JsonNamingPolicy.CamelCase.ConvertName(s.Trigger.ToString()), s.Chinese, s.Clause))],
            steps, reviews);
    }
}

/// <summary>
/// The road after 90 over the API (the acceptance page's twins): office and leaders read it; the office records each step
/// (multipart: move, date, result, notes, files, and for 初验 the findings as findingText/findingUnit/findingRectifyBy rows).
/// </summary>
public static class RoadEndpoints
{
    public static RouteGroupBuilder MapRoad(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns/{id:guid}/road").WithTags("Acceptance");
        api.MapGet("", Get).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Leader)).WithName("GetRoad")
            .WithSummary("The road after the 90-point gate: its stage, the steps that may come next (each with its clause), the recorded steps with documents and 初验 findings' 督办单, and the 巩固提升 reviews.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("", Record).RequireAuthorization(Policies.Office).DisableAntiforgery().WithName("RecordRoadStep")
            .WithSummary("Records the next step of the road (multipart: move, date, result, notes, files; for preliminaryCheck findingText/findingUnit/findingRectifyBy rows, each becoming a 督办单). 409 in zh-CN when out of order.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/files/{fileId:guid}", Download).RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Leader)).WithName("DownloadRoadFile")
            .WithSummary("A document of a road step, always as a download.");
        return api;
    }

    public static async Task<Ok<RoadView>> Get(Guid id, RoadService service, CancellationToken ct)
    {
        var (_, _, road) = await service.LoadAsync(id, tracked: false, ct);
        return TypedResults.Ok(RoadView.Of(road, await service.FindingOrdersAsync(id, ct)));
    }

    public static async Task<Created<RoadView>> Record(Guid id, IFormCollection form, RoadService service, HttpContext http, CancellationToken ct)
    {
        string? One(string key) => form.TryGetValue(key, out var v) ? v.ToString() : null;
        string[] All(string key) => form.TryGetValue(key, out var v) ? [.. v.Select(x => x ?? "")] : [];
        var move = RoadMove.FromForm(One("move"), One("date"), One("result"), One("notes"), All("findingText"), All("findingUnit"), All("findingRectifyBy"));
        await service.RecordAsync(id, move, [.. form.Files], http.User.NameOf(), ct);
        var (_, _, road) = await service.LoadAsync(id, tracked: false, ct);
        return TypedResults.Created($"/api/campaigns/{id}/road", RoadView.Of(road, await service.FindingOrdersAsync(id, ct)));
    }

    /// <summary>A step as a form carries it (API and page alike): dates as yyyy-MM-dd, findings as parallel rows.</summary>
    public static async Task<Results<FileStreamHttpResult, NotFound>> Download(Guid id, Guid fileId, RoadService service, EvidenceStore store, CancellationToken ct)
    {
        var (_, _, road) = await service.LoadAsync(id, tracked: false, ct);
        var file = road.Steps.SelectMany(s => s.Files).SingleOrDefault(f => f.Id == fileId);
        return file is null ? TypedResults.NotFound() : TypedResults.File(store.Open(file.StoredName), "application/octet-stream", file.FileName);
    }
}
