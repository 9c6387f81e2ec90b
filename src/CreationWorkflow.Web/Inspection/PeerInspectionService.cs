using CreationWorkflow.Core.Inspection;

namespace CreationWorkflow.Web.Inspection;

public sealed record PairRequest(string Inspector, string Inspected);

public sealed record RectifyRequest(string Requirement, DateOnly RectifyBy);

public sealed record CancelInspectionRequest(string? Reason);

/// <summary>
/// 互观互检: the office pairs two units (or lets <see cref="PeerPairing"/> pair the units leading items so that no pair shares
/// one); each unit gets a peer-inspection task per item the other leads, with a checklist from the item's rules and methods
/// (<see cref="EvidencePlan.Checklist"/>). The inspecting unit records each line 符合/不符合 with a note and photos (the evidence
/// upload checks) and submits; the findings show on the item page; the office turns a 不符合 finding into a 督办单
/// (<see cref="SupervisionService.IssueAsync"/>) for the inspected unit, and closes the inspection. Each change is one
/// transaction with its audit entry; a refusal stores nothing.
/// </summary>
public sealed class PeerInspectionService(AppDbContext db, TimeProvider clock, CampaignLoader loader, SupervisionService supervision, EvidenceStore store)
{
    /// <summary>The items a unit leads in the programme (expanded lead groups), by number.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<int>> LeadItems(Programme programme)
    {
        var items = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var item in programme.Items)
        {
            foreach (var unit in programme.Units.ExpandAll(item.LeadUnits))
            {
                (items.TryGetValue(unit.Name, out var set) ? set : items[unit.Name] = []).Add(item.No);
            }
        }
        return items.ToDictionary(i => i.Key, i => (IReadOnlySet<int>)i.Value, StringComparer.Ordinal);
    }

    public static IReadOnlyList<ChecklistLine> ChecklistOf(Programme programme, string item) =>
        EvidencePlan.Checklist(programme.MethodsOf(item), programme.RulesOf(item) ?? []);

    /// <summary>The office pairs two units: each inspects the items the other leads.</summary>
    public async Task<IReadOnlyList<PeerInspectionRecord>> PairAsync(Guid campaignId, PairRequest request, string actor, CancellationToken ct)
    {
        var inspector = Input.Text(request.Inspector, "inspector", required: true, max: Input.NameLength)!;
        var inspected = Input.Text(request.Inspected, "inspected", required: true, max: Input.NameLength)!;
        if (PeerPairing.Refusal(inspector, inspected) is { } refusal)
        {
            throw new DomainException("inspected", refusal);
        }
        var (campaign, programme) = await loader.LoadAsync(campaignId, ct);
        var leads = LeadItems(programme);
        foreach (var (field, unit) in new[] { ("inspector", inspector), ("inspected", inspected) })
        {
            if (!leads.ContainsKey(unit))
            {
                throw new DomainException(field, $"「{unit}」不是本创建活动中牵头测评内容的单位，不能参加互观互检。");
            }
        }
        return await CreateAsync(campaign, programme, [new PeerPair(inspector, inspected), new PeerPair(inspected, inspector)], actor, ct);
    }

    /// <summary>The system pairs every unit leading items (<see cref="PeerPairing.Pair"/>): units that share no items.</summary>
    public async Task<(IReadOnlyList<PeerInspectionRecord> Created, IReadOnlyList<string> Unpaired)> AutoPairAsync(Guid campaignId, string actor, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(campaignId, ct);
        var result = PeerPairing.Pair(LeadItems(programme));
        return (await CreateAsync(campaign, programme, result.Pairs, actor, ct), result.Unpaired);
    }

    /// <summary>Why the office cannot assign peer inspections in the campaign now (<see cref="PeerInspectionWindow"/>); null in the self-check phase.</summary>
    public string? PhaseRefusal(CampaignRecord campaign, Programme programme) =>
        PeerInspectionWindow.Refusal(programme.Header.Gate?.Phase, [.. campaign.Phases.Select(p => new PhaseWindow(p.PhaseId, p.Name, p.Start, p.End))],
            ChinaTime.Today(clock.GetUtcNow()));

    private async Task<IReadOnlyList<PeerInspectionRecord>> CreateAsync(CampaignRecord campaign, Programme programme, IReadOnlyList<PeerPair> pairs, string actor, CancellationToken ct)
    {
        if (PhaseRefusal(campaign, programme) is { } refusal)
        {
            throw new DomainException("phase", refusal, ErrorKind.Conflict);
        }
        var campaignId = campaign.Id;
        var leads = LeadItems(programme);
        var existing = (await db.PeerInspections.Where(i => i.CampaignId == campaignId)
            .Select(i => new { i.Inspector, i.Inspected, i.Item }).ToListAsync(ct)).Select(i => (i.Inspector, i.Inspected, i.Item)).ToHashSet();
        var now = clock.GetUtcNow();
        var created = new List<PeerInspectionRecord>();
        foreach (var pair in pairs)
        {
            foreach (var no in leads[pair.Inspected].Order())
            {
                var key = no.ToString(CultureInfo.InvariantCulture);
                if (existing.Contains((pair.Inspector, pair.Inspected, key)))
                {
                    continue;
                }
                var inspection = new PeerInspectionRecord
                {
                    Id = Guid.CreateVersion7(now), CampaignId = campaignId, Inspector = pair.Inspector, Inspected = pair.Inspected, Item = key,
                    State = PeerInspectionState.Assigned, AssignedBy = actor, AssignedAt = now,
                };
                db.PeerInspections.Add(inspection);
                Audit(inspection, AuditActions.PeerInspectionAssigned, actor, now, null);
                created.Add(inspection);
            }
        }
        if (created.Count == 0)
        {
            throw new DomainException("inspector", "这些单位之间的互观互检任务已经派发，没有新的任务。", ErrorKind.Conflict);
        }
        var phase = campaign.Phases.Single(p => p.PhaseId == programme.Header.Gate!.Phase).Name;
        foreach (var group in created.GroupBy(i => (i.Inspector, i.Inspected)))
        {
            // One notice per inspecting unit and unit inspected, naming every item it now inspects.
            var first = group.First();
            Notify(first, NotificationKind.PeerInspectionAssigned, "assigned", Recipients.ForUnit(first.Inspector), campaign.ProgrammeId,
                ReminderTexts.PeerInspectionAssigned(first.Inspector, first.Inspected, [.. group.Select(i => PeerInspectionQuery.ItemLabel(programme, i.Item))], phase),
                $"/campaigns/{campaignId}/peer-inspections", now);
        }
        await db.SaveChangesAsync(ct);
        return created;
    }

    /// <summary>The inspecting unit records one checklist line (again while in progress): 符合/不符合, a note (required for 不符合), photos.</summary>
    public async Task<PeerInspectionRecord> RecordAsync(Guid id, string unit, string ruleId, string? verdict, string? note, IReadOnlyList<IFormFile>? files, string actor, CancellationToken ct)
    {
        var text = Input.Text(note, "note", required: false);
        var uploads = files ?? [];
        store.Validate(uploads);
        var judged = verdict switch
        {
            "conforms" => PeerVerdict.Conforms,
            "doesNotConform" => PeerVerdict.DoesNotConform,
            _ => throw new DomainException("verdict", "检查结论须为 conforms（符合）或 doesNotConform（不符合）。"),
        };
        if (judged == PeerVerdict.DoesNotConform && string.IsNullOrWhiteSpace(text))
        {
            throw new DomainException("note", "不符合须写明问题。");
        }
        var inspection = await FindAsync(id, ct);
        if (inspection.Inspector != unit)
        {
            throw NotFound();
        }
        var (_, programme) = await loader.LoadAsync(inspection.CampaignId, ct);
        if (ChecklistOf(programme, inspection.Item).All(l => l.RuleId != ruleId))
        {
            throw new DomainException("ruleId", $"规则「{ruleId}」不在第{inspection.Item}项的检查清单中。", ErrorKind.NotFound);
        }
        var lifecycle = Lifecycle(inspection);
        if (!lifecycle.CanFire(PeerInspectionTrigger.Record))
        {
            throw new DomainException("state", $"该互查任务当前状态为「{PeerInspectionLifecycle.Chinese(inspection.State)}」，不能再填写检查清单。", ErrorKind.Conflict);
        }
        return await store.KeepingAsync(uploads, async stored =>
        {
            var now = clock.GetUtcNow();
            var before = Snapshot(inspection);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var line = inspection.Lines.SingleOrDefault(l => l.RuleId == ruleId);
            if (line is null)
            {
                line = new PeerFindingRecord { Id = Guid.CreateVersion7(now), InspectionId = inspection.Id, RuleId = ruleId, RecordedBy = actor };
                inspection.Lines.Add(line);
                db.PeerFindings.Add(line);
            }
            (line.Verdict, line.Note, line.RecordedBy, line.RecordedAt) = (judged, text, actor, now);
            foreach (var f in stored)
            {
                var photo = new PeerPhotoRecord { FindingId = line.Id }.Of(f, actor, now);
                line.Photos.Add(photo);
                db.PeerPhotos.Add(photo);
            }
            lifecycle.Fire(PeerInspectionTrigger.Record);
            inspection.Revision++;
            Audit(inspection, AuditActions.PeerInspectionRecorded, actor, now, before);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return inspection;
        }, ct);
    }

    /// <summary>The inspecting unit submits once every checklist line is recorded; the findings then show on the item's review.</summary>
    public async Task<PeerInspectionRecord> SubmitAsync(Guid id, string unit, string actor, CancellationToken ct)
    {
        var inspection = await FindAsync(id, ct);
        if (inspection.Inspector != unit)
        {
            throw NotFound();
        }
        var (_, programme) = await loader.LoadAsync(inspection.CampaignId, ct);
        var open = ChecklistOf(programme, inspection.Item).Where(l => inspection.Lines.All(f => f.RuleId != l.RuleId)).Select(l => l.RuleId).ToList();
        if (open.Count > 0)
        {
            throw new DomainException("lines", $"检查清单尚有{open.Count}条未填写：规则{string.Join("、", open)}。");
        }
        return await MoveAsync(inspection, PeerInspectionTrigger.Submit, AuditActions.PeerInspectionSubmitted, actor, i =>
        {
            i.SubmittedAt = clock.GetUtcNow();
            var (item, failing) = (PeerInspectionQuery.ItemLabel(programme, i.Item), i.Lines.Count(l => l.Verdict == PeerVerdict.DoesNotConform));
            // The inspected unit reads the findings on its item's review; the office handles them on the inspection.
            foreach (var (recipient, link) in new[] { (Recipients.ForUnit(i.Inspected), $"/campaigns/{i.CampaignId}/assessment/items/{i.Item}"), (Recipients.Office, $"/peer-inspections/{i.Id}") })
            {
                Notify(i, NotificationKind.PeerInspectionSubmitted, "submitted", recipient, programme.Header.Id,
                    ReminderTexts.PeerInspectionSubmitted(recipient, i.Inspector, i.Inspected, item, i.Lines.Count, failing), link, i.SubmittedAt.Value);
            }
        }, ct);
    }

    /// <summary>
    /// The office cancels an open inspection (待检查, 检查中) with a reason; the inspecting unit is told. A submitted or closed one
    /// is refused (409): its findings are already on the item's review.
    /// </summary>
    public async Task<PeerInspectionRecord> CancelAsync(Guid id, CancelInspectionRequest request, string actor, CancellationToken ct)
    {
        var reason = Input.Text(request.Reason, "reason", required: true)!;
        var inspection = await FindAsync(id, ct);
        var (_, programme) = await loader.LoadAsync(inspection.CampaignId, ct);
        return await MoveAsync(inspection, PeerInspectionTrigger.Cancel, AuditActions.PeerInspectionCancelled, actor, i =>
        {
            (i.CancelledAt, i.CancelReason) = (clock.GetUtcNow(), reason);
            Notify(i, NotificationKind.PeerInspectionCancelled, "cancelled", Recipients.ForUnit(i.Inspector), programme.Header.Id,
                ReminderTexts.PeerInspectionCancelled(i.Inspector, i.Inspected, PeerInspectionQuery.ItemLabel(programme, i.Item), reason),
                $"/peer-inspections/{i.Id}", i.CancelledAt.Value);
        }, ct);
    }

    /// <summary>The office closes a submitted inspection.</summary>
    public async Task<PeerInspectionRecord> CloseAsync(Guid id, string actor, CancellationToken ct) =>
        await MoveAsync(await FindAsync(id, ct), PeerInspectionTrigger.Close, AuditActions.PeerInspectionClosed, actor, i => i.ClosedAt = clock.GetUtcNow(), ct);

    private async Task<PeerInspectionRecord> MoveAsync(PeerInspectionRecord inspection, PeerInspectionTrigger trigger, string action, string actor,
        Action<PeerInspectionRecord> stamp, CancellationToken ct)
    {
        var lifecycle = Lifecycle(inspection);
        if (!lifecycle.CanFire(trigger))
        {
            throw new DomainException("state", $"该互查任务当前状态为「{PeerInspectionLifecycle.Chinese(inspection.State)}」，不能{TriggerName(trigger)}。", ErrorKind.Conflict);
        }
        var before = Snapshot(inspection);
        lifecycle.Fire(trigger);
        stamp(inspection);
        inspection.Revision++;
        Audit(inspection, action, actor, clock.GetUtcNow(), before);
        await db.SaveChangesAsync(ct); // the state and its audit entry: one save, one transaction
        return inspection;
    }

    /// <summary>
    /// The office turns a submitted 不符合 finding into a rectification task: a 督办单 (the supervision machinery itself) to the
    /// inspected unit for its open work on the item, the finding linked to it; one transaction with both audit entries.
    /// </summary>
    public async Task<SupervisionOrderRecord> RectifyAsync(Guid id, Guid findingId, RectifyRequest request, string actor, CancellationToken ct)
    {
        Input.Text(request.Requirement, "requirement", required: false);
        var today = ChinaTime.Today(clock.GetUtcNow());
        Input.Within(request.RectifyBy, "rectifyBy", today.AddDays(1), today.AddYears(1), "自明天起一年");
        var inspection = await FindAsync(id, ct);
        var finding = inspection.Lines.SingleOrDefault(l => l.Id == findingId) ?? throw new DomainException("findingId", "检查发现不存在。", ErrorKind.NotFound);
        if (inspection.State is not (PeerInspectionState.Submitted or PeerInspectionState.Closed))
        {
            throw new DomainException("state", "互查任务提交后才能据其发现督办整改。", ErrorKind.Conflict);
        }
        if (finding.Verdict != PeerVerdict.DoesNotConform)
        {
            throw new DomainException("findingId", "只有“不符合”的检查发现才能督办整改。", ErrorKind.Conflict);
        }
        if (finding.OrderId is not null)
        {
            throw new DomainException("findingId", "该检查发现已督办整改。", ErrorKind.Conflict);
        }
        var itemNo = int.Parse(inspection.Item, CultureInfo.InvariantCulture);
        var open = db.Assignments.Where(a => a.CampaignId == inspection.CampaignId && a.Unit == inspection.Inspected
            && a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled);
        var work = await open.Where(a => a.ItemNo == itemNo).OrderBy(a => a.DueDate).Select(a => a.Id).Take(20).ToListAsync(ct);
        if (work.Count == 0)
        {
            work = await open.Where(a => a.ItemNo == null && db.ReportLines.Any(l => l.AssignmentId == a.Id && l.ItemNo == itemNo))
                .OrderBy(a => a.DueDate).Select(a => a.Id).Take(20).ToListAsync(ct);
        }
        if (work.Count == 0)
        {
            throw new DomainException("findingId", $"{inspection.Inspected}在本创建活动中没有第{inspection.Item}项的未办结任务，无法督办。", ErrorKind.Conflict);
        }
        var requirement = string.IsNullOrWhiteSpace(request.Requirement)
            ? $"互观互检（{inspection.Inspector}检查）第{inspection.Item}项规则{finding.RuleId}不符合：{finding.Note}。请整改。"
            : request.Requirement;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var order = await supervision.IssueAsync(new IssueOrderRequest(inspection.CampaignId, inspection.Inspected, work, requirement, request.RectifyBy), actor, ct);
        var before = Snapshot(inspection);
        finding.OrderId = order.Id;
        inspection.Revision++;
        Audit(inspection, AuditActions.PeerInspectionRectify, actor, clock.GetUtcNow(), before);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return order;
    }

    public async Task<PeerInspectionRecord> FindAsync(Guid id, CancellationToken ct) =>
        await db.PeerInspections.Include(i => i.Lines).ThenInclude(l => l.Photos).AsSplitQuery().SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw NotFound();

    /// <summary>Staff see every inspection; a unit only those it carries out.</summary>
    public static bool CanSee(ClaimsPrincipal user, PeerInspectionRecord inspection) =>
        user.IsStaff() || user.IsInRole(Roles.Unit) && user.UnitOf() == inspection.Inspector;

    public static DomainException NotFound() => new("id", "互查任务不存在。", ErrorKind.NotFound);

    private static PeerInspectionLifecycle Lifecycle(PeerInspectionRecord i) => new(() => i.State, s => i.State = s);

    private static string TriggerName(PeerInspectionTrigger t) => t switch
    {
        PeerInspectionTrigger.Submit => "提交",
        PeerInspectionTrigger.Close => "办结",
        PeerInspectionTrigger.Cancel => "撤销",
        _ => "填写",
    };

    private void Notify(PeerInspectionRecord i, NotificationKind kind, string act, string recipient, string programmeId, ReminderText text, string link, DateTimeOffset now) =>
        db.Notifications.Add(NotificationRecord.Of($"peer:{i.Id:N}:{act}:{recipient}", i.CampaignId, programmeId, recipient, kind, text, link, now));

    private void Audit(PeerInspectionRecord i, string action, string actor, DateTimeOffset now, string? before) =>
        db.AddAudit(now, actor, action, AuditEntities.PeerInspection, i.Id.ToString(), before, Snapshot(i));

    private static string Snapshot(PeerInspectionRecord i) => JsonSerializer.Serialize(new
    {
        i.Inspector, i.Inspected, i.Item, State = i.State.ToString(), i.CancelReason,
        Lines = i.Lines.OrderBy(l => l.RuleId, StringComparer.Ordinal).Select(l => new
        {
            l.RuleId, Verdict = l.Verdict.ToString(), l.Note, l.OrderId, Photos = l.Photos.Select(p => new { p.FileName, p.Sha256 }),
        }),
    });
}
