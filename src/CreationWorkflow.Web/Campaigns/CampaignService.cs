using CreationWorkflow.Web.Jobs;

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
            // Hechi's ~1,200 assignments, ~800 timers and ~26,000 report lines in a few multi-row statements, in this transaction.
            await db.InsertManyAsync(rows, ct);
            await db.InsertManyAsync([.. rows.Select(r => ReminderTimers.First(r, definition, calendar, now)).OfType<TimerRecord>()], ct);
            await db.InsertManyAsync([.. planned.SelectMany(p => LinesOf(p.Plan, p.Row.Id))], ct);
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

    /// <summary>A campaign, its two versions, the target's plan and the dry run between them (nothing changed).</summary>
    private sealed record Prepared(
        CampaignRecord Campaign, Core.Programmes.Programme Programme, WorkflowDefinition Current, WorkflowDefinition Target, CampaignPlan Plan,
        Dictionary<Guid, AssignmentRecord> Rows, MigrationDryRun Run);

    private async Task<Prepared> PrepareAsync(Guid campaignId, int toVersion, string field, CancellationToken ct)
    {
        Input.Between(toVersion, field, 1, 9999);
        var campaign = await db.Campaigns.Include(c => c.Phases).SingleOrDefaultAsync(c => c.Id == campaignId, ct)
            ?? throw new DomainException("id", "创建活动不存在。", ErrorKind.NotFound);
        if (campaign.WorkflowVersion == toVersion)
        {
            throw new DomainException("version", $"该创建活动已在第{toVersion}版流程上运行。", ErrorKind.Conflict);
        }
        await workflows.RefreshAsync(db, ct);
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
        var current = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion);

        // Work the units put in: a progress report, evidence, a saved report line. An open task holding it would lose it if cancelled.
        var mine = db.Assignments.Where(a => a.CampaignId == campaignId).Select(a => a.Id);
        var worked = (await db.ProgressReports.Where(p => mine.Contains(p.AssignmentId)).Select(p => p.AssignmentId).Distinct().ToListAsync(ct))
            .Concat(await db.EvidenceFiles.Where(f => mine.Contains(f.AssignmentId)).Select(f => f.AssignmentId).Distinct().ToListAsync(ct))
            .Concat(await db.ReportLines.Where(l => mine.Contains(l.AssignmentId) && (l.Text != null || l.NoProgress || l.State != ReportLineState.Draft))
                .Select(l => l.AssignmentId).Distinct().ToListAsync(ct))
            .ToHashSet();
        var run = MigrationPlanner.Plan(
            [.. rows.Select(r => new MigrationAssignment(r.Id, r.StepId, r.ItemNo, r.Unit, r.Period, r.State, r.DueDate, worked.Contains(r.Id), r.ExtensionRequestedDueDate is not null))],
            current, target, plan, CampaignPlanner.Plan(programme, current, campaign.StartDate, calendar, assessed));
        return new Prepared(campaign, programme, current, target, plan, rows.ToDictionary(r => r.Id), run);
    }

    /// <summary>
    /// The dry run of moving a campaign to <paramref name="toVersion"/>: what would be added, cancelled, re-dated and folded, which
    /// open tasks would lose their work, how much finished work stays, and what stops it. Nothing is changed.
    /// </summary>
    public async Task<MigrationPreview> PreviewAsync(Guid campaignId, int toVersion, CancellationToken ct = default)
    {
        var p = await PrepareAsync(campaignId, toVersion, "toVersion", ct);
        var (run, rows) = (p.Run, p.Rows);
        string Name(WorkflowDefinition d, string step) => d.Steps.FirstOrDefault(s => s.Id == step)?.Name ?? step;
        string Item(int? no) => no is { } n && n >= 1 && n <= p.Programme.Items.Count ? p.Programme.Items[n - 1].Text : "";
        string Existing(MigrationAssignment a) =>
            $"{a.Unit}·{ReminderTexts.Describe(a.ItemNo, Item(a.ItemNo), Name(p.Current, a.StepId), rows[a.Id].PeriodLabel)}（{a.State.Label()}，截止 {a.Due:yyyy-MM-dd}）";
        static List<string> Few<T>(IEnumerable<T> all, Func<T, string> text) => [.. all.Take(MigrationPreview.Examples).Select(text)];
        return new MigrationPreview(
            run.FromVersion, run.ToVersion, run.Added.Count, run.Cancelled.Count, run.Redated.Count, run.OpenFolds.Count(), run.WouldLoseState.Count, run.Kept,
            run.CanApply, [.. run.Blockers.Select(b => Blocked(b, p).Message)],
            Few(run.Added, a => $"{a.Unit}·{ReminderTexts.Describe(a.ItemNo, Item(a.ItemNo), Name(p.Target, a.StepId), a.Period?.Label)}（截止 {a.Due:yyyy-MM-dd}）"),
            Few(run.Cancelled, Existing),
            Few(run.Redated, r => $"{Existing(r.Assignment)} → {r.NewDue:yyyy-MM-dd}"),
            Few(run.OpenFolds, f => Existing(f.Duty)),
            Few(run.WouldLoseState, Existing));
    }

    /// <summary>A blocker as the office reads it (the refusal's zh-CN reason).</summary>
    private DomainException Blocked(MigrationBlocker b, Prepared p)
    {
        if (b.Assignment is not { } busy)
        {
            return new DomainException("version", $"第{p.Current.Version}版的“{b.Step.Name}”是按单位汇总的报告，第{p.Target.Version}版改为逐项填报：报告不能拆回逐项任务，未作任何迁移。", ErrorKind.Conflict);
        }
        var item = busy.ItemNo is { } n ? p.Programme.Items[n - 1].Text : null;
        var what = $"{busy.Unit}·{ReminderTexts.Describe(busy.ItemNo, item, b.Step.Name, p.Rows[busy.Id].PeriodLabel)}";
        return new DomainException("version", b.Kind == MigrationBlockerKind.UnderReview
            ? $"{what}已提交、正在审核，不能并入单位报告。请先审核完毕再迁移；未作任何迁移。"
            : $"{what}有待审批的延期申请，不能并入单位报告。请先审批再迁移；未作任何迁移。", ErrorKind.Conflict);
    }

    /// <summary>
    /// Moves a running campaign to another version of its workflow definition — never implicitly — as its dry run
    /// (<see cref="MigrationPlanner"/>) says: missing duties are added, open duties the new version drops are cancelled through the
    /// lifecycle (an audit entry each), open duties whose deadline changed are re-dated; finished work is kept as it is, never
    /// reopened. A step that becomes per unit (hechi-2021 v1 → v2) folds each period's open per-item duties into the unit's report:
    /// their last text and evidence go onto its lines. Refused with the reason when a duty cannot be folded (under review,
    /// extension pending) or reports would be split, and — unless <paramref name="acceptLoss"/> — when an open task the unit has
    /// worked on would be cancelled. One transaction: all of it or nothing.
    /// </summary>
    /// <param name="field">The request's name for the version (the legacy route calls it <c>version</c>).</param>
    public async Task<CampaignMigration> MigrateAsync(
        Guid campaignId, int toVersion, string actor, CancellationToken ct = default, bool acceptLoss = false, string field = "toVersion")
    {
        var p = await PrepareAsync(campaignId, toVersion, field, ct);
        var (campaign, programme, target, plan, run) = (p.Campaign, p.Programme, p.Target, p.Plan, p.Run);
        if (run.Blockers.Count > 0)
        {
            throw Blocked(run.Blockers[0], p);
        }
        if (run.WouldLoseState.Count > 0 && !acceptLoss)
        {
            var first = run.WouldLoseState[0];
            throw new DomainException("acceptLoss",
                $"有{run.WouldLoseState.Count}项已在办理的任务将被撤销、已填内容不再计入（如 {first.Unit} 的“{p.Current.Steps.FirstOrDefault(s => s.Id == first.StepId)?.Name ?? first.StepId}”）。" +
                "请先查看试运行结果，确认后再迁移（acceptLoss: true）；未作任何迁移。", ErrorKind.Conflict);
        }
        var now = clock.GetUtcNow();
        CampaignMigration result;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var added = run.Added.Select(a => (Plan: a, Row: new AssignmentRecord
                {
                    Id = Guid.CreateVersion7(now), CampaignId = campaign.Id, ProgrammeId = programme.Id, StepId = a.StepId, PhaseId = a.Phase,
                    ItemNo = a.ItemNo, Unit = a.Unit, Period = a.Period?.Index, PeriodLabel = a.Period?.Label, DueDate = a.Due,
                    State = AssignmentState.Assigned, ReviewerUnit = a.ReviewerUnit, Evidence = a.Evidence, CreatedAt = now, UpdatedAt = now,
                })).ToList();
            db.Assignments.AddRange(added.Select(a => a.Row));
            var folds = run.Folded.ToLookup(f => f.ReportKey, f => p.Rows[f.Duty.Id]);
            var reports = added.Where(a => a.Plan.Lines is not null)
                .Select(a => (a.Row, Lines: LinesOf(a.Plan, a.Row.Id).ToList(), Duties: folds[a.Plan.Key].ToList()))
                .ToList();
            db.ReportLines.AddRange(reports.SelectMany(r => r.Lines));
            await db.SaveChangesAsync(ct); // once: the lines need their ids for the citations (inside the migration's transaction)
            foreach (var (report, lines, duties) in reports.Where(r => r.Duties.Count > 0))
            {
                await FoldAsync(report, lines, duties, now, ct);
            }
            // Open duties folded into reports go with 并入单位报告, those the new version drops with 撤销, re-dated ones with 改期 —
            // each through the lifecycle, an audit entry each.
            var why = $"流程由第{campaign.WorkflowVersion}版迁移至第{toVersion}版";
            await assignments.StageManyAsync([.. run.OpenFolds.Select(f => p.Rows[f.Duty.Id])], (l, a, at) => l.Fold(a, at, why + "，本项并入单位报告"), actor, ct);
            await assignments.StageManyAsync([.. run.Cancelled.Select(c => p.Rows[c.Id])], (l, a, at) => l.Cancel(a, at, why), actor, ct);
            var redated = run.Redated.Select(r => p.Rows[r.Assignment.Id]).ToList();
            var newDue = run.Redated.ToDictionary(r => r.Assignment.Id, r => r.NewDue);
            await assignments.StageManyAsync(redated, (l, a, at) => l.Reschedule(a, at, newDue[l.Assignment.Id], why), actor, ct, cancelReminders: false);
            var touched = redated.Select(r => (Guid?)r.Id).ToList();
            await db.Timers.Where(t => touched.Contains(t.AssignmentId) && t.State == TimerState.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TimerState.Cancelled), ct);
            db.Timers.AddRange(added.Select(a => a.Row).Concat(redated).Select(r => ReminderTimers.First(r, target, calendar, now)).OfType<TimerRecord>());
            var from = campaign.WorkflowVersion;
            campaign.WorkflowVersion = toVersion;
            foreach (var window in plan.Phases)
            {
                if (campaign.Phases.FirstOrDefault(x => x.PhaseId == window.PhaseId) is { } phase)
                {
                    (phase.Start, phase.End, phase.Name) = (window.Start, window.End, window.Name);
                }
            }
            result = new CampaignMigration(from, toVersion, added.Count, run.Cancelled.Count + run.OpenFolds.Count(), redated.Count,
                run.OpenFolds.Count(), run.WouldLoseState.Count, run.Kept);
            db.AddAudit(now, actor, AuditActions.CampaignMigrated, AuditEntities.Campaign, campaign.Id.ToString(),
                JsonSerializer.Serialize(new { WorkflowVersion = from }), JsonSerializer.Serialize(result));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            db.ChangeTracker.Clear(); // never half done: nothing staged survives a refusal
            throw;
        }
        try
        {
            await checkpoints.RescheduleAsync(campaign, plan.Checkpoints, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Campaign {Campaign} migrated to v{Version} but its checkpoints could not be rescheduled in Quartz", campaign.Id, toVersion);
        }
        return result;
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

/// <summary>What a migration did: <see cref="Cancelled"/> counts the folded duties too (each cancelled with 并入单位报告).</summary>
public sealed record CampaignMigration(int FromVersion, int ToVersion, int Added, int Cancelled, int Redated, int Folded = 0, int LostState = 0, int Kept = 0);

/// <summary>
/// The dry run as the office reads it: the counts of each category, whether it can be applied (else <see cref="Blockers"/>, zh-CN),
/// and up to <see cref="Examples"/> examples of each.
/// </summary>
public sealed record MigrationPreview(
    int FromVersion, int ToVersion, int Added, int Cancelled, int Redated, int Folded, int WouldLoseState, int Kept, bool CanApply,
    IReadOnlyList<string> Blockers, IReadOnlyList<string> AddedExamples, IReadOnlyList<string> CancelledExamples,
    IReadOnlyList<string> RedatedExamples, IReadOnlyList<string> FoldedExamples, IReadOnlyList<string> WouldLoseStateExamples)
{
    public const int Examples = 20;
}
