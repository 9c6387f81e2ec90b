using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreationWorkflow.Core.Seeding;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Data;
using Microsoft.EntityFrameworkCore;
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
        b.Property(w => w.ContentHash).HasMaxLength(64);
    }
}

/// <summary>
/// The workflow definitions: the files in workflows/ (validated at start-up) plus every version stored before.
/// A file whose content changed without a new version number is refused: a running campaign's version is immutable.
/// </summary>
public sealed class WorkflowCatalog(IReadOnlyList<WorkflowDefinition> files)
{
    private readonly ConcurrentDictionary<(string, int), WorkflowDefinition> versions = new(files.ToDictionary(d => (d.Id, d.Version)));

    /// <summary>The newest version of each definition: in workflows/, stored, or added while running (<see cref="Add"/>).</summary>
    public IReadOnlyList<WorkflowDefinition> Current =>
        [.. versions.Values.GroupBy(d => d.Id).Select(g => g.MaxBy(d => d.Version)!).OrderBy(d => d.Id, StringComparer.Ordinal)];

    /// <summary>
    /// Makes a definition made while running (the generic workflow of an imported programme) available, as a stored one
    /// is after <see cref="SyncAsync"/>; the caller stores its row in the same transaction as its audit entry.
    /// </summary>
    public void Add(WorkflowDefinition definition)
    {
        if (!versions.TryAdd((definition.Id, definition.Version), definition))
        {
            throw new InvalidOperationException($"workflow {definition} is already loaded");
        }
    }

    /// <summary>The row that stores <paramref name="definition"/> (its JSON and content hash), as <see cref="SyncAsync"/> writes it.</summary>
    public static WorkflowDefinitionRecord Record(WorkflowDefinition definition, DateTimeOffset now)
    {
        var json = JsonSerializer.Serialize(definition, SeedJson.Options);
        return new WorkflowDefinitionRecord { Id = definition.Id, Version = definition.Version, ContentHash = Hash(json), Json = json, LoadedAt = now };
    }

    private static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    public WorkflowDefinition? Latest(string id) => Current.FirstOrDefault(d => d.Id == id);

    public WorkflowDefinition? ForProgramme(string programmeId) => Current.FirstOrDefault(d => d.Programme == programmeId);

    public WorkflowDefinition Get(string id, int version) =>
        versions.TryGetValue((id, version), out var d) ? d : throw new KeyNotFoundException($"workflow {id} v{version} is not loaded");

    public bool TryGet(string id, int version, out WorkflowDefinition definition) => versions.TryGetValue((id, version), out definition!);

    /// <summary>Every loaded version (the files and, after <see cref="SyncAsync"/>, the older stored ones).</summary>
    public IEnumerable<WorkflowDefinition> Versions => versions.Values;

    /// <summary>Stores new versions and loads older stored ones, so campaigns on them keep running. One transaction.</summary>
    public async Task SyncAsync(AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var stored = await db.WorkflowDefinitions.ToListAsync(ct);
        var errors = new List<SeedError>();
        foreach (var def in files)
        {
            var json = JsonSerializer.Serialize(def, SeedJson.Options);
            var hash = Hash(json);
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
        foreach (var row in stored.Where(s => !versions.ContainsKey((s.Id, s.Version))))
        {
            versions[(row.Id, row.Version)] = JsonSerializer.Deserialize<WorkflowDefinition>(row.Json, SeedJson.Options)!;
        }
        await db.SaveChangesAsync(ct);
    }
}
