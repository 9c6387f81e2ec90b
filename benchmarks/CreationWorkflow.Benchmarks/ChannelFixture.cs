using System.Diagnostics;
using CreationWorkflow.Core.Notifications;
using CreationWorkflow.Web;
using CreationWorkflow.Web.Channels;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Mail;
using CreationWorkflow.Web.Tests.Channels;
using CreationWorkflow.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreationWorkflow.Benchmarks;

/// <summary>
/// The robots' path end to end: <see cref="MessageCount"/> pending outbox rows (企业微信, 钉钉 signed, webhook signed, in
/// turn) in a migrated SQLite file, sent by the real <see cref="ChannelDispatcher"/> to the tests' loopback
/// <see cref="RobotReceiver"/> (which parses each body and checks each signature), every outcome stored; beside it, a
/// plain HttpClient posting the same bodies with the same concurrency and no database.
/// </summary>
public sealed class ChannelFixture : IAsyncDisposable
{
    public const int MessageCount = 1500;

    private readonly RobotReceiver receiver;
    private readonly SqliteTestDatabase database;
    private readonly ServiceProvider services;

    private ChannelFixture(RobotReceiver receiver, SqliteTestDatabase database)
    {
        this.receiver = receiver;
        this.database = database;
        var collection = new ServiceCollection();
        collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        collection.AddDataProtection().SetApplicationName("CreationWorkflow.Benchmarks");
        collection.AddSingleton(Options.Create(new MailOptions { BaseUrl = "https://cj.example.test" }));
        collection.AddChannels(new ConfigurationBuilder().Build());
        collection.AddScoped<AppDbContext>(_ => database.NewContext());
        services = collection.BuildServiceProvider();
    }

    public static async Task<ChannelFixture> StartAsync()
    {
        var fixture = new ChannelFixture(await RobotReceiver.StartAsync(), await SqliteTestDatabase.CreateAsync());
        await fixture.ResetAsync();
        return fixture;
    }

    /// <summary>Deletes the outbox and writes <see cref="MessageCount"/> pending channel messages, due now.</summary>
    public async Task ResetAsync()
    {
        await using var db = database.NewContext();
        await db.Outbox.ExecuteDeleteAsync();
        var secrets = services.GetRequiredService<ContactSecrets>();
        var targets = new (DeliveryChannel Channel, string Target)[]
        {
            (DeliveryChannel.WeCom, secrets.ProtectTarget(new ChannelTarget($"{receiver.BaseUrl}/cgi-bin/webhook/send?key=good-key"))),
            (DeliveryChannel.DingTalk, secrets.ProtectTarget(new ChannelTarget($"{receiver.BaseUrl}/robot/send?access_token=tok", RobotReceiver.DingTalkSecret))),
            (DeliveryChannel.Webhook, secrets.ProtectTarget(new ChannelTarget($"{receiver.BaseUrl}/hook", RobotReceiver.WebhookSecret))),
        };
        var now = DateTimeOffset.UtcNow;
        db.Outbox.AddRange(Enumerable.Range(1, MessageCount).Select(i => new OutboxMessage
        {
            MessageId = $"ch-bench-{i:D5}-{Guid.NewGuid():N}",
            Channel = targets[i % 3].Channel,
            TargetProtected = targets[i % 3].Target,
            To = $"第{i}责任单位·联络员",
            ToName = "李联络",
            Subject = $"【今日到期】第{i}项“制定民族团结进步创建工作方案”进展填报今天到期",
            BodyText = $"### 【今日到期】第{i}项进展填报今天到期\n\n您单位负责的事项今天到期，请按时报送。\n\n[查看和办理](https://cj.example.test/assignments/{i})",
            State = OutboxState.Pending,
            CreatedAt = now,
            NextAttemptAt = now.AddMinutes(-1),
        }));
        await db.SaveChangesAsync();
    }

    /// <summary>The real path; throws unless every message was sent.</summary>
    public async Task<int> DispatchAsync()
    {
        using var scope = services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<ChannelDispatcher>().DispatchAsync(CancellationToken.None);
        return result.Sent == MessageCount ? result.Sent : throw new InvalidOperationException($"dispatched {result}, expected {MessageCount} sent");
    }

    /// <summary>The baseline: the same requests from a plain HttpClient, as many at once as the dispatcher sends, no database.</summary>
    public async Task<int> PostWithPlainClientAsync()
    {
        await using var db = database.NewContext();
        var rows = await db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        var secrets = services.GetRequiredService<ContactSecrets>();
        using var client = new HttpClient();
        var concurrency = services.GetRequiredService<IOptions<ChannelOptions>>().Value.Concurrency;
        var sent = 0;
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (row, ct) =>
        {
            var target = secrets.UnprotectTarget(row.TargetProtected!);
            var (url, body) = row.Channel switch
            {
                DeliveryChannel.WeCom => (target.Address, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(ChannelSenders.WeComBody(row))),
                DeliveryChannel.DingTalk => (ChannelSenders.DingTalkSignedUrl(target.Address, target.Secret, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
                    System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(ChannelSenders.DingTalkBody(row))),
                _ => (target.Address, ChannelSenders.WebhookBody(row)),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            if (row.Channel == DeliveryChannel.Webhook)
            {
                request.Headers.Add("Idempotency-Key", row.MessageId + "-plain");
                request.Headers.Add("X-Timestamp", "0");
                request.Headers.Add("X-Signature", ChannelSenders.WebhookSignature(body, target.Secret!));
            }
            using var response = await client.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            Interlocked.Increment(ref sent);
        });
        return sent;
    }

    public int Refused => receiver.Refused.Count;

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await receiver.DisposeAsync();
        database.Dispose();
    }
}
