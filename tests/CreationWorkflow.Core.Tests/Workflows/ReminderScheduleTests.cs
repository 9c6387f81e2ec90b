namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>Deadline-relative reminders in working days, and the instant they fire.</summary>
public class ReminderScheduleTests
{
    private static readonly WorkingDayCalendar Cn = Repo.Calendar;
    private static readonly ReminderPolicy Standard = Repo.HechiWorkflow.ReminderPolicies["standard"];

    private static ReminderOccurrence R(ReminderKind kind, int month, int day, string key) => new(kind, new DateOnly(2022, month, day), key);

    [Fact]
    public void Around_national_day_the_overdue_reminders_skip_the_holiday_and_count_the_make_up_weekend()
    {
        var schedule = ReminderSchedule.For(new DateOnly(2022, 9, 30), Standard, Cn);
        Assert.Equal(
            [
                R(ReminderKind.BeforeDue, 9, 27, "before-3"),
                R(ReminderKind.BeforeDue, 9, 29, "before-1"),
                R(ReminderKind.OnDue, 9, 30, "due"),
                R(ReminderKind.Overdue, 10, 8, "overdue-1"), // Saturday, a 调休上班 day
                R(ReminderKind.Overdue, 10, 10, "overdue-2"),
                R(ReminderKind.Overdue, 10, 12, "overdue-3"),
                R(ReminderKind.Escalation, 10, 12, "escalate"),
            ],
            schedule);
    }

    [Fact]
    public void Weekends_are_skipped()
    {
        var schedule = ReminderSchedule.For(new DateOnly(2022, 6, 20), Standard, Cn); // a Monday
        Assert.Equal(
            [new DateOnly(2022, 6, 15), new(2022, 6, 17), new(2022, 6, 20), new(2022, 6, 21), new(2022, 6, 23), new(2022, 6, 27), new(2022, 6, 27)],
            schedule.Select(r => r.Date));
    }

    [Fact]
    public void A_due_date_off_work_counts_from_the_working_day_before_it()
    {
        // An extension granted to Saturday 1 Oct 2022 (国庆节).
        var schedule = ReminderSchedule.For(new DateOnly(2022, 10, 1), Standard, Cn);
        Assert.Equal(new DateOnly(2022, 9, 30), schedule.Single(r => r.Key == "due").Date);
        Assert.Equal(new DateOnly(2022, 10, 8), schedule.Single(r => r.Key == "overdue-1").Date);
    }

    [Fact]
    public void A_policy_without_escalation_or_repeats()
    {
        var quiet = new ReminderPolicy([2], OnDue: false, OverdueEvery: 1, OverdueRepeats: 0);
        Assert.Equal([R(ReminderKind.BeforeDue, 6, 16, "before-2")], ReminderSchedule.For(new DateOnly(2022, 6, 20), quiet, Cn));
    }

    [Fact]
    public void Every_planned_assignment_gets_working_day_reminders_with_unique_keys_in_order()
    {
        var definition = Repo.HechiWorkflow;
        var plan = CampaignPlanner.Plan(Repo.Hechi, definition, new DateOnly(2021, 12, 1), Cn);
        foreach (var (due, policy) in plan.Assignments.Select(a => (a.Due, a.Reminders)).Distinct())
        {
            var schedule = ReminderSchedule.For(due, definition.ReminderPolicies[policy], Cn);
            Assert.All(schedule, r => Assert.True(Cn.IsWorkingDay(r.Date), $"{due} {r.Key} {r.Date}"));
            Assert.Equal(schedule.Count, schedule.Select(r => r.Key).Distinct().Count());
            Assert.Equal(schedule.OrderBy(r => r.Date), schedule);
            Assert.All(schedule, r => Assert.Equal(r.Kind is ReminderKind.BeforeDue, r.Date < due));
        }
    }

    [Fact]
    public void Reminders_fire_at_nine_in_the_morning_beijing_time()
    {
        var at = ReminderSchedule.FireAt(new DateOnly(2022, 9, 30), Repo.HechiWorkflow);
        Assert.Equal(TimeSpan.FromHours(8), at.Offset);
        Assert.Equal(new DateTimeOffset(2022, 9, 30, 1, 0, 0, TimeSpan.Zero), at.ToUniversalTime());
        Assert.Equal(new DateTime(2022, 9, 30, 9, 0, 0), at.DateTime);
    }
}
