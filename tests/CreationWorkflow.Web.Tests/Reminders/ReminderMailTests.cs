using MimeKit;

namespace CreationWorkflow.Web.Tests.Reminders;

/// <summary>From a deadline to a unit's mailbox: the host's reminder, digest and outbox against a real SMTP server.</summary>
public sealed class ReminderMailTests : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private SmtpServer smtp = null!;
    private AppFactory app = null!;
    private readonly TestClock clock = new(new DateTimeOffset(2021, 12, 1, 0, 0, 0, China));

    public async Task InitializeAsync()
    {
        smtp = await SmtpServer.StartNewAsync();
        app = new AppFactory
        {
            Clock = clock,
            Settings = new Dictionary<string, string>
            {
                ["CreationWorkflow:Mail:Host"] = smtp.Host,
                ["CreationWorkflow:Mail:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CreationWorkflow:Mail:OfficeAddress"] = "office@hechi.example",
            },
        };
    }

    public Task DisposeAsync()
    {
        app.Dispose();
        app.DeleteFolders();
        smtp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_unit_with_an_address_receives_its_reminders_as_one_chinese_digest_exactly_once()
    {
        var office = await app.ClientFor(Roles.Office);
        Assert.Equal(HttpStatusCode.NoContent,
            (await office.PutAsJsonAsync("/api/programmes/hechi-2021/units/市民宗委/contact", new { email = "mzw@hechi.example" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await office.PutAsJsonAsync("/api/programmes/hechi-2021/units/市教育局/contact", new { email = "not an address" })).StatusCode);
        (await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "hechi-2021", startDate = "2021-12-01", workflowVersion = 1 })).EnsureSuccessStatusCode();

        // 2021-12-07 09:00: one working day before the acknowledgement deadline of 12-08.
        clock.Set(new DateTimeOffset(2021, 12, 7, 9, 0, 0, China));
        await RunAsync<TimerSweeper>(s => s.SweepAsync());
        await RunAsync<NotificationDigest>(d => d.CreateMailsAsync(default));
        await RunAsync<OutboxDispatcher>(d => d.DispatchAsync(default));

        var received = await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(20));
        var mail = Assert.Single(received, m => m.Recipients.Contains("mzw@hechi.example"));
        var message = MimeMessage.Load(new MemoryStream(mail.Raw));
        Assert.StartsWith("【民族团结进步创建】", message.Subject);
        var body = message.TextBody;
        Assert.Contains("新交办任务", body);
        Assert.Contains("签收任务", body);
        Assert.Contains("2021年12月8日", body);
        // Each notice links to its task through a read link (/r/{token}), which opens the task.
        var targets = await PageClient.ReadLinkTargetsAsync(app, body ?? "");
        Assert.NotEmpty(targets);
        Assert.Contains(targets, t => t.StartsWith("/assignments/", StringComparison.Ordinal));

        // Nothing is mailed twice: a second digest and dispatch find nothing new.
        var count = smtp.ReceivedMessages().Count;
        await RunAsync<NotificationDigest>(d => d.CreateMailsAsync(default));
        await RunAsync<OutboxDispatcher>(d => d.DispatchAsync(default));
        Assert.Equal(count, smtp.ReceivedMessages().Count);
        Assert.Equal(1, smtp.ReceivedMessages().Count(m => m.Recipients.Contains("mzw@hechi.example")));
    }

    private async Task RunAsync<T>(Func<T, Task> action) where T : notnull
    {
        using var scope = app.Services.CreateScope();
        await action(scope.ServiceProvider.GetRequiredService<T>());
    }
}
