using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CreationWorkflow.Web.Mail;
using CreationWorkflow.Web.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CreationWorkflow.Benchmarks;

/// <summary>
/// A local SMTP sink (<c>python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Sink</c>: accepts and discards)
/// and a migrated SQLite file holding <see cref="MessageCount"/> pending digest mails, reset before every iteration.
/// </summary>
public sealed class MailFixture : IAsyncDisposable
{
    public const int MessageCount = 500;

    private readonly Process sink;
    private readonly SqliteTestDatabase database;

    private MailFixture(Process sink, int port, SqliteTestDatabase database)
    {
        this.sink = sink;
        this.database = database;
        Options = new MailOptions
        {
            Host = "127.0.0.1", Port = port, Security = MailSecurity.None, From = "platform@example.test",
            Timeout = TimeSpan.FromSeconds(30), BaseUrl = "https://cj.example.test",
            BatchSize = int.TryParse(Environment.GetEnvironmentVariable("CW_BENCH_MAIL_BATCH"), out var batch) ? batch : new MailOptions().BatchSize,
        };
    }

    public MailOptions Options { get; }

    public static async Task<MailFixture> StartAsync()
    {
        var port = FreePort.Get();
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-c", "aiosmtpd.handlers.Sink"])
        {
            UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        var sink = Process.Start(psi) ?? throw new InvalidOperationException("aiosmtpd did not start");
        for (var i = 0; ; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                break;
            }
            catch (SocketException) when (i < 100 && !sink.HasExited)
            {
                await Task.Delay(100);
            }
        }
        var fixture = new MailFixture(sink, port, await SqliteTestDatabase.CreateAsync());
        await fixture.ResetAsync();
        return fixture;
    }

    /// <summary>Deletes the outbox and writes <see cref="MessageCount"/> pending digests, due now, in Chinese.</summary>
    public async Task ResetAsync()
    {
        await using var db = database.NewContext();
        await db.Outbox.ExecuteDeleteAsync();
        var now = DateTimeOffset.UtcNow;
        db.Outbox.AddRange(Enumerable.Range(1, MessageCount).Select(i => new OutboxMessage
        {
            MessageId = $"<bench{i:D5}.{Guid.NewGuid():N}@creationworkflow>",
            To = $"unit{i}@example.test",
            ToName = $"第{i}责任单位",
            Subject = $"【民族团结进步创建】您有3条待办提醒",
            BodyText = string.Concat(Enumerable.Range(1, 3).Select(n =>
                $"{n}. 第{i}项“制定民族团结进步创建工作方案”进展填报今天到期\n您单位负责的事项今天到期，请按时报送。\n办理入口：https://cj.example.test/assignments/{i}\n")),
            State = OutboxState.Pending,
            CreatedAt = now,
            NextAttemptAt = now.AddMinutes(-1),
        }));
        await db.SaveChangesAsync();
    }

    /// <summary>The mails as the dispatcher composes them (for the clients that send without the outbox).</summary>
    public async Task<List<MimeMessage>> ComposeAllAsync()
    {
        await using var db = database.NewContext();
        var rows = await db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        return [.. rows.Select(r => OutboxDispatcher.Compose(r, Options))];
    }

    /// <summary>The real path: <see cref="OutboxDispatcher.DispatchAsync"/> over MailKit (one connection per batch), every outcome stored.</summary>
    public async Task<int> DispatchAsync()
    {
        await using var db = database.NewContext();
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var dispatcher = new OutboxDispatcher(db, new SmtpMailTransport(options, NullLogger<SmtpMailTransport>.Instance), options,
            TimeProvider.System, NullLogger<OutboxDispatcher>.Instance);
        var result = await dispatcher.DispatchAsync(CancellationToken.None);
        return result.Sent == MessageCount ? result.Sent : throw new InvalidOperationException($"dispatched {result}, expected {MessageCount} sent");
    }

    /// <summary>MailKit as the transport used it before: <c>ConnectAsync(host, port)</c>, Nagle on, one connection.</summary>
    public async Task<int> SendWithMailKitDefaultsAsync(IReadOnlyList<MimeMessage> mails)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(Options.Host!, Options.Port, SecureSocketOptions.None);
        foreach (var mail in mails)
        {
            await client.SendAsync(mail);
        }
        await client.DisconnectAsync(quit: true);
        return mails.Count;
    }

    /// <summary>
    /// The baseline: a plain SMTP client on one NoDelay socket, written here: EHLO once, then MAIL/RCPT/DATA per message,
    /// each reply read before the next command, the message written in one buffer (dot-stuffed). No database.
    /// </summary>
    public async Task<int> SendWithPlainClientAsync(IReadOnlyList<MimeMessage> mails)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(Options.Host!, Options.Port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await ExpectAsync(reader, "220");
        await CommandAsync(stream, reader, "EHLO bench.local\r\n", "250");
        foreach (var mail in mails)
        {
            await CommandAsync(stream, reader, $"MAIL FROM:<{Options.From}>\r\n", "250");
            await CommandAsync(stream, reader, $"RCPT TO:<{mail.To.Mailboxes.First().Address}>\r\n", "250");
            await CommandAsync(stream, reader, "DATA\r\n", "354");
            using var body = new MemoryStream();
            using (var filtered = new MimeKit.IO.FilteredStream(body))
            {
                filtered.Add(new SmtpDataFilter());
                await mail.WriteToAsync(Wire, filtered);
                await filtered.FlushAsync();
            }
            body.Write("\r\n.\r\n"u8);
            await stream.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length));
            await ExpectAsync(reader, "250");
        }
        await CommandAsync(stream, reader, "QUIT\r\n", "221");
        return mails.Count;
    }

    private static readonly FormatOptions Wire = CrLf();

    private static FormatOptions CrLf()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }

    private static async Task CommandAsync(NetworkStream stream, StreamReader reader, string command, string code)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command));
        await ExpectAsync(reader, code);
    }

    private static async Task ExpectAsync(StreamReader reader, string code)
    {
        while (true)
        {
            var line = await reader.ReadLineAsync() ?? throw new IOException("SMTP server closed the connection");
            if (!line.StartsWith(code, StringComparison.Ordinal))
            {
                throw new IOException($"SMTP: expected {code}, got '{line}'");
            }
            if (line.Length < 4 || line[3] == ' ')
            {
                return;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!sink.HasExited)
        {
            sink.Kill();
            sink.WaitForExit();
        }
        sink.Dispose();
        database.Dispose();
        return ValueTask.CompletedTask;
    }
}
