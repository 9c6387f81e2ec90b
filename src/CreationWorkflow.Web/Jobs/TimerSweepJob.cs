using Quartz;

namespace CreationWorkflow.Web.Jobs;

/// <summary>Sweeps due timers in batches, then escalates the notices left unread too long (<see cref="UnreadEscalation"/>). One at a time per instance; on PostgreSQL instances share the rows safely.</summary>
[DisallowConcurrentExecution]
public sealed class TimerSweepJob(
    TimerSweeper sweeper, GateWatch gates, UnreadEscalation unread, IOptions<SchedulingOptions> options, ILogger<TimerSweepJob> log) : IJob
{
    public static readonly JobKey Key = new("timer-sweep");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        sweeper.BatchSize = options.Value.SweepBatchSize;
        var result = await sweeper.SweepAsync(cancellationToken);
        await gates.CheckAllAsync(cancellationToken);
        await unread.SweepAsync(cancellationToken);
        if (result.Fired + result.Skipped > 0)
        {
            log.LogInformation("Timer sweep: {Fired} fired, {Skipped} skipped in {Batches} batch(es)", result.Fired, result.Skipped, result.Batches);
        }
    }
}
