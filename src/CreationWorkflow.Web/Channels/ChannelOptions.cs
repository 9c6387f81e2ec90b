namespace CreationWorkflow.Web.Channels;

/// <summary>The HTTP channels (企业微信, 钉钉, webhook, SMS). Section "CreationWorkflow:Channels".</summary>
public sealed class ChannelOptions
{
    public const string Section = "CreationWorkflow:Channels";

    /// <summary>The SMS gateway: the template id and parameters are POSTed here as JSON. Empty: no SMS is written.</summary>
    public string? SmsEndpoint { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> to the SMS gateway, when set.</summary>
    public string? SmsApiKey { get; set; }

    /// <summary>The gateway's template for a notice (parameters <c>title</c>, <c>link</c>).</summary>
    public string SmsTemplateId { get; set; } = "CW_NOTICE";

    /// <summary>Messages claimed per batch.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Requests in flight at once within a batch.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Circuit breaker per receiver host (Polly): when at least <see cref="BreakerMinimumThroughput"/> requests to one host in
    /// <see cref="BreakerSamplingDuration"/> fail (unreachable, timed out, 5xx, 408, 429) at <see cref="BreakerFailureRatio"/> or
    /// more, that host's messages are not sent for <see cref="BreakerBreakDuration"/>: they stay queued (no attempt counted)
    /// and the rest of the outbox goes on.
    /// </summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Notices fanned out to channels per transaction.</summary>
    public int FanoutBatchSize { get; set; } = 500;
}
