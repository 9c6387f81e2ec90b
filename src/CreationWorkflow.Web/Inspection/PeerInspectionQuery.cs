using CreationWorkflow.Core.Inspection;

namespace CreationWorkflow.Web.Inspection;

/// <summary>A submitted finding as the item's review shows it.</summary>
public sealed record ItemFinding(Guid InspectionId, string Inspector, string Inspected, string RuleId, PeerVerdict Verdict, string? Note,
    DateTimeOffset RecordedAt, Guid? OrderId, string? OrderTitle, int Photos);

/// <summary>The reads of 互观互检: lists (a unit sees only those it carries out), one inspection's view, and an item's findings.</summary>
public sealed class PeerInspectionQuery(AppDbContext db, CampaignLoader loader)
{
    public async Task<IReadOnlyList<PeerInspectionView>> ListAsync(ClaimsPrincipal user, Guid campaignId, CancellationToken ct)
    {
        var rows = db.PeerInspections.AsNoTracking().Include(i => i.Lines).ThenInclude(l => l.Photos).AsSplitQuery().Where(i => i.CampaignId == campaignId);
        if (!user.IsStaff())
        {
            var unit = user.UnitOf() ?? "";
            rows = rows.Where(i => i.Inspector == unit);
        }
        return await ViewsAsync(await rows.OrderBy(i => i.Inspector).ThenBy(i => i.Inspected).ThenBy(i => i.Item.Length).ThenBy(i => i.Item).ToListAsync(ct), ct);
    }

    public async Task<IReadOnlyList<PeerInspectionView>> ViewsAsync(IReadOnlyList<PeerInspectionRecord> rows, CancellationToken ct)
    {
        var programmes = new Dictionary<Guid, Programme>();
        var views = new List<PeerInspectionView>();
        foreach (var row in rows)
        {
            if (!programmes.TryGetValue(row.CampaignId, out var programme))
            {
                programmes[row.CampaignId] = programme = (await loader.LoadAsync(row.CampaignId, ct)).Programme;
            }
            views.Add(View(programme, row));
        }
        return views;
    }

    public async Task<PeerInspectionView> ViewAsync(PeerInspectionRecord row, CancellationToken ct) => (await ViewsAsync([row], ct))[0];

    public static PeerInspectionView View(Programme programme, PeerInspectionRecord row)
    {
        var lines = PeerInspectionService.ChecklistOf(programme, row.Item).Select(l =>
        {
            var f = row.Lines.SingleOrDefault(x => x.RuleId == l.RuleId);
            return new PeerLineView(l.RuleId, l.Text, l.Asks, f?.Id, f?.Verdict, f?.Note, f?.RecordedBy, f?.RecordedAt, f?.OrderId,
                [.. (f?.Photos ?? []).Select(p => new PeerPhotoView(p.Id, p.FileName, p.Size))]);
        }).ToList();
        return new PeerInspectionView(row.Id, row.CampaignId, row.Inspector, row.Inspected, row.Item,
            ItemLabel(programme, row.Item), row.State, PeerInspectionLifecycle.Chinese(row.State),
            row.AssignedAt, row.SubmittedAt, lines, row.CancelledAt, row.CancelReason);
    }

    /// <summary>An item as the pages and the notices name it: 第12项“…”.</summary>
    public static string ItemLabel(Programme programme, string item)
    {
        var text = programme.Items.FirstOrDefault(i => i.No.ToString(System.Globalization.CultureInfo.InvariantCulture) == item)?.Text ?? "";
        return $"{ItemKey.LabelOf(item)}“{Standings.ShortTitle(text)}”";
    }

    /// <summary>The findings of submitted (or closed) inspections of an item, for its review on the item page.</summary>
    public async Task<IReadOnlyList<ItemFinding>> FindingsAsync(Guid campaignId, string item, CancellationToken ct)
    {
        var rows = await db.PeerFindings.AsNoTracking()
            .Join(db.PeerInspections.Where(i => i.CampaignId == campaignId && i.Item == item
                && (i.State == PeerInspectionState.Submitted || i.State == PeerInspectionState.Closed)), f => f.InspectionId, i => i.Id, (f, i) => new
            {
                i.Inspector, i.Inspected, f.InspectionId, f.RuleId, f.Verdict, f.Note, f.RecordedAt, f.OrderId, Photos = f.Photos.Count,
            }).ToListAsync(ct);
        var orderIds = rows.Where(r => r.OrderId != null).Select(r => r.OrderId!.Value).ToList();
        var orders = await db.SupervisionOrders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Inspector, StringComparer.Ordinal).ThenBy(r => r.RuleId, StringComparer.Ordinal).Select(r => new ItemFinding(
            r.InspectionId, r.Inspector, r.Inspected, r.RuleId, r.Verdict, r.Note, r.RecordedAt, r.OrderId,
            orders.FirstOrDefault(o => o.Id == r.OrderId)?.Title, r.Photos))];
    }
}
