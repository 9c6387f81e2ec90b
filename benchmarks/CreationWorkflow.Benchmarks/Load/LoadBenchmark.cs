using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CreationWorkflow.Benchmarks.Load;

/// <summary>One URL under load, as whom, and its targets.</summary>
public sealed record LoadTarget(string Name, string Path, string User, bool Baseline = false);

/// <summary>What wrk measured for one URL.</summary>
public sealed record LoadResult(LoadTarget Target, double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors);

/// <summary>
/// <c>-- --load [--duration 10] [--connections 8] [--threads 2] [--rounds 2] [--campaigns 20] [--no-export] [--export-only] [--v1 4]</c>: the
/// load benchmark (docs/benchmarks.md, "Pages and API under load"). Sets up <see cref="LoadFixture"/>, then per round runs
/// wrk against /api/auth/me (the baseline, first and last) and each page and API route with the same connections,
/// threads and duration, and prints req/s, the ratio to the baseline, p50, p99 and pass/fail against the targets
/// (p99 ≤ <see cref="MaxP99Ms"/> ms, ≥ <see cref="MinRatio"/> of the baseline's req/s). Then the board.xlsx export's
/// memory (<see cref="ExportMemory"/>). Writes the tables to artifacts/benchmarks/load-*.md as well.
/// </summary>
public static class LoadBenchmark
{
    public const double MaxP99Ms = 100;
    public const double MinRatio = 0.25;

    public static async Task<int> RunAsync(string[] args)
    {
        var duration = Option(args, "--duration", 10);
        var connections = Option(args, "--connections", 8);
        var threads = Option(args, "--threads", 2);
        var rounds = Option(args, "--rounds", 2);
        var campaigns = Option(args, "--campaigns", 20);
        // Seconds of wrk per URL before the rounds, not counted: the JIT's tiers and the kept figures settle first, so the
        // rounds measure a server that has been up, as an office's is (without it, round 1 runs at about half speed).
        var warmUp = Option(args, "--warm-up", 5);
        var export = !args.Contains("--no-export");
        // --export-only [--campaigns 1] [--v1 4]: the board.xlsx export's memory alone, no wrk rounds; --v1 sets how many
        // v1 campaigns (about 26,000 open rows each) are added before it, so the growth can be compared at two row counts.
        var exportOnly = args.Contains("--export-only");
        var v1 = Option(args, "--v1", ExportMemory.V1Campaigns);
        var report = new StringBuilder();
        var log = new Tee(Console.Out, report);

        // The host runs in this process: workstation GC as the web project (DOTNET_gcServer=1 in front compares server GC).
        log.WriteLine($"// Load benchmark: {campaigns} campaigns; wrk -t{threads} -c{connections} -d{duration}s per URL; {rounds} round(s); {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        await using var fixture = await LoadFixture.StartAsync(campaigns, log);
        var newest = fixture.Campaigns[^1];
        var targets = new[]
        {
            new LoadTarget("/api/auth/me (baseline)", "/api/auth/me", LoadFixture.OfficeUser, Baseline: true),
            new LoadTarget("/ (office home)", "/", LoadFixture.OfficeUser),
            new LoadTarget("/inbox", "/inbox", LoadFixture.ClerkUser),
            new LoadTarget("/supervision/board (unit summary)", "/supervision/board", LoadFixture.InspectorUser),
            new LoadTarget("/supervision/board (drill-down)", $"/supervision/board?unit={Uri.EscapeDataString(fixture.DrillUnit)}&campaign={newest}&by=unit", LoadFixture.InspectorUser),
            new LoadTarget("/api/assignments/mine", "/api/assignments/mine", LoadFixture.ClerkUser),
            new LoadTarget("/api/supervision/board", "/api/supervision/board", LoadFixture.InspectorUser),
            new LoadTarget("/api/campaigns/{id}/standing", $"/api/campaigns/{newest}/standing", LoadFixture.OfficeUser),
        };
        if (exportOnly)
        {
            await ExportMemory.RunAsync(fixture, log, v1);
            return await WriteAsync(report);
        }
        await WarmUpAsync(fixture, targets, log);
        foreach (var t in targets)
        {
            var warm = await WrkAsync(fixture, t, warmUp, connections, threads);
            log.WriteLine($"// Warm-up wrk {warmUp} s {t.Path}: {warm.RequestsPerSecond:N0} req/s (not counted)");
        }
        if (args.Contains("--hold"))
        {
            // Investigation: the set-up stays up (curl, psql, EXPLAIN ANALYZE) until Enter.
            Console.WriteLine($"// Holding. {fixture.ConnectionString}");
            foreach (var t in targets)
            {
                Console.WriteLine($"curl -s -o /dev/null -w '%{{time_total}}\\n' -H 'Authorization: Bearer {fixture.Tokens[t.User]}' '{fixture.Url}{t.Path}'");
            }
            Console.ReadLine();
            return 0;
        }

        var failed = false;
        for (var round = 1; round <= rounds; round++)
        {
            log.WriteLine("");
            log.WriteLine($"### Round {round} of {rounds} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC), load before: {Uptime()}");
            var results = new List<LoadResult>();
            results.Add(await WrkAsync(fixture, targets[0], duration, connections, threads));
            foreach (var t in targets.Skip(1))
            {
                results.Add(await WrkAsync(fixture, t, duration, connections, threads));
            }
            var last = await WrkAsync(fixture, targets[0], duration, connections, threads);
            failed |= !Table(log, results, last);
            log.WriteLine($"Load after: {Uptime()}");
        }

        if (export)
        {
            log.WriteLine("");
            await ExportMemory.RunAsync(fixture, log, v1);
        }

        return await WriteAsync(report) | (failed ? 1 : 0);
    }

    /// <summary>The run's tables, also to artifacts/benchmarks/load-*.md.</summary>
    private static async Task<int> WriteAsync(StringBuilder report)
    {
        var file = Path.Combine(SweepFixture.RepoRoot(), "artifacts", "benchmarks", $"load-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, report.ToString());
        Console.WriteLine($"// Written to {file}");
        return 0;
    }

    /// <summary>Each URL once: it must answer 200 (a redirect or refusal would measure the wrong thing).</summary>
    private static async Task WarmUpAsync(LoadFixture fixture, IEnumerable<LoadTarget> targets, TextWriter log)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(fixture.Url) };
        foreach (var t in targets)
        {
            var clock = Stopwatch.StartNew();
            long bytes = 0;
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, t.Path);
                request.Headers.Authorization = new("Bearer", fixture.Tokens[t.User]);
                using var answer = await http.SendAsync(request);
                var body = await answer.Content.ReadAsByteArrayAsync();
                if (answer.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{t.Path} as {t.User} answered {(int)answer.StatusCode}: {Encoding.UTF8.GetString(body)[..Math.Min(500, body.Length)]}");
                }
                bytes = body.Length;
            }
            log.WriteLine($"// Warm-up {t.Path} as {t.User}: 200, {bytes:N0} bytes, 3 requests in {clock.ElapsedMilliseconds} ms");
        }
    }

    private static async Task<LoadResult> WrkAsync(LoadFixture fixture, LoadTarget target, int duration, int connections, int threads)
    {
        var psi = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", duration.ToString(CultureInfo.InvariantCulture) + "s", "--latency", "--timeout", "10s",
            "-H", "Authorization: Bearer " + fixture.Tokens[target.User],
            "-H", "Accept-Encoding: br, gzip", // as a browser asks
            fixture.Url + target.Path,
        })
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("wrk did not start (apt-get install -y wrk)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {text}{await stderr}");
        }
        var rps = Number(text, @"Requests/sec:\s+([\d.]+)");
        var requests = (long)Number(text, @"(\d+) requests in");
        var errors = (long)(Match(text, @"Non-2xx or 3xx responses:\s+(\d+)") ?? 0) + (long)(Match(text, @"Socket errors:.*?timeout (\d+)") ?? 0);
        return new LoadResult(target, rps, Latency(text, "50%"), Latency(text, "99%"), requests, errors);
    }

    /// <summary>Prints one round's table; true when every non-baseline URL met both targets.</summary>
    private static bool Table(TextWriter log, IReadOnlyList<LoadResult> results, LoadResult baselineAgain)
    {
        var baseline = (results[0].RequestsPerSecond + baselineAgain.RequestsPerSecond) / 2;
        log.WriteLine($"Baseline /api/auth/me: {results[0].RequestsPerSecond:N0} req/s first, {baselineAgain.RequestsPerSecond:N0} req/s last; ratios use the mean, {baseline:N0} req/s.");
        log.WriteLine("");
        log.WriteLine("| URL | req/s | ratio to /api/auth/me | p50 ms | p99 ms | requests | errors | result |");
        log.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        var all = true;
        foreach (var r in results.Append(baselineAgain))
        {
            var ratio = r.RequestsPerSecond / baseline;
            var pass = r.Target.Baseline || (ratio >= MinRatio && r.P99Ms <= MaxP99Ms && r.Errors == 0);
            all &= pass;
            var why = r.Target.Baseline ? "baseline"
                : pass ? "pass"
                : "FAIL (" + string.Join(", ", new[] { ratio < MinRatio ? $"ratio < {MinRatio:0.00}" : null, r.P99Ms > MaxP99Ms ? $"p99 > {MaxP99Ms:0} ms" : null, r.Errors > 0 ? "errors" : null }.OfType<string>()) + ")";
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Target.Name} | {r.RequestsPerSecond:N0} | {ratio:0.00} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.Requests:N0} | {r.Errors} | {why} |"));
        }
        return all;
    }

    public static string Uptime()
    {
        var loads = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"load average {loads[0]}, {loads[1]}, {loads[2]} ({Environment.ProcessorCount} cores)";
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static double Number(string text, string pattern) =>
        Match(text, pattern) ?? throw new InvalidOperationException($"wrk output without '{pattern}': {text}");

    private static double? Match(string text, string pattern) =>
        Regex.Match(text, pattern, RegexOptions.Singleline) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>A line of wrk's "Latency Distribution" ("99%  12.34ms"), in milliseconds.</summary>
    private static double Latency(string text, string percentile)
    {
        var m = Regex.Match(text, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
        {
            throw new InvalidOperationException($"wrk output without the {percentile} latency: {text}");
        }
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    /// <summary>Writes to the console and to the report.</summary>
    private sealed class Tee(TextWriter console, StringBuilder report) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value)
        {
            console.Write(value);
            report.Append(value);
        }
        public override void WriteLine(string? value)
        {
            console.WriteLine(value);
            report.AppendLine(value);
        }
    }
}
