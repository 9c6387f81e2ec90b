using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CreationWorkflow.Web.Mail;

/// <summary>Sends over SMTP with MailKit: one connection (and one login) per batch.</summary>
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
            await client.ConnectAsync(o.Host, o.Port, ToSocketOptions(o.Security), ct);
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
