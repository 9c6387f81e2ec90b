using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using CreationWorkflow.Benchmarks;

// `-- --load [options]`: the pages and API under wrk, against /api/auth/me, and the board.xlsx export's memory
// (docs/benchmarks.md, "Pages and API under load"; options in Load/LoadBenchmark.cs).
if (args is ["--load", ..])
{
    return await CreationWorkflow.Benchmarks.Load.LoadBenchmark.RunAsync(args[1..]);
}

// `-- --export-host <connection string> <scratch> <url>`: the load benchmark's host alone, in a fresh process, for the
// board.xlsx memory measurement (Load/ExportMemory.cs starts it; not meant to be run by hand).
if (args is ["--export-host", var cs, var scratch, var url])
{
    return await CreationWorkflow.Benchmarks.Load.ExportMemory.HostAsync(cs, scratch, url);
}

// `-- --probe [batchSize]`: three rounds of one sweep and one scan, timed by hand, without BenchmarkDotNet: a quick
// check (about a minute) of the fixture and of a change to TimerSweeper. The numbers in docs/benchmarks.md come from
// BenchmarkDotNet (`-- --filter '*'`).
if (args is ["--probe", ..])
{
    var batchSize = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
    await using var fixture = await SweepFixture.StartAsync(Console.Out);
    for (var round = 0; round < 3; round++)
    {
        await fixture.ResetAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await TimerSweepBenchmarks.Sweep(fixture, batchSize);
        var sweep = clock.Elapsed;
        var sweepAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        clock.Restart();
        await fixture.ResetAsync();
        var reset = clock.Elapsed;
        clock.Restart();
        await TimerSweepBenchmarks.Scan(fixture);
        var scan = clock.Elapsed;
        Console.WriteLine($"round {round}: sweep {sweep.TotalSeconds:F2} s = {SweepFixture.TimerCount / sweep.TotalSeconds:N0} timers/s, " +
            $"{sweepAllocated / 1024.0 / 1024.0:N0} MB allocated; scan {scan.TotalSeconds:F3} s = {SweepFixture.TimerCount / scan.TotalSeconds:N0} rows/s; reset {reset.TotalSeconds:F1} s");
    }
    Console.WriteLine($"// Memory after the rounds: {SweepFixture.DescribeMemory()}");
    return 0;
}

// `-- --mail-probe`: three rounds of each mail case, timed by hand (a quick check; the documented numbers come from
// BenchmarkDotNet, `-- --filter '*MailDispatch*'`).
if (args is ["--mail-probe", ..])
{
    await using var mail = await MailFixture.StartAsync();
    var composed = await mail.ComposeAllAsync();
    var transport = new CreationWorkflow.Web.Mail.SmtpMailTransport(Microsoft.Extensions.Options.Options.Create(mail.Options),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<CreationWorkflow.Web.Mail.SmtpMailTransport>.Instance);
    for (var i = 0; i < 3; i++)
    {
        var c = Stopwatch.StartNew();
        var connection = await transport.ConnectAsync(CancellationToken.None);
        var connected = c.Elapsed;
        await connection.DisposeAsync();
        Console.WriteLine($"connect {connected.TotalMilliseconds:F0} ms, quit {(c.Elapsed - connected).TotalMilliseconds:F0} ms");
    }
    for (var round = 0; round < 3; round++)
    {
        foreach (var (name, run) in new (string, Func<Task<int>>)[]
        {
            ("plain client", () => mail.SendWithPlainClientAsync(composed)),
            ("MailKit, Nagle on", () => mail.SendWithMailKitDefaultsAsync(composed)),
            ("dispatcher", mail.DispatchAsync),
        })
        {
            await mail.ResetAsync();
            var clock = Stopwatch.StartNew();
            var sent = await run();
            Console.WriteLine($"round {round}: {name}: {sent} mails in {clock.Elapsed.TotalSeconds:F2} s = {sent / clock.Elapsed.TotalSeconds:N0}/s");
        }
    }
    return 0;
}

// `-- --channels-probe`: three rounds of the channel dispatcher (企业微信, 钉钉, webhook to a loopback receiver) beside a
// plain HttpClient with the same concurrency; the numbers in docs/benchmarks.md come from this.
if (args is ["--channels-probe", ..])
{
    await using var channels = await ChannelFixture.StartAsync();
    for (var round = 0; round < 3; round++)
    {
        foreach (var (name, run) in new (string, Func<Task<int>>)[] { ("plain HttpClient", channels.PostWithPlainClientAsync), ("dispatcher", channels.DispatchAsync) })
        {
            await channels.ResetAsync();
            var clock = Stopwatch.StartNew();
            var sent = await run();
            Console.WriteLine($"round {round}: {name}: {sent} messages in {clock.Elapsed.TotalSeconds:F2} s = {sent / clock.Elapsed.TotalSeconds:N0}/s");
        }
    }
    Console.WriteLine($"refused by the receiver: {channels.Refused}");
    return 0;
}

var config = DefaultConfig.Instance
    .AddColumn(new ThroughputColumn())
    .WithArtifactsPath(Path.Combine(SweepFixture.RepoRoot(), "artifacts", "benchmarks"));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(TimerSweepBenchmarks).Assembly).Run(args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
