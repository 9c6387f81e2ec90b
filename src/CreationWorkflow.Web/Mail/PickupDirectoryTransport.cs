using MimeKit;

namespace CreationWorkflow.Web.Mail;

/// <summary>
/// Writes each message as &lt;Message-ID&gt;.eml into the pickup directory (the embedded default, and what a
/// relay's pickup service reads). Written to a temp file and renamed over the target, so a reader never sees half
/// a file and a resend of the same message replaces its file instead of adding a second one.
/// </summary>
public sealed class PickupDirectoryTransport(IOptions<MailOptions> options) : IMailTransport
{
    public string PickupDirectory => options.Value.PickupDirectory
        ?? throw new InvalidOperationException($"{MailOptions.Section}:PickupDirectory is not set.");

    public Task<IMailConnection> ConnectAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(PickupDirectory);
        return Task.FromResult<IMailConnection>(new Connection(PickupDirectory));
    }

    /// <summary>The file name for a Message-ID: its characters outside [A-Za-z0-9._@+-] become '_'.</summary>
    public static string FileNameFor(string messageId)
    {
        var id = messageId.Trim().Trim('<', '>');
        var name = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '@' or '+' or '-' ? c : '_');
        }
        var text = name.ToString().TrimStart('.');
        if (text.Length is 0 or > 200)
        {
            // Too long or nothing usable left: a stable name from the whole id.
            text = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)));
        }
        return text + ".eml";
    }

    private sealed class Connection(string directory) : IMailConnection
    {
        public bool IsConnected => true;

        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var target = Path.Combine(directory, FileNameFor(message.MessageId ?? throw new ArgumentException("The message has no Message-ID.", nameof(message))));
            var temp = Path.Combine(directory, $".{Guid.NewGuid():N}.tmp");
            try
            {
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16 * 1024, useAsync: true))
                {
                    await message.WriteToAsync(file, ct);
                    await file.FlushAsync(ct);
                    file.Flush(flushToDisk: true);
                }
                File.Move(temp, target, overwrite: true);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
