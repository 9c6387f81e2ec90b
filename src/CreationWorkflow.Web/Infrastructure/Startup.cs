using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CreationWorkflow.Web.Inspection;
using CreationWorkflow.Web.Instructions;
using CreationWorkflow.Web.Channels;
using CreationWorkflow.Web.Jobs;
using CreationWorkflow.Web.Operations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.WebEncoders;

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
            var cron = QuartzCron.Check(sp.GetRequiredService<WorkingDayCalendar>());
            return new WorkflowCatalog(WorkflowLoader.LoadAll(dir, programmes, cron), cron);
        });
        services.AddScoped<CampaignService>();
        services.AddScoped<WorkflowEditing>();
        services.AddScoped<Campaigns.CampaignLoader>();
        services.AddScoped<Scoring.FactStore>();
        services.AddScoped<Scoring.AcceptanceGate>();
        services.AddScoped<Scoring.ItemReviews>();
        services.AddScoped<Scoring.Standings>();
        services.AddScoped<Acceptance.PackageService>();
        services.AddScoped<Scoring.ItemQuery>();
        services.AddScoped<Scoring.GateWatch>();
        services.AddScoped<AssignmentService>();
        services.AddScoped<ReportService>();
        services.AddScoped<ProgressReporting>();
        services.AddScoped<Views>();
        services.AddScoped<InboxQuery>();
        services.AddSingleton<EvidenceStore>();
        services.AddOptions<UploadOptions>().BindConfiguration($"{AppOptions.Section}:Uploads");
        services.AddScoped<TimerSweeper>();
        services.AddOptions<NoticeOptions>().BindConfiguration(NoticeOptions.Section);
        services.AddSingleton<ReadLinks>();
        services.AddScoped<UnreadEscalation>();
        services.AddOptions<Calendar.CalendarOptions>().BindConfiguration(Calendar.CalendarOptions.Section);
        services.AddScoped<Calendar.CalendarFeeds>();
        services.AddScoped<Calendar.DeadlineFeed>();
        services.AddScoped<CheckpointRunner>();
        services.AddScoped<SupervisionBoard>();
        services.AddScoped<BoardSummaries>();
        services.AddSingleton<FigureStore>();
        services.AddScoped<CampaignFigures>();
        services.AddScoped<Campaigns.BurdenMeter>();
        services.AddScoped<SupervisionService>();
        services.AddScoped<Instructions.InstructionService>();
        services.AddScoped<Inspection.PeerInspectionService>();
        services.AddScoped<Inspection.PeerInspectionQuery>();
        services.AddScoped<Instructions.InstructionQuery>();
        services.AddScoped<Acceptance.RoadService>();
        services.AddSingleton<CheckpointScheduler>();
        services.AddScoped<Bulletins.BulletinFigures>();
        services.AddScoped<Bulletins.BulletinService>();
        services.AddSingleton<BulletinScheduler>();
        services.AddScoped<ProgrammeImporter>();
        services.AddScoped<Programmes.Import.ListImportService>();
        services.AddScoped<ProgrammeWorkflows>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AppOptions>>().Value;
            var seed = options.ResolveSeedPath(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
            return new Coverage.CoverageCatalog(Core.Coverage.CoverageLoader.LoadAll(seed, sp.GetRequiredService<ProgrammeCatalog>().All.ToDictionary(p => p.Id)));
        });
        services.AddScoped<Coverage.RegisterService>();
        services.AddScoped<Coverage.RegisterImport>();
        services.AddScoped<Coverage.CoverageQuery>();
        services.AddMail(builder.Configuration);
        services.AddChannels(builder.Configuration);
        services.AddScoped<Channels.ContactService>();
        services.AddScoped<Channels.ContactImport>();
        services.AddHostedService<StartupInitialiser>();
        services.AddScheduling(builder.Configuration);
        services.AddAccounts();
        services.AddOperations(builder.Configuration, builder.Environment);

        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi();
        // Pages and JSON are compressed (the default types: HTML, JSON, CSS, JS; XLSX, ZIP and evidence are compressed
        // already or downloaded as they are). Brotli at its fastest level first, gzip for older clients; on HTTPS too,
        // which is safe here since the antiforgery tokens in pages change with every response.
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
        });
        services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
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
        app.UseHardening();
        app.UseResponseCompression();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseForcedPasswordChange();
        app.UseAuthorization();
        app.UseAntiforgery();
        // The API description is public in Development and tests; in Production it needs a sign-in unless configured open.
        var openApi = app.MapOpenApi();
        if (!(app.Configuration.GetValue<bool?>($"{AppOptions.Section}:OpenApi:RequireSignIn") ?? app.Environment.IsProduction()))
        {
            openApi.AllowAnonymous();
        }
        app.MapAccounts();
        app.MapProgrammes();
        app.MapScoring();
        app.MapDirectory();
        app.MapContacts();
        Programmes.Import.ListImportEndpoints.MapListImport(app);
        app.MapProgrammeWorkflow();
        app.MapCampaigns();
        app.MapWorkflows();
        app.MapAssignments();
        app.MapReports();
        app.MapAssessment();
        app.MapAcceptance();
        app.MapRankingExport();
        app.MapScoreTable();
        app.MapAssessmentPages();
        Campaigns.WorkRanking.MapRankingDownload(app);
        Campaigns.BurdenMeter.MapBurden(app);
        app.MapSupervision();
        app.MapInstructions();
        Acceptance.RoadEndpoints.MapRoad(app);
        app.MapPeerInspections();
        app.MapAppraisal();
        app.MapBoardExport();
        Bulletins.BulletinEndpoints.MapBulletins(app);
        Coverage.CoverageEndpoints.MapCoverage(app);
        app.MapNotifications();
        Calendar.CalendarEndpoints.MapCalendar(app);
        app.MapOperations();
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
        _ = services.GetRequiredService<Coverage.CoverageCatalog>();
        var data = options.Value.ResolveDataPath(env.ContentRootPath);
        Directory.CreateDirectory(data);
        Operations.PackageBuilds.RemoveLeftovers(data, log);
        await Operations.StartupLock.RunExclusiveAsync(services, async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.MigrateAsync(ct);
            var importer = scope.ServiceProvider.GetRequiredService<ProgrammeImporter>();
            await importer.ImportAsync(catalog.All, ct);
            await importer.LoadPublishedAsync(catalog, ct);
            await workflows.SyncAsync(db, services.GetRequiredService<TimeProvider>(), ct);
            await AccountSetup.EnsureRolesAndDemoAccountsAsync(scope.ServiceProvider, options.Value.Demo, log);
            if (options.Value.Demo)
            {
                await Demo.DemoSeeder.SeedAsync(scope.ServiceProvider, log, ct);
            }
            // The first data-protection key is made here, once, so every instance signs cookies and tokens with it.
            services.GetRequiredService<IDataProtectionProvider>().CreateProtector("startup").Protect("ready");
            // A restart (or a crash between a campaign's commit and its triggers) reschedules any checkpoint that has none.
            await services.GetRequiredService<CheckpointScheduler>().ReconcileAsync(db, workflows, ct);
            await services.GetRequiredService<BulletinScheduler>().EnsureScheduledAsync(ct);
        }, log, ct);
        log.LogInformation("Loaded {Count} programme(s): {Ids}", catalog.All.Count, string.Join(", ", catalog.All.Select(p => p.Id)));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
