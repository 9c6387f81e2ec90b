namespace CreationWorkflow.Web.Workflows;

/// <summary>A definition with its versions and the campaigns running on each.</summary>
public sealed record WorkflowView(string Id, string Programme, string Title, int Latest, IReadOnlyList<WorkflowVersionView> Versions);

public sealed record WorkflowVersionView(int Version, string Title, int Steps, int Checkpoints, bool OwnPhases, IReadOnlyList<WorkflowCampaignView> Campaigns);

public sealed record WorkflowCampaignView(Guid Id, string Name);

public sealed record SavedWorkflow(string Id, int Version);

public static class WorkflowEndpoints
{
    public static RouteGroupBuilder MapWorkflows(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workflows").WithTags("Workflows");
        api.MapGet("/", List).RequireAuthorization(Policies.Staff).WithName("ListWorkflows")
            .WithSummary("Every workflow definition with its versions and the campaigns running on each.");
        api.MapGet("/{id}/{version:int}", Get).RequireAuthorization(Policies.Staff).WithName("GetWorkflowVersion")
            .WithSummary("One version of a definition, as workflows/*.json spells it (the body POST …/versions takes).");
        api.MapPost("/{id}/versions", Save).RequireAuthorization(Policies.Office).WithName("SaveWorkflowVersion")
            .WithSummary("Saves an edited definition as the next version, checked as the files are (every fault by JSON path, zh-CN; nothing stored). Running campaigns stay on theirs.");
        return api;
    }

    /// <summary>The definitions and their versions, newest first, with the campaigns on each (one query).</summary>
    public static async Task<List<WorkflowView>> ViewsAsync(WorkflowCatalog workflows, AppDbContext db, CancellationToken ct)
    {
        await workflows.RefreshAsync(db, ct);
        var campaigns = (await db.Campaigns.AsNoTracking().OrderBy(c => c.CreatedAt).Select(c => new { c.Id, c.Name, c.WorkflowId, c.WorkflowVersion }).ToListAsync(ct))
            .ToLookup(c => (c.WorkflowId, c.WorkflowVersion), c => new WorkflowCampaignView(c.Id, c.Name));
        return [.. workflows.Current.Select(latest => new WorkflowView(latest.Id, latest.Programme, latest.Title, latest.Version,
            [.. workflows.VersionsOf(latest.Id).OrderByDescending(d => d.Version).Select(d => new WorkflowVersionView(
                d.Version, d.Title, d.Steps.Count, d.Checkpoints.Count, d.Phases is { Count: > 0 }, [.. campaigns[(d.Id, d.Version)]]))]))];
    }

    public static async Task<Ok<List<WorkflowView>>> List(WorkflowCatalog workflows, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ViewsAsync(workflows, db, ct));

    public static async Task<Results<ContentHttpResult, NotFound>> Get(string id, int version, WorkflowCatalog workflows, AppDbContext db, CancellationToken ct)
    {
        await workflows.RefreshAsync(db, ct);
        return workflows.TryGet(id, version, out var d) ? TypedResults.Text(WorkflowEditing.Json(d), "application/json") : TypedResults.NotFound();
    }

    public static async Task<Created<SavedWorkflow>> Save(string id, JsonElement definition, WorkflowEditing editing, HttpContext http, CancellationToken ct)
    {
        var saved = await editing.SaveAsync(Infrastructure.Input.Text(id, "id", required: true, max: Infrastructure.Input.NameLength)!, definition.GetRawText(), http.User.NameOf(), ct);
        return TypedResults.Created($"/api/workflows/{saved.Id}/{saved.Version}", new SavedWorkflow(saved.Id, saved.Version));
    }
}
