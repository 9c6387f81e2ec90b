using Microsoft.AspNetCore.WebUtilities;

namespace CreationWorkflow.Web.Calendar;

/// <summary>A unit's feed as its managers see it: never the token (it is not stored).</summary>
public sealed record CalendarFeedStatus(string Unit, bool Active, DateTimeOffset? CreatedAt, string? CreatedBy);

/// <summary>A feed just made: the only time its URL is shown.</summary>
public sealed record IssuedCalendarFeed(string Unit, string Url, DateTimeOffset CreatedAt);

/// <summary>
/// Managing the units' calendar feeds: a unit user manages its own unit's, the office any unit's; anyone else (and a
/// unit asking about another unit) gets 404. Each change is one transaction with its audit entry.
/// </summary>
public sealed class CalendarFeeds(AppDbContext db, TimeProvider clock, IOptions<MailOptions> mail)
{
    public const string Route = "/calendar";

    /// <summary>32 random bytes, Base64url: 43 characters.</summary>
    public static string NewToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public string UrlFor(string token) => NoticeFormats.AbsoluteLink(mail.Value.BaseUrl, $"{Route}/{token}.ics");

    /// <summary>The unit the caller may manage: its own (unit user) or any unit of the directory (office); else 404.</summary>
    public async Task<string> CheckUnitAsync(ClaimsPrincipal user, string? unit, CancellationToken ct)
    {
        var name = (Input.Bounded(unit, "unit", Input.NameLength) ?? "").Trim();
        if (name.Length == 0)
        {
            throw new DomainException("unit", "请指定单位。");
        }
        var allowed = user.IsInRole(Roles.Office)
            ? await db.Units.AnyAsync(u => u.Name == name, ct)
            : user.UnitOf() == name;
        return allowed ? name : throw new DomainException("unit", "单位不存在。", ErrorKind.NotFound);
    }

    public async Task<CalendarFeedStatus> StatusAsync(ClaimsPrincipal user, string? unit, CancellationToken ct)
    {
        var name = await CheckUnitAsync(user, unit, ct);
        var active = await Active(name).AsNoTracking().FirstOrDefaultAsync(ct);
        return new CalendarFeedStatus(name, active is not null, active?.CreatedAt, active?.CreatedBy);
    }

    /// <summary>Makes a new feed for the unit (开通, or 重置 when one exists: the old link stops at once).</summary>
    public async Task<IssuedCalendarFeed> IssueAsync(ClaimsPrincipal user, string? unit, CancellationToken ct)
    {
        var name = await CheckUnitAsync(user, unit, ct);
        var now = clock.GetUtcNow();
        var actor = user.NameOf();
        var token = NewToken();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var revoked = await Active(name).ExecuteUpdateAsync(s => s.SetProperty(f => f.RevokedAt, now).SetProperty(f => f.RevokedBy, actor), ct);
        db.CalendarFeeds.Add(new CalendarFeedRecord { Unit = name, TokenHash = Hash(token), CreatedAt = now, CreatedBy = actor });
        db.AddAudit(now, actor, AuditActions.CalendarFeedIssued, AuditEntities.CalendarFeed, name,
            before: revoked > 0 ? JsonSerializer.Serialize(new { active = true }) : null, after: JsonSerializer.Serialize(new { active = true, rotated = revoked > 0 }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw new DomainException("unit", "该单位的订阅链接正在被他人重置，请刷新后重试。", ErrorKind.Conflict);
        }
        await tx.CommitAsync(ct);
        return new IssuedCalendarFeed(name, UrlFor(token), now);
    }

    /// <summary>Revokes the unit's feed (停用): its link answers 404 from now on.</summary>
    public async Task<CalendarFeedStatus> RevokeAsync(ClaimsPrincipal user, string? unit, CancellationToken ct)
    {
        var name = await CheckUnitAsync(user, unit, ct);
        var now = clock.GetUtcNow();
        var actor = user.NameOf();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var revoked = await Active(name).ExecuteUpdateAsync(s => s.SetProperty(f => f.RevokedAt, now).SetProperty(f => f.RevokedBy, actor), ct);
        if (revoked == 0)
        {
            throw new DomainException("unit", "该单位尚未开通日程订阅。", ErrorKind.Conflict);
        }
        db.AddAudit(now, actor, AuditActions.CalendarFeedRevoked, AuditEntities.CalendarFeed, name,
            before: JsonSerializer.Serialize(new { active = true }), after: JsonSerializer.Serialize(new { active = false }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CalendarFeedStatus(name, false, null, null);
    }

    /// <summary>The unit of an active feed with this token; null for an unknown, revoked or malformed one.</summary>
    public async Task<CalendarFeedRecord?> FindAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }
        var hash = Hash(token);
        return await Active().AsNoTracking().FirstOrDefaultAsync(f => f.TokenHash == hash, ct);
    }

    private IQueryable<CalendarFeedRecord> Active(string? unit = null) =>
        unit is null ? db.CalendarFeeds.Where(f => f.RevokedAt == null) : db.CalendarFeeds.Where(f => f.Unit == unit && f.RevokedAt == null);
}
