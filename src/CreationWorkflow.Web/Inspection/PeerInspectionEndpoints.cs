using CreationWorkflow.Core.Inspection;

namespace CreationWorkflow.Web.Inspection;

public sealed record PeerPhotoView(Guid Id, string FileName, long Size);

/// <summary>One checklist line: what it asks (<see cref="EvidencePlan.Checklist"/>) and, once recorded, the verdict, note, photos and 督办单.</summary>
public sealed record PeerLineView(string RuleId, string Text, IReadOnlyList<string> Asks, Guid? FindingId, PeerVerdict? Verdict, string? Note,
    string? RecordedBy, DateTimeOffset? RecordedAt, Guid? OrderId, IReadOnlyList<PeerPhotoView> Photos);

public sealed record PeerInspectionView(Guid Id, Guid CampaignId, string Inspector, string Inspected, string Item, string ItemLabel, PeerInspectionState State,
    string StateName, DateTimeOffset AssignedAt, DateTimeOffset? SubmittedAt, IReadOnlyList<PeerLineView> Lines, DateTimeOffset? CancelledAt = null,
    string? CancelReason = null);

public sealed record RectifyView(Guid OrderId, string Title);

public sealed record PairingView(IReadOnlyList<PeerInspectionView> Created, IReadOnlyList<string> Unpaired);

/// <summary>
/// 互观互检 over the API. The office pairs units (or lets the system pair those sharing no items); a unit sees and fills
/// only the inspections it carries out (others answer 404); the office closes them (or cancels open ones) and opens 督办单
/// from their findings. Units are paired only in the self-check phase (<see cref="Core.Inspection.PeerInspectionWindow"/>).
/// </summary>
public static class PeerInspectionEndpoints
{
    public static RouteGroupBuilder MapPeerInspections(this IEndpointRouteBuilder app)
    {
        var campaign = app.MapGroup("/api/campaigns/{id:guid}/peer-inspections").WithTags("PeerInspection");
        campaign.MapGet("", List).RequireAuthorization(Policies.StaffOrUnit).WithName("ListPeerInspections")
            .WithSummary("互观互检 of a campaign: all for staff, a unit user's own (those it carries out).");
        campaign.MapPost("", Pair).RequireAuthorization(Policies.Office).WithName("PairUnits")
            .WithSummary("The office pairs two units: each inspects the items the other leads.");
        campaign.MapPost("/auto", AutoPair).RequireAuthorization(Policies.Office).WithName("AutoPairUnits")
            .WithSummary("The system pairs the units leading items so that no pair shares an item (PeerPairing, deterministic).");
        var api = app.MapGroup("/api/peer-inspections/{id:guid}").WithTags("PeerInspection");
        api.MapGet("", One).RequireAuthorization(Policies.StaffOrUnit).WithName("GetPeerInspection")
            .WithSummary("One inspection with its checklist (from the item's rules and methods) and the recorded lines.");
        api.MapPost("/lines/{ruleId}", Record).RequireAuthorization(Policies.UnitUser).DisableAntiforgery().WithName("RecordPeerLine")
            .WithSummary("The inspecting unit records a checklist line (multipart: verdict conforms|doesNotConform, note, files under the evidence upload rules).");
        api.MapPost("/submit", Submit).RequireAuthorization(Policies.UnitUser).WithName("SubmitPeerInspection")
            .WithSummary("The inspecting unit submits once every line is recorded; the findings show on the item's review.");
        api.MapPost("/close", Close).RequireAuthorization(Policies.Office).WithName("ClosePeerInspection")
            .WithSummary("The office closes a submitted inspection.");
        api.MapPost("/cancel", Cancel).RequireAuthorization(Policies.Office).WithName("CancelPeerInspection")
            .WithSummary("The office cancels an open inspection (待检查, 检查中) with a reason; a submitted or closed one is refused (409).");
        api.MapPost("/findings/{findingId:guid}/rectify", Rectify).RequireAuthorization(Policies.Office).WithName("RectifyPeerFinding")
            .WithSummary("The office turns a 不符合 finding into a 督办单 for the inspected unit (its open work on the item).");
        api.MapGet("/photos/{photoId:guid}", Photo).RequireAuthorization(Policies.StaffOrUnit).WithName("DownloadPeerPhoto")
            .WithSummary("A photo of a checklist line, always as a download.");
        return campaign;
    }

    public static async Task<Ok<IReadOnlyList<PeerInspectionView>>> List(Guid id, PeerInspectionQuery query, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await query.ListAsync(http.User, id, ct));

    public static async Task<Ok<PairingView>> Pair(Guid id, PairRequest request, PeerInspectionService service, PeerInspectionQuery query, HttpContext http, CancellationToken ct)
    {
        var created = await service.PairAsync(id, request, http.User.NameOf(), ct);
        return TypedResults.Ok(new PairingView(await query.ViewsAsync(created, ct), []));
    }

    public static async Task<Ok<PairingView>> AutoPair(Guid id, PeerInspectionService service, PeerInspectionQuery query, HttpContext http, CancellationToken ct)
    {
        var (created, unpaired) = await service.AutoPairAsync(id, http.User.NameOf(), ct);
        return TypedResults.Ok(new PairingView(await query.ViewsAsync(created, ct), unpaired));
    }

    public static async Task<Ok<PeerInspectionView>> One(Guid id, PeerInspectionService service, PeerInspectionQuery query, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await query.ViewAsync(await VisibleAsync(id, service, http, ct), ct));

    public static async Task<Ok<PeerInspectionView>> Record(Guid id, string ruleId, [FromForm] string? verdict, [FromForm] string? note, IFormFileCollection? files,
        PeerInspectionService service, PeerInspectionQuery query, HttpContext http, CancellationToken ct)
    {
        var unit = http.User.UnitOf() ?? throw PeerInspectionService.NotFound();
        await VisibleAsync(id, service, http, ct);
        return TypedResults.Ok(await query.ViewAsync(await service.RecordAsync(id, unit, ruleId, verdict, note, files?.ToList(), http.User.NameOf(), ct), ct));
    }

    public static async Task<Ok<PeerInspectionView>> Submit(Guid id, PeerInspectionService service, PeerInspectionQuery query, HttpContext http, CancellationToken ct)
    {
        var unit = http.User.UnitOf() ?? throw PeerInspectionService.NotFound();
        await VisibleAsync(id, service, http, ct);
        return TypedResults.Ok(await query.ViewAsync(await service.SubmitAsync(id, unit, http.User.NameOf(), ct), ct));
    }

    public static async Task<Ok<PeerInspectionView>> Close(Guid id, PeerInspectionService service, PeerInspectionQuery query, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await query.ViewAsync(await service.CloseAsync(id, http.User.NameOf(), ct), ct));

    public static async Task<Ok<PeerInspectionView>> Cancel(Guid id, CancelInspectionRequest request, PeerInspectionService service, PeerInspectionQuery query,
        HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await query.ViewAsync(await service.CancelAsync(id, request, http.User.NameOf(), ct), ct));

    public static async Task<Created<RectifyView>> Rectify(Guid id, Guid findingId, RectifyRequest request, PeerInspectionService service, HttpContext http, CancellationToken ct)
    {
        var order = await service.RectifyAsync(id, findingId, request, http.User.NameOf(), ct);
        return TypedResults.Created($"/api/supervision/orders/{order.Id}", new RectifyView(order.Id, order.Title));
    }

    public static async Task<Results<FileStreamHttpResult, NotFound>> Photo(Guid id, Guid photoId, PeerInspectionService service, EvidenceStore store, HttpContext http, CancellationToken ct)
    {
        var inspection = await VisibleAsync(id, service, http, ct);
        var photo = inspection.Lines.SelectMany(l => l.Photos).SingleOrDefault(p => p.Id == photoId);
        return photo is null ? TypedResults.NotFound() : TypedResults.File(store.Open(photo.StoredName), "application/octet-stream", photo.FileName);
    }

    private static async Task<PeerInspectionRecord> VisibleAsync(Guid id, PeerInspectionService service, HttpContext http, CancellationToken ct)
    {
        var inspection = await service.FindAsync(id, ct);
        return PeerInspectionService.CanSee(http.User, inspection) ? inspection : throw PeerInspectionService.NotFound();
    }
}
