using System.Diagnostics;
using System.Globalization;
using CreationWorkflow.Core.Calendar;
using CreationWorkflow.Web.Campaigns;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Tests.Infrastructure;
using CreationWorkflow.Web.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace CreationWorkflow.Benchmarks;

/// <summary>
/// A PostgreSQL database holding one Hechi campaign started through the real <see cref="CampaignService"/> and exactly
/// <see cref="TimerCount"/> pending reminder timers, all due. The services are the host's own
/// (<see cref="Startup.AddCreationWorkflow"/>, production logging levels from appsettings.json), with a fixed clock and
/// the Quartz scheduler off; the host never listens.
/// </summary>
/// <remarks>
/// <para>
/// One campaign has about 26,000 assignments, and one assignment has one pending timer at a time in real life. To get
/// 100,000 timers that each do the whole job (load the assignment and campaign, recompute the schedule, write the
/// notifications, insert the next timer) without two timers planning the same next one, the clock stands at the
/// campaign's start, when every reminder of every assignment is still ahead, and each assignment gets the timers of
/// every other occurrence of its schedule (the 1st, 3rd, 5th, 7th: the 1st is the one the campaign start planned).
/// Firing occurrence i plans occurrence i+1, which is never in the set. Taken by rank (all 1st occurrences, then all
/// 3rd, …) until there are 100,000, and given FireAt one second apart before the clock, in that order: they are all
/// due, and a batch holds up to BatchSize different assignments. The claim and the scan select them by FireAt only;
/// the sweeper then does exactly what it does for a reminder whose time has come (nothing in it compares the
/// occurrence's date with the clock, except to choose the next timer).
/// </para>
/// <para>
/// The server is <see cref="PostgresServer"/> (the tests' throw-away server), switched back to durable settings
/// (fsync, synchronous_commit and full_page_writes on) and PostgreSQL's default 128MB shared_buffers.
/// </para>
/// </remarks>
public sealed class SweepFixture : IAsyncDisposable
{
    public const int TimerCount = 100_000;
    public const string ProgrammeId = "hechi-2021";

    /// <summary>The campaign's start date, 00:00 in Asia/Shanghai: every reminder of the campaign is still ahead.</summary>
    public static readonly DateTimeOffset Now = new(2021, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private readonly PostgresServer server;
    private readonly WebApplication host;
    private long seededMaxTimerId;
    private long seededMaxNotificationId;
    private bool dirty;

    private SweepFixture(PostgresServer server, WebApplication host, string connectionString)
    {
        this.server = server;
        this.host = host;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public IServiceProvider Services => host.Services;

    public int Assignments { get; private set; }

    public string ServerVersion { get; private set; } = "";

    public static async Task<SweepFixture> StartAsync(TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var server = new PostgresServer();
        await server.InitializeAsync();
        WebApplication? host = null;
        try
        {
            await MakeDurableAsync(server);
            var connectionString = await server.CreateDatabaseAsync("bench");
            log.WriteLine($"// PostgreSQL started on port {server.Port} in {clock.Elapsed.TotalSeconds:F1} s");

            host = BuildHost(connectionString, server.RootDirectory);
            var fixture = new SweepFixture(server, host, connectionString);
            await fixture.InitialiseAsync(log);
            log.WriteLine($"// Fixture ready in {clock.Elapsed.TotalSeconds:F1} s: {fixture.Assignments} assignments, {TimerCount} due timers; {fixture.ServerVersion}");
            GC.Collect();
            log.WriteLine($"// Memory after set-up: {DescribeMemory()}");
            return fixture;
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The host's service wiring, as Program.cs builds it, on the benchmark's database and clock.</summary>
    private static WebApplication BuildHost(string connectionString, string scratch) =>
        HostBuilder(connectionString, scratch, Now.ToUniversalTime()).Build();

    /// <summary>
    /// Program.cs's builder in Production on a benchmark's PostgreSQL database and fixed clock, Quartz off; the
    /// sweep and load benchmarks both start from it.
    /// </summary>
    internal static WebApplicationBuilder HostBuilder(
        string connectionString, string scratch, DateTimeOffset now, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = RepoRoot();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "CreationWorkflow.Web",
            EnvironmentName = Environments.Production,
            ContentRootPath = Path.Combine(root, "src", "CreationWorkflow.Web"),
        });
        var config = new Dictionary<string, string?>
        {
            ["CreationWorkflow:Database"] = "Postgres",
            ["CreationWorkflow:ConnectionString"] = connectionString,
            ["CreationWorkflow:SeedPath"] = Path.Combine(root, "seed"),
            ["CreationWorkflow:WorkflowsPath"] = Path.Combine(root, "workflows"),
            ["CreationWorkflow:DataPath"] = Path.Combine(scratch, "app-data"), // deleted with the server's directory
            ["CreationWorkflow:Scheduling:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(config);
        builder.AddCreationWorkflow();
        builder.Services.AddSingleton<TimeProvider>(new TestClock(now));
        return builder;
    }

    private async Task InitialiseAsync(TextWriter log)
    {
        // What the host does before it listens: migrate, import the programmes, store the workflow versions.
        await Services.GetServices<IHostedService>().OfType<StartupInitialiser>().Single().StartAsync(CancellationToken.None);

        await using (var scope = Services.CreateAsyncScope())
        {
            var clock = Stopwatch.StartNew();
            var campaign = await scope.ServiceProvider.GetRequiredService<CampaignService>()
                .StartAsync(new StartCampaign(ProgrammeId, DateOnly.FromDateTime(Now.DateTime)), "benchmark");
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assignments = await db.Assignments.CountAsync(a => a.CampaignId == campaign.Id);
            var firstTimers = await db.Timers.CountAsync();
            log.WriteLine($"// Campaign started through CampaignService in {clock.Elapsed.TotalSeconds:F1} s: {Assignments} assignments, {firstTimers} first reminder timers");
            await SeedTimersAsync(db, campaign, log);
        }

        await using var connection = await OpenAsync();
        seededMaxTimerId = await ScalarAsync<long>(connection, """SELECT max("Id") FROM timers""");
        seededMaxNotificationId = await ScalarAsync<long>(connection, """SELECT coalesce(max("Id"), 0) FROM notifications""");
        ServerVersion = "PostgreSQL " + await ScalarAsync<string>(connection, "SHOW server_version");
        var settings = await ScalarAsync<string>(connection,
            "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers')");
        log.WriteLine($"// Server settings: {settings}");
        var due = await ScalarAsync<long>(connection, $"""SELECT count(*) FROM timers WHERE "State" = 'Pending' AND "FireAt" <= '{Now:O}'""");
        if (due != TimerCount)
        {
            throw new InvalidOperationException($"{due} due timers seeded, expected {TimerCount}");
        }
        await VacuumAsync(connection);
    }

    /// <summary>Replaces the campaign's first timers by <see cref="TimerCount"/> due ones (see the remarks above).</summary>
    private async Task SeedTimersAsync(AppDbContext db, CampaignRecord campaign, TextWriter log)
    {
        var definition = Services.GetRequiredService<WorkflowCatalog>().Get(campaign.WorkflowId, campaign.WorkflowVersion);
        var calendar = Services.GetRequiredService<WorkingDayCalendar>();
        var assignments = await db.Assignments.AsNoTracking().Where(a => a.CampaignId == campaign.Id).OrderBy(a => a.Id).ToListAsync();
        var rows = assignments
            .SelectMany(a => ReminderTimers.Schedule(a, definition, calendar)
                .Select((occurrence, index) => (Rank: index / 2, Even: index % 2 == 0, a, occurrence))
                .Where(x => x.Even))
            .OrderBy(x => x.Rank) // stable: assignment order within a rank
            .Take(TimerCount)
            .Select(x => (x.a.Id, x.a.CampaignId, Key: ReminderTimers.Key(x.a.Id, x.a.DueDate, x.occurrence.Key), x.occurrence.Kind))
            .ToList();
        log.WriteLine($"// Due timers by reminder kind: {string.Join(", ", rows.CountBy(r => r.Kind).Select(g => $"{g.Key} {g.Value}"))}");
        if (rows.Count < TimerCount)
        {
            throw new InvalidOperationException($"the campaign yields only {rows.Count} non-colliding timers");
        }

        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "TRUNCATE timers RESTART IDENTITY");
        await using (var copy = await connection.BeginBinaryImportAsync(
            """COPY timers ("FireAt", "Kind", "AssignmentId", "CampaignId", "OccurrenceKey", "State") FROM STDIN (FORMAT BINARY)"""))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Now.AddSeconds(i - rows.Count).UtcDateTime, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(ReminderTimers.Kind, NpgsqlDbType.Varchar);
                await copy.WriteAsync(rows[i].Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(rows[i].CampaignId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(rows[i].Key, NpgsqlDbType.Varchar);
                await copy.WriteAsync(nameof(TimerState.Pending), NpgsqlDbType.Varchar);
            }
            await copy.CompleteAsync();
        }
    }

    /// <summary>Back to the seeded state: every timer pending, nothing the previous sweep wrote.</summary>
    public async Task ResetAsync()
    {
        if (!dirty)
        {
            return;
        }
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, $"""DELETE FROM notifications WHERE "Id" > {seededMaxNotificationId.ToString(CultureInfo.InvariantCulture)}""");
        await ExecuteAsync(connection, $"""DELETE FROM timers WHERE "Id" > {seededMaxTimerId.ToString(CultureInfo.InvariantCulture)}""");
        await ExecuteAsync(connection, """UPDATE timers SET "State" = 'Pending', "FiredAt" = NULL WHERE "State" <> 'Pending'""");
        await VacuumAsync(connection);
        dirty = false;
    }

    /// <summary>Call before anything that changes the rows.</summary>
    public void MarkDirty() => dirty = true;

    /// <summary>The benchmark process's working set now and at its peak, and the managed heap after the last GC.</summary>
    public static string DescribeMemory()
    {
        using var self = Process.GetCurrentProcess();
        return $"working set {Mb(self.WorkingSet64)}, peak working set {Mb(self.PeakWorkingSet64)}, GC heap {Mb(GC.GetGCMemoryInfo().HeapSizeBytes)}";
        static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await server.DisposeAsync();
    }

    internal static async Task VacuumAsync(NpgsqlConnection connection)
    {
        await ExecuteAsync(connection, "VACUUM (ANALYZE) timers");
        await ExecuteAsync(connection, "VACUUM (ANALYZE) notifications");
        await ExecuteAsync(connection, "CHECKPOINT");
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The tests' server runs with fsync, synchronous_commit and full_page_writes off and 32MB shared_buffers; the
    /// benchmark wants what a production server has, so these are set back (ALTER SYSTEM) and the server restarted.
    /// </summary>
    internal static async Task MakeDurableAsync(PostgresServer server)
    {
        string[] statements =
        [
            "ALTER SYSTEM SET fsync = on", "ALTER SYSTEM SET synchronous_commit = on", "ALTER SYSTEM SET full_page_writes = on",
            "ALTER SYSTEM SET shared_buffers = '128MB'",
            $"GRANT pg_checkpoint TO \"{server.Username}\"", // the reset between iterations ends with a CHECKPOINT
        ];
        foreach (var sql in statements)
        {
            await RunAsync(server, Path.Combine(server.BinDirectory, "psql"),
                ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", server.SocketDirectory, "-p", server.Port.ToString(CultureInfo.InvariantCulture),
                 "-U", PostgresServer.SuperUser, "-d", "postgres", "-c", sql], asPostgres: false);
        }
        await RunAsync(server, Path.Combine(server.BinDirectory, "pg_ctl"),
            ["-D", server.DataDirectory, "-l", server.LogFile, "-m", "fast", "-w", "-t", "60", "restart"], asPostgres: true);
    }

    private static async Task RunAsync(PostgresServer server, string program, IReadOnlyList<string> args, bool asPostgres)
    {
        var psi = new ProcessStartInfo(asPostgres && Environment.IsPrivilegedProcess ? "runuser" : program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = server.RootDirectory,
        };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", program })
            {
                psi.ArgumentList.Add(arg);
            }
        }
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["PGPASSFILE"] = "/dev/null";
        psi.Environment["LC_ALL"] = "C.UTF-8";
        psi.Environment.Remove("PGDATA");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}\n{server.ReadLog()}");
        }
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreationWorkflow.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CreationWorkflow.sln not found above " + AppContext.BaseDirectory);
    }
}
