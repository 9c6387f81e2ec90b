using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CreationWorkflow.Core.Calendar;
using CreationWorkflow.Web.Acceptance;
using CreationWorkflow.Core.Seeding;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Campaigns;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Supervision;
using CreationWorkflow.Web.Workflows;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Jobs;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.WebEncoders;
using Microsoft.Extensions.Options;

namespace CreationWorkflow.Web.Infrastructure;

public static class Startup
{
    public static WebApplicationBuilder AddCreationWorkflow(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<AppOptions>(builder.Configuration.GetSection(AppOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AppOptions>>().Value;
            var seed = options.ResolveSeedPath(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
            return new ProgrammeCatalog(SeedLoader.LoadAll(seed));
        });
        services.AddDatabase();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AppOptions>>().Value;
            var seed = options.ResolveSeedPath(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
            return WorkingDayCalendar.Load(Path.Combine(seed, "calendar", "cn-holidays.json"), "seed/calendar/cn-holidays.json");
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AppOptions>>().Value;
            var dir = options.ResolveWorkflowsPath(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
            var programmes = sp.GetRequiredService<ProgrammeCatalog>().All.ToDictionary(p => p.Id);
            return new WorkflowCatalog(WorkflowLoader.LoadAll(dir, programmes));
        });
        services.AddScoped<CampaignService>();
        services.AddScoped<Scoring.AssessmentService>();
        services.AddScoped<Scoring.GateWatch>();
        services.AddScoped<AssignmentService>();
        services.AddScoped<Views>();
        services.AddSingleton<EvidenceStore>();
        services.AddOptions<UploadOptions>().BindConfiguration($"{AppOptions.Section}:Uploads");
        services.AddScoped<TimerSweeper>();
        services.AddScoped<CheckpointRunner>();
        services.AddScoped<SupervisionBoard>();
        services.AddScoped<SupervisionService>();
        services.AddSingleton<CheckpointScheduler>();
        services.AddScoped<ProgrammeImporter>();
        services.AddMail(builder.Configuration);
        services.AddHostedService<StartupInitialiser>();
        services.AddScheduling(builder.Configuration);
        services.AddAccounts();

        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi();
        services.AddRazorPages(o => o.RootDirectory = "/");
        // Pages are Chinese: emit it as text, not as &#x...; entities.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        // A seed fault is reported once, by Program, as file + path + reason; not again as a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder;
    }

    /// <summary>
    /// API JSON: strict like the seed (unknown properties refused, a member without a default required, null only where
    /// the type allows it), camelCase enums, readable Chinese. <see cref="RequestBodies"/> explains each refusal.
    /// </summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.RespectNullableAnnotations = true;
        o.RespectRequiredConstructorParameters = true;
        o.AllowOutOfOrderMetadataProperties = true;
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    public static WebApplication UseCreationWorkflow(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOpenApi().AllowAnonymous();
        app.MapAccounts();
        app.MapProgrammes();
        app.MapScoring();
        app.MapDirectory();
        app.MapCampaigns();
        app.MapAssignments();
        app.MapAssessment();
        app.MapAcceptance();
        app.MapRankingExport();
        app.MapScoreTable();
        app.MapAssessmentPages();
        Campaigns.WorkRanking.MapRankingDownload(app);
        app.MapSupervision();
        app.MapBoardExport();
        app.MapNotifications();
        app.MapRazorPages();
        return app;
    }
}

/// <summary>
/// Before the server listens: loads and validates seed/ (start-up stops on any fault), brings the database
/// to the latest migration, and stores the programmes.
/// </summary>
public sealed class StartupInitialiser(IServiceProvider services, IOptions<AppOptions> options, IWebHostEnvironment env, ILogger<StartupInitialiser> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var catalog = services.GetRequiredService<ProgrammeCatalog>();
        _ = services.GetRequiredService<WorkingDayCalendar>();
        var workflows = services.GetRequiredService<WorkflowCatalog>();
        Directory.CreateDirectory(options.Value.ResolveDataPath(env.ContentRootPath));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync(ct);
        await scope.ServiceProvider.GetRequiredService<ProgrammeImporter>().ImportAsync(catalog.All, ct);
        await workflows.SyncAsync(db, services.GetRequiredService<TimeProvider>(), ct);
        await AccountSetup.EnsureRolesAndDemoAccountsAsync(scope.ServiceProvider, options.Value.Demo, log);
        if (options.Value.Demo)
        {
            await Demo.DemoSeeder.SeedAsync(scope.ServiceProvider, log, ct);
        }
        log.LogInformation("Loaded {Count} programme(s): {Ids}", catalog.All.Count, string.Join(", ", catalog.All.Select(p => p.Id)));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
