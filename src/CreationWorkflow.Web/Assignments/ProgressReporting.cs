namespace CreationWorkflow.Web.Assignments;

/// <summary>进展填报: a progress text plus evidence files, for the API and the assignment page alike.</summary>
public sealed class ProgressReporting(AssignmentService service, EvidenceStore store, AppDbContext db, TimeProvider clock)
{
    /// <summary>Records the report with its files in the transition's transaction; refused, nothing is kept (the saved files are deleted).</summary>
    public async Task<AssignmentRecord> ReportAsync(Guid id, string text, IEnumerable<IFormFile>? files, ClaimsPrincipal user, CancellationToken ct)
    {
        var row = user.EnsureVisible(await service.FindAsync(id, ct));
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DomainException("text", "请填写进展情况。");
        }
        Input.Text(text, "text", required: true);
        var uploads = files?.ToList() ?? [];
        store.Validate(uploads);
        var actor = user.ActorFor(row);
        return await store.KeepingAsync(uploads, async stored =>
        {
            var by = user.NameOf();
            await service.ApplyAsync(row, (l, at) => l.ReportProgress(actor, at, text), by, ct, _ =>
            {
                var now = clock.GetUtcNow();
                var report = new ProgressReportRecord { AssignmentId = row.Id, Text = text.Trim(), By = by, At = now };
                db.ProgressReports.Add(report);
                foreach (var f in stored)
                {
                    db.EvidenceFiles.Add(new EvidenceFileRecord { AssignmentId = row.Id, ItemNo = row.ItemNo, ProgressReport = report }.Of(f, by, now));
                }
            });
            return row;
        }, ct);
    }
}
