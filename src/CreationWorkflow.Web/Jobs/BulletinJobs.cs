using CreationWorkflow.Web.Bulletins;
using Quartz;

namespace CreationWorkflow.Web.Jobs;

/// <summary>
/// The bulletin cron of one definition version: builds last month's bulletin for each of its campaigns when the firing
/// falls on the month's first working day (<see cref="BulletinService.RunScheduledAsync(string, int, CancellationToken)"/>).
/// Clustered on PostgreSQL, so one instance fires it; the unique (campaign, period) keeps it to one bulletin regardless.
/// </summary>
[DisallowConcurrentExecution]
public sealed class BulletinJob(BulletinService bulletins, ILogger<BulletinJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var built = await bulletins.RunScheduledAsync(data.GetString("workflow")!, data.GetInt("version"), cancellationToken);
        if (built.Count > 0)
        {
            log.LogInformation("Bulletin cron: {Count} bulletin(s) built ({Periods})", built.Count, string.Join(", ", built.Select(b => $"{b.CampaignId}:{b.Period}")));
        }
    }
}

/// <summary>One Quartz cron trigger per definition version that declares a <c>bulletin</c>; stored once, idempotently, at start-up.</summary>
public sealed class BulletinScheduler(CheckpointScheduler checkpoints, IOptions<SchedulingOptions> options, WorkflowCatalog workflows)
{
    public const string Group = "bulletins";

    /// <summary>The planned jobs and triggers (pure; empty when scheduling is off).</summary>
    public IReadOnlyList<(IJobDetail Job, ITrigger Trigger)> Plan()
    {
        if (!options.Value.Enabled)
        {
            return [];
        }
        return [.. workflows.Versions.Where(d => d.Bulletin is not null).OrderBy(d => d.Id, StringComparer.Ordinal).ThenBy(d => d.Version).Select(d =>
        {
            var key = $"{d.Id}:v{d.Version}";
            var job = JobBuilder.Create<BulletinJob>().WithIdentity(key, Group).UsingJobData("workflow", d.Id).UsingJobData("version", d.Version).Build();
            var trigger = TriggerBuilder.Create().WithIdentity(key, Group).ForJob(job)
                .WithCronSchedule(d.Bulletin!.Cron, c => c.InTimeZone(d.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            return ((IJobDetail)job, trigger);
        })];
    }

    /// <summary>Stores the triggers that do not exist yet, as the checkpoints' are stored.</summary>
    public Task EnsureScheduledAsync(CancellationToken ct) => checkpoints.ScheduleAsync(Plan(), ct);
}

/// <summary>The loader's Quartz check of a definition's cron expressions (Core has no Quartz).</summary>
public static class QuartzCron
{
    /// <summary>
    /// Parses the expression with Quartz; for the bulletin, also checks it fires on the first working day of every month the
    /// calendar covers, since the host builds on that firing only.
    /// </summary>
    public static CronCheck Check(WorkingDayCalendar calendar) => (cron, firstWorkingDays) =>
    {
        CronExpression expression;
        try
        {
            expression = new CronExpression(cron, ChinaTime.Zone);
        }
        catch (FormatException e)
        {
            return $"「{cron}」不是有效的 Quartz cron 表达式（{e.Message}）。";
        }
        if (!firstWorkingDays)
        {
            return null;
        }
        foreach (var year in calendar.CoveredYears)
        {
            for (var month = 1; month <= 12; month++)
            {
                var day = BulletinSchedule.FirstWorkingDay(year, month, calendar);
                var midnight = day.ToDateTime(TimeOnly.MinValue);
                var start = new DateTimeOffset(midnight, ChinaTime.Zone.GetUtcOffset(midnight));
                if (expression.GetNextValidTimeAfter(start.AddSeconds(-1)) is not { } next || next >= start.AddDays(1))
                {
                    return $"「{cron}」在 {day:yyyy-MM-dd}（{year}年{month}月的第一个工作日，见 seed/calendar）不触发；通报在每月第一个工作日生成，" +
                        "cron 须在每月第一个工作日可能落在的每一天触发，如 0 0 9 1-10 * ?。";
                }
            }
        }
        return null;
    };
}
