using System.Diagnostics.Metrics;

namespace CreationWorkflow.Web.Operations;

/// <summary>
/// The host's own instruments (meter "CreationWorkflow"), exported with the HTTP server metrics on /metrics.
/// Prometheus names: creationworkflow_timers_fired_total, creationworkflow_timers_skipped_total,
/// creationworkflow_sweep_lag_seconds, creationworkflow_outbox_sent_total, creationworkflow_outbox_failed_total,
/// creationworkflow_mail_send_duration_seconds.
/// </summary>
public static class Metrics
{
    public const string MeterName = "CreationWorkflow";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> TimersFired = Meter.CreateCounter<long>("creationworkflow.timers.fired", description: "Timers fired (reminders written).");

    public static readonly Counter<long> TimersSkipped = Meter.CreateCounter<long>("creationworkflow.timers.skipped", description: "Timers that no longer applied or failed.");

    /// <summary>How late the oldest timer of a sweep batch fired: the sweep lag.</summary>
    public static readonly Histogram<double> SweepLag = Meter.CreateHistogram<double>("creationworkflow.sweep.lag", unit: "s",
        description: "Delay between a timer's due time and the sweep that fired it (oldest of the batch).");

    public static readonly Counter<long> OutboxSent = Meter.CreateCounter<long>("creationworkflow.outbox.sent", description: "Outbox mails sent.");

    public static readonly Counter<long> OutboxFailed = Meter.CreateCounter<long>("creationworkflow.outbox.failed",
        description: "Outbox send attempts that failed (retrying or given up: tag final).");

    public static readonly Histogram<double> MailSendDuration = Meter.CreateHistogram<double>("creationworkflow.mail.send.duration", unit: "s",
        description: "Time to hand one mail to the transport.");
}
