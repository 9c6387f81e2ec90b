using Quartz;

namespace CreationWorkflow.Web.Tests.Reminders;

/// <summary>The runtime on a real PostgreSQL server: migrations, Quartz's clustered ADO store, concurrent sweeps.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRuntimeTests(PostgresServer postgres)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task Two_sweepers_on_postgres_fire_every_timer_exactly_once()
    {
        var clock = new TestClock(new DateTimeOffset(2022, 1, 1, 0, 0, 0, China));
        using var app = new AppFactory { Postgres = await postgres.CreateDatabaseAsync(), Clock = clock };
        try
        {
            var office = await app.ClientFor(Roles.Office);
            var started = await office.PostAsJsonAsync("/api/campaigns",
                new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = new[] { "甲单位", "乙单位", "丙单位", "丁单位" } });
            started.EnsureSuccessStatusCode();
            Assert.Equal(4 * 2 * 23, (int)(await started.Content.ReadFromJsonAsync<JsonObject>())!["assignments"]!);

            // Through the acknowledgement deadline and its escalation: two sweepers race over every due timer.
            var fired = 0;
            for (var day = new DateTimeOffset(2022, 1, 4, 9, 0, 0, China); day <= new DateTimeOffset(2022, 1, 31, 9, 0, 0, China); day = day.AddDays(1))
            {
                clock.Set(day);
                var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
                {
                    using var scope = app.Services.CreateScope();
                    var sweeper = scope.ServiceProvider.GetRequiredService<TimerSweeper>();
                    sweeper.BatchSize = 25;
                    return await sweeper.SweepAsync();
                }));
                fired += results.Sum(r => r.Fired);
            }
            var (notices, distinct, firedTimers) = app.WithDb(db => (
                db.Notifications.Count(n => n.AssignmentId != null),
                db.Notifications.Where(n => n.AssignmentId != null).Select(n => n.OccurrenceKey).Distinct().Count(),
                db.Timers.Count(t => t.State == TimerState.Fired)));
            // Expected from the definition: every reminder dated inside the window, escalations to two recipients.
            var calendar = app.Services.GetRequiredService<CreationWorkflow.Core.Calendar.WorkingDayCalendar>();
            var definition = app.Services.GetRequiredService<CreationWorkflow.Web.Workflows.WorkflowCatalog>().Get("taijiang-2022", 1);
            var last = new DateTimeOffset(2022, 1, 31, 9, 0, 0, China);
            var due = app.WithDb(db => db.Assignments.AsNoTracking().ToList()).SelectMany(a => ReminderTimers.Schedule(a, definition, calendar))
                .Where(o => CreationWorkflow.Core.Workflows.ReminderSchedule.FireAt(o.Date, definition) <= last).ToList();
            Assert.Equal(due.Count, firedTimers);
            Assert.Equal(fired, firedTimers);
            Assert.Equal(due.Sum(o => o.Kind == CreationWorkflow.Core.Workflows.ReminderKind.Escalation ? 2 : 1), notices);
            Assert.Contains(due, o => o.Kind == CreationWorkflow.Core.Workflows.ReminderKind.Escalation);
            Assert.Equal(notices, distinct);
            Assert.Equal(DatabaseProvider.Postgres, app.WithDb(db => db.Provider));
        }
        finally
        {
            app.DeleteFolders();
        }
    }

    [Fact]
    public async Task Quartz_runs_clustered_on_our_tables_and_keeps_checkpoint_triggers()
    {
        using var app = new AppFactory { Postgres = await postgres.CreateDatabaseAsync(), Scheduling = true };
        try
        {
            var office = await app.ClientFor(Roles.Office);
            var today = DateOnly.FromDateTime(DateTime.UnixEpoch.AddTicks(TimeProvider.System.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks));
            var started = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "hechi-2021", startDate = today.ToString("yyyy-MM-dd"), workflowVersion = 1 });
            started.EnsureSuccessStatusCode();
            var id = (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            foreach (var checkpoint in new[] { "fullPushInspection", "midTermInspection" })
            {
                Assert.True(await scheduler.Exists(new TriggerKey($"{id:N}:{checkpoint}", "checkpoints")), checkpoint);
            }
            Assert.Equal(2, await CountAsync(app, "select count(*) from qrtz_cron_triggers where trigger_group = 'checkpoints'"));

            // The checkpoint job runs through the scheduler and leaves its inspection record.
            await scheduler.TriggerJob(new JobKey($"{id:N}:fullPushInspection", "checkpoints"));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await CountAsync(app, "select count(*) from inspection_records") == 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the checkpoint job did not run");
                await Task.Delay(200);
            }
            Assert.True(await CountAsync(app, "select count(*) from qrtz_scheduler_state") >= 1);
            Assert.Equal(2, await CountAsync(app, "select count(*) from qrtz_simple_triggers where trigger_name in ('timer-sweep', 'mail')"));
        }
        finally
        {
            app.DeleteFolders();
        }
    }

    private static async Task<long> CountAsync(AppFactory app, string sql)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
