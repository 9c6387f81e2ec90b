namespace CreationWorkflow.Web.Data;

/// <summary>A programme as stored: its identity and the version of its definition now in force.</summary>
public sealed class ProgrammeRecord
{
    public required string Id { get; set; }
    public required string Title { get; set; }
    public string? DocumentNumber { get; set; }
    public int CurrentVersion { get; set; }
    public List<ProgrammeVersionRecord> Versions { get; set; } = [];
}

/// <summary>Each distinct content of a programme's seed folder becomes a version; running work stays on its version.</summary>
public sealed class ProgrammeVersionRecord
{
    public required string ProgrammeId { get; set; }
    public int Version { get; set; }
    public required string ContentHash { get; set; }
    public DateTimeOffset LoadedAt { get; set; }

    /// <summary>The version's seed files (file name → JSON, see ProgrammeContent.Pack); null for versions stored before imports.</summary>
    public string? Content { get; set; }
}

/// <summary>A unit of a programme's directory.</summary>
public sealed class UnitRecord
{
    public int Id { get; set; }
    public required string ProgrammeId { get; set; }
    public required string Name { get; set; }
    public UnitKind Kind { get; set; }
    public string? Code { get; set; }
    public string? FullName { get; set; }

    /// <summary>Where the unit's notifications are mailed; set by the office (the documents give no addresses).</summary>
    public string? Email { get; set; }
}

/// <summary>
/// One unit's membership of a named group. Seeded from units.json; memberships the documents do not give
/// are marked <see cref="Assumed"/> until the office confirms them.
/// </summary>
public sealed class UnitGroupMemberRecord
{
    public required string ProgrammeId { get; set; }
    public required string GroupName { get; set; }
    public required string UnitName { get; set; }
    public bool Assumed { get; set; }
}

/// <summary>Append-only record of every state change: who, when, what, before → after.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Entity { get; set; }
    public required string EntityId { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}
