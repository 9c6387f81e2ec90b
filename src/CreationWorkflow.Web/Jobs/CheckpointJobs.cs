using Quartz;

namespace CreationWorkflow.Web.Jobs;

/// <summary>Runs one checkpoint of one campaign at the cron trigger's scheduled time.</summary>
[DisallowConcurrentExecution]
public sealed class CheckpointJob(Operations.Incidents incidents) : IJob
{
    /// <summary>A failed run becomes an incident on the 运维 page (retry or discard there), not a lost firing.</summary>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        await incidents.RunCheckpointAsync(Guid.Parse(data.GetString("campaign")!), data.GetString("checkpoint")!, data.GetString("name")!,
            context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
    }
}

/// <summary>
/// Keeps one Quartz cron trigger per campaign checkpoint, bounded by its phase window. Idempotent: called when a
/// campaign starts and for every campaign when the scheduler starts, so a crash between the two is mended.
/// </summary>
public sealed class CheckpointScheduler(ISchedulerFactory factory, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<CheckpointScheduler> log)
{
    public const string Group = "checkpoints";

    public async Task EnsureScheduledAsync(CampaignRecord campaign, IReadOnlyList<PlannedCheckpoint> checkpoints, CancellationToken ct) =>
        await ScheduleAsync(Plan(campaign, checkpoints), ct);

    /// <summary>
    /// The Quartz job and trigger of each checkpoint that still has a firing ahead: from now (or the window's start, if
    /// later) to the window's end. Pure, so a campaign start computes it before its transaction commits. A checkpoint whose
    /// window is over, or whose last firing inside the window has passed, gets none.
    /// </summary>
    public IReadOnlyList<(IJobDetail Job, ITrigger Trigger)> Plan(CampaignRecord campaign, IReadOnlyList<PlannedCheckpoint> checkpoints)
    {
        if (!options.Value.Enabled)
        {
            return [];
        }
        var now = clock.GetUtcNow();
        var zone = ChinaTime.Zone;
        var planned = new List<(IJobDetail, ITrigger)>();
        foreach (var cp in checkpoints)
        {
            var key = new TriggerKey($"{campaign.Id:N}:{cp.Checkpoint.Id}", Group);
            var start = new DateTimeOffset(cp.Window.Start.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(cp.Window.Start.ToDateTime(TimeOnly.MinValue)));
            var end = new DateTimeOffset(cp.Window.End.ToDateTime(TimeOnly.MaxValue), zone.GetUtcOffset(cp.Window.End.ToDateTime(TimeOnly.MaxValue)));
            var from = start > now ? start : now;
            var first = new CronExpression(cp.Checkpoint.Cron, zone).GetNextValidTimeAfter(from.AddSeconds(-1));
            if (end <= now || first is null || first > end)
            {
                // Quartz refuses a trigger that can never fire: the window is over, or no firing is left inside it.
                log.LogInformation("Checkpoint {Checkpoint} of campaign {Campaign} has no firing left between {From} and {End}; not scheduled",
                    cp.Checkpoint.Id, campaign.Id, from, end);
                continue;
            }
            var job = JobBuilder.Create<CheckpointJob>()
                .WithIdentity(key.Name, Group)
                .UsingJobData("campaign", campaign.Id.ToString())
                .UsingJobData("checkpoint", cp.Checkpoint.Id)
                .UsingJobData("name", cp.Checkpoint.Name)
                .Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(key)
                .ForJob(job)
                .StartAt(first.Value)
                .EndAt(end)
                .WithCronSchedule(cp.Checkpoint.Cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            planned.Add((job, trigger));
        }
        return planned;
    }

    /// <summary>Stores the planned triggers that do not exist yet (idempotent).</summary>
    public async Task ScheduleAsync(IReadOnlyList<(IJobDetail Job, ITrigger Trigger)> planned, CancellationToken ct)
    {
        if (planned.Count == 0)
        {
            return;
        }
        var scheduler = await factory.GetScheduler(ct);
        foreach (var (job, trigger) in planned)
        {
            if (!await scheduler.Exists(trigger.Key, ct))
            {
                await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
            }
        }
    }

    /// <summary>
    /// After a migration: the campaign's checkpoint jobs are replaced by those of its new version, in its new phase windows
    /// (a checkpoint the version drops stops; one whose window moved fires in the new one).
    /// </summary>
    public async Task RescheduleAsync(CampaignRecord campaign, IReadOnlyList<PlannedCheckpoint> checkpoints, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        var planned = Plan(campaign, checkpoints);
        var scheduler = await factory.GetScheduler(ct);
        var prefix = $"{campaign.Id:N}:";
        var old = (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), ct)).Where(k => k.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (old.Count > 0)
        {
            await scheduler.DeleteJobs(old, ct);
        }
        await ScheduleAsync(planned, ct);
    }

    /// <summary>At start-up: schedules any checkpoint of any campaign that has no trigger yet.</summary>
    public async Task ReconcileAsync(AppDbContext db, WorkflowCatalog workflows, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        foreach (var campaign in await db.Campaigns.Include(c => c.Phases).ToListAsync(ct))
        {
            var definition = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion);
            var windows = campaign.Phases.ToDictionary(p => p.PhaseId, p => new PhaseWindow(p.PhaseId, p.Name, p.Start, p.End));
            await EnsureScheduledAsync(campaign, [.. definition.Checkpoints.Select(c => new PlannedCheckpoint(c, windows[c.Phase]))], ct);
        }
    }
}
