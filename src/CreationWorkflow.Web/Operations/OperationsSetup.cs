using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CreationWorkflow.Web.Operations;

/// <summary>The operations feature: hardening, shared data-protection keys, health, metrics, database faults, incidents.</summary>
public static class OperationsSetup
{
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration, IHostEnvironment env)
    {
        services.AddHardening(configuration, env);
        // Keys in the database: every instance signs cookies, antiforgery and bearer tokens with the same key ring.
        services.AddDataProtection().SetApplicationName("CreationWorkflow").PersistKeysToDbContext<AppDbContext>();
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database", tags: [Health.Ready], customTestQuery: Health.DatabaseAnswersAsync)
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [Health.Ready])
            .AddCheck<OutboxHealthCheck>("outbox", tags: [Health.Ready])
            .AddCheck<TimersHealthCheck>("timers", tags: [Health.Ready]);
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("creationworkflow")).WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddMeter(Metrics.MeterName)
            .AddPrometheusExporter());
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddScoped<Incidents>();
        return services;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Health.WriteAsync })
            .WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
            {
                Predicate = c => c.Tags.Contains(Health.Ready),
                ResponseWriter = Health.WriteAsync,
                ResultStatusCodes =
                {
                    [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded] = StatusCodes.Status200OK,
                    [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
            })
            .WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();
        // Prometheus scrapes /metrics on the metrics port only (add it to the listening URLs); the public port does not serve it.
        var port = app.Services.GetRequiredService<IOptions<OperationsOptions>>().Value.MetricsPort;
        app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{port}")
            .WithMetadata(new HttpMethodMetadata(["GET"])).AllowAnonymous();
        return app;
    }
}
