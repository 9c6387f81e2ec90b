using Microsoft.Net.Http.Headers;

namespace CreationWorkflow.Web.Calendar;

/// <summary>
/// The feed itself (<c>GET /calendar/{token}.ics</c>, anonymous: the token is the credential) and the API twins of the
/// 日程订阅 page: a unit's feed status, 开通/重置 (the URL answered once) and 停用.
/// </summary>
public static class CalendarEndpoints
{
    public static void MapCalendar(IEndpointRouteBuilder app)
    {
        app.MapGet(CalendarFeeds.Route + "/{token}.ics", Feed).AllowAnonymous().ExcludeFromDescription();
        var api = app.MapGroup("/api/calendar/feeds").WithTags("Calendar").RequireAuthorization(Policies.StaffOrUnit);
        api.MapGet("/{unit}", Status).WithName("GetCalendarFeed")
            .WithSummary("The unit's calendar feed: whether one is active, since when and by whom (never the URL). A unit user its own unit; the office any.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{unit}", Issue).WithName("IssueCalendarFeed")
            .WithSummary("Makes a new secret feed URL for the unit, revoking the old one; the URL is answered this once (only its hash is stored).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{unit}", Revoke).WithName("RevokeCalendarFeed")
            .WithSummary("Revokes the unit's feed: its URL answers 404 from now on.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>A GET of a feed URL (rate-limited per client address by the host's limiter).</summary>
    public static bool IsFeedRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments(CalendarFeeds.Route, StringComparison.OrdinalIgnoreCase)
        && request.Path.Value!.EndsWith(".ics", StringComparison.OrdinalIgnoreCase);

    public static async Task<Ok<CalendarFeedStatus>> Status(string unit, CalendarFeeds feeds, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await feeds.StatusAsync(http.User, unit, ct));

    public static async Task<Created<IssuedCalendarFeed>> Issue(string unit, CalendarFeeds feeds, HttpContext http, CancellationToken ct) =>
        TypedResults.Created((string?)null, await feeds.IssueAsync(http.User, unit, ct));

    public static async Task<Ok<CalendarFeedStatus>> Revoke(string unit, CalendarFeeds feeds, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await feeds.RevokeAsync(http.User, unit, ct));

    /// <summary>
    /// The unit's open deadlines as text/calendar. Cheap to poll: the ETag is computed from the bounded query before any
    /// iCalendar text is written, and a matching If-None-Match answers 304 with no body. An unknown or revoked token: 404.
    /// </summary>
    public static async Task<IResult> Feed(string token, CalendarFeeds feeds, DeadlineFeed deadlines, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (await feeds.FindAsync(token, ct) is not { } feed)
        {
            return TypedResults.Text("订阅链接无效或已停用。", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }
        var snapshot = await deadlines.SnapshotAsync(feed, ct);
        var headers = http.Response.GetTypedHeaders();
        headers.ETag = EntityTagHeaderValue.Parse(snapshot.ETag);
        headers.LastModified = snapshot.LastModified;
        headers.CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true };
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match
            && match.Any(m => m.Tag == "*" || m.Compare(headers.ETag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var text = await deadlines.WriteAsync(snapshot, ct);
        http.Response.Headers.ContentDisposition = "inline; filename=\"deadlines.ics\"";
        return TypedResults.Text(text, "text/calendar; charset=utf-8");
    }
}
