using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Assignments;

/// <summary>Where one line of a per-unit report stands. The report (the assignment) is done when every line is approved.</summary>
public enum ReportLineState
{
    /// <summary>草稿: being filled (or not yet); the unit may change it.</summary>
    Draft,

    /// <summary>已报送: sent with the report, waiting for the line's reviewer.</summary>
    Submitted,

    /// <summary>已退回: the reviewer sent this line back; the unit fixes it and submits the report again.</summary>
    Returned,

    /// <summary>已通过.</summary>
    Approved,
}

/// <summary>
/// One line of a per-unit report (a step with <c>"grain": "unit"</c>): the unit's progress on one item this period, or
/// 本期无新进展 with a reason. Reviewed on its own by <see cref="ReviewerUnit"/> (that item's lead unit; null = the office).
/// Evidence uploaded on the line is an <see cref="EvidenceFileRecord"/> of the report carrying the line's item number;
/// evidence filed before is cited (<see cref="ReportLineCitationRecord"/>) rather than uploaded again (同类材料只报一次).
/// </summary>
public sealed class ReportLineRecord
{
    public long Id { get; set; }
    public Guid AssignmentId { get; set; }
    public int ItemNo { get; set; }
    public string? ReviewerUnit { get; set; }
    public ReportLineState State { get; set; }
    public string? Text { get; set; }
    public bool NoProgress { get; set; }
    public string? NoProgressReason { get; set; }
    public string? ReturnReason { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency, as on the assignment.</summary>
    public int Revision { get; set; }

    /// <summary>Filled: progress text, or 本期无新进展 with its reason.</summary>
    public bool Filled => NoProgress ? !string.IsNullOrWhiteSpace(NoProgressReason) : !string.IsNullOrWhiteSpace(Text);
}

/// <summary>An evidence file filed before (on any of the unit's assignments of the campaign) that a line cites instead of a new upload.</summary>
public sealed class ReportLineCitationRecord
{
    public long LineId { get; set; }
    public Guid EvidenceFileId { get; set; }
}

internal sealed class ReportLineConfiguration : IEntityTypeConfiguration<ReportLineRecord>
{
    public void Configure(EntityTypeBuilder<ReportLineRecord> b)
    {
        b.ToTable("report_lines");
        b.Property(l => l.State).HasMaxLength(20);
        b.Property(l => l.Revision).IsConcurrencyToken();
        b.Ignore(l => l.Filled);
        b.HasOne<AssignmentRecord>().WithMany().HasForeignKey(l => l.AssignmentId);
        b.HasIndex(l => new { l.AssignmentId, l.ItemNo }).IsUnique();
        // The lead unit's review queue, grouped by item (ReportService.ReviewQueueAsync reads it in item order).
        b.HasIndex(l => new { l.ReviewerUnit, l.State, l.ItemNo });
    }
}

internal sealed class ReportLineCitationConfiguration : IEntityTypeConfiguration<ReportLineCitationRecord>
{
    public void Configure(EntityTypeBuilder<ReportLineCitationRecord> b)
    {
        b.ToTable("report_line_citations");
        b.HasKey(c => new { c.LineId, c.EvidenceFileId });
        b.HasOne<ReportLineRecord>().WithMany().HasForeignKey(c => c.LineId);
        b.HasOne<EvidenceFileRecord>().WithMany().HasForeignKey(c => c.EvidenceFileId);
    }
}
