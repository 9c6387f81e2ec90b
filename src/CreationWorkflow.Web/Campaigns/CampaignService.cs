using CreationWorkflow.Core.Notifications;
using System.Text.Json;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Calendar;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using CreationWorkflow.Web.Jobs;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Campaigns;

/// <summary>What starts a campaign; without <see cref="WorkflowVersion"/> it runs on the newest version of the workflow.</summary>
public sealed record StartCampaign(
    string ProgrammeId, DateOnly StartDate, string? Name = null, string? WorkflowId = null, IReadOnlyList<string>? AssessedUnits = null, int? WorkflowVersion = null);

/// <summary>Starts campaigns: the plan becomes assignments, their first reminder timers, and notices to the units, in one transaction.</summary>
public sealed class CampaignService(
    AppDbContext db, ProgrammeCatalog programmes, WorkflowCatalog workflows, WorkingDayCalendar calendar, TimeProvider clock, CheckpointScheduler checkpoints,
    AssignmentService assignments, ILogger<CampaignService> log)
{
    /// <summary>
    /// Starts the campaign. With an <paramref name="idempotencyKey"/> (header Idempotency-Key), a retry of the same start
    /// by the same user (the key belongs to its owner) returns the campaign the first request made instead of a second one.
    /// </summary>
    public async Task<CampaignRecord> StartAsync(StartCampaign request, string actor, CancellationToken ct = default, Operations.IdempotencyKey? idempotencyKey = null)
    {
        request = Check(request);
        if (idempotencyKey is not null && await StartedWithAsync(idempotencyKey, ct) is { } first)
        {
            return first;
        }
        var programme = programmes.Find(request.ProgrammeId)
            ?? throw new DomainException("programmeId", $"没有编号为 '{request.ProgrammeId}' 的创建方案。", ErrorKind.NotFound);
        var definition = (request.WorkflowId is { } wid ? workflows.Latest(wid) : workflows.ForProgramme(programme.Id))
            ?? throw new DomainException("workflowId", request.WorkflowId is null
                ? $"创建方案「{programme.Header.Title}」（{programme.Id}）尚无工作流程：请先为其选用工作流程（启动页“选用通用流程”，或 POST /api/programmes/{programme.Id}/workflow）。"
                : $"没有工作流程「{request.WorkflowId}」。", ErrorKind.NotFound);
        if (request.WorkflowVersion is { } wanted && wanted != definition.Version)
        {
            definition = workflows.TryGet(definition.Id, wanted, out var pinned)
                ? pinned
                : throw new DomainException("workflowVersion", $"工作流程 '{definition.Id}' 没有第{wanted}版。", ErrorKind.NotFound);
        }
        if (definition.Programme != programme.Id)
        {
            throw new DomainException("workflowId", $"工作流程 '{definition.Id}' 不属于创建方案 '{programme.Id}'。");
        }
        if (programme.Header.Subject == Core.Programmes.ProgrammeSubject.Unit && request.AssessedUnits is not { Count: > 0 })
        {
            throw new DomainException("assessedUnits", "年度考核须列出参加考核的单位。");
        }
        programme = await programme.WithStoredGroupsAsync(db, ct);
        var plan = CampaignPlanner.Plan(programme, definition, request.StartDate, calendar, request.AssessedUnits);
        var now = clock.GetUtcNow();
        var version = await db.Programmes.Where(p => p.Id == programme.Id).Select(p => p.CurrentVersion).SingleAsync(ct);
        var campaign = new CampaignRecord
        {
            Id = Guid.CreateVersion7(now),
            Name = request.Name ?? $"{programme.Header.Title}（{request.StartDate:yyyy年M月d日}起）",
            ProgrammeId = programme.Id,
            ProgrammeVersion = version,
            WorkflowId = definition.Id,
            WorkflowVersion = definition.Version,
            StartDate = request.StartDate,
            CreatedAt = now,
            CreatedBy = actor,
            Phases = [.. plan.Phases.Select(p => new CampaignPhaseRecord { PhaseId = p.PhaseId, Name = p.Name, Start = p.Start, End = p.End })],
        };
        var planned = plan.Assignments.Select(a => (Plan: a, Row: new AssignmentRecord
        {
            Id = Guid.CreateVersion7(now),
            CampaignId = campaign.Id,
            ProgrammeId = programme.Id,
            StepId = a.StepId,
            PhaseId = a.Phase,
            ItemNo = a.ItemNo,
            Unit = a.Unit,
            Period = a.Period?.Index,
            PeriodLabel = a.Period?.Label,
            DueDate = a.Due,
            State = AssignmentState.Assigned,
            ReviewerUnit = a.ReviewerUnit,
            Evidence = a.Evidence,
            CreatedAt = now,
            UpdatedAt = now,
        })).ToList();
        var rows = planned.Select(p => p.Row).ToList();

        // Computed before the commit, so a checkpoint that cannot be scheduled stops the start with nothing stored.
        var triggers = checkpoints.Plan(campaign, plan.Checkpoints);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Campaigns.Add(campaign);
        db.Assignments.AddRange(rows);
        db.ReportLines.AddRange(planned.SelectMany(p => LinesOf(p.Plan, p.Row.Id)));
        db.Timers.AddRange(rows.Select(r => ReminderTimers.First(r, definition, calendar, now)).OfType<TimerRecord>());
        db.Notifications.AddRange(rows.GroupBy(r => r.Unit).Select(g =>
        {
            var text = ReminderTexts.Assigned(campaign.Name, g.Count(), g.Min(r => r.DueDate));
            return new NotificationRecord
            {
                OccurrenceKey = $"assigned:{campaign.Id:N}:{g.Key}",
                CampaignId = campaign.Id,
                ProgrammeId = programme.Id,
                Recipient = g.Key,
                Kind = NotificationKind.Assigned,
                Title = text.Title,
                Body = text.Body,
                Link = "/inbox",
                CreatedAt = now,
            };
        }));
        db.AddAudit(now, actor, AuditActions.CampaignStarted, AuditEntities.Campaign, campaign.Id.ToString(), after: JsonSerializer.Serialize(new
        {
            campaign.ProgrammeId, campaign.WorkflowId, campaign.WorkflowVersion, StartDate = campaign.StartDate.ToString("yyyy-MM-dd"),
            Assignments = rows.Count, Units = rows.Select(r => r.Unit).Distinct().Count(),
        }));
        if (idempotencyKey is not null)
        {
            db.IdempotencyKeys.Add(new Operations.IdempotencyKeyRecord { Owner = idempotencyKey.Owner, Key = idempotencyKey.Value, CampaignId = campaign.Id, CreatedAt = now });
        }
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // The same key committed first by a concurrent retry: answer with its campaign.
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return await StartedWithAsync(idempotencyKey, ct) ?? throw new InvalidOperationException("Idempotency key conflict without a stored key.");
        }
        try
        {
            await checkpoints.ScheduleAsync(triggers, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The triggers were computed before the commit, so only the job store can refuse them now (it is down):
            // the campaign stands, and the start-up reconciliation (CheckpointScheduler.ReconcileAsync) schedules them.
            log.LogError(e, "Campaign {Campaign} started but its checkpoints could not be stored in Quartz; they are scheduled at the next start-up", campaign.Id);
        }
        return campaign;
    }

    private async Task<CampaignRecord?> StartedWithAsync(Operations.IdempotencyKey key, CancellationToken ct) =>
        await db.IdempotencyKeys.AsNoTracking().Where(k => k.Owner == key.Owner && k.Key == key.Value)
            .Join(db.Campaigns, k => k.CampaignId, c => c.Id, (k, c) => c).SingleOrDefaultAsync(ct);

    /// <summary>The empty draft lines of a per-unit report, one per item, as planned.</summary>
    private static IEnumerable<ReportLineRecord> LinesOf(PlannedAssignment planned, Guid assignmentId) =>
        (planned.Lines ?? []).Select(l => new ReportLineRecord { AssignmentId = assignmentId, ItemNo = l.ItemNo, ReviewerUnit = l.ReviewerUnit, State = ReportLineState.Draft });

    /// <summary>
    /// The request's texts and lists within their limits, and the start date within the years the holiday calendar covers
    /// (deadlines are counted in working days, so a campaign outside them would be planned on a guess).
    /// </summary>
    private StartCampaign Check(StartCampaign request)
    {
        var units = Input.Count(request.AssessedUnits, "assessedUnits", max: 1000);
        if (calendar.CoveredYears is { Count: > 0 } years)
        {
            Input.Within(request.StartDate, "startDate", new DateOnly(years[0], 1, 1), new DateOnly(years[^1], 12, 31), "节假日数据（seed/calendar）覆盖的年份");
        }
        return request with
        {
            ProgrammeId = Input.Text(request.ProgrammeId, "programmeId", required: true, max: Input.NameLength)!,
            Name = Input.Text(request.Name, "name", required: false, max: Input.TitleLength),
            WorkflowId = Input.Text(request.WorkflowId, "workflowId", required: false, max: Input.NameLength),
            AssessedUnits = request.AssessedUnits is null ? null
                : [.. units.Select((u, i) => Input.Text(u, $"assessedUnits[{i}]", required: true, max: Input.NameLength)!)],
        };
    }

    /// <summary>
    /// Moves a running campaign to another version of its workflow definition — never implicitly. The new plan is
    /// compared by assignment key: missing duties are added, open duties the new version drops are cancelled through the
    /// lifecycle (an audit entry each), open duties whose deadline changed are re-dated; finished work is kept as it is.
    /// A step that becomes per unit (hechi-2021 v1 → v2) folds each period's open per-item duties into the unit's report:
    /// their last text and evidence go onto its lines. Refused with the reason when a duty cannot be folded (under review,
    /// extension pending) or reports would be split. One transaction: all of it or nothing.
    /// </summary>
    public async Task<CampaignMigration> MigrateAsync(Guid campaignId, int toVersion, string actor, CancellationToken ct = default)
    {
        Input.Between(toVersion, "version", 1, 9999);
        var campaign = await db.Campaigns.Include(c => c.Phases).SingleOrDefaultAsync(c => c.Id == campaignId, ct)
            ?? throw new DomainException("id", "创建活动不存在。", ErrorKind.NotFound);
        if (campaign.WorkflowVersion == toVersion)
        {
            throw new DomainException("version", $"该创建活动已在第{toVersion}版流程上运行。", ErrorKind.Conflict);
        }
        if (!workflows.TryGet(campaign.WorkflowId, toVersion, out var target))
        {
            throw new DomainException("version", $"流程 '{campaign.WorkflowId}' 没有第{toVersion}版。", ErrorKind.NotFound);
        }
        var programme = programmes.Find(campaign.ProgrammeId, campaign.ProgrammeVersion)!;
        var rows = await db.Assignments.Where(a => a.CampaignId == campaignId).ToListAsync(ct);
        var assessed = programme.Header.Subject == Core.Programmes.ProgrammeSubject.Unit
            ? rows.Select(r => r.Unit).Distinct().Order(StringComparer.Ordinal).ToList()
            : null;
        var plan = CampaignPlanner.Plan(programme, target, campaign.StartDate, calendar, assessed);
        var now = clock.GetUtcNow();
        static string KeyOf(AssignmentRecord a) => $"{a.StepId}/{a.ItemNo?.ToString() ?? "-"}/{a.Unit}/{a.Period?.ToString() ?? "-"}";
        var existing = rows.ToDictionary(KeyOf);
        var planned = plan.Assignments.ToDictionary(p => p.Key);
        static bool Open(AssignmentRecord a) => a.State is not (AssignmentState.Approved or AssignmentState.Cancelled);
        var current = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion);
        var folds = Folds(current, target, rows, existing);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // A period whose per-item duties are all finished keeps them as they are: no report is added for it.
            var added = plan.Assignments.Where(p => !existing.ContainsKey(p.Key)
                    && !(p.Lines is not null && folds.TryGetValue((p.StepId, p.Unit, p.Period?.Index), out var f) && f.All(r => !Open(r))))
                .Select(a => (Plan: a, Row: new AssignmentRecord
                {
                    Id = Guid.CreateVersion7(now), CampaignId = campaign.Id, ProgrammeId = programme.Id, StepId = a.StepId, PhaseId = a.Phase,
                    ItemNo = a.ItemNo, Unit = a.Unit, Period = a.Period?.Index, PeriodLabel = a.Period?.Label, DueDate = a.Due,
                    State = AssignmentState.Assigned, ReviewerUnit = a.ReviewerUnit, Evidence = a.Evidence, CreatedAt = now, UpdatedAt = now,
                })).ToList();
            db.Assignments.AddRange(added.Select(a => a.Row));
            var reports = added.Where(a => a.Plan.Lines is not null)
                .Select(a => (a.Row, Lines: LinesOf(a.Plan, a.Row.Id).ToList(), Duties: folds.GetValueOrDefault((a.Plan.StepId, a.Plan.Unit, a.Plan.Period?.Index)) ?? []))
                .ToList();
            db.ReportLines.AddRange(reports.SelectMany(r => r.Lines));
            await db.SaveChangesAsync(ct); // once: the lines need their ids for the citations (inside the migration's transaction)
            foreach (var (report, lines, duties) in reports.Where(r => r.Duties.Count > 0))
            {
                await FoldAsync(report, lines, duties, now, ct);
            }
            // Open duties the new version drops (the per-item duties folded into reports among them) are cancelled through the lifecycle.
            // Folded duties go with 并入单位报告, the others with 撤销; re-dated ones with 改期 — each an audit entry.
            var cancelled = rows.Where(r => Open(r) && !planned.ContainsKey(KeyOf(r))).ToList();
            var folded = folds.Values.SelectMany(f => f).Select(r => r.Id).ToHashSet();
            var why = $"流程由第{campaign.WorkflowVersion}版迁移至第{toVersion}版";
            await assignments.StageManyAsync([.. cancelled.Where(r => folded.Contains(r.Id))], (l, a, at) => l.Fold(a, at, why + "，本项并入单位报告"), actor, ct);
            await assignments.StageManyAsync([.. cancelled.Where(r => !folded.Contains(r.Id))], (l, a, at) => l.Cancel(a, at, why), actor, ct);
            var redated = rows.Where(r => Open(r) && planned.TryGetValue(KeyOf(r), out var p) && p.Due != r.DueDate).ToList();
            var newDue = redated.ToDictionary(r => r.Id, r => planned[KeyOf(r)].Due);
            await assignments.StageManyAsync(redated, (l, a, at) => l.Reschedule(a, at, newDue[l.Assignment.Id], why), actor, ct, cancelReminders: false);
            var touched = redated.Select(r => (Guid?)r.Id).ToList();
            await db.Timers.Where(t => touched.Contains(t.AssignmentId) && t.State == TimerState.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TimerState.Cancelled), ct);
            db.Timers.AddRange(added.Select(a => a.Row).Concat(redated).Select(r => ReminderTimers.First(r, target, calendar, now)).OfType<TimerRecord>());
            var from = campaign.WorkflowVersion;
            campaign.WorkflowVersion = toVersion;
            foreach (var window in plan.Phases)
            {
                if (campaign.Phases.FirstOrDefault(p => p.PhaseId == window.PhaseId) is { } phase)
                {
                    (phase.Start, phase.End) = (window.Start, window.End);
                }
            }
            var result = new CampaignMigration(from, toVersion, added.Count, cancelled.Count, redated.Count);
            db.AddAudit(now, actor, AuditActions.CampaignMigrated, AuditEntities.Campaign, campaign.Id.ToString(),
                JsonSerializer.Serialize(new { WorkflowVersion = from }), JsonSerializer.Serialize(result));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return result;
        }
        catch
        {
            db.ChangeTracker.Clear(); // never half done: nothing staged survives a refusal
            throw;
        }
    }

    /// <summary>
    /// The per-item duties each new per-unit report takes over: for every step that is per item now and per unit in the
    /// target, the duties by (step, unit, period). Refused, naming the duty, when one is under review or waits for an
    /// extension decision (decide first), or when the target would split reports back into per-item duties.
    /// </summary>
    private Dictionary<(string, string, int?), List<AssignmentRecord>> Folds(
        WorkflowDefinition current, WorkflowDefinition target, List<AssignmentRecord> rows, Dictionary<string, AssignmentRecord> existing)
    {
        var grain = current.Steps.ToDictionary(s => s.Id, s => s.Grain);
        if (target.Steps.FirstOrDefault(s => s.Grain == StepGrain.Item && grain.GetValueOrDefault(s.Id) == StepGrain.Unit) is { } split)
        {
            throw new DomainException("version", $"第{current.Version}版的“{split.Name}”是按单位汇总的报告，第{target.Version}版改为逐项填报：报告不能拆回逐项任务，未作任何迁移。", ErrorKind.Conflict);
        }
        var folded = target.Steps.Where(s => s.Grain == StepGrain.Unit && grain.GetValueOrDefault(s.Id, StepGrain.Item) == StepGrain.Item)
            .ToDictionary(s => s.Id);
        var rowsOf = rows.Where(r => r.ItemNo is not null && folded.ContainsKey(r.StepId)).ToList();
        if (rowsOf.FirstOrDefault(r => r.State == AssignmentState.Submitted || r.ExtensionRequestedDueDate is not null) is { } busy)
        {
            var item = programmes.Find(busy.ProgrammeId)?.Items[busy.ItemNo!.Value - 1].Text;
            var what = $"{busy.Unit}·{ReminderTexts.Describe(busy.ItemNo, item, folded[busy.StepId].Name, busy.PeriodLabel)}";
            throw new DomainException("version", busy.State == AssignmentState.Submitted
                ? $"{what}已提交、正在审核，不能并入单位报告。请先审核完毕再迁移；未作任何迁移。"
                : $"{what}有待审批的延期申请，不能并入单位报告。请先审批再迁移；未作任何迁移。", ErrorKind.Conflict);
        }
        return rowsOf.GroupBy(r => (r.StepId, r.Unit, r.Period)).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>
    /// Fills a new report's lines from the per-item duties it takes over: the last progress text, the evidence cited (it stays
    /// on its item and its duty, so scoring and the package still find it), an approved duty's line approved. Audited on the report.
    /// </summary>
    private async Task FoldAsync(AssignmentRecord report, List<ReportLineRecord> lines, List<AssignmentRecord> duties, DateTimeOffset now, CancellationToken ct)
    {
        var ids = duties.Select(d => d.Id).ToList();
        var texts = (await db.ProgressReports.Where(p => ids.Contains(p.AssignmentId)).OrderBy(p => p.Id).ToListAsync(ct))
            .GroupBy(p => p.AssignmentId).ToDictionary(g => g.Key, g => g.Last().Text);
        var files = (await db.EvidenceFiles.Where(f => ids.Contains(f.AssignmentId)).Select(f => new { f.AssignmentId, f.Id }).ToListAsync(ct))
            .ToLookup(f => f.AssignmentId, f => f.Id);
        foreach (var duty in duties)
        {
            var line = lines.Single(l => l.ItemNo == duty.ItemNo);
            line.Text = texts.GetValueOrDefault(duty.Id);
            line.State = duty.State == AssignmentState.Approved ? ReportLineState.Approved : ReportLineState.Draft;
            (line.UpdatedBy, line.UpdatedAt) = (ProgrammeImporter.SystemActor, now);
            db.ReportLineCitations.AddRange(files[duty.Id].Select(f => new ReportLineCitationRecord { LineId = line.Id, EvidenceFileId = f }));
            db.AddAudit(now, ProgrammeImporter.SystemActor, AuditActions.ReportLineFolded, AuditEntities.Assignment, report.Id.ToString(),
                after: JsonSerializer.Serialize(new { line.ItemNo, From = duty.Id, State = line.State.ToString(), Files = files[duty.Id].Count() }));
        }
    }
}

public sealed record CampaignMigration(int FromVersion, int ToVersion, int Added, int Cancelled, int Redated);
