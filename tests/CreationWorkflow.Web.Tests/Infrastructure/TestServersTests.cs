using System.Net.Mail;
using System.Net.Sockets;

namespace CreationWorkflow.Web.Tests.Infrastructure;

public sealed class FreePortTests
{
    [Fact]
    public async Task Get_returns_a_bindable_loopback_port()
    {
        var port = FreePort.Get();
        Assert.InRange(port, 1024, 65535);
        Assert.False(await FreePort.IsListeningAsync(port));
        var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();
        try
        {
            Assert.True(await FreePort.IsListeningAsync(port));
        }
        finally
        {
            listener.Stop();
        }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Server_answers_select_1_with_password_authentication()
    {
        output.WriteLine($"PostgreSQL fixture started in {postgres.StartupTime.TotalMilliseconds:F0} ms (bin: {postgres.BinDirectory}, port {postgres.Port})");

        var parts = ParseConnectionString(postgres.ConnectionString);
        Assert.Equal("127.0.0.1", parts["Host"]);
        Assert.Equal(postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), parts["Port"]);
        Assert.Equal(postgres.Database, parts["Database"]);
        Assert.Equal(postgres.Username, parts["Username"]);
        Assert.Equal(postgres.Password, parts["Password"]);

        Assert.Equal("1", await postgres.PsqlAsync("select 1"));
        Assert.Equal($"{postgres.Username}|{postgres.Database}|UTF8",
            await postgres.PsqlAsync("select current_user, current_database(), pg_encoding_to_char(encoding) from pg_database where datname = current_database()"));
        Assert.Equal("off", await postgres.PsqlAsync("show fsync"));
    }

    [Fact]
    public async Task Wrong_password_is_rejected()
    {
        var result = await ProcessRunner.RunAsync(
            Path.Combine(postgres.BinDirectory, "psql"),
            ["-X", "-w", "-h", postgres.Host, "-p", postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-U", postgres.Username, "-d", postgres.Database, "-c", "select 1"],
            environment: new Dictionary<string, string?> { ["PGPASSWORD"] = "wrong", ["PGPASSFILE"] = "/dev/null" },
            throwOnError: false);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("password authentication failed", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_test_can_get_a_fresh_database()
    {
        var connectionString = await postgres.CreateDatabaseAsync("fresh_db_test");
        Assert.Equal("fresh_db_test", ParseConnectionString(connectionString)["Database"]);

        await postgres.PsqlAsync(
            "create table work_item (id serial primary key, title text not null); " +
            "insert into work_item (title) values ('河池 2021'), ('taijiang');",
            "fresh_db_test");
        Assert.Equal("2|河池 2021,taijiang", await postgres.PsqlAsync("select count(*), string_agg(title, ',' order by id) from work_item", "fresh_db_test"));

        // Not visible in the fixture's main database...
        Assert.Equal("", await postgres.PsqlAsync("select to_regclass('work_item')"));
        // ...and re-creating gives an empty database again.
        await postgres.CreateDatabaseAsync("fresh_db_test");
        Assert.Equal("", await postgres.PsqlAsync("select to_regclass('work_item')", "fresh_db_test"));

        var unique = ParseConnectionString(await postgres.CreateDatabaseAsync())["Database"];
        Assert.StartsWith("t_", unique, StringComparison.Ordinal);
        Assert.Equal("1", await postgres.PsqlAsync("select 1", unique));
        await postgres.DropDatabaseAsync(unique);
        Assert.Equal("0", await postgres.PsqlAsync($"select count(*) from pg_database where datname = '{unique}'"));
    }

    [Fact]
    public async Task Invalid_database_names_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => postgres.CreateDatabaseAsync("x\"; drop database cw_test; --"));
    }

    [Fact]
    public async Task A_separate_server_starts_and_dispose_stops_it_and_deletes_its_directory()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        output.WriteLine($"Second PostgreSQL server started in {server.StartupTime.TotalMilliseconds:F0} ms");
        var root = server.RootDirectory;
        var port = server.Port;
        try
        {
            Assert.NotEqual(postgres.Port, port);
            Assert.True(Directory.Exists(root));
            Assert.Equal("1", await server.PsqlAsync("select 1"));
        }
        finally
        {
            await server.DisposeAsync();
            server.Dispose(); // idempotent
        }
        Assert.False(Directory.Exists(root));
        Assert.False(await FreePort.IsListeningAsync(port));
    }

    private static Dictionary<string, string> ParseConnectionString(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
}

public sealed class SmtpServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Received_message_is_saved_to_the_inbox()
    {
        using var smtp = await SmtpServer.StartNewAsync();
        output.WriteLine($"SMTP server started in {smtp.LastStartupTime.TotalMilliseconds:F0} ms on port {smtp.Port}");
        Assert.Equal("127.0.0.1", smtp.Host);
        Assert.Empty(smtp.ReceivedMessages());

        using (var message = new MailMessage("workflow@example.test", "author@example.test")
               {
                   Subject = "稿件已提交 / submitted",
                   Body = "正文 body",
                   SubjectEncoding = Encoding.UTF8,
                   BodyEncoding = Encoding.UTF8,
               })
        {
            message.Bcc.Add("editor@example.test");
            await SendAsync(smtp, message);
        }

        var messages = await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10));
        var received = Assert.Single(messages);
        Assert.Equal("workflow@example.test", received.MailFrom);
        Assert.Equal(["author@example.test", "editor@example.test"], received.Recipients);
        Assert.EndsWith(".eml", received.FileName, StringComparison.Ordinal);
        Assert.Contains("To: author@example.test", received.Text, StringComparison.Ordinal);
        Assert.Contains("Subject: =?utf-8?", received.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("editor@example.test", received.Text, StringComparison.Ordinal); // Bcc is envelope-only
        Assert.Equal(received.Raw, await File.ReadAllBytesAsync(received.FileName));

        smtp.ClearInbox();
        Assert.Empty(smtp.ReceivedMessages());
    }

    [Fact]
    public async Task Server_can_go_down_and_come_back_on_the_same_port()
    {
        using var smtp = new SmtpServer();
        await smtp.StartAsync();
        var port = smtp.Port;
        await SendAsync(smtp, new MailMessage("a@example.test", "b@example.test", "before outage", "1"));
        await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10));

        await smtp.StopAsync();
        Assert.False(smtp.IsRunning);
        Assert.False(await FreePort.IsListeningAsync(port));
        await Assert.ThrowsAsync<SmtpException>(() => SendAsync(smtp, new MailMessage("a@example.test", "b@example.test", "during outage", "2")));

        await smtp.StartAsync();
        output.WriteLine($"SMTP server restarted in {smtp.LastStartupTime.TotalMilliseconds:F0} ms on port {smtp.Port}");
        Assert.Equal(port, smtp.Port);
        Assert.True(smtp.IsRunning);
        await SendAsync(smtp, new MailMessage("a@example.test", "b@example.test", "after outage", "3"));

        var messages = await smtp.WaitForMessagesAsync(2, TimeSpan.FromSeconds(10));
        Assert.Equal(2, messages.Count);
        Assert.Contains("Subject: before outage", messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("Subject: after outage", messages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_kills_the_server_and_deletes_the_temp_directory()
    {
        var smtp = await SmtpServer.StartNewAsync();
        var port = smtp.Port;
        var root = smtp.RootDirectory;
        Assert.True(Directory.Exists(smtp.InboxDirectory));
        smtp.Dispose();
        Assert.False(Directory.Exists(root));
        Assert.False(await FreePort.IsListeningAsync(port));
        await Assert.ThrowsAsync<ObjectDisposedException>(smtp.StartAsync);
    }

    private static async Task SendAsync(SmtpServer smtp, MailMessage message)
    {
        using (message)
        using (var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = false, Timeout = 10_000 })
        {
            await client.SendMailAsync(message);
        }
    }
}
