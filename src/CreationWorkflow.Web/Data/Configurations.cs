using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Data;

internal sealed class ProgrammeConfiguration : IEntityTypeConfiguration<ProgrammeRecord>
{
    public void Configure(EntityTypeBuilder<ProgrammeRecord> b)
    {
        b.ToTable("programmes");
        b.Property(p => p.Id).HasMaxLength(64);
        b.Property(p => p.Title).HasMaxLength(200);
        b.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.ProgrammeId);
    }
}

internal sealed class ProgrammeVersionConfiguration : IEntityTypeConfiguration<ProgrammeVersionRecord>
{
    public void Configure(EntityTypeBuilder<ProgrammeVersionRecord> b)
    {
        b.ToTable("programme_versions");
        b.HasKey(v => new { v.ProgrammeId, v.Version });
        b.HasIndex(v => new { v.ProgrammeId, v.ContentHash }).IsUnique();
    }
}

internal sealed class UnitConfiguration : IEntityTypeConfiguration<UnitRecord>
{
    public void Configure(EntityTypeBuilder<UnitRecord> b)
    {
        b.ToTable("units");
        b.Property(u => u.Name).HasMaxLength(100);
        b.Property(u => u.Code).HasMaxLength(20);
        b.Property(u => u.Kind).HasMaxLength(20);
        b.HasIndex(u => new { u.ProgrammeId, u.Name }).IsUnique();
        b.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(u => u.ProgrammeId);
    }
}

internal sealed class UnitGroupMemberConfiguration : IEntityTypeConfiguration<UnitGroupMemberRecord>
{
    public void Configure(EntityTypeBuilder<UnitGroupMemberRecord> b)
    {
        b.ToTable("unit_group_members");
        b.HasKey(m => new { m.ProgrammeId, m.GroupName, m.UnitName });
        b.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(m => m.ProgrammeId);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_log");
        b.HasIndex(a => new { a.Entity, a.EntityId });
        b.HasIndex(a => a.At);
    }
}
