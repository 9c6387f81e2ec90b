using CreationWorkflow.Web.Instructions;

namespace CreationWorkflow.Web.Campaigns;

public sealed record EscalatedOrder(Guid Id, string Title, string Unit, DateOnly RectifyBy, string? Decision, DateTimeOffset? DecidedAt);

/// <summary>
/// 需关注 (/attention): what a leader steers by in one campaign (default: the newest) — the items whose points are at risk
/// (the standing's <see cref="Standing.PointsAtRisk"/>), the 督办单 escalated to the leaders, the units red on the board
/// (its summary by unit), and the instructions not yet answered by every named unit. Every list comes from an aggregate
/// query the home page and the board already use; none reads a campaign's assignments row by row.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class AttentionModel(AppDbContext db, CampaignLoader loader, Standings standings, BoardSummaries summaries, InstructionQuery instructions) : PageModel
{
    public CampaignRecord? Campaign { get; private set; }
    public IReadOnlyList<CampaignRecord> Campaigns { get; private set; } = [];
    public IReadOnlyList<AtRisk> Risks { get; private set; } = [];
    public IReadOnlyList<EscalatedOrder> Orders { get; private set; } = [];
    public IReadOnlyList<SummaryRow> RedUnits { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string SubjectTitle, string Text, DateOnly DueDate, int Units, int Pending)> Unanswered { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public bool UnitProgramme { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? campaign, CancellationToken ct)
    {
        Campaigns = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id).Take(20).ToListAsync(ct);
        Campaign = campaign is { } id ? await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) : Campaigns.FirstOrDefault();
        if (campaign is not null && Campaign is null)
        {
            return NotFound();
        }
        if (Campaign is not { } c)
        {
            return Page();
        }
        var summary = await summaries.SummaryAsync(new SummaryQuery(c.Id, "unit"), ct);
        Today = summary.Today;
        RedUnits = [.. summary.Rows.Where(r => r.Red > 0)];
        // A city programme's points at risk are the city's; a unit assessment scores each unit (its ranking shows them).
        UnitProgramme = (await loader.LoadAsync(c.Id, ct)).Programme.Header.Subject == Core.Programmes.ProgrammeSubject.Unit;
        Risks = UnitProgramme ? [] : (await standings.StandingAsync(c.Id, "", ct)).PointsAtRisk;
        Orders = [.. (await db.SupervisionOrders.AsNoTracking().Where(o => o.CampaignId == c.Id && o.State == SupervisionOrderState.Escalated)
                .OrderByDescending(o => o.DecidedAt).Take(50)
                .Select(o => new { o.Id, o.Year, o.Number, o.Unit, o.RectifyBy, o.Decision, o.DecidedAt }).ToListAsync(ct))
            .Select(o => new EscalatedOrder(o.Id, Reminders.ReminderTexts.OrderTitle(o.Year, o.Number), o.Unit, o.RectifyBy, o.Decision, o.DecidedAt))];
        Unanswered = await instructions.UnansweredAsync(c.Id, ct);
        return Page();
    }
}
