namespace CreationWorkflow.Web.Channels;

/// <summary>
/// Writes the channel messages of new notices into the outbox: for each notice to a unit, the channels its
/// definition's <see cref="ChannelPolicy"/> names for its kind, to each of the unit's contacts (联络员, 分管领导) that
/// has that channel — one row per notice, channel and contact, its key (<see cref="OutboxMessage.MessageId"/>,
/// the Idempotency-Key) derived from the notice's occurrence key, unique in the outbox. The notices are marked
/// <see cref="NotificationRecord.ChannelsQueued"/> in the same transaction, so a repeated or racing run writes nothing twice.
/// </summary>
public sealed class ChannelFanout(
    AppDbContext db, ContactSecrets secrets, IOptions<ChannelOptions> options, IOptions<MailOptions> mail, Workflows.WorkflowCatalog workflows,
    TimeProvider time, ILogger<ChannelFanout> log)
{
    /// <summary>Fans out one batch: the notices it looked at (0: none left) and the outbox messages it wrote.</summary>
    public async Task<(int Notices, int Messages)> FanOutAsync(CancellationToken ct)
    {
        var notices = await db.Notifications.AsNoTracking().Where(n => !n.ChannelsQueued).OrderBy(n => n.Id)
            .Take(options.Value.FanoutBatchSize).ToListAsync(ct);
        if (notices.Count == 0)
        {
            return (0, 0);
        }
        var campaignIds = notices.Where(n => n.CampaignId is not null).Select(n => n.CampaignId!.Value).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id))
            .Select(c => new { c.Id, c.ProgrammeId, c.WorkflowId, c.WorkflowVersion }).ToDictionaryAsync(c => c.Id, ct);
        var policies = new Dictionary<Guid, ChannelPolicy>();
        ChannelPolicy PolicyOf(Guid campaign, string workflowId, int version)
        {
            if (!policies.TryGetValue(campaign, out var policy))
            {
                policies[campaign] = policy = workflows.TryGet(workflowId, version, out var d) ? d.Channels : ChannelPolicy.Default;
            }
            return policy;
        }
        var units = notices.Select(n => n.Recipient).Where(r => !r.StartsWith("role:", StringComparison.Ordinal)).Distinct().ToList();
        var contacts = (await db.Contacts.AsNoTracking().Where(c => units.Contains(c.UnitName)).ToListAsync(ct))
            .ToLookup(c => (c.ProgrammeId, c.UnitName));

        var now = time.GetUtcNow();
        var rows = new List<OutboxMessage>();
        foreach (var n in notices)
        {
            var campaign = n.CampaignId is { } id && campaigns.TryGetValue(id, out var c) ? c : null;
            var programme = n.ProgrammeId ?? campaign?.ProgrammeId;
            if (programme is null)
            {
                continue;
            }
            // The campaign's definition's reminderPolicy (its default when it has none); a notice outside a campaign takes the default.
            var policy = campaign is null ? ChannelPolicy.Default : PolicyOf(campaign.Id, campaign.WorkflowId, campaign.WorkflowVersion);
            var (liaison, leader) = policy.For(n.Kind);
            foreach (var contact in contacts[(programme, n.Recipient)])
            {
                foreach (var channel in contact.Role == ContactRole.Leader ? leader : liaison)
                {
                    if (Message(n, contact, channel, now) is { } row)
                    {
                        rows.Add(row);
                    }
                }
            }
        }

        var ids = notices.Select(n => n.Id).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var marked = await db.Notifications.Where(n => ids.Contains(n.Id) && !n.ChannelsQueued)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ChannelsQueued, true), ct);
        if (marked != ids.Count)
        {
            log.LogInformation("Channel fan-out: another run took some of these notices first; nothing written");
            return (0, 0); // rolled back on dispose
        }
        db.Outbox.AddRange(rows);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            log.LogInformation("Channel fan-out: another run wrote these messages first; nothing written");
            return (0, 0);
        }
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        if (rows.Count > 0)
        {
            log.LogInformation("Channel fan-out: {Messages} channel message(s) for {Notices} notice(s)", rows.Count, notices.Count);
        }
        return (notices.Count, rows.Count);
    }

    /// <summary>
    /// 测试发送: one outbox row with <see cref="ReminderTexts.ChannelTest"/> to the contact's <paramref name="channel"/>,
    /// audited; its id. 404 when the contact does not exist, 400 when it lacks that channel.
    /// </summary>
    public async Task<long> QueueTestAsync(string programmeId, string unit, ContactRole role, DeliveryChannel channel, string actor, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.ProgrammeId == programmeId && c.UnitName == unit && c.Role == role, ct)
            ?? throw new Infrastructure.DomainException("role", $"{unit}尚未登记该联系人。", Infrastructure.ErrorKind.NotFound);
        var now = time.GetUtcNow();
        var text = ReminderTexts.ChannelTest(unit, contact.Name, ChannelLabel(channel), now);
        var occurrence = $"test:{contact.Id}:{channel}:{Guid.CreateVersion7(now):N}";
        var row = (channel == DeliveryChannel.Sms ? null : TargetOf(contact, channel)) is { } target
            ? Compose(text, null, occurrence, contact, channel, target, now)
            : channel == DeliveryChannel.Sms && contact.Phone is { Length: > 0 } phone
                ? Compose(text, null, occurrence, contact, channel, new ChannelTarget(phone), now)
                : throw new Infrastructure.DomainException("channel", $"该联系人没有登记{ChannelLabel(channel)}。");
        db.Outbox.Add(row);
        await db.SaveChangesAsync(ct);
        db.AddAudit(now, actor, AuditActions.ChannelTested, AuditEntities.Outbox, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            after: JsonSerializer.Serialize(new { programmeId, unit, Role = role.ToString(), Channel = channel.ToString() }));
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    private ChannelTarget? TargetOf(ContactRecord contact, DeliveryChannel channel) => channel switch
    {
        DeliveryChannel.WeCom => Target(contact.WeComWebhookProtected, null),
        DeliveryChannel.DingTalk => Target(contact.DingTalkWebhookProtected, contact.DingTalkSecretProtected),
        DeliveryChannel.Webhook => Target(contact.WebhookUrlProtected, contact.WebhookSecretProtected),
        _ => null,
    };

    /// <summary>The outbox row of one notice on one channel of one contact; null when the contact lacks that channel.</summary>
    private OutboxMessage? Message(NotificationRecord n, ContactRecord contact, DeliveryChannel channel, DateTimeOffset now)
    {
        var target = channel == DeliveryChannel.Sms
            ? contact.Phone is { Length: > 0 } phone ? new ChannelTarget(phone) : null
            : TargetOf(contact, channel);
        if (target is null)
        {
            return null;
        }
        return Compose(new ReminderText(n.Title, n.Body), n.Link, $"{n.OccurrenceKey}|{channel}|{contact.Id}", contact, channel, target, now);
    }

    /// <summary>
    /// An outbox row for <paramref name="text"/> on <paramref name="channel"/>: rendered as the channel shows it, its target
    /// protected, its key a hash of <paramref name="occurrence"/> (the same notice, channel and contact give the same key).
    /// </summary>
    public OutboxMessage Compose(ReminderText text, string? link, string occurrence, ContactRecord contact, DeliveryChannel channel, ChannelTarget target, DateTimeOffset now)
    {
        var baseUrl = mail.Value.BaseUrl;
        var body = channel switch
        {
            DeliveryChannel.WeCom => NoticeFormats.Markdown(text, link, baseUrl, NoticeFormats.WeComMarkdownBytes),
            DeliveryChannel.DingTalk => NoticeFormats.Markdown(text, link, baseUrl, NoticeFormats.DingTalkMarkdownBytes),
            DeliveryChannel.Sms => JsonSerializer.Serialize(NoticeFormats.SmsParameters(text, link, baseUrl)),
            _ => NoticeFormats.Plain(text, link, baseUrl),
        };
        return new OutboxMessage
        {
            MessageId = "ch-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(occurrence))),
            Channel = channel,
            TargetProtected = secrets.ProtectTarget(target),
            To = Truncate($"{contact.UnitName}·{(contact.Role == ContactRole.Leader ? "分管领导" : "联络员")}·{ChannelLabel(channel)}", 200),
            ToName = Truncate(contact.Name, 200),
            Subject = Truncate(text.Title, 300),
            BodyText = body,
            State = OutboxState.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    public static string ChannelLabel(DeliveryChannel channel) => channel switch
    {
        DeliveryChannel.WeCom => "企业微信",
        DeliveryChannel.DingTalk => "钉钉",
        DeliveryChannel.Webhook => "Webhook",
        DeliveryChannel.Sms => "短信",
        _ => "邮件",
    };

    private ChannelTarget? Target(string? url, string? secret) =>
        url is null ? null : new ChannelTarget(secrets.Unprotect(url)!, secrets.Unprotect(secret));

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
