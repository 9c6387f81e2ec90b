using CreationWorkflow.Core.Inspection;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Inspection;

/// <summary>
/// A peer inspection (互观互检) of one item of a campaign: <see cref="Inspector"/> checks <see cref="Inspected"/>'s work on
/// <see cref="Item"/> against a checklist built from the item's rules and methods (<see cref="Core.Scoring.EvidencePlan.Checklist"/>).
/// </summary>
public sealed class PeerInspectionRecord
{
    public Guid Id { get; set; }
    public Guid CampaignId { get; set; }
    public required string Inspector { get; set; }
    public required string Inspected { get; set; }

    /// <summary>The item's key ("12").</summary>
    public required string Item { get; set; }

    public PeerInspectionState State { get; set; }
    public required string AssignedBy { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>When and why the office cancelled it (已撤销) while it was open.</summary>
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }

    public int Revision { get; set; }
    public List<PeerFindingRecord> Lines { get; set; } = [];
}

/// <summary>One checklist line as the inspecting unit recorded it: 符合 or 不符合, a note, photos; and the 督办单 it became.</summary>
public sealed class PeerFindingRecord
{
    public Guid Id { get; set; }
    public Guid InspectionId { get; set; }
    public required string RuleId { get; set; }
    public PeerVerdict Verdict { get; set; }
    public string? Note { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The rectification task (督办单) the office opened from this finding.</summary>
    public Guid? OrderId { get; set; }

    public List<PeerPhotoRecord> Photos { get; set; } = [];
}

/// <summary>A photo of a checklist line, stored as evidence is (bounded, sniffed, under a server-chosen name).</summary>
public sealed class PeerPhotoRecord : StoredFileRecord
{
    public Guid FindingId { get; set; }
}

internal sealed class PeerInspectionConfiguration : IEntityTypeConfiguration<PeerInspectionRecord>
{
    public void Configure(EntityTypeBuilder<PeerInspectionRecord> b)
    {
        b.ToTable("peer_inspections");
        b.Property(i => i.Item).HasMaxLength(8);
        b.Property(i => i.CancelReason).HasMaxLength(Infrastructure.Input.TextLength);
        b.Property(i => i.Revision).IsConcurrencyToken();
        b.HasOne<Campaigns.CampaignRecord>().WithMany().HasForeignKey(i => i.CampaignId);
        b.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InspectionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.CampaignId, i.Inspector, i.Inspected, i.Item }).IsUnique();
        b.HasIndex(i => new { i.CampaignId, i.Item });
    }
}

internal sealed class PeerFindingConfiguration : IEntityTypeConfiguration<PeerFindingRecord>
{
    public void Configure(EntityTypeBuilder<PeerFindingRecord> b)
    {
        b.ToTable("peer_findings");
        b.HasOne<Supervision.SupervisionOrderRecord>().WithMany().HasForeignKey(f => f.OrderId);
        b.HasMany(f => f.Photos).WithOne().HasForeignKey(p => p.FindingId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => new { f.InspectionId, f.RuleId }).IsUnique();
    }
}

internal sealed class PeerPhotoConfiguration : IEntityTypeConfiguration<PeerPhotoRecord>
{
    public void Configure(EntityTypeBuilder<PeerPhotoRecord> b)
    {
        b.MapStoredFile("peer_photos");
    }
}
