using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Bulletins;

/// <summary>
/// A stored 通报 (创建工作进展通报) of one campaign for one month: its DOCX and XLSX bytes with their SHA-256, the period,
/// the day its figures are as of, and who built it when. One per campaign and period (unique index), so a cron firing
/// repeated on another instance or after a restart builds nothing more.
/// </summary>
public sealed class BulletinRecord
{
    public long Id { get; set; }
    public Guid CampaignId { get; set; }

    /// <summary>The month reported on, yyyy-MM (<see cref="BulletinPeriod.Key"/>).</summary>
    public required string Period { get; set; }

    /// <summary>The day the figures are as of (the board on that day shows the same).</summary>
    public DateOnly AsOf { get; set; }

    public required string Title { get; set; }
    public DateTimeOffset BuiltAt { get; set; }
    public required string BuiltBy { get; set; }

    /// <summary>Built by the cron (on the month's first working day) rather than on demand by the office.</summary>
    public bool Scheduled { get; set; }

    public required byte[] Docx { get; set; }
    public required string DocxSha256 { get; set; }
    public required byte[] Xlsx { get; set; }
    public required string XlsxSha256 { get; set; }
}

internal sealed class BulletinConfiguration : IEntityTypeConfiguration<BulletinRecord>
{
    public void Configure(EntityTypeBuilder<BulletinRecord> b)
    {
        b.ToTable("bulletins");
        b.Property(x => x.Period).HasMaxLength(7);
        b.Property(x => x.Title).HasMaxLength(300);
        b.HasIndex(x => new { x.CampaignId, x.Period }).IsUnique();
        b.HasOne<Campaigns.CampaignRecord>().WithMany().HasForeignKey(x => x.CampaignId);
    }
}
