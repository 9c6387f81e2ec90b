namespace CreationWorkflow.Web.Campaigns;

/// <summary>
/// What a campaign asks of one unit in one month (by due date): forms due (assignments), fields to fill on them, and
/// files asked for (assignments whose step wants evidence). Fields per form follow the step's action
/// (<see cref="BurdenMeter.FieldsOf"/>).
/// </summary>
public sealed record BurdenCell(string Unit, int Year, int Month, int Forms, int Fields, int Files);

/// <summary>A unit's burden over the campaign: its busiest month and its totals.</summary>
public sealed record UnitBurden(string Unit, int Forms, int Fields, int Files, int PeakForms, int PeakYear, int PeakMonth);

public sealed record BurdenView(Guid CampaignId, IReadOnlyList<UnitBurden> Units, IReadOnlyList<BurdenCell> Months);

/// <summary>
/// The burden meter (基层减负): from one GROUP BY over a campaign's assignments (unit, month, step), never its rows.
/// The office sees it on the setup page; <c>GET /api/campaigns/{id}/burden</c> gives the same figures.
/// </summary>
public sealed class BurdenMeter(AppDbContext db, WorkflowCatalog workflows)
{
    /// <summary>
    /// The fields a unit fills on one form of a step: none to sign for (签收), the text of a report, a submission or an
    /// application (进展、提交、申请), the decision and its reason for a review.
    /// </summary>
    public static int FieldsOf(StepAction action) => action switch
    {
        StepAction.Acknowledge => 0,
        StepAction.Review => 2,
        _ => 1,
    };

    public async Task<BurdenView> MeasureAsync(Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => new { c.WorkflowId, c.WorkflowVersion }).SingleOrDefaultAsync(ct)
            ?? throw new DomainException("id", "创建活动不存在。", ErrorKind.NotFound);
        var steps = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion).Steps.ToDictionary(s => s.Id);
        var groups = await db.Assignments.Where(a => a.CampaignId == campaignId && a.State != AssignmentState.Cancelled && a.Unit != CampaignPlanner.Office)
            .GroupBy(a => new { a.Unit, a.DueDate.Year, a.DueDate.Month, a.StepId })
            .Select(g => new { g.Key.Unit, g.Key.Year, g.Key.Month, g.Key.StepId, Count = g.Count(), Files = g.Count(a => a.Evidence) })
            .ToListAsync(ct);
        var months = groups.GroupBy(g => (g.Unit, g.Year, g.Month))
            .Select(g => new BurdenCell(g.Key.Unit, g.Key.Year, g.Key.Month, g.Sum(x => x.Count),
                g.Sum(x => x.Count * (steps.TryGetValue(x.StepId, out var s) ? FieldsOf(s.Action) : 1)), g.Sum(x => x.Files)))
            .OrderBy(c => c.Unit, StringComparer.Ordinal).ThenBy(c => c.Year).ThenBy(c => c.Month).ToList();
        var units = months.GroupBy(c => c.Unit).Select(g =>
            {
                var peak = g.OrderByDescending(c => c.Forms).ThenBy(c => c.Year).ThenBy(c => c.Month).First();
                return new UnitBurden(g.Key, g.Sum(c => c.Forms), g.Sum(c => c.Fields), g.Sum(c => c.Files), peak.Forms, peak.Year, peak.Month);
            })
            .OrderByDescending(u => u.PeakForms).ThenByDescending(u => u.Forms).ThenBy(u => u.Unit, StringComparer.Ordinal).ToList();
        return new BurdenView(campaignId, units, months);
    }

    public static RouteHandlerBuilder MapBurden(IEndpointRouteBuilder app) =>
        app.MapGet("/api/campaigns/{id:guid}/burden", GetAsync).RequireAuthorization(Policies.Office).WithName("GetCampaignBurden").WithTags("Campaigns")
            .WithSummary("The burden meter: per unit and month (of the due date), forms due, fields to fill and files asked for; each unit's busiest month.")
            .ProducesProblem(StatusCodes.Status404NotFound);

    public static async Task<Ok<BurdenView>> GetAsync(Guid id, BurdenMeter meter, CancellationToken ct) => TypedResults.Ok(await meter.MeasureAsync(id, ct));
}
