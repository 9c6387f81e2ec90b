using CreationWorkflow.Core.Workflows;

namespace CreationWorkflow.Core.Notifications;

/// <summary>How a notice leaves the platform besides in-app: mail, or one of the HTTP channels.</summary>
public enum DeliveryChannel { Mail, WeCom, DingTalk, Webhook, Sms }

/// <summary>
/// The channels one contact role (联络员 or 分管领导) takes: <see cref="Reminders"/> for every kind that is not an escalation,
/// <see cref="Escalations"/> for the escalations (<see cref="NotificationKinds.IsEscalation"/>), and <see cref="ByKind"/>
/// for a kind named on its own (it wins over its group).
/// </summary>
public sealed record RoleChannels(
    IReadOnlySet<DeliveryChannel> Reminders, IReadOnlySet<DeliveryChannel> Escalations, IReadOnlyDictionary<NotificationKind, IReadOnlySet<DeliveryChannel>> ByKind)
{
    public static readonly IReadOnlySet<DeliveryChannel> None = new HashSet<DeliveryChannel>();

    public IReadOnlySet<DeliveryChannel> For(NotificationKind kind) =>
        ByKind.TryGetValue(kind, out var own) ? own : kind.IsEscalation() ? Escalations : Reminders;
}

/// <summary>
/// Which kinds of notice go to which channels of a unit's contacts, and when an unread notice escalates: the definition's
/// <c>reminderPolicy</c> section (<see cref="NoticePolicy"/>), or <see cref="Default"/> for a definition that has none. In-app
/// and the mail digest are not listed: every notice is shown in-app, and mailed as today.
/// </summary>
/// <param name="UnreadAfterWorkingHours">Working hours a unit's notice may stay unread before it escalates; null: the host's default.</param>
/// <param name="WorkdayStart">The office hours those working hours count in; null: the host's.</param>
public sealed record ChannelPolicy(
    RoleChannels Liaison, RoleChannels Leader, int? UnreadAfterWorkingHours = null, TimeOnly? WorkdayStart = null, TimeOnly? WorkdayEnd = null)
{
    private static readonly Dictionary<NotificationKind, IReadOnlySet<DeliveryChannel>> NoKinds = [];

    /// <summary>
    /// The policy of a definition that names none (hechi-2021 v1 and v2 among them, whose stored content must not change):
    /// reminders and escalations to the 联络员's robots and webhook, but not the unread escalation (the 联络员 is who left the
    /// notice unread); escalations also to the 分管领导's robots, webhook and SMS.
    /// </summary>
    public static readonly ChannelPolicy Default = new(
        new RoleChannels(
            new HashSet<DeliveryChannel> { DeliveryChannel.WeCom, DeliveryChannel.DingTalk, DeliveryChannel.Webhook },
            new HashSet<DeliveryChannel> { DeliveryChannel.WeCom, DeliveryChannel.DingTalk, DeliveryChannel.Webhook },
            new Dictionary<NotificationKind, IReadOnlySet<DeliveryChannel>> { [NotificationKind.UnreadEscalation] = RoleChannels.None }),
        new RoleChannels(
            RoleChannels.None,
            new HashSet<DeliveryChannel> { DeliveryChannel.WeCom, DeliveryChannel.DingTalk, DeliveryChannel.Webhook, DeliveryChannel.Sms }, NoKinds));

    /// <summary>The channels a notice of <paramref name="kind"/> takes to the 联络员 and to the 分管领导 (mail stays with the digest).</summary>
    public (IReadOnlySet<DeliveryChannel> Liaison, IReadOnlySet<DeliveryChannel> Leader) For(NotificationKind kind) =>
        (Liaison.For(kind), Leader.For(kind));

    /// <summary>The policy a loaded (valid) section stands for; a role it leaves out keeps <see cref="Default"/>'s channels.</summary>
    public static ChannelPolicy Of(NoticePolicy? section)
    {
        if (section is null)
        {
            return Default;
        }
        var unread = section.UnreadEscalation;
        return new ChannelPolicy(
            section.Liaison is { } l ? Role(l) : Default.Liaison,
            section.Leader is { } r ? Role(r) : Default.Leader,
            unread?.AfterWorkingHours,
            unread?.WorkdayStart is { } s ? Time(s) : null,
            unread?.WorkdayEnd is { } e ? Time(e) : null);
    }

    /// <summary>The channel names of the file: weCom, dingTalk, webhook, sms.</summary>
    public static readonly IReadOnlyDictionary<string, DeliveryChannel> ChannelNames = new Dictionary<string, DeliveryChannel>(StringComparer.Ordinal)
    {
        ["weCom"] = DeliveryChannel.WeCom,
        ["dingTalk"] = DeliveryChannel.DingTalk,
        ["webhook"] = DeliveryChannel.Webhook,
        ["sms"] = DeliveryChannel.Sms,
    };

    /// <summary>The groups of kinds a role map may name besides a single kind's spelling.</summary>
    public const string RemindersGroup = "reminders";

    public const string EscalationsGroup = "escalations";

    private static RoleChannels Role(IReadOnlyDictionary<string, IReadOnlyList<string>> map)
    {
        IReadOnlySet<DeliveryChannel> Set(IReadOnlyList<string>? names) =>
            names is null ? RoleChannels.None : names.Select(n => ChannelNames[n]).ToHashSet();
        return new RoleChannels(Set(map.GetValueOrDefault(RemindersGroup)), Set(map.GetValueOrDefault(EscalationsGroup)),
            map.Where(e => e.Key is not (RemindersGroup or EscalationsGroup)).ToDictionary(e => NotificationKinds.Parse(e.Key), e => Set(e.Value)));
    }

    private static TimeOnly Time(string text) => TimeOnly.ParseExact(text, WorkflowLoader.TimeFormat, CultureInfo.InvariantCulture);
}
