using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MimeKit;

namespace CreationWorkflow.Benchmarks;

/// <summary>
/// Digest mails to a local SMTP sink (aiosmtpd): the dispatcher (claim, send over MailKit, store each outcome) beside
/// a plain SMTP client on one socket (the baseline: what the sink takes at all) and MailKit connected as the transport
/// did before (Nagle on). One operation sends <see cref="MailFixture.MessageCount"/> mails.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class MailDispatchBenchmarks
{
    private MailFixture fixture = null!;
    private List<MimeMessage> mails = null!;

    [GlobalSetup]
    public async Task SetUp()
    {
        fixture = await MailFixture.StartAsync();
        mails = await fixture.ComposeAllAsync();
    }

    [GlobalCleanup]
    public async Task CleanUp() => await fixture.DisposeAsync();

    [IterationSetup]
    public void Reset() => fixture.ResetAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Plain SMTP client")]
    public Task<int> PlainClient() => fixture.SendWithPlainClientAsync(mails);

    [Benchmark(Description = "MailKit, Nagle on (before)")]
    public Task<int> MailKitDefaults() => fixture.SendWithMailKitDefaultsAsync(mails);

    [Benchmark(Description = "OutboxDispatcher (NoDelay)")]
    public Task<int> Dispatcher() => fixture.DispatchAsync();
}
