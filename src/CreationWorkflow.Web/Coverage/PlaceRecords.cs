using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Coverage;

/// <summary>The office's review of a place as entered or changed by its county: 待审核, 已审核, 已退回 (with the reason).</summary>
public enum PlaceReview { Pending, Approved, Returned }

/// <summary>
/// One creating place (创建单位) of the register: a 机关, school, village, religious site… of one division (county or
/// district), under one field of the 7+N, with its lifecycle state (<see cref="PlaceLifecycle"/>), its naming level and
/// date once named, whether it is a 十百工程 demonstration point, and the office's review. Unique by programme, division,
/// field and name.
/// </summary>
public sealed class PlaceRecord
{
    public long Id { get; set; }
    public required string ProgrammeId { get; set; }
    public required string Division { get; set; }
    public required string Field { get; set; }
    public required string Name { get; set; }
    public PlaceState State { get; set; }

    /// <summary>命名级别 (县级, 市级, 自治区级, 全国), once named.</summary>
    public Level? Level { get; set; }

    public DateOnly? NamedOn { get; set; }

    /// <summary>The year of <see cref="NamedOn"/>, stored so coverage can GROUP BY it on both providers.</summary>
    public int? NamedYear { get; set; }

    /// <summary>A 十百工程 demonstration point (示范点).</summary>
    public bool TenHundred { get; set; }

    public PlaceReview Review { get; set; }
    public string? ReviewNote { get; set; }
    public required string EnteredBy { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public int Revision { get; set; }
}

/// <summary>How many places of a field a division has (the coverage denominator), with where the figure comes from.</summary>
public sealed class DenominatorRecord
{
    public long Id { get; set; }
    public required string ProgrammeId { get; set; }
    public required string Division { get; set; }
    public required string Field { get; set; }
    public int Count { get; set; }
    public required string Source { get; set; }
    public required string EnteredBy { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
}

internal sealed class PlaceConfiguration : IEntityTypeConfiguration<PlaceRecord>
{
    public void Configure(EntityTypeBuilder<PlaceRecord> b)
    {
        b.ToTable("places");
        b.Property(p => p.Name).HasMaxLength(100);
        b.Property(p => p.Revision).IsConcurrencyToken();
        b.HasIndex(p => new { p.ProgrammeId, p.Division, p.Field, p.Name }).IsUnique();
        b.HasIndex(p => new { p.ProgrammeId, p.Review, p.Division, p.Field });
    }
}

internal sealed class DenominatorConfiguration : IEntityTypeConfiguration<DenominatorRecord>
{
    public void Configure(EntityTypeBuilder<DenominatorRecord> b)
    {
        b.ToTable("place_denominators");
        b.Property(d => d.Source).HasMaxLength(200);
        b.HasIndex(d => new { d.ProgrammeId, d.Division, d.Field }).IsUnique();
    }
}
