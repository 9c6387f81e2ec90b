namespace CreationWorkflow.Web.Reminders;

/// <summary>
/// The durable deadline reminders of something a campaign owns other than an assignment (a leader's instruction to a unit,
/// a 督办单, a yearly review), fired by <see cref="TimerSweeper"/>: the one scaffolding of planning, keys and firing, so each
/// kind declares only its subject lookup, whether it is still owed reminders, and its texts and recipients.
/// Planned one at a time by <see cref="ReminderTimers.NextOf"/> over the campaign workflow's <see cref="PolicyName"/>
/// policy; keys "prefix:{owner:N}:{due:yyyyMMdd}:{occurrence}" carry the due date, and each notice's key is the timer's
/// key and its recipient, so a claimed timer (claimed once, whatever the instances) writes nothing twice.
/// </summary>
public abstract class OwnedReminders
{
    /// <summary>The reminder policy of the campaign's workflow these reminders follow (the first one if it has none by this name).</summary>
    public const string PolicyName = "standard";

    public abstract string TimerKind { get; }

    public static IReadOnlyList<ReminderOccurrence> Schedule(DateOnly due, WorkflowDefinition definition, WorkingDayCalendar calendar) =>
        ReminderSchedule.For(due,
            definition.ReminderPolicies.TryGetValue(PolicyName, out var policy) ? policy : definition.ReminderPolicies.Values.First(), calendar);

    /// <summary>The subjects and campaigns behind a sweep batch's timers of this kind: two queries, whatever the batch.</summary>
    public abstract Task<Batch> LoadAsync(AppDbContext db, WorkflowCatalog workflows, WorkingDayCalendar calendar, IReadOnlyList<TimerRecord> timers, CancellationToken ct);

    /// <summary>One sweep batch's timers of one kind, fired into the batch's notices and next timers.</summary>
    public abstract class Batch
    {
        /// <summary>Writes the reminder's notices and plans the next one. False when it no longer applies.</summary>
        public abstract bool Fire(TimerRecord timer, DateTimeOffset now, List<NotificationRecord> notices, List<TimerRecord> next);
    }
}

/// <inheritdoc cref="OwnedReminders"/>
/// <typeparam name="TSubject">What is reminded of, as loaded for one timer's owner id.</typeparam>
public abstract class OwnedReminders<TSubject>(string kind, string prefix) : OwnedReminders
{
    public override string TimerKind => kind;

    public string KeyOf(Guid owner, DateOnly due, string occurrence) => $"{prefix}:{owner:N}:{due:yyyyMMdd}:{occurrence}";

    /// <summary>The subjects of these owner ids (those that still exist), by owner id.</summary>
    protected abstract Task<IReadOnlyDictionary<Guid, TSubject>> SubjectsAsync(AppDbContext db, IReadOnlyList<Guid> owners, CancellationToken ct);

    protected abstract Guid CampaignOf(TSubject subject);

    /// <summary>Whether the subject is still owed the reminders of <paramref name="due"/>: false once answered or closed, or when its due date moved.</summary>
    protected abstract bool IsOwed(TSubject subject, DateOnly due);

    /// <summary>What the reminders say: unit, item, step and link (the due date and the days late are filled in).</summary>
    protected abstract ReminderContext Context(TSubject subject, DateOnly due);

    /// <summary>Who is reminded at an occurrence of this kind.</summary>
    protected abstract IReadOnlyList<string> RecipientsAt(TSubject subject, ReminderKind kind);

    /// <summary>The reminder that follows the last of <paramref name="due"/>'s schedule, if any (e.g. the next year's review).</summary>
    protected virtual TimerRecord? AfterLast(TSubject subject, DateOnly due, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) => null;

    /// <summary>The first reminder still ahead for an owner due on <paramref name="due"/>; a missed escalation is not replayed.</summary>
    public TimerRecord? FirstOf(Guid owner, DateOnly due, Guid campaignId, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) =>
        NextOf(owner, due, campaignId, definition, Schedule(due, definition, calendar), now, after: -1, keepEscalation: false);

    private TimerRecord? NextOf(
        Guid owner, DateOnly due, Guid campaignId, WorkflowDefinition definition, IReadOnlyList<ReminderOccurrence> schedule, DateTimeOffset now, int after,
        bool keepEscalation) =>
        ReminderTimers.NextOf(schedule, definition, now, after, keepEscalation, kind, o => KeyOf(owner, due, o.Key), null, campaignId);

    public sealed override async Task<Batch> LoadAsync(
        AppDbContext db, WorkflowCatalog workflows, WorkingDayCalendar calendar, IReadOnlyList<TimerRecord> timers, CancellationToken ct)
    {
        var ids = timers.Where(t => t.Kind == kind).Select(t => ReminderTimers.ParseOwned(t.OccurrenceKey)?.Owner).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return new OwnedBatch(this, new Dictionary<Guid, Entry>(), calendar);
        }
        var subjects = await SubjectsAsync(db, ids, ct);
        var campaignIds = subjects.Values.Select(CampaignOf).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id))
            .Select(c => new { c.Id, c.WorkflowId, c.WorkflowVersion, c.ProgrammeId }).ToDictionaryAsync(c => c.Id, ct);
        return new OwnedBatch(this, subjects.ToDictionary(s => s.Key, s =>
        {
            var c = campaigns[CampaignOf(s.Value)];
            return new Entry(s.Value, workflows.Get(c.WorkflowId, c.WorkflowVersion), c.ProgrammeId);
        }), calendar);
    }

    private sealed record Entry(TSubject Subject, WorkflowDefinition Definition, string ProgrammeId);

    private sealed class OwnedBatch(OwnedReminders<TSubject> rules, IReadOnlyDictionary<Guid, Entry> entries, WorkingDayCalendar calendar) : Batch
    {
        public override bool Fire(TimerRecord timer, DateTimeOffset now, List<NotificationRecord> notices, List<TimerRecord> next)
        {
            if (ReminderTimers.ParseOwned(timer.OccurrenceKey) is not { } key || !entries.TryGetValue(key.Owner, out var e)
                || !rules.IsOwed(e.Subject, key.Due))
            {
                return false; // gone, answered, closed or moved: nothing to remind of, and nothing more to plan
            }
            var schedule = Schedule(key.Due, e.Definition, calendar);
            var index = ReminderTimers.IndexOf(schedule, key.Occurrence);
            if (index < 0)
            {
                return false;
            }
            var campaignId = rules.CampaignOf(e.Subject);
            if ((rules.NextOf(key.Owner, key.Due, campaignId, e.Definition, schedule, now, index, keepEscalation: true)
                ?? rules.AfterLast(e.Subject, key.Due, e.Definition, calendar, now)) is { } following)
            {
                next.Add(following);
            }
            var occurrence = schedule[index];
            var context = rules.Context(e.Subject, key.Due) with
            {
                DueDate = key.Due,
                // Owed as an assigned task is: late the day after its due date.
                DaysLate = Deadline.DaysLate(AssignmentState.Assigned, key.Due, occurrence.Date),
            };
            foreach (var recipient in rules.RecipientsAt(e.Subject, occurrence.Kind))
            {
                notices.Add(NotificationRecord.Of($"{timer.OccurrenceKey}:{recipient}", campaignId, e.ProgrammeId, recipient,
                    NotificationKinds.Of(occurrence.Kind), ReminderTexts.Of(occurrence, context, recipient, calendar), context.Link, now));
            }
            return true;
        }
    }
}
