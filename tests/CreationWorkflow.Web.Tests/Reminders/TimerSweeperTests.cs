using CreationWorkflow.Web.Campaigns;

namespace CreationWorkflow.Web.Tests;

/// <summary>Reminder timers of a real Hechi campaign on both databases: planned in UTC, fired at 09:00 Beijing time, once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TimerSweeperTests(PostgresServer postgres)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2021, 12, 1, 0, 0, 0, Beijing);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Due_reminders_fire_once_at_nine_beijing_time_and_plan_the_next(string provider)
    {
        var clock = new TestClock(Start.ToUniversalTime());
        var app = new AppFactory { Clock = clock, Postgres = provider == "postgres" ? await postgres.CreateDatabaseAsync() : null };
        try
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<CampaignService>()
                    .StartAsync(new StartCampaign("hechi-2021", DateOnly.FromDateTime(Start.DateTime), WorkflowVersion: 1), "test");
            }
            var first = app.WithDb(db => db.Timers.AsNoTracking().ToList());
            Assert.All(first, t => Assert.Equal(TimeSpan.Zero, t.FireAt.Offset));
            // Acknowledging is due 5 working days after the start (Wed 8 Dec); its first reminder is the working day before.
            var nineAm = new DateTimeOffset(2021, 12, 7, 9, 0, 0, Beijing);
            Assert.Equal(nineAm, first.Min(t => t.FireAt));
            var due = first.Where(t => t.FireAt == nineAm).ToList();
            Assert.All(due, t => Assert.EndsWith(":20211208:before-1", t.OccurrenceKey));

            clock.Set(nineAm.AddMinutes(-1).ToUniversalTime());
            Assert.Equal(new SweepResult(0, 0, 0), await SweepAsync(app));

            clock.Set(nineAm.ToUniversalTime());
            Assert.Equal(new SweepResult(due.Count, 0, (due.Count + 99) / 100), await SweepAsync(app, batchSize: 100));
            Assert.Equal(new SweepResult(0, 0, 0), await SweepAsync(app));

            var (timers, notifications, units) = app.WithDb(db => (
                db.Timers.AsNoTracking().ToList(),
                db.Notifications.AsNoTracking().Where(n => n.Kind != NotificationKind.Assigned).ToList(),
                db.Assignments.AsNoTracking().ToDictionary(a => a.Id, a => a.Unit)));
            var dueIds = due.Select(t => t.Id).ToHashSet();
            Assert.All(timers.Where(t => dueIds.Contains(t.Id)), t =>
            {
                Assert.Equal(TimerState.Fired, t.State);
                Assert.Equal(nineAm, t.FiredAt);
            });
            Assert.Equal(due.Select(t => t.OccurrenceKey + ":" + units[t.AssignmentId!.Value]).Order(), notifications.Select(n => n.OccurrenceKey).Order());
            Assert.All(notifications, n =>
            {
                Assert.Equal(NotificationKind.DueSoon, n.Kind);
                Assert.Equal(units[n.AssignmentId!.Value], n.Recipient);
                Assert.Contains("还剩1个工作日到期", n.Title);
                Assert.Equal($"/assignments/{n.AssignmentId}", n.Link);
            });
            // Each fired reminder planned the next one of its schedule: the due-date reminder, at 09:00 on 8 Dec.
            var planned = timers.Where(t => t.Id > first.Max(f => f.Id)).ToList();
            Assert.Equal(due.Select(t => t.OccurrenceKey.Replace(":before-1", ":due", StringComparison.Ordinal)).Order(), planned.Select(t => t.OccurrenceKey).Order());
            Assert.All(planned, t =>
            {
                Assert.Equal(TimerState.Pending, t.State);
                Assert.Equal(new DateTimeOffset(2021, 12, 8, 9, 0, 0, Beijing), t.FireAt);
                Assert.Equal(TimeSpan.Zero, t.FireAt.Offset);
            });
        }
        finally
        {
            app.Dispose();
            app.DeleteFolders();
        }
    }

    private static async Task<SweepResult> SweepAsync(AppFactory app, int batchSize = 1000)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sweeper = scope.ServiceProvider.GetRequiredService<TimerSweeper>();
        sweeper.BatchSize = batchSize;
        return await sweeper.SweepAsync();
    }
}
