namespace CreationWorkflow.Web.Assignments;

/// <summary>The query behind an assignment's trail (audit entries, notices, progress reports with their files), for the API and the page.</summary>
public static class AssignmentTrail
{
    /// <summary>The trail of an assignment the caller was already allowed to see.</summary>
    public static async Task<TrailView> LoadAsync(AssignmentRecord row, AppDbContext db, CancellationToken ct)
    {
        var key = row.Id.ToString();
        var audit = await db.Audit.Where(a => a.Entity == AuditEntities.Assignment && a.EntityId == key).OrderBy(a => a.Id)
            .Select(a => new AuditView(a.At, a.Actor, a.Action, a.Before, a.After)).ToListAsync(ct);
        var notices = await db.Notifications.Where(n => n.AssignmentId == row.Id).OrderBy(n => n.Id)
            .Select(n => new TrailNotice(n.CreatedAt, n.Recipient, n.Kind.Spelling(), n.Title)).ToListAsync(ct);
        var reports = await db.ProgressReports.Where(p => p.AssignmentId == row.Id).OrderBy(p => p.Id).ToListAsync(ct);
        var files = await db.EvidenceFiles.Where(f => f.AssignmentId == row.Id).ToListAsync(ct);
        var progress = reports.Select(r => new ProgressView(r.Id, r.At, r.By, r.Text,
            [.. files.Where(f => f.ProgressReportId == r.Id).Select(f => new EvidenceView(f.Id, f.FileName, f.ContentType, f.Size, f.Sha256, f.UploadedAt))])).ToList();
        return new TrailView(audit, notices, progress);
    }
}
