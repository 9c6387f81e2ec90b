using static CreationWorkflow.Web.Tests.Mail.MailTestData;

namespace CreationWorkflow.Web.Tests.Mail;

/// <summary>The dispatcher against a real SMTP server (aiosmtpd) and a real, migrated SQLite file.</summary>
public sealed class OutboxDispatcherTests : IAsyncLifetime
{
    private readonly TestClock clock = new();
    private SqliteTestDatabase database = null!;
    private SmtpServer smtp = null!;

    public async Task InitializeAsync()
    {
        database = await SqliteTestDatabase.CreateAsync();
        smtp = new SmtpServer { RejectRecipientPrefix = "reject" };
        await smtp.StartAsync();
    }

    public Task DisposeAsync()
    {
        smtp.Dispose();
        database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Each_batch_goes_over_one_connection_and_every_message_arrives_once_with_its_message_id_and_chinese_text()
    {
        var stored = await AddAsync(database, Enumerable.Range(1, 5).Select(i => Message(i, clock.GetUtcNow())));

        await using (var db = database.NewContext())
        {
            var result = await Dispatcher(db, SmtpOptions(smtp, batchSize: 2), clock).DispatchAsync(CancellationToken.None);
            Assert.Equal(new OutboxDispatchResult(Sent: 5, Retrying: 0, Failed: 0, Batches: 3), result);
        }

        var received = smtp.ReceivedMessages();
        Assert.Equal(5, received.Count);
        // One SMTP session per batch of 2: sessions carry 2, 2 and 1 messages, in outbox order.
        Assert.Equal(3, smtp.SessionCount());
        Assert.Equal([2, 2, 1], received.GroupBy(r => r.SessionId).Select(g => g.Count()));

        foreach (var (row, message) in stored.Zip(received))
        {
            using var mail = Parse(message.Raw);
            Assert.Equal(row.MessageId.Trim('<', '>'), mail.MessageId);
            Assert.Contains($"Message-Id: {row.MessageId}", message.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(row.Subject, mail.Subject);
            Assert.Equal(Normalise(row.BodyText), Normalise(mail.TextBody));
            Assert.Equal(row.CreatedAt, mail.Date);
            Assert.Equal("民族团结进步创建工作平台", Assert.Single(mail.From.Mailboxes).Name);
            Assert.Equal(From, message.MailFrom);
            var to = Assert.Single(mail.To.Mailboxes);
            Assert.Equal((row.ToName, row.To), (to.Name, to.Address));
            Assert.Equal([row.To], message.Recipients);
            Assert.Equal("utf-8", mail.Body!.ContentType.Charset, ignoreCase: true);
            Assert.Equal("zh-CN", mail.Body.Headers[MimeKit.HeaderId.ContentLanguage]);
            Assert.Contains("\nContent-Language: zh-CN", message.Text, StringComparison.Ordinal);
            // Headers stay 7-bit on the wire: the Chinese subject is RFC 2047 encoded.
            Assert.Contains("Subject: =?utf-8?", message.Text, StringComparison.OrdinalIgnoreCase);
        }

        var rows = await OutboxAsync(database.NewContext);
        Assert.All(rows, r =>
        {
            Assert.Equal(OutboxState.Sent, r.State);
            Assert.Equal(clock.GetUtcNow(), r.SentAt);
            Assert.Equal(1, r.Attempts);
        });

        // Nothing is due any more: no connection, nothing sent twice.
        await using (var db = database.NewContext())
        {
            var again = await Dispatcher(db, SmtpOptions(smtp, batchSize: 2), clock).DispatchAsync(CancellationToken.None);
            Assert.Equal(new OutboxDispatchResult(0, 0, 0, 0), again);
        }
        Assert.Equal(5, smtp.ReceivedMessages().Count);
        Assert.Equal(3, smtp.SessionCount());
    }

    [Fact]
    public async Task During_an_outage_messages_stay_pending_with_backoff_and_after_it_each_arrives_exactly_once()
    {
        var stored = await AddAsync(database, Enumerable.Range(1, 3).Select(i => Message(i, clock.GetUtcNow())));
        await smtp.StopAsync();
        var options = SmtpOptions(smtp);

        // Attempts 1, 2, 3 fail; each waits 1, 2, then 4 minutes.
        foreach (var (attempt, backoff) in new[] { (1, 1), (2, 2), (3, 4) })
        {
            await using (var db = database.NewContext())
            {
                var result = await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None);
                Assert.Equal(new OutboxDispatchResult(Sent: 0, Retrying: 3, Failed: 0, Batches: 1), result);
            }
            var rows = await OutboxAsync(database.NewContext);
            Assert.All(rows, r =>
            {
                Assert.Equal(OutboxState.Pending, r.State);
                Assert.Equal(attempt, r.Attempts);
                Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(backoff), r.NextAttemptAt);
                Assert.Null(r.SentAt);
                Assert.NotNull(r.LastError);
                Assert.Contains("SocketException", r.LastError);
            });

            // Not due before the backoff has passed: nothing is attempted.
            clock.Advance(TimeSpan.FromMinutes(backoff) - TimeSpan.FromSeconds(1));
            await using (var db = database.NewContext())
            {
                Assert.Equal(new OutboxDispatchResult(0, 0, 0, 0), await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None));
            }
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await smtp.StartAsync();
        await using (var db = database.NewContext())
        {
            var result = await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None);
            Assert.Equal(new OutboxDispatchResult(Sent: 3, Retrying: 0, Failed: 0, Batches: 1), result);
        }
        clock.Advance(TimeSpan.FromHours(2));
        await using (var db = database.NewContext())
        {
            Assert.Equal(0, (await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None)).Sent);
        }

        var received = smtp.ReceivedMessages();
        Assert.Equal(stored.Select(m => m.MessageId.Trim('<', '>')), received.Select(r => Parse(r.Raw).MessageId));
        Assert.Equal(1, smtp.SessionCount());
        Assert.All(await OutboxAsync(database.NewContext), r =>
        {
            Assert.Equal(OutboxState.Sent, r.State);
            Assert.Equal(4, r.Attempts);
        });
    }

    [Fact]
    public async Task After_max_attempts_a_message_is_failed_and_kept_and_requeueing_sends_it()
    {
        var stored = (await AddAsync(database, [Message(1, clock.GetUtcNow())])).Single();
        await smtp.StopAsync();
        var options = SmtpOptions(smtp, maxAttempts: 3);

        var results = new List<OutboxDispatchResult>();
        for (var i = 0; i < 3; i++)
        {
            await using var db = database.NewContext();
            results.Add(await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None));
            clock.Advance(TimeSpan.FromHours(1));
        }
        Assert.Equal([new(0, 1, 0, 1), new(0, 1, 0, 1), new(0, 0, 1, 1)], results);

        var failed = Assert.Single(await OutboxAsync(database.NewContext));
        Assert.Equal((stored.Id, OutboxState.Failed, 3), (failed.Id, failed.State, failed.Attempts));
        Assert.NotNull(failed.LastError);

        // Failed is final until the office requeues: a later run (server back) leaves it alone.
        await smtp.StartAsync();
        clock.Advance(TimeSpan.FromDays(1));
        await using (var db = database.NewContext())
        {
            Assert.Equal(new OutboxDispatchResult(0, 0, 0, 0), await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None));
        }
        Assert.Empty(smtp.ReceivedMessages());

        await using (var db = database.NewContext())
        {
            var dispatcher = Dispatcher(db, options, clock);
            Assert.Equal(1, await dispatcher.RequeueFailedAsync());
            var requeued = Assert.Single(await OutboxAsync(database.NewContext));
            Assert.Equal((OutboxState.Pending, 0, clock.GetUtcNow()), (requeued.State, requeued.Attempts, requeued.NextAttemptAt));
            Assert.Equal(new OutboxDispatchResult(1, 0, 0, 1), await dispatcher.DispatchAsync(CancellationToken.None));
            Assert.Equal(0, await dispatcher.RequeueFailedAsync());
        }
        var received = Assert.Single(smtp.ReceivedMessages());
        Assert.Equal(stored.MessageId.Trim('<', '>'), Parse(received.Raw).MessageId);
        Assert.Equal(OutboxState.Sent, Assert.Single(await OutboxAsync(database.NewContext)).State);
    }

    [Fact]
    public async Task A_refused_recipient_fails_alone_and_the_rest_of_the_batch_goes_over_the_same_connection()
    {
        var stored = await AddAsync(database,
        [
            Message(1, clock.GetUtcNow()),
            Message(2, clock.GetUtcNow(), to: "reject-me@example.test"),
            Message(3, clock.GetUtcNow()),
        ]);

        await using (var db = database.NewContext())
        {
            var result = await Dispatcher(db, SmtpOptions(smtp), clock).DispatchAsync(CancellationToken.None);
            Assert.Equal(new OutboxDispatchResult(Sent: 2, Retrying: 1, Failed: 0, Batches: 1), result);
        }
        Assert.Equal(1, smtp.SessionCount());
        Assert.Equal([stored[0].To, stored[2].To], smtp.ReceivedMessages().Select(m => m.Recipients.Single()));

        var rows = await OutboxAsync(database.NewContext);
        Assert.Equal([OutboxState.Sent, OutboxState.Pending, OutboxState.Sent], rows.Select(r => r.State));
        Assert.Equal(1, rows[1].Attempts);
        Assert.Equal(clock.GetUtcNow().AddMinutes(1), rows[1].NextAttemptAt);
        Assert.Contains("Recipient address rejected", rows[1].LastError);
    }
}
