using Microsoft.AspNetCore.Hosting;
using MimeKit;

namespace CreationWorkflow.Web.Tests.Mail;

/// <summary>AddMail in the real host: the transport follows the options, which are checked at start-up.</summary>
public sealed class MailSetupTests() : HostTest(new AppFactory())
{
    [Fact]
    public async Task Without_a_host_mail_goes_to_the_pickup_folder_in_the_data_folder()
    {
        var transport = Assert.IsType<PickupDirectoryTransport>(App.Services.GetRequiredService<IMailTransport>());
        var pickup = Path.Combine(App.DataPath, "mail-pickup");
        Assert.Equal(pickup, transport.PickupDirectory);
        var options = App.Services.GetRequiredService<IOptions<MailOptions>>().Value;
        Assert.Equal(("民族团结进步创建工作平台", 200, 8, TimeSpan.FromMinutes(1), "http://localhost:5000"),
            (options.FromName, options.BatchSize, options.MaxAttempts, options.RetryBaseDelay, options.BaseUrl));

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var message = MailTestData.Message(1, now);
        db.Outbox.Add(message);
        await db.SaveChangesAsync();

        var result = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchAsync(CancellationToken.None);
        Assert.Equal(1, result.Sent);
        using var mail = await MimeMessage.LoadAsync(Path.Combine(pickup, PickupDirectoryTransport.FileNameFor(message.MessageId)));
        Assert.Equal(message.Subject, mail.Subject);
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<NotificationDigest>());
    }

    [Fact]
    public void With_a_host_mail_goes_over_smtp()
    {
        using var smtpApp = App.WithWebHostBuilder(b => b
            .UseSetting("CreationWorkflow:Mail:Host", "smtp.example.test")
            .UseSetting("CreationWorkflow:Mail:Port", "587")
            .UseSetting("CreationWorkflow:Mail:Security", "StartTls")
            .UseSetting("CreationWorkflow:Mail:OfficeAddress", "office@example.test"));
        Assert.IsType<SmtpMailTransport>(smtpApp.Services.GetRequiredService<IMailTransport>());
        var options = smtpApp.Services.GetRequiredService<IOptions<MailOptions>>().Value;
        Assert.Equal((587, MailSecurity.StartTls, "office@example.test"), (options.Port, options.Security, options.OfficeAddress));
        Assert.Null(options.PickupDirectory);
    }

    [Fact]
    public void Start_up_refuses_mail_options_that_cannot_work()
    {
        using var broken = App.WithWebHostBuilder(b => b
            .UseSetting("CreationWorkflow:Mail:From", "nobody")
            .UseSetting("CreationWorkflow:Mail:BatchSize", "0"));
        var error = Assert.Throws<OptionsValidationException>(() => broken.Services);
        Assert.Contains("CreationWorkflow:Mail:From 'nobody' is not a mail address.", error.Message);
        Assert.Contains("CreationWorkflow:Mail:BatchSize must be at least 1.", error.Message);
    }

    [Fact]
    public void Backoff_doubles_from_the_base_delay_up_to_an_hour()
    {
        var options = new MailOptions();
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60],
            Enumerable.Range(1, 8).Append(500).Select(attempts => options.RetryDelay(attempts).TotalMinutes));
        Assert.Equal(TimeSpan.FromSeconds(40), new MailOptions { RetryBaseDelay = TimeSpan.FromSeconds(5) }.RetryDelay(4));
    }
}
