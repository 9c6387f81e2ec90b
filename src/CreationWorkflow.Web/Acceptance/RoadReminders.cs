using CreationWorkflow.Core.Acceptance;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Notifications;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Instructions;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Workflows;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// The reminders before each yearly review (年度复核) of the 巩固提升 term, on the durable timers the assignments and the
/// instructions use (<see cref="TimerSweeper"/> fires them): the campaign workflow's standard reminder policy over the
/// review's due date (the naming anniversary, <see cref="RoadLifecycle.ReviewDates"/>), to the office; 逾期上报 to the
/// leaders and the office. Planned one at a time by <see cref="ReminderTimers.NextOf"/>; a recorded review is reminded of
/// nothing more, and the next year's reminders follow the last of this year's or the review's recording.
/// </summary>
public static class RoadReminders
{
    public const string Kind = "road";

    public static string Key(Guid campaignId, DateOnly due, string occurrence) => $"road:{campaignId:N}:{due:yyyyMMdd}:{occurrence}";

    private static (Guid Campaign, DateOnly Due, string Occurrence)? Parse(string key) => ReminderTimers.ParseOwned(key);

    /// <summary>The first reminder still ahead of the review of <paramref name="year"/> (1-based) of a term named on <paramref name="namedOn"/>; none after the term.</summary>
    public static TimerRecord? First(Guid campaignId, DateOnly namedOn, int year, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now)
    {
        if (year < 1 || year > RoadLifecycle.TermYears)
        {
            return null;
        }
        var due = RoadLifecycle.ReviewDates(namedOn)[year - 1];
        return ReminderTimers.NextOf(InstructionReminders.Schedule(due, definition, calendar), definition, now, -1, keepEscalation: false,
            Kind, o => Key(campaignId, due, o.Key), null, campaignId);
    }

    /// <summary>The roads and campaigns behind a batch's road timers: two queries, whatever the batch.</summary>
    public static async Task<Batch> LoadAsync(AppDbContext db, WorkflowCatalog workflows, WorkingDayCalendar calendar, IReadOnlyList<TimerRecord> timers, CancellationToken ct)
    {
        var ids = timers.Where(t => t.Kind == Kind).Select(t => Parse(t.OccurrenceKey)?.Campaign).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Batch(new Dictionary<Guid, Entry>(), calendar);
        }
        var roads = await db.Roads.AsNoTracking().Include(r => r.Steps).Where(r => ids.Contains(r.CampaignId)).ToListAsync(ct);
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.WorkflowId, c.WorkflowVersion, c.ProgrammeId }).ToDictionaryAsync(c => c.Id, ct);
        return new Batch(roads.ToDictionary(r => r.CampaignId, r =>
        {
            var c = campaigns[r.CampaignId];
            return new Entry(r, workflows.Get(c.WorkflowId, c.WorkflowVersion), c.ProgrammeId);
        }), calendar);
    }

    public sealed record Entry(RoadRecord Road, WorkflowDefinition Definition, string ProgrammeId);

    /// <summary>One sweep batch's road timers, fired into the batch's notices and next timers.</summary>
    public sealed class Batch(IReadOnlyDictionary<Guid, Entry> entries, WorkingDayCalendar calendar)
    {
        /// <summary>Writes the reminder's notices and plans the next one. False when it no longer applies.</summary>
        public bool Fire(TimerRecord timer, DateTimeOffset now, List<NotificationRecord> notices, List<TimerRecord> next)
        {
            if (Parse(timer.OccurrenceKey) is not { } key || !entries.TryGetValue(key.Campaign, out var e)
                || e.Road.Stage != RoadStage.Named || e.Road.NamedOn is not { } namedOn)
            {
                return false;
            }
            var year = RoadLifecycle.ReviewDates(namedOn).ToList().IndexOf(key.Due) + 1;
            if (year == 0 || e.Road.Steps.Any(s => s.TermYear == year))
            {
                return false; // not a review of this term, or already recorded: nothing to remind of
            }
            var schedule = InstructionReminders.Schedule(key.Due, e.Definition, calendar);
            var index = ReminderTimers.IndexOf(schedule, key.Occurrence);
            if (index < 0)
            {
                return false;
            }
            var following = ReminderTimers.NextOf(schedule, e.Definition, now, index, keepEscalation: true, Kind, o => Key(key.Campaign, key.Due, o.Key), null, key.Campaign)
                ?? First(key.Campaign, namedOn, year + 1, e.Definition, calendar, now);
            if (following is not null)
            {
                next.Add(following);
            }
            var occurrence = schedule[index];
            var context = new ReminderContext
            {
                Unit = CampaignPlanner.Office,
                ItemText = $"巩固提升第{year}年度（共{RoadLifecycle.TermYears}年）自查",
                StepName = ReminderTexts.RoadReviewStep,
                DueDate = key.Due,
                DaysLate = Deadline.DaysLate(AssignmentState.Assigned, key.Due, occurrence.Date),
                Link = $"/campaigns/{key.Campaign}/acceptance",
            };
            var recipients = occurrence.Kind == ReminderKind.Escalation ? new[] { Recipients.Leaders, Recipients.Office } : [Recipients.Office];
            foreach (var recipient in recipients)
            {
                var text = ReminderTexts.Of(occurrence, context, recipient, calendar);
                notices.Add(new NotificationRecord
                {
                    OccurrenceKey = $"{timer.OccurrenceKey}:{recipient}",
                    CampaignId = key.Campaign,
                    ProgrammeId = e.ProgrammeId,
                    Recipient = recipient,
                    Kind = NotificationKinds.Of(occurrence.Kind),
                    Title = text.Title.Length <= 300 ? text.Title : text.Title[..299] + "…",
                    Body = text.Body,
                    Link = context.Link,
                    CreatedAt = now,
                });
            }
            return true;
        }
    }
}
