namespace CreationWorkflow.Web.Supervision;

public sealed record Finding(Guid AssignmentId, string Unit, int? ItemNo, string StepId, string? Period, DateOnly DueDate, int DaysLate);

/// <summary>
/// A supervision checkpoint (专项督查) run: records what was late, where and since when, and tells the inspectors
/// and the office. One record per scheduled firing (unique occurrence key): a repeated firing changes nothing.
/// </summary>
public sealed class CheckpointRunner(AppDbContext db, TimeProvider clock, ILogger<CheckpointRunner> log)
{
    /// <summary>The run's identity: one per campaign, checkpoint and scheduled firing.</summary>
    public static string OccurrenceKey(Guid campaignId, string checkpointId, DateTimeOffset scheduledAt) =>
        $"insp:{campaignId:N}:{checkpointId}:{scheduledAt.UtcDateTime:yyyyMMddHHmm}";

    /// <param name="alsoInTransaction">Further changes written in the run's transaction (the 运维 desk closes its incident so).</param>
    public async Task<InspectionRecord?> RunAsync(Guid campaignId, string checkpointId, string checkpointName, DateTimeOffset scheduledAt, CancellationToken ct = default,
        Action? alsoInTransaction = null)
    {
        var key = OccurrenceKey(campaignId, checkpointId, scheduledAt);
        if (await db.Inspections.AnyAsync(i => i.OccurrenceKey == key, ct))
        {
            if (alsoInTransaction is not null)
            {
                alsoInTransaction();
                await db.SaveChangesAsync(ct);
            }
            return null;
        }
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(now);
        var open = await db.Assignments
            .Where(a => a.CampaignId == campaignId && a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled)
            .Select(a => new { a.Id, a.Unit, a.ItemNo, a.StepId, a.PeriodLabel, a.DueDate, a.State })
            .ToListAsync(ct);
        var late = open.Where(a => Deadline.IsLate(a.State, a.DueDate, today))
            .Select(a => new Finding(a.Id, a.Unit, a.ItemNo, a.StepId, a.PeriodLabel, a.DueDate, Deadline.DaysLate(a.State, a.DueDate, today)))
            .OrderByDescending(f => f.DaysLate).ThenBy(f => f.Unit, StringComparer.Ordinal).ToList();
        var record = new InspectionRecord
        {
            CampaignId = campaignId,
            CheckpointId = checkpointId,
            OccurrenceKey = key,
            RunAt = now,
            OpenCount = open.Count,
            LateCount = late.Count,
            Findings = JsonSerializer.Serialize(late),
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Inspections.Add(record);
        var units = late.Select(f => f.Unit).Distinct().Count();
        var text = ReminderTexts.Checkpoint(checkpointName, today, open.Count, late.Count, units, late.FirstOrDefault()?.Unit, late.FirstOrDefault()?.DaysLate ?? 0);
        foreach (var recipient in new[] { Recipients.Inspectors, Recipients.Office })
        {
            db.Notifications.Add(new NotificationRecord
            {
                OccurrenceKey = $"{key}:{recipient}",
                CampaignId = campaignId,
                Recipient = recipient,
                Kind = NotificationKind.Checkpoint,
                Title = text.Title,
                Body = text.Body,
                Link = "/supervision/board",
                CreatedAt = now,
            });
        }
        db.AddAudit(now, "system:checkpoint", AuditActions.CheckpointRun, AuditEntities.Campaign, campaignId.ToString(),
            after: JsonSerializer.Serialize(new { checkpointId, open = open.Count, late = late.Count }));
        alsoInTransaction?.Invoke();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        log.LogInformation("Checkpoint {Checkpoint} of campaign {Campaign}: {Late} late of {Open} open", checkpointId, campaignId, late.Count, open.Count);
        return record;
    }
}
