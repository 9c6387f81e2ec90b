namespace CreationWorkflow.Web.Programmes;

/// <summary>
/// Stores validated programmes: a new programme or a changed definition becomes a new version, its unit
/// directory and group memberships are added, all in one transaction with its audit entries. Unchanged
/// definitions are left alone, and memberships the office has edited are never overwritten.
/// </summary>
public sealed class ProgrammeImporter(AppDbContext db, TimeProvider clock, ILogger<ProgrammeImporter> log)
{
    public const string SystemActor = "system:seed";

    public async Task ImportAsync(IReadOnlyList<Programme> programmes, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var programme in programmes)
        {
            await ImportOneAsync(programme, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private Task ImportOneAsync(Programme programme, CancellationToken ct) => StoreAsync(programme, SystemActor, ct);

    /// <summary>
    /// Stores <paramref name="programme"/> as a new version (with its content, so it can be loaded again) unless a
    /// version with the same content hash exists; adds its units and group memberships; audits. Saving is the caller's.
    /// Returns the version now in force for it.
    /// </summary>
    public async Task<int> StoreAsync(Programme programme, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = await db.Programmes.Include(p => p.Versions).SingleOrDefaultAsync(p => p.Id == programme.Id, ct);
        var known = record?.Versions.FirstOrDefault(v => v.ContentHash == programme.ContentHash);
        if (known is not null)
        {
            if (actor != SystemActor && record!.CurrentVersion != known.Version)
            {
                throw new Infrastructure.DomainException("programme", $"方案「{programme.Id}」已有内容完全相同的第{known.Version}版。", Infrastructure.ErrorKind.Conflict);
            }
            return known.Version;
        }
        var before = record is null ? null : JsonSerializer.Serialize(new { record.CurrentVersion });
        if (record is null)
        {
            record = new ProgrammeRecord { Id = programme.Id, Title = programme.Header.Title };
            db.Programmes.Add(record);
        }
        var version = record.Versions.Count == 0 ? 1 : record.Versions.Max(v => v.Version) + 1;
        record.Title = programme.Header.Title;
        record.DocumentNumber = programme.Header.Document.Number;
        record.CurrentVersion = version;
        record.Versions.Add(new ProgrammeVersionRecord
        {
            ProgrammeId = programme.Id, Version = version, ContentHash = programme.ContentHash, LoadedAt = now,
            Content = ProgrammeContent.Pack(ProgrammeContent.Files(programme)),
        });

        var units = await db.Units.Where(u => u.ProgrammeId == programme.Id).ToDictionaryAsync(u => u.Name, ct);
        foreach (var unit in programme.Units.Units)
        {
            if (!units.TryGetValue(unit.Name, out var row))
            {
                db.Units.Add(new UnitRecord { ProgrammeId = programme.Id, Name = unit.Name, Kind = unit.Kind, Code = unit.Code, FullName = unit.FullName });
            }
            else
            {
                (row.Kind, row.Code, row.FullName) = (unit.Kind, unit.Code, unit.FullName);
            }
        }
        var groupsWithRows = (await db.UnitGroupMembers.Where(m => m.ProgrammeId == programme.Id)
            .Select(m => m.GroupName).Distinct().ToListAsync(ct)).ToHashSet();
        foreach (var group in programme.Units.Groups.Where(g => !groupsWithRows.Contains(g.Name)))
        {
            foreach (var member in programme.Units.Expand(group.Name))
            {
                db.UnitGroupMembers.Add(new UnitGroupMemberRecord
                {
                    ProgrammeId = programme.Id, GroupName = group.Name, UnitName = member.Name, Assumed = group.Assumption is not null,
                });
            }
        }
        db.AddAudit(now, actor, version == 1 ? AuditActions.ProgrammeLoaded : AuditActions.ProgrammeVersioned, AuditEntities.Programme, programme.Id,
            before, JsonSerializer.Serialize(new { CurrentVersion = version, programme.ContentHash, Items = programme.Items.Count, Units = programme.Units.Units.Count }));
        log.LogInformation("Programme {Programme} stored as version {Version} ({Items} items, {Units} units)",
            programme.Id, version, programme.Items.Count, programme.Units.Units.Count);
        return version;
    }

    /// <summary>
    /// After the seed is stored: every stored version with content is loaded into the catalog, and where the version in
    /// force is a published one (not the seed's content), it replaces the seed programme of that id.
    /// </summary>
    public async Task LoadPublishedAsync(ProgrammeCatalog catalog, CancellationToken ct)
    {
        var records = await db.Programmes.AsNoTracking().Select(p => new { p.Id, p.CurrentVersion }).ToListAsync(ct);
        var stored = await db.ProgrammeVersions.AsNoTracking().Where(v => v.Content != null)
            .Select(v => new { v.ProgrammeId, v.Version, v.ContentHash, v.Content }).ToListAsync(ct);
        foreach (var v in stored)
        {
            var inForce = records.Any(r => r.Id == v.ProgrammeId && r.CurrentVersion == v.Version) && catalog.Find(v.ProgrammeId)?.ContentHash != v.ContentHash;
            try
            {
                var programme = SeedLoader.LoadFiles(v.ProgrammeId, $"db:{v.ProgrammeId}/v{v.Version}", ProgrammeContent.Unpack(v.Content!));
                catalog.Publish(programme, v.Version, inForce);
            }
            catch (SeedException e)
            {
                // A version stored under older checks stays stored; it is not served (the seed or a later version is).
                log.LogWarning("Programme {Programme} version {Version} is stored but no longer loads: {Errors}", v.ProgrammeId, v.Version, e.Message);
            }
        }
    }
}
