namespace CreationWorkflow.Web.Operations;

public sealed record FailedMail(long Id, string To, string Subject, int Attempts, DateTimeOffset CreatedAt, string? Error);

public sealed record OpenIncidents(IReadOnlyList<FailedMail> Mail, IReadOnlyList<IncidentRecord> Timers, IReadOnlyList<IncidentRecord> Checkpoints);

/// <summary>
/// The office's 运维 desk: failed mail, timers skipped by an error, failed checkpoint runs — listed with their errors, and
/// each retried or discarded in one transaction with its audit entry.
/// </summary>
public sealed class Incidents(AppDbContext db, CheckpointRunner checkpoints, TimeProvider clock, ILogger<Incidents> log)
{
    public async Task<OpenIncidents> ListAsync(CancellationToken ct)
    {
        var mail = await db.Outbox.AsNoTracking().Where(m => m.State == OutboxState.Failed).OrderBy(m => m.Id).Take(200)
            .Select(m => new FailedMail(m.Id, m.To, m.Subject, m.Attempts, m.CreatedAt, m.LastError)).ToListAsync(ct);
        var open = await db.Incidents.AsNoTracking().Where(i => i.State == IncidentState.Open).OrderBy(i => i.Id).Take(400).ToListAsync(ct);
        return new OpenIncidents(mail, [.. open.Where(i => i.Kind == IncidentKind.Timer)], [.. open.Where(i => i.Kind == IncidentKind.Checkpoint)]);
    }

    /// <summary>Runs a checkpoint; when the run fails, the failure is kept as an incident for the office instead of being lost in the log.</summary>
    public async Task RunCheckpointAsync(Guid campaignId, string checkpointId, string name, DateTimeOffset scheduledAt, CancellationToken ct)
    {
        try
        {
            await checkpoints.RunAsync(campaignId, checkpointId, name, scheduledAt, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && !DatabaseFaults.IsUnavailable(e))
        {
            log.LogError(e, "Checkpoint {Checkpoint} of campaign {Campaign} failed; kept as an incident", checkpointId, campaignId);
            db.ChangeTracker.Clear();
            var reference = CheckpointRunner.OccurrenceKey(campaignId, checkpointId, scheduledAt);
            var now = clock.GetUtcNow();
            var existing = await db.Incidents.SingleOrDefaultAsync(i => i.Kind == IncidentKind.Checkpoint && i.Reference == reference && i.State == IncidentState.Open, ct);
            if (existing is not null)
            {
                existing.Error = IncidentRecord.Describe(e);
                existing.Attempts++;
                existing.OccurredAt = now;
            }
            else
            {
                db.Incidents.Add(new IncidentRecord
                {
                    Kind = IncidentKind.Checkpoint, Reference = reference, CampaignId = campaignId, CheckpointId = checkpointId,
                    CheckpointName = name, ScheduledAt = scheduledAt, Error = IncidentRecord.Describe(e), OccurredAt = now,
                });
            }
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Puts a failed mail back in the outbox, due now, its attempts reset.</summary>
    public Task RetryMailAsync(long id, string actor, CancellationToken ct) => ResolveMailAsync(id, actor, retry: true, ct);

    /// <summary>Gives a failed mail up for good (kept as Discarded, with its error).</summary>
    public Task DiscardMailAsync(long id, string actor, CancellationToken ct) => ResolveMailAsync(id, actor, retry: false, ct);

    private async Task ResolveMailAsync(long id, string actor, bool retry, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var message = await db.Outbox.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw new DomainException("id", "该邮件不存在。", ErrorKind.NotFound);
        if (message.State != OutboxState.Failed)
        {
            throw new DomainException("id", "该邮件已不是发送失败状态，请刷新页面。", ErrorKind.Conflict);
        }
        message.State = retry ? OutboxState.Pending : OutboxState.Discarded;
        if (retry)
        {
            message.Attempts = 0;
            message.NextAttemptAt = now;
        }
        Audit(now, actor, retry ? AuditActions.MailRetried : AuditActions.MailDiscarded, AuditEntities.Outbox, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { message.To, message.Subject, message.LastError });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Retries an incident: a timer is due again now (the next sweep fires it, or records a new incident); a checkpoint is
    /// run now, and the incident is closed in the run's own transaction. Returns the new error when the retry failed at once.
    /// </summary>
    public async Task<string?> RetryAsync(long id, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var incident = await OpenAsync(id, ct);
        if (incident.Kind == IncidentKind.Timer)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var timerId = long.Parse(incident.Reference, System.Globalization.CultureInfo.InvariantCulture);
            await db.Timers.Where(t => t.Id == timerId && t.State == TimerState.Skipped)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TimerState.Pending).SetProperty(t => t.FireAt, now).SetProperty(t => t.FiredAt, (DateTimeOffset?)null), ct);
            Close(incident, IncidentState.Retried, now, actor);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return null;
        }
        try
        {
            await checkpoints.RunAsync(incident.CampaignId!.Value, incident.CheckpointId!, incident.CheckpointName!, incident.ScheduledAt!.Value, ct,
                alsoInTransaction: () => Close(incident, IncidentState.Retried, now, actor));
            return null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && !DatabaseFaults.IsUnavailable(e))
        {
            db.ChangeTracker.Clear();
            var again = await OpenAsync(id, ct);
            again.Error = IncidentRecord.Describe(e);
            again.Attempts++;
            again.OccurredAt = now;
            await db.SaveChangesAsync(ct);
            return again.Error;
        }
    }

    /// <summary>Closes an incident without doing the work: the office decided it is not needed.</summary>
    public async Task DiscardAsync(long id, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Close(await OpenAsync(id, ct), IncidentState.Discarded, now, actor);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task<IncidentRecord> OpenAsync(long id, CancellationToken ct)
    {
        var incident = await db.Incidents.SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new DomainException("id", "该故障记录不存在。", ErrorKind.NotFound);
        return incident.State == IncidentState.Open ? incident : throw new DomainException("id", "该故障已处理，请刷新页面。", ErrorKind.Conflict);
    }

    private void Close(IncidentRecord incident, IncidentState state, DateTimeOffset now, string actor)
    {
        incident.State = state;
        incident.ResolvedAt = now;
        incident.ResolvedBy = actor;
        Audit(now, actor, state == IncidentState.Retried ? AuditActions.IncidentRetried : AuditActions.IncidentDiscarded, AuditEntities.Incident,
            incident.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { incident.Kind, incident.Reference, incident.Error });
    }

    private void Audit(DateTimeOffset now, string actor, string action, string entity, string entityId, object before) =>
        db.AddAudit(now, actor, action, entity, entityId, JsonSerializer.Serialize(before));
}
