using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CreationWorkflow.Web.Tests.Channels;

/// <summary>
/// A loopback Kestrel that answers as the services do: 企业微信 群机器人 (<c>/cgi-bin/webhook/send?key=</c>), 钉钉
/// 自定义机器人 (<c>/robot/send?access_token=&amp;timestamp=&amp;sign=</c>, the signature recomputed here and a timestamp more
/// than an hour from this machine's clock refused, as 钉钉 does), a generic webhook (<c>/hook</c>, <c>X-Signature</c>
/// verified, repeats of an Idempotency-Key dropped) and an SMS gateway (<c>/sms</c>). Every accepted message is kept.
/// </summary>
public sealed class RobotReceiver : IAsyncDisposable
{
    public const string DingTalkSecret = "SECtest-secret-0123456789";
    public const string WebhookSecret = "hook-shared-secret";

    private WebApplication app = null!;

    public ConcurrentQueue<JsonObject> WeCom { get; } = new();
    public ConcurrentQueue<JsonObject> DingTalk { get; } = new();
    public ConcurrentQueue<JsonObject> Webhook { get; } = new();
    public ConcurrentQueue<JsonObject> Sms { get; } = new();
    public ConcurrentQueue<string> Refused { get; } = new();
    public ConcurrentDictionary<string, int> WebhookKeys { get; } = new();

    /// <summary>While set, every request answers 503 (the receiver is "down").</summary>
    public volatile bool Down;

    public string BaseUrl { get; private set; } = "";

    public static async Task<RobotReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var self = new RobotReceiver { app = app };
        app.Use(async (http, next) =>
        {
            if (self.Down)
            {
                http.Response.StatusCode = 503;
                return;
            }
            await next(http);
        });
        app.MapPost("/cgi-bin/webhook/send", async (HttpContext http) =>
        {
            var body = await Read(http);
            var key = http.Request.Query["key"].ToString();
            if (key != "good-key")
            {
                return Answer(93000, "invalid webhook url");
            }
            var content = body?["markdown"]?["content"]?.GetValue<string>();
            if ((string?)body?["msgtype"] != "markdown" || content is null)
            {
                return Answer(40008, "invalid message type");
            }
            if (Encoding.UTF8.GetByteCount(content) > 4096)
            {
                return Answer(40058, "markdown.content exceed max length 4096");
            }
            self.WeCom.Enqueue(body!);
            return Answer(0, "ok");
        });
        app.MapPost("/robot/send", async (HttpContext http) =>
        {
            var body = await Read(http);
            var q = http.Request.Query;
            if (!long.TryParse(q["timestamp"], NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
                || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ts) > 3_600_000)
            {
                self.Refused.Enqueue("dingtalk stale timestamp");
                return Answer(310000, "sign not match, timestamp is expired");
            }
            // As 钉钉 computes it: Base64(HMAC-SHA256(secret, "timestamp\nsecret")); the query value arrives URL-decoded.
            var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(DingTalkSecret),
                Encoding.UTF8.GetBytes($"{ts}\n{DingTalkSecret}")));
            if (q["sign"].ToString() != expected)
            {
                self.Refused.Enqueue("dingtalk bad sign");
                return Answer(310000, "sign not match");
            }
            var markdown = body?["markdown"];
            if ((string?)body?["msgtype"] != "markdown" || markdown?["title"] is null || markdown["text"] is null)
            {
                return Answer(40035, "missing parameter");
            }
            self.DingTalk.Enqueue(body!);
            return Answer(0, "ok");
        });
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), bytes));
            var key = http.Request.Headers["Idempotency-Key"].ToString();
            if (http.Request.Headers["X-Signature"].ToString() != expected || key.Length == 0 || http.Request.Headers["X-Timestamp"].Count == 0)
            {
                self.Refused.Enqueue("webhook bad signature");
                return Results.StatusCode(401);
            }
            if (self.WebhookKeys.AddOrUpdate(key, 1, (_, n) => n + 1) == 1)
            {
                self.Webhook.Enqueue(JsonNode.Parse(bytes)!.AsObject());
            }
            return Results.Ok();
        });
        app.MapPost("/sms", async (HttpContext http) =>
        {
            self.Sms.Enqueue((await Read(http))!);
            return Results.Ok(new { code = "OK" });
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self.BaseUrl = url.TrimEnd('/');
        return self;
    }

    private static async Task<JsonObject?> Read(HttpContext http) => (await JsonNode.ParseAsync(http.Request.Body))?.AsObject();

    private static IResult Answer(int code, string message) => Results.Json(new { errcode = code, errmsg = message });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
