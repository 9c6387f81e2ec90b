namespace CreationWorkflow.Web.Scoring;

/// <summary>Time also moves the gate: it opens when the acceptance phase begins with the score already there, and closes when the phase ends.</summary>
public sealed class GateWatch(AppDbContext db, CampaignLoader loader, AcceptanceGate gate, TimeProvider clock)
{
    public async Task CheckAllAsync(CancellationToken ct)
    {
        var ids = await db.Campaigns.Select(c => c.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            var (campaign, programme) = await loader.LoadAsync(id, ct);
            if (programme.Header.Gate is null)
            {
                continue;
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await gate.UpdateGateAsync(campaign, programme, "", clock.GetUtcNow(), ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }
}
