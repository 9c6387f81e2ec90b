using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Notifications;
using CreationWorkflow.Core.Supervision;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Instructions;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Workflows;

namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// The deadline reminders of a 督办单 — issued for late work, from a peer-inspection finding, or from a finding of the
/// region's 初验 on the road after 90 — on the durable timers the assignments use (<see cref="TimerSweeper"/> fires them):
/// the campaign workflow's standard reminder policy over the order's 整改期限 (<see cref="SupervisionOrderRecord.RectifyBy"/>):
/// 临期提醒, 今日到期, 逾期催办 to the unit; 逾期上报 to the inspectors and the office. Planned one at a time by
/// <see cref="ReminderTimers.NextOf"/> when the order is staged; an order answered (整改反馈), closed or escalated is
/// reminded of nothing more.
/// </summary>
public static class OrderReminders
{
    public const string Kind = "order";

    public static string Key(Guid orderId, DateOnly due, string occurrence) => $"order:{orderId:N}:{due:yyyyMMdd}:{occurrence}";

    private static (Guid Order, DateOnly Due, string Occurrence)? Parse(string key) => ReminderTimers.ParseOwned(key);

    /// <summary>The first reminder still ahead of an order just staged.</summary>
    public static TimerRecord? First(SupervisionOrderRecord o, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) =>
        Next(o, definition, InstructionReminders.Schedule(o.RectifyBy, definition, calendar), now, after: -1, keepEscalation: false);

    private static TimerRecord? Next(
        SupervisionOrderRecord o, WorkflowDefinition definition, IReadOnlyList<ReminderOccurrence> schedule, DateTimeOffset now, int after, bool keepEscalation = true) =>
        ReminderTimers.NextOf(schedule, definition, now, after, keepEscalation, Kind, x => Key(o.Id, o.RectifyBy, x.Key), null, o.CampaignId);

    /// <summary>The orders and campaigns behind a batch's order timers: two queries, whatever the batch.</summary>
    public static async Task<Batch> LoadAsync(AppDbContext db, WorkflowCatalog workflows, WorkingDayCalendar calendar, IReadOnlyList<TimerRecord> timers, CancellationToken ct)
    {
        var ids = timers.Where(t => t.Kind == Kind).Select(t => Parse(t.OccurrenceKey)?.Order).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Batch(new Dictionary<Guid, Entry>(), calendar);
        }
        var orders = await db.SupervisionOrders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync(ct);
        var campaignIds = orders.Select(o => o.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id))
            .Select(c => new { c.Id, c.WorkflowId, c.WorkflowVersion, c.ProgrammeId }).ToDictionaryAsync(c => c.Id, ct);
        return new Batch(orders.ToDictionary(o => o.Id, o =>
        {
            var c = campaigns[o.CampaignId];
            return new Entry(o, workflows.Get(c.WorkflowId, c.WorkflowVersion), c.ProgrammeId);
        }), calendar);
    }

    public sealed record Entry(SupervisionOrderRecord Order, WorkflowDefinition Definition, string ProgrammeId);

    /// <summary>One sweep batch's order timers, fired into the batch's notices and next timers.</summary>
    public sealed class Batch(IReadOnlyDictionary<Guid, Entry> entries, WorkingDayCalendar calendar)
    {
        /// <summary>Writes the reminder's notices and plans the next one. False when it no longer applies.</summary>
        public bool Fire(TimerRecord timer, DateTimeOffset now, List<NotificationRecord> notices, List<TimerRecord> next)
        {
            if (Parse(timer.OccurrenceKey) is not { } key || !entries.TryGetValue(key.Order, out var e) || key.Due != e.Order.RectifyBy)
            {
                return false;
            }
            var o = e.Order;
            if (o.State != SupervisionOrderState.Open)
            {
                return false; // answered, closed or escalated: nothing to remind of, and nothing more to plan
            }
            var schedule = InstructionReminders.Schedule(o.RectifyBy, e.Definition, calendar);
            var index = ReminderTimers.IndexOf(schedule, key.Occurrence);
            if (index < 0)
            {
                return false;
            }
            if (Next(o, e.Definition, schedule, now, index) is { } following)
            {
                next.Add(following);
            }
            var occurrence = schedule[index];
            var link = $"/supervision/orders/{o.Id}";
            var context = new ReminderContext
            {
                Unit = o.Unit,
                ItemText = o.Title,
                StepName = ReminderTexts.OrderStep,
                DueDate = o.RectifyBy,
                // An unanswered order is owed as an assigned task is: late the day after its 整改期限.
                DaysLate = Deadline.DaysLate(AssignmentState.Assigned, o.RectifyBy, occurrence.Date),
                Link = link,
            };
            var recipients = occurrence.Kind == ReminderKind.Escalation ? new[] { Recipients.Inspectors, Recipients.Office } : [Recipients.ForUnit(o.Unit)];
            foreach (var recipient in recipients)
            {
                var text = ReminderTexts.Of(occurrence, context, recipient, calendar);
                notices.Add(NotificationRecord.Of($"{timer.OccurrenceKey}:{recipient}", o.CampaignId, e.ProgrammeId, recipient,
                    NotificationKinds.Of(occurrence.Kind), text, link, now));
            }
            return true;
        }
    }
}
