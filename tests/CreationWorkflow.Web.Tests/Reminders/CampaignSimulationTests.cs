namespace CreationWorkflow.Web.Tests.Reminders;

/// <summary>
/// The whole Hechi campaign, 2021-12-01 → 2023-06-30, on a virtual Clock over a real SQLite file. Nobody acts, so
/// every reminder of every assignment must fire: exactly once, at 09:00 China time, on a working day.
/// </summary>
public sealed class CampaignSimulationTests() : HostTest(At(Start))
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2021, 12, 1, 0, 0, 0, China);
    private static readonly DateTimeOffset End = new(2023, 6, 30, 23, 59, 0, China);

    [Fact]
    public async Task Every_reminder_of_the_hechi_campaign_fires_exactly_once_on_a_working_day()
    {
        var office = await App.ClientFor(Roles.Office);
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");

        var sweeps = 0;
        while (true)
        {
            var next = App.WithDb(db => db.Timers.Where(t => t.State == TimerState.Pending).Min(t => (DateTimeOffset?)t.FireAt));
            if (next is null || next > End)
            {
                break;
            }
            Clock.Set(next.Value);
            using var scope = App.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<TimerSweeper>().SweepAsync();
            sweeps++;
        }

        var calendar = App.Services.GetRequiredService<WorkingDayCalendar>();
        var definition = App.Services.GetRequiredService<WorkflowCatalog>().Get("hechi-2021", 1);
        var (assignments, notices) = App.WithDb(db => (
            db.Assignments.AsNoTracking().Where(a => a.CampaignId == campaignId).ToList(),
            db.Notifications.AsNoTracking().Where(n => n.CampaignId == campaignId && n.AssignmentId != null)
                .Select(n => new { n.AssignmentId, n.Kind, n.Recipient, n.CreatedAt, n.OccurrenceKey }).ToList()));

        // Expected from the definition: every occurrence of every assignment's schedule inside the campaign window;
        // an escalation goes to two recipients (inspectors and office).
        var occurrences = assignments.SelectMany(a => ReminderTimers.Schedule(a, definition, calendar)
            .Select(o => (o, at: ReminderSchedule.FireAt(o.Date, definition)))
            .Where(x => x.at >= Start && x.at <= End)).ToList();
        var expected = occurrences.Sum(x => x.o.Kind == ReminderKind.Escalation ? 2 : 1);
        Assert.Equal(expected, notices.Count);
        Assert.Equal(notices.Count, notices.Select(n => n.OccurrenceKey).Distinct().Count());

        // Hand-worked: 96 lead duties acknowledge by 2021-12-08 (5 working days after 12-01) under the acknowledge
        // policy: 1 day before (12-07), on the day, overdue 12-09 and 12-10, escalation 3 working days after (12-13) → 6 notices each.
        var acknowledge = assignments.Where(a => a.StepId == "acknowledge").Select(a => a.Id).ToHashSet();
        Assert.Equal(96, acknowledge.Count);
        var ackNotices = notices.Where(n => acknowledge.Contains(n.AssignmentId!.Value)).ToList();
        Assert.Equal(96 * 6, ackNotices.Count);
        Assert.Equal(
            [new DateOnly(2021, 12, 7), new DateOnly(2021, 12, 8), new DateOnly(2021, 12, 9), new DateOnly(2021, 12, 10), new DateOnly(2021, 12, 13)],
            ackNotices.Select(n => DateOnly.FromDateTime(n.CreatedAt.ToOffset(China).DateTime)).Distinct().Order());

        // Every reminder at 09:00 China time on a working day; none in the National Day week; make-up Saturday 2022-10-08 used.
        var days = notices.Select(n => n.CreatedAt.ToOffset(China)).ToList();
        Assert.All(days, d => Assert.Equal(new TimeSpan(9, 0, 0), d.TimeOfDay));
        Assert.All(days, d => Assert.True(calendar.IsWorkingDay(DateOnly.FromDateTime(d.DateTime)), $"{d:yyyy-MM-dd} is not a working day"));
        Assert.DoesNotContain(days, d => d.Date >= new DateTime(2022, 10, 1) && d.Date <= new DateTime(2022, 10, 7));
        Assert.Contains(days, d => d.Date == new DateTime(2022, 10, 8));
        Assert.Contains(notices, n => n.Kind == NotificationKind.Escalation && n.Recipient == Recipients.Inspectors);

        // Every timer ended fired; none is left pending inside the window.
        Assert.Equal(0, App.WithDb(db => db.Timers.Count(t => t.State == TimerState.Pending && t.FireAt <= End)));
        Assert.Equal(occurrences.Select(x => x.at).Distinct().Count(), sweeps); // one sweep per distinct firing time
    }
}
