namespace CreationWorkflow.Web.Scoring;

public sealed record UnitProgress(string Unit, int Assignments, int Submitted, int Approved, int Late);

public sealed record ReportFile(Guid Id, string FileName, long Size);

public sealed record SubmissionRow(Guid AssignmentId, string Unit, AssignmentState State, string StepId, string By, DateTimeOffset At, string Text, IReadOnlyList<ReportFile> Files, bool CanOpen);

public sealed record EvidenceChoice(Guid Id, string FileName, string Unit, Guid AssignmentId);

/// <summary>
/// One unit's line on the item in one period's per-unit report (一月一报): what it filed (text, or 本期无新进展 with the
/// reason), the line's review state, the files uploaded on it and those it cites.
/// </summary>
public sealed record LineRow(
    long LineId, Guid AssignmentId, string Unit, string? Period, DateOnly DueDate, ReportLineState State, string StateName, string Text,
    IReadOnlyList<ReportFile> Files, IReadOnlyList<ReportFile> Cited, bool CanOpen);

/// <summary>What the item page (<see cref="ItemModel"/>) shows of one entry, as the caller may see it.</summary>
public sealed record ItemPage(
    AssessmentScope Scope, AssessmentEntry Entry, bool CanEnter, IReadOnlyList<string> Leads, Standing Standing, ItemReviewRecord? Review,
    Dictionary<string, List<string>> Values, IReadOnlyDictionary<string, string> Sources, IReadOnlyList<UnitProgress> Progress,
    IReadOnlyList<SubmissionRow> Reports, IReadOnlyList<EvidenceChoice> EvidenceChoices, IReadOnlyList<LineRow> Lines, ItemFacts Stored,
    IReadOnlyList<EvaluationMethod> Methods, IReadOnlyList<NeedStatus> Plan);

/// <summary>The query behind the item page: the entry, its standing and review, the stored proposal, the units' reports and the evidence to cite.</summary>
public sealed class ItemQuery(CampaignLoader loader, FactStore facts, Standings standings, AppDbContext db, TimeProvider clock)
{
    public const int MaxReports = 50;

    /// <summary>Null when the campaign or entry does not exist or the caller may not see it.</summary>
    public async Task<ItemPage?> LoadAsync(ClaimsPrincipal user, Guid id, string item, string? subject, CancellationToken ct)
    {
        if (await AssessmentPages.ScopeAsync(user, id, subject, loader, db, ct) is not { } scope
            || AssessmentPages.EntryOf(scope.Programme, item) is not { } entry
            || !AssessmentPages.CanSee(user, scope, entry)
            || scope.UnitProgramme && scope.Subject.Length == 0)
        {
            return null;
        }
        var canEnter = AssessmentPages.CanEnter(user, scope, entry);
        IReadOnlyList<string> leads = scope.UnitProgramme ? [scope.Subject] : scope.Programme.LeadsOf(entry.Key);
        var standing = await standings.StandingAsync(id, scope.Subject, ct);
        var review = await db.ItemReviews.AsNoTracking().SingleOrDefaultAsync(r => r.CampaignId == id && r.Subject == scope.Subject && r.Item == entry.Key, ct);
        var stored = FactsForm.Stored(entry.Rules, await facts.FactsAsync(id, scope.Subject, FactLayer.Proposed, ct));

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
        var today = ChinaTime.Today(clock.GetUtcNow());
        IReadOnlyList<UnitProgress> progress = [];
        IReadOnlyList<LineRow> lineRows = [];
        if (entry.ItemNo is { } itemNo)
        {
            var rows = await assignments.Select(a => new { a.Unit, a.State, a.DueDate }).ToListAsync(ct);
            // Per-unit reports (version 2) hold the item as one line per unit and period: each line counts as the unit's
            // work on the item — submitted or approved as the line is, late while the report is late and the line not sent.
            var reportsOf = db.Assignments.Where(a => a.CampaignId == id && a.ItemNo == null);
            if (scope.UnitProgramme)
            {
                reportsOf = reportsOf.Where(a => a.Unit == scope.Subject);
            }
            var lineQuery = db.ReportLines.Where(l => l.ItemNo == itemNo).Join(reportsOf, l => l.AssignmentId, a => a.Id, (l, a) => new { l, a });
            var lineStates = await lineQuery.Select(x => new { x.a.Unit, Report = x.a.State, x.a.DueDate, Line = x.l.State }).ToListAsync(ct);
            var work = rows.Select(a => (a.Unit, Submitted: a.State == AssignmentState.Submitted, Approved: a.State == AssignmentState.Approved,
                    Late: Deadline.IsLate(a.State, a.DueDate, today)))
                .Concat(lineStates.Select(x => (x.Unit, Submitted: x.Line == ReportLineState.Submitted, Approved: x.Line == ReportLineState.Approved,
                    Late: x.Line is ReportLineState.Draft or ReportLineState.Returned && Deadline.IsLate(x.Report, x.DueDate, today))));
            progress = [.. work.GroupBy(w => w.Unit).OrderBy(g => g.Key).Select(g => new UnitProgress(g.Key, g.Count(),
                g.Count(w => w.Submitted), g.Count(w => w.Approved), g.Count(w => w.Late)))];
            lineRows = await LinesAsync(user, lineQuery.Where(x => x.l.Text != null || x.l.NoProgress)
                .OrderByDescending(x => x.a.DueDate).ThenBy(x => x.a.Unit).Take(MaxReports).Select(x => new LineAt(x.l, x.a)), ct);
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
        // The files on the item's report lines (uploaded or cited) are the item's evidence too: listed, citable, downloadable.
        var lineFiles = lineRows.SelectMany(l => l.Files.Concat(l.Cited).Select(f => new EvidenceChoice(f.Id, f.FileName, l.Unit, l.AssignmentId)))
            .Where(f => own.All(o => o.Id != f.Id) && extra.All(e => e.Id != f.Id)).DistinctBy(f => f.Id);
        var methods = scope.Programme.MethodsOf(entry.Key);
        var plan = EvidencePlan.Check(EvidencePlan.For(methods, entry.Rules), entry.Rules, await facts.FiledAsync(stored, ct));
        return new ItemPage(scope, entry, canEnter, leads, standing, review, FactsForm.ValuesOf(entry.Rules, stored),
            stored.Sources ?? new Dictionary<string, string>(), progress, submissions, [.. own, .. extra, .. lineFiles], lineRows, stored,
            EvidencePlan.MethodsOr(methods), plan);
    }

    private sealed record LineAt(ReportLineRecord Line, AssignmentRecord Report);

    /// <summary>The lines as the page shows them, with the files uploaded on each and those each cites.</summary>
    private async Task<IReadOnlyList<LineRow>> LinesAsync(ClaimsPrincipal user, IQueryable<LineAt> query, CancellationToken ct)
    {
        var lines = await query.ToListAsync(ct);
        var ids = lines.Select(x => x.Line.Id).ToList();
        var nullable = ids.Select(i => (long?)i).ToList();
        var uploaded = await db.EvidenceFiles.Where(f => nullable.Contains(f.ReportLineId))
            .Select(f => new { LineId = f.ReportLineId!.Value, File = new ReportFile(f.Id, f.FileName, f.Size) }).ToListAsync(ct);
        var cited = await db.ReportLineCitations.Where(c => ids.Contains(c.LineId))
            .Join(db.EvidenceFiles, c => c.EvidenceFileId, f => f.Id, (c, f) => new { c.LineId, File = new ReportFile(f.Id, f.FileName, f.Size) }).ToListAsync(ct);
        var unit = user.UnitOf();
        return [.. lines.Select(x => new LineRow(x.Line.Id, x.Report.Id, x.Report.Unit, x.Report.PeriodLabel, x.Report.DueDate, x.Line.State,
            ReportService.StateName(x.Line.State), x.Line.NoProgress ? $"本期无新进展：{x.Line.NoProgressReason}" : x.Line.Text ?? "",
            [.. uploaded.Where(f => f.LineId == x.Line.Id).Select(f => f.File)], [.. cited.Where(c => c.LineId == x.Line.Id).Select(c => c.File)],
            user.CanSee(x.Report) || unit is not null && unit == x.Line.ReviewerUnit))];
    }
}
