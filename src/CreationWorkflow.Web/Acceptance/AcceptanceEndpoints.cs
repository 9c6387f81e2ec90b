namespace CreationWorkflow.Web.Acceptance;

public sealed record PackageRequest(string Applicant, string ContactName, string ContactPhone, string? Summary = null);

/// <summary>
/// The acceptance application package for 国家民委: refused below the gate with the shortfall; otherwise written to
/// the data folder (a kept copy, audited) while streaming, then served as a download.
/// </summary>
public static class AcceptanceEndpoints
{
    public static RouteGroupBuilder MapAcceptance(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns/{id:guid}").WithTags("Acceptance");
        api.MapPost("/package", Generate).RequireAuthorization(Policies.Office).WithName("GeneratePackage")
            .WithSummary("Generates the acceptance application package (ZIP) from the reviewed score; 409 with the shortfall below the gate.");
        return api;
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Generate(
        Guid id, PackageRequest body, HttpContext http, CampaignLoader loader, Standings standings, PackageService packages, CancellationToken ct)
    {
        body = PackageService.Check(body);
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        var standing = await standings.StandingAsync(id, "", ct);
        if (!standing.GateOpen)
        {
            var total = standing.Reviewed.Total;
            return TypedResults.Problem(
                title: "未达到验收申请条件",
                detail: PackageService.Refusal(standing),
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?>
                {
                    ["total"] = total,
                    ["minScore"] = standing.MinScore,
                    ["gap"] = standing.Gap,
                    ["inAcceptancePhase"] = standing.InAcceptancePhase,
                    ["shortfall"] = standing.Forecast.Take(10).ToList(),
                });
        }
        var (path, name) = await packages.WriteAsync(campaign, programme, standing, body, http.User.NameOf(), ct);
        return TypedResults.File(File.OpenRead(path), "application/zip", name);
    }
}
