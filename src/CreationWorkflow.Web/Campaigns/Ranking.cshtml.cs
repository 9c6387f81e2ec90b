namespace CreationWorkflow.Web.Campaigns;

/// <summary>
/// 排名 (/campaigns/{id}/ranking, leaders, office, inspectors; read-only): for a unit assessment (台江) the units ranked by
/// their reviewed scores with the negative list applied (<see cref="Standings.RankingAsync"/>); for a city programme
/// (河池) the units ranked by their work so far (<see cref="WorkRanking"/>). Both download as XLSX from /campaigns/{id}/ranking.xlsx.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class RankingModel(CampaignLoader loader, Standings standings, Supervision.BoardSummaries summaries) : PageModel
{
    public CampaignRecord Campaign { get; private set; } = null!;
    public Programme Programme { get; private set; } = null!;
    public Ranking? Units { get; private set; }
    public WorkRanking? Work { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        try
        {
            (Campaign, Programme) = await loader.LoadAsync(id, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return NotFound();
        }
        if (Programme.Header.Subject == ProgrammeSubject.Unit)
        {
            Units = await standings.RankingAsync(id, ct);
        }
        else
        {
            Work = await WorkRanking.ComputeAsync(summaries, id, ct);
        }
        return Page();
    }

    public static string Pct(decimal? rate) => rate is { } r ? r.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%" : "—";
}

/// <summary>排名 in the menu (/ranking): the ranking of the only campaign, or the list of campaigns to choose from.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class RankingIndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<CampaignRecord> Campaigns { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Campaigns = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id).ToListAsync(ct);
        return Campaigns.Count == 1 ? Redirect($"/campaigns/{Campaigns[0].Id}/ranking") : Page();
    }
}
