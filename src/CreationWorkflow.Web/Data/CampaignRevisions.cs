using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Data;

/// <summary>A record that belongs to one campaign's figures (its work, facts, reviews, phases or 督办单).</summary>
public interface ICampaignData
{
    Guid CampaignId { get; }
}

/// <summary>
/// A campaign's data revision: a fresh random number written in the same transaction as any change to the campaign's
/// figures (<see cref="ICampaignData"/> records, its report lines, the campaign itself). Figures computed from the
/// campaign's rows can be kept under it (<see cref="Infrastructure.CampaignFigures"/>): a revision read before the
/// figures are computed never names data older than the figures, on any instance sharing the database.
/// </summary>
public sealed class CampaignRevisionRecord
{
    public Guid CampaignId { get; set; }
    public long Revision { get; set; }
}

internal sealed class CampaignRevisionConfiguration : IEntityTypeConfiguration<CampaignRevisionRecord>
{
    public void Configure(EntityTypeBuilder<CampaignRevisionRecord> e)
    {
        e.ToTable("campaign_revisions");
        e.HasKey(r => r.CampaignId);
        e.Property(r => r.CampaignId).ValueGeneratedNever();
    }
}

/// <summary>Stamps a new revision on every campaign whose figures a save changes; called by <see cref="AppDbContext"/>'s saves.</summary>
public static class CampaignRevisions
{
    public static void Stamp(AppDbContext db) => StampAsync(db, sync: true, CancellationToken.None).GetAwaiter().GetResult();

    public static Task StampAsync(AppDbContext db, CancellationToken ct) => StampAsync(db, sync: false, ct);

    private static async Task StampAsync(AppDbContext db, bool sync, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        var changed = new HashSet<Guid>();
        var created = new HashSet<Guid>();
        var lines = new HashSet<Guid>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case CampaignRecord c when entry.State == EntityState.Added:
                    created.Add(c.Id);
                    break;
                case CampaignRecord c:
                    changed.Add(c.Id);
                    break;
                case ICampaignData d:
                    changed.Add(d.CampaignId);
                    break;
                case ReportLineRecord l:
                    lines.Add(l.AssignmentId);
                    break;
            }
        }
        if (lines.Count > 0)
        {
            var tracked = db.ChangeTracker.Entries<AssignmentRecord>().Select(e => e.Entity).Where(a => lines.Contains(a.Id)).ToList();
            changed.UnionWith(tracked.Select(a => a.CampaignId));
            lines.ExceptWith(tracked.Select(a => a.Id));
            if (lines.Count > 0)
            {
                var query = db.Assignments.AsNoTracking().Where(a => lines.Contains(a.Id)).Select(a => a.CampaignId).Distinct();
                changed.UnionWith(sync ? [.. query] : await query.ToListAsync(ct));
            }
        }
        if (changed.Count == 0 && created.Count == 0)
        {
            return;
        }
        var stamped = db.ChangeTracker.Entries<CampaignRevisionRecord>().ToDictionary(e => e.Entity.CampaignId);
        foreach (var id in created.Where(id => !stamped.ContainsKey(id)))
        {
            db.Add(new CampaignRevisionRecord { CampaignId = id, Revision = Next() });
        }
        foreach (var id in changed.Except(created))
        {
            if (stamped.TryGetValue(id, out var entry))
            {
                entry.Entity.Revision = Next();
                continue;
            }
            // An UPDATE of the one column, without reading the row first.
            db.Attach(new CampaignRevisionRecord { CampaignId = id, Revision = Next() }).Property(r => r.Revision).IsModified = true;
        }
    }

    /// <summary>Random, so that two instances changing one campaign at once never write the same revision.</summary>
    private static long Next() => Random.Shared.NextInt64(1, long.MaxValue);
}
