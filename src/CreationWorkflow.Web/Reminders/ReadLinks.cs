using Microsoft.AspNetCore.DataProtection;

namespace CreationWorkflow.Web.Reminders;

/// <summary>
/// The read link of a message (阅读回执): <c>{BaseUrl}/r/{token}</c> opens the notice's task and marks the notice read.
/// The token is the notice's id and an expiry, protected (encrypted and signed) with ASP.NET Data Protection, whose keys
/// every instance shares; the expiry is checked against <see cref="TimeProvider"/>, not the machine clock. A tampered,
/// foreign or expired token is refused. Mail and robot texts take the link from <see cref="UrlFor"/>.
/// </summary>
public sealed class ReadLinks(IDataProtectionProvider protection, IOptions<NoticeOptions> options, IOptions<MailOptions> mail, TimeProvider clock)
{
    public const string Route = "/r";
    private const string Purpose = "CreationWorkflow.ReadLinks.v1";

    private readonly IDataProtector protector = protection.CreateProtector(Purpose);

    /// <summary>The absolute read link of <paramref name="notification"/> (it must be stored: it needs its id).</summary>
    public string UrlFor(NotificationRecord notification) => UrlFor(notification.Id);

    public string UrlFor(long notificationId) =>
        NoticeFormats.AbsoluteLink(mail.Value.BaseUrl, $"{Route}/{TokenFor(notificationId)}");

    public string TokenFor(long notificationId)
    {
        var expires = clock.GetUtcNow().Add(options.Value.ReadLinkLifetime).ToUnixTimeSeconds();
        return protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{notificationId}|{expires}"));
    }

    /// <summary>The notice id a valid, unexpired token names; null for anything else.</summary>
    public long? Read(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return null;
        }
        string payload;
        try
        {
            payload = protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        var parts = payload.Split('|');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && clock.GetUtcNow().ToUnixTimeSeconds() <= expires
                ? id
                : null;
    }
}

/// <summary>
/// Marking notices read, the one way: the API's 标为已读, a message's read link, opening the task or the notice list
/// in-app. The first read is kept (a notice already read is not touched); each notice marked gets its audit entry in
/// the same SaveChanges.
/// </summary>
public static class NotificationReads
{
    /// <summary>At most this many notices are marked by one page view (the inbox shows 10; a task has a few).</summary>
    public const int MaxPerCall = 200;

    /// <summary>
    /// Marks the unread notices of <paramref name="which"/> read at <paramref name="now"/>; returns how many. Each row is
    /// set only while still unread (a read racing another keeps the first time), with its audit entry, in one transaction.
    /// </summary>
    public static async Task<int> MarkAsync(AppDbContext db, IQueryable<NotificationRecord> which, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var unread = await which.Where(n => n.ReadAt == null).OrderBy(n => n.Id).Take(MaxPerCall)
            .Select(n => new { n.Id, n.Recipient, n.Kind }).ToListAsync(ct);
        if (unread.Count == 0)
        {
            return 0;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var marked = 0;
        foreach (var n in unread)
        {
            if (await db.Notifications.Where(x => x.Id == n.Id && x.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.ReadAt, now), ct) == 1)
            {
                db.AddAudit(now, actor, AuditActions.NotificationRead, AuditEntities.Notification, n.Id.ToString(CultureInfo.InvariantCulture),
                    after: JsonSerializer.Serialize(new { n.Recipient, n.Kind }));
                marked++;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return marked;
    }
}
