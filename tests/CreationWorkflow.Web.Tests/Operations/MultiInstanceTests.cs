using Microsoft.AspNetCore.Identity;

namespace CreationWorkflow.Web.Tests.Operations;

/// <summary>
/// Three real host processes started at the same moment on one empty PostgreSQL database: each becomes ready, the
/// migrations ran once (under the start-up lock), Quartz runs clustered with three instances, and a bearer token issued
/// by one instance is accepted by the others (the data-protection keys are shared through the database).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiInstanceTests(PostgresServer postgres)
{
    [Fact]
    public async Task Three_instances_start_together_on_an_empty_database_and_share_keys()
    {
        var database = "multi_" + Guid.NewGuid().ToString("N")[..12];
        var connection = await postgres.CreateDatabaseAsync(database);
        var folders = new AppFactory();
        var urls = Enumerable.Range(0, 3).Select(_ => $"http://127.0.0.1:{FreePort.Get()}").ToList();
        var hosts = urls.Select((url, i) => HostProcess.StartOn(url, folders.SeedPath, Path.Combine(folders.DataPath, $"instance{i}"),
            ("CreationWorkflow__Database", "Postgres"), ("CreationWorkflow__ConnectionString", connection))).ToList();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await Task.WhenAll(hosts.Select((host, i) => WaitReadyAsync(http, urls[i], host)));

            // Migrations: every migration of the PostgreSQL set applied exactly once.
            using var app = new AppFactory(folders.Root) { Postgres = connection };
            var expected = app.WithDb(db => db.Database.GetMigrations().ToList());
            var applied = (await postgres.PsqlAsync("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1", database))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(expected.Order(StringComparer.Ordinal), applied);

            // Quartz clustered: the three instances check in to qrtz_scheduler_state.
            var clock = Stopwatch.StartNew();
            string instances;
            while ((instances = await postgres.PsqlAsync("SELECT count(*) FROM qrtz_scheduler_state", database)) != "3")
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{instances} Quartz instance(s) checked in");
                await Task.Delay(500);
            }

            // One data-protection key for all of them, made once at start-up.
            Assert.Equal("1", await postgres.PsqlAsync("SELECT count(*) FROM data_protection_keys", database));

            // A token issued by instance 0 works on 1 and 2.
            const string name = "multi-office";
            using (var scope = app.Services.CreateScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
                var user = new AppUser { UserName = name, DisplayName = "创建办 多实例" };
                Assert.True((await users.CreateAsync(user, AppFactory.Password)).Succeeded);
                await users.AddToRoleAsync(user, Roles.Office);
            }
            var token = await http.PostAsJsonAsync($"{urls[0]}/api/auth/token", new { userName = name, password = AppFactory.Password });
            token.EnsureSuccessStatusCode();
            var bearer = (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
            foreach (var url in urls)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/api/auth/me");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                var me = await http.SendAsync(request);
                Assert.True(me.StatusCode == HttpStatusCode.OK, $"{url}: {(int)me.StatusCode}");
            }
            Assert.All(hosts, h => Assert.False(h.HasExited));
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
                host.Dispose();
            }
            folders.DeleteFolders();
            await postgres.DropDatabaseAsync(database);
        }
    }

    internal static async Task WaitReadyAsync(HttpClient http, string url, Process host)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(host.HasExited, $"{url} exited during start-up (exit code {(host.HasExited ? host.ExitCode : 0)})");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(180), $"{url} did not become ready");
            try
            {
                if ((await http.GetAsync($"{url}/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
    }
}
