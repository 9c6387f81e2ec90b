using CreationWorkflow.Web.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace CreationWorkflow.Web.Operations;

/// <summary>
/// /health/live: the process answers. /health/ready: the database answers, Quartz runs, mail and timers are not
/// stuck (thresholds in <see cref="OperationsOptions"/>). The body is JSON for operators, in English.
/// </summary>
public static class Health
{
    public const string Ready = "ready";

    /// <summary>A real query on one of our tables: a database that is down or unmigrated fails it.</summary>
    public static async Task<bool> DatabaseAnswersAsync(AppDbContext db, CancellationToken ct)
    {
        await db.Programmes.AsNoTracking().AnyAsync(ct);
        return true;
    }

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds),
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>How long ago, in whole seconds, for the JSON body.</summary>
    internal static long Seconds(TimeSpan age) => (long)Math.Max(0, age.TotalSeconds);
}

/// <summary>Quartz is started (not in standby, not shut down) in this instance, unless scheduling is turned off here.</summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory factory, IOptions<Jobs.SchedulingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!options.Value.Enabled)
        {
            return HealthCheckResult.Healthy("Scheduling is disabled in this instance (CreationWorkflow:Scheduling:Enabled=false).");
        }
        var scheduler = await factory.GetScheduler(ct);
        var status = await scheduler.GetStatus(ct);
        var data = new Dictionary<string, object> { ["instanceId"] = await scheduler.GetSchedulerInstanceId(ct), ["status"] = status.ToString() };
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("Quartz scheduler is running.", data)
            : HealthCheckResult.Unhealthy($"Quartz scheduler is not running ({status}).", data: data);
    }
}

/// <summary>The oldest mail waiting in the outbox; Degraded past <see cref="OperationsOptions.OutboxWarnAfter"/>.</summary>
public sealed class OutboxHealthCheck(AppDbContext db, TimeProvider clock, IOptions<OperationsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var oldest = await db.Outbox.AsNoTracking().Where(m => m.State == OutboxState.Pending)
            .OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
        var failed = await db.Outbox.CountAsync(m => m.State == OutboxState.Failed, ct);
        var data = new Dictionary<string, object> { ["failedMessages"] = failed };
        if (oldest is null)
        {
            return HealthCheckResult.Healthy("No mail is waiting to be sent.", data);
        }
        var age = clock.GetUtcNow() - oldest.Value;
        data["oldestUnsentSeconds"] = Health.Seconds(age);
        var limit = options.Value.OutboxWarnAfter;
        return age > limit
            ? HealthCheckResult.Degraded($"The oldest unsent mail has waited {Health.Seconds(age)} s (more than {Health.Seconds(limit)} s).", data: data)
            : HealthCheckResult.Healthy($"The oldest unsent mail has waited {Health.Seconds(age)} s.", data);
    }
}

/// <summary>The oldest timer that is due and not fired; Degraded past <see cref="OperationsOptions.TimerLagWarnAfter"/>.</summary>
public sealed class TimersHealthCheck(AppDbContext db, TimeProvider clock, IOptions<OperationsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var oldest = await db.Timers.AsNoTracking().Where(t => t.State == TimerState.Pending && t.FireAt <= now)
            .OrderBy(t => t.FireAt).Select(t => (DateTimeOffset?)t.FireAt).FirstOrDefaultAsync(ct);
        if (oldest is null)
        {
            return HealthCheckResult.Healthy("No timer is overdue.");
        }
        var lag = now - oldest.Value;
        var data = new Dictionary<string, object> { ["oldestDueSeconds"] = Health.Seconds(lag) };
        var limit = options.Value.TimerLagWarnAfter;
        return lag > limit
            ? HealthCheckResult.Degraded($"A timer has been due for {Health.Seconds(lag)} s without firing (more than {Health.Seconds(limit)} s).", data: data)
            : HealthCheckResult.Healthy($"The oldest due timer has waited {Health.Seconds(lag)} s.", data);
    }
}
