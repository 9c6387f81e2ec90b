using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreationWorkflow.Web.Mail;

/// <summary>What one <see cref="NotificationDigest.CreateMailsAsync"/> run did.</summary>
/// <param name="Messages">Outbox messages written (one per recipient).</param>
/// <param name="Notifications">Notifications those messages carry.</param>
/// <param name="Skipped">Notifications whose recipient has no mail address: in-app only from now on.</param>
public sealed record NotificationDigestResult(int Messages, int Notifications, int Skipped);

/// <summary>
/// Turns the notifications not yet mailed into one outbox message per recipient, listing them all, and links each
/// notification to its message, in one transaction. The Message-ID is derived from the notifications a message
/// carries, and is unique in the outbox: a run repeated after a crash, or racing another instance, cannot mail the
/// same notifications twice.
/// </summary>
/// <remarks>
/// Addresses: a unit's is <see cref="UnitRecord.Email"/> in the notification's programme (its
/// <see cref="NotificationRecord.ProgrammeId"/>, else its campaign's); the office's, inspectors' and leaders' come
/// from <see cref="MailOptions"/> until sign-in accounts exist. A notification whose recipient has no valid address
/// is marked <see cref="NotificationRecord.MailSkipped"/> and is not looked at again. Call it in a scope of its own:
/// it saves the DbContext it is given.
/// </remarks>
public sealed class NotificationDigest(AppDbContext db, IOptions<MailOptions> options, TimeProvider time, ILogger<NotificationDigest> log)
{
    public const string SubjectPrefix = "【民族团结进步创建】";
    public const string MessageIdDomain = "creationworkflow";

    private static readonly NotificationDigestResult Nothing = new(0, 0, 0);

    public async Task<NotificationDigestResult> CreateMailsAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var added = new List<OutboxMessage>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var pending = await db.Notifications.AsNoTracking()
                .Where(n => n.OutboxMessageId == null && !n.MailSkipped)
                .OrderBy(n => n.Id)
                .ToListAsync(ct);
            if (pending.Count == 0)
            {
                return Nothing;
            }

            var directory = await LoadDirectoryAsync(pending, ct);
            var skipped = new List<long>();
            var mails = new Dictionary<(string Recipient, string Address), (string Name, string Address, List<NotificationRecord> Items)>();
            foreach (var n in pending)
            {
                if (Resolve(n, directory, o) is not { } to)
                {
                    skipped.Add(n.Id);
                    continue;
                }
                var key = (n.Recipient, to.Address.ToLowerInvariant());
                if (!mails.TryGetValue(key, out var mail))
                {
                    mails[key] = mail = (to.Name, to.Address, []);
                }
                mail.Items.Add(n);
            }

            var drafts = new List<(OutboxMessage Message, List<long> Ids)>();
            foreach (var (name, address, items) in mails.Values)
            {
                var message = new OutboxMessage
                {
                    MessageId = MessageIdFor(items),
                    To = address,
                    ToName = Truncate(name, 200),
                    Subject = SubjectFor(items),
                    BodyText = BodyFor(name, items, o.BaseUrl),
                    State = OutboxState.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                };
                db.Outbox.Add(message);
                added.Add(message);
                drafts.Add((message, items.Select(n => n.Id).ToList()));
            }
            await db.SaveChangesAsync(ct);

            var linked = 0;
            foreach (var (message, ids) in drafts)
            {
                var count = await db.Notifications
                    .Where(n => ids.Contains(n.Id) && n.OutboxMessageId == null && !n.MailSkipped)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.OutboxMessageId, message.Id), ct);
                if (count != ids.Count)
                {
                    return Conflict(added);
                }
                linked += count;
            }
            if (skipped.Count > 0)
            {
                await db.Notifications
                    .Where(n => skipped.Contains(n.Id) && n.OutboxMessageId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.MailSkipped, true), ct);
                log.LogInformation("{Count} notification(s) stay in-app only: no mail address for {Recipients}",
                    skipped.Count, string.Join(", ", pending.Where(n => skipped.Contains(n.Id)).Select(n => n.Recipient).Distinct()));
            }
            await tx.CommitAsync(ct);
            log.LogInformation("Notification digest: {Messages} mail(s) carrying {Notifications} notification(s)", added.Count, linked);
            return new NotificationDigestResult(added.Count, linked, skipped.Count);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            return Conflict(added);
        }
        catch
        {
            Detach(added);
            throw;
        }

        NotificationDigestResult Conflict(List<OutboxMessage> written)
        {
            // Another run mailed some of these notifications first; the transaction is rolled back (on dispose)
            // and the next run takes whatever is left.
            Detach(written);
            log.LogInformation("Notification digest: another run mailed some of these notifications first; nothing written");
            return Nothing;
        }
    }

    /// <summary>Same notifications, same Message-ID: SHA-256 over their ids and occurrence keys, in id order.</summary>
    public static string MessageIdFor(IEnumerable<NotificationRecord> notifications)
    {
        var text = new StringBuilder();
        foreach (var n in notifications.OrderBy(n => n.Id))
        {
            text.Append(n.Id.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(n.OccurrenceKey).Append('\n');
        }
        return $"<{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))}@{MessageIdDomain}>";
    }

    public static string SubjectFor(IReadOnlyList<NotificationRecord> items) => Truncate(items.Count == 1
        ? SubjectPrefix + items[0].Title
        : $"{SubjectPrefix}您有{items.Count}条待办提醒", 300);

    public static string BodyFor(string recipientName, IReadOnlyList<NotificationRecord> items, string baseUrl)
    {
        var text = new StringBuilder();
        text.Append(recipientName).Append("：\n\n");
        text.Append("您在民族团结进步创建工作平台有").Append(items.Count).Append("条新的提醒：\n");
        var number = 0;
        foreach (var n in items)
        {
            text.Append('\n').Append(++number).Append(". ").Append(n.Title).Append('\n');
            var body = n.Body.Trim();
            if (n.Link is { Length: > 0 } link)
            {
                var absolute = AbsoluteLink(baseUrl, link);
                if (!body.Contains(absolute, StringComparison.Ordinal))
                {
                    // A text naming the link relative to the platform (fine in-app) gets it whole; else it is added.
                    body = body.Contains(link, StringComparison.Ordinal)
                        ? body.Replace(link, absolute, StringComparison.Ordinal)
                        : body + "\n办理入口：" + absolute;
                }
            }
            text.Append(body).Append('\n');
        }
        text.Append("\n请登录平台查看和办理：").Append(baseUrl).Append('\n');
        text.Append("本邮件由平台自动发送，请勿直接回复。\n\n");
        text.Append("民族团结进步创建工作平台\n");
        return text.ToString();
    }

    /// <summary>A link as it goes in a mail: absolute links unchanged, relative ones under <paramref name="baseUrl"/>.</summary>
    public static string AbsoluteLink(string baseUrl, string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? link
            : baseUrl.TrimEnd('/') + "/" + link.TrimStart('/');

    // ----------------------------------------------------------------

    private sealed record UnitDirectory(IReadOnlyDictionary<Guid, string> CampaignProgrammes, ILookup<string, UnitRecord> UnitsByName);

    private async Task<UnitDirectory> LoadDirectoryAsync(List<NotificationRecord> pending, CancellationToken ct)
    {
        var unitNotifications = pending.Where(n => !IsRole(n.Recipient)).ToList();
        var campaignIds = unitNotifications
            .Where(n => n.ProgrammeId is null && n.CampaignId is not null)
            .Select(n => n.CampaignId!.Value).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking()
            .Where(c => campaignIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.ProgrammeId, ct);
        var names = unitNotifications.Select(n => n.Recipient).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => names.Contains(u.Name)).ToListAsync(ct);
        return new UnitDirectory(campaigns, units.ToLookup(u => u.Name, StringComparer.Ordinal));
    }

    private (string Address, string Name)? Resolve(NotificationRecord n, UnitDirectory directory, MailOptions o)
    {
        if (IsRole(n.Recipient))
        {
            var address = n.Recipient switch
            {
                Recipients.Office => o.OfficeAddress,
                Recipients.Inspectors => o.InspectorsAddress,
                Recipients.Leaders => o.LeadersAddress,
                _ => null,
            };
            var name = ReminderTexts.RecipientName(n.Recipient);
            return MailAddresses.IsValid(address) ? (address!.Trim(), name) : null;
        }

        var programme = n.ProgrammeId
            ?? (n.CampaignId is { } campaign && directory.CampaignProgrammes.TryGetValue(campaign, out var p) ? p : null);
        var candidates = directory.UnitsByName[n.Recipient]
            .Where(u => programme is null || u.ProgrammeId == programme)
            .ToList();
        var emails = candidates.Select(u => u.Email?.Trim()).Where(e => !string.IsNullOrEmpty(e)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (emails.Count != 1)
        {
            // None, or (programme unknown) different units of that name with different addresses.
            return null;
        }
        if (!MailAddresses.IsValid(emails[0]) || emails[0]!.Length > 200)
        {
            log.LogWarning("Unit {Unit} has an invalid mail address '{Email}'; its notifications stay in-app only", n.Recipient, emails[0]);
            return null;
        }
        var unit = candidates.First(u => string.Equals(u.Email?.Trim(), emails[0], StringComparison.OrdinalIgnoreCase));
        return (emails[0]!, string.IsNullOrWhiteSpace(unit.FullName) ? unit.Name : unit.FullName);
    }

    private static bool IsRole(string recipient) => recipient.StartsWith("role:", StringComparison.Ordinal);

    private void Detach(List<OutboxMessage> messages)
    {
        foreach (var message in messages)
        {
            db.Entry(message).State = EntityState.Detached;
        }
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
