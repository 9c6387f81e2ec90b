namespace CreationWorkflow.Web.Reminders;

/// <summary>
/// Plans the reminder timers of an assignment one at a time: when one fires, the next is inserted. Keys carry the
/// due date, so after an extension the new schedule never collides with reminders already sent for the old one.
/// </summary>
public static class ReminderTimers
{
    public const string Kind = "reminder";

    public static string Key(Guid assignmentId, DateOnly due, string occurrence) => $"rem:{assignmentId:N}:{due:yyyyMMdd}:{occurrence}";

    /// <summary>
    /// A key of the timers that belong to something other than an assignment (<c>instr:</c>, <c>order:</c>, <c>road:</c>, each
    /// "prefix:{id:N}:{due:yyyyMMdd}:{occurrence}") back into its owner's id, due date and occurrence; null when it is not one.
    /// </summary>
    public static (Guid Owner, DateOnly Due, string Occurrence)? ParseOwned(string key)
    {
        var parts = key.Split(':');
        return parts.Length == 4 && Guid.TryParseExact(parts[1], "N", out var owner)
            && DateOnly.TryParseExact(parts[2], "yyyyMMdd", out var due)
            ? (owner, due, parts[3]) : null;
    }

    /// <summary>Parses a key back into its due date and occurrence key.</summary>
    public static (DateOnly Due, string Occurrence) Parse(string key)
    {
        var parts = key.Split(':');
        return (DateOnly.ParseExact(parts[2], "yyyyMMdd"), parts[3]);
    }

    public static IReadOnlyList<ReminderOccurrence> Schedule(AssignmentRecord a, WorkflowDefinition definition, WorkingDayCalendar calendar)
    {
        var step = definition.Steps.First(s => s.Id == a.StepId);
        return ReminderSchedule.For(a.DueDate, definition.ReminderPolicies[step.Reminders], calendar);
    }

    /// <summary>
    /// The first reminder still ahead (at or after <paramref name="now"/>); none for a closed assignment. A campaign
    /// started with a date in the past does not replay what lay before it — not even escalations.
    /// </summary>
    public static TimerRecord? First(AssignmentRecord a, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) =>
        IsClosed(a) ? null : Next(a, definition, Schedule(a, definition, calendar), now, after: -1, keepEscalation: false);

    /// <summary>
    /// The reminder after position <paramref name="after"/> of the schedule whose time has not yet passed. Reminders
    /// missed while the system was down are not sent in a burst, but an escalation is never skipped.
    /// </summary>
    public static TimerRecord? Next(AssignmentRecord a, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now, int after) =>
        IsClosed(a) ? null : Next(a, definition, Schedule(a, definition, calendar), now, after);

    /// <summary>As <see cref="Next(AssignmentRecord, WorkflowDefinition, WorkingDayCalendar, DateTimeOffset, int)"/>, over the assignment's schedule already computed.</summary>
    public static TimerRecord? Next(
        AssignmentRecord a, WorkflowDefinition definition, IReadOnlyList<ReminderOccurrence> schedule, DateTimeOffset now, int after, bool keepEscalation = true)
    {
        if (IsClosed(a))
        {
            return null;
        }
        return NextOf(schedule, definition, now, after, keepEscalation, Kind, o => Key(a.Id, a.DueDate, o.Key), a.Id, a.CampaignId);
    }

    /// <summary>
    /// The timer of the first occurrence after position <paramref name="after"/> whose time has not yet passed (an escalation
    /// is kept even when late, if <paramref name="keepEscalation"/>): the one rule for every durable reminder, whatever it
    /// reminds of (an assignment, a leader's instruction), with its own timer kind and key.
    /// </summary>
    public static TimerRecord? NextOf(
        IReadOnlyList<ReminderOccurrence> schedule, WorkflowDefinition definition, DateTimeOffset now, int after, bool keepEscalation,
        string kind, Func<ReminderOccurrence, string> key, Guid? assignmentId, Guid campaignId)
    {
        for (var i = after + 1; i < schedule.Count; i++)
        {
            var fireAt = ReminderSchedule.FireAt(schedule[i].Date, definition);
            if (fireAt >= now || keepEscalation && schedule[i].Kind == ReminderKind.Escalation)
            {
                return new TimerRecord
                {
                    // In UTC: Npgsql writes only offset 0 to timestamptz, and SQLite's converter orders by clock time.
                    FireAt = fireAt.ToUniversalTime(),
                    Kind = kind,
                    AssignmentId = assignmentId,
                    CampaignId = campaignId,
                    OccurrenceKey = key(schedule[i]),
                    State = TimerState.Pending,
                };
            }
        }
        return null;
    }

    /// <summary>The index of an occurrence key in a schedule; -1 when the schedule no longer has it.</summary>
    public static int IndexOf(IReadOnlyList<ReminderOccurrence> schedule, string occurrenceKey)
    {
        for (var i = 0; i < schedule.Count; i++)
        {
            if (schedule[i].Key == occurrenceKey)
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsClosed(AssignmentRecord a) =>
        a.State is Core.Assignments.AssignmentState.Approved or Core.Assignments.AssignmentState.Cancelled;
}
