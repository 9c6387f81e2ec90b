using System.Security.Cryptography;
using System.Text;
using CreationWorkflow.Core.Notifications;

namespace CreationWorkflow.Core.Tests.Workflows;

/// <summary>
/// The definition's optional reminderPolicy section: which notices go to which channels per contact role, and the unread
/// escalation's working hours; checked by the loader with zh-CN reasons; absent, the default applies and nothing changes.
/// </summary>
public sealed class NoticePolicyTests : WorkflowsCopyTest
{
    private const string File2 = "hechi-2021.v2.json";
    private void Section(string json) => Edit(File2, node => node["reminderPolicy"] = JsonNode.Parse(json));

    private WorkflowDefinition V2() => WorkflowLoader.LoadAll(Dir, Repo.Programmes).Single(d => d.Id == "hechi-2021" && d.Version == 2);

    private static IReadOnlySet<DeliveryChannel> Set(params DeliveryChannel[] channels) => channels.ToHashSet();

    [Fact]
    public void A_definition_without_the_section_takes_the_default()
    {
        Assert.All(WorkflowLoader.LoadAll(Repo.Workflows, Repo.Programmes), d =>
        {
            Assert.Null(d.Notices);
            Assert.Same(ChannelPolicy.Default, d.Channels);
            Assert.DoesNotContain("reminderPolicy\"", JsonSerializer.Serialize(d, SeedJson.Options));
        });
        // The default, kind by kind: reminders to the 联络员's robots and webhook (not the unread escalation: the 联络员 left the
        // notice unread); escalations also to the 分管领导, with SMS.
        foreach (var kind in NotificationKinds.All)
        {
            var (liaison, leader) = ChannelPolicy.Default.For(kind);
            Assert.Equal(kind == NotificationKind.UnreadEscalation ? Set() : Set(DeliveryChannel.WeCom, DeliveryChannel.DingTalk, DeliveryChannel.Webhook), liaison);
            Assert.Equal(kind.IsEscalation() ? Set(DeliveryChannel.WeCom, DeliveryChannel.DingTalk, DeliveryChannel.Webhook, DeliveryChannel.Sms) : Set(), leader);
        }
    }

    [Fact]
    public void A_section_routes_groups_and_single_kinds_per_role_and_sets_the_unread_hours()
    {
        Section("""
            {
              "liaison": { "reminders": ["dingTalk"], "overdue": ["dingTalk", "sms"] },
              "leader": { "escalations": ["sms", "weCom"] },
              "unreadEscalation": { "afterWorkingHours": 4, "workdayStart": "09:00", "workdayEnd": "17:00" }
            }
            """);
        var v2 = V2();
        var policy = v2.Channels;
        Assert.Equal(Set(DeliveryChannel.DingTalk), policy.For(NotificationKind.DueSoon).Liaison);
        Assert.Empty(policy.For(NotificationKind.DueSoon).Leader);
        Assert.Equal(Set(DeliveryChannel.DingTalk, DeliveryChannel.Sms), policy.For(NotificationKind.Overdue).Liaison);
        // The 联络员's map names no escalations: they take no channel; the 分管领导 takes SMS and 企业微信.
        Assert.Empty(policy.For(NotificationKind.UnreadEscalation).Liaison);
        Assert.Equal(Set(DeliveryChannel.Sms, DeliveryChannel.WeCom), policy.For(NotificationKind.UnreadEscalation).Leader);
        Assert.Equal((4, new TimeOnly(9, 0), new TimeOnly(17, 0)), (policy.UnreadAfterWorkingHours!.Value, policy.WorkdayStart!.Value, policy.WorkdayEnd!.Value));

        // Only the 分管领导 named: the 联络员 keeps the default's channels.
        Section("""{ "leader": { "overdue": ["sms"] } }""");
        var leaderOnly = V2().Channels;
        Assert.Same(ChannelPolicy.Default.Liaison, leaderOnly.Liaison);
        Assert.Equal(Set(DeliveryChannel.Sms), leaderOnly.For(NotificationKind.Overdue).Leader);
        Assert.Null(leaderOnly.UnreadAfterWorkingHours);
    }

    [Fact]
    public void A_bad_section_is_refused_in_Chinese_naming_the_path()
    {
        Section("""
            {
              "liaison": { "soon": ["dingTalk"], "reminders": ["fax", "mail", "weCom", "weCom"] },
              "unreadEscalation": { "afterWorkingHours": 0, "workdayStart": "9点" }
            }
            """);
        var errors = Errors().Where(e => e.File == "workflows/" + File2).Select(e => (e.Path, e.Reason)).ToList();
        Assert.Contains(errors, e => e.Path == "$.reminderPolicy.liaison.soon" && e.Reason.StartsWith("「soon」不是通知类别", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.reminderPolicy.liaison.reminders[0]" && e.Reason.StartsWith("「fax」不是消息通道", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.reminderPolicy.liaison.reminders[1]" && e.Reason.Contains("无需列出", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.reminderPolicy.liaison.reminders[3]" && e.Reason == "消息通道「weCom」重复列出。");
        Assert.Contains(errors, e => e.Path == "$.reminderPolicy.unreadEscalation.afterWorkingHours" && e.Reason.Contains("1 到 2000 个工作小时", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.reminderPolicy.unreadEscalation.workdayStart" && e.Reason == "「9点」不是时刻（HH:mm，如 08:30）。");
        Assert.Contains(errors, e => e.Path == "$.reminderPolicy.unreadEscalation.workdayEnd" && e.Reason.StartsWith("上班和下班时刻须同时填写", StringComparison.Ordinal));
        Assert.Equal(7, errors.Count);

        Section("""{ "unreadEscalation": { "afterWorkingHours": 8, "workdayStart": "18:00", "workdayEnd": "09:00" } }""");
        var late = Assert.Single(Errors());
        Assert.Equal(("$.reminderPolicy.unreadEscalation.workdayEnd", "下班时刻 09:00 须晚于上班时刻 18:00。"), (late.Path, late.Reason));

        Section("{}");
        Assert.StartsWith("提醒策略为空", Assert.Single(Errors()).Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// The content hashes the host stores for the shipped definitions (WorkflowCatalog: SHA-256 of the definition serialised
    /// with <see cref="SeedJson.Options"/>), as computed before the reminderPolicy section existed. A host refuses to start
    /// when a stored version's hash changes, so these must stay.
    /// </summary>
    private static readonly Dictionary<(string, int), string> StoredHashes = new()
    {
        [("hechi-2021", 1)] = "719aa5145bd44da4e5582c1616c377c5094645589f2951e415a87a7abbb4b535",
        [("hechi-2021", 2)] = "ef308806d846f7990c584e216d6facaf32692d4710ee24e2e0e472d2c5980784",
        [("taijiang-2022", 1)] = "ce743e5c090bfb039a713ff82e0c402046c25a1ca3c2ee142bfe092a5303f454",
    };

    [Fact]
    public void The_shipped_definitions_keep_their_stored_hashes()
    {
        var actual = WorkflowLoader.LoadAll(Repo.Workflows, Repo.Programmes).ToDictionary(d => (d.Id, d.Version),
            d => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(d, SeedJson.Options)))));
        Assert.Equal(StoredHashes.OrderBy(h => h.Key).ToList(), actual.OrderBy(h => h.Key).ToList());
    }
}
