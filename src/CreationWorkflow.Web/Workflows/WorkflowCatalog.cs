using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Workflows;

/// <summary>A workflow definition version as stored: running campaigns read their version from here, not from the file.</summary>
public sealed class WorkflowDefinitionRecord
{
    public required string Id { get; set; }
    public int Version { get; set; }
    public required string ContentHash { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
}

internal sealed class WorkflowDefinitionConfiguration : IEntityTypeConfiguration<WorkflowDefinitionRecord>
{
    public void Configure(EntityTypeBuilder<WorkflowDefinitionRecord> b)
    {
        b.ToTable("workflow_definitions");
        b.HasKey(w => new { w.Id, w.Version });
        b.Property(w => w.Id).HasMaxLength(64);
    }
}

/// <summary>
/// The workflow definitions: the files in workflows/ (validated at start-up), every version stored before, and the versions
/// the office saves while the host runs (<see cref="Add"/>, served at once). A file whose content changed without a new version
/// number is refused: a running campaign's version is immutable. Thread-safe: readers see an immutable snapshot, writers
/// replace it under a lock.
/// </summary>
public sealed class WorkflowCatalog(IReadOnlyList<WorkflowDefinition> files, CronCheck? cron = null)
{
    private readonly Lock gate = new();
    private volatile Snapshot snapshot = new(files.ToDictionary(d => (d.Id, d.Version)));

    private sealed class Snapshot(Dictionary<(string, int), WorkflowDefinition> versions)
    {
        public Dictionary<(string, int), WorkflowDefinition> Versions { get; } = versions;

        /// <summary>The newest version of each definition, by id.</summary>
        public IReadOnlyList<WorkflowDefinition> Current { get; } =
            [.. versions.Values.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.MaxBy(d => d.Version)!)];
    }

    /// <summary>The host's cron check, for definitions edited while it runs (the loader checks them as it checks the files).</summary>
    public CronCheck? Cron => cron;

    /// <summary>The newest version of each definition (a file's or a saved one).</summary>
    public IReadOnlyList<WorkflowDefinition> Current => snapshot.Current;

    public WorkflowDefinition? Latest(string id) => Current.FirstOrDefault(d => d.Id == id);

    public WorkflowDefinition? ForProgramme(string programmeId) => Current.FirstOrDefault(d => d.Programme == programmeId);

    public WorkflowDefinition Get(string id, int version) =>
        snapshot.Versions.TryGetValue((id, version), out var d) ? d : throw new KeyNotFoundException($"workflow {id} v{version} is not loaded");

    public bool TryGet(string id, int version, out WorkflowDefinition definition) => snapshot.Versions.TryGetValue((id, version), out definition!);

    /// <summary>Every loaded version (the files and, after <see cref="SyncAsync"/>, the older stored ones).</summary>
    public IEnumerable<WorkflowDefinition> Versions => snapshot.Versions.Values;

    /// <summary>The versions of one definition, oldest first.</summary>
    public IReadOnlyList<WorkflowDefinition> VersionsOf(string id) => [.. Versions.Where(d => d.Id == id).OrderBy(d => d.Version)];

    /// <summary>Serves <paramref name="definition"/> (already stored and committed) from now on.</summary>
    public void Add(WorkflowDefinition definition)
    {
        lock (gate)
        {
            var versions = new Dictionary<(string, int), WorkflowDefinition>(snapshot.Versions) { [(definition.Id, definition.Version)] = definition };
            snapshot = new Snapshot(versions);
        }
    }

    /// <summary>The stored form of a definition and its content hash (SHA-256 of that JSON).</summary>
    public static (string Json, string Hash) Stored(WorkflowDefinition definition)
    {
        var json = JsonSerializer.Serialize(definition, SeedJson.Options);
        return (json, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))));
    }

    /// <summary>The row that stores <paramref name="definition"/> (its JSON and content hash), as <see cref="SyncAsync"/> writes it.</summary>
    public static WorkflowDefinitionRecord Record(WorkflowDefinition definition, DateTimeOffset now)
    {
        var (json, hash) = Stored(definition);
        return new WorkflowDefinitionRecord { Id = definition.Id, Version = definition.Version, ContentHash = hash, Json = json, LoadedAt = now };
    }

    /// <summary>Loads the stored versions this instance does not serve yet (saved by another instance sharing the database).</summary>
    public async Task RefreshAsync(AppDbContext db, CancellationToken ct)
    {
        var known = snapshot.Versions.Keys.ToHashSet();
        var keys = await db.WorkflowDefinitions.AsNoTracking().Select(w => new { w.Id, w.Version }).ToListAsync(ct);
        foreach (var key in keys.Where(k => !known.Contains((k.Id, k.Version))))
        {
            var row = await db.WorkflowDefinitions.AsNoTracking().SingleAsync(w => w.Id == key.Id && w.Version == key.Version, ct);
            Add(JsonSerializer.Deserialize<WorkflowDefinition>(row.Json, SeedJson.Options)!);
        }
    }

    /// <summary>Stores new versions and loads older stored ones, so campaigns on them keep running. One transaction.</summary>
    public async Task SyncAsync(AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var stored = await db.WorkflowDefinitions.ToListAsync(ct);
        var errors = new List<SeedError>();
        foreach (var def in files)
        {
            var (json, hash) = Stored(def);
            var row = stored.FirstOrDefault(s => s.Id == def.Id && s.Version == def.Version);
            if (row is null)
            {
                db.WorkflowDefinitions.Add(new WorkflowDefinitionRecord { Id = def.Id, Version = def.Version, ContentHash = hash, Json = json, LoadedAt = clock.GetUtcNow() });
                db.AddAudit(clock.GetUtcNow(), Programmes.ProgrammeImporter.SystemActor, AuditActions.WorkflowLoaded,
                    AuditEntities.Workflow, $"{def.Id}@{def.Version}", after: JsonSerializer.Serialize(new { def.Id, def.Version, hash }));
            }
            else if (row.ContentHash != hash)
            {
                errors.Add(new SeedError($"workflows/{def.Id}.json", "$.version",
                    $"version {def.Version} of '{def.Id}' is already stored with different content; give the changed definition a new version number"));
            }
        }
        if (errors.Count > 0)
        {
            throw new SeedException(errors);
        }
        await db.SaveChangesAsync(ct);
        lock (gate)
        {
            var versions = new Dictionary<(string, int), WorkflowDefinition>(snapshot.Versions);
            foreach (var row in stored.Where(s => !versions.ContainsKey((s.Id, s.Version))))
            {
                versions[(row.Id, row.Version)] = JsonSerializer.Deserialize<WorkflowDefinition>(row.Json, SeedJson.Options)!;
            }
            snapshot = new Snapshot(versions);
        }
    }
}
