using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CreationWorkflow.Web.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreationWorkflow.Benchmarks;

/// <summary>
/// <see cref="TimerSweeper.SweepAsync"/> over 100,000 due reminder timers on PostgreSQL, next to the plain SQL scan of
/// the same rows (the baseline: what reading them costs at all). One operation is one whole sweep or one whole scan;
/// the rows are reset to pending before every iteration, outside the measurement.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class TimerSweepBenchmarks
{
    private SweepFixture fixture = null!;

    [GlobalSetup]
    public async Task SetUp() => fixture = await SweepFixture.StartAsync(Console.Out);

    [GlobalCleanup]
    public async Task CleanUp()
    {
        Console.WriteLine($"// Memory after the iterations: {SweepFixture.DescribeMemory()}");
        await fixture.DisposeAsync();
    }

    [IterationSetup]
    public void Reset() => fixture.ResetAsync().GetAwaiter().GetResult();

    /// <summary>The plain SQL scan: the claim's WHERE and ORDER BY without LIMIT or locks, every column read with Npgsql.</summary>
    [Benchmark(Baseline = true, Description = "SQL scan")]
    public Task<int> Scan() => Scan(fixture);

    [Benchmark(Description = "Sweep, BatchSize 500")]
    public Task<int> Sweep500() => Sweep(fixture, 500);

    [Benchmark(Description = "Sweep, BatchSize 1000")]
    public Task<int> Sweep1000() => Sweep(fixture, 1000);

    [Benchmark(Description = "Sweep, BatchSize 2000")]
    public Task<int> Sweep2000() => Sweep(fixture, 2000);

    public static async Task<int> Sweep(SweepFixture fixture, int batchSize)
    {
        fixture.MarkDirty();
        await using var scope = fixture.Services.CreateAsyncScope(); // as the Quartz job gets it
        var sweeper = scope.ServiceProvider.GetRequiredService<TimerSweeper>();
        sweeper.BatchSize = batchSize;
        var result = await sweeper.SweepAsync();
        if (result.Fired != SweepFixture.TimerCount || result.Skipped != 0)
        {
            throw new InvalidOperationException($"swept {result}, expected {SweepFixture.TimerCount} fired");
        }
        return result.Fired;
    }

    public static async Task<int> Scan(SweepFixture fixture)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT "Id", "FireAt", "Kind", "AssignmentId", "CampaignId", "OccurrenceKey", "State", "FiredAt"
            FROM timers WHERE "State" = 'Pending' AND "FireAt" <= @now ORDER BY "FireAt", "Id"
            """, connection);
        command.Parameters.AddWithValue("now", SweepFixture.Now.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        long check = 0;
        while (await reader.ReadAsync())
        {
            var id = reader.GetInt64(0);
            var fireAt = reader.GetFieldValue<DateTimeOffset>(1);
            var kind = reader.GetString(2);
            var assignment = reader.IsDBNull(3) ? (Guid?)null : reader.GetGuid(3);
            var campaign = reader.IsDBNull(4) ? (Guid?)null : reader.GetGuid(4);
            var key = reader.GetString(5);
            var state = reader.GetString(6);
            var firedAt = reader.IsDBNull(7) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(7);
            check += id + fireAt.Ticks + kind.Length + (assignment is null ? 0 : 1) + (campaign is null ? 0 : 1) + key.Length + state.Length + (firedAt is null ? 0 : 1);
            rows++;
        }
        if (rows != SweepFixture.TimerCount || check == 0)
        {
            throw new InvalidOperationException($"scanned {rows} rows, expected {SweepFixture.TimerCount}");
        }
        return rows;
    }
}
