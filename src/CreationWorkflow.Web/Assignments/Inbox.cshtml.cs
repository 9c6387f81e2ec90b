using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Reminders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Assignments;

/// <summary>
/// 我的任务 (/inbox): the signed-in unit's own assignments by due date, with the buttons the lifecycle allows now; as a
/// lead unit, the responsible units' submissions waiting for its review (待我审核); its 督办单 and latest notices.
/// </summary>
[Authorize(Policy = Policies.UnitUser)]
public sealed class InboxModel(AppDbContext db, Views views, ReportService reports, TimeProvider clock) : PageModel
{
    public const int PageSize = 100;
    public const int ReviewRows = 20;

    [BindProperty(SupportsGet = true)] public AssignmentState? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; } = 1;
    [TempData] public string? Message { get; set; }

    public string Unit { get; private set; } = "";
    public int Total { get; private set; }
    public IReadOnlyList<(AssignmentView View, IReadOnlySet<AssignmentTrigger> Can)> Rows { get; private set; } = [];
    public IReadOnlyList<NotificationView> Notices { get; private set; } = [];
    public int Unread { get; private set; }

    /// <summary>待我审核: submissions this unit reviews as the item's lead unit, oldest due first; <see cref="ReviewTotal"/> in all.</summary>
    public IReadOnlyList<AssignmentView> Reviews { get; private set; } = [];
    public int ReviewTotal { get; private set; }

    /// <summary>待我审核 in per-unit reports: the lines this unit reviews as the items' lead unit, grouped by item.</summary>
    public IReadOnlyList<IGrouping<int, ReviewLineView>> ReviewLines { get; private set; } = [];

    /// <summary>我的督办单: the unit's orders not yet closed, by rectification deadline.</summary>
    public IReadOnlyList<Supervision.SupervisionOrderRecord> Orders { get; private set; } = [];
    /// <summary>The campaigns the unit works in, for the link to their self-assessment pages.</summary>
    public IReadOnlyList<(Guid Id, string Name)> Campaigns { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Unit = User.UnitOf()!;
        PageNo = Math.Max(1, PageNo);
        var query = db.Assignments.Where(a => a.Unit == Unit);
        if (State is { } s)
        {
            query = query.Where(a => a.State == s);
        }
        Total = await query.CountAsync(ct);
        var rows = await query.OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.StepId).ThenBy(a => a.Period)
            .Skip((PageNo - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        var viewsOf = await views.ManyAsync(rows, ct);
        var actor = Actor.Unit(Unit);
        Rows = [.. rows.Zip(viewsOf, (r, v) => (v, (IReadOnlySet<AssignmentTrigger>)new AssignmentLifecycle(AssignmentService.ToCore(r)).PermittedTriggers(actor).ToHashSet()))];

        var toReview = db.Assignments.Where(a => a.ReviewerUnit == Unit && a.State == AssignmentState.Submitted);
        ReviewTotal = await toReview.CountAsync(ct);
        Reviews = await views.ManyAsync(await toReview.OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.Unit).Take(ReviewRows).ToListAsync(ct), ct);
        ReviewLines = [.. (await reports.ReviewQueueAsync(Unit, null, ct)).GroupBy(l => l.ItemNo)];

        Orders = await db.SupervisionOrders.Where(o => o.Unit == Unit && o.State != Core.Supervision.SupervisionOrderState.Closed)
            .OrderBy(o => o.RectifyBy).ThenBy(o => o.Year).ThenBy(o => o.Number).ToListAsync(ct);
        var campaignIds = db.Assignments.Where(a => a.Unit == Unit).Select(a => a.CampaignId).Distinct();
        Campaigns = [.. (await db.Campaigns.Where(c => campaignIds.Contains(c.Id)).OrderByDescending(c => c.StartDate).Take(5)
            .Select(c => new { c.Id, c.Name }).ToListAsync(ct)).Select(c => (c.Id, c.Name))];

        var recipients = NotificationEndpoints.RecipientsOf(User);
        var mine = db.Notifications.Where(n => recipients.Contains(n.Recipient));
        Unread = await mine.CountAsync(n => n.ReadAt == null, ct);
        Notices = await mine.OrderBy(n => n.ReadAt != null).ThenByDescending(n => n.Id).Take(10)
            .Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CampaignId, n.AssignmentId, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);
        // The list was seen: its unread notices are read from now on (shown as 未读 this once).
        var shown = Notices.Where(n => n.ReadAt is null).Select(n => n.Id).ToList();
        await NotificationReads.MarkAsync(db, db.Notifications.Where(n => shown.Contains(n.Id)), User.NameOf(), clock.GetUtcNow(), ct);
    }

    public static string Short(string? text, int max = 40) =>
        text is null ? "—" : text.Length <= max ? text : text[..max] + "…";
}
