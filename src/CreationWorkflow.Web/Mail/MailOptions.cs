using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace CreationWorkflow.Web.Mail;

public enum MailSecurity { None, StartTls, SslOnConnect }

/// <summary>
/// How mail leaves the platform. Section "CreationWorkflow:Mail". Without a <see cref="Host"/> the messages are
/// written as .eml files to <see cref="PickupDirectory"/> (the embedded default: nothing is sent anywhere).
/// </summary>
public sealed class MailOptions
{
    public const string Section = "CreationWorkflow:Mail";

    /// <summary>SMTP server; null or empty: pickup-directory mode.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>None (a local relay), StartTls (submission, port 587) or SslOnConnect (port 465).</summary>
    public MailSecurity Security { get; set; } = MailSecurity.None;

    /// <summary>Set to authenticate; use it only with <see cref="MailSecurity.StartTls"/> or <see cref="MailSecurity.SslOnConnect"/>.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Timeout of each SMTP operation (connect, each command).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public string From { get; set; } = "noreply@creationworkflow.localhost";

    public string FromName { get; set; } = "民族团结进步创建工作平台";

    /// <summary>Pickup mode's folder. Default: &lt;data folder&gt;/mail-pickup.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>Messages sent over one SMTP connection.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Deliveries stored as Sent in one UPDATE (a crash before it resends at most this many, with their Message-IDs).</summary>
    public int SentFlushSize { get; set; } = 50;

    /// <summary>Notices listed in one digest mail; more are counted in one line with a link to the platform.</summary>
    public int DigestMaxItems { get; set; } = 50;

    /// <summary>Digest mails written per transaction.</summary>
    public int DigestBatchSize { get; set; } = 200;

    /// <summary>Failed attempts after which a message becomes <see cref="OutboxState.Failed"/> (kept; the office can requeue it).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; doubled after each further failure, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a dispatcher holds the messages it claimed for a batch. A dispatcher that dies mid-batch leaves
    /// the unsent ones to another run after this time (the one in flight is then resent, with its Message-ID).
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Address of the office (创建办) for <see cref="Recipients.Office"/> notifications, until sign-in accounts exist.</summary>
    public string? OfficeAddress { get; set; }

    /// <summary>Address of the inspectors (督查组) for <see cref="Recipients.Inspectors"/> notifications.</summary>
    public string? InspectorsAddress { get; set; }

    /// <summary>Address of the leading group (领导小组) for <see cref="Recipients.Leaders"/> notifications.</summary>
    public string? LeadersAddress { get; set; }

    /// <summary>Where the platform is reached: relative notification links are made absolute with it.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5000";

    [MemberNotNullWhen(false, nameof(Host))]
    public bool UsesPickupDirectory => string.IsNullOrWhiteSpace(Host);

    /// <summary>Backoff after <paramref name="failedAttempts"/> failures: base, 2×base, 4×base, … capped at <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 62);
        var ticks = RetryBaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= RetryMaxDelay.Ticks ? RetryMaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>Start-up refuses options that cannot work, naming the setting and the reason.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions o)
    {
        var errors = new List<string>();
        if (!MailAddresses.IsValid(o.From))
        {
            errors.Add($"{MailOptions.Section}:From '{o.From}' is not a mail address.");
        }
        if (!o.UsesPickupDirectory && o.Port is < 1 or > 65535)
        {
            errors.Add($"{MailOptions.Section}:Port {o.Port} is not a TCP port (1-65535).");
        }
        if (o.BatchSize < 1)
        {
            errors.Add($"{MailOptions.Section}:BatchSize must be at least 1.");
        }
        if (o.SentFlushSize < 1)
        {
            errors.Add($"{MailOptions.Section}:SentFlushSize must be at least 1.");
        }
        if (o.DigestMaxItems < 1 || o.DigestBatchSize < 1)
        {
            errors.Add($"{MailOptions.Section}:DigestMaxItems and DigestBatchSize must be at least 1.");
        }
        if (o.MaxAttempts < 1)
        {
            errors.Add($"{MailOptions.Section}:MaxAttempts must be at least 1.");
        }
        if (o.RetryBaseDelay <= TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay)
        {
            errors.Add($"{MailOptions.Section}:RetryBaseDelay must be positive and not above RetryMaxDelay.");
        }
        if (o.ClaimTimeout <= TimeSpan.Zero || o.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{MailOptions.Section}:ClaimTimeout and Timeout must be positive.");
        }
        if (!Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _))
        {
            errors.Add($"{MailOptions.Section}:BaseUrl '{o.BaseUrl}' is not an absolute URL.");
        }
        foreach (var (key, value) in new[] { ("OfficeAddress", o.OfficeAddress), ("InspectorsAddress", o.InspectorsAddress), ("LeadersAddress", o.LeadersAddress) })
        {
            if (!string.IsNullOrWhiteSpace(value) && !MailAddresses.IsValid(value))
            {
                errors.Add($"{MailOptions.Section}:{key} '{value}' is not a mail address.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal static class MailAddresses
{
    /// <summary>A bare address with a domain ("someone@example.org"); MimeKit alone would accept "someone".</summary>
    public static bool IsValid(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && MailboxAddress.TryParse(text.Trim(), out var mailbox)
        && mailbox.Address == text.Trim()
        && mailbox.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && at < mailbox.Address.Length - 1;
}
