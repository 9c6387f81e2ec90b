namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// 督查看板 (/supervision/board): it opens on a campaign's summary — by unit (default), item or phase, highest risk
/// first, each row drilling down to its assignments — and the units × months heat map; below, the open assignments with
/// their lights, most days late first, filtered by unit, item, phase and light (paged). Inspectors and the office can
/// 催办 a row, or a unit for all its late work at once, and issue a 督办单 from either; leaders read only.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class BoardModel(SupervisionBoard board, BoardSummaries summaries, SupervisionService supervision, AppDbContext db) : PageModel
{
    /// <summary>The campaign of the summary (default: the newest); the rows below are the same campaign's.</summary>
    [BindProperty(SupportsGet = true, Name = "campaign")] public Guid? Campaign { get; set; }
    [BindProperty(SupportsGet = true, Name = "by")] public string? By { get; set; }
    public BoardSummaryView? Summary { get; private set; }
    public IReadOnlyList<HeatCell> Heat { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> CampaignChoices { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public int? Item { get; set; }
    [BindProperty(SupportsGet = true)] public string? Phase { get; set; }
    [BindProperty(SupportsGet = true)] public string? Light { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNo { get; set; }
    [TempData] public string? Message { get; set; }

    public BoardView? View { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<(string Id, string Name)> Phases { get; private set; } = [];
    public bool CanUrge => User.IsInRole(Roles.Office) || User.IsInRole(Roles.Inspector);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public Task<IActionResult> OnPostUrgeAsync(Guid assignmentId, string? note, CancellationToken ct) => UrgingAsync(async () =>
    {
        var notice = await supervision.UrgeAsync(new UrgeRequest(assignmentId, string.IsNullOrWhiteSpace(note) ? null : note), User.NameOf(), ct);
        return $"已催办{notice.Recipient.Replace(Reminders.Recipients.Office, "创建办", StringComparison.Ordinal)}：{notice.Title}";
    }, ct);

    /// <summary>催办 of a unit for all its late work in the summary's campaign: one notice.</summary>
    public Task<IActionResult> OnPostUrgeUnitAsync(string unitName, Guid campaignId, string? note, CancellationToken ct) => UrgingAsync(async () =>
    {
        var notice = await supervision.UrgeUnitAsync(new UrgeUnitRequest(campaignId, unitName, string.IsNullOrWhiteSpace(note) ? null : note), User.NameOf(), ct);
        return $"已催办{unitName}：{notice.Title}";
    }, ct);

    /// <summary>A 催办 from the page: back to the board with what was done, or the board again with the refusal.</summary>
    private async Task<IActionResult> UrgingAsync(Func<Task<string>> urge, CancellationToken ct)
    {
        if (!CanUrge)
        {
            return Forbid();
        }
        try
        {
            Message = await urge();
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Error = e.Message;
            Response.StatusCode = Refusals.StatusOf(e.Kind);
            await LoadAsync(ct);
            return Page();
        }
        return Back();
    }

    private RedirectToPageResult Back() =>
        RedirectToPage(new { unit = Unit, item = Item, phase = Phase, light = Light, p = PageNo, campaign = Campaign, by = By });

    private async Task LoadAsync(CancellationToken ct)
    {
        CampaignChoices = (await db.Campaigns.OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
            .Select(c => (c.Id, c.Name)).ToList();
        try
        {
            (Summary, Heat) = await summaries.SummaryAndHeatAsync(new SummaryQuery(Campaign, By), ct);
        }
        catch (DomainException e)
        {
            Error ??= e.Message;
            Response.StatusCode = Refusals.StatusOf(e.Kind);
        }
        Phases = (await db.Set<Campaigns.CampaignPhaseRecord>().Select(p => new { p.PhaseId, p.Name }).Distinct().ToListAsync(ct))
            .DistinctBy(p => p.PhaseId).Select(p => (p.PhaseId, p.Name)).ToList();
        try
        {
            View = await board.QueryAsync(new BoardQuery(RowsCampaign, Unit, Item, Phase, Light, PageNo, SupervisionBoard.DefaultPageSize), ct);
        }
        catch (DomainException e)
        {
            Error ??= e.Message;
            Response.StatusCode = Refusals.StatusOf(e.Kind);
        }
    }

    /// <summary>The XLSX export of every row under the current filters.</summary>
    public string ExportLink =>
        $"/supervision/board.xlsx?unit={Uri.EscapeDataString(Unit ?? "")}&item={Item}&phase={Uri.EscapeDataString(Phase ?? "")}&light={Uri.EscapeDataString(Light ?? "")}{(RowsCampaign is { } c ? $"&campaignId={c}" : "")}";

    /// <summary>
    /// The rows' campaign: the summary's (chosen, else the newest), so the page counts and lights one campaign's open
    /// work, not every campaign's (the API and the export without a campaign still go across all).
    /// </summary>
    private Guid? RowsCampaign => Campaign ?? Summary?.CampaignId;

    public string PageLink(int page) =>
        $"/supervision/board?unit={Uri.EscapeDataString(Unit ?? "")}&item={Item}&phase={Uri.EscapeDataString(Phase ?? "")}&light={Uri.EscapeDataString(Light ?? "")}&p={page}{CampaignQuery}{(By is null ? "" : "&by=" + Uri.EscapeDataString(By))}";

    /// <summary>A summary tab: the same campaign, grouped another way.</summary>
    public string TabLink(BoardBy by) => $"/supervision/board?by={by.ToString().ToLowerInvariant()}{CampaignQuery}";

    /// <summary>A summary row's drill-down: its rows, on the summary's campaign, in the same tab.</summary>
    public string DrillLink(SummaryRow row)
    {
        var by = Summary!.By;
        var filter = by switch
        {
            BoardBy.Item => "item=" + row.Key,
            BoardBy.Phase => "phase=" + Uri.EscapeDataString(row.Key),
            _ => "unit=" + Uri.EscapeDataString(row.Key),
        };
        return $"/supervision/board?{filter}&campaign={Summary.CampaignId}&by={by.ToString().ToLowerInvariant()}#rows";
    }

    private string CampaignQuery => Campaign is { } c ? $"&campaign={c}" : "";
}
