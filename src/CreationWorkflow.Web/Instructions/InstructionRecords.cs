using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Instructions;

/// <summary>
/// A leader's written instruction (领导批示) on an item, a 督办单 or a 工作进展通报 of a campaign: a task for the named units
/// (<see cref="Targets"/>) with a deadline, its own reminders, the units' 办理情况 and the leader's 办结.
/// </summary>
public sealed class InstructionRecord
{
    public Guid Id { get; set; }
    public Guid CampaignId { get; set; }
    public InstructionSubject Subject { get; set; }

    /// <summary>What it is written on: the item's key (12, B3), the order's id, the bulletin's period (2023-05).</summary>
    public required string SubjectKey { get; set; }

    /// <summary>The subject as the pages name it when it was written: 第12项“…”, 督办〔2023〕1号, 2023年5月工作进展通报.</summary>
    public required string SubjectTitle { get; set; }

    public required string Text { get; set; }
    public DateOnly DueDate { get; set; }
    public required string IssuedBy { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public InstructionState State { get; set; }
    public string? CloseNote { get; set; }
    public string? ClosedBy { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int Revision { get; set; }
    public List<InstructionTargetRecord> Targets { get; set; } = [];
}

/// <summary>One named unit of an instruction and its 办理情况 (answered once, with optional files).</summary>
public sealed class InstructionTargetRecord
{
    public Guid Id { get; set; }
    public Guid InstructionId { get; set; }
    public required string Unit { get; set; }
    public string? Answer { get; set; }
    public string? AnsweredBy { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public List<InstructionFileRecord> Files { get; set; } = [];

    public bool Answered => AnsweredAt is not null;
}

/// <summary>A file a unit sent with its 办理情况, stored as evidence is (bounded, sniffed, under a server-chosen name).</summary>
public sealed class InstructionFileRecord : StoredFileRecord
{
    public Guid TargetId { get; set; }
}

internal sealed class InstructionConfiguration : IEntityTypeConfiguration<InstructionRecord>
{
    public void Configure(EntityTypeBuilder<InstructionRecord> b)
    {
        b.ToTable("instructions");
        b.Property(i => i.SubjectTitle).HasMaxLength(300);
        b.Property(i => i.Text).HasMaxLength(2000);
        b.Property(i => i.Revision).IsConcurrencyToken();
        b.HasIndex(i => new { i.CampaignId, i.Subject, i.SubjectKey });
        b.HasIndex(i => new { i.State, i.DueDate });
        b.HasMany(i => i.Targets).WithOne().HasForeignKey(t => t.InstructionId);
        b.HasOne<Campaigns.CampaignRecord>().WithMany().HasForeignKey(i => i.CampaignId);
    }
}

internal sealed class InstructionTargetConfiguration : IEntityTypeConfiguration<InstructionTargetRecord>
{
    public void Configure(EntityTypeBuilder<InstructionTargetRecord> b)
    {
        b.ToTable("instruction_targets");
        b.Ignore(t => t.Answered);
        b.HasIndex(t => new { t.InstructionId, t.Unit }).IsUnique();
        b.HasIndex(t => new { t.Unit, t.AnsweredAt });
        b.HasMany(t => t.Files).WithOne().HasForeignKey(f => f.TargetId);
    }
}

internal sealed class InstructionFileConfiguration : IEntityTypeConfiguration<InstructionFileRecord>
{
    public void Configure(EntityTypeBuilder<InstructionFileRecord> b)
    {
        b.MapStoredFile("instruction_files");
    }
}
