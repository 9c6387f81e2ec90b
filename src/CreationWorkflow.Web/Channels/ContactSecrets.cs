using Microsoft.AspNetCore.DataProtection;

namespace CreationWorkflow.Web.Channels;

/// <summary>
/// Protects contact URLs and secrets at rest with ASP.NET Data Protection (keys in the database, shared by every
/// instance: see Operations/OperationsSetup.cs), and the channel target an outbox row carries.
/// </summary>
public sealed class ContactSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("CreationWorkflow.Channels.Contact.v1");

    public string? Protect(string? clear) => string.IsNullOrWhiteSpace(clear) ? null : protector.Protect(clear.Trim());

    public string? Unprotect(string? stored) => stored is null ? null : protector.Unprotect(stored);

    /// <summary>An outbox row's target (URL, secret, phone), protected as one JSON value.</summary>
    public string ProtectTarget(ChannelTarget target) => protector.Protect(JsonSerializer.Serialize(target));

    public ChannelTarget UnprotectTarget(string stored) =>
        JsonSerializer.Deserialize<ChannelTarget>(protector.Unprotect(stored)) ?? throw new InvalidOperationException("Empty channel target.");
}

/// <summary>Where a channel message goes: the robot or webhook URL and its secret, or the phone an SMS is for.</summary>
public sealed record ChannelTarget(string Address, string? Secret = null);
