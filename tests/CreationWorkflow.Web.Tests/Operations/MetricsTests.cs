namespace CreationWorkflow.Web.Tests.Operations;

/// <summary>
/// The real executable with a metrics port: /metrics answers there (Prometheus text) with the HTTP server metrics and ours
/// — timers fired as the sweep catches up on a campaign's due reminders, sweep lag, mail sent through the pickup folder and
/// its latency — and is not served on the public port.
/// </summary>
public sealed partial class MetricsTests : IDisposable
{
    private readonly AppFactory folders = new() { Clock = new TestClock(new DateTimeOffset(2022, 1, 1, 9, 0, 0, TimeSpan.FromHours(8))) };

    public void Dispose() => folders.DeleteFolders();

    [Fact]
    public async Task Metrics_are_served_on_the_metrics_port_only_with_timer_and_mail_counters()
    {
        // A campaign from 2022 whose reminders are all due by now (the real clock of the process).
        var office = await folders.ClientFor(Roles.Office);
        await AppFactory.StartCampaignAsync(office, "taijiang-2022", "2022-01-01", ["甲单位"]);
        folders.Dispose();
        SqliteConnection.ClearAllPools();

        var (site, metrics) = (FreePort.Get(), FreePort.Get());
        using var host = HostProcess.StartOn($"http://127.0.0.1:{site};http://127.0.0.1:{metrics}", folders.SeedPath, folders.DataPath,
            ("CreationWorkflow__Operations__MetricsPort", metrics.ToString(CultureInfo.InvariantCulture)),
            ("CreationWorkflow__Scheduling__SweepInterval", "00:00:01"),
            ("CreationWorkflow__Mail__OfficeAddress", "office@example.org"),
            ("CreationWorkflow__Mail__InspectorsAddress", "inspector@example.org"));
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await MultiInstanceTests.WaitReadyAsync(http, $"http://127.0.0.1:{site}", host);
            // The public port does not serve them (anonymous callers are sent to sign in, like any unknown path).
            using (var direct = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
            {
                var publicPort = await direct.GetAsync($"http://127.0.0.1:{site}/metrics");
                Assert.NotEqual(HttpStatusCode.OK, publicPort.StatusCode);
                Assert.DoesNotContain("target_info", await publicPort.Content.ReadAsStringAsync());
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            string text;
            while (true)
            {
                text = await http.GetStringAsync($"http://127.0.0.1:{metrics}/metrics");
                if (Value(text, "creationworkflow_timers_fired_total") > 0 && Value(text, "creationworkflow_outbox_sent_total") > 0)
                {
                    break;
                }
                Assert.False(host.HasExited, "the host exited");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "no timer fired or no mail sent:\n" + text);
                await Task.Delay(500);
            }
            Assert.Contains("http_server_request_duration_seconds", text);
            Assert.Contains("creationworkflow_sweep_lag_seconds_count", text);
            Assert.Contains("creationworkflow_mail_send_duration_seconds_count", text);

            // What the counter says was fired is in the database.
            var fired = Value(text, "creationworkflow_timers_fired_total");
            using var db = new SqliteConnection($"Data Source={Path.Combine(folders.DataPath, "creationworkflow.db")};Mode=ReadOnly;Pooling=False");
            db.Open();
            using var count = db.CreateCommand();
            count.CommandText = "select count(*) from timers where State = 'Fired'";
            Assert.InRange(fired, 1, Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture));
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
    }

    /// <summary>The sum of a counter's samples in Prometheus text format.</summary>
    private static long Value(string text, string name) =>
        Sample().Matches(text).Where(m => m.Groups[1].Value == name).Sum(m => (long)double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^([a-z_]+)(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
