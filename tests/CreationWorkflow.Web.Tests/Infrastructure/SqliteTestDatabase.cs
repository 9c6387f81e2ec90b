namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>A real SQLite file in its own temp folder, brought to the latest migration; deleted on dispose.</summary>
public sealed class SqliteTestDatabase : IDisposable
{
    private SqliteTestDatabase()
    {
        Directory.CreateDirectory(Root);
        // No pooling: every context's connection really closes, so the folder can be deleted afterwards.
        ConnectionString = $"Data Source={Path.Combine(Root, "test.db")};Pooling=False";
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cw-db-" + Guid.NewGuid().ToString("N")[..12]);

    public string ConnectionString { get; }

    public static async Task<SqliteTestDatabase> CreateAsync()
    {
        var db = new SqliteTestDatabase();
        await using var context = db.NewContext();
        await context.Database.MigrateAsync();
        return db;
    }

    public AppDbContext NewContext() =>
        new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(ConnectionString).Options);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
