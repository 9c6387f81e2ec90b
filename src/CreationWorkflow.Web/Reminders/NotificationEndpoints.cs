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
        api.MapGet("/unread-by-unit", UnreadByUnit).WithName("UnreadNotificationsByUnit").RequireAuthorization(Policies.Office)
            .WithSummary("The office: per unit, how many of its notices are unread and since when (one GROUP BY), optionally for one campaign.");
        // A message's read link: anonymous (the token is the credential); marks the notice read, then opens its task.
        app.MapGet(ReadLinks.Route + "/{token}", OpenReadLink).AllowAnonymous().ExcludeFromDescription();
        return api;
    }

    /// <summary>One unit's unread notices: how many, and the oldest one's time.</summary>
    public sealed record UnreadCount(string Unit, int Unread, DateTimeOffset OldestUnreadAt);

    public static async Task<Ok<List<UnreadCount>>> UnreadByUnit(Guid? campaignId, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await UnreadQuery.ByUnitAsync(db, campaignId, ct));

    /// <summary>GET /r/{token}: a valid token marks its notice read (first read kept) and redirects to the task; anything else answers a Chinese page.</summary>
    public static async Task<IResult> OpenReadLink(string token, ReadLinks links, AppDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (links.Read(token) is not { } id
            || await db.Notifications.AsNoTracking().Where(n => n.Id == id).Select(n => new { n.Link }).SingleOrDefaultAsync(ct) is not { } notice)
        {
            return TypedResults.Content(ReadLinkRefused, "text/html; charset=utf-8", System.Text.Encoding.UTF8, StatusCodes.Status404NotFound);
        }
        var actor = http.User.Identity?.IsAuthenticated == true ? http.User.NameOf() : ReadLinkActor;
        await NotificationReads.MarkAsync(db, db.Notifications.Where(n => n.Id == id), actor, clock.GetUtcNow(), ct);
        return TypedResults.Redirect(IsLocal(notice.Link) ? notice.Link! : "/inbox#notices");
    }

    /// <summary>Who read a notice through its link before signing in.</summary>
    public const string ReadLinkActor = "阅读链接";

    private static bool IsLocal(string? link) =>
        link is { Length: > 1 } && link[0] == '/' && link[1] != '/' && link[1] != '\\';

    private const string ReadLinkRefused =
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>链接无效或已过期 · 民族团结进步创建工作平台</title><link rel=\"stylesheet\" href=\"/site.css\"></head><body><main>"
        + "<h1>链接无效或已过期</h1><p class=\"error\" role=\"alert\">该通知链接无效或已过期，无法打开。请登录平台，在“通知”中查看和办理。</p>"
        + "<p><a href=\"/account/login\">登录平台</a></p></main></body></html>";

    public static async Task<Ok<NotificationPage>> Mine(int? page, int? pageSize, bool? unread, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (p, size, skip) = Paging.Check(page, pageSize);
        var recipients = http.User.RecipientsOf();
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
        var recipients = http.User.RecipientsOf();
        var mine = db.Notifications.Where(x => x.Id == id && recipients.Contains(x.Recipient));
        if (!await mine.AnyAsync(ct))
        {
            throw new DomainException("id", "通知不存在。", ErrorKind.NotFound);
        }
        await NotificationReads.MarkAsync(db, mine, http.User.NameOf(), clock.GetUtcNow(), ct);
        var n = await mine.AsNoTracking().SingleAsync(ct);
        return TypedResults.Ok(new NotificationView(n.Id, n.Kind.Spelling(), n.Title, n.Body, n.Link, n.CampaignId, n.AssignmentId, n.CreatedAt, n.ReadAt));
    }
}
