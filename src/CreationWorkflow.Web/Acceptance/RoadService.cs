using CreationWorkflow.Core.Acceptance;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>A finding of the region's 初验: what to rectify, which unit, by when. It becomes a 督办单.</summary>
public sealed record RoadFinding(string? Text, string? Unit, DateOnly? RectifyBy);

/// <summary>One step the office records on the road: which (<see cref="Move"/>, a <see cref="RoadTrigger"/> name), when, with what result.</summary>
public sealed record RoadMove(string? Move, DateOnly? Date, string? Result, string? Notes, IReadOnlyList<RoadFinding>? Findings = null)
{
    /// <summary>A move as a form (the page's or the API's multipart body) posts it: dates as yyyy-MM-dd, findings row by row.</summary>
    public static RoadMove FromForm(string? move, string? date, string? result, string? notes, string[]? texts, string[]? units, string[]? rectifyBy)
    {
        var rows = Math.Max(texts?.Length ?? 0, Math.Max(units?.Length ?? 0, rectifyBy?.Length ?? 0));
        var findings = Enumerable.Range(0, rows).Select(i => new RoadFinding(
            Blank(texts, i), Blank(units, i), DateOf(Blank(rectifyBy, i), $"findings[{i}].rectifyBy"))).ToList();
        return new RoadMove(move, DateOf(date, "date"), result, notes, findings);
    }

    private static string? Blank(string[]? values, int i) => values is not null && i < values.Length && !string.IsNullOrWhiteSpace(values[i]) ? values[i] : null;

    private static DateOnly? DateOf(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", out var d) ? d
        : throw new DomainException(field, "日期格式不正确，应为 yyyy-MM-dd（如 2023-04-10）。");
}

/// <summary>
/// The road after 90 (验收之路) of a city campaign: after the gate opens, the office records each declared step
/// (<see cref="RoadLifecycle"/>) with its date, result, notes and documents (under the evidence upload rules). 初验 findings
/// become 督办单 through <see cref="SupervisionService.StageAsync"/>, chased and closed as any order; 向国家民委申请验收 waits
/// until they are all closed. 命名 starts the 巩固提升 term, whose yearly reviews are reminded through the durable timers
/// (<see cref="RoadReminders"/>). Each step, its files, orders, timers and audit entry are one save; a refusal stores nothing.
/// </summary>
public sealed class RoadService(
    AppDbContext db, TimeProvider clock, CampaignLoader loader, Standings standings, SupervisionService supervision, EvidenceStore store,
    WorkflowCatalog workflows, WorkingDayCalendar calendar)
{
    /// <summary>How many findings one 初验 may list.</summary>
    public const int MaxFindings = 30;

    /// <summary>A city campaign's road (a new one, not yet stored, before its first step); 404 for any other campaign.</summary>
    public async Task<(Campaigns.CampaignRecord Campaign, Programme Programme, RoadRecord Road)> LoadAsync(Guid campaignId, bool tracked, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(campaignId, ct);
        if (programme.Header.Subject != ProgrammeSubject.City || programme.Header.Gate is null)
        {
            throw new DomainException("id", "只有设有验收申请条件的市级创建活动才有验收之路。", ErrorKind.NotFound);
        }
        var query = db.Roads.Include(r => r.Steps).ThenInclude(s => s.Files).AsSplitQuery();
        var road = await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync(r => r.CampaignId == campaignId, ct)
            ?? new RoadRecord { CampaignId = campaignId, Stage = RoadStage.NotApplied };
        return (campaign, programme, road);
    }

    /// <summary>The orders opened from the road's 初验 findings, by step.</summary>
    public Task<List<SupervisionOrderRecord>> FindingOrdersAsync(Guid campaignId, CancellationToken ct) =>
        db.SupervisionOrders.AsNoTracking().Where(o => o.CampaignId == campaignId && o.RoadStepId != null)
            .OrderBy(o => o.Year).ThenBy(o => o.Number).ToListAsync(ct);

    public static RoadTrigger ParseMove(string? move)
    {
        var text = move?.Trim();
        return !string.IsNullOrEmpty(text) && char.IsLetter(text[0]) && Enum.TryParse<RoadTrigger>(text, ignoreCase: true, out var t) && Enum.IsDefined(t)
            ? t
            : throw new DomainException("move", "步骤（move）须为以下之一："
                + string.Join("、", RoadLifecycle.Steps.Select(s => $"{JsonNamingPolicy.CamelCase.ConvertName(s.Trigger.ToString())}（{s.Chinese}）")) + "。");
    }

    /// <summary>Records one step of the road. Out of order: 409 naming the stage and the steps that may come next.</summary>
    public async Task<RoadStepRecord> RecordAsync(Guid campaignId, RoadMove move, IReadOnlyList<IFormFile>? files, string actor, CancellationToken ct)
    {
        var trigger = ParseMove(move.Move);
        var date = move.Date ?? throw new DomainException("date", "请填写日期（date）。");
        var result = Input.Text(move.Result, "result", required: trigger is RoadTrigger.PreliminaryCheck or RoadTrigger.Pass or RoadTrigger.Fail, max: Input.TitleLength);
        var notes = Input.Text(move.Notes, "notes", required: false);
        var findings = Input.Count(move.Findings ?? [], "findings", MaxFindings).Where(f => f.Text is not null || f.Unit is not null || f.RectifyBy is not null).ToList();
        if (findings.Count > 0 && trigger != RoadTrigger.PreliminaryCheck)
        {
            throw new DomainException("findings", "只有自治区民宗委初验可以列出发现的问题。");
        }
        var uploads = files ?? [];
        store.Validate(uploads);
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(now);

        var (campaign, programme, road) = await LoadAsync(campaignId, tracked: true, ct);
        Input.Within(date, "date", campaign.StartDate, today, "创建活动开始之日至今天");
        var step = RoadLifecycle.StepOf(trigger);
        if (!RoadLifecycle.Declared(road.Stage, trigger))
        {
            var next = RoadLifecycle.Next(road.Stage);
            throw new DomainException("move",
                $"验收之路当前为「{RoadLifecycle.Chinese(road.Stage)}」，不能办理「{step.Chinese}」，须按顺序办理"
                + (next.Count == 0 ? "。" : $"；下一步为：{string.Join("、", next.Select(RoadLifecycle.Chinese))}。"), ErrorKind.Conflict);
        }
        var orders = trigger == RoadTrigger.ApplyToNational ? await FindingOrdersAsync(campaignId, ct) : [];
        var reviews = road.Steps.Count(s => s.Trigger == RoadTrigger.YearlyReview);
        var lifecycle = new RoadLifecycle(() => road.Stage, s => road.Stage = s,
            () => orders.All(o => o.State == SupervisionOrderState.Closed), () => reviews < RoadLifecycle.TermYears);
        if (!lifecycle.CanFire(trigger))
        {
            throw trigger == RoadTrigger.ApplyToNational
                ? new DomainException("move", "初验发现的问题尚未全部整改销号，不能向国家民委申请验收："
                    + string.Join("、", orders.Where(o => o.State != SupervisionOrderState.Closed).Select(o => $"{o.Title}（{o.Unit}，{SupervisionOrderLifecycle.Chinese(o.State)}）")) + "。",
                    ErrorKind.Conflict)
                : new DomainException("move", $"巩固提升期{RoadLifecycle.TermYears}年的年度复核已全部记录，不能再记录。", ErrorKind.Conflict);
        }
        if (road.Steps.Count > 0 && road.Steps.Max(s => s.Date) is var last && date < last)
        {
            throw new DomainException("date", $"日期（{AssignmentNames.Iso(date)}）不能早于上一步的日期（{AssignmentNames.Iso(last)}）。");
        }
        Standing? standing = null;
        if (trigger is RoadTrigger.ApplyToRegion or RoadTrigger.YearlyReview)
        {
            standing = await standings.StandingAsync(campaignId, "", ct);
            if (trigger == RoadTrigger.ApplyToRegion && !standing.GateOpen)
            {
                throw new DomainException("gate", PackageService.Refusal(standing).Replace("不能生成验收申请材料", "验收申请尚未开启，不能向自治区申报", StringComparison.Ordinal), ErrorKind.Conflict);
            }
        }
        var checkedFindings = findings.Select((f, i) => CheckFinding(f, i, programme, today)).ToList();

        return await store.KeepingAsync(uploads, async stored =>
        {
            var before = road.Steps.Count == 0 ? null : Snapshot(road);
            if (road.Steps.Count == 0 && db.Entry(road).State == EntityState.Detached)
            {
                db.Roads.Add(road);
            }
            lifecycle.Fire(trigger);
            road.Revision++;
            var record = new RoadStepRecord
            {
                Id = Guid.CreateVersion7(now), CampaignId = campaignId, Trigger = trigger, Stage = road.Stage, Date = date, Result = result, Notes = notes,
                TermYear = trigger == RoadTrigger.YearlyReview ? reviews + 1 : null,
                Score = trigger == RoadTrigger.YearlyReview ? standing!.Reviewed.Total : null,
                RecordedBy = Clip(actor), RecordedAt = now,
                Files = [.. stored.Select(f => new RoadFileRecord().Of(f, Clip(actor), now))],
            };
            road.Steps.Add(record);
            db.RoadSteps.Add(record);
            var source = $"自治区民宗委初验发现问题（{AssignmentNames.Iso(date)}）";
            foreach (var f in checkedFindings)
            {
                await supervision.StageAsync(campaignId, f.Unit, f.Text, f.RectifyBy, [], [source], actor, now, source, record.Id, ct);
            }
            var definition = workflows.Get(campaign.WorkflowId, campaign.WorkflowVersion);
            if (trigger == RoadTrigger.Name)
            {
                road.NamedOn = date;
            }
            if (trigger is RoadTrigger.Name or RoadTrigger.YearlyReview
                && RoadReminders.First(campaignId, road.NamedOn!.Value, (record.TermYear ?? 0) + 1, definition, calendar, now) is { } timer)
            {
                db.Timers.Add(timer);
            }
            db.AddAudit(now, actor, AuditActions.RoadStepRecorded, AuditEntities.Road, campaignId.ToString(), before, Snapshot(road));
            await db.SaveChangesAsync(ct);
            return record;
        }, ct);
    }

    private sealed record CheckedFinding(string Text, string Unit, DateOnly RectifyBy);

    private static CheckedFinding CheckFinding(RoadFinding f, int i, Programme programme, DateOnly today)
    {
        var row = $"findings[{i}]";
        var text = Input.Text(f.Text, $"{row}.text", required: true)!;
        var unit = Input.Text(f.Unit, $"{row}.unit", required: true, max: Input.NameLength)!;
        if (programme.Units.FindUnit(unit) is null)
        {
            throw new DomainException($"{row}.unit", $"第{i + 1}个问题的整改单位「{unit}」不在本方案的单位名录中。");
        }
        var by = f.RectifyBy ?? throw new DomainException($"{row}.rectifyBy", $"请填写第{i + 1}个问题的整改期限。");
        SupervisionService.CheckRectifyBy(by, today, $"{row}.rectifyBy");
        return new CheckedFinding(text, unit, by);
    }

    private static string Snapshot(RoadRecord r) => JsonSerializer.Serialize(new
    {
        Stage = r.Stage.ToString(), NamedOn = r.NamedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Steps = r.Steps.OrderBy(s => s.Date).ThenBy(s => s.RecordedAt).Select(s => new
        {
            Trigger = s.Trigger.ToString(), Date = s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.Result, s.Notes, s.TermYear, s.Score,
            Files = s.Files.Select(f => new { f.FileName, f.Sha256 }),
        }),
    });

    private static string Clip(string actor) => actor.Length <= 100 ? actor : actor[..100];
}
