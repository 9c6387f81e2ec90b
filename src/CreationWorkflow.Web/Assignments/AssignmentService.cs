namespace CreationWorkflow.Web.Assignments;

/// <summary>
/// Every change to an assignment: the lifecycle decides, and the change, its audit entry, the notices it causes
/// and any re-planned reminder timers are written in one transaction.
/// </summary>
public sealed class AssignmentService(AppDbContext db, TimeProvider clock, WorkflowCatalog workflows, WorkingDayCalendar calendar, ProgrammeCatalog programmes)
{
    public async Task<AssignmentRecord> FindAsync(Guid id, CancellationToken ct) =>
        await db.Assignments.SingleOrDefaultAsync(a => a.Id == id, ct)
            ?? throw new DomainException("id", "任务不存在。", ErrorKind.NotFound);

    /// <summary>Applies one lifecycle trigger to a loaded assignment and stores everything it causes.</summary>
    /// <param name="dueDate">A due date the request carries (an extension's), checked within the campaign before anything else.</param>
    public async Task<AssignmentTransition> ApplyAsync(
        AssignmentRecord row, Func<AssignmentLifecycle, DateTimeOffset, AssignmentTransition> act, string actorName, CancellationToken ct,
        Action<AssignmentTransition>? alsoInTransaction = null, DateOnly? dueDate = null, string? lineReviewer = null, bool byLines = false)
    {
        if (dueDate is { } requested)
        {
            await CheckWithinCampaignAsync(row, requested, ct);
        }
        if (!byLines && await db.ReportLines.AnyAsync(l => l.AssignmentId == row.Id, ct))
        {
            // A per-unit report is filled, submitted and reviewed line by line (ReportService); 签收 and extensions stay here.
            AssignmentTrigger? probe;
            try
            {
                probe = act(new AssignmentLifecycle(ToCore(row)), clock.GetUtcNow()).Trigger; // on a copy: nothing changes
            }
            catch (AssignmentTransitionException)
            {
                probe = null; // refused anyway, below, with the lifecycle's own reason
            }
            if (probe is AssignmentTrigger.ReportProgress or AssignmentTrigger.Submit or AssignmentTrigger.Return or AssignmentTrigger.Approve)
            {
                throw new DomainException("lines", "本任务是按单位汇总的报告，请逐条填报、逐条审核。", ErrorKind.Conflict);
            }
        }
        var (now, before, step, campaign, core, transition) = await DecideAsync(row, act, lineReviewer, ct);
        if (step.Gate && transition.Trigger == AssignmentTrigger.Submit && !campaign.GateOpen)
        {
            var programme = programmes.Find(row.ProgrammeId)!;
            var facts = Scoring.FactStore.ToFacts(await db.Facts.AsNoTracking()
                .Where(f => f.CampaignId == row.CampaignId && f.Subject == "" && f.Layer == Scoring.FactLayer.Reviewed).ToListAsync(ct));
            var total = Core.Scoring.ScoringEngine.Score(programme, facts).Total;
            var min = programme.Header.Gate?.MinScore ?? 0m;
            throw new DomainException("gate", total >= min
                ? $"验收申请只能在验收阶段提交（当前审核自评分{total:0.##}分）。"
                : $"审核自评分{total:0.##}分，低于{min:0.##}分，还差{min - total:0.##}分，不能提出验收申请。", ErrorKind.Conflict);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await RecordAsync(row, core, transition, before, step, actorName, now, ct);
        alsoInTransaction?.Invoke(transition);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return transition;
    }

    /// <summary>
    /// As <see cref="ApplyAsync"/>, inside the caller's transaction, for a change that spans several reports (本项全部通过):
    /// the row, its audit entry, re-planned reminders and notices are staged; the caller saves and commits.
    /// </summary>
    public async Task<AssignmentTransition> StageAsync(
        AssignmentRecord row, Func<AssignmentLifecycle, DateTimeOffset, AssignmentTransition> act, string actorName, string? lineReviewer, CancellationToken ct)
    {
        var (now, before, step, _, core, transition) = await DecideAsync(row, act, lineReviewer, ct);
        await RecordAsync(row, core, transition, before, step, actorName, now, ct);
        return transition;
    }

    /// <summary>What the lifecycle decides for the row now, with what recording it needs (nothing is changed yet).</summary>
    private async Task<(DateTimeOffset Now, string Before, Core.Workflows.WorkflowStep Step, Campaigns.CampaignRecord Campaign, Assignment Core, AssignmentTransition Transition)> DecideAsync(
        AssignmentRecord row, Func<AssignmentLifecycle, DateTimeOffset, AssignmentTransition> act, string? lineReviewer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var before = Snapshot(row);
        var (step, campaign) = await StepAsync(row, ct);
        // A per-unit report has a reviewer per line: the line's reviewer acts as the report's reviewer for this transition.
        var core = ToCore(row, step.Action == Core.Workflows.StepAction.Acknowledge, lineReviewer);
        return (now, before, step, campaign, core, act(new AssignmentLifecycle(core), now));
    }

    /// <summary>
    /// One lifecycle trigger on many assignments inside the caller's transaction (a campaign migration, all or nothing): 撤销,
    /// 并入单位报告 or 改期, as <paramref name="act"/> fires it for the office's <paramref name="actorName"/>; each row's transition
    /// and audit entry, then (with <paramref name="cancelReminders"/>) their pending reminders cancelled in one statement. A
    /// refusal names the row and stops the whole batch. The caller saves.
    /// </summary>
    public async Task StageManyAsync(
        IReadOnlyList<AssignmentRecord> rows, Func<AssignmentLifecycle, Actor, DateTimeOffset, AssignmentTransition> act, string actorName,
        CancellationToken ct, bool cancelReminders = true)
    {
        var now = clock.GetUtcNow();
        var actor = Actor.Office(actorName);
        foreach (var row in rows)
        {
            var before = Snapshot(row);
            var core = ToCore(row);
            var lifecycle = new AssignmentLifecycle(core);
            AssignmentTransition transition = null!;
            Refuse($"{row.Unit}·{row.StepId}（截止{AssignmentNames.Iso(row.DueDate)}）", () => transition = act(lifecycle, actor, now));
            StageRow(row, core, transition, before, actorName, now);
        }
        if (cancelReminders)
        {
            await CancelRemindersAsync(rows, ct);
        }
    }

    /// <summary>Cancels the pending reminders of <paramref name="rows"/>, in one statement per 500.</summary>
    private async Task CancelRemindersAsync(IEnumerable<AssignmentRecord> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Select(r => (Guid?)r.Id).Chunk(500))
        {
            await db.Timers.Where(t => chunk.Contains(t.AssignmentId) && t.State == TimerState.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TimerState.Cancelled), ct);
        }
    }

    /// <summary>The row after a transition and its audit entry (who, when, before → after).</summary>
    private void StageRow(AssignmentRecord row, Assignment core, AssignmentTransition transition, string before, string actorName, DateTimeOffset now)
    {
        CopyBack(core, row);
        row.UpdatedAt = now;
        row.Revision++;
        db.AddAudit(now, actorName, AuditActions.Assignment(transition.Trigger), AuditEntities.Assignment, row.Id.ToString(), before, Snapshot(row));
    }

    /// <summary>Stages what a transition causes (the row, its audit entry, re-planned reminders, notices); the caller saves.</summary>
    private async Task RecordAsync(
        AssignmentRecord row, Assignment core, AssignmentTransition transition, string before, Core.Workflows.WorkflowStep step, string actorName,
        DateTimeOffset now, CancellationToken ct)
    {
        StageRow(row, core, transition, before, actorName, now);
        if (transition.DueDateChanged || row.State is AssignmentState.Approved or AssignmentState.Cancelled)
        {
            await ReplanRemindersAsync(row, now, ct);
        }
        Notify(row, transition, Describe(row, step), now);
    }

    /// <summary>The office changes a deadline or the unit after creation (改期 / 改派): logged, reminders re-planned.</summary>
    /// <remarks>
    /// A new due date must differ from the current one, not lie before today, and fall within the campaign; the reason and
    /// the unit within their lengths. The setup page and <c>PATCH /api/assignments/{id}</c> both come here, so both refuse alike.
    /// </remarks>
    public async Task<AssignmentRecord> ChangeAsync(AssignmentRecord row, DateOnly? dueDate, string? unit, string reason, string actorName, CancellationToken ct)
    {
        Input.Bounded(reason, "reason", Input.TextLength);
        Input.Bounded(unit, "unit", Input.NameLength);
        if (dueDate is { } due)
        {
            if (due == row.DueDate)
            {
                throw new DomainException("dueDate", $"新的截止日期与原截止日期（{due:yyyy-MM-dd}）相同。");
            }
            var today = ChinaTime.Today(clock.GetUtcNow());
            if (due < today)
            {
                throw new DomainException("dueDate", $"新的截止日期（{due:yyyy-MM-dd}）不能早于今天（{today:yyyy-MM-dd}）。");
            }
            await CheckWithinCampaignAsync(row, due, ct);
        }
        CheckChange(row, reason);
        if (unit is not null)
        {
            await CheckUnitAsync(row.ProgrammeId, row.CampaignId, unit, ct);
        }
        var (step, _) = await StepAsync(row, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await StageChangeAsync(row, dueDate, unit, reason, step, actorName, clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return row;
    }

    /// <summary>
    /// 批量改派: moves every listed assignment of the campaign to <paramref name="unit"/>, with one reason, in one transaction.
    /// The first row that may not move refuses the whole batch, naming that row; nothing is changed then.
    /// </summary>
    public async Task<IReadOnlyList<AssignmentRecord>> ReassignManyAsync(
        Guid campaignId, IReadOnlyList<Guid> ids, string unit, string reason, string actorName, CancellationToken ct)
    {
        unit = Input.Text(unit, "unit", required: false, max: Input.NameLength) ?? "";
        Input.Bounded(reason, "reason", Input.TextLength);
        if (unit.Length == 0)
        {
            throw new DomainException("unit", "请选择改派到的单位。");
        }
        var rows = await LoadBatchAsync(campaignId, ids, ct);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("reason", "调整须说明理由。");
        }
        await CheckUnitAsync(rows[0].ProgrammeId, campaignId, unit, ct);
        var now = clock.GetUtcNow();
        var moving = new HashSet<(string, int?, int?)>();
        await InOneTransactionAsync(async () =>
        {
            foreach (var row in rows)
            {
                var (step, _) = await StepAsync(row, ct);
                var name = Name(row, step);
                Refuse(name, () => CheckChange(row, reason));
                if (row.Unit == unit)
                {
                    throw new DomainException("ids", $"{name}：已由{unit}承办，无需改派。没有改派任何一项。", ErrorKind.Conflict);
                }
                if (!moving.Add((row.StepId, row.ItemNo, row.Period)))
                {
                    throw new DomainException("ids", $"{name}：与所选的另一项是同一任务，不能都改派给{unit}。没有改派任何一项。", ErrorKind.Conflict);
                }
                await RefuseAsync(name, () => StageChangeAsync(row, null, unit, reason, step, actorName, now, ct));
            }
        }, ct);
        return rows;
    }

    /// <summary>
    /// 批量签收: the unit signs for every task of one phase of a campaign it has not signed for yet, in one transaction — each
    /// through the lifecycle (an acknowledge-only duty is done by it) with its own audit entry. Only the unit's own tasks are
    /// touched; a campaign in which the unit has no task answers 404, a phase with nothing left to sign 409.
    /// </summary>
    public async Task<IReadOnlyList<AssignmentRecord>> AcknowledgeManyAsync(Guid campaignId, string phaseId, string unit, string actorName, CancellationToken ct)
    {
        phaseId = Input.Text(phaseId, "phaseId", required: true, max: Input.NameLength)!;
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null || !await db.Assignments.AnyAsync(a => a.CampaignId == campaignId && a.Unit == unit, ct))
        {
            throw new DomainException("campaignId", "创建活动不存在，或贵单位在其中没有任务。", ErrorKind.NotFound);
        }
        var rows = await db.Assignments.Where(a => a.CampaignId == campaignId && a.Unit == unit && a.PhaseId == phaseId && a.State == AssignmentState.Assigned)
            .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.StepId).ThenBy(a => a.Period).ToListAsync(ct);
        if (rows.Count == 0)
        {
            throw new DomainException("phaseId", "该阶段没有待签收的任务。", ErrorKind.Conflict);
        }
        var steps = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion).Steps.ToDictionary(s => s.Id);
        var now = clock.GetUtcNow();
        var actor = Actor.Unit(unit);
        await InOneTransactionAsync(async () =>
        {
            foreach (var row in rows)
            {
                var step = steps[row.StepId];
                var before = Snapshot(row);
                var core = ToCore(row, step.Action == Core.Workflows.StepAction.Acknowledge);
                AssignmentTransition transition = null!;
                Refuse(Name(row, step), () => transition = new AssignmentLifecycle(core).Acknowledge(actor, now));
                StageRow(row, core, transition, before, actorName, now);
            }
            // Acknowledge-only duties are done now: their pending reminders go.
            await CancelRemindersAsync(rows.Where(r => r.State == AssignmentState.Approved), ct);
        }, ct);
        return rows;
    }

    /// <summary>
    /// 批量审批延期申请: approves (to the requested dates) or refuses (with one reason) every listed pending request of the
    /// campaign in one transaction, an audit entry and a notice per row. The first row the lifecycle refuses refuses them all.
    /// </summary>
    public async Task<IReadOnlyList<AssignmentRecord>> DecideExtensionsAsync(
        Guid campaignId, IReadOnlyList<Guid> ids, bool approve, string? reason, string actorName, CancellationToken ct)
    {
        Input.Bounded(reason, "reason", Input.TextLength);
        var rows = await LoadBatchAsync(campaignId, ids, ct);
        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("reason", "不予延期须说明理由。");
        }
        var now = clock.GetUtcNow();
        var actor = Actor.Office(actorName);
        await InOneTransactionAsync(async () =>
        {
            foreach (var row in rows)
            {
                var before = Snapshot(row);
                var (step, _) = await StepAsync(row, ct);
                var core = ToCore(row, step.Action == Core.Workflows.StepAction.Acknowledge);
                var lifecycle = new AssignmentLifecycle(core);
                AssignmentTransition transition = null!;
                Refuse(Name(row, step), () => transition = approve
                    ? lifecycle.ApproveExtension(actor, now)
                    : lifecycle.RefuseExtension(actor, now, reason!));
                await RecordAsync(row, core, transition, before, step, actorName, now, ct);
            }
        }, ct);
        return rows;
    }

    /// <summary>
    /// A batch in one transaction: <paramref name="stage"/> stages every row, then all are saved and committed together.
    /// A refusal anywhere leaves nothing saved and nothing staged, so later reads see what is stored.
    /// </summary>
    private async Task InOneTransactionAsync(Func<Task> stage, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await stage();
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    /// <summary>The listed assignments of one campaign, in the order given; any unknown or foreign id refuses the batch.</summary>
    private async Task<List<AssignmentRecord>> LoadBatchAsync(Guid campaignId, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var distinct = Input.Count(ids, "ids").Distinct().ToList();
        if (distinct.Count == 0)
        {
            throw new DomainException("ids", "请至少勾选一项。");
        }
        var rows = await db.Assignments.Where(a => a.CampaignId == campaignId && distinct.Contains(a.Id)).ToListAsync(ct);
        if (rows.Count != distinct.Count)
        {
            throw new DomainException("ids", "所选任务有的不存在或不属于本次创建活动，没有处理任何一项。", ErrorKind.NotFound);
        }
        return [.. distinct.Select(id => rows.Single(r => r.Id == id))];
    }

    /// <summary>Runs a check for one row of a batch; its refusal names the row and says nothing was done.</summary>
    private static void Refuse(string name, Action check)
    {
        try
        {
            check();
        }
        catch (DomainException e)
        {
            throw new DomainException("ids", $"{name}：{e.Message.TrimEnd('。')}。没有处理任何一项。", e.Kind);
        }
        catch (AssignmentTransitionException e)
        {
            throw new DomainException("ids", $"{name}：{e.UserMessage}。没有处理任何一项。", Refusals.KindOf(e.Refusal));
        }
    }

    private static async Task RefuseAsync(string name, Func<Task> stage)
    {
        try
        {
            await stage();
        }
        catch (DomainException e)
        {
            throw new DomainException("ids", $"{name}：{e.Message.TrimEnd('。')}。没有处理任何一项。", e.Kind);
        }
    }

    /// <summary>A due date within the campaign: from its start to the end of its last phase.</summary>
    private async Task CheckWithinCampaignAsync(AssignmentRecord row, DateOnly due, CancellationToken ct)
    {
        var start = await db.Campaigns.Where(c => c.Id == row.CampaignId).Select(c => c.StartDate).SingleAsync(ct);
        var end = await db.Set<Campaigns.CampaignPhaseRecord>().Where(p => p.CampaignId == row.CampaignId).MaxAsync(p => (DateOnly?)p.End, ct) ?? start;
        Input.Within(due, "dueDate", start, end, "本次创建活动的期限");
    }

    private static void CheckChange(AssignmentRecord row, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("reason", "调整须说明理由。");
        }
        if (row.State is AssignmentState.Approved or AssignmentState.Cancelled)
        {
            throw new DomainException("id", "已办结或已撤销的任务不能调整。", ErrorKind.Conflict);
        }
    }

    private async Task CheckUnitAsync(string programmeId, Guid campaignId, string unit, CancellationToken ct)
    {
        if (programmes.Find(programmeId)?.Units.FindUnit(unit) is null
            && !await db.Assignments.AnyAsync(a => a.CampaignId == campaignId && a.Unit == unit, ct))
        {
            throw new DomainException("unit", $"单位 '{unit}' 不在本创建方案的单位名录中，也不是本次考核的单位。");
        }
    }

    /// <summary>Stages one 改期 / 改派 with its audit entry, re-planned reminders and notices to both units; the caller saves.</summary>
    private async Task StageChangeAsync(
        AssignmentRecord row, DateOnly? dueDate, string? unit, string reason, Core.Workflows.WorkflowStep step, string actorName, DateTimeOffset now,
        CancellationToken ct)
    {
        var before = Snapshot(row);
        var oldUnit = row.Unit;
        if (unit is not null && unit != row.Unit
            && await db.Assignments.AnyAsync(a => a.CampaignId == row.CampaignId && a.StepId == row.StepId && a.ItemNo == row.ItemNo
                && a.Period == row.Period && a.Unit == unit, ct))
        {
            throw new DomainException("unit", $"{unit}已有同一任务，不能重复交办。", ErrorKind.Conflict);
        }
        // 改派 (the new unit starts afresh; the old unit's pending request goes) or 改期, through the lifecycle.
        var core = ToCore(row, step.Action == Core.Workflows.StepAction.Acknowledge);
        var lifecycle = new AssignmentLifecycle(core);
        var actor = Actor.Office(actorName);
        var transition = Lifecycle(() => unit is not null && unit != row.Unit
            ? lifecycle.Reassign(actor, now, unit, reason, dueDate)
            : dueDate is { } due
                ? lifecycle.Reschedule(actor, now, due, reason)
                : throw new DomainException("dueDate", "请填写新的截止日期，或选择改派到的单位。"));
        StageRow(row, core, transition, before, actorName, now);
        await ReplanRemindersAsync(row, now, ct);
        foreach (var recipient in new[] { oldUnit, row.Unit }.Distinct())
        {
            db.Notifications.Add(Notice(row, recipient, NotificationKind.Changed, ReminderTexts.Changed(Describe(row, step), row.Unit, row.DueDate, reason), now));
        }
    }

    /// <summary>A lifecycle refusal as the domain error the API and the pages show (its field, its status).</summary>
    private static AssignmentTransition Lifecycle(Func<AssignmentTransition> fire)
    {
        try
        {
            return fire();
        }
        catch (AssignmentTransitionException e)
        {
            throw new DomainException(e.Field ?? "id", e.UserMessage + "。", Refusals.KindOf(e.Refusal));
        }
    }

    /// <summary>One row of a batch as a refusal names it: 市教育局·第3项“…”进展填报（2022年3月）（截止2022-03-31）.</summary>
    private string Name(AssignmentRecord row, Core.Workflows.WorkflowStep step) =>
        $"{row.Unit}·{Describe(row, step)}（截止{AssignmentNames.Iso(row.DueDate)}）";

    /// <summary>Cancels the assignment's pending reminders and plans the first one of its current schedule.</summary>
    private async Task ReplanRemindersAsync(AssignmentRecord row, DateTimeOffset now, CancellationToken ct)
    {
        await db.Timers.Where(t => t.AssignmentId == row.Id && t.State == TimerState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TimerState.Cancelled), ct);
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == row.CampaignId, ct);
        if (ReminderTimers.First(row, workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion), calendar, now) is { } first
            && !await db.Timers.AnyAsync(t => t.OccurrenceKey == first.OccurrenceKey, ct))
        {
            db.Timers.Add(first);
        }
    }

    private void Notify(AssignmentRecord row, AssignmentTransition t, string what, DateTimeOffset now)
    {
        (string Recipient, NotificationKind Kind, ReminderText Text)? notice = t.Trigger switch
        {
            AssignmentTrigger.Submit => (row.ReviewerUnit ?? Recipients.Office, NotificationKind.Submitted, ReminderTexts.Submitted(row.Unit, what)),
            AssignmentTrigger.Return => (row.Unit, NotificationKind.Returned, ReminderTexts.Returned(what, t.Reason, row.DueDate)),
            AssignmentTrigger.Approve => (row.Unit, NotificationKind.Approved, ReminderTexts.Approved(what)),
            AssignmentTrigger.RequestExtension => (Recipients.Office, NotificationKind.ExtensionRequested,
                ReminderTexts.ExtensionRequested(row.Unit, what, t.RequestedDueDate, t.Reason)),
            AssignmentTrigger.ApproveExtension => (row.Unit, NotificationKind.ExtensionApproved, ReminderTexts.ExtensionApproved(what, t.DueDateBefore, t.DueDateAfter)),
            AssignmentTrigger.RefuseExtension => (row.Unit, NotificationKind.ExtensionRefused, ReminderTexts.ExtensionRefused(what, t.Reason, row.DueDate)),
            AssignmentTrigger.Cancel => (row.Unit, NotificationKind.Cancelled, ReminderTexts.Cancelled(what, t.Reason)),
            _ => null,
        };
        if (notice is { } n)
        {
            db.Notifications.Add(Notice(row, n.Recipient, n.Kind, n.Text, now));
        }
    }

    /// <summary>A notice about an assignment, linked to its page; the key defaults to one per revision, kind and recipient.</summary>
    internal static NotificationRecord Notice(
        AssignmentRecord row, string recipient, NotificationKind kind, ReminderText text, DateTimeOffset now, string? occurrenceKey = null) => new()
    {
        OccurrenceKey = occurrenceKey ?? $"act:{row.Id:N}:{row.Revision}:{kind.Spelling()}:{recipient}",
        CampaignId = row.CampaignId,
        ProgrammeId = row.ProgrammeId,
        AssignmentId = row.Id,
        Recipient = recipient,
        Kind = kind,
        Title = text.Title,
        Body = text.Body,
        Link = $"/assignments/{row.Id}",
        CreatedAt = now,
    };

    /// <summary>The assignment as notices name it, from its already-loaded step: 第3项“…”进展填报（2022年3月）.</summary>
    private string Describe(AssignmentRecord row, Core.Workflows.WorkflowStep step)
    {
        var item = row.ItemNo is { } no ? programmes.Find(row.ProgrammeId)?.Items[no - 1].Text : null;
        return ReminderTexts.Describe(row.ItemNo, item, step.Name, row.PeriodLabel);
    }

    /// <summary>The assignment's step in its campaign's workflow version (acknowledge-only? behind the gate?), and the campaign.</summary>
    private async Task<(Core.Workflows.WorkflowStep Step, Campaigns.CampaignRecord Campaign)> StepAsync(AssignmentRecord row, CancellationToken ct)
    {
        var c = await db.Campaigns.AsNoTracking().SingleAsync(x => x.Id == row.CampaignId, ct);
        return (workflows.Get(c.WorkflowId, c.WorkflowVersion).Steps.First(s => s.Id == row.StepId), c);
    }

    public static Assignment ToCore(AssignmentRecord r, bool acknowledgeOnly = false, string? reviewerUnit = null) => Assignment.Restore(
        r.Id, r.ProgrammeId, r.ItemNo ?? 0, r.PhaseId, r.Unit, r.DueDate, reviewerUnit ?? r.ReviewerUnit, r.State,
        r.ExtensionRequestedDueDate is { } d ? new ExtensionRequest(d, r.ExtensionReason!, r.ExtensionRequestedBy!, r.ExtensionRequestedAt!.Value) : null,
        r.ReturnReason, acknowledgeOnly, r.SubmittedAt);

    private static void CopyBack(Assignment a, AssignmentRecord r)
    {
        r.State = a.State;
        r.Unit = a.Unit;
        (r.SubmittedAt, r.SubmittedOn) = (a.SubmittedAt, a.SubmittedAt is { } at ? ChinaTime.Today(at) : null);
        r.DueDate = a.DueDate;
        r.ReturnReason = a.ReturnReason;
        r.ExtensionRequestedDueDate = a.PendingExtension?.RequestedDueDate;
        r.ExtensionReason = a.PendingExtension?.Reason;
        r.ExtensionRequestedBy = a.PendingExtension?.RequestedBy;
        r.ExtensionRequestedAt = a.PendingExtension?.RequestedAt;
    }

    private static string Snapshot(AssignmentRecord r) => JsonSerializer.Serialize(new
    {
        r.State, DueDate = r.DueDate.ToString("yyyy-MM-dd"), r.Unit, r.ReturnReason,
        Extension = r.ExtensionRequestedDueDate?.ToString("yyyy-MM-dd"),
    });
}
