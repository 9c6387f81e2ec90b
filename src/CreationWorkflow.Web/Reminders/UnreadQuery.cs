namespace CreationWorkflow.Web.Reminders;

/// <summary>Unread notices per unit, for the office: one GROUP BY over the unread index, never the rows themselves.</summary>
public static class UnreadQuery
{
    /// <param name="programmeId">Only the notices of this programme (its own, or of its campaigns): the contacts page's count.</param>
    public static async Task<List<NotificationEndpoints.UnreadCount>> ByUnitAsync(AppDbContext db, Guid? campaignId, CancellationToken ct, string? programmeId = null)
    {
        var unread = db.Notifications.AsNoTracking().Where(n => n.ReadAt == null && !n.Recipient.StartsWith("role:"));
        if (campaignId is { } id)
        {
            unread = unread.Where(n => n.CampaignId == id);
        }
        if (programmeId is not null)
        {
            unread = unread.Where(n => n.ProgrammeId == programmeId || db.Campaigns.Any(c => c.Id == n.CampaignId && c.ProgrammeId == programmeId));
        }
        var rows = await unread.GroupBy(n => n.Recipient)
            .Select(g => new { Unit = g.Key, Unread = g.Count(), Oldest = g.Min(n => n.CreatedAt) })
            .ToListAsync(ct);
        return [.. rows.Select(r => new NotificationEndpoints.UnreadCount(r.Unit, r.Unread, r.Oldest))
            .OrderByDescending(r => r.Unread).ThenBy(r => r.Unit, StringComparer.Ordinal)];
    }
}
