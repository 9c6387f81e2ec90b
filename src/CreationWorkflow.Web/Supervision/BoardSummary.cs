using System.Linq.Expressions;
using System.Reflection;

namespace CreationWorkflow.Web.Supervision;

/// <summary>What the summary groups by: 按单位 (the default), 按事项, 按阶段.</summary>
public enum BoardBy { Unit, Item, Phase }

/// <summary>The summary's filters, from the query string. The campaign defaults to the newest one.</summary>
public sealed record SummaryQuery(Guid? CampaignId, string? By);

/// <summary>
/// One unit (or item, or phase) of a campaign on one day. <see cref="Due"/> (应交): assignments whose due date has
/// passed; <see cref="Delivered"/> (已交): of those, submitted or approved; <see cref="Late"/> (逾期): of those, still
/// owed (red); <see cref="LongestWorkingDaysLate"/>: the oldest late one's working days late; the lights of all its
/// open work; <see cref="OnTime"/> (按时): of the due, delivered on or before the due date (<see cref="Deadline.OnTime"/>);
/// <see cref="OnTimeRate"/> (按时率, %): on time ÷ due (<see cref="Deadline.OnTimeRate"/>), null when nothing is due yet.
/// </summary>
public sealed record SummaryRow(
    string Key, string Label, int Due, int Delivered, int Late, int LongestWorkingDaysLate, int Red, int Yellow, int Blue, decimal? OnTimeRate,
    int OnTime = 0)
{
    /// <summary>The row's light: that of its worst open work (红 while anything is late, 正常 when nothing is lit).</summary>
    public Light Light => Red > 0 ? Light.Red : Yellow > 0 ? Light.Yellow : Blue > 0 ? Light.Blue : Light.None;
}

public sealed record BoardSummaryView(DateOnly Today, Guid? CampaignId, string? CampaignName, BoardBy By, LightCounts Counts, IReadOnlyList<SummaryRow> Rows);

/// <summary>One cell of the heat map: a unit's work due in one month, the part delivered, and the part delivered on time.</summary>
public sealed record HeatCell(string Unit, int Year, int Month, int Due, int Delivered, int OnTime = 0)
{
    /// <summary>The month's 按时率 (<see cref="Deadline.OnTimeRate"/>); 0 when nothing was due.</summary>
    public decimal Rate => Deadline.OnTimeRate(OnTime, Due) ?? 0m;
}

/// <summary>
/// The board's summaries: units (or items, or phases) with their work due, delivered, late and lit, highest risk first,
/// and the units × months heat map. Every figure is one GROUP BY on the server with <see cref="LightQuery"/>'s
/// predicates — no request reads a campaign's assignments row by row.
/// </summary>
public sealed class BoardSummaries(AppDbContext db, TimeProvider clock, WorkingDayCalendar calendar, WorkflowCatalog workflows, ProgrammeCatalog programmes, CampaignFigures figures)
{
    /// <summary>How many months the heat map shows (the last ones with work due).</summary>
    public const int HeatMonths = 12;

    public async Task<BoardSummaryView> SummaryAsync(SummaryQuery query, CancellationToken ct) => (await SummaryAndHeatAsync(query, ct)).View;

    /// <summary>
    /// The summary and, grouped by unit, the campaign's heat map (<see cref="HeatMapAsync(Guid?, CancellationToken)"/>'s
    /// cells) from the same single GROUP BY over unit and month of the due date: a unit's row is the sum of its months.
    /// </summary>
    public async Task<(BoardSummaryView View, IReadOnlyList<HeatCell> Heat)> SummaryAndHeatAsync(SummaryQuery query, CancellationToken ct)
    {
        var by = ParseBy(query.By);
        var today = ChinaTime.Today(clock.GetUtcNow());
        var campaign = await CampaignAsync(query.CampaignId, ct);
        if (campaign is null)
        {
            return (new BoardSummaryView(today, null, null, by, new LightCounts(0, 0, 0, 0), []), []);
        }
        return await figures.GetAsync($"board-summary|{by}", [campaign.Value.Id], today, () => ComputeAsync(campaign.Value, by, today, ct), ct);
    }

    private async Task<(BoardSummaryView View, IReadOnlyList<HeatCell> Heat)> ComputeAsync((Guid Id, string Name) campaign, BoardBy by, DateOnly today, CancellationToken ct)
    {
        var lookup = await CampaignLookup.LoadAsync(db, workflows, programmes, [campaign.Id], ct);
        var lights = new LightQuery(lookup, today, calendar);
        var rows = db.Assignments.Where(a => a.CampaignId == campaign.Id && a.State != AssignmentState.Cancelled);
        IReadOnlyList<HeatCell> heat = [];
        IEnumerable<(string Key, Totals Agg)> groups;
        switch (by)
        {
            case BoardBy.Item:
                groups = (await GroupAsync(rows.Where(a => a.ItemNo != null), a => a.ItemNo, lights, ct))
                    .Select(g => (g.Key!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Totals.Of(g)));
                break;
            case BoardBy.Phase:
                groups = (await GroupAsync(rows, a => a.PhaseId, lights, ct)).Select(g => (g.Key, Totals.Of(g)));
                break;
            default:
                var months = await GroupAsync(rows, a => new UnitMonth { Unit = a.Unit, Year = a.DueDate.Year, Month = a.DueDate.Month }, lights, ct);
                groups = months.GroupBy(g => g.Key.Unit, StringComparer.Ordinal)
                    .Select(u => (u.Key, u.Select(Totals.Of).Aggregate(Totals.Add)));
                heat = Heat(months.Where(g => g.Due > 0).Select(g => (g.Key.Unit, g.Key.Year, g.Key.Month, g.Due, g.Red, g.OnTime)));
                break;
        }
        var phaseNames = by == BoardBy.Phase
            ? await db.Set<Campaigns.CampaignPhaseRecord>().Where(p => p.CampaignId == campaign.Id).ToDictionaryAsync(p => p.PhaseId, p => p.Name, ct)
            : [];
        var list = groups.Select(g => new SummaryRow(g.Key, by switch
            {
                BoardBy.Item => $"{g.Key}. {lookup.ItemText(campaign.Id, int.Parse(g.Key, System.Globalization.CultureInfo.InvariantCulture))}".TrimEnd(),
                BoardBy.Phase => phaseNames.GetValueOrDefault(g.Key, g.Key),
                _ => g.Key,
            },
            g.Agg.Due, g.Agg.Due - g.Agg.Red, g.Agg.Red,
            g.Agg.OldestLate is { } oldest ? Deadline.On(AssignmentState.Assigned, oldest, null, today, calendar).WorkingDaysLate : 0,
            g.Agg.Red, g.Agg.Yellow, g.Agg.Blue, Deadline.OnTimeRate(g.Agg.OnTime, g.Agg.Due), g.Agg.OnTime))
            .OrderByDescending(r => r.Late).ThenByDescending(r => r.LongestWorkingDaysLate).ThenByDescending(r => r.Yellow)
            .ThenByDescending(r => r.Blue).ThenBy(r => r.OnTimeRate ?? 101m).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        var counts = new LightCounts(list.Sum(r => r.Red), list.Sum(r => r.Yellow), list.Sum(r => r.Blue), 0);
        return (new BoardSummaryView(today, campaign.Id, campaign.Name, by, counts, list), heat);
    }

    /// <summary>
    /// Heat-map cells from per unit × month figures of work due by today (due, late, on time): the last
    /// <see cref="HeatMonths"/> months with work due, by unit and month. The one shape of both ways to a heat map.
    /// </summary>
    private static IReadOnlyList<HeatCell> Heat(IEnumerable<(string Unit, int Year, int Month, int Due, int Late, int OnTime)> figures)
    {
        var all = figures.ToList();
        var months = all.Select(c => (c.Year, c.Month)).Distinct().Order().TakeLast(HeatMonths).ToHashSet();
        return [.. all.Where(c => months.Contains((c.Year, c.Month)))
            .Select(c => new HeatCell(c.Unit, c.Year, c.Month, c.Due, c.Due - c.Late, c.OnTime))
            .OrderBy(c => c.Unit, StringComparer.Ordinal).ThenBy(c => c.Year).ThenBy(c => c.Month)];
    }

    /// <summary>A unit's month (of the due date): the summary by unit groups by these, and sums them per unit.</summary>
    public sealed class UnitMonth
    {
        public string Unit { get; set; } = "";
        public int Year { get; set; }
        public int Month { get; set; }
    }

    /// <summary>One summary row's figures (a group's, or the sum of a unit's months).</summary>
    private sealed record Totals(int Due, int Red, int Yellow, int Blue, DateOnly? OldestLate, int OnTime)
    {
        public static Totals Of<TKey>(Aggregate<TKey> g) => new(g.Due, g.Red, g.Yellow, g.Blue, g.OldestLate, g.OnTime);

        public static Totals Add(Totals x, Totals y) => new(x.Due + y.Due, x.Red + y.Red, x.Yellow + y.Yellow, x.Blue + y.Blue,
            x.OldestLate is { } a && y.OldestLate is { } b ? (a < b ? a : b) : x.OldestLate ?? y.OldestLate, x.OnTime + y.OnTime);
    }

    /// <summary>Units × months (of the due date) for a campaign: the work due in the month by today and the part delivered.</summary>
    public Task<IReadOnlyList<HeatCell>> HeatMapAsync(Guid? campaignId, CancellationToken ct) => HeatMapAsync(campaignId, null, ct);

    /// <summary>As <see cref="HeatMapAsync(Guid?, CancellationToken)"/>; with <paramref name="month"/>, that month's cells only (the bulletin's period).</summary>
    public async Task<IReadOnlyList<HeatCell>> HeatMapAsync(Guid? campaignId, (int Year, int Month)? month, CancellationToken ct)
    {
        if (await CampaignAsync(campaignId, ct) is not { } campaign)
        {
            return [];
        }
        return (await HeatMapsAsync([campaign.Id], month, ct))[campaign.Id];
    }

    /// <summary>
    /// The heat maps of several campaigns (the overview shows one per campaign) in one GROUP BY over campaign, unit and
    /// month: per cell the work due by today (<c>COUNT</c>) and the part still owed (<see cref="LightQuery.LateOn"/>); a
    /// cell needs no other light, so no campaign's periods are looked up.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<HeatCell>>> HeatMapsAsync(
        IReadOnlyCollection<Guid> campaignIds, (int Year, int Month)? month, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock.GetUtcNow());
        var ids = campaignIds.Distinct().ToList();
        var rows = db.Assignments.Where(a => ids.Contains(a.CampaignId) && a.State != AssignmentState.Cancelled && a.DueDate < today);
        if (month is { } m)
        {
            var (from, to) = (new DateOnly(m.Year, m.Month, 1), new DateOnly(m.Year, m.Month, 1).AddMonths(1));
            rows = rows.Where(a => a.DueDate >= from && a.DueDate < to);
        }
        // Kept as the cells themselves, so a page shown again neither counts nor arranges them (nor draws them: HeatMapSvg).
        return await figures.GetAsync($"heat|{month}", ids, today, async () =>
        {
            var cells = await LightQuery.CountAndLateAsync(rows, a => new HeatKey { CampaignId = a.CampaignId, Unit = a.Unit, Year = a.DueDate.Year, Month = a.DueDate.Month }, today, ct);
            var byCampaign = cells.ToLookup(c => c.Key.CampaignId);
            return (IReadOnlyDictionary<Guid, IReadOnlyList<HeatCell>>)ids.ToDictionary(
                id => id, id => Heat(byCampaign[id].Select(c => (c.Key.Unit, c.Key.Year, c.Key.Month, c.Count, c.Late, c.OnTime))));
        }, ct);
    }

    /// <summary>The campaign asked for (404 when it does not exist), else the newest; null when there is none.</summary>
    public async Task<(Guid Id, string Name)?> CampaignAsync(Guid? campaignId, CancellationToken ct)
    {
        var campaigns = db.Campaigns.AsQueryable();
        if (campaignId is { } id)
        {
            campaigns = campaigns.Where(c => c.Id == id);
        }
        var found = await campaigns.OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id).Select(c => new { c.Id, c.Name }).FirstOrDefaultAsync(ct);
        if (found is null && campaignId is not null)
        {
            throw new DomainException("campaignId", "创建活动不存在。", ErrorKind.NotFound);
        }
        return found is null ? null : (found.Id, found.Name);
    }

    /// <summary>A heat-map cell's group: campaign, unit and month of the due date.</summary>
    public sealed class HeatKey
    {
        public Guid CampaignId { get; set; }
        public string Unit { get; set; } = "";
        public int Year { get; set; }
        public int Month { get; set; }
    }

    public static BoardBy ParseBy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "unit" => BoardBy.Unit,
        "item" => BoardBy.Item,
        "phase" => BoardBy.Phase,
        _ => throw new DomainException("by", $"汇总方式须为 unit（按单位）、item（按事项）或 phase（按阶段），而不是 '{value}'。"),
    };

    /// <summary>What one group's SQL gives: its key, its work due so far, its lights today and its oldest late due date.</summary>
    public sealed class Aggregate<TKey>
    {
        public TKey Key { get; set; } = default!;
        public int Due { get; set; }
        public int Red { get; set; }
        public int Yellow { get; set; }
        public int Blue { get; set; }
        public DateOnly? OldestLate { get; set; }

        /// <summary>Of the due so far, delivered on time.</summary>
        public int OnTime { get; set; }
    }

    private static readonly MethodInfo MinOf = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Min) && m.GetGenericArguments().Length == 2 && m.GetParameters().Length == 2)
        .MakeGenericMethod(typeof(AssignmentRecord), typeof(DateOnly?));

    /// <summary>
    /// One GROUP BY: per key, COUNT(due so far), COUNT(red), COUNT(yellow), COUNT(blue), MIN(due date of the late) and COUNT(due and on time),
    /// with the light predicates spliced in as they are (the select is built as an expression tree for that).
    /// </summary>
    private static Task<List<Aggregate<TKey>>> GroupAsync<TKey>(
        IQueryable<AssignmentRecord> rows, Expression<Func<AssignmentRecord, TKey>> key, LightQuery lights, CancellationToken ct)
    {
        var g = Expression.Parameter(typeof(IGrouping<TKey, AssignmentRecord>), "g");
        var today = lights.Today;
        Expression<Func<AssignmentRecord, bool>> due = a => a.DueDate < today;
        Expression Count(Expression<Func<AssignmentRecord, bool>> p) => Expression.Call(LightQuery.CountWhere, g, p);
        var a = lights.Late.Parameters[0];
        var oldest = Expression.Lambda<Func<AssignmentRecord, DateOnly?>>(
            Expression.Condition(lights.Late.Body, Expression.Convert(Expression.Property(a, nameof(AssignmentRecord.DueDate)), typeof(DateOnly?)),
                Expression.Constant(null, typeof(DateOnly?))), a);
        MemberAssignment Set(string name, Expression value) => Expression.Bind(typeof(Aggregate<TKey>).GetProperty(name)!, value);
        var select = Expression.Lambda<Func<IGrouping<TKey, AssignmentRecord>, Aggregate<TKey>>>(
            Expression.MemberInit(Expression.New(typeof(Aggregate<TKey>)),
                Set(nameof(Aggregate<TKey>.Key), Expression.Property(g, "Key")),
                Set(nameof(Aggregate<TKey>.Due), Count(due)),
                Set(nameof(Aggregate<TKey>.Red), Count(lights.Red)),
                Set(nameof(Aggregate<TKey>.Yellow), Count(lights.Yellow)),
                Set(nameof(Aggregate<TKey>.Blue), Count(lights.Blue)),
                Set(nameof(Aggregate<TKey>.OldestLate), Expression.Call(MinOf, g, oldest)),
                Set(nameof(Aggregate<TKey>.OnTime), Count(LightQuery.And(due, LightQuery.OnTime)))), g);
        return rows.GroupBy(key).Select(select).ToListAsync(ct);
    }
}
