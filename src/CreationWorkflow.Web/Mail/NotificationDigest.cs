namespace CreationWorkflow.Web.Mail;

/// <summary>What one <see cref="NotificationDigest.CreateMailsAsync"/> run did.</summary>
/// <param name="Messages">Outbox messages written (one per recipient).</param>
/// <param name="Notifications">Notifications those messages carry.</param>
/// <param name="Skipped">Notifications whose recipient has no mail address: in-app only from now on.</param>
public sealed record NotificationDigestResult(int Messages, int Notifications, int Skipped);

/// <summary>
/// Turns the notifications not yet mailed into one outbox message per recipient and links each notification to its
/// message. A message lists at most <see cref="MailOptions.DigestMaxItems"/> notices (the oldest first); the rest are
/// counted in one line with a link to the platform, where they are all listed, and are linked to the same message.
/// The Message-ID is derived from the notifications a message carries, and is unique in the outbox: a run repeated
/// after a crash, or racing another instance, cannot mail the same notifications twice.
/// </summary>
/// <remarks>
/// Reading is bounded: one aggregate query counts the pending notifications per recipient (a GROUP BY), then each
/// message loads only the notices it lists; the rest are linked by one UPDATE per recipient, never read. After a long
/// outage a unit therefore gets one short mail, not one listing tens of thousands of notices. Messages are written
/// <see cref="MailOptions.DigestBatchSize"/> per transaction.
/// Addresses: a unit's is <see cref="UnitRecord.Email"/> in the notification's programme (its
/// <see cref="NotificationRecord.ProgrammeId"/>, else its campaign's); the office's, inspectors' and leaders' come
/// from <see cref="MailOptions"/> until sign-in accounts exist. A notification whose recipient has no valid address
/// is marked <see cref="NotificationRecord.MailSkipped"/> and is not looked at again. Call it in a scope of its own:
/// it saves the DbContext it is given.
/// </remarks>
public sealed class NotificationDigest(AppDbContext db, IOptions<MailOptions> options, TimeProvider time, ReadLinks readLinks, ILogger<NotificationDigest> log)
{
    public const string SubjectPrefix = "【民族团结进步创建】";
    public const string MessageIdDomain = "creationworkflow";

    private static readonly NotificationDigestResult Nothing = new(0, 0, 0);

    /// <summary>The pending notifications of one recipient as one programme (or campaign) names it: counted, not loaded.</summary>
    private sealed record PendingGroup(string Recipient, string? ProgrammeId, Guid? CampaignId, int Count, long LastId);

    public async Task<NotificationDigestResult> CreateMailsAsync(CancellationToken ct)
    {
        var o = options.Value;
        var groups = await db.Notifications.AsNoTracking()
            .Where(n => n.OutboxMessageId == null && !n.MailSkipped)
            .GroupBy(n => new { n.Recipient, n.ProgrammeId, n.CampaignId })
            .Select(g => new PendingGroup(g.Key.Recipient, g.Key.ProgrammeId, g.Key.CampaignId, g.Count(), g.Max(n => n.Id)))
            .ToListAsync(ct);
        if (groups.Count == 0)
        {
            return Nothing;
        }

        var directory = await LoadDirectoryAsync(groups, ct);
        var skipped = new List<PendingGroup>();
        var mails = new Dictionary<(string Recipient, string Address), (string Name, string Address, List<PendingGroup> Groups)>();
        foreach (var g in groups.OrderBy(g => g.LastId))
        {
            if (Resolve(g.Recipient, g.ProgrammeId, g.CampaignId, directory, o) is not { } to)
            {
                skipped.Add(g);
                continue;
            }
            var key = (g.Recipient, to.Address.ToLowerInvariant());
            if (!mails.TryGetValue(key, out var mail))
            {
                mails[key] = mail = (to.Name, to.Address, []);
            }
            mail.Groups.Add(g);
        }

        var total = new NotificationDigestResult(0, 0, 0);
        // Skipped groups ride along with the first batch; an empty batch carries them alone.
        var batches = mails.Values.Chunk(o.DigestBatchSize).ToList();
        if (batches.Count == 0)
        {
            batches.Add([]);
        }
        for (var i = 0; i < batches.Count; i++)
        {
            var result = await WriteBatchAsync(batches[i], i == 0 ? skipped : [], ct);
            total = new NotificationDigestResult(total.Messages + result.Messages, total.Notifications + result.Notifications, total.Skipped + result.Skipped);
        }
        if (total.Messages > 0)
        {
            log.LogInformation("Notification digest: {Messages} mail(s) carrying {Notifications} notification(s)", total.Messages, total.Notifications);
        }
        return total;
    }

    private async Task<NotificationDigestResult> WriteBatchAsync(
        (string Name, string Address, List<PendingGroup> Groups)[] mails, List<PendingGroup> skipped, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var added = new List<OutboxMessage>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var drafts = new List<(OutboxMessage Message, List<PendingGroup> Groups)>();
            foreach (var (name, address, mailGroups) in mails)
            {
                var listed = new List<NotificationRecord>();
                foreach (var g in mailGroups)
                {
                    listed.AddRange(await Pending(g).OrderBy(n => n.Id).Take(o.DigestMaxItems).ToListAsync(ct));
                }
                listed = [.. listed.OrderBy(n => n.Id).Take(o.DigestMaxItems)];
                var count = mailGroups.Sum(g => g.Count);
                var rest = count - listed.Count;
                var message = new OutboxMessage
                {
                    MessageId = MessageIdFor(listed, rest, mailGroups.Max(g => g.LastId)),
                    To = address,
                    ToName = Truncate(name, 200),
                    Subject = SubjectFor(listed, count),
                    BodyText = BodyFor(name, listed, o.BaseUrl, rest, readLinks.UrlFor),
                    State = OutboxState.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                };
                db.Outbox.Add(message);
                added.Add(message);
                drafts.Add((message, mailGroups));
            }
            await db.SaveChangesAsync(ct);

            var linked = 0;
            foreach (var (message, mailGroups) in drafts)
            {
                foreach (var g in mailGroups)
                {
                    var count = await Pending(g).ExecuteUpdateAsync(s => s.SetProperty(n => n.OutboxMessageId, message.Id), ct);
                    if (count != g.Count)
                    {
                        return Conflict(added);
                    }
                    linked += count;
                }
            }
            var skippedCount = 0;
            foreach (var g in skipped)
            {
                skippedCount += await Pending(g).ExecuteUpdateAsync(s => s.SetProperty(n => n.MailSkipped, true), ct);
            }
            if (skippedCount > 0)
            {
                log.LogInformation("{Count} notification(s) stay in-app only: no mail address for {Recipients}",
                    skippedCount, string.Join(", ", skipped.Select(g => g.Recipient).Distinct()));
            }
            await tx.CommitAsync(ct);
            return new NotificationDigestResult(added.Count, linked, skippedCount);
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

    /// <summary>The group's notifications that are still unmailed, up to the last one counted (later ones wait for the next run).</summary>
    private IQueryable<NotificationRecord> Pending(PendingGroup g) => db.Notifications.Where(n =>
        n.Recipient == g.Recipient && n.ProgrammeId == g.ProgrammeId && n.CampaignId == g.CampaignId
        && n.OutboxMessageId == null && !n.MailSkipped && n.Id <= g.LastId);

    /// <summary>
    /// Same notifications, same Message-ID: SHA-256 over the listed ones' ids and occurrence keys, in id order, and,
    /// for a bounded digest, the number not listed and the last id counted.
    /// </summary>
    public static string MessageIdFor(IEnumerable<NotificationRecord> notifications, int notListed = 0, long lastId = 0)
    {
        var text = new StringBuilder();
        foreach (var n in notifications.OrderBy(n => n.Id))
        {
            text.Append(n.Id.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(n.OccurrenceKey).Append('\n');
        }
        if (notListed > 0)
        {
            text.Append("+ ").Append(notListed.ToString(CultureInfo.InvariantCulture)).Append(" to ").Append(lastId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return $"<{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))}@{MessageIdDomain}>";
    }

    /// <param name="items">The notices listed.</param>
    /// <param name="count">All the notices the message carries (listed or not).</param>
    public static string SubjectFor(IReadOnlyList<NotificationRecord> items, int count) => Truncate(count == 1
        ? SubjectPrefix + items[0].Title
        : $"{SubjectPrefix}您有{count}条待办提醒", 300);

    /// <param name="notListed">Notices the message carries beyond <paramref name="items"/>: counted in one line with a link.</param>
    /// <param name="readLink">
    /// The notice's read link (<see cref="ReadLinks.UrlFor(NotificationRecord)"/>): a link into the platform is given as it, so
    /// opening the task from the mail marks the notice read; a link elsewhere stays as it is.
    /// </param>
    public static string BodyFor(
        string recipientName, IReadOnlyList<NotificationRecord> items, string baseUrl, int notListed = 0, Func<NotificationRecord, string>? readLink = null)
    {
        var text = new StringBuilder();
        text.Append(recipientName).Append("：\n\n");
        text.Append("您在民族团结进步创建工作平台有").Append(items.Count + notListed).Append("条新的提醒");
        text.Append(notListed > 0 ? $"，以下是最早的{items.Count}条：\n" : "：\n");
        var number = 0;
        foreach (var n in items)
        {
            text.Append('\n').Append(++number).Append(". ").Append(n.Title).Append('\n');
            var readable = readLink is not null && n.Link is { Length: > 0 } link && IsRelative(link) ? readLink(n) : null;
            text.Append(NoticeFormats.WithAbsoluteLink(n.Body, n.Link, baseUrl, readable)).Append('\n');
        }
        if (notListed > 0)
        {
            text.Append("\n另有").Append(notListed).Append("条提醒未在本邮件列出，请登录平台查看全部：").Append(baseUrl).Append('\n');
        }
        text.Append("\n请登录平台查看和办理：").Append(baseUrl).Append('\n');
        text.Append("本邮件由平台自动发送，请勿直接回复。\n\n");
        text.Append("民族团结进步创建工作平台\n");
        return text.ToString();
    }

    private static bool IsRelative(string link) => link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal);

    // ----------------------------------------------------------------

    private sealed record UnitDirectory(IReadOnlyDictionary<Guid, string> CampaignProgrammes, ILookup<string, UnitRecord> UnitsByName);

    private async Task<UnitDirectory> LoadDirectoryAsync(List<PendingGroup> pending, CancellationToken ct)
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

    private (string Address, string Name)? Resolve(string recipient, string? programmeId, Guid? campaignId, UnitDirectory directory, MailOptions o)
    {
        if (IsRole(recipient))
        {
            var address = recipient switch
            {
                Recipients.Office => o.OfficeAddress,
                Recipients.Inspectors => o.InspectorsAddress,
                Recipients.Leaders => o.LeadersAddress,
                _ => null,
            };
            var name = ReminderTexts.RecipientName(recipient);
            return MailAddresses.IsValid(address) ? (address!.Trim(), name) : null;
        }

        var programme = programmeId
            ?? (campaignId is { } campaign && directory.CampaignProgrammes.TryGetValue(campaign, out var p) ? p : null);
        var candidates = directory.UnitsByName[recipient]
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
            log.LogWarning("Unit {Unit} has an invalid mail address '{Email}'; its notifications stay in-app only", recipient, emails[0]);
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
