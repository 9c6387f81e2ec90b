using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// What a list shows beside stored assignments, from each campaign's own workflow version: the step's name, the
/// item's text, and the window of a recurring step's period (which <see cref="Deadline.On"/> needs for the 序时进度 light).
/// Loaded once per request for the campaigns on the page.
/// </summary>
public sealed class CampaignLookup
{
    private sealed record Entry(DateOnly Start, WorkflowDefinition Definition, Programme? Programme);

    private readonly Dictionary<Guid, Entry> campaigns;
    private readonly Dictionary<(Guid, string), IReadOnlyList<Period>> periods = [];

    private CampaignLookup(Dictionary<Guid, Entry> campaigns) => this.campaigns = campaigns;

    public static async Task<CampaignLookup> LoadAsync(
        AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes, IEnumerable<Guid> campaignIds, CancellationToken ct)
    {
        var ids = campaignIds.Distinct().ToList();
        var rows = await db.Campaigns.Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.StartDate, c.WorkflowId, c.WorkflowVersion, c.ProgrammeId, c.ProgrammeVersion })
            .ToListAsync(ct);
        return new(rows.ToDictionary(c => c.Id,
            c => new Entry(c.StartDate, workflows.Get(c.WorkflowId, c.WorkflowVersion), programmes.Find(c.ProgrammeId, c.ProgrammeVersion))));
    }

    public string StepName(Guid campaignId, string stepId) =>
        Step(campaignId, stepId)?.Name ?? stepId;

    public string? ItemText(Guid campaignId, int? itemNo) =>
        itemNo is { } no && campaigns.GetValueOrDefault(campaignId)?.Programme is { } p && no >= 1 && no <= p.Items.Count
            ? p.Items[no - 1].Text
            : null;

    /// <summary>The assignment as notices name it: 第3项「…」报送考核事实及佐证材料（2022年3月）.</summary>
    public string Describe(AssignmentRecord a) =>
        Step(a.CampaignId, a.StepId) is { } step ? ReminderTexts.Describe(a.ItemNo, ItemText(a.CampaignId, a.ItemNo), step.Name, a.PeriodLabel) : a.StepId;

    /// <summary>Every campaign (a board across campaigns).</summary>
    public static async Task<CampaignLookup> LoadAllAsync(AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes, CancellationToken ct) =>
        await LoadAsync(db, workflows, programmes, await db.Campaigns.Select(c => c.Id).ToListAsync(ct), ct);

    public IEnumerable<Guid> CampaignIds => campaigns.Keys;

    /// <summary>The assignment's period; null for a step that does not recur.</summary>
    public PeriodWindow? Period(Guid campaignId, string stepId, int? period) =>
        period is { } index && PeriodsOf(campaignId, stepId).FirstOrDefault(p => p.Index == index) is { } p ? new PeriodWindow(p.Start, p.End) : null;

    /// <summary>The assignment's light and lateness on <paramref name="today"/>, by <see cref="Deadline"/>.</summary>
    public DeadlineStatus Status(AssignmentRecord a, DateOnly today, WorkingDayCalendar calendar) =>
        Deadline.On(a.State, a.DueDate, Period(a.CampaignId, a.StepId, a.Period), today, calendar);

    /// <summary>
    /// For each recurring step of each campaign, the last period whose midpoint has come by <paramref name="today"/>
    /// (periods follow each other, so these are exactly the periods with index ≤ it): what the 序时进度 light needs in SQL.
    /// </summary>
    public IReadOnlyList<(Guid CampaignId, string StepId, int LastPeriod)> PastMidpoint(DateOnly today) =>
        [.. campaigns.SelectMany(c => c.Value.Definition.Steps.Where(s => s.Recurrence is not null).Select(s =>
                (c.Key, s.Id, Last: PeriodsOf(c.Key, s.Id).Where(p => new PeriodWindow(p.Start, p.End).Midpoint <= today).Select(p => p.Index).DefaultIfEmpty(0).Max())))
            .Where(x => x.Last > 0)];

    private IReadOnlyList<Period> PeriodsOf(Guid campaignId, string stepId)
    {
        if (!campaigns.TryGetValue(campaignId, out var entry) || entry.Programme is null || Step(campaignId, stepId) is not { } step)
        {
            return [];
        }
        if (!periods.TryGetValue((campaignId, stepId), out var cut))
        {
            cut = periods[(campaignId, stepId)] = Cut(entry, step);
        }
        return cut;
    }

    /// <summary>
    /// A step's periods depend only on the campaign's start, its workflow version and its programme, none of which a
    /// request changes: they are cut once per process and kept with the loaded definition (a reloaded definition or
    /// programme is a new object, so it is cut again).
    /// </summary>
    private static readonly ConditionalWeakTable<WorkflowDefinition, ConcurrentDictionary<(Programme, string, DateOnly), IReadOnlyList<Period>>> Cuts = new();

    private static IReadOnlyList<Period> Cut(Entry entry, WorkflowStep step) =>
        Cuts.GetOrCreateValue(entry.Definition).GetOrAdd((entry.Programme!, step.Id, entry.Start),
            key => CampaignPlanner.PeriodsOf(key.Item1, entry.Definition, step, key.Item3));

    private WorkflowStep? Step(Guid campaignId, string stepId) =>
        campaigns.GetValueOrDefault(campaignId)?.Definition.Steps.FirstOrDefault(s => s.Id == stepId);
}
