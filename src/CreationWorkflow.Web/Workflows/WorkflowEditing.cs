using CreationWorkflow.Web.Jobs;

namespace CreationWorkflow.Web.Workflows;

/// <summary>An edited definition the loader refused: every fault under its JSON path (<c>$.steps[2].due.workingDays</c>), zh-CN.</summary>
public sealed class WorkflowRejectedException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The workflow definition was refused: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static WorkflowRejectedException Of(IEnumerable<SeedError> errors) =>
        new(errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()));

    public static WorkflowRejectedException Of(string path, string reason) => new(new Dictionary<string, string[]> { [path] = [reason] });
}

/// <summary>
/// Saves an edited workflow definition as a new version: checked by <see cref="WorkflowLoader.Parse"/> exactly as a file is
/// (same zh-CN reasons, by JSON path), numbered after the newest stored version, stored with its audit entry in one transaction
/// and served by the <see cref="WorkflowCatalog"/> at once. Running campaigns stay on their version until the office migrates them.
/// </summary>
public sealed class WorkflowEditing(AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes, BulletinScheduler bulletins,
    TimeProvider clock, ILogger<WorkflowEditing> log)
{
    /// <summary>The longest definition accepted (the shipped ones are about 10 KB).</summary>
    public const int MaxJsonLength = 512 * 1024;

    /// <summary>The definition as the office edits it: indented JSON (its version is replaced by the next number on save).</summary>
    public static string Json(WorkflowDefinition d) => JsonSerializer.Serialize(d, SeedJson.Options);

    /// <summary>
    /// Stores <paramref name="json"/> as the next version of <paramref name="id"/> (version 1 of a new definition), or throws
    /// <see cref="WorkflowRejectedException"/> with every fault; nothing is stored then. The body's own version number is ignored.
    /// </summary>
    public async Task<WorkflowDefinition> SaveAsync(string id, string json, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw WorkflowRejectedException.Of("$", "请填写流程定义。");
        }
        if (json.Length > MaxJsonLength)
        {
            throw WorkflowRejectedException.Of("$", $"流程定义过长（超过 {MaxJsonLength / 1024} KB）。");
        }
        await workflows.RefreshAsync(db, ct);
        var latest = workflows.Latest(id);
        var errors = new List<SeedError>();
        var edited = WorkflowLoader.Parse(json, $"流程 {id}", programmes.All.ToDictionary(p => p.Id), errors, workflows.Cron);
        if (edited is not null && edited.Id != id)
        {
            errors.Add(new SeedError($"流程 {id}", "$.id", $"流程编号须为「{id}」（与所编辑的流程一致）；另起流程请换用新的地址。"));
        }
        if (edited is not null && latest is not null && edited.Programme != latest.Programme)
        {
            errors.Add(new SeedError($"流程 {id}", "$.programme", $"不能更改流程所属的创建方案（{latest.Programme}）。"));
        }
        if (errors.Count > 0 || edited is null)
        {
            throw WorkflowRejectedException.Of(errors);
        }
        if (latest is not null && WorkflowCatalog.Stored(edited with { Version = latest.Version }).Hash == WorkflowCatalog.Stored(latest).Hash)
        {
            throw WorkflowRejectedException.Of("$", $"与第{latest.Version}版完全相同，没有保存新版本。");
        }
        var next = (await db.WorkflowDefinitions.Where(w => w.Id == id).MaxAsync(w => (int?)w.Version, ct) ?? 0) + 1;
        var saved = edited with { Version = next };
        var (stored, hash) = WorkflowCatalog.Stored(saved);
        var now = clock.GetUtcNow();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.WorkflowDefinitions.Add(new WorkflowDefinitionRecord { Id = id, Version = next, ContentHash = hash, Json = stored, LoadedAt = now });
            db.AddAudit(now, actor, AuditActions.WorkflowVersionSaved, AuditEntities.Workflow, $"{id}@{next}",
                after: JsonSerializer.Serialize(new { Id = id, Version = next, Hash = hash, BasedOn = latest?.Version }));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                db.ChangeTracker.Clear();
                throw new DomainException("$", $"流程 {id} 第{next}版刚由他人保存，请刷新后在新版本上修改。", ErrorKind.Conflict);
            }
            await tx.CommitAsync(ct);
        }
        workflows.Add(saved);
        try
        {
            await bulletins.EnsureScheduledAsync(ct); // a bulletin section gets its trigger now, as the files' get theirs at start-up
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Workflow {Id} v{Version} saved but its bulletin trigger could not be stored; it is scheduled at the next start-up", id, next);
        }
        return saved;
    }
}
