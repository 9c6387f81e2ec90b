namespace CreationWorkflow.Web.Inspection;

/// <summary>
/// 互观互检 of a campaign (/campaigns/{id}/peer-inspections): the office pairs two units (each inspects the items the other
/// leads) or lets the system pair units sharing no items; the list of inspections — all for staff, a unit's own.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class IndexModel(PeerInspectionService service, PeerInspectionQuery query, CampaignLoader loader, AppDbContext db) : InspectionPageModel(db)
{
    public Guid CampaignId { get; private set; }
    public string CampaignName { get; private set; } = "";
    public IReadOnlyList<PeerInspectionView> Inspections { get; private set; } = [];
    public IReadOnlyList<string> Units { get; private set; } = [];
    public bool CanPair => User.IsInRole(Roles.Office);

    /// <summary>Why units cannot be paired today (outside the self-check phase); null in it.</summary>
    public string? PhaseNote { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostPairAsync(Guid id, string? inspector, string? inspected, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        return !CanPair ? Forbid() : await ActAsync(id, async () =>
        {
            var created = await service.PairAsync(id, new PairRequest(inspector ?? "", inspected ?? ""), User.NameOf(), ct);
            return $"已派发互查任务{created.Count}项：{inspector}与{inspected}互查对方牵头的测评内容。";
        }, ct);
    }

    public async Task<IActionResult> OnPostAutoAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        return !CanPair ? Forbid() : await ActAsync(id, async () =>
        {
            var (created, unpaired) = await service.AutoPairAsync(id, User.NameOf(), ct);
            return $"系统已按“互不共担测评内容”配对，派发互查任务{created.Count}项。" + (unpaired.Count == 0 ? "" : $"未能配对：{string.Join("、", unpaired)}。");
        }, ct);
    }

    protected override async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var (campaign, programme) = await loader.LoadAsync(id, ct);
            (CampaignId, CampaignName) = (campaign.Id, campaign.Name);
            Units = [.. PeerInspectionService.LeadItems(programme).Keys.Order(StringComparer.Ordinal)];
            PhaseNote = service.PhaseRefusal(campaign, programme);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
        Inspections = await query.ListAsync(User, id, ct);
        return true;
    }
}
