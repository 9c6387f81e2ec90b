using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Calendar;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Campaigns;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Reminders;

public sealed record SweepResult(int Fired, int Skipped, int Batches);

/// <summary>
/// Fires due timers in batches. Each batch is one transaction: the timers are marked, their notifications
/// written and the next timers inserted together, so a crash mid-sweep loses nothing and repeats nothing
/// (the batch rolls back and is swept again; occurrence keys are unique). On PostgreSQL the batch is claimed
/// with FOR UPDATE SKIP LOCKED, so several instances sweep side by side.
/// </summary>
public sealed class TimerSweeper(
    AppDbContext db, TimeProvider clock, WorkflowCatalog workflows, ProgrammeCatalog programmes, WorkingDayCalendar calendar,
    ILogger<TimerSweeper> log)
{
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
        var assignments = await db.Assignments.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var campaignIds = assignments.Values.Select(a => a.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);

        var (fired, skipped) = (0, 0);
        foreach (var timer in timers)
        {
            var sent = timer.Kind == ReminderTimers.Kind
                && timer.AssignmentId is { } id && assignments.TryGetValue(id, out var a)
                && Fire(timer, a, campaigns[a.CampaignId], now);
            timer.State = sent ? TimerState.Fired : TimerState.Skipped;
            timer.FiredAt = now;
            (fired, skipped) = sent ? (fired + 1, skipped) : (fired, skipped + 1);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        log.LogDebug("Swept {Count} timers due by {Now}: {Fired} fired, {Skipped} skipped", timers.Count, now, fired, skipped);
        return (fired, skipped);
    }

    private Task<List<TimerRecord>> ClaimAsync(DateTimeOffset now, CancellationToken ct) =>
        db.Provider == "postgres"
            ? db.Timers.FromSqlInterpolated(
                    $"""SELECT * FROM timers WHERE "State" = 'Pending' AND "FireAt" <= {now} ORDER BY "FireAt", "Id" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED""")
                .ToListAsync(ct)
            : db.Timers.Where(t => t.State == TimerState.Pending && t.FireAt <= now)
                .OrderBy(t => t.FireAt).ThenBy(t => t.Id).Take(BatchSize).ToListAsync(ct);

    /// <summary>Writes the reminder's notifications and plans the next one. False when it no longer applies.</summary>
    private bool Fire(TimerRecord timer, AssignmentRecord a, CampaignRecord campaign, DateTimeOffset now)
    {
        var (due, occurrenceKey) = ReminderTimers.Parse(timer.OccurrenceKey);
        if (due != a.DueDate)
        {
            return false; // the deadline moved; the new schedule has its own timers
        }
        var definition = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion);
        var schedule = ReminderTimers.Schedule(a, definition, calendar);
        var index = schedule.ToList().FindIndex(o => o.Key == occurrenceKey);
        if (index < 0)
        {
            return false;
        }
        if (ReminderTimers.Next(a, definition, calendar, now, index) is { } next)
        {
            db.Timers.Add(next);
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
            StepName = definition.Steps.First(s => s.Id == a.StepId).Name,
            PeriodLabel = a.PeriodLabel,
            DueDate = a.DueDate,
            DaysLate = Math.Max(0, occurrence.Date.DayNumber - a.DueDate.DayNumber),
            Link = $"/assignments/{a.Id}",
        };
        var recipients = occurrence.Kind == ReminderKind.Escalation ? new[] { Recipients.Inspectors, Recipients.Office } : [a.Unit];
        foreach (var recipient in recipients)
        {
            var notice = occurrence.Kind switch
            {
                ReminderKind.BeforeDue => ReminderTexts.BeforeDue(context, calendar.WorkingDaysBetween(occurrence.Date, a.DueDate)),
                ReminderKind.OnDue => ReminderTexts.OnDue(context),
                ReminderKind.Overdue => ReminderTexts.Overdue(context),
                _ => ReminderTexts.Escalation(context, recipient),
            };
            db.Notifications.Add(new NotificationRecord
            {
                OccurrenceKey = $"{timer.OccurrenceKey}:{recipient}",
                CampaignId = a.CampaignId,
                ProgrammeId = a.ProgrammeId,
                AssignmentId = a.Id,
                Recipient = recipient,
                Kind = occurrence.Kind.ToString(),
                Title = notice.Title,
                Body = notice.Body,
                Link = $"/assignments/{a.Id}",
                CreatedAt = now,
            });
        }
        return true;
    }

    private string? ItemText(AssignmentRecord a) =>
        a.ItemNo is { } no && programmes.Find(a.ProgrammeId) is { } p ? p.Items[no - 1].Text : null;
}
