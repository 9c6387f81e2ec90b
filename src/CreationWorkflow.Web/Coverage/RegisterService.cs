namespace CreationWorkflow.Web.Coverage;

/// <summary>A place as entered (form, API, import row): its division, field, name, the state it is in now and, once named, level and date.</summary>
public sealed record PlaceRequest(
    string Division, string Field, string Name, PlaceState State = PlaceState.NotStarted, Level? Level = null, DateOnly? NamedOn = null, bool TenHundred = false);

/// <summary>A lifecycle move: to the next state; 命名 with its level and date.</summary>
public sealed record PlaceMoveRequest(PlaceState To, Level? Level = null, DateOnly? NamedOn = null);

/// <summary>A correction of a place as entered: its field, name, state (with level and date once named) and 十百 mark; the division stays.</summary>
public sealed record PlaceEditRequest(
    string Field, string Name, PlaceState State = PlaceState.NotStarted, Level? Level = null, DateOnly? NamedOn = null, bool TenHundred = false);

/// <summary>The office's review: approve, or return with a reason.</summary>
public sealed record PlaceReviewRequest(string Decision, string? Reason = null);

/// <summary>How many places of a field a division has, and where the figure comes from (统计口径、文件或台账).</summary>
public sealed record DenominatorRequest(string Division, string Field, int Count, string Source);

public sealed record PlaceView(
    long Id, string Division, string Field, string FieldName, string Name, PlaceState State, string StateText, Level? Level, string? LevelText,
    DateOnly? NamedOn, bool TenHundred, PlaceReview Review, string ReviewText, string? ReviewNote, string EnteredBy, DateTimeOffset EnteredAt,
    PlaceState? Next, int Revision);

public sealed record DenominatorView(string Division, string Field, string FieldName, int Count, string Source, string EnteredBy, DateTimeOffset EnteredAt);

public sealed record PlaceQuery(string? Division = null, string? Field = null, PlaceState? State = null, PlaceReview? Review = null, int? Page = null, int? PageSize = null);

/// <summary>The naming levels of the register (县级, 市级, 自治区级, 全国) over the scoring levels.</summary>
public static class Naming
{
    public static string Chinese(Level level) => level switch
    {
        Level.County => "县级",
        Level.Prefecture => "市级",
        Level.Province => "自治区级",
        Level.National => "全国",
        _ => level.ToString(),
    };

    /// <summary>A level by its Chinese name (县级, 市级, 自治区级/区级/全区/省级, 全国/国家级) or English name; null when none.</summary>
    public static Level? Parse(string? text) => text?.Trim() switch
    {
        null or "" => null,
        "县级" or "县" => Level.County,
        "市级" or "市" or "全市" => Level.Prefecture,
        "自治区级" or "区级" or "全区" or "省级" => Level.Province,
        "全国" or "国家级" => Level.National,
        var t => Enum.TryParse<Level>(t, ignoreCase: true, out var l) && char.IsLetter(t[0]) ? l : null,
    };

    public static string Review(PlaceReview review) => review switch
    {
        PlaceReview.Pending => "待审核",
        PlaceReview.Approved => "已审核",
        PlaceReview.Returned => "已退回",
        _ => review.ToString(),
    };
}

/// <summary>
/// The register of creating units (创建单位台账): places entered singly or by import, moved through their lifecycle, reviewed
/// by the office; denominators per division and field with their source. Input is checked before anything is looked up;
/// each change is saved in one transaction with its audit entry. A county acts on its own division only: another
/// division's place answers 404, entering one 403.
/// </summary>
public sealed class RegisterService(AppDbContext db, TimeProvider clock)
{
    /// <summary>Names of places: as long as a unit's name.</summary>
    public const int MaxName = Input.NameLength;

    /// <summary>The earliest naming date accepted (earlier titles are not part of this campaign's register).</summary>
    public static readonly DateOnly EarliestNaming = new(2000, 1, 1);

    public const int MaxCount = 1_000_000;

    private DateOnly Today => ChinaTime.Today(clock.GetUtcNow());

    /// <summary>A request checked and normalised (trimmed; the field by its id); every fault names its member.</summary>
    public PlaceRequest Check(RegisterScope scope, PlaceRequest r)
    {
        var name = Input.Text(r.Name, "name", required: true, max: MaxName)!;
        var division = Input.Text(r.Division, "division", required: true, max: Input.NameLength)!;
        var fieldText = Input.Text(r.Field, "field", required: true, max: Input.NameLength)!;
        if (r.NamedOn is { } on)
        {
            Input.Within(on, "namedOn", EarliestNaming, Today, "2000年1月1日至今天");
        }
        var field = scope.Definition.FindField(fieldText)
            ?? throw new DomainException("field", $"「{fieldText}」不是创建领域；可选：{string.Join("、", scope.Definition.Fields.Select(f => f.Name))}。");
        if (!scope.Definition.Divisions.Contains(division))
        {
            throw new DomainException("division", $"「{division}」不是本方案的县（区）；可选：{string.Join("、", scope.Definition.Divisions)}。");
        }
        CheckNaming(r.State, r.Level, r.NamedOn);
        return r with { Name = name, Division = division, Field = field.Id };
    }

    private static void CheckNaming(PlaceState state, Level? level, DateOnly? namedOn)
    {
        if (state == PlaceState.Named)
        {
            if (level is null)
            {
                throw new DomainException("level", "命名的创建单位须填写命名级别（县级、市级、自治区级、全国）。");
            }
            if (namedOn is null)
            {
                throw new DomainException("namedOn", "命名的创建单位须填写命名日期。");
            }
        }
        else if (level is not null || namedOn is not null)
        {
            throw new DomainException(level is not null ? "level" : "namedOn",
                $"只有状态为「命名」的创建单位填写命名级别和日期（当前状态为「{PlaceLifecycle.Chinese(state)}」）。");
        }
    }

    private static void MayEdit(RegisterScope scope, string division)
    {
        if (!scope.MayEdit(division))
        {
            throw new DomainException("division",
                scope.CanEdit ? $"只能录入和修改本县（区）（{scope.Division}）的创建单位。" : "无权录入或修改创建单位台账。", ErrorKind.Forbidden);
        }
    }

    public async Task<PlaceView> AddAsync(RegisterScope scope, PlaceRequest request, string actor, CancellationToken ct)
    {
        var r = Check(scope, request);
        MayEdit(scope, r.Division);
        if (await db.Places.AnyAsync(p => p.ProgrammeId == scope.Definition.ProgrammeId && p.Division == r.Division && p.Field == r.Field && p.Name == r.Name, ct))
        {
            throw Duplicate(scope, r);
        }
        var now = clock.GetUtcNow();
        var place = New(scope, r, actor, now);
        db.Places.Add(place);
        db.AddAudit(now, actor, AuditActions.PlaceEntered, AuditEntities.Place, KeyOf(place), after: Snapshot(place));
        await SaveAsync(() => Duplicate(scope, r), ct);
        return View(scope, place);
    }

    private static DomainException Duplicate(RegisterScope scope, PlaceRequest r) =>
        new("name", $"{r.Division}的「{scope.Definition.FieldName(r.Field)}」领域已有名为「{r.Name}」的创建单位。", ErrorKind.Conflict);

    /// <summary>A new place at 未启动, walked through the lifecycle to the state it is entered in; the office's entry needs no review.</summary>
    private static PlaceRecord New(RegisterScope scope, PlaceRequest r, string actor, DateTimeOffset now)
    {
        var place = new PlaceRecord
        {
            ProgrammeId = scope.Definition.ProgrammeId, Division = r.Division, Field = r.Field, Name = r.Name, State = PlaceState.NotStarted,
            TenHundred = r.TenHundred, EnteredBy = Clip(actor), EnteredAt = now,
        };
        var lifecycle = Lifecycle(place);
        foreach (var trigger in PlaceLifecycle.PathTo(r.State))
        {
            lifecycle.Fire(trigger);
        }
        (place.Level, place.NamedOn, place.NamedYear) = (r.Level, r.NamedOn, r.NamedOn?.Year);
        Reviewed(scope, place, actor, now);
        return place;
    }

    /// <summary>The office's own entries and changes count at once; a county's wait for the office's review.</summary>
    private static void Reviewed(RegisterScope scope, PlaceRecord place, string actor, DateTimeOffset now)
    {
        if (scope.CanReview)
        {
            (place.Review, place.ReviewedBy, place.ReviewedAt, place.ReviewNote) = (PlaceReview.Approved, Clip(actor), now, null);
        }
        else
        {
            place.Review = PlaceReview.Pending;
        }
    }

    public async Task<PlaceView> MoveAsync(RegisterScope scope, long id, PlaceMoveRequest request, string actor, CancellationToken ct)
    {
        if (request.NamedOn is { } on)
        {
            Input.Within(on, "namedOn", EarliestNaming, Today, "2000年1月1日至今天");
        }
        if (request.To == PlaceState.NotStarted)
        {
            throw new DomainException("to", "创建单位不能退回「未启动」。");
        }
        CheckNaming(request.To, request.Level, request.NamedOn);
        var place = await FindAsync(scope, id, ct);
        MayEdit(scope, place.Division);
        var trigger = PlaceLifecycle.TriggerTo(request.To);
        var lifecycle = Lifecycle(place);
        if (!lifecycle.CanFire(trigger))
        {
            var next = PlaceLifecycle.Next(place.State);
            throw new DomainException("to",
                $"「{place.Name}」当前状态为「{PlaceLifecycle.Chinese(place.State)}」，不能{PlaceLifecycle.Chinese(trigger)}"
                + (next is { } n ? $"；下一步是「{PlaceLifecycle.Chinese(n)}」。" : "；已命名的创建单位不再变更状态。"), ErrorKind.Conflict);
        }
        var now = clock.GetUtcNow();
        var before = Snapshot(place);
        lifecycle.Fire(trigger);
        if (request.To == PlaceState.Named)
        {
            (place.Level, place.NamedOn, place.NamedYear) = (request.Level, request.NamedOn, request.NamedOn!.Value.Year);
        }
        Reviewed(scope, place, actor, now);
        place.Revision++;
        db.AddAudit(now, actor, AuditActions.Place(trigger), AuditEntities.Place, KeyOf(place), before, Snapshot(place));
        await SaveAsync(null, ct);
        return View(scope, place);
    }

    /// <summary>
    /// A county corrects its own place while the office has not approved it (待审核, or 已退回 with the office's reason): the
    /// place goes back to 待审核, the office is told. The office may correct any place (it counts at once). Audited.
    /// </summary>
    public async Task<PlaceView> EditAsync(RegisterScope scope, long id, PlaceEditRequest request, string actor, CancellationToken ct)
    {
        var place = await FindAsync(scope, id, ct);
        var r = Check(scope, new PlaceRequest(place.Division, request.Field, request.Name, request.State, request.Level, request.NamedOn, request.TenHundred));
        MayEdit(scope, place.Division);
        MayCorrect(scope, place, "修改");
        if (await db.Places.AnyAsync(p => p.Id != place.Id && p.ProgrammeId == place.ProgrammeId && p.Division == place.Division && p.Field == r.Field && p.Name == r.Name, ct))
        {
            throw Duplicate(scope, r);
        }
        var now = clock.GetUtcNow();
        var before = Snapshot(place);
        var beforeKey = KeyOf(place);
        var returnedFor = place.Review == PlaceReview.Returned ? place.ReviewNote : null;
        (place.Field, place.Name, place.TenHundred) = (r.Field, r.Name, r.TenHundred);
        // A correction says where the place is now: walked from 未启动 along the lifecycle, as an entry is.
        place.State = PlaceState.NotStarted;
        var lifecycle = Lifecycle(place);
        foreach (var trigger in PlaceLifecycle.PathTo(r.State))
        {
            lifecycle.Fire(trigger);
        }
        (place.Level, place.NamedOn, place.NamedYear) = (r.Level, r.NamedOn, r.NamedOn?.Year);
        Reviewed(scope, place, actor, now);
        place.Revision++;
        db.AddAudit(now, actor, AuditActions.PlaceEdited, AuditEntities.Place, beforeKey, before, Snapshot(place));
        if (!scope.CanReview)
        {
            TellOffice(scope, place.Division, place.Name, deleted: false, returnedFor, place.Id, now);
        }
        await SaveAsync(() => Duplicate(scope, r), ct);
        return View(scope, place);
    }

    /// <summary>A county deletes its own place not yet approved (待审核 or 已退回); the office any. Audited; the office is told of a county's.</summary>
    public async Task DeleteAsync(RegisterScope scope, long id, string actor, CancellationToken ct)
    {
        var place = await FindAsync(scope, id, ct);
        MayEdit(scope, place.Division);
        MayCorrect(scope, place, "删除");
        var now = clock.GetUtcNow();
        db.Places.Remove(place);
        db.AddAudit(now, actor, AuditActions.PlaceDeleted, AuditEntities.Place, KeyOf(place), Snapshot(place));
        if (!scope.CanReview)
        {
            TellOffice(scope, place.Division, place.Name, deleted: true, place.Review == PlaceReview.Returned ? place.ReviewNote : null, place.Id, now);
        }
        await SaveAsync(null, ct);
    }

    /// <summary>A county changes only what the office has not approved; an approved place is corrected by the office.</summary>
    private static void MayCorrect(RegisterScope scope, PlaceRecord place, string act)
    {
        if (!scope.CanReview && place.Review == PlaceReview.Approved)
        {
            throw new DomainException("id", $"「{place.Name}」已经创建办审核通过，县（区）不能{act}；如需更正，请联系创建办退回。", ErrorKind.Conflict);
        }
    }

    private void TellOffice(RegisterScope scope, string division, string name, bool deleted, string? returnedFor, long placeId, DateTimeOffset now)
    {
        var text = Reminders.ReminderTexts.PlaceChanged(division, name, deleted, returnedFor);
        db.Notifications.Add(new Reminders.NotificationRecord
        {
            OccurrenceKey = $"place:{placeId}:{(deleted ? "deleted" : "edited")}:{now.UtcTicks}",
            ProgrammeId = scope.Definition.ProgrammeId,
            Recipient = Reminders.Recipients.Office,
            Kind = Core.Notifications.NotificationKind.PlaceChanged,
            Title = text.Title.Length <= 300 ? text.Title : text.Title[..299] + "…",
            Body = text.Body,
            Link = $"/programmes/{scope.Definition.ProgrammeId}/register?division={Uri.EscapeDataString(division)}&review={PlaceReview.Pending}",
            CreatedAt = now,
        });
    }

    public async Task<PlaceView> ReviewAsync(RegisterScope scope, long id, PlaceReviewRequest request, string actor, CancellationToken ct)
    {
        var decision = Input.Text(request.Decision, "decision", required: true, max: Input.ShortLength)!;
        var reason = Input.Text(request.Reason, "reason", required: false);
        if (decision is not ("approve" or "return"))
        {
            throw new DomainException("decision", "审核结论须为 approve（通过）或 return（退回）。");
        }
        if (decision == "return" && reason is null)
        {
            throw new DomainException("reason", "退回须写明理由。");
        }
        if (!scope.CanReview)
        {
            throw new DomainException("decision", "只有创建办可以审核创建单位台账。", ErrorKind.Forbidden);
        }
        var place = await FindAsync(scope, id, ct);
        if (place.Review != PlaceReview.Pending)
        {
            throw new DomainException("decision", $"「{place.Name}」当前为「{Naming.Review(place.Review)}」，只有待审核的创建单位可以审核。", ErrorKind.Conflict);
        }
        var now = clock.GetUtcNow();
        var before = Snapshot(place);
        (place.Review, place.ReviewNote, place.ReviewedBy, place.ReviewedAt) =
            (decision == "approve" ? PlaceReview.Approved : PlaceReview.Returned, reason, Clip(actor), now);
        place.Revision++;
        db.AddAudit(now, actor, decision == "approve" ? AuditActions.PlaceReviewed : AuditActions.PlaceReturned, AuditEntities.Place, KeyOf(place), before, Snapshot(place));
        await SaveAsync(null, ct);
        return View(scope, place);
    }

    public async Task<DenominatorView> SetDenominatorAsync(RegisterScope scope, DenominatorRequest request, string actor, CancellationToken ct)
    {
        var division = Input.Text(request.Division, "division", required: true, max: Input.NameLength)!;
        var fieldText = Input.Text(request.Field, "field", required: true, max: Input.NameLength)!;
        var source = Input.Text(request.Source, "source", required: true, max: Input.SourceLength)!;
        Input.Between(request.Count, "count", 0, MaxCount);
        var field = scope.Definition.FindField(fieldText)
            ?? throw new DomainException("field", $"「{fieldText}」不是创建领域；可选：{string.Join("、", scope.Definition.Fields.Select(f => f.Name))}。");
        if (!scope.Definition.Divisions.Contains(division))
        {
            throw new DomainException("division", $"「{division}」不是本方案的县（区）；可选：{string.Join("、", scope.Definition.Divisions)}。");
        }
        MayEdit(scope, division);
        var now = clock.GetUtcNow();
        var row = await db.Denominators.SingleOrDefaultAsync(d => d.ProgrammeId == scope.Definition.ProgrammeId && d.Division == division && d.Field == field.Id, ct);
        var before = row is null ? null : JsonSerializer.Serialize(new { row.Count, row.Source });
        if (row is null)
        {
            db.Denominators.Add(row = new DenominatorRecord
            {
                ProgrammeId = scope.Definition.ProgrammeId, Division = division, Field = field.Id, Source = source, EnteredBy = Clip(actor),
            });
        }
        (row.Count, row.Source, row.EnteredBy, row.EnteredAt) = (request.Count, source, Clip(actor), now);
        db.AddAudit(now, actor, AuditActions.DenominatorSet, AuditEntities.Denominator, $"{scope.Definition.ProgrammeId}/{division}/{field.Id}",
            before, JsonSerializer.Serialize(new { row.Count, row.Source }));
        await SaveAsync(null, ct);
        return new DenominatorView(division, field.Id, field.Name, row.Count, row.Source, row.EnteredBy, row.EnteredAt);
    }

    public async Task<IReadOnlyList<DenominatorView>> DenominatorsAsync(RegisterScope scope, CancellationToken ct)
    {
        var divisions = scope.Divisions.ToList();
        var rows = await db.Denominators.AsNoTracking().Where(d => d.ProgrammeId == scope.Definition.ProgrammeId && divisions.Contains(d.Division)).ToListAsync(ct);
        var order = scope.Definition.Fields.Select((f, i) => (f.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return rows.OrderBy(d => divisions.IndexOf(d.Division)).ThenBy(d => order.GetValueOrDefault(d.Field, int.MaxValue))
            .Select(d => new DenominatorView(d.Division, d.Field, scope.Definition.FieldName(d.Field), d.Count, d.Source, d.EnteredBy, d.EnteredAt)).ToList();
    }

    public async Task<Page<PlaceView>> ListAsync(RegisterScope scope, PlaceQuery query, CancellationToken ct)
    {
        var (page, size, skip) = Paging.Check(query.Page, query.PageSize);
        var places = db.Places.AsNoTracking().Where(p => p.ProgrammeId == scope.Definition.ProgrammeId);
        if (scope.Division is { } own)
        {
            places = places.Where(p => p.Division == own);
        }
        if (Input.Text(query.Division, "division", required: false, max: Input.NameLength) is { } division)
        {
            places = places.Where(p => p.Division == division);
        }
        if (Input.Text(query.Field, "field", required: false, max: Input.NameLength) is { } fieldText)
        {
            var field = scope.Definition.FindField(fieldText) ?? throw new DomainException("field", $"「{fieldText}」不是创建领域。");
            places = places.Where(p => p.Field == field.Id);
        }
        if (query.State is { } state)
        {
            places = places.Where(p => p.State == state);
        }
        if (query.Review is { } review)
        {
            places = places.Where(p => p.Review == review);
        }
        var total = await places.CountAsync(ct);
        var rows = await places.OrderBy(p => p.Division).ThenBy(p => p.Field).ThenBy(p => p.Name).ThenBy(p => p.Id).Skip(skip).Take(size).ToListAsync(ct);
        return new Page<PlaceView>([.. rows.Select(p => View(scope, p))], total, page, size);
    }

    public async Task<PlaceRecord> FindAsync(RegisterScope scope, long id, CancellationToken ct)
    {
        var place = await db.Places.SingleOrDefaultAsync(p => p.Id == id && p.ProgrammeId == scope.Definition.ProgrammeId, ct);
        return place is not null && scope.Sees(place.Division) ? place : throw new DomainException("id", "创建单位不存在。", ErrorKind.NotFound);
    }

    /// <summary>Every checked row of an import, stored in one transaction with an audit entry each; the rows were checked by <see cref="RegisterImport"/>.</summary>
    internal async Task<int> AddAllAsync(RegisterScope scope, IReadOnlyList<PlaceRequest> rows, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var r in rows)
        {
            var place = New(scope, r, actor, now);
            db.Places.Add(place);
            db.AddAudit(now, actor, AuditActions.PlaceImported, AuditEntities.Place, KeyOf(place), after: Snapshot(place));
        }
        await SaveAsync(() => new DomainException("file", "导入时与已有创建单位重名（可能刚被他人录入），未保存任何内容，请重新导入。", ErrorKind.Conflict), ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>The (division, field, name) triples of the register among <paramref name="names"/>.</summary>
    internal async Task<HashSet<(string, string, string)>> ExistingAsync(string programmeId, IReadOnlyCollection<string> names, CancellationToken ct) =>
        (await db.Places.Where(p => p.ProgrammeId == programmeId && names.Contains(p.Name)).Select(p => new { p.Division, p.Field, p.Name }).ToListAsync(ct))
            .Select(p => (p.Division, p.Field, p.Name)).ToHashSet();

    private async Task SaveAsync(Func<DomainException>? onDuplicate, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (onDuplicate is not null && e.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            throw onDuplicate();
        }
    }

    private static PlaceLifecycle Lifecycle(PlaceRecord place) => new(() => place.State, s => place.State = s);

    public static PlaceView View(RegisterScope scope, PlaceRecord p) => new(
        p.Id, p.Division, p.Field, scope.Definition.FieldName(p.Field), p.Name, p.State, PlaceLifecycle.Chinese(p.State), p.Level,
        p.Level is { } l ? Naming.Chinese(l) : null, p.NamedOn, p.TenHundred, p.Review, Naming.Review(p.Review), p.ReviewNote, p.EnteredBy, p.EnteredAt,
        PlaceLifecycle.NextState(p.State), p.Revision);

    private static string KeyOf(PlaceRecord p) => $"{p.ProgrammeId}/{p.Division}/{p.Field}/{p.Name}";

    private static string Snapshot(PlaceRecord p) => JsonSerializer.Serialize(new
    {
        p.Division, p.Field, p.Name, State = p.State.ToString(), Level = p.Level?.ToString(), NamedOn = p.NamedOn?.ToString("yyyy-MM-dd"), p.TenHundred,
        Review = p.Review.ToString(), p.ReviewNote,
    });

    private static string Clip(string actor) => actor.Length <= 100 ? actor : actor[..100];
}
