namespace CreationWorkflow.Web.Supervision;

/// <summary>The query behind the order views that the API and the order pages show.</summary>
public static class OrderViews
{
    /// <summary>The orders as the API shows them, with their assignments described (one query for all of them).</summary>
    public static async Task<List<OrderView>> LoadAsync(
        IReadOnlyList<SupervisionOrderRecord> orders, AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes, CancellationToken ct)
    {
        var ids = orders.SelectMany(o => o.Assignments).Select(a => a.AssignmentId).Distinct().ToList();
        var assignments = await db.Assignments.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var lookup = await CampaignLookup.LoadAsync(db, workflows, programmes, orders.Select(o => o.CampaignId), ct);
        return orders.Select(o => new OrderView(
            o.Id, o.CampaignId, o.Title, o.Year, o.Number, o.Unit, o.Requirement, o.RectifyBy, o.IssuedBy, o.IssuedAt,
            o.State, SupervisionOrderLifecycle.Chinese(o.State), o.Feedback, o.FeedbackBy, o.FeedbackAt, o.Decision, o.DecidedAt,
            [.. o.Assignments.Select(x => assignments[x.AssignmentId]).OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.StepId)
                .Select(a => new OrderAssignmentView(a.Id, a.ItemNo, lookup.ItemText(a.CampaignId, a.ItemNo), a.StepId,
                    lookup.StepName(a.CampaignId, a.StepId), a.PeriodLabel, a.DueDate, a.State, a.State.Label()))], o.Source)).ToList();
    }
}
