using CreationWorkflow.Core.Calendar;

namespace CreationWorkflow.Core.Workflows;

public enum ReminderKind
{
    /// <summary>提醒: working days before the due date.</summary>
    BeforeDue,

    /// <summary>到期提醒: on the due date.</summary>
    OnDue,

    /// <summary>催办: after the due date, repeated.</summary>
    Overdue,

    /// <summary>督办: once, to the inspectors (督查) and the office, when the duty is long overdue.</summary>
    Escalation,
}

/// <summary>
/// One reminder of one assignment. <see cref="Key"/> (before-3, before-1, due, overdue-1…, escalate) is unique
/// within the assignment and stable, so the host can record what it sent and never send it twice.
/// </summary>
public sealed record ReminderOccurrence(ReminderKind Kind, DateOnly Date, string Key);

/// <summary>Deadline-relative reminders, counted in working days; every date is a working day.</summary>
public static class ReminderSchedule
{
    /// <summary>
    /// The reminders for a duty due on <paramref name="due"/>, in date order. A due date that is not a working day
    /// (e.g. after an extension) counts from the working day before it, as the planner does.
    /// Occurrences do not depend on the duty's state: the host skips them once it is submitted or closed.
    /// </summary>
    public static IReadOnlyList<ReminderOccurrence> For(DateOnly due, ReminderPolicy policy, WorkingDayCalendar calendar)
    {
        var day = calendar.WorkingDayOnOrBefore(due);
        var reminders = new List<ReminderOccurrence>();
        foreach (var n in policy.BeforeDue)
        {
            reminders.Add(new(ReminderKind.BeforeDue, calendar.AddWorkingDays(day, -n), "before-" + Text(n)));
        }
        if (policy.OnDue)
        {
            reminders.Add(new(ReminderKind.OnDue, day, "due"));
        }
        for (var k = 1; k <= policy.OverdueRepeats; k++)
        {
            reminders.Add(new(ReminderKind.Overdue, calendar.AddWorkingDays(day, 1 + (k - 1) * policy.OverdueEvery), "overdue-" + Text(k)));
        }
        if (policy.EscalateAfter is { } after)
        {
            reminders.Add(new(ReminderKind.Escalation, calendar.AddWorkingDays(day, after), "escalate"));
        }
        return [.. reminders.OrderBy(r => r.Date).ThenBy(r => r.Kind)];
    }

    /// <summary>The instant a reminder dated <paramref name="date"/> fires: the definition's remindAt, local to its time zone.</summary>
    public static DateTimeOffset FireAt(DateOnly date, WorkflowDefinition definition)
    {
        var local = date.ToDateTime(definition.RemindTime, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, definition.Zone.GetUtcOffset(local));
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
