using static CreationWorkflow.Web.Tests.Mail.MailTestData;

namespace CreationWorkflow.Web.Tests.Mail;

/// <summary>Several instances dispatching one PostgreSQL outbox: claims skip each other's rows, nothing goes twice.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutboxDispatcherTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Concurrent_dispatchers_send_every_message_exactly_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var smtp = await SmtpServer.StartNewAsync();
        var clock = new TestClock();
        AppDbContext NewContext() => new PostgresAppDbContext(
            new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(connectionString).Options);

        await using (var db = NewContext())
        {
            await db.Database.MigrateAsync();
            db.Outbox.AddRange(Enumerable.Range(1, 60).Select(i => Message(i, clock.GetUtcNow())));
            await db.SaveChangesAsync();
        }

        var options = SmtpOptions(smtp, batchSize: 4);
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            await using var db = NewContext();
            return await Dispatcher(db, options, clock).DispatchAsync(CancellationToken.None);
        })));
        output.WriteLine(string.Join("\n", results));

        Assert.Equal(60, results.Sum(r => r.Sent));
        Assert.All(results, r => Assert.Equal((0, 0), (r.Retrying, r.Failed)));
        var received = smtp.ReceivedMessages();
        var ids = received.Select(r => Parse(r.Raw).MessageId).ToList();
        Assert.Equal(60, ids.Count);
        Assert.Equal(60, ids.Distinct().Count());
        Assert.Equal(results.Sum(r => r.Batches), smtp.SessionCount());

        var rows = await OutboxAsync(NewContext);
        Assert.Equal(rows.Select(r => r.MessageId.Trim('<', '>')).Order(), ids.Order());
        Assert.All(rows, r => Assert.Equal((OutboxState.Sent, 1, clock.GetUtcNow()), (r.State, r.Attempts, r.SentAt)));
        await postgres.DropDatabaseAsync(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!);
    }
}
