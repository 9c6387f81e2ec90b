using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Reminders;

public enum TimerState { Pending, Fired, Skipped, Cancelled }

/// <summary>
/// A durable timer: a row that fires once at <see cref="FireAt"/>. Its <see cref="OccurrenceKey"/> is unique,
/// so a reminder can be planned twice (after a crash, by two instances) but exists and fires only once.
/// </summary>
public sealed class TimerRecord
{
    public long Id { get; set; }
    public DateTimeOffset FireAt { get; set; }
    public required string Kind { get; set; }
    public Guid? AssignmentId { get; set; }
    public Guid? CampaignId { get; set; }
    public required string OccurrenceKey { get; set; }
    public TimerState State { get; set; }
    public DateTimeOffset? FiredAt { get; set; }
}

/// <summary>What a unit (or the office, or the inspectors) is told: shown in-app, and mailed in a digest.</summary>
public sealed class NotificationRecord
{
    public long Id { get; set; }
    public required string OccurrenceKey { get; set; }
    public Guid? CampaignId { get; set; }
    public Guid? AssignmentId { get; set; }

    /// <summary>
    /// The programme whose unit directory names the recipient (where its mail address is). When null the digest
    /// takes it from the campaign.
    /// </summary>
    public string? ProgrammeId { get; set; }

    /// <summary>A unit name, or a role recipient: <see cref="Recipients.Office"/>, <see cref="Recipients.Inspectors"/>.</summary>
    public required string Recipient { get; set; }

    public required NotificationKind Kind { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>The outbox message that carried it by mail; null while waiting for the next digest.</summary>
    public long? OutboxMessageId { get; set; }

    /// <summary>No mail address for the recipient when the digest ran: shown in-app only, never mailed.</summary>
    public bool MailSkipped { get; set; }

    /// <summary>Its channel messages (robots, webhook, SMS) are in the outbox, or it had none to send (Channels/ChannelFanout).</summary>
    public bool ChannelsQueued { get; set; }

    /// <summary>
    /// When the sweep of <see cref="UnreadEscalation"/> claimed this unread notice and told the leaders; null until then.
    /// Set in the same transaction as the escalation notice, so it is told once.
    /// </summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>A notice of <paramref name="kind"/> with its text (the title clipped to the column's 300 characters).</summary>
    public static NotificationRecord Of(string occurrenceKey, Guid? campaignId, string? programmeId, string recipient, NotificationKind kind,
        ReminderText text, string? link, DateTimeOffset now) => new()
    {
        OccurrenceKey = occurrenceKey,
        CampaignId = campaignId,
        ProgrammeId = programmeId,
        Recipient = recipient,
        Kind = kind,
        Title = text.Title.Length <= TitleLength ? text.Title : text.Title[..(TitleLength - 1)] + "…",
        Body = text.Body,
        Link = link,
        CreatedAt = now,
    };

    public const int TitleLength = 300;
}

public static class Recipients
{
    public const string Office = "role:office";
    public const string Inspectors = "role:inspector";
    public const string Leaders = "role:leader";

    /// <summary>Where a notice to an assignment's unit goes: the office's own steps (unit 创建办) go to the office role.</summary>
    public static string ForUnit(string unit) => unit == Core.Workflows.CampaignPlanner.Office ? Office : unit;
}

internal sealed class TimerConfiguration : IEntityTypeConfiguration<TimerRecord>
{
    public void Configure(EntityTypeBuilder<TimerRecord> b)
    {
        b.ToTable("timers");
        b.Property(t => t.Kind).HasMaxLength(32);
        b.HasIndex(t => t.OccurrenceKey).IsUnique();
        b.HasIndex(t => new { t.State, t.FireAt });
        b.HasIndex(t => t.AssignmentId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<NotificationRecord>
{
    public void Configure(EntityTypeBuilder<NotificationRecord> b)
    {
        b.ToTable("notifications");
        b.Property(n => n.Kind).HasConversion(k => k.Spelling(), s => NotificationKinds.Parse(s)).HasMaxLength(32);
        b.Property(n => n.Title).HasMaxLength(NotificationRecord.TitleLength);
        b.Property(n => n.Link).HasMaxLength(300);
        b.HasIndex(n => n.OccurrenceKey).IsUnique();
        b.HasIndex(n => new { n.Recipient, n.CreatedAt });
        b.HasIndex(n => n.OutboxMessageId);
        b.HasIndex(n => new { n.ChannelsQueued, n.Id });
        // Unread notices per recipient (the office's unread-per-unit count) and by age (the unread escalation sweep).
        b.HasIndex(n => new { n.Recipient, n.CreatedAt }, "IX_notifications_unread").HasFilter("\"ReadAt\" IS NULL");
    }
}
