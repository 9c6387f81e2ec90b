using CreationWorkflow.Core.Assignments;

namespace CreationWorkflow.Core.Workflows;

/// <summary>
/// One stored assignment of a running campaign as the migration sees it. <see cref="HasProgress"/>: the unit has put work
/// into it (a progress report, a saved report line, evidence); <see cref="ExtensionPending"/>: a 延期申请 waits for a decision.
/// </summary>
public sealed record MigrationAssignment(
    Guid Id,
    string StepId,
    int? ItemNo,
    string Unit,
    int? Period,
    AssignmentState State,
    DateOnly Due,
    bool HasProgress = false,
    bool ExtensionPending = false)
{
    /// <summary>The same key as <see cref="PlannedAssignment.Key"/>: step / item / unit / period.</summary>
    public string Key => MigrationPlanner.KeyOf(StepId, ItemNo, Unit, Period);

    /// <summary>Finished work (已通过, 已撤销): a migration never reopens, cancels or re-dates it.</summary>
    public bool Finished => State is AssignmentState.Approved or AssignmentState.Cancelled;
}

/// <summary>An open assignment whose due date the target version moves.</summary>
public sealed record MigrationRedate(MigrationAssignment Assignment, DateOnly NewDue);

/// <summary>
/// A per-item duty taken over by a new per-unit report (<see cref="ReportKey"/>, one of <see cref="MigrationDryRun.Added"/>):
/// an open one is cancelled with 并入单位报告 and its text and evidence go onto the report's line; a finished one stays as it is
/// and its line is copied approved.
/// </summary>
public sealed record MigrationFold(MigrationAssignment Duty, string ReportKey);

public enum MigrationBlockerKind
{
    /// <summary>A per-unit report in the current version is per item in the target: reports cannot be split back.</summary>
    SplitsReports,

    /// <summary>A duty to fold is submitted and under review: decide it first.</summary>
    UnderReview,

    /// <summary>A duty to fold has a pending extension request: decide it first.</summary>
    ExtensionPending,
}

/// <summary>Why the migration cannot be applied as it stands; <see cref="Assignment"/> is null for <see cref="MigrationBlockerKind.SplitsReports"/>.</summary>
public sealed record MigrationBlocker(MigrationBlockerKind Kind, WorkflowStep Step, MigrationAssignment? Assignment);

/// <summary>
/// What moving a campaign to <see cref="ToVersion"/> would do (the dry run), and what applying it does. <see cref="WouldLoseState"/>:
/// the cancelled ones the unit has already worked on (progress, drafts, returned for rework) — their work would stop counting.
/// <see cref="Kept"/>: finished assignments left exactly as they are.
/// </summary>
public sealed record MigrationDryRun(
    int FromVersion,
    int ToVersion,
    IReadOnlyList<PlannedAssignment> Added,
    IReadOnlyList<MigrationAssignment> Cancelled,
    IReadOnlyList<MigrationRedate> Redated,
    IReadOnlyList<MigrationFold> Folded,
    IReadOnlyList<MigrationAssignment> WouldLoseState,
    int Kept,
    IReadOnlyList<MigrationBlocker> Blockers)
{
    /// <summary>The folds that cancel an open duty (the finished ones are only copied onto the report).</summary>
    public IEnumerable<MigrationFold> OpenFolds => Folded.Where(f => !f.Duty.Finished);

    public bool CanApply => Blockers.Count == 0;
}

/// <summary>
/// Compares a running campaign's assignments with the target version's plan, by assignment key. Pure: the host turns the
/// result into lifecycle transitions in one transaction. Rules:
/// <list type="bullet">
/// <item>a planned key with no assignment is added (for a new per-unit report whose per-item duties are all finished: not added, the work is done);</item>
/// <item>an open assignment whose key the plan drops is cancelled (or folded, below); finished work is never cancelled;</item>
/// <item>an open assignment whose planned due date the target moves is re-dated (a date changed by hand stays when the
/// versions plan the same one); finished work keeps its date;</item>
/// <item>a step that is per item now and per unit in the target folds each (unit, period)'s per-item duties into the new report;</item>
/// <item>a finished assignment — 已通过 or 已撤销 — is never reopened: its key counts as present even when the plan has it.</item>
/// </list>
/// </summary>
public static class MigrationPlanner
{
    public static string KeyOf(string stepId, int? itemNo, string unit, int? period) =>
        $"{stepId}/{itemNo?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{unit}/{period?.ToString(CultureInfo.InvariantCulture) ?? "-"}";

    /// <param name="currentPlan">
    /// The current version's plan of the same campaign. With it, an open assignment is re-dated only when the target moves its
    /// planned date — a date the office changed by hand (改期, an approved extension) stays when the versions agree on the
    /// planned one. Without it, any difference from the target's date re-dates.
    /// </param>
    public static MigrationDryRun Plan(
        IReadOnlyList<MigrationAssignment> assignments, WorkflowDefinition current, WorkflowDefinition target, CampaignPlan targetPlan,
        CampaignPlan? currentPlan = null)
    {
        var was = currentPlan?.Assignments.ToDictionary(p => p.Key, p => p.Due);
        var existing = assignments.ToDictionary(a => a.Key);
        var planned = targetPlan.Assignments.ToDictionary(p => p.Key);
        var blockers = new List<MigrationBlocker>();

        var grain = current.Steps.ToDictionary(s => s.Id, s => s.Grain);
        foreach (var split in target.Steps.Where(s => s.Grain == StepGrain.Item && grain.GetValueOrDefault(s.Id) == StepGrain.Unit))
        {
            blockers.Add(new MigrationBlocker(MigrationBlockerKind.SplitsReports, split, null));
        }

        // Per-item duties of the steps that become per unit, by the report that takes them over.
        var folding = target.Steps.Where(s => s.Grain == StepGrain.Unit && grain.GetValueOrDefault(s.Id, StepGrain.Item) == StepGrain.Item)
            .ToDictionary(s => s.Id);
        var groups = assignments.Where(a => a.ItemNo is not null && folding.ContainsKey(a.StepId))
            .GroupBy(a => KeyOf(a.StepId, null, a.Unit, a.Period))
            .Where(g => planned.ContainsKey(g.Key) && !existing.ContainsKey(g.Key))
            .ToDictionary(g => g.Key, g => g.ToList());
        foreach (var duty in groups.Values.SelectMany(g => g).Where(d => !d.Finished))
        {
            if (duty.State == AssignmentState.Submitted)
            {
                blockers.Add(new MigrationBlocker(MigrationBlockerKind.UnderReview, folding[duty.StepId], duty));
            }
            else if (duty.ExtensionPending)
            {
                blockers.Add(new MigrationBlocker(MigrationBlockerKind.ExtensionPending, folding[duty.StepId], duty));
            }
        }

        // A report whose duties are all finished is not added: that period's work is done.
        var added = targetPlan.Assignments
            .Where(p => !existing.ContainsKey(p.Key) && !(groups.TryGetValue(p.Key, out var duties) && duties.All(d => d.Finished)))
            .ToList();
        var addedKeys = added.Select(a => a.Key).ToHashSet();
        var folded = groups.Where(g => addedKeys.Contains(g.Key))
            .SelectMany(g => g.Value.Select(d => new MigrationFold(d, g.Key))).ToList();
        var foldedIds = folded.Select(f => f.Duty.Id).ToHashSet();

        var cancelled = assignments.Where(a => !a.Finished && !planned.ContainsKey(a.Key) && !foldedIds.Contains(a.Id)).ToList();
        var redated = assignments
            .Where(a => !a.Finished && planned.TryGetValue(a.Key, out var p) && p.Due != a.Due
                && (was is null || !was.TryGetValue(a.Key, out var before) || before != p.Due))
            .Select(a => new MigrationRedate(a, planned[a.Key].Due)).ToList();
        var lose = cancelled.Where(a => a.HasProgress || a.State is AssignmentState.InProgress or AssignmentState.Submitted or AssignmentState.Returned).ToList();
        return new MigrationDryRun(
            current.Version, target.Version, added, cancelled, redated, folded, lose,
            assignments.Count(a => a.Finished), blockers);
    }
}
