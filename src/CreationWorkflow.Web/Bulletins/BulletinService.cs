namespace CreationWorkflow.Web.Bulletins;

/// <summary>A stored bulletin as listed (never its bytes).</summary>
public sealed record BulletinView(
    long Id, Guid CampaignId, string Period, string PeriodLabel, string Title, DateOnly AsOf, DateTimeOffset BuiltAt, string BuiltBy, bool Scheduled,
    string DocxSha256, string XlsxSha256, string DocxUrl, string XlsxUrl);

/// <summary>POST /api/campaigns/{id}/bulletins: the month to report on (yyyy-MM).</summary>
public sealed record BuildBulletin(string Period);

/// <summary>The bulletin of the period, and whether this call built it (false: it existed already).</summary>
public sealed record BulletinBuilt(BulletinView Bulletin, bool Created);

/// <summary>A bulletin file to download.</summary>
public sealed record BulletinFile(byte[] Bytes, string ContentType, string FileName, string Sha256);

/// <summary>
/// 通报: builds, stores, lists and serves a campaign's monthly bulletins. One per campaign and period: the office builds one
/// on demand for an ended month of the campaign; the cron (<see cref="Jobs.BulletinJob"/>) builds last month's on the
/// first working day of the month. The record, a notice to the leaders and to every unit of the campaign (mailed by the
/// digest, with a link) and the audit entry are written in one transaction, so each bulletin is sent once, whatever
/// instance or restart gets there first.
/// </summary>
public sealed class BulletinService(
    AppDbContext db, BulletinFigures figures, ProgrammeCatalog programmes, WorkflowCatalog workflows, WorkingDayCalendar calendar, TimeProvider clock,
    ILogger<BulletinService> log)
{
    public const string SystemActor = "system:bulletin";

    /// <summary>The campaign, if <paramref name="user"/> may read its bulletins: staff, or a unit with work in it (anyone else 404).</summary>
    public async Task<CampaignRecord> CampaignAsync(Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Phases).SingleOrDefaultAsync(c => c.Id == id, ct);
        var staff = user.IsInRole(Roles.Office) || user.IsInRole(Roles.Inspector) || user.IsInRole(Roles.Leader);
        if (campaign is null || !staff && !(user.UnitOf() is { } unit && await db.Assignments.AnyAsync(a => a.CampaignId == id && a.Unit == unit, ct)))
        {
            throw new DomainException("id", "创建活动不存在。", ErrorKind.NotFound);
        }
        return campaign;
    }

    public async Task<IReadOnlyList<BulletinView>> ListAsync(Guid campaignId, ClaimsPrincipal user, CancellationToken ct)
    {
        await CampaignAsync(campaignId, user, ct);
        var rows = await db.Bulletins.AsNoTracking().Where(b => b.CampaignId == campaignId)
            .Select(b => new { b.Id, b.CampaignId, b.Period, b.Title, b.AsOf, b.BuiltAt, b.BuiltBy, b.Scheduled, b.DocxSha256, b.XlsxSha256 })
            .ToListAsync(ct);
        return [.. rows.OrderByDescending(b => b.Period, StringComparer.Ordinal).Select(b =>
            View(b.Id, b.CampaignId, b.Period, b.Title, b.AsOf, b.BuiltAt, b.BuiltBy, b.Scheduled, b.DocxSha256, b.XlsxSha256))];
    }

    /// <summary>The stored DOCX or XLSX of a period (<paramref name="format"/>: docx or xlsx).</summary>
    public async Task<BulletinFile> FileAsync(Guid campaignId, string period, string format, ClaimsPrincipal user, CancellationToken ct)
    {
        await CampaignAsync(campaignId, user, ct);
        var key = BulletinPeriod.Parse(period).Key;
        var docx = format switch
        {
            "docx" => true,
            "xlsx" => false,
            _ => throw new DomainException("format", $"文件格式须为 docx 或 xlsx，而不是 '{format}'。"),
        };
        var found = await db.Bulletins.AsNoTracking().Where(b => b.CampaignId == campaignId && b.Period == key)
            .Select(b => new { b.Title, Bytes = docx ? b.Docx : b.Xlsx, Hash = docx ? b.DocxSha256 : b.XlsxSha256 })
            .SingleOrDefaultAsync(ct)
            ?? throw new DomainException("period", $"{BulletinPeriod.Parse(key).Label}的通报尚未生成。", ErrorKind.NotFound);
        return new BulletinFile(found.Bytes, docx ? BulletinDocuments.DocxType : Acceptance.SheetWriter.ContentType,
            $"{found.Title}-{key}.{format}", found.Hash);
    }

    /// <summary>The months the office may build for: from the campaign's first month to the last ended one (within the campaign).</summary>
    public (BulletinPeriod First, BulletinPeriod Last)? Periods(CampaignRecord campaign)
    {
        var first = BulletinPeriod.Of(campaign.StartDate);
        var ended = BulletinPeriod.Of(ChinaTime.Today(clock.GetUtcNow())).Previous;
        var end = campaign.Phases.Count == 0 ? ended : BulletinPeriod.Of(campaign.Phases.Max(p => p.End));
        var last = ended.First < end.First ? ended : end;
        return last.First < first.First ? null : (first, last);
    }

    /// <summary>On demand (the office): the bulletin of an ended month of the campaign, built now unless it exists.</summary>
    public async Task<BulletinBuilt> BuildAsync(Guid campaignId, BuildBulletin request, ClaimsPrincipal user, CancellationToken ct)
    {
        var period = BulletinPeriod.Parse(Input.Bounded(request.Period, "period", 7));
        var campaign = await CampaignAsync(campaignId, user, ct);
        if (Periods(campaign) is not { } allowed)
        {
            throw new DomainException("period", "本次创建活动还没有已结束的月份，下月第一个工作日起可生成上月通报。", ErrorKind.Conflict);
        }
        if (period.First < allowed.First.First || period.First > allowed.Last.First)
        {
            throw new DomainException("period",
                $"统计期间（{period.Key}）须为本次创建活动中已结束的月份：{allowed.First.Key} 至 {allowed.Last.Key}。");
        }
        return await StoreAsync(campaign, period, user.NameOf(), scheduled: false, ct);
    }

    /// <summary>
    /// The cron's run for the campaigns of one definition version: on the first working day of a month (by the working-day
    /// calendar) each builds last month's bulletin, once; on any other day nothing happens. Returns what it built.
    /// </summary>
    public async Task<IReadOnlyList<BulletinView>> RunScheduledAsync(string workflowId, int version, CancellationToken ct)
    {
        var ids = await db.Campaigns.AsNoTracking().Where(c => c.WorkflowId == workflowId && c.WorkflowVersion == version)
            .OrderBy(c => c.StartDate).ThenBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        var built = new List<BulletinView>();
        foreach (var id in ids)
        {
            try
            {
                if (await RunScheduledAsync(id, ct) is { } view)
                {
                    built.Add(view);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One campaign's failure does not stop the others; the office can build it on demand.
                db.ChangeTracker.Clear();
                log.LogError(e, "Bulletin of campaign {Campaign} could not be built", id);
            }
        }
        return built;
    }

    /// <summary>One campaign's scheduled run: last month's bulletin when today is the month's first working day; else null.</summary>
    public async Task<BulletinView?> RunScheduledAsync(Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Phases).SingleOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null || !workflows.TryGet(campaign.WorkflowId, campaign.WorkflowVersion, out var definition) || definition.Bulletin is null)
        {
            return null;
        }
        var today = ChinaTime.Today(clock.GetUtcNow());
        if (today != BulletinSchedule.FirstWorkingDay(today.Year, today.Month, calendar))
        {
            return null;
        }
        var period = BulletinPeriod.Of(today).Previous;
        if (Periods(campaign) is not { } allowed || period.First < allowed.First.First || period.First > allowed.Last.First)
        {
            return null;
        }
        var built = await StoreAsync(campaign, period, SystemActor, scheduled: true, ct);
        return built.Created ? built.Bulletin : null;
    }

    /// <summary>The bulletin's title and most-late count: the definition's, or the defaults for a definition without a bulletin section.</summary>
    public (string Title, int MostLate) Settings(CampaignRecord campaign) =>
        workflows.TryGet(campaign.WorkflowId, campaign.WorkflowVersion, out var d) && d.Bulletin is { } b
            ? (b.Name, b.MostLate)
            : (BulletinSchedule.DefaultName, BulletinSchedule.DefaultMostLate);

    /// <summary>Whether the campaign's definition version declares the monthly cron (else bulletins are built on demand only).</summary>
    public bool IsScheduled(CampaignRecord campaign) =>
        workflows.TryGet(campaign.WorkflowId, campaign.WorkflowVersion, out var d) && d.Bulletin is not null;

    /// <summary>Gathers and writes the two files as of today, storing nothing (the same figures give the same bytes).</summary>
    public async Task<(BulletinContent Content, byte[] Docx, byte[] Xlsx)> RenderAsync(CampaignRecord campaign, BulletinPeriod period, CancellationToken ct)
    {
        var programme = programmes.Find(campaign.ProgrammeId, campaign.ProgrammeVersion) ?? throw new DomainException("id", "创建活动的方案不存在。", ErrorKind.NotFound);
        var (title, mostLate) = Settings(campaign);
        var content = await figures.GatherAsync(campaign, programme, title, period, mostLate, ct);
        return (content, BulletinDocuments.Docx(content), BulletinDocuments.Xlsx(content));
    }

    private async Task<BulletinBuilt> StoreAsync(CampaignRecord campaign, BulletinPeriod period, string actor, bool scheduled, CancellationToken ct)
    {
        if (await ExistingAsync(campaign.Id, period, ct) is { } existing)
        {
            return new BulletinBuilt(existing, false);
        }
        var (content, docx, xlsx) = await RenderAsync(campaign, period, ct);
        var now = clock.GetUtcNow();
        var record = new BulletinRecord
        {
            CampaignId = campaign.Id, Period = period.Key, AsOf = content.AsOf, Title = content.Title, BuiltAt = now, BuiltBy = actor, Scheduled = scheduled,
            Docx = docx, DocxSha256 = Sha256(docx), Xlsx = xlsx, XlsxSha256 = Sha256(xlsx),
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Bulletins.Add(record);
            foreach (var notice in Notices(campaign, content, now))
            {
                db.Notifications.Add(notice);
            }
            db.AddAudit(now, actor, AuditActions.BulletinBuilt, AuditEntities.Campaign, campaign.Id.ToString(), after:
                JsonSerializer.Serialize(new { period = period.Key, asOf = content.AsOf.ToString("yyyy-MM-dd"), scheduled, record.DocxSha256, record.XlsxSha256 }));
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another instance (or request) built this period a moment ago: its bulletin stands, and was sent by it.
                db.ChangeTracker.Clear();
                log.LogInformation("Bulletin {Period} of campaign {Campaign} was built by another run", period.Key, campaign.Id);
                await tx.RollbackAsync(ct);
                return new BulletinBuilt((await ExistingAsync(campaign.Id, period, ct))!, false);
            }
        }
        log.LogInformation("Bulletin {Period} of campaign {Campaign} built as of {AsOf} by {Actor}", period.Key, campaign.Id, content.AsOf, actor);
        return new BulletinBuilt(View(record.Id, record.CampaignId, record.Period, record.Title, record.AsOf, record.BuiltAt, record.BuiltBy, record.Scheduled,
            record.DocxSha256, record.XlsxSha256), true);
    }

    /// <summary>To the leaders and to each unit of the campaign (not the office's own 创建办): a link, not the file.</summary>
    private static IEnumerable<NotificationRecord> Notices(CampaignRecord campaign, BulletinContent c, DateTimeOffset now)
    {
        var link = $"/campaigns/{campaign.Id}/bulletins";
        var overall = $"本期全市按时率{BulletinDocuments.Pct(c.PeriodRate)}，目前逾期任务{c.LateTotal}项。";
        var recipients = new List<(string Recipient, string Summary)> { (Recipients.Leaders, overall) };
        recipients.AddRange(c.Units.Where(u => u.Board.Key != CampaignPlanner.Office).Select(u => (u.Board.Key,
            overall + $"你单位本期按时率{BulletinDocuments.Pct(u.PeriodRate)}" + (u.Rank is { } rank ? $"（第{rank}名）" : "") + $"，目前逾期{u.Board.Late}项。")));
        foreach (var (recipient, summary) in recipients)
        {
            var text = ReminderTexts.BulletinIssued(recipient, campaign.Name, c.Title, c.Period.Label, c.AsOf, summary, link);
            yield return new NotificationRecord
            {
                OccurrenceKey = $"bulletin:{campaign.Id:N}:{c.Period.Key}:{recipient}",
                CampaignId = campaign.Id,
                Recipient = recipient,
                Kind = NotificationKind.Bulletin,
                Title = text.Title,
                Body = text.Body,
                Link = link,
                CreatedAt = now,
            };
        }
    }

    private async Task<BulletinView?> ExistingAsync(Guid campaignId, BulletinPeriod period, CancellationToken ct)
    {
        var key = period.Key;
        var b = await db.Bulletins.AsNoTracking().Where(x => x.CampaignId == campaignId && x.Period == key)
            .Select(x => new { x.Id, x.CampaignId, x.Period, x.Title, x.AsOf, x.BuiltAt, x.BuiltBy, x.Scheduled, x.DocxSha256, x.XlsxSha256 })
            .SingleOrDefaultAsync(ct);
        return b is null ? null : View(b.Id, b.CampaignId, b.Period, b.Title, b.AsOf, b.BuiltAt, b.BuiltBy, b.Scheduled, b.DocxSha256, b.XlsxSha256);
    }

    private static BulletinView View(long id, Guid campaignId, string period, string title, DateOnly asOf, DateTimeOffset builtAt, string builtBy, bool scheduled,
        string docxSha, string xlsxSha) =>
        new(id, campaignId, period, BulletinPeriod.Parse(period).Label, title, asOf, builtAt, builtBy, scheduled, docxSha, xlsxSha,
            $"/api/campaigns/{campaignId}/bulletins/{period}.docx", $"/api/campaigns/{campaignId}/bulletins/{period}.xlsx");

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
