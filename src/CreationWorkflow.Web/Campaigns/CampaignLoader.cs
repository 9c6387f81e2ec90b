namespace CreationWorkflow.Web.Campaigns;

/// <summary>A campaign (with its phases) and the programme version it is pinned to; 404 when there is no such campaign.</summary>
public sealed class CampaignLoader(AppDbContext db, ProgrammeCatalog programmes)
{
    public async Task<(CampaignRecord Campaign, Programme Programme)> LoadAsync(Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.Include(c => c.Phases).SingleOrDefaultAsync(c => c.Id == campaignId, ct)
            ?? throw new DomainException("campaignId", "创建活动不存在。", ErrorKind.NotFound);
        return (campaign, programmes.Find(campaign.ProgrammeId, campaign.ProgrammeVersion)!);
    }

}
