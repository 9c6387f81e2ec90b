using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CreationWorkflow.Core.Seeding;
using CreationWorkflow.Web.Data;
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
        services.AddDbContext<AppDbContext, SqliteAppDbContext>((sp, db) =>
        {
            var options = sp.GetRequiredService<IOptions<AppOptions>>().Value;
            if (!string.Equals(options.Database, "Sqlite", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{AppOptions.Section}:Database '{options.Database}' is not supported yet; use Sqlite.");
            }
            var data = options.ResolveDataPath(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
            db.UseSqlite(options.ConnectionString ?? $"Data Source={Path.Combine(data, "creationworkflow.db")}");
        });
        services.AddScoped<ProgrammeImporter>();
        services.AddMail(builder.Configuration);
        services.AddHostedService<StartupInitialiser>();

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

    /// <summary>API JSON: strict like the seed (unknown properties refused), camelCase enums, readable Chinese.</summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.RespectNullableAnnotations = true;
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
        app.UseAntiforgery();
        app.MapOpenApi();
        app.MapProgrammes();
        app.MapScoring();
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
        Directory.CreateDirectory(options.Value.ResolveDataPath(env.ContentRootPath));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync(ct);
        await scope.ServiceProvider.GetRequiredService<ProgrammeImporter>().ImportAsync(catalog.All, ct);
        log.LogInformation("Loaded {Count} programme(s): {Ids}", catalog.All.Count, string.Join(", ", catalog.All.Select(p => p.Id)));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
