using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Scoring;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Scoring;

public sealed record UnitProgress(string Unit, int Assignments, int Submitted, int Approved, int Late);

public sealed record ReportFile(Guid Id, string FileName, long Size);

public sealed record SubmissionRow(Guid AssignmentId, string Unit, AssignmentState State, string StepId, string By, DateTimeOffset At, string Text, IReadOnlyList<ReportFile> Files, bool CanOpen);

public sealed record EvidenceChoice(Guid Id, string FileName, string Unit, Guid AssignmentId);

/// <summary>A trail computed from facts not (yet) stored: the 试算.</summary>
public sealed record ItemPreview(decimal Score, IReadOnlyList<ExplanationLine> Lines);

/// <summary>
/// One entry's self-assessment (/campaigns/{id}/assessment/items/{item}): (a) 汇总 — the units' reports and evidence on
/// this item's assignments; (b) the fact-entry form generated from the item's rules (<see cref="FactsForm"/>) with the
/// evidence behind each rule; (c) 试算 — the engine's score and explanation trail for the entered facts, stored nowhere
/// (also posted by assessment.js on change); (d) 提交自评 through <see cref="AssessmentService.ProposeAsync"/>; and the
/// office's review (采纳 / 调整 / 退回) through <see cref="AssessmentService.ReviewAsync"/>, proposed and reviewed side by side.
/// Only the entry's lead unit(s) — in a unit assessment the assessed unit — and the office enter facts; other units get 404.
/// </summary>
[Authorize(Roles = Roles.Office + "," + Roles.Unit + "," + Roles.Leader + "," + Roles.Inspector)]
public sealed class ItemModel(AssessmentService assessment, AppDbContext db, EvidenceStore store, TimeProvider clock) : PageModel
{
    public const int MaxReports = 50;

    /// <summary>Above this many units the 汇总 table starts folded under its totals.</summary>
    public const int UnfoldedUnits = 12;

    public AssessmentScope Scope { get; private set; } = null!;
    public AssessmentEntry Entry { get; private set; } = null!;
    public Standing Standing { get; private set; } = null!;
    public ItemReviewRecord? Review { get; private set; }
    public bool CanEnter { get; private set; }
    public bool CanReview => User.IsInRole(Roles.Office);
    public IReadOnlyList<string> Leads { get; private set; } = [];
    public IReadOnlyList<UnitProgress> Progress { get; private set; } = [];
    public IReadOnlyList<SubmissionRow> Reports { get; private set; } = [];
    public IReadOnlyList<EvidenceChoice> EvidenceChoices { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Sources { get; private set; } = new Dictionary<string, string>();

    /// <summary>The fact form's values: the stored proposal, or what was just posted.</summary>
    public Dictionary<string, List<string>> Values { get; private set; } = [];
    public ItemPreview? Preview { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public string? Reason { get; private set; }
    [TempData] public string? Message { get; set; }

    public string Base => $"/campaigns/{Scope.Campaign.Id}/assessment/items/{Entry.Key}";

    public async Task<IActionResult> OnGetAsync(Guid id, string item, string? subject, CancellationToken ct) =>
        await LoadAsync(id, item, subject, ct) ? Page() : NotFound();

    /// <summary>An evidence file of this entry's candidates: same visibility as the page, always an attachment.</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(Guid id, string item, Guid fileId, string? subject, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct) || EvidenceChoices.All(e => e.Id != fileId))
        {
            return NotFound();
        }
        var file = await db.EvidenceFiles.SingleAsync(f => f.Id == fileId, ct);
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return File(store.Open(file.StoredName), "application/octet-stream", file.FileName);
    }

    /// <summary>试算: the engine over the entered facts; nothing is stored.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid id, string item, string? subject, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        if (!CanEnter && !CanReview)
        {
            return Forbid();
        }
        Values = FactsForm.ValuesOf(Request.Form);
        var (facts, error) = FactsForm.Read(Entry.Rules, Values);
        if (error is not null)
        {
            return Refuse(error.Field, error.Message, StatusCodes.Status400BadRequest);
        }
        try
        {
            var result = ScoringEngine.Score(Scope.Programme, facts!.Facts);
            Preview = new ItemPreview(Entry.ScoreIn(result), Entry.LinesIn(result));
        }
        catch (InvalidFactsException e)
        {
            return Refuse(FactsForm.FieldOf(e.Errors[0].Path), e.Errors[0].Reason, StatusCodes.Status400BadRequest);
        }
        return Page();
    }

    /// <summary>提交自评: the entered facts and evidence, through the service (validated there again); the office is told.</summary>
    public async Task<IActionResult> OnPostProposeAsync(Guid id, string item, string? subject, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        if (!CanEnter)
        {
            return Forbid();
        }
        Values = FactsForm.ValuesOf(Request.Form);
        var (facts, error) = FactsForm.Read(Entry.Rules, Values);
        if (error is not null)
        {
            return Refuse(error.Field, error.Message, StatusCodes.Status400BadRequest);
        }
        return await SaveAsync(() => assessment.ProposeAsync(Scope.Campaign.Id, Scope.Subject, Entry.Key, facts!, User.NameOf(), ct, User.IsInRole(Roles.Office) ? null : User.UnitOf()),
            "自评事实已报送，等待创建办审核。", ct);
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid id, string item, string? subject, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        return !CanReview ? Forbid() : await SaveAsync(
            () => assessment.ReviewAsync(Scope.Campaign.Id, Scope.Subject, Entry.Key, new ReviewDecision("accept"), User.NameOf(), ct), "已采纳自评。", ct);
    }

    public async Task<IActionResult> OnPostReturnAsync(Guid id, string item, string? subject, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        Reason = reason;
        return !CanReview ? Forbid() : await SaveAsync(
            () => assessment.ReviewAsync(Scope.Campaign.Id, Scope.Subject, Entry.Key, new ReviewDecision("return", reason), User.NameOf(), ct), "已退回，牵头单位将收到通知。", ct);
    }

    /// <summary>调整: the office's own facts for the entry (from the same form) with a reason; they count instead of the proposal.</summary>
    public async Task<IActionResult> OnPostAdjustAsync(Guid id, string item, string? subject, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        if (!CanReview)
        {
            return Forbid();
        }
        Reason = reason;
        Values = FactsForm.ValuesOf(Request.Form);
        var (facts, error) = FactsForm.Read(Entry.Rules, Values);
        if (error is not null)
        {
            return Refuse(error.Field, error.Message, StatusCodes.Status400BadRequest);
        }
        return await SaveAsync(
            () => assessment.ReviewAsync(Scope.Campaign.Id, Scope.Subject, Entry.Key, new ReviewDecision("adjust", reason, facts), User.NameOf(), ct), "已按调整后的事实计分。", ct);
    }

    private async Task<IActionResult> SaveAsync(Func<Task> act, string done, CancellationToken ct)
    {
        try
        {
            await act();
        }
        catch (Exception e) when (Refusals.Of(e) is { } refusal)
        {
            db.ChangeTracker.Clear();
            var posted = Values;
            if (refusal.IsNotFound || !await LoadAsync(Scope.Campaign.Id, Entry.Key, Scope.Subject, ct))
            {
                return NotFound();
            }
            Values = posted;
            var field = refusal.Field.StartsWith("facts", StringComparison.Ordinal) ? FactsForm.FieldOf(refusal.Field) : refusal.Field;
            var rule = Entry.Rules.FirstOrDefault(r => field.EndsWith("." + r.Id, StringComparison.Ordinal) || field.Contains("." + r.Id + ".", StringComparison.Ordinal));
            return Refuse(field, rule is null ? refusal.Message : $"{FactsForm.Label(rule)}：{refusal.Message}", refusal.Status);
        }
        Message = done;
        return Redirect(Base + Scope.SubjectQuery);
    }

    private PageResult Refuse(string field, string message, int status)
    {
        Error = message;
        ErrorField = field;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, string item, string? subject, CancellationToken ct)
    {
        if (await AssessmentPages.ScopeAsync(User, id, subject, assessment, db, ct) is not { } scope
            || AssessmentPages.EntryOf(scope.Programme, item) is not { } entry
            || !AssessmentPages.CanSee(User, scope, entry)
            || scope.UnitProgramme && scope.Subject.Length == 0)
        {
            return false;
        }
        (Scope, Entry) = (scope, entry);
        CanEnter = AssessmentPages.CanEnter(User, scope, entry);
        Leads = scope.UnitProgramme ? [scope.Subject] : AssessmentService.LeadsOf(scope.Programme, entry.Key);
        Standing = await assessment.StandingAsync(id, scope.Subject, ct);
        Review = await db.ItemReviews.AsNoTracking().SingleOrDefaultAsync(r => r.CampaignId == id && r.Subject == scope.Subject && r.Item == entry.Key, ct);
        var stored = FactsForm.Stored(entry.Rules, await assessment.FactsAsync(id, scope.Subject, FactLayer.Proposed, ct));
        Values = FactsForm.ValuesOf(entry.Rules, stored);
        Sources = stored.Sources ?? new Dictionary<string, string>();

        // The assignments behind this entry: its item's (in a unit assessment, the subject's own); for a bonus or penalty
        // item, which has no assignments of its own, those of its lead units.
        var assignments = db.Assignments.Where(a => a.CampaignId == id);
        assignments = entry.ItemNo is { } no
            ? assignments.Where(a => a.ItemNo == no)
            : assignments.Where(a => Leads.Contains(a.Unit));
        if (scope.UnitProgramme)
        {
            assignments = assignments.Where(a => a.Unit == scope.Subject);
        }
        var today = Supervision.Supervision.Today(clock.GetUtcNow());
        if (entry.ItemNo is not null)
        {
            var rows = await assignments.Select(a => new { a.Unit, a.State, a.DueDate }).ToListAsync(ct);
            Progress = [.. rows.GroupBy(a => a.Unit).OrderBy(g => g.Key).Select(g => new UnitProgress(g.Key, g.Count(),
                g.Count(a => a.State == AssignmentState.Submitted), g.Count(a => a.State == AssignmentState.Approved),
                g.Count(a => Deadline.IsLate(a.State, a.DueDate, today))))];
        }
        var reports = await db.ProgressReports.Join(assignments, p => p.AssignmentId, a => a.Id, (p, a) => new { p, a })
            .OrderByDescending(x => x.p.At).ThenByDescending(x => x.p.Id).Take(MaxReports).ToListAsync(ct);
        var reportIds = reports.Select(r => (long?)r.p.Id).ToList();
        var files = await db.EvidenceFiles.Where(f => reportIds.Contains(f.ProgressReportId)).ToListAsync(ct);
        Reports = [.. reports.Select(r => new SubmissionRow(r.a.Id, r.a.Unit, r.a.State, r.a.StepId, r.p.By, r.p.At, r.p.Text,
            [.. files.Where(f => f.ProgressReportId == r.p.Id).Select(f => new ReportFile(f.Id, f.FileName, f.Size))], User.CanSee(r.a)))];
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
        if (!User.IsStaff() && User.UnitOf() is var me)
        {
            visible = visible.Where(a => a.Unit == me || a.ReviewerUnit == me);
        }
        var extra = cited.Count == 0 ? [] : await db.EvidenceFiles.Where(f => cited.Contains(f.Id))
            .Join(visible, f => f.AssignmentId, a => a.Id, (f, a) => new { f, a.Unit })
            .OrderBy(x => x.Unit).ThenBy(x => x.f.FileName)
            .Select(x => new EvidenceChoice(x.f.Id, x.f.FileName, x.Unit, x.f.AssignmentId)).ToListAsync(ct);
        EvidenceChoices = [.. own, .. extra];
        return true;
    }

    public static string Size(long bytes) => bytes < 1024 ? $"{bytes} B" : bytes < 1024 * 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes / 1024.0 / 1024.0:0.#} MB";
}
