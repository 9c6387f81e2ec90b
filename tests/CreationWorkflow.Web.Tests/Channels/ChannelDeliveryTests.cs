using CreationWorkflow.Web.Channels;
using CreationWorkflow.Web.Infrastructure;

namespace CreationWorkflow.Web.Tests.Channels;

/// <summary>The host and a loopback receiver of every channel, shared by the class.</summary>
public sealed class ChannelWorld : IAsyncLifetime
{
    public AppFactory App { get; private set; } = null!;
    public RobotReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await RobotReceiver.StartAsync();
        App = StartHost(new()
        {
            ["CreationWorkflow:Channels:SmsEndpoint"] = Receiver.BaseUrl + "/sms",
            ["CreationWorkflow:Mail:MaxAttempts"] = "2",
        });
    }

    /// <summary>A host started with <paramref name="settings"/>, its retries a millisecond apart so tests never wait for them.</summary>
    public static AppFactory StartHost(Dictionary<string, string> settings)
    {
        settings["CreationWorkflow:Mail:RetryBaseDelay"] = "00:00:00.001";
        settings["CreationWorkflow:Mail:RetryMaxDelay"] = "00:00:00.001";
        var app = new AppFactory { Settings = settings };
        _ = app.Services;
        return app;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    public async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
    {
        using var scope = App.Services.CreateScope();
        return await work(scope.ServiceProvider);
    }
}

public sealed class ChannelDeliveryTests(ChannelWorld w) : IClassFixture<ChannelWorld>
{
    private const string Programme = "hechi-2021";

    private async Task SaveContactAsync(string unit, ContactRole role, string? wecomKey = "good-key", bool dingTalk = true, bool webhook = true, string? phone = null) =>
        await w.InScope(sp => sp.GetRequiredService<ContactService>().SaveAsync(Programme, new ContactInput(
            unit, role, role == ContactRole.Leader ? "王局长" : "李联络", phone, null,
            wecomKey is null ? null : $"{w.Receiver.BaseUrl}/cgi-bin/webhook/send?key={wecomKey}",
            dingTalk ? $"{w.Receiver.BaseUrl}/robot/send?access_token=tok" : null, dingTalk ? RobotReceiver.DingTalkSecret : null,
            webhook ? $"{w.Receiver.BaseUrl}/hook" : null, webhook ? RobotReceiver.WebhookSecret : null), "测试", CancellationToken.None));

    private void Notice(string unit, NotificationKind kind, string key, string body = "市民宗委：\n您单位负责的第1项（进展填报环节）将于2022年5月20日到期。") =>
        w.App.WithDb(db =>
        {
            db.Notifications.Add(new NotificationRecord
            {
                OccurrenceKey = key, ProgrammeId = Programme, Recipient = unit, Kind = kind, Title = $"【临期提醒】{key}", Body = body,
                Link = "/assignments/abc", CreatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChanges();
        });

    private Task<(int Notices, int Messages)> FanOutAsync() => w.InScope(sp => sp.GetRequiredService<ChannelFanout>().FanOutAsync(CancellationToken.None));

    private Task<ChannelDispatchResult> DispatchAsync() => w.InScope(sp => sp.GetRequiredService<ChannelDispatcher>().DispatchAsync(CancellationToken.None));

    [Fact]
    public async Task A_reminder_reaches_each_robot_in_its_format_signed_and_once()
    {
        var unit = "市民宗委";
        await SaveContactAsync(unit, ContactRole.Liaison);
        Notice(unit, NotificationKind.DueSoon, "ch-test-1");
        var (wecom, ding, hook) = (w.Receiver.WeCom.Count, w.Receiver.DingTalk.Count, w.Receiver.Webhook.Count);

        var fanned = await FanOutAsync();
        Assert.Equal(3, fanned.Messages); // 企业微信, 钉钉, webhook: the default policy's reminder channels the contact has
        var result = await DispatchAsync();
        Assert.Equal(3, result.Sent);

        var wecomMessage = w.Receiver.WeCom.Last();
        var content = (string)wecomMessage["markdown"]!["content"]!;
        Assert.StartsWith("### 【临期提醒】ch-test-1", content, StringComparison.Ordinal);
        Assert.EndsWith("[查看和办理](http://localhost:5000/assignments/abc)", content, StringComparison.Ordinal);
        var dingMessage = w.Receiver.DingTalk.Last();
        Assert.Equal("【临期提醒】ch-test-1", (string)dingMessage["markdown"]!["title"]!);
        var hookMessage = w.Receiver.Webhook.Last();
        Assert.Contains("http://localhost:5000/assignments/abc", (string)hookMessage["text"]!);
        Assert.Equal((wecom + 1, ding + 1, hook + 1), (w.Receiver.WeCom.Count, w.Receiver.DingTalk.Count, w.Receiver.Webhook.Count));

        // Again: the notice is queued, its messages sent: nothing is written or sent twice.
        Assert.Equal(0, (await FanOutAsync()).Messages);
        Assert.Equal(0, (await DispatchAsync()).Sent);
        Assert.Equal(1, w.Receiver.WebhookKeys[(string)hookMessage["id"]!]);

        // The URLs and the secret are not stored in clear.
        var stored = w.App.WithDb(db => db.Contacts.AsNoTracking().Single(c => c.UnitName == unit && c.Role == ContactRole.Liaison));
        Assert.DoesNotContain("good-key", stored.WeComWebhookProtected);
        Assert.DoesNotContain(RobotReceiver.DingTalkSecret, stored.DingTalkSecretProtected);
        Assert.All(w.App.WithDb(db => db.Outbox.Where(m => m.Channel != DeliveryChannel.Mail).Select(m => m.TargetProtected!).ToList()),
            t => Assert.DoesNotContain(w.Receiver.BaseUrl, t));
    }

    [Fact]
    public async Task An_escalation_also_goes_by_SMS_to_the_leader_and_a_reminder_does_not()
    {
        var unit = "市教育局";
        await SaveContactAsync(unit, ContactRole.Leader, wecomKey: null, dingTalk: false, webhook: false, phone: "13800000000");
        Notice(unit, NotificationKind.DueSoon, "ch-test-sms-reminder");
        Assert.Equal(0, (await FanOutAsync()).Messages);
        Notice(unit, NotificationKind.OrderIssued, "ch-test-sms-order");
        var sms = w.Receiver.Sms.Count;
        Assert.Equal(1, (await FanOutAsync()).Messages);
        Assert.Equal(1, (await DispatchAsync()).Sent);
        Assert.Equal(sms + 1, w.Receiver.Sms.Count);
        var message = w.Receiver.Sms.Last();
        Assert.Equal(("13800000000", "CW_NOTICE"), ((string)message["phone"]!, (string)message["templateId"]!));
        Assert.Equal("【临期提醒】ch-test-sms-order", (string)message["parameters"]!["title"]!);
    }

    [Fact]
    public async Task A_robot_error_code_is_kept_retried_and_shown_as_failed()
    {
        var unit = "金城江区";
        await SaveContactAsync(unit, ContactRole.Liaison, wecomKey: "revoked-key", dingTalk: false, webhook: false);
        Notice(unit, NotificationKind.Overdue, "ch-test-error");
        Assert.Equal(1, (await FanOutAsync()).Messages);
        var first = await DispatchAsync();
        Assert.Equal((0, 1), (first.Sent, first.Retrying));
        var row = w.App.WithDb(db => db.Outbox.AsNoTracking().Single(m => m.Subject == "【临期提醒】ch-test-error"));
        Assert.Equal((OutboxState.Pending, 1), (row.State, row.Attempts));
        Assert.Equal("企业微信 errcode 93000: invalid webhook url", row.LastError);

        await Task.Delay(20); // past the (test's 1 ms) backoff
        var second = await DispatchAsync();
        Assert.Equal(1, second.Failed);
        var open = await w.InScope(sp => sp.GetRequiredService<CreationWorkflow.Web.Operations.Incidents>().ListAsync(CancellationToken.None));
        Assert.Contains(open.Mail, m => m.Id == row.Id && m.Error!.Contains("93000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_receiver_down_for_a_while_gets_every_message_once_after()
    {
        var unit = "宜州区";
        await SaveContactAsync(unit, ContactRole.Liaison, wecomKey: null, dingTalk: false, webhook: true);
        for (var i = 0; i < 5; i++)
        {
            Notice(unit, NotificationKind.Due, $"ch-test-down-{i}");
        }
        Assert.Equal(5, (await FanOutAsync()).Messages);
        w.Receiver.Down = true;
        try
        {
            Assert.Equal(5, (await DispatchAsync()).Retrying);
        }
        finally
        {
            w.Receiver.Down = false;
        }
        await Task.Delay(20);
        Assert.Equal(5, (await DispatchAsync()).Sent);
        var keys = w.App.WithDb(db => db.Outbox.Where(m => m.Subject.StartsWith("【临期提醒】ch-test-down-")).Select(m => m.MessageId).ToList());
        Assert.All(keys, k => Assert.Equal(1, w.Receiver.WebhookKeys[k]));
    }

    [Fact]
    public async Task A_contact_with_a_bad_field_is_refused_naming_it_and_nothing_is_stored()
    {
        var before = w.App.WithDb(db => db.Contacts.Count());
        var e = await Assert.ThrowsAsync<DomainException>(() => w.InScope(sp => sp.GetRequiredService<ContactService>().SaveAsync(Programme,
            new ContactInput("市民宗委", ContactRole.Leader, "王局长", "13800000000", null, "ftp://example/hook", null, null, null, null), "测试", CancellationToken.None)));
        Assert.Equal("weComWebhook", e.Field);
        Assert.Contains("企业微信机器人地址", e.Message);
        Assert.Equal(before, w.App.WithDb(db => db.Contacts.Count()));
    }

    [Fact]
    public async Task The_office_saves_a_contact_over_the_API_and_its_test_message_arrives()
    {
        var office = await w.App.ClientFor(Roles.Office);
        var saved = await office.PutAsJsonAsync($"/api/programmes/{Programme}/units/市委宣传部/contacts/leader", new
        {
            name = "赵部长", phone = "13900000000", weComWebhook = $"{w.Receiver.BaseUrl}/cgi-bin/webhook/send?key=good-key",
        });
        var text = await saved.Content.ReadAsStringAsync();
        Assert.True(saved.IsSuccessStatusCode, text);
        Assert.DoesNotContain("good-key", text);
        Assert.Contains("\"weCom\":true", text);

        var listed = await office.GetStringAsync($"/api/programmes/{Programme}/contacts?unit=市委宣传部");
        Assert.Contains("赵部长", listed);
        Assert.DoesNotContain(w.Receiver.BaseUrl, listed);

        var missing = await office.PostAsJsonAsync($"/api/programmes/{Programme}/units/市委宣传部/contacts/leader/test", new { channel = "dingTalk" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("钉钉", await missing.Content.ReadAsStringAsync());

        var queued = await office.PostAsJsonAsync($"/api/programmes/{Programme}/units/市委宣传部/contacts/leader/test", new { channel = "weCom" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, queued.StatusCode);
        var before = w.Receiver.WeCom.Count;
        Assert.True((await DispatchAsync()).Sent >= 1);
        Assert.True(w.Receiver.WeCom.Count > before);
        Assert.Contains(w.Receiver.WeCom, m => ((string)m["markdown"]!["content"]!).Contains("【测试消息】企业微信通道测试", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_stays_within_the_WeCom_limit_and_keeps_the_link()
    {
        var text = new ReminderText("标题", string.Concat(Enumerable.Repeat("很长的正文。", 2000)));
        var markdown = NoticeFormats.Markdown(text, "/assignments/x", "https://cw.example", NoticeFormats.WeComMarkdownBytes);
        Assert.True(Encoding.UTF8.GetByteCount(markdown) <= 4096);
        Assert.EndsWith("[查看和办理](https://cw.example/assignments/x)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_DingTalk_signature_is_the_documented_one()
    {
        // The 钉钉 documentation's recipe, step by step: HMAC-SHA256 with the secret as key over "timestamp\nsecret", Base64, URL-encoded.
        const long ts = 1700000000000;
        var raw = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("SECabc"), Encoding.UTF8.GetBytes("1700000000000\nSECabc"));
        Assert.Equal(Uri.EscapeDataString(Convert.ToBase64String(raw)), ChannelSenders.DingTalkSign(ts, "SECabc"));
        Assert.Equal($"https://x/robot/send?access_token=t&timestamp={ts}&sign={ChannelSenders.DingTalkSign(ts, "SECabc")}",
            ChannelSenders.DingTalkSignedUrl("https://x/robot/send?access_token=t", "SECabc", ts));
    }
}
