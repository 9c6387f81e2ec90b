using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Calendar;

/// <summary>
/// A unit's secret calendar feed (日程订阅): only the SHA-256 of its token is stored, so the database never holds a
/// usable link. At most one per unit is active (not revoked); rotating revokes the old one in the same transaction.
/// </summary>
public sealed class CalendarFeedRecord
{
    public long Id { get; set; }
    public required string Unit { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token in the URL.</summary>
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeedRecord>
{
    public void Configure(EntityTypeBuilder<CalendarFeedRecord> b)
    {
        b.ToTable("calendar_feeds");
        b.HasIndex(f => f.TokenHash).IsUnique();
        // One active feed per unit: two rotations racing cannot both leave a live link.
        b.HasIndex(f => f.Unit, "IX_calendar_feeds_active_unit").IsUnique().HasFilter("\"RevokedAt\" IS NULL");
    }
}

/// <summary>Section "CreationWorkflow:Calendar".</summary>
public sealed class CalendarOptions
{
    public const string Section = "CreationWorkflow:Calendar";

    /// <summary>Feed requests per client address per <see cref="FeedWindow"/> (calendar apps poll every 15 minutes or more).</summary>
    public int FeedPermitLimit { get; set; } = 60;

    public TimeSpan FeedWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many events in one feed (the nearest deadlines first).</summary>
    public int MaxEvents { get; set; } = 500;
}
