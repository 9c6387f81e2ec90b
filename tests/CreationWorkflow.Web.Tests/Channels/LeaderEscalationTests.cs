using CreationWorkflow.Web.Channels;

namespace CreationWorkflow.Web.Tests.Channels;

/// <summary>
/// 未读升级 to the unit's 分管领导 on the virtual clock: a unit's notice unread past N working hours reaches its 分管领导's
/// 企业微信 robot and phone (the default policy for the kind), not the 联络员 who left it unread, and only once.
/// </summary>
public sealed class LeaderEscalationTests : IAsyncLifetime
{
    private const string Unit = "市民宗委";

    // Friday 2022-04-29 16:00 in Beijing, just before the 劳动节 days off.
    private readonly TestClock clock = new(new DateTimeOffset(2022, 4, 29, 16, 0, 0, TimeSpan.FromHours(8)));
    private RobotReceiver receiver = null!;
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        receiver = await RobotReceiver.StartAsync();
        app = new AppFactory { Clock = clock, Settings = new Dictionary<string, string> { ["CreationWorkflow:Channels:SmsEndpoint"] = receiver.BaseUrl + "/sms" } };
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        app.DeleteFolders();
        await receiver.DisposeAsync();
    }

    private async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>What the mail job does for the channels: the sweep, the fan-out of new notices, the dispatch.</summary>
    private async Task<int> RunAsync()
    {
        var escalated = await InScope(sp => sp.GetRequiredService<UnreadEscalation>().SweepAsync());
        while ((await InScope(sp => sp.GetRequiredService<ChannelFanout>().FanOutAsync(CancellationToken.None))).Notices > 0)
        {
        }
        await InScope(sp => sp.GetRequiredService<ChannelDispatcher>().DispatchAsync(CancellationToken.None));
        return escalated;
    }

    [Fact]
    public async Task An_unread_notice_reaches_the_unit_leaders_robot_and_phone_once_after_n_working_hours()
    {
        var office = await app.ClientFor(Roles.Office);
        var campaign = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2022-03-01", workflowVersion: 2);
        var contacts = await office.PutAsJsonAsync($"/api/programmes/hechi-2021/units/{Unit}/contacts/leader",
            new { name = "王局长", phone = "13800000009", weComWebhook = $"{receiver.BaseUrl}/cgi-bin/webhook/send?key=good-key" });
        Assert.True(contacts.IsSuccessStatusCode, await contacts.Content.ReadAsStringAsync());
        (await office.PutAsJsonAsync($"/api/programmes/hechi-2021/units/{Unit}/contacts/liaison",
            new { name = "李联络", webhookUrl = $"{receiver.BaseUrl}/hook", webhookSecret = RobotReceiver.WebhookSecret })).EnsureSuccessStatusCode();
        var assignment = app.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaign && a.Unit == Unit && a.State == AssignmentState.Assigned)
            .OrderBy(a => a.DueDate).Select(a => a.Id).First());
        var urged = await office.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = assignment });
        Assert.True(urged.IsSuccessStatusCode, await urged.Content.ReadAsStringAsync());
        var notice = (long)(await urged.Content.ReadFromJsonAsync<JsonObject>())!["notificationId"]!;
        var urgeTitle = app.WithDb(db => db.Notifications.Single(n => n.Id == notice).Title);

        // Before the working hours are up: the 催办 itself reaches the 联络员's webhook; nothing reaches the 分管领导.
        await RunAsync();
        Assert.Contains(receiver.Webhook, m => (string)m["title"]! == urgeTitle);
        var (wecom, sms, hooks) = (receiver.WeCom.Count, receiver.Sms.Count, receiver.Webhook.Count);
        Assert.Equal(0, wecom);

        // The notice's N working hours end after the 劳动节 days off (measured on the calendar's office hours, walking forward).
        var options = app.Services.GetRequiredService<IOptions<NoticeOptions>>().Value;
        var hours = new WorkingHours(app.Services.GetRequiredService<WorkingDayCalendar>(),
            TimeOnly.FromTimeSpan(options.WorkdayStart), TimeOnly.FromTimeSpan(options.WorkdayEnd));
        var zone = ChinaTime.Zone;
        var created = clock.GetUtcNow();
        var due = created;
        while (hours.Between(TimeZoneInfo.ConvertTime(created, zone).DateTime, TimeZoneInfo.ConvertTime(due, zone).DateTime)
               < TimeSpan.FromHours(options.UnreadEscalateAfterWorkingHours))
        {
            due = due.AddMinutes(15);
        }
        clock.Set(due.AddMinutes(-15));
        await RunAsync();
        Assert.Equal((0, sms), (receiver.WeCom.Count, receiver.Sms.Count));

        clock.Set(due);
        Assert.True(await RunAsync() >= 1);
        // Every notice of the unit still unread (the 催办 and the campaign's own notices) is told once to its 分管领导.
        var told = app.WithDb(db => db.Notifications.Count(n => n.Recipient == Unit && n.Kind == NotificationKind.UnreadEscalation));
        Assert.Equal(app.WithDb(db => db.Notifications.Count(n => n.Recipient == Unit && n.Kind != NotificationKind.UnreadEscalation && n.EscalatedAt != null)), told);
        Assert.Equal((told, sms + told), (receiver.WeCom.Count, receiver.Sms.Count));
        var title = $"【未读升级】{Unit}有通知超过{options.UnreadEscalateAfterWorkingHours}个工作小时未读";
        var robot = Assert.Single(receiver.WeCom, m => ((string)m["markdown"]!["content"]!).Contains(urgeTitle, StringComparison.Ordinal));
        var content = (string)robot["markdown"]!["content"]!;
        Assert.StartsWith($"### {title}", content, StringComparison.Ordinal);
        Assert.Contains($"{Unit}分管领导：", content);
        Assert.All(receiver.Sms.Skip(sms), m => Assert.Equal(("13800000009", title), ((string)m["phone"]!, (string)m["parameters"]!["title"]!)));
        // The 联络员, who left it unread, is not told by the default policy; the unit sees it in-app.
        Assert.DoesNotContain(receiver.Webhook.Skip(hooks), m => ((string)m["title"]!).StartsWith("【未读升级】", StringComparison.Ordinal));
        Assert.Equal(1, app.WithDb(db => db.Notifications.Count(n => n.Recipient == Unit && n.OccurrenceKey == UnreadEscalation.UnitKeyFor(notice))));

        // Once: later runs, a day on, send nothing more to the 分管领导.
        clock.Advance(TimeSpan.FromDays(1));
        await RunAsync();
        Assert.Equal((told, sms + told), (receiver.WeCom.Count, receiver.Sms.Count));
    }
}
