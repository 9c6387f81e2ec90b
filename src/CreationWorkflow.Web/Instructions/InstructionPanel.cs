namespace CreationWorkflow.Web.Instructions;

/// <summary>What the panel shows: the instructions written on one subject (or on any of a campaign's bulletins) and, for a leader, the form.</summary>
public sealed record InstructionPanelModel(
    Guid CampaignId, InstructionSubject Subject, string? Key, IReadOnlyList<InstructionView> Items, bool CanIssue,
    IReadOnlyList<string> Units, IReadOnlyList<string> Suggested, IReadOnlyList<(string Key, string Label)> KeyChoices, string ReturnUrl, DateOnly DefaultDue);

/// <summary>
/// 领导批示 on the page where they are written (item, 督办单, bulletins): the instructions the caller may see, newest first,
/// with each unit's state, and for leaders the form (posted to /instructions, back to this page). One component, so the
/// three pages show instructions alike.
/// </summary>
public sealed class InstructionPanelViewComponent(InstructionQuery query, AppDbContext db, ProgrammeCatalog programmes, TimeProvider clock) : ViewComponent
{
    /// <summary>Instructions the panel lists (the rest are on /instructions).</summary>
    public const int Shown = 20;

    public async Task<IViewComponentResult> InvokeAsync(
        Guid campaignId, InstructionSubject subject, string? key, IReadOnlyList<string>? suggested = null, IReadOnlyList<(string, string)>? keyChoices = null)
    {
        var user = HttpContext.User;
        var page = await query.ListAsync(user, new InstructionFilter(campaignId, subject, key), HttpContext.RequestAborted);
        var canIssue = user.IsInRole(Roles.Leader);
        IReadOnlyList<string> units = [];
        if (canIssue)
        {
            var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
                .Select(c => new { c.ProgrammeId, c.ProgrammeVersion }).SingleOrDefaultAsync(HttpContext.RequestAborted);
            var directory = campaign is not null && programmes.Find(campaign.ProgrammeId, campaign.ProgrammeVersion) is { } p
                ? p.Units.Units.Select(u => u.Name).ToList()
                : [];
            // A unit assessment has no directory: its units are those the campaign gives work to (one DISTINCT).
            units = directory.Count > 0 ? directory
                : await db.Assignments.Where(a => a.CampaignId == campaignId).Select(a => a.Unit).Distinct().OrderBy(u => u).ToListAsync(HttpContext.RequestAborted);
        }
        var today = ChinaTime.Today(clock.GetUtcNow());
        var back = HttpContext.Request.Path + HttpContext.Request.QueryString;
        return View("/Instructions/_Panel.cshtml", new InstructionPanelModel(
            campaignId, subject, key, [.. page.Items.Take(Shown)], canIssue, units, suggested ?? [], keyChoices ?? [], back, today.AddDays(14)));
    }
}

/// <summary>The unit inbox's 领导批示: the open instructions the caller's unit still owes its 办理情况 to, due first.</summary>
public sealed class OwedInstructionsViewComponent(InstructionQuery query) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var unit = HttpContext.User.IsInRole(Roles.Unit) ? HttpContext.User.UnitOf() : null;
        IReadOnlyList<InstructionView> owed = unit is null ? [] : await query.OwedByAsync(unit, HttpContext.RequestAborted);
        return View("/Instructions/_Owed.cshtml", owed);
    }
}
