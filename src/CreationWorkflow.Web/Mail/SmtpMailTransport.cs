using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CreationWorkflow.Web.Mail;

/// <summary>
/// Sends over SMTP with MailKit: one connection (and one login) per batch, over a socket we open with
/// <c>TCP_NODELAY</c>. MailKit writes a message's DATA in more than one packet; with Nagle's algorithm on, the last
/// small packet waits for the server's delayed ACK (~40 ms on Linux), which held the dispatcher at ~22 messages/s
/// against a local server (docs/benchmarks.md, "Mail dispatch").
/// </summary>
public sealed class SmtpMailTransport(IOptions<MailOptions> options, ILogger<SmtpMailTransport> log) : IMailTransport
{
    public async Task<IMailConnection> ConnectAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (o.UsesPickupDirectory)
        {
            throw new InvalidOperationException($"{MailOptions.Section}:Host is not set; SMTP cannot be used.");
        }
        var client = new SmtpClient { Timeout = (int)Math.Min(o.Timeout.TotalMilliseconds, int.MaxValue) };
        try
        {
            var socket = await OpenSocketAsync(o, ct);
            try
            {
                // MailKit owns the socket from here: disposing the client closes it.
                await client.ConnectAsync(socket, o.Host, o.Port, ToSocketOptions(o.Security), ct);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            if (!string.IsNullOrEmpty(o.Username))
            {
                await client.AuthenticateAsync(o.Username, o.Password ?? "", ct);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }
        log.LogDebug("Connected to SMTP server {Host}:{Port}", o.Host, o.Port);
        return new Connection(client, log);
    }

    /// <summary>A connected TCP socket to the configured server with Nagle's algorithm off, within <see cref="MailOptions.Timeout"/>.</summary>
    public static async Task<Socket> OpenSocketAsync(MailOptions o, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(o.Host!, o.Port, timeout.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Connecting to SMTP server {o.Host}:{o.Port} timed out after {o.Timeout}.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static SecureSocketOptions ToSocketOptions(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, "Unknown mail security."),
    };

    private sealed class Connection(SmtpClient client, ILogger log) : IMailConnection
    {
        public bool IsConnected => client.IsConnected;

        public async Task SendAsync(MimeMessage message, CancellationToken ct) => await client.SendAsync(message, ct);

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await client.DisconnectAsync(quit: true, quit.Token);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The batch's outcomes are already stored; a failed QUIT changes nothing.
                log.LogDebug(e, "SMTP disconnect failed");
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
