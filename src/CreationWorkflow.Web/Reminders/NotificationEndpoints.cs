using CreationWorkflow.Core.Notifications;
using System.Security.Claims;
using System.Text.Json;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Reminders;

public sealed record NotificationView(
    long Id, string Kind, string Title, string Body, string? Link, Guid? CampaignId, Guid? AssignmentId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public sealed record NotificationPage(IReadOnlyList<NotificationView> Items, int Total, int Unread, int Page, int PageSize);

/// <summary>
/// The caller's in-app notices (通知): a unit user's are those to its unit; the office's, inspectors' and leaders'
/// those to their role. A notice belongs to its recipient, so reading it marks it read for everyone of that unit or role.
/// </summary>
public static class NotificationEndpoints
{
    public static RouteGroupBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications").WithTags("Notifications");
        api.MapGet("/", Mine).WithName("ListMyNotifications")
            .WithSummary("The caller's notices (its unit's, or its role's), newest first, paged, with the unread count.")
            .ProducesValidationProblem();
        api.MapPost("/{id:long}/read", Read).WithName("MarkNotificationRead")
            .WithSummary("Marks one of the caller's notices read; anyone else's answers 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Ok<NotificationPage>> Mine(int? page, int? pageSize, bool? unread, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (p, size, skip) = Paging.Check(page, pageSize);
        var recipients = RecipientsOf(http.User);
        var mine = db.Notifications.Where(n => recipients.Contains(n.Recipient));
        var unreadCount = await mine.CountAsync(n => n.ReadAt == null, ct);
        if (unread == true)
        {
            mine = mine.Where(n => n.ReadAt == null);
        }
        var total = unread == true ? unreadCount : await mine.CountAsync(ct);
        var items = await mine.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip(skip).Take(size)
            .Select(n => new NotificationView(n.Id, n.Kind.Spelling(), n.Title, n.Body, n.Link, n.CampaignId, n.AssignmentId, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new NotificationPage(items, total, unreadCount, p, size));
    }

    public static async Task<Ok<NotificationView>> Read(long id, AppDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var recipients = RecipientsOf(http.User);
        var n = await db.Notifications.SingleOrDefaultAsync(x => x.Id == id && recipients.Contains(x.Recipient), ct)
            ?? throw new DomainException("id", "通知不存在。", ErrorKind.NotFound);
        if (n.ReadAt is null)
        {
            var now = clock.GetUtcNow();
            n.ReadAt = now;
            db.AddAudit(now, http.User.NameOf(), AuditActions.NotificationRead, AuditEntities.Notification, n.Id.ToString(),
                after: JsonSerializer.Serialize(new { n.Recipient, Kind = n.Kind.Spelling() }));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(new NotificationView(n.Id, n.Kind.Spelling(), n.Title, n.Body, n.Link, n.CampaignId, n.AssignmentId, n.CreatedAt, n.ReadAt));
    }

    /// <summary>Whose notices the caller reads: its unit's, and its roles' (office, inspector, leader).</summary>
    public static List<string> RecipientsOf(ClaimsPrincipal user)
    {
        var recipients = new List<string>();
        if (user.UnitOf() is { } unit)
        {
            recipients.Add(unit);
        }
        foreach (var (role, recipient) in new[] { (Roles.Office, Recipients.Office), (Roles.Inspector, Recipients.Inspectors), (Roles.Leader, Recipients.Leaders) })
        {
            if (user.IsInRole(role))
            {
                recipients.Add(recipient);
            }
        }
        return recipients;
    }
}
