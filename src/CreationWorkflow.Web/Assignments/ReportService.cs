using System.Security.Claims;
using System.Text.Json;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Reminders;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Assignments;

/// <summary>What a unit fills in on one line: progress text (or the previous period's), or 本期无新进展 with a reason, and earlier evidence it cites.</summary>
public sealed record LineInput(string? Text, bool NoProgress = false, string? NoProgressReason = null, bool CopyPrevious = false, IReadOnlyList<Guid>? Cite = null);

public sealed record LineFile(Guid Id, string FileName, long Size, Guid AssignmentId);

public sealed record LineView(
    long Id, int ItemNo, string? ItemText, string? ReviewerUnit, ReportLineState State, string StateName, string? Text, bool NoProgress,
    string? NoProgressReason, string? ReturnReason, string? PreviousText, IReadOnlyList<LineFile> Files, IReadOnlyList<LineFile> Cited,
    bool CanEdit, bool CanReview);

public sealed record ReportView(Guid AssignmentId, string Unit, string? Period, AssignmentState State, int Filled, int Approved, IReadOnlyList<LineView> Lines,
    IReadOnlyList<LineFile> Citable);

/// <summary>One submitted line waiting for the caller's review, for 待我审核 (grouped by item by the caller).</summary>
public sealed record ReviewLineView(Guid AssignmentId, long LineId, int ItemNo, string? ItemText, string Unit, string StepId, string? Period, DateOnly DueDate, string? Text, bool NoProgress);

/// <summary>
/// Per-unit reports (steps with <c>"grain": "unit"</c>): lines saved one by one as drafts, the report submitted once, each line
/// reviewed by its item's reviewer. The report itself is the assignment: its state moves only through
/// <see cref="AssignmentLifecycle"/> (via <see cref="AssignmentService.ApplyAsync"/>), so reminders, lights, 催办 and 督办单 apply
/// to the report, never to a line. Each change, its audit entry and its notices are one transaction.
/// </summary>
public sealed class ReportService(AppDbContext db, AssignmentService assignments, EvidenceStore store, ProgrammeCatalog programmes, TimeProvider clock)
{
    public static string StateName(ReportLineState s) => s switch
    {
        ReportLineState.Draft => "草稿",
        ReportLineState.Submitted => "待审核",
        ReportLineState.Returned => "已退回",
        _ => "已通过",
    };

    public Task<bool> IsReportAsync(Guid assignmentId, CancellationToken ct) => db.ReportLines.AnyAsync(l => l.AssignmentId == assignmentId, ct);

    /// <summary>Who may see a report: whoever may see the assignment, and the reviewer of any of its lines.</summary>
    public async Task<bool> CanSeeAsync(ClaimsPrincipal user, AssignmentRecord row, CancellationToken ct) =>
        user.CanSee(row) || user.UnitOf() is { } unit && await db.ReportLines.AnyAsync(l => l.AssignmentId == row.Id && l.ReviewerUnit == unit, ct);

    /// <summary>
    /// Loads the report the caller may see; anything else (no such report, not the caller's) answers 404. With
    /// <paramref name="anyAssignment"/>, a per-item assignment the caller may see is a report without lines.
    /// </summary>
    public async Task<AssignmentRecord> FindVisibleAsync(Guid id, ClaimsPrincipal user, CancellationToken ct, bool anyAssignment = false)
    {
        var row = await db.Assignments.SingleOrDefaultAsync(a => a.Id == id, ct);
        return row is not null && (anyAssignment || await IsReportAsync(id, ct)) && await CanSeeAsync(user, row, ct)
            ? row
            : throw new DomainException("id", "报告不存在。", ErrorKind.NotFound);
    }

    public async Task<ReportView> ViewAsync(AssignmentRecord row, ClaimsPrincipal user, CancellationToken ct)
    {
        var lines = await db.ReportLines.AsNoTracking().Where(l => l.AssignmentId == row.Id).OrderBy(l => l.ItemNo).ToListAsync(ct);
        var lineIds = lines.Select(l => (long?)l.Id).ToList();
        var files = await db.EvidenceFiles.AsNoTracking().Where(f => lineIds.Contains(f.ReportLineId)).OrderBy(f => f.UploadedAt)
            .Select(f => new { f.ReportLineId, File = new LineFile(f.Id, f.FileName, f.Size, f.AssignmentId) }).ToListAsync(ct);
        var ids = lines.Select(l => l.Id).ToList();
        var cited = await db.ReportLineCitations.Where(c => ids.Contains(c.LineId))
            .Join(db.EvidenceFiles, c => c.EvidenceFileId, f => f.Id, (c, f) => new { c.LineId, File = new LineFile(f.Id, f.FileName, f.Size, f.AssignmentId) })
            .ToListAsync(ct);
        var previous = await PreviousTextsAsync(row, ct);
        var programme = programmes.Find(row.ProgrammeId);
        var unit = user.UnitOf();
        var own = unit == row.Unit;
        var open = row.State is not (AssignmentState.Submitted or AssignmentState.Approved or AssignmentState.Cancelled);
        var views = lines.Select(l => new LineView(
            l.Id, l.ItemNo, programme?.Items[l.ItemNo - 1].Text, l.ReviewerUnit, l.State, StateName(l.State), l.Text, l.NoProgress, l.NoProgressReason,
            l.ReturnReason, previous.GetValueOrDefault(l.ItemNo),
            [.. files.Where(f => f.ReportLineId == l.Id).Select(f => f.File)], [.. cited.Where(c => c.LineId == l.Id).Select(c => c.File)],
            own && open && l.State is ReportLineState.Draft or ReportLineState.Returned,
            l.State == ReportLineState.Submitted && (user.IsInRole(Roles.Office) || unit is not null && unit == l.ReviewerUnit))).ToList();
        var citable = own ? await CitableQuery(row).OrderByDescending(f => f.UploadedAt).Take(100)
            .Select(f => new LineFile(f.Id, f.FileName, f.Size, f.AssignmentId)).ToListAsync(ct) : [];
        return new ReportView(row.Id, row.Unit, row.PeriodLabel, row.State, lines.Count(l => l.Filled), lines.Count(l => l.State == ReportLineState.Approved),
            views, citable);
    }

    /// <summary>Saves one line as a draft (签收 first, if the report was not yet signed for). Files are stored only if the change is.</summary>
    public async Task SaveLineAsync(AssignmentRecord row, int itemNo, LineInput input, IReadOnlyList<IFormFile> uploads, ClaimsPrincipal user, CancellationToken ct)
    {
        var line = await LineAsync(row, itemNo, ct);
        if (line.State == ReportLineState.Submitted)
        {
            throw new DomainException("itemNo", $"第{itemNo}项已随报告报送，正在审核，不能修改。", ErrorKind.Conflict);
        }
        if (line.State == ReportLineState.Approved)
        {
            throw new DomainException("itemNo", $"第{itemNo}项已审核通过，不能修改。", ErrorKind.Conflict);
        }
        var text = input.Text?.Trim();
        if (input.CopyPrevious && string.IsNullOrEmpty(text))
        {
            text = (await PreviousTextsAsync(row, ct)).GetValueOrDefault(itemNo)
                ?? throw new DomainException("copyPrevious", $"第{itemNo}项上期没有填报内容可沿用。");
        }
        var reason = input.NoProgressReason?.Trim();
        if (input.NoProgress && string.IsNullOrEmpty(reason))
        {
            throw new DomainException("noProgressReason", $"第{itemNo}项勾选了“本期无新进展”，须说明理由。");
        }
        if (!input.NoProgress && string.IsNullOrEmpty(text))
        {
            throw new DomainException("text", $"请填写第{itemNo}项的进展情况，或勾选“本期无新进展”并说明理由。");
        }
        var cite = (input.Cite ?? []).Distinct().ToList();
        if (cite.Count > 0 && await CitableQuery(row).CountAsync(f => cite.Contains(f.Id), ct) != cite.Count)
        {
            throw new DomainException("cite", "引用的材料不存在，或不是贵单位在本次创建活动中报送过的材料。");
        }
        store.Validate(uploads);
        var by = user.NameOf();
        var actor = user.ActorFor(row);
        if (row.State == AssignmentState.Assigned)
        {
            await assignments.ApplyAsync(row, (l, at) => l.Acknowledge(actor, at), by, ct, byLines: true);
        }
        var stored = new List<StoredFile>();
        try
        {
            foreach (var file in uploads)
            {
                stored.Add(await store.SaveAsync(file, ct));
            }
            var existing = await db.ReportLineCitations.Where(c => c.LineId == line.Id).ToListAsync(ct);
            await assignments.ApplyAsync(row, (l, at) => l.ReportProgress(actor, at, $"第{itemNo}项"), by, ct, _ =>
            {
                var now = clock.GetUtcNow();
                var before = Snapshot(line);
                (line.Text, line.NoProgress, line.NoProgressReason) = input.NoProgress ? (text, true, reason) : (text, false, null);
                line.State = ReportLineState.Draft;
                (line.UpdatedBy, line.UpdatedAt) = (by, now);
                line.Revision++;
                db.ReportLineCitations.RemoveRange(existing);
                db.ReportLineCitations.AddRange(cite.Select(f => new ReportLineCitationRecord { LineId = line.Id, EvidenceFileId = f }));
                foreach (var f in stored)
                {
                    db.EvidenceFiles.Add(new EvidenceFileRecord
                    {
                        Id = Guid.CreateVersion7(now), AssignmentId = row.Id, ItemNo = itemNo, ReportLineId = line.Id, FileName = f.FileName,
                        StoredName = f.StoredName, ContentType = f.ContentType, Size = f.Size, Sha256 = f.Sha256, UploadedBy = by, UploadedAt = now,
                    });
                }
                Audit(row, line, AuditActions.ReportLineSaved, before, by, now,
                    new { Cited = cite.Count, Uploaded = stored.Count, CopiedFromPrevious = input.CopyPrevious && string.IsNullOrWhiteSpace(input.Text) });
            }, byLines: true);
        }
        catch
        {
            stored.ForEach(f => store.Delete(f.StoredName)); // nothing half-stored: the files go with the refused change
            throw;
        }
    }

    /// <summary>提交: once every open line is filled; the open lines go to their reviewers, each told how many lines await it.</summary>
    public async Task SubmitAsync(AssignmentRecord row, ClaimsPrincipal user, CancellationToken ct)
    {
        var lines = await db.ReportLines.Where(l => l.AssignmentId == row.Id).OrderBy(l => l.ItemNo).ToListAsync(ct);
        var open = lines.Where(l => l.State is ReportLineState.Draft or ReportLineState.Returned).ToList();
        var empty = open.Where(l => !l.Filled).Select(l => $"第{l.ItemNo}项").ToList();
        if (empty.Count > 0)
        {
            throw new DomainException("lines", $"{string.Join("、", empty.Take(10))}{(empty.Count > 10 ? $"等{empty.Count}项" : "")}尚未填写（填写进展，或勾选“本期无新进展”并说明理由），报告未提交。");
        }
        var by = user.NameOf();
        var actor = user.ActorFor(row);
        await assignments.ApplyAsync(row, (l, at) => l.Submit(actor, at), by, ct, _ =>
        {
            var now = clock.GetUtcNow();
            foreach (var line in open)
            {
                var before = Snapshot(line);
                line.State = ReportLineState.Submitted;
                line.Revision++;
                Audit(row, line, AuditActions.ReportLineSubmitted, before, by, now);
            }
            foreach (var reviewer in open.Where(l => l.ReviewerUnit is not null).GroupBy(l => l.ReviewerUnit!))
            {
                db.Notifications.Add(Notice(row, reviewer.First(), reviewer.Key, "lines-submitted", $"待审核：{row.Unit}报送了{row.PeriodLabel}进展（{reviewer.Count()}项）",
                    $"{row.Unit}报送了{row.PeriodLabel}进展，其中{string.Join("、", reviewer.Select(l => $"第{l.ItemNo}项"))}由贵单位审核。", now));
            }
        }, byLines: true);
    }

    /// <summary>
    /// 逐条审核: the line's reviewer (or the office) approves or returns one submitted line. Returning the first line of a
    /// submitted report returns the report (only that line reopens); approving the last line approves the report.
    /// </summary>
    public async Task ReviewLineAsync(AssignmentRecord row, int itemNo, bool approve, string? reason, ClaimsPrincipal user, CancellationToken ct)
    {
        var line = await LineAsync(row, itemNo, ct);
        Actor actor = user.IsInRole(Roles.Office) ? Actor.Office(user.NameOf())
            : user.UnitOf() is { } unit && unit == line.ReviewerUnit ? Actor.Reviewer(unit)
            : throw new DomainException("itemNo", line.ReviewerUnit is null
                ? $"第{itemNo}项由创建办审核。"
                : $"第{itemNo}项由{line.ReviewerUnit}审核，贵单位不能审核。", ErrorKind.Forbidden);
        if (line.State != ReportLineState.Submitted)
        {
            throw new DomainException("itemNo", $"第{itemNo}项当前为“{StateName(line.State)}”，不在待审核状态。", ErrorKind.Conflict);
        }
        var why = reason?.Trim();
        if (!approve && string.IsNullOrEmpty(why))
        {
            throw new DomainException("reason", "退回须说明理由。");
        }
        var by = user.NameOf();
        void Stage()
        {
            var now = clock.GetUtcNow();
            var before = Snapshot(line);
            line.State = approve ? ReportLineState.Approved : ReportLineState.Returned;
            line.ReturnReason = approve ? null : why;
            line.Revision++;
            Audit(row, line, approve ? AuditActions.ReportLineApproved : AuditActions.ReportLineReturned, before, by, now);
        }
        var others = await db.ReportLines.Where(l => l.AssignmentId == row.Id && l.Id != line.Id).Select(l => l.State).ToListAsync(ct);
        var reviewer = actor.Role == ActorRole.Reviewer ? actor.Name : null;
        if (!approve && row.State == AssignmentState.Submitted)
        {
            await assignments.ApplyAsync(row, (l, at) => l.Return(actor, at, $"第{itemNo}项：{why}"), by, ct, _ => Stage(), byLines: true, lineReviewer: reviewer);
        }
        else if (approve && row.State == AssignmentState.Submitted && others.All(s => s == ReportLineState.Approved))
        {
            await assignments.ApplyAsync(row, (l, at) => l.Approve(actor, at), by, ct, _ => Stage(), byLines: true, lineReviewer: reviewer);
        }
        else
        {
            // The report's state stays (other lines are still out, or it was already returned): only the line changes.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            Stage();
            if (!approve)
            {
                db.Notifications.Add(Notice(row, line, row.Unit, "line-returned", $"【退回】{row.PeriodLabel}进展第{itemNo}项", $"第{itemNo}项被退回，理由：{why}。请修改后重新提交报告。", clock.GetUtcNow()));
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>待我审核: submitted lines the caller's unit reviews, oldest due first.</summary>
    public async Task<IReadOnlyList<ReviewLineView>> ReviewQueueAsync(string unit, Guid? campaignId, CancellationToken ct)
    {
        var assignmentsQuery = campaignId is { } c ? db.Assignments.Where(a => a.CampaignId == c) : db.Assignments;
        var rows = await db.ReportLines.Where(l => l.ReviewerUnit == unit && l.State == ReportLineState.Submitted)
            .Join(assignmentsQuery, l => l.AssignmentId, a => a.Id, (l, a) => new { l, a })
            .OrderBy(x => x.l.ItemNo).ThenBy(x => x.a.DueDate).ThenBy(x => x.a.Unit).Take(500).ToListAsync(ct);
        return [.. rows.Select(x => new ReviewLineView(x.a.Id, x.l.Id, x.l.ItemNo, programmes.Find(x.a.ProgrammeId)?.Items[x.l.ItemNo - 1].Text, x.a.Unit,
            x.a.StepId, x.a.PeriodLabel, x.a.DueDate, x.l.Text, x.l.NoProgress))];
    }

    /// <summary>Whether a file may be downloaded through this report: uploaded on it, or cited by one of its lines.</summary>
    public Task<bool> IsCitedAsync(Guid assignmentId, Guid fileId, CancellationToken ct) =>
        db.ReportLineCitations.Where(c => c.EvidenceFileId == fileId)
            .Join(db.ReportLines.Where(l => l.AssignmentId == assignmentId), c => c.LineId, l => l.Id, (c, _) => c).AnyAsync(ct);

    /// <summary>The unit's own evidence in this campaign, which its lines may cite (同类材料只报一次).</summary>
    private IQueryable<EvidenceFileRecord> CitableQuery(AssignmentRecord row) =>
        db.EvidenceFiles.Join(db.Assignments.Where(a => a.CampaignId == row.CampaignId && a.Unit == row.Unit), f => f.AssignmentId, a => a.Id, (f, _) => f);

    /// <summary>Last period's text per item, from the unit's report of the same step for the period before.</summary>
    private async Task<Dictionary<int, string>> PreviousTextsAsync(AssignmentRecord row, CancellationToken ct)
    {
        if (row.Period is not { } period || period <= 1)
        {
            return [];
        }
        var before = db.Assignments.Where(a => a.CampaignId == row.CampaignId && a.StepId == row.StepId && a.Unit == row.Unit && a.Period == period - 1);
        return await db.ReportLines.Where(l => l.Text != null && l.Text != "")
            .Join(before, l => l.AssignmentId, a => a.Id, (l, _) => l).ToDictionaryAsync(l => l.ItemNo, l => l.Text!, ct);
    }

    private async Task<ReportLineRecord> LineAsync(AssignmentRecord row, int itemNo, CancellationToken ct) =>
        await db.ReportLines.SingleOrDefaultAsync(l => l.AssignmentId == row.Id && l.ItemNo == itemNo, ct)
            ?? throw new DomainException("itemNo", $"本报告没有第{itemNo}项。", ErrorKind.NotFound);

    private void Audit(AssignmentRecord row, ReportLineRecord line, string action, string before, string by, DateTimeOffset now, object? extra = null) =>
        db.AddAudit(now, by, action, AuditEntities.Assignment, row.Id.ToString(), before,
            extra is null ? Snapshot(line) : JsonSerializer.Serialize(new { Line = JsonDocument.Parse(Snapshot(line)).RootElement, Files = extra }));

    private static string Snapshot(ReportLineRecord l) => JsonSerializer.Serialize(new { l.ItemNo, State = l.State.ToString(), l.NoProgress, l.ReturnReason });

    private static NotificationRecord Notice(AssignmentRecord row, ReportLineRecord line, string recipient, string kind, string title, string body, DateTimeOffset now) =>
        AssignmentService.Notice(row, recipient, kind, title, body, now, $"line:{line.Id}:{line.Revision}:{kind}:{recipient}");
}
