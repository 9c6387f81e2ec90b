using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Assignments;

/// <summary>
/// One unit's duty for one item in one step (and period) of a campaign, as stored. Its state changes only
/// through <see cref="AssignmentLifecycle"/>; overdue is derived from the clock, never stored.
/// </summary>
public sealed class AssignmentRecord : Data.ICampaignData
{
    public Guid Id { get; set; }
    public Guid CampaignId { get; set; }
    public required string ProgrammeId { get; set; }
    public required string StepId { get; set; }
    public required string PhaseId { get; set; }
    public int? ItemNo { get; set; }
    public required string Unit { get; set; }
    public int? Period { get; set; }
    public string? PeriodLabel { get; set; }
    public DateOnly DueDate { get; set; }
    public AssignmentState State { get; set; }
    public string? ReviewerUnit { get; set; }
    public bool Evidence { get; set; }
    public string? ReturnReason { get; set; }
    public DateOnly? ExtensionRequestedDueDate { get; set; }
    public string? ExtensionReason { get; set; }
    public string? ExtensionRequestedBy { get; set; }
    public DateTimeOffset? ExtensionRequestedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The first complete delivery (<see cref="Assignment.SubmittedAt"/>, UTC), kept through a return and resubmission.</summary>
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>
    /// <see cref="SubmittedAt"/> as a date in the programme's time zone, stored beside it so that SQL counts on-time work
    /// (<see cref="Deadline.OnTime"/>: delivered on or before the due date) with a date comparison. Written only with it.
    /// </summary>
    public DateOnly? SubmittedOn { get; set; }

    /// <summary>Optimistic concurrency: two people acting on one assignment at once cannot both win.</summary>
    public int Revision { get; set; }
}

/// <summary>A progress report (进展填报) on an assignment, with the evidence files it brought.</summary>
public sealed class ProgressReportRecord
{
    public long Id { get; set; }
    public Guid AssignmentId { get; set; }
    public required string Text { get; set; }
    public required string By { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>An evidence file (台账资料), stored under a server-chosen name outside the web root.</summary>
public sealed class EvidenceFileRecord : StoredFileRecord
{
    public Guid AssignmentId { get; set; }

    /// <summary>The item the file is evidence for: the assignment's item, or the report line's item on a per-unit report.</summary>
    public int? ItemNo { get; set; }

    /// <summary>The report line it was uploaded on (per-unit reports).</summary>
    public long? ReportLineId { get; set; }
    public long? ProgressReportId { get; set; }
    public ProgressReportRecord? ProgressReport { get; set; }
}

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<AssignmentRecord>
{
    public void Configure(EntityTypeBuilder<AssignmentRecord> b)
    {
        b.ToTable("assignments");
        b.Property(a => a.PeriodLabel).HasMaxLength(50);
        b.Property(a => a.State).HasMaxLength(20);
        b.Property(a => a.Revision).IsConcurrencyToken();
        b.HasOne<Campaigns.CampaignRecord>().WithMany().HasForeignKey(a => a.CampaignId);
        b.HasIndex(a => new { a.CampaignId, a.StepId, a.ItemNo, a.Unit, a.Period }).IsUnique();
        b.HasIndex(a => new { a.Unit, a.DueDate });
        b.HasIndex(a => new { a.CampaignId, a.State, a.DueDate });
        // 待我审核 (inbox, /api/assignments/mine?view=review): a lead unit's submissions, oldest due first.
        b.HasIndex(a => new { a.ReviewerUnit, a.State, a.DueDate });
        // The board across campaigns: the late, then the rest, each read in due-date order up to the page (SupervisionBoard).
        b.HasIndex(a => a.DueDate);
    }
}

internal sealed class ProgressReportConfiguration : IEntityTypeConfiguration<ProgressReportRecord>
{
    public void Configure(EntityTypeBuilder<ProgressReportRecord> b)
    {
        b.ToTable("progress_reports");
        b.HasOne<AssignmentRecord>().WithMany().HasForeignKey(p => p.AssignmentId);
        b.HasIndex(p => p.AssignmentId);
    }
}

internal sealed class EvidenceFileConfiguration : IEntityTypeConfiguration<EvidenceFileRecord>
{
    public void Configure(EntityTypeBuilder<EvidenceFileRecord> b)
    {
        b.MapStoredFile("evidence_files");
        b.HasOne<AssignmentRecord>().WithMany().HasForeignKey(e => e.AssignmentId);
        b.HasOne(e => e.ProgressReport).WithMany().HasForeignKey(e => e.ProgressReportId);
        b.HasIndex(e => e.AssignmentId);
        b.HasOne<ReportLineRecord>().WithMany().HasForeignKey(e => e.ReportLineId);
    }
}
