namespace CreationWorkflow.Web.Campaigns;

public sealed record PhaseProgress(string PhaseId, string Name, DateOnly Start, DateOnly End, int Done, int Open, int Late);

public sealed record CampaignOverview(
    CampaignRecord Campaign, Programme Programme, IReadOnlyList<PhaseProgress> Phases, Standing? Standing, Ranking? Ranking,
    IReadOnlyList<Supervision.HeatCell> Heat);

/// <summary>
/// 首页 / 总览 (/): for the office and leaders, each campaign's work by phase (done, open, late), its reviewed score by
/// target against the maximum, the points at risk, the 90-point gate; the units × months heat map of one campaign (the
/// newest, or the one chosen with <c>?campaign=</c>; the others link to theirs); the office's latest notices. Other roles
/// go to their own start page.
/// </summary>
public sealed class HomeModel(
    AppDbContext db, Standings standings, Supervision.BoardSummaries summaries, ProgrammeCatalog catalog, TimeProvider clock,
    Infrastructure.CampaignFigures figures) : PageModel
{
    public const int MaxCampaigns = 5;

    /// <summary>How many of the items whose points are at risk the dashboard names (the rest are on the acceptance page).</summary>
    public const int TopRisks = 8;

    public IReadOnlyList<CampaignOverview> Campaigns { get; private set; } = [];
    public IReadOnlyList<NotificationView> Notices { get; private set; } = [];
    public IReadOnlyList<Programme> Programmes => catalog.All;
    public DateOnly Today { get; private set; }

    /// <summary>The campaign whose heat map is drawn (<c>?campaign=</c>); the newest city campaign shown when not given or not shown.</summary>
    [BindProperty(SupportsGet = true, Name = "campaign")] public Guid? Chosen { get; set; }

    /// <summary>The campaign whose heat map the page draws: one map, not one per campaign (each is ~400 cells).</summary>
    public Guid? HeatCampaign { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Office) && !User.IsInRole(Roles.Leader))
        {
            return Redirect(User.IsInRole(Roles.Unit) ? "/inbox" : User.IsInRole(Roles.Inspector) ? "/supervision/board"
                : User.IsInRole(Roles.Evaluator) ? "/assessment/rates" : "/programmes");
        }
        Today = ChinaTime.Today(clock.GetUtcNow());
        var today = Today;
        // The newest campaigns with their phases, kept like their figures (a new campaign, or a change to one, is a new revision).
        var campaigns = await figures.GetAsync("home-campaigns", null, today, async () => (IReadOnlyList<CampaignRecord>)await db.Campaigns.AsNoTracking()
            .Include(c => c.Phases).OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id).Take(MaxCampaigns).ToListAsync(ct), ct);
        // Every figure of every campaign shown comes from one query for all of them (phases, standings, heat maps):
        // the page's cost does not grow with a query per campaign.
        var shown = campaigns.Select(c => (Campaign: c, Programme: catalog.Find(c.ProgrammeId, c.ProgrammeVersion)))
            .Where(x => x.Programme is not null).Select(x => (x.Campaign, Programme: x.Programme!)).ToList();
        var ids = shown.Select(x => x.Campaign.Id).ToList();
        var cities = shown.Where(x => x.Programme.Header.Subject == ProgrammeSubject.City).ToList();
        var counts = (await figures.GetAsync("home-phases", ids, today, () => Supervision.LightQuery.CountAndLateAsync(db.Assignments.Where(a => ids.Contains(a.CampaignId)),
                a => new PhaseKey { CampaignId = a.CampaignId, PhaseId = a.PhaseId, State = a.State }, today, ct), ct))
            .ToLookup(x => (x.Key.CampaignId, x.Key.PhaseId));
        var standingOf = await standings.StandingsAsync(cities, "", ct);
        HeatCampaign = cities.Any(x => x.Campaign.Id == Chosen) ? Chosen : cities.Select(x => (Guid?)x.Campaign.Id).FirstOrDefault();
        IReadOnlyDictionary<Guid, IReadOnlyList<Supervision.HeatCell>> heat = HeatCampaign is { } drawn ? await summaries.HeatMapsAsync([drawn], null, ct) : new Dictionary<Guid, IReadOnlyList<Supervision.HeatCell>>();
        var list = new List<CampaignOverview>();
        foreach (var (c, programme) in shown)
        {
            var phases = c.Phases.OrderBy(p => p.Start).Select(p =>
            {
                var n = counts[(c.Id, p.PhaseId)].ToList();
                return new PhaseProgress(p.PhaseId, p.Name, p.Start, p.End,
                    n.Where(x => x.Key.State == AssignmentState.Approved).Sum(x => x.Count),
                    n.Where(x => x.Key.State is not (AssignmentState.Approved or AssignmentState.Cancelled)).Sum(x => x.Count),
                    n.Sum(x => x.Late));
            }).ToList();
            var city = programme.Header.Subject == ProgrammeSubject.City;
            list.Add(new CampaignOverview(c, programme, phases,
                city ? standingOf[c.Id] : null,
                city ? null : await standings.RankingAsync(c.Id, ct),
                heat.GetValueOrDefault(c.Id) ?? []));
        }
        Campaigns = list;

        if (User.IsInRole(Roles.Office))
        {
            var recipients = User.RecipientsOf();
            Notices = await db.Notifications.Where(n => recipients.Contains(n.Recipient)).OrderByDescending(n => n.Id).Take(10)
                .Select(n => new NotificationView(n.Id, n.Kind.Spelling(), n.Title, n.Body, n.Link, n.CampaignId, n.AssignmentId, n.CreatedAt, n.ReadAt))
                .ToListAsync(ct);
        }
        return Page();
    }

    /// <summary>A campaign's phase and state: the overview's task counts group by these.</summary>
    public sealed class PhaseKey
    {
        public Guid CampaignId { get; set; }
        public string PhaseId { get; set; } = "";
        public AssignmentState State { get; set; }
    }
}
