using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Instructions;
using CreationWorkflow.Core.Notifications;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Workflows;

namespace CreationWorkflow.Web.Instructions;

/// <summary>
/// The deadline reminders of a leader's instruction, one unit at a time, on the durable timers the assignments use
/// (<see cref="TimerSweeper"/> fires them): the campaign workflow's <see cref="PolicyName"/> reminder policy over the
/// instruction's due date (临期提醒, 今日到期, 逾期催办 to the unit; 逾期上报 to the leaders and the office), planned one
/// at a time by <see cref="ReminderTimers.NextOf"/>. A unit that has answered, or a closed instruction, is reminded of nothing.
/// </summary>
public static class InstructionReminders
{
    public const string Kind = "instruction";

    /// <summary>The reminder policy of the campaign's workflow that instructions follow (the first one if it has none by this name).</summary>
    public const string PolicyName = "standard";

    public static string Key(Guid targetId, DateOnly due, string occurrence) => $"instr:{targetId:N}:{due:yyyyMMdd}:{occurrence}";

    private static (Guid Target, DateOnly Due, string Occurrence)? Parse(string key) => ReminderTimers.ParseOwned(key);

    public static IReadOnlyList<ReminderOccurrence> Schedule(DateOnly due, WorkflowDefinition definition, WorkingDayCalendar calendar) =>
        ReminderSchedule.For(due,
            definition.ReminderPolicies.TryGetValue(PolicyName, out var policy) ? policy : definition.ReminderPolicies.Values.First(), calendar);

    /// <summary>The first reminder still ahead for one named unit.</summary>
    public static TimerRecord? First(InstructionRecord i, InstructionTargetRecord t, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) =>
        Next(i, t, definition, Schedule(i.DueDate, definition, calendar), now, after: -1, keepEscalation: false);

    private static TimerRecord? Next(
        InstructionRecord i, InstructionTargetRecord t, WorkflowDefinition definition, IReadOnlyList<ReminderOccurrence> schedule, DateTimeOffset now, int after,
        bool keepEscalation = true) =>
        ReminderTimers.NextOf(schedule, definition, now, after, keepEscalation, Kind, o => Key(t.Id, i.DueDate, o.Key), null, i.CampaignId);

    /// <summary>The instructions and campaigns behind a batch's instruction timers: two queries, whatever the batch.</summary>
    public static async Task<Batch> LoadAsync(AppDbContext db, WorkflowCatalog workflows, WorkingDayCalendar calendar, IReadOnlyList<TimerRecord> timers, CancellationToken ct)
    {
        var ids = timers.Where(t => t.Kind == Kind).Select(t => Parse(t.OccurrenceKey)?.Target).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Batch(new Dictionary<Guid, Entry>(), calendar);
        }
        var instructions = await db.Instructions.AsNoTracking().Include(i => i.Targets)
            .Where(i => i.Targets.Any(t => ids.Contains(t.Id))).ToListAsync(ct);
        var campaignIds = instructions.Select(i => i.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id))
            .Select(c => new { c.Id, c.WorkflowId, c.WorkflowVersion, c.ProgrammeId }).ToDictionaryAsync(c => c.Id, ct);
        var byTarget = new Dictionary<Guid, Entry>();
        foreach (var i in instructions)
        {
            var c = campaigns[i.CampaignId];
            foreach (var t in i.Targets)
            {
                byTarget[t.Id] = new Entry(i, t, workflows.Get(c.WorkflowId, c.WorkflowVersion), c.ProgrammeId);
            }
        }
        return new Batch(byTarget, calendar);
    }

    public sealed record Entry(InstructionRecord Instruction, InstructionTargetRecord Target, WorkflowDefinition Definition, string ProgrammeId);

    /// <summary>One sweep batch's instruction timers, fired into the batch's notices and next timers.</summary>
    public sealed class Batch(IReadOnlyDictionary<Guid, Entry> entries, WorkingDayCalendar calendar)
    {
        /// <summary>Writes the reminder's notices and plans the next one. False when it no longer applies.</summary>
        public bool Fire(TimerRecord timer, DateTimeOffset now, List<NotificationRecord> notices, List<TimerRecord> next)
        {
            if (Parse(timer.OccurrenceKey) is not { } key || !entries.TryGetValue(key.Target, out var e) || key.Due != e.Instruction.DueDate)
            {
                return false;
            }
            var (i, t) = (e.Instruction, e.Target);
            if (i.State == InstructionState.Closed || t.Answered)
            {
                return false; // answered or closed: nothing to remind of, and nothing more to plan
            }
            var schedule = Schedule(i.DueDate, e.Definition, calendar);
            var index = ReminderTimers.IndexOf(schedule, key.Occurrence);
            if (index < 0)
            {
                return false;
            }
            if (Next(i, t, e.Definition, schedule, now, index) is { } following)
            {
                next.Add(following);
            }
            var occurrence = schedule[index];
            var context = new ReminderContext
            {
                Unit = t.Unit,
                ItemText = $"{i.SubjectTitle}批示",
                StepName = ReminderTexts.InstructionStep,
                DueDate = i.DueDate,
                // An unanswered instruction is owed as an assigned task is: late the day after its due date.
                DaysLate = Deadline.DaysLate(AssignmentState.Assigned, i.DueDate, occurrence.Date),
                Link = $"/instructions/{i.Id}",
            };
            var recipients = occurrence.Kind == ReminderKind.Escalation ? new[] { Recipients.Leaders, Recipients.Office } : [Recipients.ForUnit(t.Unit)];
            foreach (var recipient in recipients)
            {
                var text = ReminderTexts.Of(occurrence, context, recipient, calendar);
                notices.Add(NotificationRecord.Of($"{timer.OccurrenceKey}:{recipient}", i.CampaignId, e.ProgrammeId, recipient,
                    NotificationKinds.Of(occurrence.Kind), text, $"/instructions/{i.Id}", now));
            }
            return true;
        }
    }
}
