using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Data;

/// <summary>
/// An uploaded file as every feature keeps it (evidence, instruction answers, road documents, inspection photos): its
/// name as uploaded, its name in the store, type, size, SHA-256, who uploaded it and when. Each feature's record adds
/// what the file belongs to.
/// </summary>
public abstract class StoredFileRecord
{
    public Guid Id { get; set; }
    public string FileName { get; set; } = "";
    public string StoredName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string UploadedBy { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
}

public static class StoredFileRecords
{
    /// <summary>Fills a record from a file just saved by <see cref="EvidenceStore"/>; its id is time-ordered.</summary>
    public static T Of<T>(this T record, StoredFile file, string uploadedBy, DateTimeOffset now) where T : StoredFileRecord
    {
        record.Id = Guid.CreateVersion7(now);
        (record.FileName, record.StoredName, record.ContentType, record.Size, record.Sha256) = (file.FileName, file.StoredName, file.ContentType, file.Size, file.Sha256);
        (record.UploadedBy, record.UploadedAt) = (uploadedBy, now);
        return record;
    }

    /// <summary>The columns every file table shares, with their lengths.</summary>
    public static EntityTypeBuilder<T> MapStoredFile<T>(this EntityTypeBuilder<T> b, string table) where T : StoredFileRecord
    {
        b.ToTable(table);
        b.Property(f => f.FileName).HasMaxLength(255);
        return b;
    }
}
