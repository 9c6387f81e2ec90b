using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Operations;

public enum IncidentKind { Timer, Checkpoint }

public enum IncidentState { Open, Retried, Discarded }

/// <summary>
/// Something the system could not do on its own and the office must decide on: a timer skipped because firing it
/// failed, or a checkpoint run that failed. Failed mail is the outbox's own Failed state. Each has its error.
/// </summary>
public sealed class IncidentRecord
{
    public long Id { get; set; }
    public IncidentKind Kind { get; set; }

    /// <summary>The timer's id, or the checkpoint run's occurrence key: one open incident per reference.</summary>
    public required string Reference { get; set; }

    public Guid? CampaignId { get; set; }

    /// <summary>Checkpoint runs: the checkpoint, its name and the scheduled firing (what a retry runs again).</summary>
    public string? CheckpointId { get; set; }
    public string? CheckpointName { get; set; }
    public DateTimeOffset? ScheduledAt { get; set; }

    public required string Error { get; set; }
    public int Attempts { get; set; } = 1;
    public IncidentState State { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }

    /// <summary>An exception as an operator reads it: type and message, inner cause, at most 2,000 characters.</summary>
    public static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        if (e.InnerException is { } inner)
        {
            text += $" ({inner.GetType().Name}: {inner.Message})";
        }
        return text.Length <= 2000 ? text : text[..2000];
    }
}

/// <summary>A client's Idempotency-Key for a campaign start: a retried request returns the first campaign.</summary>
public sealed class IdempotencyKeyRecord
{
    public required string Owner { get; set; }
    public required string Key { get; set; }
    public Guid CampaignId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<IncidentRecord>
{
    public void Configure(EntityTypeBuilder<IncidentRecord> b)
    {
        b.ToTable("incidents");
        b.HasIndex(i => new { i.State, i.Kind });
        b.HasIndex(i => new { i.Kind, i.Reference });
    }
}

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKeyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyKeyRecord> b)
    {
        b.ToTable("idempotency_keys");
        b.HasKey(k => new { k.Owner, k.Key });
        b.Property(k => k.Key).HasMaxLength(IdempotencyKeys.MaxLength);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b) => b.ToTable("data_protection_keys");
}

/// <summary>A client's key, scoped to the signed-in user who sent it.</summary>
public sealed record IdempotencyKey(string Owner, string Value);

public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 100;

    /// <summary>The header's value, checked: printable ASCII, at most <see cref="MaxLength"/> characters; null when absent.</summary>
    public static IdempotencyKey? Read(HttpContext http)
    {
        if (!http.Request.Headers.TryGetValue(Header, out var values))
        {
            return null;
        }
        var key = values.ToString().Trim();
        if (key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~'))
        {
            throw new Infrastructure.DomainException(Header, $"请求头 {Header} 须为1至{MaxLength}个可见ASCII字符。");
        }
        return new IdempotencyKey(http.User.Identity?.Name ?? "?", key);
    }
}
