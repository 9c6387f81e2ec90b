using Quartz;

namespace CreationWorkflow.Web.Jobs;

/// <summary>
/// Gathers new notifications into one digest mail per recipient and into their channel messages (robots, webhook, SMS),
/// then sends the outbox: mail, then the HTTP channels.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MailJob(NotificationDigest digest, OutboxDispatcher dispatcher, Channels.ChannelFanout fanout, Channels.ChannelDispatcher channels,
    ILogger<MailJob> log) : IJob
{
    public static readonly JobKey Key = new("mail");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var mails = await digest.CreateMailsAsync(cancellationToken);
        for (var i = 0; i < 100 && (await fanout.FanOutAsync(cancellationToken)).Notices > 0; i++)
        {
        }
        var sent = await dispatcher.DispatchAsync(cancellationToken);
        await channels.DispatchAsync(cancellationToken);
        if (mails.Messages + sent.Sent + sent.Retrying + sent.Failed > 0)
        {
            log.LogInformation("Mail: {Digests} digest(s) written; {Sent} sent, {Retrying} to retry, {Failed} failed", mails.Messages, sent.Sent, sent.Retrying, sent.Failed);
        }
    }
}
