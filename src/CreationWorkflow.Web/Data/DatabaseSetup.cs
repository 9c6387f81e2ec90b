using CreationWorkflow.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreationWorkflow.Web.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// Both provider contexts are registered; <see cref="AppDbContext"/> resolves to the configured one.
    /// The choice is read when first used, so configuration applied late (tests, environment) still counts.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services)
    {
        services.AddDbContext<SqliteAppDbContext>((sp, db) => db.UseSqlite(ConnectionString(sp)));
        services.AddDbContext<PostgresAppDbContext>((sp, db) => db.UseNpgsql(ConnectionString(sp)));
        services.AddScoped<AppDbContext>(sp => IsPostgres(sp)
            ? sp.GetRequiredService<PostgresAppDbContext>()
            : sp.GetRequiredService<SqliteAppDbContext>());
        return services;
    }

    public static bool IsPostgres(IServiceProvider sp) => IsPostgres(sp.GetRequiredService<IOptions<AppOptions>>().Value);

    public static bool IsPostgres(AppOptions options) => options.Database.ToLowerInvariant() switch
    {
        "sqlite" => false,
        "postgres" or "postgresql" => true,
        _ => throw new InvalidOperationException($"{AppOptions.Section}:Database '{options.Database}' is not known; use Sqlite or Postgres."),
    };

    public static string ConnectionString(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<AppOptions>>().Value;
        if (options.ConnectionString is { Length: > 0 } cs)
        {
            return cs;
        }
        if (IsPostgres(options))
        {
            throw new InvalidOperationException($"{AppOptions.Section}:ConnectionString is required for PostgreSQL.");
        }
        var data = options.ResolveDataPath(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
        return $"Data Source={Path.Combine(data, "creationworkflow.db")}";
    }
}
