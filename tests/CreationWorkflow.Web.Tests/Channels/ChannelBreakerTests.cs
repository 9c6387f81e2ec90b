using CreationWorkflow.Web.Channels;

namespace CreationWorkflow.Web.Tests.Channels;

/// <summary>
/// The circuit breaker per receiver host: one receiver down does not hold back another's messages; once its circuit is
/// open its messages stay queued without using up their attempts (none is lost or failed), and when it is back every
/// message arrives exactly once.
/// </summary>
public sealed class ChannelBreakerTests : IAsyncLifetime
{
    private const string Programme = "hechi-2021";
    private RobotReceiver dead = null!;
    private RobotReceiver alive = null!;
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        dead = await RobotReceiver.StartAsync();
        alive = await RobotReceiver.StartAsync();
        app = ChannelWorld.StartHost(new()
        {
            // One request at a time, so the circuit opens at a known point of the run.
            ["CreationWorkflow:Channels:Concurrency"] = "1",
            ["CreationWorkflow:Channels:BreakerMinimumThroughput"] = "3",
            ["CreationWorkflow:Channels:BreakerSamplingDuration"] = "00:00:30",
            ["CreationWorkflow:Channels:BreakerBreakDuration"] = "00:00:01",
        });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        app.DeleteFolders();
        await dead.DisposeAsync();
        await alive.DisposeAsync();
    }

    private async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        return await work(scope.ServiceProvider);
    }

    private Task<ChannelDispatchResult> DispatchAsync() => InScope(sp => sp.GetRequiredService<ChannelDispatcher>().DispatchAsync(CancellationToken.None));

    private List<OutboxMessage> Rows(string unit) =>
        app.WithDb(db => db.Outbox.AsNoTracking().Where(m => m.Channel == DeliveryChannel.Webhook && m.To.StartsWith(unit + "·")).OrderBy(m => m.Id).ToList());

    [Fact]
    public async Task A_dead_receiver_trips_only_its_circuit_and_gets_every_message_once_when_back()
    {
        var units = app.WithDb(db => db.Units.Where(u => u.ProgrammeId == Programme).OrderBy(u => u.Id).Select(u => u.Name).Take(2).ToList());
        var (down, up) = (units[0], units[1]);
        foreach (var (unit, receiver) in new[] { (down, dead), (up, alive) })
        {
            await InScope(sp => sp.GetRequiredService<ContactService>().SaveAsync(Programme, new ContactInput(unit, ContactRole.Liaison, "李联络", null, null,
                null, null, null, $"{receiver.BaseUrl}/hook", RobotReceiver.WebhookSecret), "测试", CancellationToken.None));
        }
        const int perUnit = 8;
        app.WithDb(db =>
        {
            // The dead receiver's notices first: its messages come first in the outbox, ahead of the live one's.
            foreach (var unit in new[] { down, up })
            {
                for (var i = 0; i < perUnit; i++)
                {
                    db.Notifications.Add(new NotificationRecord
                    {
                        OccurrenceKey = $"breaker-{unit}-{i}", ProgrammeId = Programme, Recipient = unit, Kind = NotificationKind.DueSoon,
                        Title = $"【临期提醒】{unit}{i}", Body = "到期提醒", CreatedAt = DateTimeOffset.UtcNow,
                    });
                }
            }
            return db.SaveChanges();
        });
        Assert.Equal(2 * perUnit, (await InScope(sp => sp.GetRequiredService<ChannelFanout>().FanOutAsync(CancellationToken.None))).Messages);
        var breaker = app.Services.GetRequiredService<IOptions<ChannelOptions>>().Value.BreakerMinimumThroughput;

        dead.Down = true;
        var first = await DispatchAsync();
        // The live receiver gets all of its messages in the same run; the dead one's circuit opens after the minimum
        // throughput of failures, and the rest of its messages are held back without an attempt.
        // (The failed ones, due again after their 1 ms backoff, are claimed again in the same run and held back too.)
        Assert.Equal((perUnit, breaker, 0), (first.Sent, first.Retrying, first.Failed));
        Assert.True(first.Postponed >= perUnit - breaker, $"{first.Postponed} held back");
        Assert.All(Rows(up), m => Assert.Equal(1, alive.WebhookKeys[m.MessageId]));
        var held = Rows(down);
        Assert.All(held, m => Assert.Equal((OutboxState.Pending, true), (m.State, m.LastError!.Contains("circuit open", StringComparison.Ordinal))));
        Assert.Equal((breaker, perUnit - breaker), (held.Count(m => m.Attempts == 1), held.Count(m => m.Attempts == 0)));

        // Still down, the circuit still open: nothing is sent, nothing fails, no attempt is used.
        var second = await DispatchAsync();
        Assert.Equal((0, 0), (second.Sent, second.Failed));
        Assert.All(Rows(down), m => Assert.True(m.Attempts <= 1 && m.State == OutboxState.Pending));

        // Back up: after the break the circuit half-opens, the probe succeeds and every held message goes, once.
        dead.Down = false;
        for (var round = 0; round < 60 && Rows(down).Any(m => m.State != OutboxState.Sent); round++)
        {
            await Task.Delay(250);
            Assert.Equal(0, (await DispatchAsync()).Failed);
        }
        var sent = Rows(down);
        Assert.All(sent, m => Assert.Equal(OutboxState.Sent, m.State));
        Assert.Equal(sent.Select(m => m.MessageId).Order(), dead.WebhookKeys.Keys.Order());
        Assert.All(sent, m => Assert.Equal(1, dead.WebhookKeys[m.MessageId]));
        Assert.Equal(perUnit, alive.WebhookKeys.Count);
    }
}
