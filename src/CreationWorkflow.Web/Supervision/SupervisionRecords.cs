using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Supervision;

/// <summary>A numbered supervision order (督办单) to one unit, with a rectification deadline (限期整改).</summary>
public sealed class SupervisionOrderRecord : ICampaignData
{
    public Guid Id { get; set; }
    public Guid CampaignId { get; set; }

    /// <summary>Sequential per campaign and year: 督办〔2022〕3号.</summary>
    public int Year { get; set; }
    public int Number { get; set; }
    public required string Unit { get; set; }
    public required string Requirement { get; set; }
    public DateOnly RectifyBy { get; set; }
    public required string IssuedBy { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public SupervisionOrderState State { get; set; }
    public string? Feedback { get; set; }
    public string? FeedbackBy { get; set; }
    public DateTimeOffset? FeedbackAt { get; set; }
    public string? Decision { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public List<SupervisionOrderAssignment> Assignments { get; set; } = [];
    public int Revision { get; set; }

    /// <summary>Where an order without assignments comes from: a finding of the region's 初验 (e.g. 自治区民宗委初验发现问题（2023-04-10）).</summary>
    public string? Source { get; set; }

    /// <summary>The road step (<see cref="Acceptance.RoadStepRecord"/>) whose finding this order rectifies; null for orders on late work.</summary>
    public Guid? RoadStepId { get; set; }

    public string Title => $"督办〔{Year}〕{Number}号";
}

public sealed class SupervisionOrderAssignment
{
    public Guid OrderId { get; set; }
    public Guid AssignmentId { get; set; }
}

/// <summary>What a supervision checkpoint (督查节点) found late, where, and since when.</summary>
public sealed class InspectionRecord
{
    public long Id { get; set; }
    public Guid CampaignId { get; set; }
    public required string CheckpointId { get; set; }
    public required string OccurrenceKey { get; set; }
    public DateTimeOffset RunAt { get; set; }
    public int OpenCount { get; set; }
    public int LateCount { get; set; }

    /// <summary>JSON: the late assignments (unit, item, step, due date, days late).</summary>
    public required string Findings { get; set; }
}

internal sealed class SupervisionOrderConfiguration : IEntityTypeConfiguration<SupervisionOrderRecord>
{
    public void Configure(EntityTypeBuilder<SupervisionOrderRecord> b)
    {
        b.ToTable("supervision_orders");
        b.Ignore(o => o.Title);
        b.Property(o => o.Source).HasMaxLength(200);
        b.HasIndex(o => o.RoadStepId);
        b.Property(o => o.Revision).IsConcurrencyToken();
        b.HasIndex(o => new { o.CampaignId, o.Year, o.Number }).IsUnique();
        b.HasIndex(o => o.Unit);
        b.HasMany(o => o.Assignments).WithOne().HasForeignKey(a => a.OrderId);
        b.HasOne<Campaigns.CampaignRecord>().WithMany().HasForeignKey(o => o.CampaignId);
    }
}

internal sealed class SupervisionOrderAssignmentConfiguration : IEntityTypeConfiguration<SupervisionOrderAssignment>
{
    public void Configure(EntityTypeBuilder<SupervisionOrderAssignment> b)
    {
        b.ToTable("supervision_order_assignments");
        b.HasKey(a => new { a.OrderId, a.AssignmentId });
    }
}

internal sealed class InspectionRecordConfiguration : IEntityTypeConfiguration<InspectionRecord>
{
    public void Configure(EntityTypeBuilder<InspectionRecord> b)
    {
        b.ToTable("inspection_records");
        b.HasIndex(r => r.OccurrenceKey).IsUnique();
        b.HasIndex(r => r.CampaignId);
    }
}
