namespace CreationWorkflow.Web.Tests.Reminders;

/// <summary>
/// The real executable is killed (SIGKILL) in the middle of a sweep and started again: every reminder that was due
/// while it was down fires once after the restart, none is lost and none is written twice.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    // The campaign is started on its own start date, as a city would; the real process then runs on the real clock.
    private readonly AppFactory app = new() { Clock = new Infrastructure.TestClock(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.FromHours(8))) };

    public void Dispose()
    {
        app.Dispose();
        app.DeleteFolders();
    }

    [Fact]
    public async Task A_sweep_killed_midway_resumes_without_losing_or_repeating_a_reminder()
    {
        // A campaign of 40 assessed units (1,840 assignments), stored by an in-process host, then closed.
        var office = await app.ClientFor(Roles.Office);
        var units = Enumerable.Range(1, 40).Select(i => $"考核单位{i:00}").ToArray();
        (await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = units }))
            .EnsureSuccessStatusCode();
        app.Dispose();
        SqliteConnection.ClearAllPools();
        var database = Path.Combine(app.DataPath, "creationworkflow.db");
        var total = Scalar(database, "select count(*) from timers where State = 'Pending'");
        Assert.Equal(1840, total);

        // The system was down while all of them fell due.
        Execute(database, "update timers set FireAt = (select min(FireAt) from timers) where State = 'Pending'");

        using (var host = HostProcess.Start(app.SeedPath, app.DataPath, ("CreationWorkflow__Scheduling__SweepBatchSize", "10"),
                   ("CreationWorkflow__Scheduling__SweepInterval", "00:00:01")))
        {
            await WaitUntil(() => Scalar(database, "select count(*) from timers where State <> 'Pending'") >= 200, TimeSpan.FromSeconds(90), host);
            host.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await host.WaitForExitAsync();
        }
        var firedAtKill = Scalar(database, "select count(*) from timers where State <> 'Pending' and Kind = 'reminder' and Id <= 1840");
        Assert.InRange(firedAtKill, 200, total - 1); // really mid-way

        using (var host = HostProcess.Start(app.SeedPath, app.DataPath, ("CreationWorkflow__Scheduling__SweepBatchSize", "10"),
                   ("CreationWorkflow__Scheduling__SweepInterval", "00:00:01")))
        {
            await WaitUntil(() => Scalar(database, "select count(*) from timers where State = 'Pending' and FireAt <= " +
                "(select max(FireAt) from timers where Id <= 1840)") == 0, TimeSpan.FromSeconds(120), host);
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }

        // Every original timer fired once; each fired reminder has exactly its notifications, none twice.
        Assert.Equal(0, Scalar(database, "select count(*) from timers where Id <= 1840 and State = 'Pending'"));
        Assert.Equal(total, Scalar(database, "select count(*) from timers where Id <= 1840 and State = 'Fired'"));
        Assert.Equal(0, Scalar(database,
            "select count(*) from notifications n where n.AssignmentId is not null and not exists " +
            "(select 1 from timers t where t.State = 'Fired' and n.OccurrenceKey like t.OccurrenceKey || ':%')"));
        Assert.Equal(0, Scalar(database,
            "select count(*) from timers t where t.State = 'Fired' and t.Kind = 'reminder' and not exists " +
            "(select 1 from notifications n where n.OccurrenceKey like t.OccurrenceKey || ':%')"));
        Assert.Equal(Scalar(database, "select count(*) from notifications"), Scalar(database, "select count(distinct OccurrenceKey) from notifications"));
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, Process host)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(host.HasExited, "the host exited early");
            Assert.True(stopwatch.Elapsed < timeout, "timed out waiting for the host");
            await Task.Delay(100);
        }
    }

    private static long Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    private static void Execute(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
