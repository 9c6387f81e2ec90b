using System.Reflection;

namespace CreationWorkflow.Web.Data;

/// <summary>
/// The tables Quartz.NET's ADO job store expects (prefix qrtz_), per provider, from Data/Quartz/*.sql: the DDL
/// Quartz 4.7.3 provisions itself, captured once. Our migrations apply it, so the scheduler's state lives in our
/// database and is versioned with it; Quartz's start-up schema validation checks it matches.
/// </summary>
public static partial class QuartzSchema
{
    public static string Create(string provider)
    {
        var name = $"CreationWorkflow.Web.Data.Quartz.quartz-{provider}.sql";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} not found");
        return new StreamReader(stream).ReadToEnd();
    }

    public static string Drop() => string.Concat(
        Tables().Reverse().Select(t => $"DROP TABLE IF EXISTS {t};\n"));

    /// <summary>The qrtz_ tables, parents before children.</summary>
    private static IEnumerable<string> Tables() =>
        TableName().Matches(Create("sqlite")).Select(m => m.Groups[1].Value.ToLowerInvariant())
            .OrderBy(t => t is "qrtz_job_details" ? 0 : t is "qrtz_triggers" ? 1 : 2);

    [GeneratedRegex(@"CREATE TABLE (\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex TableName();
}
