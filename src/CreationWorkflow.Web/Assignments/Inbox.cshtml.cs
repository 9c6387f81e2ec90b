namespace CreationWorkflow.Web.Assignments;

/// <summary>
/// 我的任务 (/inbox): the signed-in unit's work, summaries first — the groups of <see cref="InboxWindow"/> (逾期, 本周到期,
/// 待我审核 by item, 以后, 已交/已办结) each with its count (<see cref="InboxQuery"/>: one aggregate query), then the first rows
/// of each open group as cards, and one group at a time, paged, with <c>?group=</c>. 批量签收 signs for a whole phase at
/// once; its 督办单 and latest notices follow.
/// </summary>
[Authorize(Policy = Policies.UnitUser)]
public sealed class InboxModel(
    AppDbContext db, Views views, ReportService reports, InboxQuery inbox, AssignmentService service, TimeProvider clock, CampaignFigures figures) : PageModel
{
    /// <summary>Rows per page of one group (<c>?group=</c>).</summary>
    public const int PageSize = 50;

    /// <summary>Rows per group on the overview (summaries first, the rest on the group's own page), and of 待我审核's each source.</summary>
    public const int OverviewRows = 10;

    /// <summary>The latest notices shown (unread first).</summary>
    public const int NoticeRows = 10;

    [BindProperty(SupportsGet = true)] public AssignmentState? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "group")] public string? GroupKey { get; set; }
    [BindProperty(SupportsGet = true)] public int? Item { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }

    public string Unit { get; private set; } = "";
    public InboxSummary Summary { get; private set; } = null!;

    /// <summary>The one group asked for (?group=), or null for the overview.</summary>
    public InboxGroup? Only { get; private set; }

    /// <summary>The own groups shown with rows: their count, the rows (with what the lifecycle allows now) and whether more follow.</summary>
    public IReadOnlyList<GroupSection> Sections { get; private set; } = [];

    /// <summary>待我审核, per-item submissions this unit reviews as the item's lead unit (oldest due first), shown under their item.</summary>
    public IReadOnlyList<AssignmentView> Reviews { get; private set; } = [];

    /// <summary>待我审核 in per-unit reports: the lines this unit reviews, by item.</summary>
    public IReadOnlyList<ReviewLineView> ReviewLines { get; private set; } = [];

    /// <summary>Pages of 待我审核 when it is shown alone (<c>?group=review</c>).</summary>
    public int ReviewPages { get; private set; } = 1;

    /// <summary>我的督办单: the unit's orders not yet closed, by rectification deadline.</summary>
    public IReadOnlyList<Supervision.SupervisionOrderRecord> Orders { get; private set; } = [];
    /// <summary>The campaigns the unit works in, for the link to their self-assessment pages.</summary>
    public IReadOnlyList<(Guid Id, string Name)> Campaigns { get; private set; } = [];
    public IReadOnlyList<NotificationView> Notices { get; private set; } = [];
    public int Unread { get; private set; }

    public sealed record GroupSection(InboxGroupCount Count, IReadOnlyList<(AssignmentView View, IReadOnlySet<AssignmentTrigger> Can)> Rows, int Pages);

    public int Count(InboxGroup group) => Summary.Groups.Single(g => g.Group == group).Count;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (GroupKey is not null && InboxWindow.Parse(GroupKey) is null)
        {
            return NotFound();
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>批量签收 of one phase of one campaign; refusals are shown on the page with their status, and nothing changes.</summary>
    public Task<IActionResult> OnPostSignAsync(Guid campaignId, string? phaseId, CancellationToken ct) =>
        ActAsync(async () => $"已签收{(await service.AcknowledgeManyAsync(campaignId, phaseId ?? "", User.UnitOf()!, User.NameOf(), ct)).Count}项。", ct);

    /// <summary>本项全部通过: every line of one item waiting for this unit's review, in every report, approved at once.</summary>
    public Task<IActionResult> OnPostApproveItemAsync(int itemNo, CancellationToken ct) => ActAsync(async () =>
    {
        var (lines, count) = await reports.ApproveItemAsync(null, itemNo, User, ct);
        return $"第{itemNo}项已通过{lines}条（{count}份报告）。";
    }, ct);

    /// <summary>One action of the page: its message after the redirect, or its refusal shown on the page with its status.</summary>
    private async Task<IActionResult> ActAsync(Func<Task<string>> act, CancellationToken ct)
    {
        try
        {
            Message = await act();
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear();
            Error = r.Message;
            GroupKey = null;
            await LoadAsync(ct);
            Response.StatusCode = r.Status;
            return Page();
        }
        return Redirect("/inbox");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Unit = User.UnitOf()!;
        PageNo = Math.Max(1, PageNo);
        Only = InboxWindow.Parse(GroupKey);
        Summary = await inbox.SummaryAsync(Unit, null, State, ct);
        var window = new InboxWindow(Summary.Today, Summary.ThisWeekUntil);
        // The rows shown are figures of the unit's campaigns, kept like the counts until one of them changes or the day does.
        var work = await figures.GetAsync($"inbox-rows|{Uri.EscapeDataString(Unit)}|{Only}|{PageNo}|{State}|{Item}", null, Summary.Today,
            () => WorkAsync(window, ct), ct);
        (Sections, Reviews, ReviewLines, ReviewPages) = (work.Sections, work.Reviews, work.ReviewLines, work.ReviewPages);
        if (Only is not null)
        {
            return;
        }

        // The unit's 督办单 are campaign data (a change stamps the campaign's revision): kept like the rows.
        Orders = await figures.GetAsync($"inbox-orders|{Uri.EscapeDataString(Unit)}", null, Summary.Today, async () =>
            (IReadOnlyList<Supervision.SupervisionOrderRecord>)await db.SupervisionOrders.AsNoTracking()
                .Where(o => o.Unit == Unit && o.State != Core.Supervision.SupervisionOrderState.Closed)
                .OrderBy(o => o.RectifyBy).ThenBy(o => o.Year).ThenBy(o => o.Number).ToListAsync(ct), ct);
        Campaigns = await figures.GetAsync($"inbox-campaigns|{Uri.EscapeDataString(Unit)}", null, Summary.Today, async () =>
        {
            var campaignIds = db.Assignments.Where(a => a.Unit == Unit).Select(a => a.CampaignId).Distinct();
            return (IReadOnlyList<(Guid Id, string Name)>)[.. (await db.Campaigns.Where(c => campaignIds.Contains(c.Id)).OrderByDescending(c => c.StartDate).Take(5)
                .Select(c => new { c.Id, c.Name }).ToListAsync(ct)).Select(c => (c.Id, c.Name))];
        }, ct);

        var recipients = User.RecipientsOf();
        var mine = db.Notifications.Where(n => recipients.Contains(n.Recipient));
        Notices = await mine.OrderBy(n => n.ReadAt != null).ThenByDescending(n => n.Id).Take(NoticeRows)
            .Select(n => new NotificationView(n.Id, n.Kind.Spelling(), n.Title, n.Body, n.Link, n.CampaignId, n.AssignmentId, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);
        // Unread come first: fewer unread than rows shown means these are all of them; only a full page of unread is counted.
        var unreadRows = Notices.Count(n => n.ReadAt is null);
        Unread = unreadRows < NoticeRows ? unreadRows : await mine.CountAsync(n => n.ReadAt == null, ct);
        // The list was seen: its unread notices are read from now on (shown as 未读 this once).
        var unreadShown = Notices.Where(n => n.ReadAt is null).Select(n => n.Id).ToList();
        if (unreadShown.Count > 0)
        {
            await NotificationReads.MarkAsync(db, db.Notifications.Where(n => unreadShown.Contains(n.Id)), User.NameOf(), clock.GetUtcNow(), ct);
        }
    }

    /// <summary>What the page lists: the shown groups' rows (with what the lifecycle allows now) and 待我审核's rows.</summary>
    private sealed record Work(IReadOnlyList<GroupSection> Sections, IReadOnlyList<AssignmentView> Reviews, IReadOnlyList<ReviewLineView> ReviewLines, int ReviewPages);

    private async Task<Work> WorkAsync(InboxWindow window, CancellationToken ct)
    {
        IReadOnlyList<AssignmentView> reviews = [];
        IReadOnlyList<ReviewLineView> reviewLines = [];
        var reviewPages = 1;
        var actor = Actor.Unit(Unit);

        // The overview lists the open groups' first rows; 已交/已办结 stays folded under its count. One group is paged.
        var shown = Only is { } one
            ? one == InboxGroup.ToReview ? [] : [one]
            : new[] { InboxGroup.Late, InboxGroup.DueThisWeek, InboxGroup.Later };
        var sections = new List<GroupSection>();
        foreach (var group in shown)
        {
            var count = Summary.Groups.Single(g => g.Group == group);
            var (skip, take) = Only is null ? (0, OverviewRows) : ((PageNo - 1) * PageSize, PageSize);
            var rows = count.Count == 0 ? [] : await inbox.Rows(Unit, window, group, state: State).Skip(skip).Take(take).ToListAsync(ct);
            var viewsOf = await views.ManyAsync(rows, ct);
            sections.Add(new GroupSection(count,
                [.. rows.Zip(viewsOf, (r, v) => (v, (IReadOnlySet<AssignmentTrigger>)new AssignmentLifecycle(AssignmentService.ToCore(r)).PermittedTriggers(actor).ToHashSet()))],
                (count.Count + PageSize - 1) / PageSize));
        }

        if (Only is null or InboxGroup.ToReview && Count(InboxGroup.ToReview) > 0)
        {
            // The overview shows the first rows; the group alone is paged like the others: per page, up to PageSize of
            // the per-item submissions and up to PageSize of the report lines, each source in item order.
            var (skip, take) = Only is null ? (0, OverviewRows) : ((PageNo - 1) * PageSize, PageSize);
            var perItem = db.Assignments.Where(a => a.ReviewerUnit == Unit && a.State == AssignmentState.Submitted && (Item == null || a.ItemNo == Item));
            reviews = await views.ManyAsync(await perItem
                .OrderBy(a => a.ItemNo).ThenBy(a => a.DueDate).ThenBy(a => a.Unit).ThenBy(a => a.Id).Skip(skip).Take(take).ToListAsync(ct), ct);
            reviewLines = await reports.ReviewQueueAsync(Unit, null, ct, Item, take, skip);
            if (Only is not null)
            {
                var lines = await db.ReportLines.CountAsync(l => l.ReviewerUnit == Unit && l.State == ReportLineState.Submitted && (Item == null || l.ItemNo == Item), ct);
                reviewPages = Math.Max(1, (Math.Max(await perItem.CountAsync(ct), lines) + PageSize - 1) / PageSize);
            }
        }
        return new Work(sections, reviews, reviewLines, reviewPages);
    }

    /// <summary>A link to one group (keeping the state filter), optionally one item or page of it.</summary>
    public string Link(InboxGroup group, int? item = null, int? page = null)
    {
        var query = new List<string> { $"group={InboxWindow.Key(group)}" };
        if (State is { } s)
        {
            query.Add($"state={s}");
        }
        if (item is { } i)
        {
            query.Add($"item={i}");
        }
        if (page is { } p && p > 1)
        {
            query.Add($"p={p}");
        }
        return "/inbox?" + string.Join("&", query);
    }

    public static string Short(string? text, int max = 40) =>
        text is null ? "—" : text.Length <= max ? text : text[..max] + "…";
}
