namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// Builds the acceptance application package for an open gate, for the API and the acceptance page alike: the
/// particulars checked, the evidence the reviewed facts cite, the kept copy under the data folder, the audit entry.
/// </summary>
public sealed class PackageService(
    FactStore factStore, AppDbContext db, EvidenceStore store, IOptions<AppOptions> options, IWebHostEnvironment env, TimeProvider clock)
{
    /// <summary>Why no package can be made below the gate (zh-CN), with the shortfall.</summary>
    public static string Refusal(Standing standing) =>
        $"经审核的自评分为{standing.Reviewed.Total:0.##}分"
        + (standing.Gap > 0 ? $"，差{standing.Gap:0.##}分达到{standing.MinScore:0.##}分" : "")
        + (standing.InAcceptancePhase ? "，不能生成验收申请材料。" : "；验收申请只能在总结验收阶段提出。");

    /// <summary>
    /// Writes the package for an open gate: evidence cited by the reviewed facts, the kept copy under the data folder,
    /// the audit entry. Returns the kept file's path and download name. Shared by the API and the acceptance page.
    /// </summary>
    public async Task<(string Path, string Name)> WriteAsync(
        Campaigns.CampaignRecord campaign, Programme programme, Standing standing, PackageRequest body, string actor, CancellationToken ct)
    {
        var dataPath = options.Value.ResolveDataPath(env.ContentRootPath);
        body = Check(body);
        if (!standing.GateOpen)
        {
            throw new DomainException("gate", Refusal(standing), ErrorKind.Conflict);
        }
        var id = campaign.Id;
        using var build = Operations.PackageBuilds.Begin(id);
        var facts = await factStore.FactsAsync(id, "", FactLayer.Reviewed, ct);
        var cited = facts.SelectMany(f => JsonSerializer.Deserialize<List<Guid>>(f.Evidence)!.Select(e => (f.RuleId, e))).ToList();
        var fileIds = cited.Select(c => c.e).Distinct().ToList();
        var files = await db.EvidenceFiles.AsNoTracking().Where(e => fileIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var evidence = cited.DistinctBy(c => (ItemOf(programme, c.RuleId), c.e)).Where(c => files.ContainsKey(c.e)).Select(c =>
        {
            var f = files[c.e];
            var (itemNo, kind) = ItemOf(programme, c.RuleId);
            return new EvidenceEntry(itemNo, f.FileName, f.ContentType, f.Size, f.Sha256, c.RuleId, $"{f.FileName}（{f.UploadedBy}上传）",
                () => store.Open(f.StoredName), kind);
        }).ToList();

        var today = ChinaTime.Today(clock.GetUtcNow());
        var input = new PackageInput(programme, standing.Reviewed,
            new ApplicationInfo(body.Applicant, programme.Header.Gate!.Body, today, body.ContactName, body.ContactPhone, body.Summary), evidence);
        var folder = Path.Combine(dataPath, "packages", id.ToString("N"));
        Directory.CreateDirectory(folder);
        var name = $"验收申请材料-{programme.Id}-{today:yyyyMMdd}.zip";
        var path = Path.Combine(folder, name);
        PackageManifest manifest;
        await using (var file = Operations.PackageBuilds.OpenPart(path + ".part"))
        {
            manifest = await PackageBuilder.WriteAsync(input, file, ct);
        }
        File.Move(path + ".part", path, overwrite: true);
        db.AddAudit(clock.GetUtcNow(), actor, AuditActions.PackageGenerated, AuditEntities.Campaign, id.ToString(),
            after: JsonSerializer.Serialize(new { name, standing.Reviewed.Total, files = manifest.Files.Count }));
        await db.SaveChangesAsync(ct);
        return (path, name);
    }

    /// <summary>The letter's particulars: applicant, contact and phone required, each within its length; trimmed.</summary>
    public static PackageRequest Check(PackageRequest body)
    {
        if (string.IsNullOrWhiteSpace(body.Applicant) || string.IsNullOrWhiteSpace(body.ContactName) || string.IsNullOrWhiteSpace(body.ContactPhone))
        {
            throw new DomainException("applicant", "请填写申报单位、联系人和联系电话。");
        }
        return new PackageRequest(
            Input.Text(body.Applicant, "applicant", required: true, max: Input.NameLength)!,
            Input.Text(body.ContactName, "contactName", required: true, max: Input.NameLength)!,
            Input.Text(body.ContactPhone, "contactPhone", required: true, max: Input.ShortLength)!,
            Input.Text(body.Summary, "summary", required: false, max: Input.SummaryLength));
    }

    private static (int ItemNo, AdjustmentKind? Kind) ItemOf(Programme p, string ruleId)
    {
        if (p.Items.FirstOrDefault(i => i.Rules.Any(r => r.Id == ruleId)) is { } item)
        {
            return (item.No, null);
        }
        var (kind, adjustment) = p.AllAdjustments.First(a => a.Item.Rules.Any(r => r.Id == ruleId));
        return (adjustment.No, kind);
    }
}
