namespace CreationWorkflow.Web.Data;

/// <summary>The two databases the host runs on: SQLite embedded (the default), PostgreSQL for production and several instances.</summary>
public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseSetup
{
    /// <summary>
    /// Both provider contexts are registered; <see cref="AppDbContext"/> resolves to the configured one.
    /// The choice is read when first used, so configuration applied late (tests, environment) still counts.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services)
    {
        // Opening a connection is retried a few times (Operations/DatabaseFaults); a busy SQLite waits a bounded time.
        services.AddSingleton<Operations.ConnectionRetryInterceptor>();
        services.AddDbContext<SqliteAppDbContext>((sp, db) => db.UseSqlite(SqliteWithBusyTimeout(sp, ConnectionString(sp)))
            .AddInterceptors(sp.GetRequiredService<Operations.ConnectionRetryInterceptor>()));
        services.AddDbContext<PostgresAppDbContext>((sp, db) => db.UseNpgsql(WithoutResetOnClose(ConnectionString(sp)))
            .AddInterceptors(sp.GetRequiredService<Operations.ConnectionRetryInterceptor>()));
        services.AddScoped<AppDbContext>(sp => IsPostgres(sp)
            ? sp.GetRequiredService<PostgresAppDbContext>()
            : sp.GetRequiredService<SqliteAppDbContext>());
        return services;
    }

    /// <summary>
    /// SQLite waits for another writer's lock up to the busy timeout (its own bounded retry), then fails with SQLITE_BUSY,
    /// which the host answers 503. Microsoft.Data.Sqlite's default is 30 s; ours is <see cref="Operations.OperationsOptions.SqliteBusyTimeoutSeconds"/>
    /// unless the connection string sets one.
    /// </summary>
    private static string SqliteWithBusyTimeout(IServiceProvider sp, string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = sp.GetRequiredService<IOptions<Operations.OperationsOptions>>().Value.SqliteBusyTimeoutSeconds;
        }
        return builder.ToString();
    }

    /// <summary>
    /// The contexts' PostgreSQL pool skips the <c>DISCARD ALL</c> Npgsql sends when a pooled connection is reused (one
    /// more round trip per query, and EF opens a connection per query): nothing the contexts run leaves session state
    /// behind (no SET, temp tables, LISTEN or session locks; the start-up lock and Quartz use their own pool). A
    /// connection string that says <c>No Reset On Close</c> itself keeps its setting.
    /// </summary>
    private static string WithoutResetOnClose(string connectionString)
    {
        if (connectionString.Contains("reset on close", StringComparison.OrdinalIgnoreCase))
        {
            return connectionString;
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ToString();
    }

    public static bool IsPostgres(IServiceProvider sp) => IsPostgres(sp.GetRequiredService<IOptions<AppOptions>>().Value);

    public static bool IsPostgres(AppOptions options) => ProviderOf(options) == DatabaseProvider.Postgres;

    /// <summary>The configured provider: "Sqlite", or "Postgres" (also "PostgreSQL"), in any case.</summary>
    public static DatabaseProvider ProviderOf(AppOptions options) => options.Database.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" => DatabaseProvider.Postgres,
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
