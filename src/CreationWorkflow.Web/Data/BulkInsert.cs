using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace CreationWorkflow.Web.Data;

/// <summary>
/// Inserts many new rows of one entity in multi-row INSERT statements, outside the change tracker: what a campaign's
/// start does with its ~26,000 report lines, which <c>SaveChanges</c> would insert one statement (and one tracked entry)
/// each. Columns, names and values come from the EF model, so every value is written as <c>SaveChanges</c> would write
/// it (the property's type mapping, its converter: enums as text, times as the SQLite number). Store-generated keys
/// are left to the database and not read back; the rows are not tracked afterwards. Runs in the context's current
/// transaction, so it commits or rolls back with the rest of the change.
/// </summary>
/// <remarks>
/// Written here rather than taken from a library: EF Core has no bulk insert, the served bulk packages either are not
/// in the feed or are a second ORM (linq2db) for this one statement.
/// </remarks>
public static class BulkInsert
{
    /// <summary>
    /// Parameters per statement. Longer statements are slower, not faster: Microsoft.Data.Sqlite binds each parameter by
    /// name, a search through the statement's parameters (measured: 26,000 lines in 1.4–1.6 s at 6–20 rows a statement,
    /// 2.4 s at 63). Numbers, flags and nulls are literals and do not count, so a row of mostly numbers packs more rows.
    /// </summary>
    private const int ParametersPerStatement = 220;

    public static async Task InsertManyAsync<T>(this AppDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => !IsStoreGenerated(p)).ToList();
        if (properties.FirstOrDefault(c => c.PropertyInfo is null) is { } shadow)
        {
            throw new InvalidOperationException($"{typeof(T).Name}.{shadow.Name} is a shadow property; BulkInsert writes mapped properties only.");
        }
        var columns = properties.Select(p => (Property: p, Mapping: (RelationalTypeMapping)p.GetTypeMapping(), Numeric: IsNumeric(p))).ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", properties.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))}) VALUES ";
        var perStatement = Math.Max(1, ParametersPerStatement / Math.Max(1, columns.Count(c => !c.Numeric)));
        await using var factory = db.Database.GetDbConnection().CreateCommand(); // only makes the parameters
        foreach (var chunk in rows.Chunk(perStatement))
        {
            var text = new StringBuilder(head);
            var parameters = new List<DbParameter>(chunk.Length * columns.Count);
            var first = true;
            foreach (var row in chunk)
            {
                text.Append(first ? "(" : ", (");
                first = false;
                foreach (var (column, mapping, numeric) in columns)
                {
                    text.Append(column == columns[0].Property ? "" : ", ");
                    var value = column.PropertyInfo!.GetValue(row);
                    if (value is null || numeric)
                    {
                        text.Append(mapping.GenerateSqlLiteral(value));
                        continue;
                    }
                    var name = $"p{parameters.Count}";
                    text.Append(sql.GenerateParameterNamePlaceholder(name));
                    parameters.Add(mapping.CreateParameter(factory, sql.GenerateParameterName(name), value, column.IsNullable));
                }
                text.Append(')');
            }
            await db.Database.ExecuteSqlRawAsync(text.ToString(), parameters, ct);
        }
    }

    /// <summary>
    /// A number or a flag as stored (after its converter): written as a literal, not a parameter. Nulls are literals too;
    /// text and ids stay parameters, and so do times where the provider stores them as text or timestamps (on SQLite a
    /// <see cref="DateTimeOffset"/> is stored as a number, so it is a literal there).
    /// </summary>
    private static bool IsNumeric(IProperty p)
    {
        var stored = p.GetTypeMapping().Converter?.ProviderClrType ?? p.ClrType;
        stored = Nullable.GetUnderlyingType(stored) ?? stored;
        return stored == typeof(int) || stored == typeof(long) || stored == typeof(short) || stored == typeof(bool);
    }

    /// <summary>An integer key the database numbers (identity, autoincrement); a client-made Guid key is written.</summary>
    private static bool IsStoreGenerated(IProperty p) => 
        p.ValueGenerated == ValueGenerated.OnAdd && (p.ClrType == typeof(long) || p.ClrType == typeof(int));
}
