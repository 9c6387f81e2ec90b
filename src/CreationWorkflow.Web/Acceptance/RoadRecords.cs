using CreationWorkflow.Core.Acceptance;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>A city campaign's road after the 90-point gate (验收之路): its stage, and the date it was named, once named.</summary>
public sealed class RoadRecord
{
    public Guid CampaignId { get; set; }
    public RoadStage Stage { get; set; }
    public DateOnly? NamedOn { get; set; }
    public int Revision { get; set; }
    public List<RoadStepRecord> Steps { get; set; } = [];
}

/// <summary>One recorded step of the road: what (<see cref="Trigger"/>), on which date, its result and notes, its documents.</summary>
public sealed class RoadStepRecord
{
    public Guid Id { get; set; }
    public Guid CampaignId { get; set; }
    public RoadTrigger Trigger { get; set; }

    /// <summary>The stage the road reached with this step.</summary>
    public RoadStage Stage { get; set; }

    /// <summary>When it happened (申报, 初验, the visit, 命名, the review): the office's date, not the recording time.</summary>
    public DateOnly Date { get; set; }
    public string? Result { get; set; }
    public string? Notes { get; set; }

    /// <summary>A yearly review's year of the 巩固提升 term (1…<see cref="RoadLifecycle.TermYears"/>); null for other steps.</summary>
    public int? TermYear { get; set; }

    /// <summary>A yearly review's self-check against the same list: the reviewed score on the day it was recorded.</summary>
    public decimal? Score { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public List<RoadFileRecord> Files { get; set; } = [];
}

/// <summary>A document of a road step, stored as evidence is (bounded, sniffed, under a server-chosen name).</summary>
public sealed class RoadFileRecord : StoredFileRecord
{
    public Guid StepId { get; set; }
}

internal sealed class RoadConfiguration : IEntityTypeConfiguration<RoadRecord>
{
    public void Configure(EntityTypeBuilder<RoadRecord> b)
    {
        b.ToTable("acceptance_roads");
        b.HasKey(r => r.CampaignId);
        b.Property(r => r.Stage).HasMaxLength(24);
        b.Property(r => r.Revision).IsConcurrencyToken();
        b.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.CampaignId);
        b.HasOne<Campaigns.CampaignRecord>().WithOne().HasForeignKey<RoadRecord>(r => r.CampaignId);
    }
}

internal sealed class RoadStepConfiguration : IEntityTypeConfiguration<RoadStepRecord>
{
    public void Configure(EntityTypeBuilder<RoadStepRecord> b)
    {
        b.ToTable("acceptance_road_steps");
        b.Property(s => s.Trigger).HasMaxLength(24);
        b.Property(s => s.Stage).HasMaxLength(24);
        b.Property(s => s.Score).HasPrecision(6, 2);
        b.HasIndex(s => new { s.CampaignId, s.Date });
        b.HasMany(s => s.Files).WithOne().HasForeignKey(f => f.StepId);
    }
}

internal sealed class RoadFileConfiguration : IEntityTypeConfiguration<RoadFileRecord>
{
    public void Configure(EntityTypeBuilder<RoadFileRecord> b)
    {
        b.MapStoredFile("acceptance_road_files");
    }
}
