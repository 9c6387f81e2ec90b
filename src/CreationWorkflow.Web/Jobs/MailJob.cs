using CreationWorkflow.Web.Mail;
using Quartz;

namespace CreationWorkflow.Web.Jobs;

/// <summary>Gathers new notifications into one digest mail per recipient, then sends the outbox.</summary>
[DisallowConcurrentExecution]
public sealed class MailJob(NotificationDigest digest, OutboxDispatcher dispatcher, ILogger<MailJob> log) : IJob
{
    public static readonly JobKey Key = new("mail");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var mails = await digest.CreateMailsAsync(cancellationToken);
        var sent = await dispatcher.DispatchAsync(cancellationToken);
        if (mails.Messages + sent.Sent + sent.Retrying + sent.Failed > 0)
        {
            log.LogInformation("Mail: {Digests} digest(s) written; {Sent} sent, {Retrying} to retry, {Failed} failed", mails.Messages, sent.Sent, sent.Retrying, sent.Failed);
        }
    }
}
