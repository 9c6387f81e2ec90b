using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CreationWorkflow.Web.Campaigns;
using CreationWorkflow.Web.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CreationWorkflow.Benchmarks.Load;

/// <summary>
/// The board.xlsx export of every open assignment after <see cref="V1Campaigns"/> more campaigns on the Hechi workflow's
/// version 1 (one assignment per item and unit: about 26,500 each) join the load benchmark's campaigns, served by a
/// <b>fresh host process</b> on the same database (the load host's wiring and clock, <c>--export-host</c>), with the
/// server GC the web project runs with: that process's resident memory when it is ready, its peak (VmHWM, reset through
/// /proc/PID/clear_refs before each download, and VmRSS sampled every 5 ms by this process as a cross-check) while the
/// sheet streams, against its RSS just before. Nothing of the seeding is in that process, so no memory kept by the
/// runtime from earlier work can hide what the export needs; the client here only counts the bytes.
/// </summary>
public static class ExportMemory
{
    public const int V1Campaigns = 4;
    public const int Downloads = 2;
    public const long MaxGrowthBytes = 50L * 1024 * 1024;
    private const string Ready = "// export host ready";

    public static async Task RunAsync(LoadFixture fixture, TextWriter log, int v1Campaigns = V1Campaigns)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < v1Campaigns; i++)
        {
            await using var scope = fixture.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CampaignService>().StartAsync(
                new StartCampaign(LoadFixture.ProgrammeId, LoadFixture.FirstStart.AddDays(3 + 7 * i), Name: $"河池创建 第1版 第{i + 1}市", WorkflowVersion: 1), "benchmark");
        }
        long open;
        await using (var connection = await fixture.OpenAsync())
        {
            await SweepFixture.ExecuteAsync(connection, "VACUUM (ANALYZE) assignments");
            open = await SweepFixture.ScalarAsync<long>(connection, """SELECT count(*) FROM assignments WHERE "State" NOT IN ('Approved', 'Cancelled')""");
        }
        log.WriteLine($"### board.xlsx export, fresh host process ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC), load before: {LoadBenchmark.Uptime()}");
        log.WriteLine($"{v1Campaigns} campaigns on workflow v1 started in {clock.Elapsed.TotalSeconds:F0} s; open assignments in all campaigns (the export's rows): {open:N0}");

        var url = $"http://127.0.0.1:{FreePort.Get()}";
        using var host = StartHost(fixture, url);
        try
        {
            await WaitReadyAsync(host);
            var rssReady = Status(host.Id, "VmRSS");
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
            var token = await http.PostAsJsonAsync("/api/auth/token", new { userName = LoadFixture.InspectorUser, password = LoadFixture.Password });
            token.EnsureSuccessStatusCode();
            http.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
            // JIT and first-use allocations of the export path on a small filter, outside the measurement.
            await DownloadAsync(http, $"/supervision/board.xlsx?unit={Uri.EscapeDataString(fixture.DrillUnit)}&campaignId={fixture.Campaigns[^1]}");
            log.WriteLine($"Host process {host.Id} ({(Environment.GetEnvironmentVariable("CW_EXPORT_GC_SERVER") == "1" ? "server" : "workstation")} GC): RSS {Mb(rssReady)} when ready, {Mb(Status(host.Id, "VmRSS"))} after signing in and a small warm-up export.");
            log.WriteLine("");
            log.WriteLine("| download | rows | bytes | seconds | RSS before | peak RSS (VmHWM) | peak RSS (sampled) | growth | result |");
            log.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            for (var n = 1; n <= Downloads; n++)
            {
                await File.WriteAllTextAsync($"/proc/{host.Id}/clear_refs", "5"); // VmHWM := VmRSS
                var before = Status(host.Id, "VmRSS");
                long sampled = before;
                using var stop = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        sampled = Math.Max(sampled, Status(host.Id, "VmRSS"));
                        await Task.Delay(5);
                    }
                });
                var watch = Stopwatch.StartNew();
                var (bytes, rows) = await DownloadAsync(http, "/supervision/board.xlsx");
                var seconds = watch.Elapsed.TotalSeconds;
                var peak = Status(host.Id, "VmHWM");
                await stop.CancelAsync();
                await sampler;
                var growth = Math.Max(peak, sampled) - before;
                var pass = growth <= MaxGrowthBytes && rows == open;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {n} | {rows:N0} | {bytes:N0} | {seconds:F1} | {Mb(before)} | {Mb(peak)} | {Mb(sampled)} | +{Mb(growth)} | {(pass ? "pass" : rows != open ? "FAIL (rows)" : "FAIL (> 50 MB)")} |"));
            }
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
            await host.WaitForExitAsync();
        }
    }

    /// <summary>The child: <see cref="LoadFixture.BuildHost"/> on the fixture's database, until the parent kills it.</summary>
    public static async Task<int> HostAsync(string connectionString, string scratch, string url)
    {
        var app = LoadFixture.BuildHost(connectionString, scratch, url);
        await app.StartAsync();
        Console.WriteLine(Ready);
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>This benchmark's own executable with <c>--export-host</c>, with the web project's GC (workstation).</summary>
    private static Process StartHost(LoadFixture fixture, string url)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            psi.ArgumentList.Add(typeof(ExportMemory).Assembly.Location);
        }
        foreach (var arg in new[] { "--export-host", fixture.ConnectionString, fixture.Scratch, url })
        {
            psi.ArgumentList.Add(arg);
        }
        // As CreationWorkflow.Web.runtimeconfig.json (System.GC.Server: false); CW_EXPORT_GC_SERVER=1 tries server GC.
        psi.Environment["DOTNET_gcServer"] = Environment.GetEnvironmentVariable("CW_EXPORT_GC_SERVER") ?? "0";
        return Process.Start(psi) ?? throw new InvalidOperationException("the export host did not start");
    }

    private static async Task WaitReadyAsync(Process host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (await host.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == Ready)
            {
                // Keep draining its output so the child never blocks on a full pipe.
                _ = host.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return;
            }
        }
        throw new InvalidOperationException($"the export host exited ({(host.HasExited ? host.ExitCode : -1)}) before it was ready");
    }

    /// <summary>Downloads to a temporary file; answers its size and the sheet's data rows (all rows but the title and header).</summary>
    private static async Task<(long Bytes, long Rows)> DownloadAsync(HttpClient http, string path)
    {
        var file = Path.GetTempFileName();
        try
        {
            using (var answer = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead))
            {
                answer.EnsureSuccessStatusCode();
                await using var output = File.Create(file);
                await answer.Content.CopyToAsync(output);
            }
            using var zip = ZipFile.OpenRead(file);
            var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
            using var reader = new StreamReader(sheet.Open());
            return (new FileInfo(file).Length, CountRows(reader) - 2);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>How many &lt;row elements the sheet has, read in chunks.</summary>
    private static long CountRows(StreamReader reader)
    {
        const string tag = "<row";
        var buffer = new char[64 * 1024];
        long count = 0;
        var matched = 0;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                matched = buffer[i] == tag[matched] ? matched + 1 : buffer[i] == tag[0] ? 1 : 0;
                if (matched == tag.Length)
                {
                    count++;
                    matched = 0;
                }
            }
        }
        return count;
    }

    /// <summary>A line of /proc/PID/status (kB), in bytes.</summary>
    private static long Status(int pid, string key)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";
}
