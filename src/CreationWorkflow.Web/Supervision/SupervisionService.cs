namespace CreationWorkflow.Web.Supervision;

public sealed record UrgeRequest(Guid AssignmentId, string? Note = null);

public sealed record UrgeUnitRequest(Guid CampaignId, string Unit, string? Note = null);

public sealed record IssueOrderRequest(Guid CampaignId, string Unit, IReadOnlyList<Guid> AssignmentIds, string Requirement, DateOnly RectifyBy);

public sealed record OrderFeedbackRequest(string Text);

public sealed record OrderDecisionRequest(string Decision);

/// <summary>
/// What inspectors and the office do about late work: one-click 催办 to a unit, numbered 督办单 with a rectification
/// deadline, the unit's 整改反馈, and 销号 or 提级督办. Each change, its notices and its audit entry are one save.
/// </summary>
public sealed class SupervisionService(
    AppDbContext db, TimeProvider clock, WorkflowCatalog workflows, ProgrammeCatalog programmes, Core.Calendar.WorkingDayCalendar calendar,
    ILogger<SupervisionService> log)
{
    /// <summary>How often issuing retries when another order took the same number at the same moment.</summary>
    public const int NumberAttempts = 10;

    /// <summary>催办: tells the assignment's unit, once a day at most, that it is being chased.</summary>
    public async Task<NotificationRecord> UrgeAsync(UrgeRequest request, string actor, CancellationToken ct)
    {
        var note = Input.Text(request.Note, "note", required: false);
        var a = await db.Assignments.SingleOrDefaultAsync(x => x.Id == request.AssignmentId, ct)
            ?? throw new DomainException("assignmentId", "任务不存在。", ErrorKind.NotFound);
        if (a.State is AssignmentState.Approved or AssignmentState.Cancelled or AssignmentState.Submitted)
        {
            throw new DomainException("assignmentId",
                $"任务当前状态为「{a.State.Label()}」，不能催办。" + (a.State == AssignmentState.Submitted ? "该任务已提交，正在等待审核。" : ""),
                ErrorKind.Conflict);
        }
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(now);
        var key = $"urge:{a.Id:N}:{today:yyyyMMdd}";
        if (await db.Notifications.AnyAsync(n => n.OccurrenceKey == key, ct))
        {
            throw AlreadyUrged(today);
        }
        var what = (await LookupAsync([a.CampaignId], ct)).Describe(a);
        var late = Deadline.DaysLate(a.State, a.DueDate, today);
        var text = ReminderTexts.Urge(a.Unit, what, a.DueDate, today, late, actor, note, a.Evidence);
        var notice = new NotificationRecord
        {
            OccurrenceKey = key,
            CampaignId = a.CampaignId,
            AssignmentId = a.Id,
            Recipient = Recipients.ForUnit(a.Unit),
            Kind = NotificationKind.Urge,
            Title = text.Title,
            Body = text.Body,
            Link = $"/assignments/{a.Id}",
            CreatedAt = now,
        };
        db.Notifications.Add(notice);
        db.AddAudit(now, actor, AuditActions.AssignmentUrged, AuditEntities.Assignment, a.Id.ToString(),
            after: JsonSerializer.Serialize(new { a.Unit, DueDate = a.DueDate.ToString("yyyy-MM-dd"), DaysLate = late, Note = note }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw AlreadyUrged(today); // urged by someone else a moment ago
        }
        return notice;
    }

    /// <summary>How many of a unit's late assignments one 催办 names (the rest are counted).</summary>
    public const int UrgeUnitNames = 10;

    /// <summary>
    /// 催办 of a unit for all its late work in a campaign at once: one notice to the unit naming them (once a day at most),
    /// and an audit entry per assignment, in one save. 409 when the unit has nothing late.
    /// </summary>
    public async Task<NotificationRecord> UrgeUnitAsync(UrgeUnitRequest request, string actor, CancellationToken ct)
    {
        var note = Input.Text(request.Note, "note", required: false);
        var unit = Input.Text(request.Unit, "unit", required: true, max: Input.NameLength)!;
        if (!await db.Campaigns.AnyAsync(c => c.Id == request.CampaignId, ct))
        {
            throw new DomainException("campaignId", "创建活动不存在。", ErrorKind.NotFound);
        }
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(now);
        var late = await db.Assignments.Where(a => a.CampaignId == request.CampaignId && a.Unit == unit).Where(LightQuery.LateOn(today))
            .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.StepId).ThenBy(a => a.Period).ToListAsync(ct);
        if (late.Count == 0)
        {
            throw new DomainException("unit", $"{unit}在本创建活动中没有逾期任务，无需催办。", ErrorKind.Conflict);
        }
        var key = $"urge-unit:{request.CampaignId:N}:{unit}:{today:yyyyMMdd}";
        if (await db.Notifications.AnyAsync(n => n.OccurrenceKey == key, ct))
        {
            throw UnitAlreadyUrged(unit, today);
        }
        var lookup = await LookupAsync([request.CampaignId], ct);
        var named = late.Take(UrgeUnitNames).Select(a => $"{lookup.Describe(a)}（逾期{Deadline.DaysLate(a.State, a.DueDate, today)}天）");
        var text = ReminderTexts.UrgeUnit(unit, today, late.Count, named, late.Count > UrgeUnitNames, actor, note);
        var notice = new NotificationRecord
        {
            OccurrenceKey = key,
            CampaignId = request.CampaignId,
            Recipient = Recipients.ForUnit(unit),
            Kind = NotificationKind.Urge,
            Title = text.Title,
            Body = text.Body,
            Link = "/inbox",
            CreatedAt = now,
        };
        db.Notifications.Add(notice);
        foreach (var a in late)
        {
            db.AddAudit(now, actor, AuditActions.AssignmentUrged, AuditEntities.Assignment, a.Id.ToString(),
                after: JsonSerializer.Serialize(new { a.Unit, DueDate = a.DueDate.ToString("yyyy-MM-dd"), DaysLate = Deadline.DaysLate(a.State, a.DueDate, today), Note = note }));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw UnitAlreadyUrged(unit, today);
        }
        return notice;
    }

    private static DomainException UnitAlreadyUrged(string unit, DateOnly today) =>
        new("unit", $"{unit}今天（{today:yyyy年M月d日}）已整体催办过，每个单位每天只能整体催办一次。", ErrorKind.Conflict);

    private static DomainException AlreadyUrged(DateOnly today) =>
        new("assignmentId", $"该任务今天（{today:yyyy年M月d日}）已催办过，每项任务每天只能催办一次。", ErrorKind.Conflict);

    /// <summary>Issues 督办〔year〕N号 to a unit for some of its assignments in a campaign. N is the next number of the campaign's year.</summary>
    public async Task<SupervisionOrderRecord> IssueAsync(IssueOrderRequest request, string actor, CancellationToken ct)
    {
        var unit = Input.Text(request.Unit, "unit", required: true, max: Input.NameLength)!;
        var requirement = Input.Text(request.Requirement, "requirement", required: true)!;
        var ids = Input.Count(request.AssignmentIds, "assignmentIds").Distinct().ToList();
        if (ids.Count == 0)
        {
            throw new DomainException("assignmentIds", "督办单须至少列出一项任务。");
        }
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(now);
        CheckRectifyBy(request.RectifyBy, today, "rectifyBy");
        if (!await db.Campaigns.AnyAsync(c => c.Id == request.CampaignId, ct))
        {
            throw new DomainException("campaignId", "创建活动不存在。", ErrorKind.NotFound);
        }
        var rows = await db.Assignments.Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        var foreign = ids.Where(id => !rows.Any(r => r.Id == id && r.CampaignId == request.CampaignId && r.Unit == unit)).ToList();
        if (foreign.Count > 0)
        {
            throw new DomainException("assignmentIds", $"以下任务不是本创建活动中{unit}的任务：{string.Join("、", foreign)}。");
        }
        var lookup = await LookupAsync([request.CampaignId], ct);
        var closed = rows.Where(r => r.State is AssignmentState.Approved or AssignmentState.Cancelled).ToList();
        if (closed.Count > 0)
        {
            throw new DomainException("assignmentIds",
                $"已办结或已撤销的任务不能督办：{string.Join("、", closed.Select(r => $"{lookup.Describe(r)}（{r.State.Label()}）"))}。");
        }
        var described = rows.OrderBy(r => r.DueDate).ThenBy(r => r.ItemNo).Select(lookup.Describe).ToList();

        for (var attempt = 1; ; attempt++)
        {
            var order = await StageAsync(request.CampaignId, unit, requirement, request.RectifyBy, ids, described, actor, now, source: null, roadStepId: null, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                log.LogInformation("Issued {Order} to {Unit} in campaign {Campaign}", order.Title, unit, order.CampaignId);
                return order;
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another order took this number between our read and our insert: read the next one and try again.
                log.LogDebug("Order number {Number} of {Year} in campaign {Campaign} was taken; retrying", order.Number, order.Year, request.CampaignId);
                db.ChangeTracker.Clear();
                if (attempt == NumberAttempts)
                {
                    throw new DomainException("campaignId", "督办单编号分配冲突，请稍后重试。", ErrorKind.Conflict);
                }
            }
        }
    }

    /// <summary>A rectification deadline (整改期限): after today, within a year. <paramref name="field"/> names the input refused.</summary>
    public static void CheckRectifyBy(DateOnly rectifyBy, DateOnly today, string field)
    {
        if (rectifyBy <= today)
        {
            throw new DomainException(field, $"整改期限（{AssignmentNames.Iso(rectifyBy)}）须晚于今天（{AssignmentNames.Iso(today)}）。");
        }
        Input.Within(rectifyBy, field, today.AddDays(1), today.AddYears(1), "自明天起一年");
    }

    /// <summary>
    /// Stages a 督办单 on the context, unsaved, with its notice to the unit and its audit entry: the one way an order is made,
    /// for late work (<see cref="IssueAsync"/>) and for a finding of the region's 初验 (<paramref name="source"/>, no assignments),
    /// so the caller saves it in the same transaction as its own change, with its first deadline reminder (<see cref="OrderReminders"/>).
    /// Its number is the next of the campaign's year, counting the orders already staged here.
    /// </summary>
    public async Task<SupervisionOrderRecord> StageAsync(
        Guid campaignId, string unit, string requirement, DateOnly rectifyBy, IReadOnlyList<Guid> assignmentIds, IReadOnlyCollection<string> described,
        string actor, DateTimeOffset now, string? source, Guid? roadStepId, CancellationToken ct)
    {
        var year = ChinaTime.Today(now).Year;
        var stored = await db.SupervisionOrders.Where(o => o.CampaignId == campaignId && o.Year == year).MaxAsync(o => (int?)o.Number, ct) ?? 0;
        var staged = db.SupervisionOrders.Local.Where(o => o.CampaignId == campaignId && o.Year == year).Select(o => o.Number).DefaultIfEmpty(0).Max();
        var order = new SupervisionOrderRecord
        {
            Id = Guid.CreateVersion7(now),
            CampaignId = campaignId,
            Year = year,
            Number = 1 + Math.Max(stored, staged),
            Unit = unit,
            Requirement = requirement,
            RectifyBy = rectifyBy,
            IssuedBy = actor,
            IssuedAt = now,
            State = SupervisionOrderState.Open,
            Assignments = [.. assignmentIds.Select(id => new SupervisionOrderAssignment { AssignmentId = id })],
            Source = source,
            RoadStepId = roadStepId,
        };
        db.SupervisionOrders.Add(order);
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => new { c.WorkflowId, c.WorkflowVersion }).SingleAsync(ct);
        if (OrderReminders.First(order, workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion), calendar, now) is { } timer)
        {
            db.Timers.Add(timer);
        }
        Notify(order, NotificationKind.OrderIssued, [Recipients.ForUnit(unit)],
            ReminderTexts.OrderIssued(order.Title, unit, actor, described, requirement, order.RectifyBy), now);
        Audit(order, AuditActions.SupervisionOrderIssued, actor, now, before: null);
        return order;
    }

    /// <summary>整改反馈 by the order's unit: Open → Answered. Another unit's order answers 404, as if it did not exist.</summary>
    public async Task<SupervisionOrderRecord> AnswerAsync(Guid id, string unit, OrderFeedbackRequest request, string actor, CancellationToken ct)
    {
        var order = await FindAsync(id, ct);
        if (order.Unit != unit)
        {
            throw NotFound();
        }
        var text = Input.Text(request.Text, "text", required: true)!;
        var lifecycle = Lifecycle(order);
        if (!lifecycle.CanFire(SupervisionOrderTrigger.Answer))
        {
            throw new DomainException("state",
                $"{order.Title}当前状态为「{SupervisionOrderLifecycle.Chinese(order.State)}」，不能提交整改反馈；只有「{SupervisionOrderLifecycle.Chinese(SupervisionOrderState.Open)}」的督办单可以反馈。",
                ErrorKind.Conflict);
        }
        var now = clock.GetUtcNow();
        var before = Snapshot(order);
        order.Feedback = text;
        order.FeedbackBy = actor.Length <= 100 ? actor : actor[..100];
        order.FeedbackAt = now;
        lifecycle.Fire(SupervisionOrderTrigger.Answer);
        order.Revision++;
        Notify(order, NotificationKind.OrderAnswered, [Recipients.Inspectors, Recipients.Office], ReminderTexts.OrderAnswered(order.Title, order.Unit, text), now);
        Audit(order, AuditActions.SupervisionOrderAnswered, actor, now, before);
        await db.SaveChangesAsync(ct);
        return order;
    }

    /// <summary>销号 (Answered → Closed) or 提级督办 (Open or Answered → Escalated), with the decision the unit reads.</summary>
    public async Task<SupervisionOrderRecord> DecideAsync(Guid id, SupervisionOrderState to, OrderDecisionRequest request, string actor, CancellationToken ct)
    {
        var order = await FindAsync(id, ct);
        var decision = Input.Text(request.Decision, "decision", required: true)!;
        var trigger = SupervisionOrderLifecycle.DecisionTo(to);
        var lifecycle = Lifecycle(order);
        var act = to == SupervisionOrderState.Closed ? "销号" : "提级督办";
        if (!lifecycle.CanFire(trigger))
        {
            throw new DomainException("state",
                $"{order.Title}当前状态为「{SupervisionOrderLifecycle.Chinese(order.State)}」，不能{act}"
                + (to == SupervisionOrderState.Closed && order.State == SupervisionOrderState.Open ? $"：须先由{order.Unit}提交整改反馈。" : "。"),
                ErrorKind.Conflict);
        }
        var now = clock.GetUtcNow();
        var before = Snapshot(order);
        lifecycle.Fire(trigger);
        order.Decision = decision;
        order.DecidedAt = now;
        order.Revision++;
        if (to == SupervisionOrderState.Closed)
        {
            Notify(order, NotificationKind.OrderClosed, [Recipients.ForUnit(order.Unit)], ReminderTexts.OrderClosed(order.Title, order.Unit, decision), now);
        }
        else
        {
            Notify(order, NotificationKind.OrderEscalated, [Recipients.ForUnit(order.Unit), Recipients.Leaders],
                ReminderTexts.OrderEscalated(order.Title, order.Unit, order.RectifyBy, decision), now);
        }
        Audit(order, to == SupervisionOrderState.Closed ? AuditActions.SupervisionOrderClosed : AuditActions.SupervisionOrderEscalated, actor, now, before);
        await db.SaveChangesAsync(ct);
        return order;
    }

    public async Task<SupervisionOrderRecord> FindAsync(Guid id, CancellationToken ct) =>
        await db.SupervisionOrders.Include(o => o.Assignments).SingleOrDefaultAsync(o => o.Id == id, ct) ?? throw NotFound();

    private Task<CampaignLookup> LookupAsync(IEnumerable<Guid> campaignIds, CancellationToken ct) =>
        CampaignLookup.LoadAsync(db, workflows, programmes, campaignIds, ct);

    private static SupervisionOrderLifecycle Lifecycle(SupervisionOrderRecord order) => new(() => order.State, s => order.State = s);

    public static DomainException NotFound() => new("id", "督办单不存在。", ErrorKind.NotFound);

    /// <summary>The occurrence keys' part naming the act, as written before the kinds were one enum (keys of stored notices stay valid).</summary>
    private static readonly Dictionary<NotificationKind, string> OrderKeys = new()
    {
        [NotificationKind.OrderIssued] = "issued", [NotificationKind.OrderAnswered] = "answered",
        [NotificationKind.OrderClosed] = "closed", [NotificationKind.OrderEscalated] = "escalated",
    };

    private void Notify(SupervisionOrderRecord order, NotificationKind kind, IEnumerable<string> recipients, ReminderText text, DateTimeOffset now)
    {
        foreach (var recipient in recipients.Distinct())
        {
            db.Notifications.Add(new NotificationRecord
            {
                OccurrenceKey = $"order:{order.Id:N}:{OrderKeys[kind]}:{recipient}",
                CampaignId = order.CampaignId,
                Recipient = recipient,
                Kind = kind,
                Title = text.Title.Length <= 300 ? text.Title : text.Title[..299] + "…",
                Body = text.Body,
                Link = $"/supervision/orders/{order.Id}",
                CreatedAt = now,
            });
        }
    }

    private void Audit(SupervisionOrderRecord order, string action, string actor, DateTimeOffset now, string? before) =>
        db.AddAudit(now, actor, action, AuditEntities.SupervisionOrder, order.Id.ToString(), before, Snapshot(order));

    private static string Snapshot(SupervisionOrderRecord o) => JsonSerializer.Serialize(new
    {
        o.Title, o.Unit, State = o.State.ToString(), RectifyBy = o.RectifyBy.ToString("yyyy-MM-dd"), Assignments = o.Assignments.Select(a => a.AssignmentId),
        o.Requirement, o.Feedback, o.Decision, o.Source,
    });
}
