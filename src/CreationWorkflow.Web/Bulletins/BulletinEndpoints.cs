namespace CreationWorkflow.Web.Bulletins;

/// <summary>
/// 通报 API: list a campaign's bulletins, build one on demand (office), download its DOCX or XLSX. Staff read every
/// campaign's; a unit user those of a campaign its unit has work in (any other 404).
/// </summary>
public static class BulletinEndpoints
{
    public static RouteGroupBuilder MapBulletins(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns/{id:guid}/bulletins").WithTags("Bulletins");
        api.MapGet("/", List).RequireAuthorization(Policies.StaffOrUnit).WithName("ListBulletins")
            .WithSummary("The campaign's 工作进展通报, newest period first: period, as-of day, who built it when, the SHA-256 and download link of each file.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", Build).RequireAuthorization(Policies.Office).WithName("BuildBulletin")
            .WithSummary("Builds the bulletin of an ended month of the campaign (period yyyy-MM) as of today, stores it and tells the leaders and units; 200 with the stored one when the period has one already.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{period}.docx", (Guid id, string period, BulletinService bulletins, HttpContext http, CancellationToken ct) => Download(id, period, "docx", bulletins, http, ct))
            .RequireAuthorization(Policies.StaffOrUnit).WithName("DownloadBulletinDocx").WithSummary("The stored DOCX of a period's bulletin.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{period}.xlsx", (Guid id, string period, BulletinService bulletins, HttpContext http, CancellationToken ct) => Download(id, period, "xlsx", bulletins, http, ct))
            .RequireAuthorization(Policies.StaffOrUnit).WithName("DownloadBulletinXlsx").WithSummary("The stored XLSX of a period's bulletin (the same tables, numbers as numbers).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<BulletinView>>> List(Guid id, BulletinService bulletins, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await bulletins.ListAsync(id, http.User, ct));

    public static async Task<Results<Created<BulletinView>, Ok<BulletinView>>> Build(Guid id, BuildBulletin request, BulletinService bulletins, HttpContext http, CancellationToken ct)
    {
        var built = await bulletins.BuildAsync(id, request, http.User, ct);
        return built.Created ? TypedResults.Created(built.Bulletin.DocxUrl, built.Bulletin) : TypedResults.Ok(built.Bulletin);
    }

    public static async Task<FileContentHttpResult> Download(Guid id, string period, string format, BulletinService bulletins, HttpContext http, CancellationToken ct)
    {
        var file = await bulletins.FileAsync(id, period, format, http.User, ct);
        return TypedResults.File(file.Bytes, file.ContentType, file.FileName,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.Sha256}\""));
    }
}
