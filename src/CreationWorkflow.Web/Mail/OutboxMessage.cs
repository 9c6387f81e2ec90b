using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Mail;

/// <summary>Discarded: a Failed message the office decided not to send (kept, with its error).</summary>
public enum OutboxState { Pending, Sent, Failed, Discarded }

/// <summary>
/// A mail waiting to be sent, written in the same transaction as the change that caused it. The dispatcher
/// sends it, retries with backoff, and keeps it (state Failed) when it cannot be sent: nothing is dropped.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>
    /// Deterministic per occurrence and channel: a resend after a crash carries the same Message-ID (mail) or
    /// Idempotency-Key (HTTP channels). Unique: a message is written once per notice, channel and contact.
    /// </summary>
    public required string MessageId { get; set; }

    public DeliveryChannel Channel { get; set; }

    /// <summary>An HTTP channel's target (URL and secret, or phone), Data Protection ciphertext; null for mail.</summary>
    public string? TargetProtected { get; set; }

    public required string To { get; set; }
    public required string ToName { get; set; }
    public required string Subject { get; set; }
    public required string BodyText { get; set; }
    public OutboxState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        b.Property(m => m.Subject).HasMaxLength(300);
        b.Property(m => m.Channel).HasMaxLength(16).HasDefaultValue(DeliveryChannel.Mail).HasSentinel((DeliveryChannel)(-1));
        b.Property(m => m.TargetProtected).HasMaxLength(4000);
        b.HasIndex(m => m.MessageId).IsUnique();
        b.HasIndex(m => new { m.State, m.Channel, m.NextAttemptAt });
    }
}
