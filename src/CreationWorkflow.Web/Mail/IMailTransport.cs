using MimeKit;

namespace CreationWorkflow.Web.Mail;

/// <summary>Where outbox messages go: an SMTP server, or a pickup directory of .eml files.</summary>
public interface IMailTransport
{
    /// <summary>Opens one connection for a batch. Throws when the server cannot be reached (the batch is retried later).</summary>
    Task<IMailConnection> ConnectAsync(CancellationToken ct);
}

/// <summary>One open connection: a batch is sent over it, message by message, then it is disposed (closed).</summary>
public interface IMailConnection : IAsyncDisposable
{
    /// <summary>False once the connection is lost; the rest of the batch then waits for the next run.</summary>
    bool IsConnected { get; }

    /// <summary>Sends one message; throws when the server refuses it or the connection fails.</summary>
    Task SendAsync(MimeMessage message, CancellationToken ct);
}
