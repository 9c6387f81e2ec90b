using CreationWorkflow.Core.Notifications;
using System.Globalization;
using CreationWorkflow.Core.Calendar;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreationWorkflow.Web.Reminders;

/// <summary>
/// 未读升级: a unit's notice still unread after N working hours (the reminder policy's <c>unreadEscalateAfterHours</c> of
/// its assignment's step, else <see cref="NoticeOptions.UnreadEscalateAfterWorkingHours"/>; office hours from
/// <see cref="NoticeOptions.WorkdayStart"/> to <see cref="NoticeOptions.WorkdayEnd"/> on the working-day calendar) goes
/// once to the leaders (领导小组, <see cref="Recipients.Leaders"/>): in-app, and by mail through the digest and outbox.
/// </summary>
/// <remarks>
/// Once only, durable: each batch is one transaction that claims its notices (FOR UPDATE SKIP LOCKED on PostgreSQL, so
/// two instances never take the same row), sets <see cref="NotificationRecord.EscalatedAt"/> only where it is still
/// null and writes the escalation notices, whose occurrence key (<c>unread:{id}:role:leader</c>) is unique. A crash rolls
/// the batch back; a restart finds the same notices unclaimed, or claimed and told. Reading is bounded: candidates come
/// from the unread index by age, in id order, a batch at a time.
/// </remarks>
public sealed class UnreadEscalation(
    AppDbContext db, TimeProvider clock, WorkflowCatalog workflows, WorkingDayCalendar calendar, IOptions<NoticeOptions> options,
    ILogger<UnreadEscalation> log)
{
    public static readonly NotificationKind Kind = NotificationKind.UnreadEscalation;

    private static readonly string KindSpelling = NotificationKind.UnreadEscalation.Spelling();

    public static string KeyFor(long notificationId) => $"unread:{notificationId}:{Recipients.Leaders}";

    private readonly Dictionary<(TimeZoneInfo, int), DateTimeOffset> cutoffs = [];

    /// <summary>Escalates every notice that is due; returns how many were escalated.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        cutoffs.Clear();
        var thresholds = workflows.Versions.SelectMany(d => d.ReminderPolicies.Values
                .Where(p => p.UnreadEscalateAfterHours is not null).Select(p => (d.Zone, p.UnreadEscalateAfterHours!.Value)))
            .Append((Supervision.Supervision.Zone, o.UnreadEscalateAfterWorkingHours))
            .Where(t => t.Item2 > 0).Distinct().ToList();
        if (thresholds.Count == 0)
        {
            return 0;
        }
        var hours = new WorkingHours(calendar, TimeOnly.FromTimeSpan(o.WorkdayStart), TimeOnly.FromTimeSpan(o.WorkdayEnd));
        var latest = thresholds.Max(t => Cutoff(hours, t.Item1, t.Item2, now));
        var earliest = (now - o.UnreadEscalationLookback).ToUniversalTime();
        var (after, total) = (0L, 0);
        while (true)
        {
            var (read, escalated, last) = await BatchAsync(hours, now, earliest, latest, after, o, ct);
            total += escalated;
            if (read < o.UnreadEscalationBatchSize)
            {
                break;
            }
            after = last;
        }
        if (total > 0)
        {
            log.LogInformation("Unread escalation: {Count} notice(s) unread past their working hours told to the leaders", total);
        }
        return total;
    }

    private async Task<(int Read, int Escalated, long LastId)> BatchAsync(
        WorkingHours hours, DateTimeOffset now, DateTimeOffset earliest, DateTimeOffset latest, long after, NoticeOptions o, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var candidates = await ClaimAsync(earliest, latest, after, o.UnreadEscalationBatchSize, ct);
        if (candidates.Count == 0)
        {
            return (0, 0, after);
        }
        var assignmentIds = candidates.Where(n => n.AssignmentId is not null).Select(n => n.AssignmentId!.Value).Distinct().ToList();
        var steps = await db.Assignments.AsNoTracking().Where(a => assignmentIds.Contains(a.Id))
            .Join(db.Campaigns, a => a.CampaignId, c => c.Id, (a, c) => new { a.Id, a.StepId, c.WorkflowId, c.WorkflowVersion })
            .ToDictionaryAsync(x => x.Id, ct);

        var due = new List<NotificationRecord>();
        foreach (var n in candidates)
        {
            var (zone, threshold) = (Supervision.Supervision.Zone, o.UnreadEscalateAfterWorkingHours);
            if (n.AssignmentId is { } id && steps.TryGetValue(id, out var s) && workflows.TryGet(s.WorkflowId, s.WorkflowVersion, out var definition))
            {
                zone = definition.Zone;
                threshold = PolicyOf(definition, s.StepId)?.UnreadEscalateAfterHours ?? threshold;
            }
            if (threshold > 0 && n.CreatedAt <= Cutoff(hours, zone, threshold, now))
            {
                due.Add(n);
                db.Notifications.Add(Escalation(n, threshold, zone, now));
            }
        }
        if (due.Count > 0)
        {
            var ids = due.ConvertAll(n => n.Id);
            var claimed = await db.Notifications.Where(n => ids.Contains(n.Id) && n.EscalatedAt == null && n.ReadAt == null)
                .ExecuteUpdateAsync(x => x.SetProperty(n => n.EscalatedAt, now), ct);
            if (claimed != due.Count)
            {
                // Read or escalated meanwhile (another instance, or the unit opened it): the next sweep sees the truth.
                return (candidates.Count, 0, candidates[^1].Id);
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                log.LogInformation("Unread escalation: another run told these notices first; nothing written");
                db.ChangeTracker.Clear();
                return (candidates.Count, 0, candidates[^1].Id);
            }
        }
        await tx.CommitAsync(ct);
        return (candidates.Count, due.Count, candidates[^1].Id);
    }

    private Task<List<NotificationRecord>> ClaimAsync(DateTimeOffset earliest, DateTimeOffset latest, long after, int take, CancellationToken ct)
    {
        if (db.Provider == "postgres")
        {
            var (from, to) = (earliest.ToUniversalTime(), latest.ToUniversalTime());
            return db.Notifications.FromSqlInterpolated(
                    $"""
                    SELECT * FROM notifications
                    WHERE "ReadAt" IS NULL AND "EscalatedAt" IS NULL AND "Recipient" NOT LIKE 'role:%' AND "Kind" <> {KindSpelling}
                      AND "CreatedAt" >= {from} AND "CreatedAt" <= {to} AND "Id" > {after}
                    ORDER BY "Id" LIMIT {take} FOR UPDATE SKIP LOCKED
                    """)
                .AsNoTracking().ToListAsync(ct);
        }
        return db.Notifications.AsNoTracking()
            .Where(n => n.ReadAt == null && n.EscalatedAt == null && !n.Recipient.StartsWith("role:") && n.Kind != Kind
                && n.CreatedAt >= earliest && n.CreatedAt <= latest && n.Id > after)
            .OrderBy(n => n.Id).Take(take).ToListAsync(ct);
    }

    private static ReminderPolicy? PolicyOf(WorkflowDefinition definition, string stepId) =>
        definition.Steps.FirstOrDefault(s => s.Id == stepId) is { } step && definition.ReminderPolicies.TryGetValue(step.Reminders, out var policy)
            ? policy
            : null;

    /// <summary>The instant before which a notice is <paramref name="threshold"/> working hours old by <paramref name="now"/>.</summary>
    private DateTimeOffset Cutoff(WorkingHours hours, TimeZoneInfo zone, int threshold, DateTimeOffset now)
    {
        if (!cutoffs.TryGetValue((zone, threshold), out var cutoff))
        {
            var local = hours.Before(TimeZoneInfo.ConvertTime(now, zone).DateTime, TimeSpan.FromHours(threshold));
            cutoff = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            cutoffs[(zone, threshold)] = cutoff;
        }
        return cutoff;
    }

    private static NotificationRecord Escalation(NotificationRecord n, int threshold, TimeZoneInfo zone, DateTimeOffset now)
    {
        var created = TimeZoneInfo.ConvertTime(n.CreatedAt, zone).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
        var text = ReminderTexts.UnreadEscalation(n.Recipient, created, n.Title, threshold, n.Link);
        return new NotificationRecord
        {
            OccurrenceKey = KeyFor(n.Id),
            CampaignId = n.CampaignId,
            AssignmentId = n.AssignmentId,
            ProgrammeId = n.ProgrammeId,
            Recipient = Recipients.Leaders,
            Kind = Kind,
            Title = text.Title.Length <= 300 ? text.Title : text.Title[..299] + "…",
            Body = text.Body,
            Link = n.Link,
            CreatedAt = now,
        };
    }
}
