using System.Linq.Expressions;

namespace CreationWorkflow.Web.Assignments;

/// <summary>One group of a unit's inbox with its count (逾期, 本周到期, 待我审核, 以后, 已交/已办结).</summary>
public sealed record InboxGroupCount(InboxGroup Group, string Key, string Name, int Count);

/// <summary>待我审核 by item: how many submissions (report lines and per-item assignments) on the item wait for the unit.</summary>
public sealed record InboxReviewItem(int ItemNo, string? ItemText, int Count);

/// <summary>A phase of a campaign in which the unit has tasks not yet signed for (批量签收 signs them all at once).</summary>
public sealed record InboxToSign(Guid CampaignId, string CampaignName, string PhaseId, string PhaseName, int Count);

/// <summary>The inbox's summary: the day, the last day 本周到期 covers, each group's count, 待我审核 by item, and what awaits 签收.</summary>
public sealed record InboxSummary(
    DateOnly Today, DateOnly ThisWeekUntil, IReadOnlyList<InboxGroupCount> Groups, IReadOnlyList<InboxReviewItem> ReviewItems, IReadOnlyList<InboxToSign> ToSign);

/// <summary>
/// A unit's inbox, for the page (/inbox) and the API (/api/assignments/mine): the groups of <see cref="InboxWindow"/> (the one
/// rule, in Core) as SQL filters built from its ranges, their counts in one GROUP BY over the unit's rows (index
/// unit + due date), 待我审核 counted by item (indexes reviewer + state on assignments and report lines), and the rows of one
/// group on demand, paged. No request reads every assignment of a campaign.
/// </summary>
public sealed class InboxQuery(AppDbContext db, WorkingDayCalendar calendar, TimeProvider clock, ProgrammeCatalog programmes, CampaignFigures figures)
{
    public InboxWindow Window() => Deadline.Inbox(ChinaTime.Today(clock.GetUtcNow()), calendar);

    /// <summary>The unit's own tasks, optionally of one campaign and in one state.</summary>
    public IQueryable<AssignmentRecord> Own(string unit, Guid? campaignId = null, AssignmentState? state = null)
    {
        var query = db.Assignments.Where(a => a.Unit == unit);
        if (campaignId is { } c)
        {
            query = query.Where(a => a.CampaignId == c);
        }
        return state is { } s ? query.Where(a => a.State == s) : query;
    }

    /// <summary>What the unit reviews now: per-item submissions naming it, and reports with a submitted line it reviews.</summary>
    public IQueryable<AssignmentRecord> ToReview(string unit, Guid? campaignId = null)
    {
        var lines = db.ReportLines.Where(l => l.ReviewerUnit == unit && l.State == ReportLineState.Submitted);
        var query = db.Assignments.Where(a => (a.ReviewerUnit == unit && a.State == AssignmentState.Submitted) || lines.Any(l => l.AssignmentId == a.Id));
        return campaignId is { } c ? query.Where(a => a.CampaignId == c) : query;
    }

    /// <summary>The predicate of one of the unit's own groups: its range's states and due dates (<see cref="InboxWindow.Range"/>).</summary>
    public static Expression<Func<AssignmentRecord, bool>> Filter(InboxWindow window, InboxGroup group)
    {
        var range = window.Range(group);
        var filter = LightQuery.InStates(range.States);
        if (range.DueFrom is { } from)
        {
            filter = LightQuery.And(filter, a => a.DueDate >= from);
        }
        if (range.DueUntil is { } until)
        {
            filter = LightQuery.And(filter, a => a.DueDate <= until);
        }
        return filter;
    }

    /// <summary>The rows of one group, oldest due first (a page of them is taken by the caller).</summary>
    public IQueryable<AssignmentRecord> Rows(string unit, InboxWindow window, InboxGroup group, Guid? campaignId = null, AssignmentState? state = null, int? itemNo = null)
    {
        var rows = group == InboxGroup.ToReview ? ToReview(unit, campaignId) : Own(unit, campaignId, state).Where(Filter(window, group));
        if (itemNo is { } no)
        {
            rows = rows.Where(a => a.ItemNo == no);
        }
        return rows.OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.StepId).ThenBy(a => a.Period).ThenBy(a => a.Id);
    }

    /// <summary>The unit's group counts, 待我审核 by item and the phases to sign for (kept under the campaigns' revisions).</summary>
    public Task<InboxSummary> SummaryAsync(string unit, Guid? campaignId, AssignmentState? state, CancellationToken ct)
    {
        var window = Window();
        return figures.GetAsync($"inbox|{Uri.EscapeDataString(unit)}|{campaignId}|{state}", campaignId is { } id ? [id] : null, window.Today,
            () => ComputeSummaryAsync(window, unit, campaignId, state, ct), ct);
    }

    private async Task<InboxSummary> ComputeSummaryAsync(InboxWindow window, string unit, Guid? campaignId, AssignmentState? state, CancellationToken ct)
    {
        var own = InboxWindow.Groups.Where(g => g != InboxGroup.ToReview).ToList();
        var counts = await CountAsync(Own(unit, campaignId, state), [.. own.Select(g => Filter(window, g))], ct);

        // 待我审核: per-item submissions and report lines, each one decision, by item.
        var perItem = db.Assignments.Where(a => a.ReviewerUnit == unit && a.State == AssignmentState.Submitted && a.ItemNo != null);
        var lines = db.ReportLines.Where(l => l.ReviewerUnit == unit && l.State == ReportLineState.Submitted)
            .Join(db.Assignments, l => l.AssignmentId, a => a.Id, (l, a) => new { l.ItemNo, a.CampaignId, a.ProgrammeId });
        if (campaignId is { } c)
        {
            perItem = perItem.Where(a => a.CampaignId == c);
            lines = lines.Where(l => l.CampaignId == c);
        }
        var byItem = (await perItem.GroupBy(a => new { ItemNo = a.ItemNo!.Value, a.ProgrammeId }).Select(g => new { g.Key.ItemNo, g.Key.ProgrammeId, Count = g.Count() }).ToListAsync(ct))
            .Concat(await lines.GroupBy(l => new { l.ItemNo, l.ProgrammeId }).Select(g => new { g.Key.ItemNo, g.Key.ProgrammeId, Count = g.Count() }).ToListAsync(ct))
            .GroupBy(x => x.ItemNo)
            .Select(g => new InboxReviewItem(g.Key, ItemText(g.First().ProgrammeId, g.Key), g.Sum(x => x.Count)))
            .OrderBy(i => i.ItemNo).ToList();

        var groups = InboxWindow.Groups.Select(g => new InboxGroupCount(g, InboxWindow.Key(g), InboxWindow.Chinese(g),
            g == InboxGroup.ToReview ? byItem.Sum(i => i.Count) : counts[own.IndexOf(g)])).ToList();

        // 批量签收: the phases with tasks not yet signed for, by campaign.
        var toSign = Own(unit, campaignId).Where(a => a.State == AssignmentState.Assigned)
            .GroupBy(a => new { a.CampaignId, a.PhaseId }).Select(g => new { g.Key.CampaignId, g.Key.PhaseId, Count = g.Count() });
        var signing = await toSign
            .Join(db.Campaigns, s => s.CampaignId, c => c.Id, (s, c) => new { s.CampaignId, c.Name, s.PhaseId, s.Count, c.StartDate })
            .ToListAsync(ct);
        var ids = signing.Select(s => s.CampaignId).Distinct().ToList();
        var phases = await db.CampaignPhases.Where(p => ids.Contains(p.CampaignId)).Select(p => new { p.CampaignId, p.PhaseId, p.Name, p.Start }).ToListAsync(ct);
        var sign = signing
            .Select(s => (s, Phase: phases.FirstOrDefault(p => p.CampaignId == s.CampaignId && p.PhaseId == s.PhaseId)))
            .OrderByDescending(x => x.s.StartDate).ThenBy(x => x.Phase?.Start ?? DateOnly.MaxValue).ThenBy(x => x.s.PhaseId, StringComparer.Ordinal)
            .Select(x => new InboxToSign(x.s.CampaignId, x.s.Name, x.s.PhaseId, x.Phase?.Name ?? x.s.PhaseId, x.s.Count))
            .ToList();
        return new InboxSummary(window.Today, window.ThisWeekUntil, groups, byItem, sign);
    }

    private string? ItemText(string programmeId, int itemNo) => programmes.Find(programmeId)?.Items.ElementAtOrDefault(itemNo - 1)?.Text;

    private static readonly System.Reflection.MethodInfo CountWhere = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 2).MakeGenericMethod(typeof(AssignmentRecord));

    /// <summary>What the aggregate row gives: one COUNT per filter (at most five).</summary>
    private sealed class Counts
    {
        public int C0 { get; set; }
        public int C1 { get; set; }
        public int C2 { get; set; }
        public int C3 { get; set; }
        public int C4 { get; set; }

        public int[] ToArray() => [C0, C1, C2, C3, C4];
    }

    /// <summary>One aggregate row: COUNT of each predicate over <paramref name="rows"/> (a GROUP BY a constant, spliced as an expression tree).</summary>
    private static async Task<IReadOnlyList<int>> CountAsync(IQueryable<AssignmentRecord> rows, IReadOnlyList<Expression<Func<AssignmentRecord, bool>>> filters, CancellationToken ct)
    {
        var g = Expression.Parameter(typeof(IGrouping<int, AssignmentRecord>), "g");
        var select = Expression.Lambda<Func<IGrouping<int, AssignmentRecord>, Counts>>(
            Expression.MemberInit(Expression.New(typeof(Counts)),
                filters.Select((f, i) => Expression.Bind(typeof(Counts).GetProperty($"C{i}")!, Expression.Call(CountWhere, g, f)))), g);
        // One group (or none): read as a list, as a First would make EF warn of a First without an ORDER BY.
        var row = (await rows.GroupBy(a => 1).Select(select).ToListAsync(ct)).SingleOrDefault();
        return row?.ToArray()[..filters.Count] ?? new int[filters.Count];
    }
}
