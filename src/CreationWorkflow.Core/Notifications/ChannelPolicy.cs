namespace CreationWorkflow.Core.Notifications;

/// <summary>How a notice leaves the platform besides in-app: mail, or one of the HTTP channels.</summary>
public enum DeliveryChannel { Mail, WeCom, DingTalk, Webhook, Sms }

/// <summary>
/// Which kinds of notice go to which channels of a unit's contacts. Reminders (every kind that is not an escalation) go
/// to the 联络员's channels in <see cref="Reminders"/>; escalations (<see cref="NotificationKinds.IsEscalation"/>) go to
/// the 联络员's <see cref="Reminders"/> channels and the 分管领导's <see cref="Escalations"/> channels. In-app and the
/// mail digest are not listed: every notice is shown in-app, and mailed as today.
/// </summary>
public sealed record ChannelPolicy(IReadOnlySet<DeliveryChannel> Reminders, IReadOnlySet<DeliveryChannel> Escalations)
{
    /// <summary>
    /// The policy of a definition that names none (hechi-2021 v1 and v2 among them, whose stored content must not change):
    /// reminders to the robots and the webhook, escalations also by SMS to the 分管领导.
    /// </summary>
    public static readonly ChannelPolicy Default = new(
        new HashSet<DeliveryChannel> { DeliveryChannel.WeCom, DeliveryChannel.DingTalk, DeliveryChannel.Webhook },
        new HashSet<DeliveryChannel> { DeliveryChannel.WeCom, DeliveryChannel.DingTalk, DeliveryChannel.Webhook, DeliveryChannel.Sms });

    /// <summary>The channels a notice of <paramref name="kind"/> takes to the 联络员 and to the 分管领导 (mail stays with the digest).</summary>
    public (IReadOnlySet<DeliveryChannel> Liaison, IReadOnlySet<DeliveryChannel> Leader) For(NotificationKind kind) =>
        (Http(Reminders), kind.IsEscalation() ? Http(Escalations) : Empty);

    private static readonly IReadOnlySet<DeliveryChannel> Empty = new HashSet<DeliveryChannel>();

    private static HashSet<DeliveryChannel> Http(IReadOnlySet<DeliveryChannel> set) => [.. set.Where(c => c != DeliveryChannel.Mail)];
}
