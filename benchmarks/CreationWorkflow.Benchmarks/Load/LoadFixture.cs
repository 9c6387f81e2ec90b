using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Campaigns;
using CreationWorkflow.Web.Infrastructure;
using CreationWorkflow.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CreationWorkflow.Benchmarks.Load;

/// <summary>
/// The load benchmark's world: a durable throw-away PostgreSQL, the real host (Program.cs's own wiring:
/// <see cref="Startup.AddCreationWorkflow"/> and <see cref="Startup.UseCreationWorkflow"/>, Production environment and
/// appsettings.json) listening on a free loopback port, <see cref="Campaigns"/> Hechi campaigns started through
/// <see cref="CampaignService"/> on the workflow's newest version (v2, the default for new campaigns), a fixed clock in
/// the middle of them, work done on the past-due assignments, and three accounts (office, a unit clerk, an inspector)
/// holding bearer tokens.
/// </summary>
/// <remarks>
/// Differences from an operator's host, each on purpose: the clock is fixed (<see cref="Now"/>), so the lights and
/// counts are the same in every run; the Quartz scheduler is off, so no sweep or checkpoint runs during a measurement
/// (they are measured by the timer-sweep benchmark); the host runs in this process, which also seeds the data and
/// downloads the export (wrk runs as its own process). The activity on past-due work is written with set-based SQL
/// (states the lifecycle can reach: approved, submitted, returned, or still owed and so late), because driving ~20,000
/// transitions through the API would take longer than the measurement; the pages read only the stored states.
/// </remarks>
public sealed class LoadFixture : IAsyncDisposable
{
    public const string ProgrammeId = "hechi-2021";
    public const string Password = "Bench-Load-2026!";
    public const string OfficeUser = "bench-office";
    public const string ClerkUser = "bench-clerk";
    public const string InspectorUser = "bench-inspector";

    /// <summary>2022-09-15 10:00 Beijing time, a Thursday in 全面推进: the campaigns are in their middle.</summary>
    public static readonly DateTimeOffset Now = new(2022, 9, 15, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The first campaign's start; each further one starts a week later (a province's cities do not start on one day).</summary>
    public static readonly DateOnly FirstStart = new(2021, 12, 1);

    private readonly PostgresServer server;
    private readonly WebApplication host;

    private LoadFixture(PostgresServer server, WebApplication host, string connectionString, string url)
    {
        this.server = server;
        this.host = host;
        ConnectionString = connectionString;
        Url = url;
    }

    public string ConnectionString { get; }

    /// <summary>The server's throw-away directory (the hosts' app data lives under it).</summary>
    public string Scratch => server.RootDirectory;
    public string Url { get; }
    public IServiceProvider Services => host.Services;
    public IReadOnlyList<Guid> Campaigns { get; private set; } = [];
    public string ClerkUnit { get; private set; } = "";
    public string DrillUnit { get; private set; } = "";
    public Dictionary<string, string> Tokens { get; } = [];
    public string ServerVersion { get; private set; } = "";

    public static async Task<LoadFixture> StartAsync(int campaigns, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var server = new PostgresServer();
        await server.InitializeAsync();
        WebApplication? host = null;
        try
        {
            await SweepFixture.MakeDurableAsync(server);
            var connectionString = await server.CreateDatabaseAsync("load");
            log.WriteLine($"// PostgreSQL started on port {server.Port} in {clock.Elapsed.TotalSeconds:F1} s");
            var url = $"http://127.0.0.1:{FreePort.Get()}";
            host = BuildHost(connectionString, server.RootDirectory, url);
            await host.StartAsync(); // StartupInitialiser: migrate, import the programmes, store the workflow versions
            var fixture = new LoadFixture(server, host, connectionString, url);
            await fixture.SeedAsync(campaigns, log);
            log.WriteLine($"// Host listening on {url}; set-up done in {clock.Elapsed.TotalSeconds:F1} s; {fixture.ServerVersion}");
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

    /// <summary>Program.cs's host on the benchmark's database, clock and port.</summary>
    internal static WebApplication BuildHost(string connectionString, string scratch, string url)
    {
        // Production logging levels come from appsettings.json; request logs at Information would be written per request.
        var builder = SweepFixture.HostBuilder(connectionString, scratch, Now, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.UseCreationWorkflow();
        return app;
    }

    private async Task SeedAsync(int count, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            await using var scope = Services.CreateAsyncScope();
            var campaign = await scope.ServiceProvider.GetRequiredService<CampaignService>()
                .StartAsync(new StartCampaign(ProgrammeId, FirstStart.AddDays(7 * i), Name: $"河池创建 第{i + 1}市"), "benchmark");
            ids.Add(campaign.Id);
        }
        Campaigns = ids;
        await using var connection = await OpenAsync();
        var versions = await SweepFixture.ScalarAsync<string>(connection,
            """SELECT string_agg(DISTINCT "WorkflowId" || ' v' || "WorkflowVersion", ', ') FROM campaigns""");
        var assignments = await SweepFixture.ScalarAsync<long>(connection, "SELECT count(*) FROM assignments");
        log.WriteLine($"// {count} campaigns ({versions}) started through CampaignService in {clock.Elapsed.TotalSeconds:F1} s: {assignments} assignments");

        await ActivityAsync(connection, log);
        (ClerkUnit, DrillUnit) = await UnitsAsync(connection);
        await AccountsAsync(log);
        ServerVersion = "PostgreSQL " + await SweepFixture.ScalarAsync<string>(connection, "SHOW server_version");
        await SweepFixture.ExecuteAsync(connection, "VACUUM (ANALYZE)");
        await SweepFixture.ExecuteAsync(connection, "CHECKPOINT");
    }

    /// <summary>
    /// Work done by <see cref="Now"/>, the same in every run (by a hash of the assignment's id): of the past-due
    /// assignments 65 % approved, 10 % submitted (waiting for review), 5 % returned and 20 % still owed (late, red); a
    /// report's lines follow its state (all approved, all submitted, one returned). Of the work still ahead 30 % is
    /// signed for.
    /// </summary>
    private static async Task ActivityAsync(NpgsqlConnection connection, TextWriter log)
    {
        var today = DateOnly.FromDateTime(Now.DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var at = Now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "+00";
        string[] statements =
        [
            $"""
            UPDATE assignments SET "State" = CASE
                WHEN abs(hashtext("Id"::text)) % 100 < 65 THEN 'Approved'
                WHEN abs(hashtext("Id"::text)) % 100 < 75 THEN 'Submitted'
                WHEN abs(hashtext("Id"::text)) % 100 < 80 THEN 'Returned'
                WHEN abs(hashtext("Id"::text)) % 100 < 90 THEN 'Acknowledged'
                ELSE 'Assigned' END,
              "ReturnReason" = CASE WHEN abs(hashtext("Id"::text)) % 100 BETWEEN 75 AND 79 THEN '材料不全，请补充佐证。' END,
              "UpdatedAt" = '{at}', "Revision" = "Revision" + 1
            WHERE "DueDate" < '{today}'
            """,
            $"""
            UPDATE assignments SET "State" = 'Acknowledged', "UpdatedAt" = '{at}', "Revision" = "Revision" + 1
            WHERE "DueDate" >= '{today}' AND abs(hashtext("Id"::text)) % 100 < 30
            """,
            """
            UPDATE report_lines l SET "State" = CASE a."State"
                WHEN 'Approved' THEN 'Approved' WHEN 'Submitted' THEN 'Submitted'
                ELSE CASE WHEN l."ItemNo" = (SELECT min(m."ItemNo") FROM report_lines m WHERE m."AssignmentId" = l."AssignmentId") THEN 'Returned' ELSE 'Approved' END END,
              "Text" = '本期按计划推进，已形成工作台账。', "UpdatedBy" = a."Unit", "UpdatedAt" = a."UpdatedAt", "Revision" = l."Revision" + 1
            FROM assignments a
            WHERE a."Id" = l."AssignmentId" AND a."State" IN ('Approved', 'Submitted', 'Returned')
            """,
            // SQL past the DbContext stamps the campaigns' revisions itself, as every save does (Data/CampaignRevisions).
            """UPDATE campaign_revisions SET "Revision" = "Revision" + 1""",
        ];
        foreach (var sql in statements)
        {
            await SweepFixture.ExecuteAsync(connection, sql);
        }
        await using var command = new NpgsqlCommand("""SELECT "State", count(*) FROM assignments GROUP BY 1 ORDER BY 1""", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<string>();
        while (await reader.ReadAsync())
        {
            states.Add($"{reader.GetString(0)} {reader.GetInt64(1)}");
        }
        log.WriteLine($"// Assignments by state on {today}: {string.Join(", ", states)}");
    }

    /// <summary>
    /// The clerk's unit: the one with the most report lines waiting for its review as a lead unit (so its 待我审核 is full),
    /// among those with reports of their own. The drill-down's unit: the most late work in the newest campaign.
    /// </summary>
    private async Task<(string Clerk, string Drill)> UnitsAsync(NpgsqlConnection connection)
    {
        var clerk = await SweepFixture.ScalarAsync<string>(connection, """
            SELECT l."ReviewerUnit" FROM report_lines l
            WHERE l."State" = 'Submitted' AND l."ReviewerUnit" IN (SELECT "Unit" FROM assignments)
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
            """);
        var drill = await SweepFixture.ScalarAsync<string>(connection, $"""
            SELECT "Unit" FROM assignments WHERE "CampaignId" = '{Campaigns[^1]}' AND "State" IN ('Assigned', 'Acknowledged', 'InProgress', 'Returned')
              AND "DueDate" < '{DateOnly.FromDateTime(Now.DateTime):yyyy-MM-dd}'
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
            """);
        return (clerk, drill);
    }

    /// <summary>The three accounts (made as create-admin makes one: no temporary password), then a bearer token each.</summary>
    private async Task AccountsAsync(TextWriter log)
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            foreach (var (name, role, unit) in new[] { (OfficeUser, Roles.Office, (string?)null), (ClerkUser, Roles.Unit, ClerkUnit), (InspectorUser, Roles.Inspector, null) })
            {
                var user = new AppUser { UserName = name, DisplayName = name, Unit = unit };
                Check(await users.CreateAsync(user, Password), name);
                Check(await users.AddToRoleAsync(user, role), name);
            }
        }
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        foreach (var name in new[] { OfficeUser, ClerkUser, InspectorUser })
        {
            var answer = await http.PostAsJsonAsync("/api/auth/token", new { userName = name, password = Password });
            answer.EnsureSuccessStatusCode();
            Tokens[name] = (string)(await answer.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
        }
        log.WriteLine($"// Signed in by token: {OfficeUser} (office), {ClerkUser} (unit clerk of {ClerkUnit}), {InspectorUser} (inspector)");

        static void Check(IdentityResult result, string name)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"account {name}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
        }
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        await host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await server.DisposeAsync();
    }
}
