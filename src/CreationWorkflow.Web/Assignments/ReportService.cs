namespace CreationWorkflow.Web.Assignments;

/// <summary>What a unit fills in on one line: progress text (or the previous period's), or 本期无新进展 with a reason, and earlier evidence it cites.</summary>
public sealed record LineInput(string? Text, bool NoProgress = false, string? NoProgressReason = null, bool CopyPrevious = false, IReadOnlyList<Guid>? Cite = null);

/// <summary>One line to save: its item, what the unit filled in, and new files for it.</summary>
public sealed record LineEdit(int ItemNo, LineInput Input, IReadOnlyList<IFormFile> Files);

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
    public Task SaveLineAsync(AssignmentRecord row, int itemNo, LineInput input, IReadOnlyList<IFormFile> uploads, ClaimsPrincipal user, CancellationToken ct) =>
        SaveLinesAsync(row, [new LineEdit(itemNo, input, uploads)], user, ct);

    /// <summary>
    /// Saves several lines of one report as drafts in one change (one 进展填报 transition, an audit entry per line): what a
    /// unit does when it fills in the whole report at once. Every line is checked first; one refused line refuses them all.
    /// </summary>
    public async Task SaveLinesAsync(AssignmentRecord row, IReadOnlyList<LineEdit> edits, ClaimsPrincipal user, CancellationToken ct)
    {
        foreach (var e in edits)
        {
            Input.Bounded(e.Input.Text, "text", Input.TextLength);
            Input.Bounded(e.Input.NoProgressReason, "noProgressReason", Input.TextLength);
            Input.Count(e.Input.Cite, "cite");
        }
        if (edits.Select(e => e.ItemNo).Distinct().Count() != edits.Count)
        {
            throw new DomainException("itemNo", "同一项不能在一次保存中填报两次。");
        }
        var items = edits.Select(e => e.ItemNo).ToList();
        var lines = await db.ReportLines.Where(l => l.AssignmentId == row.Id && items.Contains(l.ItemNo)).ToDictionaryAsync(l => l.ItemNo, ct);
        var previous = edits.Any(e => e.Input.CopyPrevious) ? await PreviousTextsAsync(row, ct) : [];
        var citable = edits.SelectMany(e => e.Input.Cite ?? []).Distinct().ToList();
        var known = citable.Count == 0 ? [] : (await CitableQuery(row).Where(f => citable.Contains(f.Id)).Select(f => f.Id).ToListAsync(ct)).ToHashSet();
        var checkedEdits = edits.Select(e => Check(e, lines.GetValueOrDefault(e.ItemNo), previous, known)).ToList();
        foreach (var e in edits)
        {
            store.Validate(e.Files);
        }
        var by = user.NameOf();
        var actor = user.ActorFor(row);
        if (row.State == AssignmentState.Assigned)
        {
            await assignments.ApplyAsync(row, (l, at) => l.Acknowledge(actor, at), by, ct, byLines: true);
        }
        var stored = new List<(ReportLineRecord Line, StoredFile File)>();
        try
        {
            foreach (var (e, c) in edits.Zip(checkedEdits))
            {
                foreach (var file in e.Files)
                {
                    stored.Add((c.Line, await store.SaveAsync(file, ct)));
                }
            }
            var ids = checkedEdits.Select(c => c.Line.Id).ToList();
            var existing = await db.ReportLineCitations.Where(c => ids.Contains(c.LineId)).ToListAsync(ct);
            var note = items.Count == 1 ? $"第{items[0]}项" : $"{items.Count}项（第{string.Join("、", items.Take(10))}{(items.Count > 10 ? "等" : "")}项）";
            await assignments.ApplyAsync(row, (l, at) => l.ReportProgress(actor, at, note), by, ct, _ =>
            {
                var now = clock.GetUtcNow();
                db.ReportLineCitations.RemoveRange(existing);
                foreach (var (e, c) in edits.Zip(checkedEdits))
                {
                    var line = c.Line;
                    var before = Snapshot(line);
                    (line.Text, line.NoProgress, line.NoProgressReason) = e.Input.NoProgress ? (c.Text, true, c.Reason) : (c.Text, false, null);
                    line.State = ReportLineState.Draft;
                    (line.UpdatedBy, line.UpdatedAt) = (by, now);
                    line.Revision++;
                    db.ReportLineCitations.AddRange(c.Cite.Select(f => new ReportLineCitationRecord { LineId = line.Id, EvidenceFileId = f }));
                    var files = stored.Where(s => s.Line == line).Select(s => s.File).ToList();
                    foreach (var f in files)
                    {
                        db.EvidenceFiles.Add(new EvidenceFileRecord { AssignmentId = row.Id, ItemNo = line.ItemNo, ReportLineId = line.Id }.Of(f, by, now));
                    }
                    Audit(row, line, AuditActions.ReportLineSaved, before, by, now,
                        new { Cited = c.Cite.Count, Uploaded = files.Count, CopiedFromPrevious = e.Input.CopyPrevious && string.IsNullOrWhiteSpace(e.Input.Text) });
                }
            }, byLines: true);
        }
        catch
        {
            stored.ForEach(f => store.Delete(f.File.StoredName)); // nothing half-stored: the files go with the refused change
            throw;
        }
    }

    private sealed record CheckedEdit(ReportLineRecord Line, string? Text, string? Reason, IReadOnlyList<Guid> Cite);

    /// <summary>One line's edit against the rules: the line open, text (or last period's) or 本期无新进展 with a reason, citations the unit's own.</summary>
    private static CheckedEdit Check(LineEdit edit, ReportLineRecord? line, IReadOnlyDictionary<int, string> previous, IReadOnlySet<Guid> citable)
    {
        var (itemNo, input) = (edit.ItemNo, edit.Input);
        if (line is null)
        {
            throw new DomainException("itemNo", $"本报告没有第{itemNo}项。", ErrorKind.NotFound);
        }
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
            text = previous.GetValueOrDefault(itemNo) ?? throw new DomainException("copyPrevious", $"第{itemNo}项上期没有填报内容可沿用。");
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
        if (!cite.All(citable.Contains))
        {
            throw new DomainException("cite", "引用的材料不存在，或不是贵单位在本次创建活动中报送过的材料。");
        }
        return new CheckedEdit(line, text, reason, cite);
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
                db.Notifications.Add(Notice(row, reviewer.First(), reviewer.Key, NotificationKind.LinesSubmitted,
                    ReminderTexts.LinesSubmitted(row.Unit, row.PeriodLabel, [.. reviewer.Select(l => l.ItemNo)]), now));
            }
        }, byLines: true);
    }

    /// <summary>
    /// 逐条审核: the line's reviewer (or the office) approves or returns one submitted line. Returning the first line of a
    /// submitted report returns the report (only that line reopens); approving the last line approves the report.
    /// </summary>
    public Task ReviewLineAsync(AssignmentRecord row, int itemNo, bool approve, string? reason, ClaimsPrincipal user, CancellationToken ct) =>
        ReviewLinesAsync(row, [itemNo], approve, reason, user, ct);

    /// <summary>
    /// As <see cref="ReviewLineAsync"/> for several lines of one report in one change (e.g. every line a lead unit reviews
    /// in it): each line checked first, one refused line refuses them all; an audit entry per line.
    /// </summary>
    public async Task ReviewLinesAsync(AssignmentRecord row, IReadOnlyList<int> itemNos, bool approve, string? reason, ClaimsPrincipal user, CancellationToken ct)
    {
        Input.Bounded(reason, "reason", Input.TextLength);
        var items = itemNos.Distinct().ToList();
        var all = await db.ReportLines.Where(l => l.AssignmentId == row.Id).ToListAsync(ct);
        var lines = items.Select(no => all.SingleOrDefault(l => l.ItemNo == no) ?? throw new DomainException("itemNo", $"本报告没有第{no}项。", ErrorKind.NotFound)).ToList();
        var unit = user.UnitOf();
        foreach (var line in lines.Where(l => !user.IsInRole(Roles.Office) && (unit is null || unit != l.ReviewerUnit)))
        {
            throw new DomainException("itemNo", line.ReviewerUnit is null
                ? $"第{line.ItemNo}项由创建办审核。"
                : $"第{line.ItemNo}项由{line.ReviewerUnit}审核，贵单位不能审核。", ErrorKind.Forbidden);
        }
        Actor actor = user.IsInRole(Roles.Office) ? Actor.Office(user.NameOf()) : Actor.Reviewer(unit!);
        foreach (var line in lines.Where(l => l.State != ReportLineState.Submitted))
        {
            throw new DomainException("itemNo", $"第{line.ItemNo}项当前为“{StateName(line.State)}”，不在待审核状态。", ErrorKind.Conflict);
        }
        var why = reason?.Trim();
        if (!approve && string.IsNullOrEmpty(why))
        {
            throw new DomainException("reason", "退回须说明理由。");
        }
        var by = user.NameOf();
        void Stage() => StageReview(row, lines, approve, why, by, clock.GetUtcNow());
        var others = all.Except(lines).Select(l => l.State).ToList();
        var reviewer = actor.Role == ActorRole.Reviewer ? actor.Name : null;
        var named = string.Join("、", items.Select(no => $"第{no}项"));
        if (!approve && row.State == AssignmentState.Submitted)
        {
            await assignments.ApplyAsync(row, (l, at) => l.Return(actor, at, $"{named}：{why}"), by, ct, _ => Stage(), byLines: true, lineReviewer: reviewer);
        }
        else if (approve && row.State == AssignmentState.Submitted && others.All(s => s == ReportLineState.Approved))
        {
            await assignments.ApplyAsync(row, (l, at) => l.Approve(actor, at), by, ct, _ => Stage(), byLines: true, lineReviewer: reviewer);
        }
        else
        {
            // The report's state stays (other lines are still out, or it was already returned): only the lines change.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            Stage();
            if (!approve)
            {
                db.Notifications.Add(Notice(row, lines[0], row.Unit, NotificationKind.LineReturned, ReminderTexts.LineReturned(row.PeriodLabel, named, why), clock.GetUtcNow()));
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>
    /// 全部通过: every submitted line of the report that the caller reviews (a lead unit: the lines of its items; the office:
    /// the lines 创建办 reviews) approved in one change — one transaction, an audit entry per line, the report approved
    /// when no other line is still out (<see cref="ReviewLinesAsync"/>). Answers the items approved; refused when there
    /// are none.
    /// </summary>
    public async Task<IReadOnlyList<int>> ApproveMineAsync(AssignmentRecord row, ClaimsPrincipal user, CancellationToken ct)
    {
        var reviewer = user.IsInRole(Roles.Office) ? null : user.UnitOf()
            ?? throw new DomainException("id", "只有牵头单位或创建办可以审核条目。", ErrorKind.Forbidden);
        var items = await db.ReportLines.Where(l => l.AssignmentId == row.Id && l.State == ReportLineState.Submitted && l.ReviewerUnit == reviewer)
            .OrderBy(l => l.ItemNo).Select(l => l.ItemNo).ToListAsync(ct);
        if (items.Count == 0)
        {
            throw new DomainException("id", reviewer is null ? "本报告没有待创建办审核的条目。" : $"本报告没有待{reviewer}审核的条目。", ErrorKind.Conflict);
        }
        await ReviewLinesAsync(row, items, approve: true, null, user, ct);
        return items;
    }

    /// <summary>Lines of one report approved or returned (with the reason), each with its audit entry; the caller saves.</summary>
    private void StageReview(AssignmentRecord row, IReadOnlyList<ReportLineRecord> lines, bool approve, string? why, string by, DateTimeOffset now)
    {
        foreach (var line in lines)
        {
            var before = Snapshot(line);
            line.State = approve ? ReportLineState.Approved : ReportLineState.Returned;
            line.ReturnReason = approve ? null : why;
            line.Revision++;
            Audit(row, line, approve ? AuditActions.ReportLineApproved : AuditActions.ReportLineReturned, before, by, now);
        }
    }

    /// <summary>At most this many lines are approved by one 本项全部通过 (the rest wait for the next one).</summary>
    public const int MaxItemApprovals = 500;

    /// <summary>
    /// 本项全部通过: from 待我审核, every submitted line of one item that the caller reviews (a lead unit: its items'
    /// lines; the office: the lines 创建办 reviews), in all the reports of the campaign (or of every campaign), approved in
    /// one change — one transaction, an audit entry per line, each report approved when its last line is. Answers how
    /// many lines of how many reports; refused when there are none.
    /// </summary>
    public async Task<(int Lines, int Reports)> ApproveItemAsync(Guid? campaignId, int itemNo, ClaimsPrincipal user, CancellationToken ct)
    {
        var reviewer = user.IsInRole(Roles.Office) ? null : user.UnitOf()
            ?? throw new DomainException("itemNo", "只有牵头单位或创建办可以审核条目。", ErrorKind.Forbidden);
        var reports = campaignId is { } c ? db.Assignments.Where(a => a.CampaignId == c) : db.Assignments;
        var mine = await db.ReportLines.Where(l => l.ItemNo == itemNo && l.State == ReportLineState.Submitted && l.ReviewerUnit == reviewer)
            .Join(reports, l => l.AssignmentId, a => a.Id, (l, a) => new { l, a.DueDate, a.Unit })
            .OrderBy(x => x.DueDate).ThenBy(x => x.Unit).ThenBy(x => x.l.Id).Select(x => x.l).Take(MaxItemApprovals).ToListAsync(ct);
        if (mine.Count == 0)
        {
            var reviews = reviewer is null || await db.ReportLines.Where(l => l.ItemNo == itemNo && l.ReviewerUnit == reviewer)
                .Join(reports, l => l.AssignmentId, a => a.Id, (l, _) => l.Id).AnyAsync(ct);
            throw reviews
                ? new DomainException("itemNo", $"第{itemNo}项没有待{reviewer ?? "创建办"}审核的条目。", ErrorKind.Conflict)
                : new DomainException("itemNo", $"贵单位不审核第{itemNo}项。", ErrorKind.Forbidden);
        }
        var ids = mine.Select(l => l.Id).ToList();
        var rowIds = mine.Select(l => l.AssignmentId).Distinct().ToList();
        var rows = await db.Assignments.Where(a => rowIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var others = (await db.ReportLines.Where(l => rowIds.Contains(l.AssignmentId) && !ids.Contains(l.Id)).Select(l => new { l.AssignmentId, l.State }).ToListAsync(ct))
            .ToLookup(l => l.AssignmentId, l => l.State);
        Actor actor = reviewer is null ? Actor.Office(user.NameOf()) : Actor.Reviewer(reviewer);
        var by = user.NameOf();
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var report in mine.GroupBy(l => l.AssignmentId))
        {
            var row = rows[report.Key];
            StageReview(row, [.. report], approve: true, null, by, now);
            if (row.State == AssignmentState.Submitted && others[row.Id].All(s => s == ReportLineState.Approved))
            {
                await assignments.StageAsync(row, (l, at) => l.Approve(actor, at), by, reviewer, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (mine.Count, rows.Count);
    }

    /// <summary>
    /// 待我审核: submitted lines the caller's unit reviews, by item, oldest due first (at most <paramref name="take"/> after
    /// <paramref name="skip"/>; of one item if asked).
    /// </summary>
    public async Task<IReadOnlyList<ReviewLineView>> ReviewQueueAsync(string unit, Guid? campaignId, CancellationToken ct, int? itemNo = null, int take = 500, int skip = 0)
    {
        var assignmentsQuery = campaignId is { } c ? db.Assignments.Where(a => a.CampaignId == c) : db.Assignments;
        var lines = db.ReportLines.Where(l => l.ReviewerUnit == unit && l.State == ReportLineState.Submitted);
        if (itemNo is { } no)
        {
            lines = lines.Where(l => l.ItemNo == no);
        }
        var rows = await lines
            .Join(assignmentsQuery, l => l.AssignmentId, a => a.Id, (l, a) => new { l, a })
            .OrderBy(x => x.l.ItemNo).ThenBy(x => x.a.DueDate).ThenBy(x => x.a.Unit).ThenBy(x => x.l.Id).Skip(skip).Take(take).ToListAsync(ct);
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

    private void Audit(AssignmentRecord row, ReportLineRecord line, string action, string before, string by, DateTimeOffset now, object? extra = null) =>
        db.AddAudit(now, by, action, AuditEntities.Assignment, row.Id.ToString(), before,
            extra is null ? Snapshot(line) : JsonSerializer.Serialize(new { Line = JsonDocument.Parse(Snapshot(line)).RootElement, Files = extra }));

    private static string Snapshot(ReportLineRecord l) => JsonSerializer.Serialize(new { l.ItemNo, State = l.State.ToString(), l.NoProgress, l.ReturnReason });

    private static NotificationRecord Notice(AssignmentRecord row, ReportLineRecord line, string recipient, NotificationKind kind, ReminderText text, DateTimeOffset now) =>
        AssignmentService.Notice(row, recipient, kind, text, now, $"line:{line.Id}:{line.Revision}:{kind.Spelling()}:{recipient}");
}
