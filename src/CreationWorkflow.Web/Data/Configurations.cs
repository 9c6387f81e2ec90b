using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Data;

internal sealed class ProgrammeConfiguration : IEntityTypeConfiguration<ProgrammeRecord>
{
    public void Configure(EntityTypeBuilder<ProgrammeRecord> b)
    {
        b.ToTable("programmes");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).HasMaxLength(64);
        b.Property(p => p.Title).HasMaxLength(200);
        b.Property(p => p.DocumentNumber).HasMaxLength(100);
        b.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.ProgrammeId);
    }
}

internal sealed class ProgrammeVersionConfiguration : IEntityTypeConfiguration<ProgrammeVersionRecord>
{
    public void Configure(EntityTypeBuilder<ProgrammeVersionRecord> b)
    {
        b.ToTable("programme_versions");
        b.HasKey(v => new { v.ProgrammeId, v.Version });
        b.Property(v => v.ContentHash).HasMaxLength(64);
        b.HasIndex(v => new { v.ProgrammeId, v.ContentHash }).IsUnique();
    }
}

internal sealed class UnitConfiguration : IEntityTypeConfiguration<UnitRecord>
{
    public void Configure(EntityTypeBuilder<UnitRecord> b)
    {
        b.ToTable("units");
        b.HasKey(u => u.Id);
        b.Property(u => u.Name).HasMaxLength(100);
        b.Property(u => u.FullName).HasMaxLength(200);
        b.Property(u => u.Code).HasMaxLength(20);
        b.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
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
        b.Property(m => m.GroupName).HasMaxLength(100);
        b.Property(m => m.UnitName).HasMaxLength(100);
        b.HasOne<ProgrammeRecord>().WithMany().HasForeignKey(m => m.ProgrammeId);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_log");
        b.HasKey(a => a.Id);
        b.Property(a => a.Actor).HasMaxLength(100);
        b.Property(a => a.Action).HasMaxLength(100);
        b.Property(a => a.Entity).HasMaxLength(100);
        b.Property(a => a.EntityId).HasMaxLength(200);
        b.HasIndex(a => new { a.Entity, a.EntityId });
        b.HasIndex(a => a.At);
    }
}
