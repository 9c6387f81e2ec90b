namespace CreationWorkflow.Web.Reminders;

/// <summary>
/// 未读升级: a unit's notice still unread after N working hours (the reminder policy's <c>unreadEscalateAfterHours</c> of
/// its assignment's step, else <see cref="NoticeOptions.UnreadEscalateAfterWorkingHours"/>; office hours from
/// <see cref="NoticeOptions.WorkdayStart"/> to <see cref="NoticeOptions.WorkdayEnd"/> on the working-day calendar) goes
/// once to the leaders (领导小组, <see cref="Recipients.Leaders"/>): in-app, and by mail through the digest and outbox; and
/// once to the unit's 分管领导: a notice to the unit of kind <c>unread-escalation</c> (in-app, and by the channels the
/// definition's <c>reminderPolicy</c> gives the 分管领导 for that kind: by default robots, webhook and SMS; the 联络员, who
/// left it unread, gets none by default). The definition's <c>reminderPolicy.unreadEscalation</c> sets its hours and office hours.
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

    /// <summary>The occurrence key of the escalation addressed to the unit itself, which its 分管领导's channels carry.</summary>
    public static string UnitKeyFor(long notificationId) => $"unread:{notificationId}:unit-leader";

    /// <summary>Office hours the working hours count in: a definition's <c>reminderPolicy.unreadEscalation</c>, else the host's.</summary>
    private readonly record struct Rule(TimeZoneInfo Zone, int Threshold, TimeOnly Start, TimeOnly End);

    private readonly Dictionary<Rule, DateTimeOffset> cutoffs = [];
    private readonly Dictionary<(TimeOnly, TimeOnly), WorkingHours> hoursOf = [];

    /// <summary>Escalates every notice that is due; returns how many were escalated.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        cutoffs.Clear();
        var host = HostRule(o);
        var rules = workflows.Versions.SelectMany(d =>
            {
                var own = DefinitionRule(d, host);
                return d.ReminderPolicies.Values.Where(p => p.UnreadEscalateAfterHours is not null)
                    .Select(p => own with { Threshold = p.UnreadEscalateAfterHours!.Value }).Append(own);
            })
            .Append(host)
            .Where(r => r.Threshold > 0).Distinct().ToList();
        if (rules.Count == 0)
        {
            return 0;
        }
        var latest = rules.Max(r => Cutoff(r, now));
        var earliest = (now - o.UnreadEscalationLookback).ToUniversalTime();
        var (after, total) = (0L, 0);
        while (true)
        {
            var (read, escalated, last) = await BatchAsync(host, now, earliest, latest, after, o, ct);
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

    private static Rule HostRule(NoticeOptions o) =>
        new(ChinaTime.Zone, o.UnreadEscalateAfterWorkingHours, TimeOnly.FromTimeSpan(o.WorkdayStart), TimeOnly.FromTimeSpan(o.WorkdayEnd));

    /// <summary>A definition's zone, and its reminderPolicy's hours and office hours where it sets them.</summary>
    private static Rule DefinitionRule(WorkflowDefinition d, Rule host)
    {
        var policy = d.Channels;
        return new Rule(d.Zone, policy.UnreadAfterWorkingHours ?? host.Threshold, policy.WorkdayStart ?? host.Start, policy.WorkdayEnd ?? host.End);
    }

    private async Task<(int Read, int Escalated, long LastId)> BatchAsync(
        Rule host, DateTimeOffset now, DateTimeOffset earliest, DateTimeOffset latest, long after, NoticeOptions o, CancellationToken ct)
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
            .Select(a => new { a.Id, a.StepId }).ToDictionaryAsync(x => x.Id, x => x.StepId, ct);
        var campaignIds = candidates.Where(n => n.CampaignId is not null).Select(n => n.CampaignId!.Value).Distinct().ToList();
        var versions = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id))
            .Select(c => new { c.Id, c.WorkflowId, c.WorkflowVersion }).ToDictionaryAsync(c => c.Id, ct);

        var due = new List<NotificationRecord>();
        foreach (var n in candidates)
        {
            var rule = host;
            if (n.CampaignId is { } cid && versions.TryGetValue(cid, out var v) && workflows.TryGet(v.WorkflowId, v.WorkflowVersion, out var definition))
            {
                rule = DefinitionRule(definition, host);
                if (n.AssignmentId is { } id && steps.TryGetValue(id, out var stepId) && PolicyOf(definition, stepId)?.UnreadEscalateAfterHours is { } own)
                {
                    rule = rule with { Threshold = own };
                }
            }
            if (rule.Threshold > 0 && n.CreatedAt <= Cutoff(rule, now))
            {
                due.Add(n);
                // Once to the leaders (领导小组) in-app and by mail; once to the unit itself, whose 分管领导's channels carry it
                // (ChannelFanout, by the definition's policy for this kind).
                db.Notifications.Add(Escalation(n, rule.Threshold, rule.Zone, now, toUnit: false));
                db.Notifications.Add(Escalation(n, rule.Threshold, rule.Zone, now, toUnit: true));
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
        if (db.Provider == DatabaseProvider.Postgres)
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

    /// <summary>The instant before which a notice is the rule's threshold of working hours old by <paramref name="now"/>.</summary>
    private DateTimeOffset Cutoff(Rule rule, DateTimeOffset now)
    {
        if (!cutoffs.TryGetValue(rule, out var cutoff))
        {
            if (!hoursOf.TryGetValue((rule.Start, rule.End), out var hours))
            {
                hoursOf[(rule.Start, rule.End)] = hours = new WorkingHours(calendar, rule.Start, rule.End);
            }
            var local = hours.Before(TimeZoneInfo.ConvertTime(now, rule.Zone).DateTime, TimeSpan.FromHours(rule.Threshold));
            cutoff = new DateTimeOffset(local, rule.Zone.GetUtcOffset(local)).ToUniversalTime();
            cutoffs[rule] = cutoff;
        }
        return cutoff;
    }

    private static NotificationRecord Escalation(NotificationRecord n, int threshold, TimeZoneInfo zone, DateTimeOffset now, bool toUnit)
    {
        var created = TimeZoneInfo.ConvertTime(n.CreatedAt, zone).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
        var text = toUnit
            ? ReminderTexts.UnreadEscalationToUnitLeader(n.Recipient, created, n.Title, threshold, n.Link)
            : ReminderTexts.UnreadEscalation(n.Recipient, created, n.Title, threshold, n.Link);
        return new NotificationRecord
        {
            OccurrenceKey = toUnit ? UnitKeyFor(n.Id) : KeyFor(n.Id),
            CampaignId = n.CampaignId,
            AssignmentId = n.AssignmentId,
            ProgrammeId = n.ProgrammeId,
            Recipient = toUnit ? n.Recipient : Recipients.Leaders,
            Kind = Kind,
            Title = text.Title.Length <= 300 ? text.Title : text.Title[..299] + "…",
            Body = text.Body,
            Link = n.Link,
            CreatedAt = now,
        };
    }
}
