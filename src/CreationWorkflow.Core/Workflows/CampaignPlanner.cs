using CreationWorkflow.Core.Calendar;

namespace CreationWorkflow.Core.Workflows;

/// <summary>A phase's dates in one campaign: the template's months shifted by the campaign's offset.</summary>
public sealed record PhaseWindow(string PhaseId, string Name, DateOnly Start, DateOnly End)
{
    public bool Contains(DateOnly date) => Start <= date && date <= End;
}

/// <summary>One period of a recurring step (1-based <see cref="Index"/> within the phase), e.g. 2022年3月 or 第1季度.</summary>
public sealed record Period(int Index, string Label, DateOnly Start, DateOnly End);

/// <summary>
/// One assignment (交办) the host should create: a unit's duty for one item (or the whole campaign) in one phase
/// and period, with its due date. <see cref="Unit"/> is <see cref="CampaignPlanner.Office"/> for office steps.
/// <see cref="ReviewerUnit"/> is the lead unit that reviews a responsible unit's report (as
/// <see cref="Assignments.Assignment.ReviewerUnit"/>); when <see cref="Reviewer"/> is Office it stays null,
/// since the office may always review.
/// </summary>
public sealed record PlannedAssignment(
    string StepId,
    string Phase,
    int? ItemNo,
    string Unit,
    Period? Period,
    DateOnly Due,
    StepReviewer? Reviewer,
    string? ReviewerUnit,
    bool Evidence,
    bool Gate,
    string Reminders,
    IReadOnlyList<PlannedLine>? Lines = null)
{
    /// <summary>Unique within a plan and stable across re-planning: step / item / unit / period.</summary>
    public string Key => $"{StepId}/{ItemNo?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{Unit}/{Period?.Index.ToString(CultureInfo.InvariantCulture) ?? "-"}";
}

/// <summary>
/// One line of a per-unit report (<see cref="StepGrain.Unit"/>): the item it reports on and the lead unit that reviews
/// it (null: the office reviews).
/// </summary>
public sealed record PlannedLine(int ItemNo, string? ReviewerUnit);

/// <summary>A checkpoint (督查节点) with its phase window: the host fires its cron only inside the window.</summary>
public sealed record PlannedCheckpoint(Checkpoint Checkpoint, PhaseWindow Window);

/// <summary>Everything a campaign started on <see cref="Start"/> needs: phase windows, assignments and checkpoints.</summary>
public sealed record CampaignPlan(
    string ProgrammeId,
    string WorkflowId,
    int WorkflowVersion,
    DateOnly Start,
    int OffsetDays,
    IReadOnlyList<PhaseWindow> Phases,
    IReadOnlyList<PlannedAssignment> Assignments,
    IReadOnlyList<PlannedCheckpoint> Checkpoints);

/// <summary>
/// Turns a workflow definition into the dated assignments of one campaign. Every template date shifts by
/// start − template.start days; periods are cut in the template (calendar months) and shifted the same way.
/// A due date is its anchor, moved back to a working day if it is none, plus the step's working days.
/// </summary>
public static class CampaignPlanner
{
    /// <summary>The unit name office steps are assigned to (创建办, the leadership group's office).</summary>
    public const string Office = "创建办";

    public static CampaignPlan Plan(
        Programme programme,
        WorkflowDefinition definition,
        DateOnly start,
        WorkingDayCalendar calendar,
        IReadOnlyList<string>? assessedUnits = null)
    {
        if (definition.Programme != programme.Id)
        {
            throw new ArgumentException($"workflow {definition} is for programme '{definition.Programme}', not '{programme.Id}'", nameof(definition));
        }
        CheckAssessed(programme, definition, assessedUnits);
        var offset = start.DayNumber - definition.Template.StartDate.DayNumber;
        var templatePhases = definition.PhasesOf(programme);
        var phases = templatePhases.ToDictionary(p => p.Id, p => Shift(p, offset));

        var assignments = new List<PlannedAssignment>();
        foreach (var step in definition.Steps)
        {
            var window = phases[step.Phase];
            var periods = step.Recurrence is { } r ? Periods(templatePhases.Single(p => p.Id == step.Phase), r, offset) : [null];
            foreach (var period in periods)
            {
                var anchor = step.Due.From switch
                {
                    DueAnchor.PhaseStart => window.Start,
                    DueAnchor.PhaseEnd => window.End,
                    DueAnchor.PeriodStart => period!.Start,
                    _ => period!.End,
                };
                var due = calendar.AddWorkingDays(calendar.WorkingDayOnOrBefore(anchor), step.Due.WorkingDays);
                var assignees = Assignees(programme, step, assessedUnits ?? []);
                if (step.Grain == StepGrain.Unit)
                {
                    // One report per unit, in the order the units first appear in the list; a line per item, in document order.
                    foreach (var unit in assignees.GroupBy(a => a.Unit))
                    {
                        assignments.Add(new PlannedAssignment(
                            step.Id, step.Phase, null, unit.Key, period, due, step.Reviewer, null, step.Evidence, step.Gate, step.Reminders,
                            [.. unit.Select(a => new PlannedLine(a.ItemNo!.Value, a.ReviewerUnit))]));
                    }
                    continue;
                }
                foreach (var (itemNo, unit, reviewerUnit) in assignees)
                {
                    assignments.Add(new PlannedAssignment(
                        step.Id, step.Phase, itemNo, unit, period, due, step.Reviewer, reviewerUnit, step.Evidence, step.Gate, step.Reminders));
                }
            }
        }
        var checkpoints = definition.Checkpoints.Select(c => new PlannedCheckpoint(c, phases[c.Phase])).ToList();
        return new CampaignPlan(
            programme.Id, definition.Id, definition.Version, start, offset,
            [.. templatePhases.Select(p => phases[p.Id])], assignments, checkpoints);
    }

    /// <summary>
    /// Who gets a step's duty, item by item in document order. Lead: each lead unit (groups expanded, each unit once).
    /// Responsible: each responsible unit that is not also a lead unit of the item (it holds the lead duty instead),
    /// reviewed by the item's first lead unit when the reviewer is 'lead'. Assessed: each assessed unit.
    /// Office: the office, per item or once for the campaign. A per-unit step groups these by unit into report lines.
    /// </summary>
    private static IEnumerable<(int? ItemNo, string Unit, string? ReviewerUnit)> Assignees(
        Programme programme, WorkflowStep step, IReadOnlyList<string> assessedUnits)
    {
        if (step.Scope == StepScope.Campaign)
        {
            yield return (null, Office, null);
            yield break;
        }
        foreach (var item in programme.Items)
        {
            var leads = programme.Units.ExpandAll(item.LeadUnits);
            IEnumerable<(string Unit, string? Reviewer)> units = step.Role switch
            {
                StepRole.Lead => leads.Select(u => (u.Name, (string?)null)),
                StepRole.Responsible => programme.Units.ExpandAll(item.ResponsibleUnits).Except(leads)
                    .Select(u => (u.Name, step.Reviewer == StepReviewer.Lead ? leads[0].Name : null)),
                StepRole.Assessed => assessedUnits.Select(u => (u, (string?)null)),
                _ => [(Office, null)],
            };
            foreach (var (unit, reviewer) in units)
            {
                yield return (item.No, unit, reviewer);
            }
        }
    }

    private static void CheckAssessed(Programme programme, WorkflowDefinition definition, IReadOnlyList<string>? assessedUnits)
    {
        var needed = definition.Steps.Any(s => s.Role == StepRole.Assessed);
        if (needed && (assessedUnits is null || assessedUnits.Count == 0))
        {
            throw new ArgumentException($"workflow {definition} has steps for each assessed unit: pass the assessed units", nameof(assessedUnits));
        }
        if (!needed && assessedUnits is { Count: > 0 })
        {
            throw new ArgumentException($"workflow {definition} for {programme.Id} has no step for assessed units", nameof(assessedUnits));
        }
        if (assessedUnits?.GroupBy(u => u).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"assessed unit '{twice.Key}' is listed twice", nameof(assessedUnits));
        }
    }

    /// <summary>
    /// The periods of a recurring step in a campaign started on <paramref name="start"/>, cut as <see cref="Plan"/> cuts
    /// them; empty for a step that does not recur. Lets the host recover a stored assignment's period dates from its index.
    /// </summary>
    public static IReadOnlyList<Period> PeriodsOf(Programme programme, WorkflowDefinition definition, WorkflowStep step, DateOnly start)
    {
        if (step.Recurrence is not { } recurrence)
        {
            return [];
        }
        var offset = start.DayNumber - definition.Template.StartDate.DayNumber;
        return [.. Periods(definition.PhasesOf(programme).Single(p => p.Id == step.Phase), recurrence, offset).OfType<Period>()];
    }

    private static (DateOnly Start, DateOnly End) TemplateDates(Phase phase)
    {
        var start = DateOnly.ParseExact(phase.Start + "-01", WorkflowLoader.DateFormat, CultureInfo.InvariantCulture);
        var endMonth = DateOnly.ParseExact(phase.End + "-01", WorkflowLoader.DateFormat, CultureInfo.InvariantCulture);
        return (start, endMonth.AddMonths(1).AddDays(-1));
    }

    private static PhaseWindow Shift(Phase phase, int offset)
    {
        var (start, end) = TemplateDates(phase);
        return new PhaseWindow(phase.Id, phase.Name, start.AddDays(offset), end.AddDays(offset));
    }

    /// <summary>The template phase cut into whole months (or quarters) from its start, the last cut at its end, then shifted.</summary>
    private static List<Period?> Periods(Phase phase, Recurrence recurrence, int offset)
    {
        var (start, end) = TemplateDates(phase);
        var periods = new List<Period?>();
        for (var from = start; from <= end; from = from.AddMonths(recurrence.Months))
        {
            var to = from.AddMonths(recurrence.Months).AddDays(-1);
            var (s, e) = (from.AddDays(offset), (to < end ? to : end).AddDays(offset));
            var index = periods.Count + 1;
            periods.Add(new Period(index, Label(recurrence.Every, index, s, e), s, e));
        }
        return periods;
    }

    /// <summary>第n季度 for quarters; 2022年3月 for a month that is a calendar month, else its dates (a shifted campaign).</summary>
    private static string Label(RecurrenceEvery every, int index, DateOnly start, DateOnly end)
    {
        if (every == RecurrenceEvery.Quarter)
        {
            return $"第{index}季度";
        }
        if (start.Day == 1 && end == start.AddMonths(1).AddDays(-1))
        {
            return $"{start.Year}年{start.Month}月";
        }
        var endText = end.Year == start.Year ? $"{end.Month}月{end.Day}日" : $"{end.Year}年{end.Month}月{end.Day}日";
        return $"{start.Year}年{start.Month}月{start.Day}日—{endText}";
    }
}
