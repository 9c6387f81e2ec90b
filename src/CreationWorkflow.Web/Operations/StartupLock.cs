using Npgsql;

namespace CreationWorkflow.Web.Operations;

/// <summary>
/// Start-up work that must happen once however many instances start together (migrations, the programme import, the
/// roles, the first data-protection key): on PostgreSQL it runs under a session advisory lock, so the second instance
/// waits and then finds everything done. SQLite is single-instance and needs none.
/// </summary>
public static class StartupLock
{
    /// <summary>An arbitrary constant: the advisory lock id of CreationWorkflow's start-up ("cwstart" in ASCII).</summary>
    public const long LockId = 0x63_77_73_74_61_72_74;

    public static async Task RunExclusiveAsync(IServiceProvider services, Func<Task> work, ILogger log, CancellationToken ct)
    {
        if (!DatabaseSetup.IsPostgres(services))
        {
            await work();
            return;
        }
        await using var connection = new NpgsqlConnection(DatabaseSetup.ConnectionString(services));
        await connection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockId})", connection))
        {
            take.CommandTimeout = 0; // wait as long as the other instance migrates
            await take.ExecuteNonQueryAsync(ct);
        }
        log.LogDebug("Start-up lock taken");
        try
        {
            await work();
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockId})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
