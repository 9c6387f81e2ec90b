using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Campaigns;

/// <summary>A running instance of a workflow definition over a programme, from a start date. Stays on the versions it started with.</summary>
public sealed class CampaignRecord
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string ProgrammeId { get; set; }
    public int ProgrammeVersion { get; set; }
    public required string WorkflowId { get; set; }
    public int WorkflowVersion { get; set; }
    public DateOnly StartDate { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public List<CampaignPhaseRecord> Phases { get; set; } = [];

    /// <summary>
    /// Whether the application step (the 90-point gate) was open at the last change of the reviewed score; kept only
    /// to notice when it opens or closes, so the office and the leadership group are told once each way.
    /// </summary>
    public bool GateOpen { get; set; }
}

/// <summary>A phase window of a campaign, shifted from the template by the campaign's start date.</summary>
public sealed class CampaignPhaseRecord : Data.ICampaignData
{
    public Guid CampaignId { get; set; }
    public required string PhaseId { get; set; }
    public required string Name { get; set; }
    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<CampaignRecord>
{
    public void Configure(EntityTypeBuilder<CampaignRecord> b)
    {
        b.ToTable("campaigns");
        b.Property(c => c.Name).HasMaxLength(200);
        b.HasMany(c => c.Phases).WithOne().HasForeignKey(p => p.CampaignId);
    }
}

internal sealed class CampaignPhaseConfiguration : IEntityTypeConfiguration<CampaignPhaseRecord>
{
    public void Configure(EntityTypeBuilder<CampaignPhaseRecord> b)
    {
        b.ToTable("campaign_phases");
        b.HasKey(p => new { p.CampaignId, p.PhaseId });
        b.Property(p => p.Name).HasMaxLength(50);
    }
}
