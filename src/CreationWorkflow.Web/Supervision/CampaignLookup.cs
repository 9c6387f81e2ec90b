using CreationWorkflow.Core.Programmes;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Reminders;
using CreationWorkflow.Web.Workflows;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// What a list shows beside stored assignments, from each campaign's own workflow version: the step's name, the
/// item's text, and the start of a recurring step's period (which <see cref="Supervision.LightOf"/> needs).
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
            .Select(c => new { c.Id, c.StartDate, c.WorkflowId, c.WorkflowVersion, c.ProgrammeId })
            .ToListAsync(ct);
        return new(rows.ToDictionary(c => c.Id,
            c => new Entry(c.StartDate, workflows.Get(c.WorkflowId, c.WorkflowVersion), programmes.Find(c.ProgrammeId))));
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

    /// <summary>The first day of the assignment's period; null for a step that does not recur.</summary>
    public DateOnly? PeriodStart(Guid campaignId, string stepId, int? period)
    {
        if (period is not { } index || !campaigns.TryGetValue(campaignId, out var entry) || entry.Programme is null
            || Step(campaignId, stepId) is not { } step)
        {
            return null;
        }
        if (!periods.TryGetValue((campaignId, stepId), out var cut))
        {
            cut = periods[(campaignId, stepId)] = CampaignPlanner.PeriodsOf(entry.Programme, entry.Definition, step, entry.Start);
        }
        return cut.FirstOrDefault(p => p.Index == index)?.Start;
    }

    private WorkflowStep? Step(Guid campaignId, string stepId) =>
        campaigns.GetValueOrDefault(campaignId)?.Definition.Steps.FirstOrDefault(s => s.Id == stepId);
}
