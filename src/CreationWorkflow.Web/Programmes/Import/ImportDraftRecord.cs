using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Programmes.Import;

/// <summary>
/// An imported list waiting for the office to confirm units and flagged clauses and publish it. The draft is the whole
/// parsed list as JSON (Core's ListDraft); nothing of it is in the programme tables until it is published, and
/// publishing or discarding removes it.
/// </summary>
public sealed class ImportDraftRecord
{
    public Guid Id { get; set; }
    public required string FileName { get; set; }

    /// <summary>The programme it publishes: an existing id (a new version) or a new one.</summary>
    public required string ProgrammeId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string Json { get; set; }
}

internal sealed class ImportDraftConfiguration : IEntityTypeConfiguration<ImportDraftRecord>
{
    public void Configure(EntityTypeBuilder<ImportDraftRecord> b)
    {
        b.ToTable("import_drafts");
        b.Property(d => d.FileName).HasMaxLength(200);
    }
}
