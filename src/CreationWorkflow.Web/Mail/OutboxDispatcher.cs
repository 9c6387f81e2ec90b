using MimeKit;

namespace CreationWorkflow.Web.Mail;

/// <summary>What one <see cref="OutboxDispatcher.DispatchAsync"/> run did.</summary>
/// <param name="Sent">Messages delivered to the transport.</param>
/// <param name="Retrying">Failed attempts that will be retried after their backoff.</param>
/// <param name="Failed">Messages that failed for the last time (state Failed, kept for the office to requeue).</param>
/// <param name="Batches">Batches (connections) used.</param>
public sealed record OutboxDispatchResult(int Sent, int Retrying, int Failed, int Batches);

/// <summary>
/// Sends the outbox: claims due Pending messages in batches of <see cref="MailOptions.BatchSize"/>, sends each batch
/// over one connection, and stores failures as soon as they are known and deliveries every
/// <see cref="MailOptions.SentFlushSize"/> messages, so a crash mid-batch resends at most those (each with the same
/// Message-ID). A failed attempt is retried after an exponential backoff;
/// after <see cref="MailOptions.MaxAttempts"/> the message becomes Failed and stays until
/// <see cref="RequeueFailedAsync()"/>.
/// </summary>
/// <remarks>
/// Claiming: the batch's rows get <see cref="OutboxMessage.NextAttemptAt"/> = now + <see cref="MailOptions.ClaimTimeout"/>
/// in a short transaction, so no other run sees them as due while this one sends; a run that dies leaves them due
/// again when that time has passed. On PostgreSQL the claim selects with <c>FOR UPDATE SKIP LOCKED</c>, so several
/// instances can dispatch at once, each sending different messages. On SQLite the claim runs in an immediate
/// (write-locking) transaction; SQLite is the single-instance embedded setup, and one dispatcher is enough there.
/// </remarks>
public sealed class OutboxDispatcher(
    AppDbContext db, IMailTransport transport, IOptions<MailOptions> options, TimeProvider time, ILogger<OutboxDispatcher> log)
{
    /// <summary>Sends batches until no message is due, or a batch fails entirely (the server is likely down).</summary>
    public async Task<OutboxDispatchResult> DispatchAsync(CancellationToken ct)
    {
        var total = new BatchOutcome();
        var batches = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var batch = await ClaimAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }
            batches++;
            var outcome = await SendBatchAsync(batch, ct);
            total.Add(outcome);
            if (outcome.Stop)
            {
                break;
            }
        }
        if (batches > 0)
        {
            log.LogInformation("Outbox dispatch: {Sent} sent, {Retrying} to retry, {Failed} failed for good, in {Batches} batch(es)",
                total.Sent, total.Retrying, total.Failed, batches);
        }
        return new OutboxDispatchResult(total.Sent, total.Retrying, total.Failed, batches);
    }

    /// <summary>Puts every Failed message back to Pending, due now, with its attempts reset (for the office).</summary>
    public Task<int> RequeueFailedAsync(CancellationToken ct = default) => RequeueAsync(db.Outbox, ct);

    /// <summary>Puts the given Failed messages back to Pending, due now, with their attempts reset.</summary>
    public Task<int> RequeueFailedAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default) =>
        RequeueAsync(db.Outbox.Where(m => ids.Contains(m.Id)), ct);

    private async Task<int> RequeueAsync(IQueryable<OutboxMessage> messages, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var count = await messages.Where(m => m.State == OutboxState.Failed).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Pending)
            .SetProperty(m => m.Attempts, 0)
            .SetProperty(m => m.NextAttemptAt, now), ct);
        log.LogInformation("Requeued {Count} failed outbox message(s)", count);
        return count;
    }

    /// <summary>Builds the mail for an outbox row: UTF-8 zh-CN text, its stored Message-ID, dated when it was written.</summary>
    public static MimeMessage Compose(OutboxMessage row, MailOptions options)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.From));
        message.To.Add(new MailboxAddress(row.ToName, row.To));
        message.Subject = row.Subject;
        message.Date = row.CreatedAt;
        message.MessageId = row.MessageId.Trim().Trim('<', '>');
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var body = new TextPart(MimeKit.Text.TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.Base64 };
        body.Headers.Add(HeaderId.ContentLanguage, "zh-CN");
        body.SetText(Encoding.UTF8, row.BodyText.ReplaceLineEndings("\r\n"));
        message.Body = body;
        return message;
    }

    // ---------------------------------------------------------------- claim

    private Task<List<OutboxMessage>> ClaimAsync(CancellationToken ct) =>
        ClaimAsync(db, mail: true, options.Value.BatchSize, time.GetUtcNow(), options.Value.ClaimTimeout, ct);

    /// <summary>
    /// Claims up to <paramref name="batchSize"/> due Pending messages — mail, or (<paramref name="mail"/> false) the HTTP
    /// channels' — by moving their next attempt to now + <paramref name="claimTimeout"/> in a short transaction
    /// (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, so instances claim different rows). The one claim of the outbox.
    /// </summary>
    internal static async Task<List<OutboxMessage>> ClaimAsync(
        AppDbContext db, bool mail, int batchSize, DateTimeOffset now, TimeSpan claimTimeout, CancellationToken ct)
    {
        var claimedUntil = now + claimTimeout;
        List<long> ids;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            ids = db.Provider == DatabaseProvider.Postgres
                ? await (mail
                    ? db.Database.SqlQuery<long>($"""
                        SELECT "Id" AS "Value" FROM outbox_messages
                        WHERE "State" = 'Pending' AND "Channel" = 'Mail' AND "NextAttemptAt" <= {now}
                        ORDER BY "Id" LIMIT {batchSize}
                        FOR UPDATE SKIP LOCKED
                        """)
                    : db.Database.SqlQuery<long>($"""
                        SELECT "Id" AS "Value" FROM outbox_messages
                        WHERE "State" = 'Pending' AND "Channel" <> 'Mail' AND "NextAttemptAt" <= {now}
                        ORDER BY "Id" LIMIT {batchSize}
                        FOR UPDATE SKIP LOCKED
                        """)).ToListAsync(ct)
                : await db.Outbox
                    .Where(m => m.State == OutboxState.Pending && (m.Channel == DeliveryChannel.Mail) == mail && m.NextAttemptAt <= now)
                    .OrderBy(m => m.Id).Take(batchSize).Select(m => m.Id)
                    .ToListAsync(ct);
            if (ids.Count == 0)
            {
                return [];
            }
            await db.Outbox.Where(m => ids.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, claimedUntil), ct);
            await tx.CommitAsync(ct);
        }
        return await db.Outbox.AsNoTracking().Where(m => ids.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync(ct);
    }

    // ---------------------------------------------------------------- send

    private async Task<BatchOutcome> SendBatchAsync(List<OutboxMessage> batch, CancellationToken ct)
    {
        var outcome = new BatchOutcome();
        var ready = new List<(OutboxMessage Row, MimeMessage Mail)>(batch.Count);
        foreach (var row in batch)
        {
            try
            {
                ready.Add((row, Compose(row, options.Value)));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                // A bad address or Message-ID never gets better by waiting.
                await RecordFailureAsync(row, e, outcome, permanent: true);
            }
        }
        if (ready.Count == 0)
        {
            return outcome;
        }

        IMailConnection connection;
        try
        {
            connection = await transport.ConnectAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("Mail transport unreachable ({Error}); {Count} message(s) will be retried", Describe(e), ready.Count);
            foreach (var (row, _) in ready)
            {
                await RecordFailureAsync(row, e, outcome);
            }
            outcome.Stop = true;
            return outcome;
        }

        var sent = new List<OutboxMessage>(ready.Count);
        await using (connection)
        {
            for (var i = 0; i < ready.Count; i++)
            {
                var (row, mail) = ready[i];
                var started = time.GetTimestamp();
                try
                {
                    await connection.SendAsync(mail, ct);
                    Operations.Metrics.MailSendDuration.Record(time.GetElapsedTime(started).TotalSeconds);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // The one in flight stays claimed until ClaimTimeout (it may have arrived); the rest are due again now.
                    await RecordSentAsync(sent, outcome);
                    await ReleaseAsync(ready.Skip(i + 1).Select(r => r.Row.Id));
                    throw;
                }
                catch (Exception e)
                {
                    await RecordFailureAsync(row, e, outcome);
                    if (!connection.IsConnected)
                    {
                        var rest = ready.Skip(i + 1).Select(r => r.Row.Id).ToList();
                        log.LogWarning("Mail connection lost; {Count} unsent message(s) of the batch left for the next run", rest.Count);
                        await ReleaseAsync(rest);
                        outcome.Stop = true;
                        break;
                    }
                    continue;
                }
                sent.Add(row);
                if (sent.Count >= options.Value.SentFlushSize)
                {
                    await RecordSentAsync(sent, outcome);
                }
            }
            await RecordSentAsync(sent, outcome);
        }
        if (outcome.Sent == 0)
        {
            outcome.Stop = true;
        }
        return outcome;
    }

    // Outcomes are stored even when the run is being cancelled: the mail has gone (or the attempt has failed) either way.

    /// <summary>
    /// Stores the messages delivered since the last call as Sent, in one UPDATE, and empties the list. One commit per
    /// message held SQLite at ~33 messages/s (a synced commit each); a crash before the flush resends at most
    /// <see cref="MailOptions.SentFlushSize"/> messages, each with its own Message-ID.
    /// </summary>
    private async Task RecordSentAsync(List<OutboxMessage> sent, BatchOutcome outcome)
    {
        if (sent.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var ids = sent.Select(m => m.Id).ToList();
        await db.Outbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Sent)
            .SetProperty(m => m.SentAt, now)
            .SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None);
        outcome.Sent += sent.Count;
        Operations.Metrics.OutboxSent.Add(sent.Count);
        log.LogDebug("Sent {Count} outbox message(s), ids {First}–{Last}", sent.Count, ids[0], ids[^1]);
        sent.Clear();
    }

    private async Task RecordFailureAsync(OutboxMessage row, Exception error, BatchOutcome outcome, bool permanent = false)
    {
        var giveUp = await RecordFailureAsync(db, row, Describe(error), permanent, options.Value, time.GetUtcNow(), log);
        if (giveUp)
        {
            outcome.Failed++;
        }
        else
        {
            outcome.Retrying++;
        }
    }

    /// <summary>
    /// Stores a failed attempt: Pending again after the backoff (<see cref="MailOptions.RetryDelay"/>), or Failed — kept, with
    /// its error, for the 运维 page — once <see cref="MailOptions.MaxAttempts"/> is reached or the failure is permanent.
    /// True when it gave up.
    /// </summary>
    internal static async Task<bool> RecordFailureAsync(
        AppDbContext db, OutboxMessage row, string error, bool permanent, MailOptions o, DateTimeOffset now, ILogger log)
    {
        var attempts = row.Attempts + 1;
        var giveUp = permanent || attempts >= o.MaxAttempts;
        var state = giveUp ? OutboxState.Failed : OutboxState.Pending;
        var next = giveUp ? now : now + o.RetryDelay(attempts);
        var text = error.Length <= 2000 ? error : error[..2000];
        await db.Outbox.Where(m => m.Id == row.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, state)
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.NextAttemptAt, next)
            .SetProperty(m => m.LastError, text), CancellationToken.None);
        Operations.Metrics.OutboxFailed.Add(1, new KeyValuePair<string, object?>("final", giveUp));
        if (giveUp)
        {
            log.LogError("Outbox message {Id} ({MessageId}, {Channel}) to {To} failed after {Attempts} attempt(s) and is kept as Failed: {Error}",
                row.Id, row.MessageId, row.Channel, row.To, attempts, text);
        }
        else
        {
            log.LogWarning("Outbox message {Id} ({MessageId}, {Channel}) to {To} failed (attempt {Attempts}); next attempt at {Next:o}: {Error}",
                row.Id, row.MessageId, row.Channel, row.To, attempts, next, text);
        }
        return giveUp;
    }

    /// <summary>Gives claimed but unattempted messages back: due now, no attempt counted.</summary>
    private async Task ReleaseAsync(IEnumerable<long> ids)
    {
        var list = ids.ToList();
        if (list.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        await db.Outbox.Where(m => list.Contains(m.Id) && m.State == OutboxState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now), CancellationToken.None);
    }

    private static string Describe(Exception e) => Operations.IncidentRecord.Describe(e);

    private sealed class BatchOutcome
    {
        public int Sent;
        public int Retrying;
        public int Failed;
        public bool Stop;

        public void Add(BatchOutcome other)
        {
            Sent += other.Sent;
            Retrying += other.Retrying;
            Failed += other.Failed;
        }
    }
}
