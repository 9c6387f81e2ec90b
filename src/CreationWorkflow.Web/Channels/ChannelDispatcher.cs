using System.Collections.Concurrent;

namespace CreationWorkflow.Web.Channels;

/// <summary>What one <see cref="ChannelDispatcher.DispatchAsync"/> run did.</summary>
/// <param name="Postponed">Not sent because their receiver's circuit was open: queued again, no attempt counted.</param>
public sealed record ChannelDispatchResult(int Sent, int Retrying, int Failed, int Postponed = 0);

/// <summary>
/// Sends the outbox's HTTP-channel messages (企业微信, 钉钉, webhook, SMS): claimed as the mail is
/// (<see cref="OutboxDispatcher.ClaimAsync(AppDbContext, bool, int, DateTimeOffset, TimeSpan, CancellationToken)"/>, so
/// several instances never send the same row), up to <see cref="ChannelOptions.Concurrency"/> requests at once, failures
/// retried with the mail's backoff and kept as Failed (with the robot's errcode/errmsg) after
/// <see cref="MailOptions.MaxAttempts"/>. Deliveries are stored in one UPDATE per batch: a crash after sending and
/// before that UPDATE resends at most one batch (<see cref="ChannelOptions.BatchSize"/>) after the claim timeout, each
/// with the same Idempotency-Key (the webhook and the SMS gateway can drop the repeat; the robots cannot).
/// </summary>
public sealed class ChannelDispatcher(
    AppDbContext db, ChannelSenders senders, ContactSecrets secrets, IOptions<ChannelOptions> options, IOptions<MailOptions> mail,
    TimeProvider time, ILogger<ChannelDispatcher> log)
{
    public async Task<ChannelDispatchResult> DispatchAsync(CancellationToken ct)
    {
        int sent = 0, retrying = 0, failed = 0, postponed = 0;
        while (true)
        {
            var batch = await OutboxDispatcher.ClaimAsync(db, mail: false, options.Value.BatchSize, time.GetUtcNow(), mail.Value.ClaimTimeout, ct);
            if (batch.Count == 0)
            {
                break;
            }
            var delivered = new ConcurrentBag<long>();
            var errors = new ConcurrentBag<(OutboxMessage Row, string Error, bool Permanent)>();
            var deferred = new ConcurrentBag<(long Id, string Error, TimeSpan For)>();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = ct }, async (row, token) =>
            {
                try
                {
                    var target = row.TargetProtected is { } t ? secrets.UnprotectTarget(t) : throw new ChannelException("no target", permanent: true);
                    await senders.SendAsync(row, target, token);
                    delivered.Add(row.Id);
                }
                catch (ChannelException e) when (e.DeferredFor is { } wait)
                {
                    deferred.Add((row.Id, e.Message, wait));
                }
                catch (ChannelException e)
                {
                    errors.Add((row, e.Message, e.Permanent));
                }
                catch (CryptographicException)
                {
                    errors.Add((row, "target cannot be unprotected (data-protection key lost)", true));
                }
            });
            if (!delivered.IsEmpty)
            {
                var ids = delivered.ToList();
                var now = time.GetUtcNow();
                await db.Outbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Sent)
                    .SetProperty(m => m.SentAt, now)
                    .SetProperty(m => m.LastError, (string?)null)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None);
                Operations.Metrics.OutboxSent.Add(ids.Count);
                sent += ids.Count;
            }
            foreach (var (row, error, permanent) in errors.OrderBy(e => e.Row.Id))
            {
                if (await OutboxDispatcher.RecordFailureAsync(db, row, error, permanent, mail.Value, time.GetUtcNow(), log))
                {
                    failed++;
                }
                else
                {
                    retrying++;
                }
            }
            // Not sent (their receiver's circuit is open): due again when it may close, no attempt counted, the error shown.
            foreach (var group in deferred.GroupBy(d => (d.Error, d.For)))
            {
                var ids = group.Select(d => d.Id).ToList();
                var due = time.GetUtcNow() + group.Key.For;
                await db.Outbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.NextAttemptAt, due)
                    .SetProperty(m => m.LastError, group.Key.Error), CancellationToken.None);
                postponed += ids.Count;
            }
            if (delivered.IsEmpty && deferred.IsEmpty)
            {
                break; // every one failed: the receivers are likely down; the backoff decides when to try again
            }
        }
        if (sent + retrying + failed + postponed > 0)
        {
            log.LogInformation("Channel dispatch: {Sent} sent, {Retrying} to retry, {Failed} failed for good, {Postponed} held back by an open circuit",
                sent, retrying, failed, postponed);
        }
        return new ChannelDispatchResult(sent, retrying, failed, postponed);
    }
}
