using CreationWorkflow.Core.Programmes.Clauses;
using CreationWorkflow.Core.Programmes.Lists;

namespace CreationWorkflow.Web.Programmes.Import;

public sealed record EntryView(
    string Key, string Label, string Section, int Indicator, string Text, decimal Points, IReadOnlyList<string> Lead, IReadOnlyList<string> Responsible,
    IReadOnlyList<Rule> Rules, IReadOnlyList<ClauseFlag> Flags, SourceRef Source);

public sealed record DraftTotals(decimal BaseMax, decimal Items, int BonusItems, int PenaltyItems, int NegativeItems);

public sealed record DraftView(
    Guid Id, string FileName, string ProgrammeId, string Title, bool NewVersion, IReadOnlyList<Target> Targets, IReadOnlyList<EntryView> Entries,
    IReadOnlyList<DraftUnit> Units, IReadOnlyList<string> Problems, DraftTotals Totals, string ContentHash);

public sealed record PublishedList(string ProgrammeId, int Version, string ContentHash);

public sealed record UnitDecisionInput(string Name, UnitAction Action, string? Target = null, UnitKind? Kind = null, IReadOnlyList<string>? Members = null);

public sealed record UnitDecisions(IReadOnlyList<UnitDecisionInput> Decisions);

public sealed record EntryRules(IReadOnlyList<Rule> Rules);

/// <summary>
/// Import → confirm → publish of a responsibility list (issue 12). The upload is read and checked whole (every fault
/// named by table, row and column; nothing stored on a fault); a good list becomes a draft row (table import_drafts)
/// that the office completes; publishing validates it with the seed loader and stores it as a new programme or a new
/// version of one in one transaction with its audit entry. Campaigns keep the version they started with.
/// </summary>
public sealed partial class ListImportService(AppDbContext db, ProgrammeCatalog catalog, ProgrammeImporter importer, TimeProvider clock)
{
    public async Task<DraftView> UploadAsync(string fileName, Stream content, long length, string? programmeId, string? title, string? baseProgramme, string actor, CancellationToken ct)
    {
        Input.Text(fileName, "file", required: true, max: 200);
        if (length > ListFiles.MaxFileBytes)
        {
            throw new DomainException("file", SheetImport.TooLarge(length, ListFiles.MaxFileBytes), ErrorKind.TooLarge);
        }
        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        var file = ListFiles.Read(fileName, buffer.ToArray());

        var machineHeader = file.Machine.TryGetValue("programme", out var h) ? TryJson<ProgrammeHeader>(h) : null;
        var id = Input.Text(programmeId, "programmeId", required: false, max: 64)?.Trim() is { Length: > 0 } given ? given : machineHeader?.Id
            ?? throw new DomainException("programmeId", "请填写方案编号（如 huanjiang-2024；已有方案的编号即导入为其新版本）。");
        if (!ProgrammeId().IsMatch(id))
        {
            throw new DomainException("programmeId", $"方案编号「{id}」须为2–64位小写字母、数字和连字符。");
        }
        var existing = catalog.Find(id);
        var basis = existing ?? (Input.Text(baseProgramme, "baseProgramme", required: false, max: 64) is { Length: > 0 } b
            ? catalog.Find(b) ?? throw new DomainException("baseProgramme", $"没有方案「{b}」。") : null);
        var directory = basis is null ? new UnitsFile([], []) : new UnitsFile(basis.Units.Units, basis.Units.Groups);
        var known = new UnitDirectory(directory.Units, directory.Groups ?? []);
        var machineUnits = file.Machine.TryGetValue("units", out var u) ? TryJson<UnitsFile>(u) : null;
        var knownNames = machineUnits is null ? known : new UnitDirectory(machineUnits.Units, machineUnits.Groups ?? []);
        var parsed = ResponsibilityList.Parse(file.Table, knownNames.Knows);

        var year = ChinaTime.Today(clock.GetUtcNow()).Year;
        var header = existing?.Header ?? new ProgrammeHeader(id,
            Input.Text(title, "title", required: machineHeader is null, max: 200)?.Trim() ?? machineHeader!.Title,
            new DocumentInfo(), parsed.Entries.Any(e => e.Lead.Count > 0) ? ProgrammeSubject.City : ProgrammeSubject.Unit, 100m,
            [new Phase("annual", "年度考核", $"{year}-01", $"{year}-12", "导入清单时设定的全年阶段，可在工作流程中调整。", new SourceRef(fileName, "导入"))],
            new SourceRef(fileName, "导入"));
        var draft = ListDraft.Build(fileName, parsed, file.Machine, header, directory, existing?.KeyTasks ?? []);
        if (draft.Header.Id != id)
        {
            draft = draft with { Header = draft.Header with { Id = id } };
        }
        var now = clock.GetUtcNow();
        var record = new ImportDraftRecord { Id = Guid.NewGuid(), FileName = fileName, ProgrammeId = id, CreatedBy = actor, CreatedAt = now, UpdatedAt = now, Json = Json(draft) };
        db.ImportDrafts.Add(record);
        db.AddAudit(now, actor, AuditActions.ListImported, AuditEntities.ImportDraft, record.Id.ToString(), null,
            JsonSerializer.Serialize(new { fileName, ProgrammeId = id, Entries = draft.Entries.Count, Units = draft.Units.Count }));
        await db.SaveChangesAsync(ct);
        return View(record, draft);
    }

    public async Task<IReadOnlyList<DraftView>> ListAsync(CancellationToken ct) =>
        [.. (await db.ImportDrafts.AsNoTracking().OrderByDescending(d => d.UpdatedAt).Take(50).ToListAsync(ct)).Select(r => View(r, Draft(r)))];

    public async Task<DraftView?> FindAsync(Guid id, CancellationToken ct) =>
        await db.ImportDrafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) is { } r ? View(r, Draft(r)) : null;

    /// <summary>The office sets an entry's rules (ids are given here, "&lt;key&gt;.n"); its flags are then resolved.</summary>
    public Task<DraftView> SetRulesAsync(Guid id, string key, IReadOnlyList<Rule> rules, string actor, CancellationToken ct) =>
        EditAsync(id, actor, draft =>
        {
            var index = draft.Entries.ToList().FindIndex(e => e.Key == key);
            if (index < 0)
            {
                throw new DomainException("item", $"清单中没有「{key}」。", ErrorKind.NotFound);
            }
            Input.Count(rules, "rules", 20);
            var numbered = rules.Select((r, i) => r with { Id = $"{key}.{i + 1}", Text = Input.Text(r.Text, $"rules[{i}].text", required: true, max: 2000)! }).ToList();
            for (var i = 0; i < numbered.Count; i++)
            {
                Check(numbered[i], $"rules[{i}]");
            }
            var entries = draft.Entries.ToList();
            entries[index] = entries[index] with { Rules = numbered, Flags = [] };
            return draft with { Entries = entries };
        }, ct);

    private static void Check(Rule rule, string field)
    {
        void Positive(decimal? v, string name)
        {
            if (v is { } x)
            {
                Input.Between(x, $"{field}.{name}", 0.01m, 100m);
            }
        }
        switch (rule)
        {
            case CheckRule c: Positive(c.Points, "points"); break;
            case CountRule c: Positive(c.Points, "points"); Input.Between(c.Min, $"{field}.min", 1, 1000); Positive(c.PerMissing, "perMissing"); break;
            case OnceRule o: Positive(o.Points, "points"); break;
            case PerPersonRule p: Positive(p.Points, "points"); Positive(p.PerMissing, "perMissing"); break;
            case PerCaseRule p:
                Positive(p.Points, "points");
                Positive(p.Cap, "cap");
                Input.Count(p.Categories, $"{field}.categories", 20);
                for (var i = 0; i < p.Categories.Count; i++)
                {
                    Positive(p.Categories[i].Points, $"categories[{i}].points");
                    Input.Text(p.Categories[i].Text, $"{field}.categories[{i}].text", required: true, max: 100);
                    Input.Text(p.Categories[i].Id, $"{field}.categories[{i}].id", required: true, max: 16);
                }
                if (p.Points is null && p.Categories.Count == 0)
                {
                    throw new DomainException($"{field}.points", "请填写每例分值或类别。");
                }
                break;
            case LevelRule l:
                Positive(l.Cap, "cap");
                Input.Count(l.Levels, $"{field}.levels", 4);
                if (l.Levels.Count == 0)
                {
                    throw new DomainException($"{field}.levels", "请填写级别分值（如 县级:1，州级:2，省级:3）。");
                }
                for (var i = 0; i < l.Levels.Count; i++)
                {
                    Positive(l.Levels[i].Points, $"levels[{i}].points");
                }
                if (l.Combine is not ("max" or "sum"))
                {
                    throw new DomainException($"{field}.combine", "合计方式须为 max（取最高）或 sum（累加）。");
                }
                break;
            case StaffCountRule c:
                Positive(c.Points, "points");
                Positive(c.PerMissing, "perMissing");
                Input.Count(c.Requirements, $"{field}.requirements", 20);
                if (c.Requirements.Count == 0)
                {
                    throw new DomainException($"{field}.requirements", "请填写人数档次（如 1-10:5，11-30:15，31-:20）。");
                }
                for (var i = 0; i < c.Requirements.Count; i++)
                {
                    var q = c.Requirements[i];
                    Input.Between(q.MinStaff, $"{field}.requirements[{i}].minStaff", 0, FactsValidator.MaxPeople);
                    Input.Between(q.MaxStaff ?? q.MinStaff, $"{field}.requirements[{i}].maxStaff", q.MinStaff, FactsValidator.MaxPeople);
                    Input.Between(q.Required, $"{field}.requirements[{i}].required", 1, FactsValidator.MaxCount);
                }
                break;
            case TierRule t:
                for (var i = 0; i < t.Tiers.Count; i++)
                {
                    Positive(t.Tiers[i].Points, $"tiers[{i}].points");
                    Input.Between(t.Tiers[i].Min, $"{field}.tiers[{i}].min", 0m, 100m);
                }
                break;
        }
    }

    /// <summary>The office's answers for names the directory does not know (a spelling of a known one, a new unit, a new group and its members).</summary>
    public Task<DraftView> SetUnitsAsync(Guid id, IReadOnlyList<UnitDecisionInput> decisions, string actor, CancellationToken ct) =>
        EditAsync(id, actor, draft =>
        {
            Input.Count(decisions, "decisions", 500);
            var known = new UnitDirectory(draft.Directory.Units, draft.Directory.Groups ?? []);
            var units = draft.Units.ToList();
            for (var i = 0; i < decisions.Count; i++)
            {
                var d = decisions[i];
                var at = units.FindIndex(u => u.Name == d.Name);
                if (at < 0)
                {
                    throw new DomainException($"decisions[{i}].name", $"「{d.Name}」不是本清单待确认的单位。");
                }
                if (d.Action == UnitAction.Alias && (d.Target is null || !known.Knows(d.Target)))
                {
                    throw new DomainException($"decisions[{i}].target", $"单位名录中没有「{d.Target}」。");
                }
                if (d.Action == UnitAction.Group)
                {
                    var members = Input.Count(d.Members ?? [], $"decisions[{i}].members", 500);
                    var creating = decisions.Where(x => x.Action == UnitAction.Create).Select(x => x.Name).ToHashSet();
                    if (members.Count == 0)
                    {
                        throw new DomainException($"decisions[{i}].members", $"请为单位组「{d.Name}」选择成员单位。");
                    }
                    if (members.FirstOrDefault(m => known.FindUnit(m) is null && !creating.Contains(m)) is { } bad)
                    {
                        throw new DomainException($"decisions[{i}].members", $"成员「{bad}」不是单位名录中的单位。");
                    }
                }
                units[at] = units[at] with { Decision = new UnitDecision(d.Action, d.Target, d.Kind, d.Members) };
            }
            return draft with { Units = units };
        }, ct);

    private async Task<DraftView> EditAsync(Guid id, string actor, Func<ListDraft, ListDraft> change, CancellationToken ct)
    {
        var record = await db.ImportDrafts.SingleOrDefaultAsync(d => d.Id == id, ct) ?? throw NotFound();
        var before = Draft(record);
        var after = change(before);
        record.Json = Json(after);
        record.UpdatedAt = clock.GetUtcNow();
        db.AddAudit(record.UpdatedAt, actor, AuditActions.ListDraftEdited, AuditEntities.ImportDraft, id.ToString(),
            JsonSerializer.Serialize(new { Problems = before.Problems().Count }), JsonSerializer.Serialize(new { Problems = after.Problems().Count }));
        await db.SaveChangesAsync(ct);
        return View(record, after);
    }

    public async Task DiscardAsync(Guid id, string actor, CancellationToken ct)
    {
        var record = await db.ImportDrafts.SingleOrDefaultAsync(d => d.Id == id, ct) ?? throw NotFound();
        db.ImportDrafts.Remove(record);
        db.AddAudit(clock.GetUtcNow(), actor, AuditActions.ListDraftDiscarded, AuditEntities.ImportDraft, id.ToString(), JsonSerializer.Serialize(new { record.FileName }), null);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Publishes the draft: refused while anything is unconfirmed; the files are validated by the seed loader; the
    /// version, units, memberships and audit entry are stored and the draft removed in one transaction.
    /// </summary>
    public async Task<PublishedList> PublishAsync(Guid id, string actor, CancellationToken ct)
    {
        var record = await db.ImportDrafts.SingleOrDefaultAsync(d => d.Id == id, ct) ?? throw NotFound();
        var draft = Draft(record);
        if (draft.Problems() is { Count: > 0 } problems)
        {
            throw new DomainException("draft", $"尚有 {problems.Count} 处待处理，未发布：{problems[0]}", ErrorKind.Conflict);
        }
        Programme programme;
        try
        {
            programme = SeedLoader.LoadFiles(draft.Header.Id, "导入清单", draft.Files());
        }
        catch (SeedException e)
        {
            throw new DomainException("draft", "方案校验未通过：" + string.Join("；", e.Errors.Take(5)), ErrorKind.Conflict);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var version = await importer.StoreAsync(programme, actor, ct);
        db.ImportDrafts.Remove(record);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        catalog.Publish(programme, version);
        return new PublishedList(programme.Id, version, programme.ContentHash);
    }

    /// <summary>The programme as an XLSX list in the import layout, with the 规则 sheet (see docs/list-format.md).</summary>
    public static byte[] Export(Programme p, string actor, DateOnly date)
    {
        var export = ListExport.Of(p);
        var sheet = new SheetWriter("测评指标责任清单", [14, 14, 60, 8, 18, 22, 12]);
        sheet.Row(SheetCell.Of(p.Header.Title + " 测评指标责任清单", SheetStyle.Title));
        sheet.Merge(1, 0, 1, ResponsibilityList.Columns.Count - 1);
        sheet.Row([.. ResponsibilityList.Columns.Select(c => SheetCell.Of(c, SheetStyle.Header))]);
        const int first = 3;
        foreach (var r in export.Rows)
        {
            sheet.Row(SheetCell.Of(r.Target), SheetCell.Of(r.Indicator), SheetCell.Of(r.Content),
                r.Points is { } pts ? SheetCell.Of(pts, SheetStyle.Centre) : SheetCell.Of(""), SheetCell.Of(r.Lead), SheetCell.Of(r.Responsible), SheetCell.Of(r.Method));
        }
        foreach (var (from, to, col) in export.Merges)
        {
            sheet.Merge(first + from, col, first + to, col);
        }
        sheet.Extra(ListDraft.RulesSheet, [.. export.Machine.Select(m => (IReadOnlyList<string>)[m.Key, m.Json])]);
        return sheet.Save(p.Header.Title, actor, date, 2);
    }

    private static DomainException NotFound() => new("draft", "没有这份导入草稿（已发布或已放弃）。", ErrorKind.NotFound);

    private static T? TryJson<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, SeedJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Json(ListDraft draft) => JsonSerializer.Serialize(draft, SeedJson.Options);

    private static ListDraft Draft(ImportDraftRecord r) => JsonSerializer.Deserialize<ListDraft>(r.Json, SeedJson.Options)!;

    private DraftView View(ImportDraftRecord r, ListDraft d) => new(
        r.Id, r.FileName, d.Header.Id, d.Header.Title, catalog.Find(d.Header.Id) is not null, d.Targets,
        [.. d.Entries.Select(e => new EntryView(e.Key, ListDraft.LabelOf(e), e.Section.ToString().ToLowerInvariant(), e.Indicator, e.Text, e.Points, e.Lead, e.Responsible, e.Rules, e.Flags, e.Source))],
        d.Units, d.Problems(),
        new DraftTotals(d.Header.BaseMax, d.Items.Sum(i => i.Points), d.Entries.Count(e => e.Section == ListSection.Bonus),
            d.Entries.Count(e => e.Section == ListSection.Penalty), d.Entries.Count(e => e.Section == ListSection.Negative)),
        ProgrammeContent.Hash(d.Files()));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex ProgrammeId();
}
