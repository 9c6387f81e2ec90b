namespace CreationWorkflow.Web.Campaigns;

public sealed record CampaignView(
    Guid Id, string Name, string ProgrammeId, string WorkflowId, int WorkflowVersion, DateOnly StartDate,
    IReadOnlyList<CampaignPhaseView> Phases, int Assignments);

public sealed record MigrateRequest(int Version);

/// <summary>A migration's target version; <see cref="AcceptLoss"/>: go on although open tasks the units worked on are cancelled (the dry run lists them).</summary>
public sealed record MigrationRequest(int ToVersion, bool AcceptLoss = false);

public sealed record CampaignPhaseView(string Id, string Name, DateOnly Start, DateOnly End);

public static class CampaignEndpoints
{
    public static RouteGroupBuilder MapCampaigns(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns").WithTags("Campaigns");
        api.MapPost("/", Start).RequireAuthorization(Policies.Office).WithName("StartCampaign")
            .WithSummary("Starts a campaign from the programme's workflow definition on a start date: assignments, deadlines and reminders.");
        api.MapPost("/{id:guid}/migrate", Migrate).RequireAuthorization(Policies.Office).WithName("MigrateCampaign")
            .WithSummary("Moves a running campaign to another version of its workflow definition (explicit and logged).");
        api.MapPost("/{id:guid}/migration/preview", Preview).RequireAuthorization(Policies.Office).WithName("PreviewCampaignMigration")
            .WithSummary("The dry run of moving a campaign to another workflow version: tasks added, cancelled, re-dated, folded, open tasks that would lose their work, finished work kept. Changes nothing.");
        api.MapPost("/{id:guid}/migration", Apply).RequireAuthorization(Policies.Office).WithName("ApplyCampaignMigration")
            .WithSummary("Applies the migration in one transaction, every assignment through the lifecycle with its audit entry; finished work is never reopened. 409 while the dry run has blockers, or open work would be lost without acceptLoss.");
        api.MapGet("/", List).RequireAuthorization(Policies.Staff).WithName("ListCampaigns");
        api.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Staff).WithName("GetCampaign");
        return api;
    }

    public static async Task<Created<CampaignView>> Start(StartCampaign request, CampaignService campaigns, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var campaign = await campaigns.StartAsync(request, http.User.NameOf(), ct, Operations.IdempotencyKeys.Read(http));
        var view = await ViewAsync(db, campaign.Id, ct);
        return TypedResults.Created($"/api/campaigns/{campaign.Id}", view!);
    }

    public static async Task<Ok<CampaignMigration>> Migrate(Guid id, MigrateRequest request, CampaignService campaigns, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await campaigns.MigrateAsync(id, request.Version, http.User.NameOf(), ct, field: "version"));

    public static async Task<Ok<MigrationPreview>> Preview(Guid id, MigrationRequest request, CampaignService campaigns, CancellationToken ct) =>
        TypedResults.Ok(await campaigns.PreviewAsync(id, request.ToVersion, ct));

    public static async Task<Ok<CampaignMigration>> Apply(Guid id, MigrationRequest request, CampaignService campaigns, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await campaigns.MigrateAsync(id, request.ToVersion, http.User.NameOf(), ct, request.AcceptLoss));

    public static async Task<Ok<List<CampaignView>>> List(AppDbContext db, CancellationToken ct)
    {
        var ids = await db.Campaigns.OrderByDescending(c => c.CreatedAt).Select(c => c.Id).ToListAsync(ct);
        var views = new List<CampaignView>();
        foreach (var id in ids)
        {
            views.Add((await ViewAsync(db, id, ct))!);
        }
        return TypedResults.Ok(views);
    }

    public static async Task<Results<Ok<CampaignView>, NotFound>> Get(Guid id, AppDbContext db, CancellationToken ct) =>
        await ViewAsync(db, id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<CampaignView?> ViewAsync(AppDbContext db, Guid id, CancellationToken ct)
    {
        var c = await db.Campaigns.Include(x => x.Phases).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return null;
        }
        var count = await db.Assignments.CountAsync(a => a.CampaignId == id, ct);
        return new CampaignView(c.Id, c.Name, c.ProgrammeId, c.WorkflowId, c.WorkflowVersion, c.StartDate,
            [.. c.Phases.OrderBy(p => p.Start).Select(p => new CampaignPhaseView(p.PhaseId, p.Name, p.Start, p.End))], count);
    }
}
