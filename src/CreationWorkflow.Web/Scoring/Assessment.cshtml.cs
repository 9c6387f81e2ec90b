namespace CreationWorkflow.Web.Scoring;

public sealed record EntryRow(AssessmentEntry Entry, decimal Proposed, decimal Reviewed, ReviewState? State, string? Reason);

/// <summary>
/// 自评 (/campaigns/{id}/assessment): the entries a unit leads (牵头) — or, for the office and other staff, all of them —
/// with the proposed and reviewed score from the engine and the review state. In a unit assessment staff choose the
/// assessed unit (?subject=); a unit user sees its own.
/// </summary>
[Authorize(Roles = Roles.Office + "," + Roles.Unit + "," + Roles.Leader + "," + Roles.Inspector)]
public sealed class AssessmentModel(CampaignLoader loader, Standings standings, AppDbContext db) : PageModel
{
    public AssessmentScope Scope { get; private set; } = null!;
    public Standing Standing { get; private set; } = null!;
    public IReadOnlyList<EntryRow> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, string? subject, CancellationToken ct)
    {
        if (await AssessmentPages.ScopeAsync(User, id, subject, loader, db, ct) is not { } scope)
        {
            return NotFound();
        }
        Scope = scope;
        Standing = await standings.StandingAsync(id, scope.Subject, ct);
        var reviews = await db.ItemReviews.Where(r => r.CampaignId == id && r.Subject == scope.Subject).ToDictionaryAsync(r => r.Item, ct);
        Rows = [.. AssessmentPages.EntriesOf(scope.Programme)
            .Where(e => User.IsStaff() || AssessmentPages.CanEnter(User, scope, e))
            .Select(e => new EntryRow(e, e.ScoreIn(Standing.Proposed), e.ScoreIn(Standing.Reviewed), reviews.GetValueOrDefault(e.Key)?.State, reviews.GetValueOrDefault(e.Key)?.Reason))];
        return Page();
    }
}
