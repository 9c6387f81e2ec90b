using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using CreationWorkflow.Web.Campaigns;
using Microsoft.Extensions.DependencyInjection;

namespace CreationWorkflow.Benchmarks.Load;

/// <summary>
/// The board.xlsx export of every open assignment after <see cref="V1Campaigns"/> more campaigns on the Hechi workflow's
/// version 1 (one assignment per item and unit: about 26,500 each) join the load benchmark's campaigns: the host's peak
/// resident memory (VmHWM, reset first through /proc/self/clear_refs) and managed heap while the sheet streams, against
/// what they were just before. The host and this client share the process; the client only counts the bytes.
/// </summary>
public static class ExportMemory
{
    public const int V1Campaigns = 4;
    public const int Downloads = 2;
    public const long MaxGrowthBytes = 50L * 1024 * 1024;

    public static async Task RunAsync(LoadFixture fixture, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < V1Campaigns; i++)
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
        log.WriteLine($"### board.xlsx export ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC), load before: {LoadBenchmark.Uptime()}");
        log.WriteLine($"{V1Campaigns} campaigns on workflow v1 started in {clock.Elapsed.TotalSeconds:F0} s; open assignments in all campaigns (the export's rows): {open:N0}");
        log.WriteLine("");

        using var http = new HttpClient { BaseAddress = new Uri(fixture.Url), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Tokens[LoadFixture.InspectorUser]);
        // JIT and first-use allocations of the export path on a small filter, outside the measurement.
        await DownloadAsync(http, $"/supervision/board.xlsx?unit={Uri.EscapeDataString(fixture.DrillUnit)}&campaignId={fixture.Campaigns[^1]}");

        log.WriteLine("| download | rows | bytes | seconds | RSS before | peak RSS | RSS growth | GC heap before | GC heap peak (sampled) | heap growth | result |");
        log.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (var n = 1; n <= Downloads; n++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            await File.WriteAllTextAsync("/proc/self/clear_refs", "5"); // VmHWM := VmRSS
            var rssBefore = Status("VmRSS");
            long heapPeak = heapBefore;
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(forceFullCollection: false));
                    await Task.Delay(10);
                }
            });
            var watch = Stopwatch.StartNew();
            var (bytes, rows) = await DownloadAsync(http, "/supervision/board.xlsx");
            var seconds = watch.Elapsed.TotalSeconds;
            var peak = Status("VmHWM");
            await stop.CancelAsync();
            await sampler;
            var growth = peak - rssBefore;
            var pass = growth <= MaxGrowthBytes && rows == open;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {rows:N0} | {bytes:N0} | {seconds:F1} | {Mb(rssBefore)} | {Mb(peak)} | +{Mb(growth)} | {Mb(heapBefore)} | {Mb(heapPeak)} | +{Mb(heapPeak - heapBefore)} | {(pass ? "pass" : rows != open ? "FAIL (rows)" : "FAIL (> 50 MB)")} |"));
        }
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

    /// <summary>A line of /proc/self/status (kB), in bytes.</summary>
    private static long Status(string key)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";
}
