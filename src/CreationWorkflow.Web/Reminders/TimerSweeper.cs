namespace CreationWorkflow.Web.Reminders;

public sealed record SweepResult(int Fired, int Skipped, int Batches);

/// <summary>
/// Fires due timers in batches. Each batch is one transaction: the timers are marked, their notifications
/// written and the next timers inserted together, so a crash mid-sweep loses nothing and repeats nothing
/// (the batch rolls back and is swept again; occurrence keys are unique). On PostgreSQL the batch is claimed
/// with FOR UPDATE SKIP LOCKED, so several instances sweep side by side.
/// </summary>
/// <remarks>
/// A batch costs a fixed number of statements, whatever its size: the claim, one read of its assignments and one of
/// their campaigns (untracked), one UPDATE per outcome (fired, skipped) and, on PostgreSQL, one INSERT … SELECT FROM
/// unnest(…) each for the notifications and the next timers (SQLite, embedded and single-instance, inserts them
/// through the change tracker). A schedule is computed once per step and due date, not once per timer.
/// docs/benchmarks.md has the numbers.
/// </remarks>
public sealed class TimerSweeper(
    AppDbContext db, TimeProvider clock, WorkflowCatalog workflows, ProgrammeCatalog programmes, WorkingDayCalendar calendar,
    ILogger<TimerSweeper> log)
{
    /// <summary>Schedules by definition, step and due date: they depend on nothing else (definitions and calendar are immutable).</summary>
    private readonly Dictionary<(WorkflowDefinition, string, DateOnly), StepSchedule> schedules = [];

    public int BatchSize { get; set; } = 1000;

    /// <summary>Sweeps until no timer is due.</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken ct = default)
    {
        var (fired, skipped, batches) = (0, 0, 0);
        while (true)
        {
            var (f, s) = await SweepBatchAsync(ct);
            if (f + s == 0)
            {
                return new SweepResult(fired, skipped, batches);
            }
            (fired, skipped, batches) = (fired + f, skipped + s, batches + 1);
        }
    }

    /// <summary>The reminders of what campaigns own besides assignments, each fired by its own kind of timer.</summary>
    private static readonly OwnedReminders[] Owned = [Instructions.InstructionReminders.Rules, Acceptance.RoadReminders.Rules, Supervision.OrderReminders.Rules];

    /// <summary>One batch, one transaction. Returns (fired, skipped).</summary>
    public async Task<(int Fired, int Skipped)> SweepBatchAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var timers = await ClaimAsync(now, ct);
        if (timers.Count == 0)
        {
            return (0, 0);
        }
        var ids = timers.Where(t => t.AssignmentId is not null).Select(t => t.AssignmentId!.Value).Distinct().ToList();
        var assignments = await db.Assignments.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var campaignIds = assignments.Values.Select(a => a.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var owned = new Dictionary<string, OwnedReminders.Batch>();
        foreach (var kind in Owned)
        {
            owned[kind.TimerKind] = await kind.LoadAsync(db, workflows, calendar, timers, ct);
        }

        var output = new Output();
        var (fired, skipped) = (new List<long>(timers.Count), new List<long>());
        foreach (var timer in timers)
        {
            var (notices, next) = (output.Notifications.Count, output.Timers.Count);
            bool sent;
            try
            {
                sent = owned.TryGetValue(timer.Kind, out var batch)
                    ? batch.Fire(timer, now, output.Notifications, output.Timers)
                    : timer.Kind == ReminderTimers.Kind
                    && timer.AssignmentId is { } id && assignments.TryGetValue(id, out var a)
                    && Fire(timer, a, campaigns[a.CampaignId], now, output);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One broken timer must not stop the others: it is skipped and kept, with its error, for the 运维 page.
                output.Notifications.RemoveRange(notices, output.Notifications.Count - notices);
                output.Timers.RemoveRange(next, output.Timers.Count - next);
                output.Incidents.Add(new Operations.IncidentRecord
                {
                    Kind = Operations.IncidentKind.Timer, Reference = timer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CampaignId = timer.CampaignId ?? (timer.AssignmentId is { } aid && assignments.TryGetValue(aid, out var owner) ? owner.CampaignId : null),
                    Error = Operations.IncidentRecord.Describe(e), OccurredAt = now,
                });
                log.LogError(e, "Timer {Timer} ({Key}) failed and is skipped; kept as an incident", timer.Id, timer.OccurrenceKey);
                sent = false;
            }
            (sent ? fired : skipped).Add(timer.Id);
        }
        await MarkAsync(fired, TimerState.Fired, now, ct);
        await MarkAsync(skipped, TimerState.Skipped, now, ct);
        await InsertAsync(output, ct);
        await tx.CommitAsync(ct);
        Operations.Metrics.TimersFired.Add(fired.Count);
        Operations.Metrics.TimersSkipped.Add(skipped.Count);
        Operations.Metrics.SweepLag.Record((now - timers.Min(t => t.FireAt)).TotalSeconds);
        log.LogDebug("Swept {Count} timers due by {Now}: {Fired} fired, {Skipped} skipped", timers.Count, now, fired.Count, skipped.Count);
        return (fired.Count, skipped.Count);
    }

    private Task<List<TimerRecord>> ClaimAsync(DateTimeOffset now, CancellationToken ct) =>
        db.Provider == DatabaseProvider.Postgres
            ? db.Timers.FromSqlInterpolated(
                    $"""SELECT * FROM timers WHERE "State" = 'Pending' AND "FireAt" <= {now} ORDER BY "FireAt", "Id" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED""")
                .AsNoTracking().ToListAsync(ct)
            : db.Timers.Where(t => t.State == TimerState.Pending && t.FireAt <= now)
                .OrderBy(t => t.FireAt).ThenBy(t => t.Id).Take(BatchSize).AsNoTracking().ToListAsync(ct);

    /// <summary>Sets the outcome of claimed timers: one statement, whatever the count.</summary>
    private async Task MarkAsync(List<long> ids, TimerState state, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count > 0)
        {
            await db.Timers.Where(t => ids.Contains(t.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, state).SetProperty(t => t.FiredAt, now), ct);
        }
    }

    /// <summary>Writes the batch's notifications and next timers.</summary>
    private async Task InsertAsync(Output output, CancellationToken ct)
    {
        db.Incidents.AddRange(output.Incidents);
        if (db.Provider != DatabaseProvider.Postgres)
        {
            db.Notifications.AddRange(output.Notifications);
            db.Timers.AddRange(output.Timers);
            await db.SaveChangesAsync(ct);
            return;
        }
        if (output.Incidents.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }
        // One statement per table (arrays in, rows out) instead of one INSERT … RETURNING per row: the rows' ids are
        // not needed. A duplicate occurrence key fails the statement and the batch, as it would fail SaveChanges.
        if (output.Notifications.Count > 0)
        {
            var n = output.Notifications;
            var (keys, campaignIds, assignmentIds, recipients, kinds, titles, bodies, links, createdAt) = (
                n.ConvertAll(x => x.OccurrenceKey), n.ConvertAll(x => x.CampaignId), n.ConvertAll(x => x.AssignmentId),
                n.ConvertAll(x => x.Recipient), n.ConvertAll(x => x.Kind.Spelling()), n.ConvertAll(x => x.Title), n.ConvertAll(x => x.Body),
                n.ConvertAll(x => x.Link), n.ConvertAll(x => x.CreatedAt));
            var (programmeIds, mailSkipped) = (n.ConvertAll(x => x.ProgrammeId), n.ConvertAll(x => x.MailSkipped));
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO notifications ("OccurrenceKey", "CampaignId", "AssignmentId", "Recipient", "Kind", "Title", "Body", "Link", "CreatedAt",
                                           "ProgrammeId", "MailSkipped")
                SELECT * FROM unnest({keys}::text[], {campaignIds}::uuid[], {assignmentIds}::uuid[], {recipients}::text[], {kinds}::text[],
                                     {titles}::text[], {bodies}::text[], {links}::text[], {createdAt}::timestamptz[],
                                     {programmeIds}::text[], {mailSkipped}::boolean[])
                """, ct);
        }
        if (output.Timers.Count > 0)
        {
            var t = output.Timers;
            var (fireAt, kinds, assignmentIds, campaignIds, keys, states, firedAt) = (
                t.ConvertAll(x => x.FireAt), t.ConvertAll(x => x.Kind), t.ConvertAll(x => x.AssignmentId), t.ConvertAll(x => x.CampaignId),
                t.ConvertAll(x => x.OccurrenceKey), t.ConvertAll(x => x.State.ToString()), t.ConvertAll(x => x.FiredAt));
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO timers ("FireAt", "Kind", "AssignmentId", "CampaignId", "OccurrenceKey", "State", "FiredAt")
                SELECT * FROM unnest({fireAt}::timestamptz[], {kinds}::text[], {assignmentIds}::uuid[], {campaignIds}::uuid[], {keys}::text[],
                                     {states}::text[], {firedAt}::timestamptz[])
                """, ct);
        }
    }

    /// <summary>Writes the reminder's notifications and plans the next one. False when it no longer applies.</summary>
    private bool Fire(TimerRecord timer, AssignmentRecord a, CampaignRecord campaign, DateTimeOffset now, Output output)
    {
        var (due, occurrenceKey) = ReminderTimers.Parse(timer.OccurrenceKey);
        if (due != a.DueDate)
        {
            return false; // the deadline moved; the new schedule has its own timers
        }
        var definition = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion);
        var (step, schedule) = ScheduleOf(a, definition);
        var index = ReminderTimers.IndexOf(schedule, occurrenceKey);
        if (index < 0)
        {
            return false;
        }
        if (ReminderTimers.Next(a, definition, schedule, now, index) is { } next)
        {
            output.Timers.Add(next);
        }
        if (a.State is AssignmentState.Submitted or AssignmentState.Approved or AssignmentState.Cancelled)
        {
            return false; // delivered or closed: nothing to remind of
        }
        var occurrence = schedule[index];
        var context = new ReminderContext
        {
            Unit = a.Unit,
            ItemNo = a.ItemNo,
            ItemText = ItemText(a),
            StepName = step.Name,
            PeriodLabel = a.PeriodLabel,
            DueDate = a.DueDate,
            DaysLate = Deadline.DaysLate(a.State, a.DueDate, occurrence.Date),
            Link = $"/assignments/{a.Id}",
        };
        var recipients = occurrence.Kind == ReminderKind.Escalation ? new[] { Recipients.Inspectors, Recipients.Office } : [a.Unit];
        foreach (var recipient in recipients)
        {
            var notice = ReminderTexts.Of(occurrence, context, recipient, calendar);
            output.Notifications.Add(new NotificationRecord
            {
                OccurrenceKey = $"{timer.OccurrenceKey}:{recipient}",
                CampaignId = a.CampaignId,
                ProgrammeId = a.ProgrammeId,
                AssignmentId = a.Id,
                Recipient = recipient,
                Kind = NotificationKinds.Of(occurrence.Kind),
                Title = notice.Title,
                Body = notice.Body,
                Link = $"/assignments/{a.Id}",
                CreatedAt = now,
            });
        }
        return true;
    }

    /// <summary>The assignment's step and reminder schedule (<see cref="ReminderTimers.Schedule"/>), computed once per step and due date.</summary>
    private StepSchedule ScheduleOf(AssignmentRecord a, WorkflowDefinition definition)
    {
        var key = (definition, a.StepId, a.DueDate);
        if (!schedules.TryGetValue(key, out var entry))
        {
            entry = new StepSchedule(definition.Steps.First(s => s.Id == a.StepId), ReminderTimers.Schedule(a, definition, calendar));
            schedules[key] = entry;
        }
        return entry;
    }

    private string? ItemText(AssignmentRecord a) =>
        a.ItemNo is { } no && programmes.Find(a.ProgrammeId) is { } p ? p.Items[no - 1].Text : null;

    private sealed record StepSchedule(WorkflowStep Step, IReadOnlyList<ReminderOccurrence> Schedule);

    /// <summary>What a batch writes besides the timers' outcomes.</summary>
    private sealed class Output
    {
        public List<NotificationRecord> Notifications { get; } = [];
        public List<TimerRecord> Timers { get; } = [];
        public List<Operations.IncidentRecord> Incidents { get; } = [];
    }
}
