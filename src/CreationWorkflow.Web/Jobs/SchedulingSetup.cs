using Quartz;
using Quartz.Impl.AdoJobStore;
using Quartz.Impl.AdoJobStore.Common;

namespace CreationWorkflow.Web.Jobs;

/// <summary>Quartz options of the host ("CreationWorkflow:Scheduling").</summary>
public sealed class SchedulingOptions
{
    /// <summary>Run the Quartz scheduler in this process (tests drive the sweeps themselves and turn it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the timer sweep and the mail dispatcher run.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Timers per sweep transaction.</summary>
    public int SweepBatchSize { get; set; } = 1000;
}

public static class SchedulingSetup
{
    public const string SchedulerName = "creationworkflow";

    /// <summary>
    /// Quartz with its persistent ADO job store in our own database (the qrtz_ tables come from our migrations):
    /// clustered on PostgreSQL, single-instance on SQLite (Quartz refuses SQLite clustering).
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().BindConfiguration($"{AppOptions.Section}:Scheduling");
        var postgres = DatabaseSetup.IsPostgres(configuration.GetSection(AppOptions.Section).Get<AppOptions>() ?? new AppOptions());
        var interval = configuration.GetSection($"{AppOptions.Section}:Scheduling").Get<SchedulingOptions>()?.SweepInterval
            ?? new SchedulingOptions().SweepInterval;
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                s.GenerateInstanceId = true;
            });
            q.UseTimeProvider(TimeProvider.System);
            q.UsePersistentStore(store =>
            {
                store.UseConnectionProvider(sp => new DbProvider(postgres ? "Npgsql" : "SQLite-Microsoft", DatabaseSetup.ConnectionString(sp)));
                store.UseDriverDelegate(_ => postgres ? new PostgreSQLDelegate() : new SQLiteDelegate());
                store.ConfigureStore(o => o.TablePrefix = "qrtz_");
                if (postgres)
                {
                    store.UseClustering(c => c.Enabled = true);
                }
            });
            q.ScheduleJob<TimerSweepJob>(t => t.WithIdentity("timer-sweep").WithSimpleSchedule(interval), j => j.WithIdentity(TimerSweepJob.Key));
            q.ScheduleJob<MailJob>(t => t.WithIdentity("mail").WithSimpleSchedule(interval), j => j.WithIdentity(MailJob.Key));
        });
        services.AddHostedService<SchedulerHost>();
        return services;
    }
}

/// <summary>Starts Quartz after the database is migrated (the hosted services start in order) unless scheduling is off.</summary>
public sealed class SchedulerHost(ISchedulerFactory factory, IOptions<SchedulingOptions> options, ILogger<SchedulerHost> log) : IHostedService
{
    private IScheduler? scheduler;

    public async Task StartAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            log.LogInformation("Scheduling is disabled; timers are swept only on demand.");
            return;
        }
        scheduler = await factory.GetScheduler(ct);
        await scheduler.Start(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (scheduler is not null)
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, ct);
        }
    }
}
