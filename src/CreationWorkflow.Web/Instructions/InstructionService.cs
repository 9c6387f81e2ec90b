namespace CreationWorkflow.Web.Instructions;

/// <summary>A leader's instruction: on what (<paramref name="Subject"/> and its key), for which units, by when.</summary>
public sealed record IssueInstructionRequest(
    Guid CampaignId, InstructionSubject Subject, string SubjectKey, IReadOnlyList<string> Units, string Text, DateOnly DueDate);

/// <summary>The leader's 办结 with its note.</summary>
public sealed record CloseInstructionRequest(string Note);

/// <summary>
/// 领导批示: a leader writes an instruction on an item, a 督办单 or a bulletin of a campaign; each named unit is told, gets
/// deadline reminders through the durable timers (<see cref="InstructionReminders"/>) and answers once with its 办理情况
/// (files under the evidence upload rules); the leaders are told of each answer and close it. Each change, its notices,
/// its timers and its audit entry are one save; a refusal stores nothing (files saved for it are deleted).
/// </summary>
public sealed class InstructionService(
    AppDbContext db, TimeProvider clock, WorkflowCatalog workflows, ProgrammeCatalog programmes, WorkingDayCalendar calendar, EvidenceStore store)
{
    /// <summary>How many units one instruction may name.</summary>
    public const int MaxUnits = 30;

    public async Task<InstructionRecord> IssueAsync(IssueInstructionRequest request, string actor, CancellationToken ct)
    {
        var text = Input.Text(request.Text, "text", required: true)!;
        var key = Input.Text(request.SubjectKey, "subjectKey", required: true, max: Input.ShortLength + 14)!;
        var names = Input.Count(request.Units, "units", MaxUnits)
            .Select(u => Input.Text(u, "units", required: false, max: Input.NameLength)).OfType<string>().Distinct().ToList();
        if (names.Count == 0)
        {
            throw new DomainException("units", "请至少指定一个办理单位。");
        }
        if (!Enum.IsDefined(request.Subject))
        {
            throw new DomainException("subject", "批示对象须为测评内容（item）、督办单（order）或工作进展通报（bulletin）。");
        }
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(now);
        if (request.DueDate <= today)
        {
            throw new DomainException("dueDate", $"办理期限（{AssignmentNames.Iso(request.DueDate)}）须晚于今天（{AssignmentNames.Iso(today)}）。");
        }
        Input.Within(request.DueDate, "dueDate", today.AddDays(1), today.AddYears(1), "自明天起一年");
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.CampaignId, ct)
            ?? throw new DomainException("campaignId", "创建活动不存在。", ErrorKind.NotFound);
        var programme = programmes.Find(campaign.ProgrammeId, campaign.ProgrammeVersion)
            ?? throw new DomainException("campaignId", "创建活动的方案版本不存在。", ErrorKind.NotFound);
        // A unit of the programme's directory, or (a unit assessment has none) one the campaign gives work to.
        var outside = names.Where(n => programme.Units.FindUnit(n) is null).ToList();
        var working = outside.Count == 0 ? []
            : await db.Assignments.Where(a => a.CampaignId == campaign.Id && outside.Contains(a.Unit)).Select(a => a.Unit).Distinct().ToListAsync(ct);
        var unknown = outside.Except(working).ToList();
        if (unknown.Count > 0)
        {
            throw new DomainException("units", $"以下单位不在本方案的单位名录中：{string.Join("、", unknown)}。");
        }
        var title = await SubjectTitleAsync(campaign.Id, programme, request.Subject, key, ct);

        var instruction = new InstructionRecord
        {
            Id = Guid.CreateVersion7(now), CampaignId = campaign.Id, Subject = request.Subject, SubjectKey = key, SubjectTitle = title,
            Text = text, DueDate = request.DueDate, IssuedBy = Clip(actor), IssuedAt = now, State = InstructionState.Open,
            Targets = [.. names.Select(n => new InstructionTargetRecord { Id = Guid.CreateVersion7(now), Unit = n })],
        };
        db.Instructions.Add(instruction);
        var definition = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion);
        foreach (var target in instruction.Targets)
        {
            Notify(instruction, NotificationKind.InstructionIssued, "issued", Recipients.ForUnit(target.Unit),
                ReminderTexts.InstructionIssued(instruction.IssuedBy, title, text, instruction.DueDate, [target.Unit]), campaign.ProgrammeId, now);
            if (InstructionReminders.First(instruction, target, definition, calendar, now) is { } timer)
            {
                db.Timers.Add(timer);
            }
        }
        Audit(instruction, AuditActions.InstructionIssued, actor, now, before: null);
        await db.SaveChangesAsync(ct);
        return instruction;
    }

    /// <summary>The subject's title, or a refusal naming why it is not one of this campaign's.</summary>
    private async Task<string> SubjectTitleAsync(Guid campaignId, Core.Programmes.Programme programme, InstructionSubject subject, string key, CancellationToken ct)
    {
        switch (subject)
        {
            case InstructionSubject.Item:
                var entry = AssessmentPages.EntryOf(programme, key)
                    ?? throw new DomainException("subjectKey", $"「{key}」不是本方案的测评内容。", ErrorKind.NotFound);
                return entry.Key.All(char.IsDigit)
                    ? $"第{entry.Key}项“{InboxModel.Short(entry.Text, 24)}”"
                    : $"{entry.Key}“{InboxModel.Short(entry.Text, 24)}”";
            case InstructionSubject.Order:
                var order = Guid.TryParse(key, out var orderId)
                    ? await db.SupervisionOrders.AsNoTracking().Where(o => o.Id == orderId && o.CampaignId == campaignId)
                        .Select(o => new { o.Year, o.Number, o.Unit }).SingleOrDefaultAsync(ct)
                    : null;
                return order is null
                    ? throw new DomainException("subjectKey", "督办单不存在，或不属于本创建活动。", ErrorKind.NotFound)
                    : $"{ReminderTexts.OrderTitle(order.Year, order.Number)}（{order.Unit}）";
            default:
                var bulletin = await db.Bulletins.AsNoTracking().Where(b => b.CampaignId == campaignId && b.Period == key)
                    .Select(b => new { b.Period, b.Title }).SingleOrDefaultAsync(ct)
                    ?? throw new DomainException("subjectKey", $"本创建活动没有{key}的工作进展通报。", ErrorKind.NotFound);
                var period = Bulletins.BulletinPeriod.Parse(bulletin.Period, "subjectKey");
                return $"{period.Year}年{period.Month}月{bulletin.Title}";
        }
    }

    /// <summary>A named unit's 办理情况, once, while the instruction is open; the leaders are told. Another unit answers 404.</summary>
    public async Task<InstructionRecord> AnswerAsync(Guid id, string unit, string? text, IReadOnlyList<IFormFile>? files, string actor, CancellationToken ct)
    {
        var answer = Input.Text(text, "text", required: true)!;
        var uploads = files ?? [];
        store.Validate(uploads);
        var instruction = await FindAsync(id, ct);
        var target = instruction.Targets.SingleOrDefault(t => t.Unit == unit) ?? throw NotFound();
        if (target.Answered)
        {
            throw new DomainException("text", $"{unit}已于{When(target.AnsweredAt!.Value)}报送办理情况，不能重复报送。", ErrorKind.Conflict);
        }
        var pending = instruction.Targets.Count(t => !t.Answered);
        var trigger = InstructionLifecycle.AnswerOf(pending);
        var lifecycle = Lifecycle(instruction);
        if (!lifecycle.CanFire(trigger))
        {
            throw new DomainException("state", $"该批示当前状态为「{InstructionLifecycle.Chinese(instruction.State)}」，不能再报送办理情况。", ErrorKind.Conflict);
        }
        return await store.KeepingAsync(uploads, async stored =>
        {
            var now = clock.GetUtcNow();
            var before = Snapshot(instruction);
            (target.Answer, target.AnsweredBy, target.AnsweredAt) = (answer, Clip(actor), now);
            foreach (var f in stored)
            {
                db.InstructionFiles.Add(new InstructionFileRecord { TargetId = target.Id }.Of(f, Clip(actor), now));
            }
            lifecycle.Fire(trigger);
            instruction.Revision++;
            var programmeId = await db.Campaigns.Where(c => c.Id == instruction.CampaignId).Select(c => c.ProgrammeId).SingleAsync(ct);
            Notify(instruction, NotificationKind.InstructionAnswered, $"answered:{target.Unit}", Recipients.Leaders,
                ReminderTexts.InstructionAnswered(unit, instruction.SubjectTitle, answer, pending - 1), programmeId, now);
            Audit(instruction, AuditActions.InstructionAnswered, actor, now, before);
            await db.SaveChangesAsync(ct);
            return instruction;
        }, ct);
    }

    /// <summary>办结 by a leader, answered or not (the note says why); the named units are told.</summary>
    public async Task<InstructionRecord> CloseAsync(Guid id, CloseInstructionRequest request, string actor, CancellationToken ct)
    {
        var note = Input.Text(request.Note, "note", required: true)!;
        var instruction = await FindAsync(id, ct);
        var lifecycle = Lifecycle(instruction);
        if (!lifecycle.CanFire(InstructionTrigger.Close))
        {
            throw new DomainException("state", $"该批示当前状态为「{InstructionLifecycle.Chinese(instruction.State)}」，不能再办结。", ErrorKind.Conflict);
        }
        var now = clock.GetUtcNow();
        var before = Snapshot(instruction);
        lifecycle.Fire(InstructionTrigger.Close);
        (instruction.CloseNote, instruction.ClosedBy, instruction.ClosedAt) = (note, Clip(actor), now);
        instruction.Revision++;
        var programmeId = await db.Campaigns.Where(c => c.Id == instruction.CampaignId).Select(c => c.ProgrammeId).SingleAsync(ct);
        foreach (var target in instruction.Targets)
        {
            Notify(instruction, NotificationKind.InstructionClosed, "closed", Recipients.ForUnit(target.Unit),
                ReminderTexts.InstructionClosed(instruction.SubjectTitle, instruction.ClosedBy, note), programmeId, now);
        }
        Audit(instruction, AuditActions.InstructionClosed, actor, now, before);
        await db.SaveChangesAsync(ct);
        return instruction;
    }

    public async Task<InstructionRecord> FindAsync(Guid id, CancellationToken ct) =>
        await db.Instructions.Include(i => i.Targets).ThenInclude(t => t.Files).AsSplitQuery().SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw NotFound();

    /// <summary>Whether <paramref name="user"/> may see the instruction: staff all, a unit user those naming its unit.</summary>
    public static bool CanSee(ClaimsPrincipal user, InstructionRecord instruction) =>
        user.IsStaff() || user.IsInRole(Roles.Unit) && user.UnitOf() is { } unit && instruction.Targets.Any(t => t.Unit == unit);

    public static DomainException NotFound() => new("id", "批示不存在。", ErrorKind.NotFound);

    private static InstructionLifecycle Lifecycle(InstructionRecord i) => new(() => i.State, s => i.State = s);

    private void Notify(InstructionRecord i, NotificationKind kind, string act, string recipient, ReminderText text, string programmeId, DateTimeOffset now) =>
        db.Notifications.Add(NotificationRecord.Of($"instruction:{i.Id:N}:{act}:{recipient}", i.CampaignId, programmeId, recipient, kind, text,
            $"/instructions/{i.Id}", now));

    private void Audit(InstructionRecord i, string action, string actor, DateTimeOffset now, string? before) =>
        db.AddAudit(now, actor, action, AuditEntities.Instruction, i.Id.ToString(), before, Snapshot(i));

    private static string Snapshot(InstructionRecord i) => JsonSerializer.Serialize(new
    {
        Subject = i.Subject.ToString(), i.SubjectKey, i.SubjectTitle, i.Text, DueDate = i.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        State = i.State.ToString(), Units = i.Targets.Select(t => new { t.Unit, t.Answer, Files = t.Files.Select(f => new { f.FileName, f.Sha256 }) }),
        i.CloseNote,
    });

    private static string When(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, ChinaTime.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Clip(string actor) => actor.Length <= 100 ? actor : actor[..100];
}
