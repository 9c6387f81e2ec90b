using System.Collections.Concurrent;
using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace CreationWorkflow.Web.Channels;

/// <summary>A channel refused a message: its code and message as the service gave them, kept on the outbox row.</summary>
public sealed class ChannelException(string message, bool permanent = false, TimeSpan? deferredFor = null) : Exception(message)
{
    /// <summary>Waiting will not help (a bad URL, a wrong secret): the message fails at once.</summary>
    public bool Permanent { get; } = permanent;

    /// <summary>Not sent at all (the receiver host's circuit is open): queued again after this, no attempt counted.</summary>
    public TimeSpan? DeferredFor { get; } = deferredFor;
}

/// <summary>
/// Sends one outbox message over an HTTP channel. The message's <see cref="OutboxMessage.BodyText"/> is what the
/// channel shows (Markdown for robots, plain for the webhook's text), <see cref="OutboxMessage.Subject"/> its title.
/// </summary>
/// <remarks>
/// Every request goes through a Polly pipeline of its receiver host (scheme, host and port): a circuit breaker around a
/// timeout (<see cref="ChannelOptions.Timeout"/>). A dead receiver trips its own circuit only; while it is open its
/// messages fail fast as deferred (<see cref="ChannelException.DeferredFor"/>) and stay queued, so they neither hold the
/// dispatcher's slots for the timeout nor use up their attempts.
/// </remarks>
public sealed class ChannelSenders(IHttpClientFactory http, IOptions<ChannelOptions> options, TimeProvider time)
{
    public const string HttpClientName = "channels";

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> pipelines = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The receiver host's pipeline: circuit breaker (outer) and timeout (inner, so timeouts count as failures).</summary>
    private ResiliencePipeline<HttpResponseMessage> PipelineFor(string host) => pipelines.GetOrAdd(host, _ =>
    {
        var o = options.Value;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } r } => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
                    _ => false,
                }),
            })
            .AddTimeout(o.Timeout)
            .Build();
    });

    public Task SendAsync(OutboxMessage row, ChannelTarget target, CancellationToken ct) => row.Channel switch
    {
        DeliveryChannel.WeCom => WeComAsync(row, target, ct),
        DeliveryChannel.DingTalk => DingTalkAsync(row, target, ct),
        DeliveryChannel.Webhook => WebhookAsync(row, target, ct),
        DeliveryChannel.Sms => SmsAsync(row, target, ct),
        _ => throw new ChannelException($"channel {row.Channel} is not an HTTP channel", permanent: true),
    };

    /// <summary>企业微信 群机器人: <c>{"msgtype":"markdown","markdown":{"content":…}}</c>; the answer's errcode 0 means sent.</summary>
    public static JsonObject WeComBody(OutboxMessage row) => new()
    {
        ["msgtype"] = "markdown",
        ["markdown"] = new JsonObject { ["content"] = row.BodyText },
    };

    /// <summary>钉钉 自定义机器人: <c>{"msgtype":"markdown","markdown":{"title":…,"text":…}}</c>.</summary>
    public static JsonObject DingTalkBody(OutboxMessage row) => new()
    {
        ["msgtype"] = "markdown",
        ["markdown"] = new JsonObject { ["title"] = row.Subject, ["text"] = row.BodyText },
    };

    /// <summary>
    /// 钉钉 加签: sign = URL-encoded Base64(HMAC-SHA256(key = secret, data = "timestamp\nsecret")), timestamp in ms;
    /// both appended to the robot's URL.
    /// </summary>
    public static string DingTalkSign(long timestampMs, string secret)
    {
        var data = Encoding.UTF8.GetBytes($"{timestampMs.ToString(CultureInfo.InvariantCulture)}\n{secret}");
        return Uri.EscapeDataString(Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data)));
    }

    public static string DingTalkSignedUrl(string url, string? secret, long timestampMs) =>
        secret is not { Length: > 0 } ? url
        : $"{url}{(url.Contains('?', StringComparison.Ordinal) ? "&" : "?")}timestamp={timestampMs.ToString(CultureInfo.InvariantCulture)}&sign={DingTalkSign(timestampMs, secret)}";

    /// <summary>The generic webhook's <c>X-Signature</c>: lower-case hex of HMAC-SHA256(key = shared secret, data = the body's bytes), prefixed <c>sha256=</c>.</summary>
    public static string WebhookSignature(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The generic webhook's JSON: the idempotency key, the kind, title, plain text and when it was written.</summary>
    public static byte[] WebhookBody(OutboxMessage row) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["id"] = row.MessageId,
        ["title"] = row.Subject,
        ["text"] = row.BodyText,
        ["to"] = row.ToName,
        ["createdAt"] = row.CreatedAt.ToString("o", CultureInfo.InvariantCulture),
    });

    private Task WeComAsync(OutboxMessage row, ChannelTarget target, CancellationToken ct) =>
        PostRobotAsync(target.Address, JsonSerializer.SerializeToUtf8Bytes(WeComBody(row)), "企业微信", ct);

    private Task DingTalkAsync(OutboxMessage row, ChannelTarget target, CancellationToken ct) =>
        PostRobotAsync(DingTalkSignedUrl(target.Address, target.Secret, time.GetUtcNow().ToUnixTimeMilliseconds()),
            JsonSerializer.SerializeToUtf8Bytes(DingTalkBody(row)), "钉钉", ct);

    private async Task WebhookAsync(OutboxMessage row, ChannelTarget target, CancellationToken ct)
    {
        var body = WebhookBody(row);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Address) { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", row.MessageId);
        request.Headers.Add("X-Timestamp", time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (target.Secret is { Length: > 0 } secret)
        {
            request.Headers.Add("X-Signature", WebhookSignature(body, secret));
        }
        using var response = await SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ChannelException($"webhook HTTP {(int)response.StatusCode}", permanent: (int)response.StatusCode is >= 400 and < 500 and not 408 and not 429);
        }
    }

    private async Task SmsAsync(OutboxMessage row, ChannelTarget target, CancellationToken ct)
    {
        var o = options.Value;
        if (o.SmsEndpoint is not { Length: > 0 } endpoint)
        {
            throw new ChannelException("no SMS gateway configured (CreationWorkflow:Channels:SmsEndpoint)", permanent: true);
        }
        // BodyText of an SMS row holds its template parameters as JSON (NoticeFormats.SmsParameters).
        var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["templateId"] = o.SmsTemplateId,
            ["phone"] = target.Address,
            ["parameters"] = JsonNode.Parse(row.BodyText),
            ["requestId"] = row.MessageId,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", row.MessageId);
        if (o.SmsApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        using var response = await SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ChannelException($"SMS gateway HTTP {(int)response.StatusCode}", permanent: (int)response.StatusCode is >= 400 and < 500 and not 408 and not 429);
        }
    }

    /// <summary>Both robots answer HTTP 200 with <c>{"errcode":0,"errmsg":"ok"}</c>; any other errcode is kept as the error.</summary>
    private async Task PostRobotAsync(string url, byte[] body, string service, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        using var response = await SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ChannelException($"{service} HTTP {(int)response.StatusCode}");
        }
        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new ChannelException($"{service}: answer is not JSON");
        }
        var code = answer?["errcode"]?.GetValue<long>() ?? -1;
        if (code != 0)
        {
            var message = answer?["errmsg"]?.GetValue<string>() ?? "";
            throw new ChannelException($"{service} errcode {code}: {message}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var client = http.CreateClient(HttpClientName);
        var host = request.RequestUri!.GetLeftPart(UriPartial.Authority);
        try
        {
            return await PipelineFor(host).ExecuteAsync(static async (state, token) => await state.client.SendAsync(state.request, token), (client, request), ct);
        }
        catch (BrokenCircuitException e)
        {
            throw new ChannelException($"{host} unavailable (circuit open after repeated failures): not sent, queued again",
                deferredFor: e.RetryAfter is { } after && after > TimeSpan.Zero ? after : options.Value.BreakerBreakDuration);
        }
        catch (TimeoutRejectedException)
        {
            throw new ChannelException($"no answer within {options.Value.Timeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ChannelException($"no answer within {options.Value.Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new ChannelException($"unreachable: {e.Message}");
        }
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
