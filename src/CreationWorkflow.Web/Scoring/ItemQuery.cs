using System.Security.Claims;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Scoring;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Scoring;

public sealed record UnitProgress(string Unit, int Assignments, int Submitted, int Approved, int Late);

public sealed record ReportFile(Guid Id, string FileName, long Size);

public sealed record SubmissionRow(Guid AssignmentId, string Unit, AssignmentState State, string StepId, string By, DateTimeOffset At, string Text, IReadOnlyList<ReportFile> Files, bool CanOpen);

public sealed record EvidenceChoice(Guid Id, string FileName, string Unit, Guid AssignmentId);

/// <summary>What the item page (<see cref="ItemModel"/>) shows of one entry, as the caller may see it.</summary>
public sealed record ItemPage(
    AssessmentScope Scope, AssessmentEntry Entry, bool CanEnter, IReadOnlyList<string> Leads, Standing Standing, ItemReviewRecord? Review,
    Dictionary<string, List<string>> Values, IReadOnlyDictionary<string, string> Sources, IReadOnlyList<UnitProgress> Progress,
    IReadOnlyList<SubmissionRow> Reports, IReadOnlyList<EvidenceChoice> EvidenceChoices);

/// <summary>The query behind the item page: the entry, its standing and review, the stored proposal, the units' reports and the evidence to cite.</summary>
public sealed class ItemQuery(AssessmentService assessment, AppDbContext db, TimeProvider clock)
{
    public const int MaxReports = 50;

    /// <summary>Null when the campaign or entry does not exist or the caller may not see it.</summary>
    public async Task<ItemPage?> LoadAsync(ClaimsPrincipal user, Guid id, string item, string? subject, CancellationToken ct)
    {
        if (await AssessmentPages.ScopeAsync(user, id, subject, assessment, db, ct) is not { } scope
            || AssessmentPages.EntryOf(scope.Programme, item) is not { } entry
            || !AssessmentPages.CanSee(user, scope, entry)
            || scope.UnitProgramme && scope.Subject.Length == 0)
        {
            return null;
        }
        var canEnter = AssessmentPages.CanEnter(user, scope, entry);
        IReadOnlyList<string> leads = scope.UnitProgramme ? [scope.Subject] : AssessmentService.LeadsOf(scope.Programme, entry.Key);
        var standing = await assessment.StandingAsync(id, scope.Subject, ct);
        var review = await db.ItemReviews.AsNoTracking().SingleOrDefaultAsync(r => r.CampaignId == id && r.Subject == scope.Subject && r.Item == entry.Key, ct);
        var stored = FactsForm.Stored(entry.Rules, await assessment.FactsAsync(id, scope.Subject, FactLayer.Proposed, ct));

        // The assignments behind this entry: its item's (in a unit assessment, the subject's own); for a bonus or penalty
        // item, which has no assignments of its own, those of its lead units.
        var assignments = db.Assignments.Where(a => a.CampaignId == id);
        assignments = entry.ItemNo is { } no
            ? assignments.Where(a => a.ItemNo == no)
            : assignments.Where(a => leads.Contains(a.Unit));
        if (scope.UnitProgramme)
        {
            assignments = assignments.Where(a => a.Unit == scope.Subject);
        }
        var today = Supervision.Supervision.Today(clock.GetUtcNow());
        IReadOnlyList<UnitProgress> progress = [];
        if (entry.ItemNo is not null)
        {
            var rows = await assignments.Select(a => new { a.Unit, a.State, a.DueDate }).ToListAsync(ct);
            progress = [.. rows.GroupBy(a => a.Unit).OrderBy(g => g.Key).Select(g => new UnitProgress(g.Key, g.Count(),
                g.Count(a => a.State == AssignmentState.Submitted), g.Count(a => a.State == AssignmentState.Approved),
                g.Count(a => Deadline.IsLate(a.State, a.DueDate, today))))];
        }
        var reports = await db.ProgressReports.Join(assignments, p => p.AssignmentId, a => a.Id, (p, a) => new { p, a })
            .OrderByDescending(x => x.p.At).ThenByDescending(x => x.p.Id).Take(MaxReports).ToListAsync(ct);
        var reportIds = reports.Select(r => (long?)r.p.Id).ToList();
        var files = await db.EvidenceFiles.Where(f => reportIds.Contains(f.ProgressReportId)).ToListAsync(ct);
        IReadOnlyList<SubmissionRow> submissions = [.. reports.Select(r => new SubmissionRow(r.a.Id, r.a.Unit, r.a.State, r.a.StepId, r.p.By, r.p.At, r.p.Text,
            [.. files.Where(f => f.ProgressReportId == r.p.Id).Select(f => new ReportFile(f.Id, f.FileName, f.Size))], user.CanSee(r.a)))];
        var own = await db.EvidenceFiles.Join(assignments, f => f.AssignmentId, a => a.Id, (f, a) => new { f, a.Unit })
            .OrderBy(x => x.Unit).ThenBy(x => x.f.UploadedAt).ThenBy(x => x.f.FileName)
            .Select(x => new EvidenceChoice(x.f.Id, x.f.FileName, x.Unit, x.f.AssignmentId)).ToListAsync(ct);
        // Files already cited by this entry's facts (the API lets a lead cite any evidence of the campaign) stay choosable
        // and downloadable here, even when they were uploaded on another item's assignment.
        var ruleIds = entry.Rules.Select(r => r.Id).ToList();
        var cited = (await db.Set<FactRecord>().Where(f => f.CampaignId == id && f.Subject == scope.Subject && ruleIds.Contains(f.RuleId))
                .Select(f => f.Evidence).ToListAsync(ct))
            .SelectMany(e => System.Text.Json.JsonSerializer.Deserialize<List<Guid>>(e) ?? []).Except(own.Select(o => o.Id)).Distinct().ToList();
        // A unit sees only those of its own or reviewed assignments (the office may have cited others in its review).
        var visible = db.Assignments.Where(a => a.CampaignId == id);
        if (!user.IsStaff() && user.UnitOf() is var me)
        {
            visible = visible.Where(a => a.Unit == me || a.ReviewerUnit == me);
        }
        var extra = cited.Count == 0 ? [] : await db.EvidenceFiles.Where(f => cited.Contains(f.Id))
            .Join(visible, f => f.AssignmentId, a => a.Id, (f, a) => new { f, a.Unit })
            .OrderBy(x => x.Unit).ThenBy(x => x.f.FileName)
            .Select(x => new EvidenceChoice(x.f.Id, x.f.FileName, x.Unit, x.f.AssignmentId)).ToListAsync(ct);
        return new ItemPage(scope, entry, canEnter, leads, standing, review, FactsForm.ValuesOf(entry.Rules, stored),
            stored.Sources ?? new Dictionary<string, string>(), progress, submissions, [.. own, .. extra]);
    }
}
