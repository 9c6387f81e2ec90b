using System.Linq.Expressions;

namespace CreationWorkflow.Web.Supervision;

/// <summary>The board's filters, from the query string. All optional.</summary>
public sealed record BoardQuery(Guid? CampaignId, string? Unit, int? Item, string? Phase, string? Light, int? Page, int? PageSize);

/// <summary>One open assignment on the board, with its light as of today.</summary>
public sealed record BoardRow(
    Guid AssignmentId, Guid CampaignId, string Unit, int? ItemNo, string? ItemText, string StepId, string StepName,
    string PhaseId, string? Period, DateOnly DueDate, AssignmentState State, string StateText, Light Light, string LightText, int DaysLate, int WorkingDaysLate);

/// <summary>How many open assignments (under the other filters) carry each light.</summary>
public sealed record LightCounts(int Red, int Yellow, int Blue, int None);

public sealed record BoardView(DateOnly Today, LightCounts Counts, int Total, int Page, int PageSize, IReadOnlyList<BoardRow> Items);

/// <summary>
/// The overdue board (督查看板). Lights come from the clock, never from storage (<see cref="Deadline"/>). The database
/// does the filtering, counting, sorting and paging with <see cref="LightQuery"/>'s predicates; only the page's rows are
/// loaded and described.
/// </summary>
public sealed class SupervisionBoard(AppDbContext db, TimeProvider clock, WorkingDayCalendar calendar, WorkflowCatalog workflows, ProgrammeCatalog programmes, CampaignFigures figures)
{
    public const int DefaultPageSize = 50;

    public Task<BoardView> QueryAsync(BoardQuery query, CancellationToken ct)
    {
        var light = ParseLight(query.Light);
        var (page, pageSize, skip) = Paging.Check(query.Page, query.PageSize, DefaultPageSize);
        // A page of the board is a figure of the campaigns it shows: kept until one of them changes, or the day does.
        return figures.GetAsync($"board|{Filters(query)}|{light}|{page}|{pageSize}", query.CampaignId is { } id ? [id] : null,
            ChinaTime.Today(clock.GetUtcNow()), () => RunAsync(query, light, page, pageSize, skip, pageSize, ct), ct);
    }

    /// <summary>
    /// Every row under the filters, in the board's order (paging is ignored), as the database gives them: untracked, one
    /// at a time, so memory does not grow with the rows (the XLSX export). Bad filters throw before the first row.
    /// </summary>
    public async Task<(DateOnly Today, IAsyncEnumerable<BoardRow> Rows)> StreamAsync(BoardQuery query, CancellationToken ct)
    {
        var light = ParseLight(query.Light);
        var (today, open, lookup, lights) = await FilterAsync(query, ct);
        var filtered = light is { } l ? open.Where(lights.Of(l)) : open;
        // The late first, then the rest: each part read in due-date order (an index range), as the board's page reads them.
        var rows = Concat(ByDue(filtered.Where(lights.Late)).AsNoTracking().AsAsyncEnumerable(),
            ByDue(filtered.Where(lights.NotLate)).AsNoTracking().AsAsyncEnumerable());
        return (today, Described(rows, lookup, today, ct));
    }

    private static async IAsyncEnumerable<AssignmentRecord> Concat(
        IAsyncEnumerable<AssignmentRecord> first, IAsyncEnumerable<AssignmentRecord> second)
    {
        await foreach (var a in first)
        {
            yield return a;
        }
        await foreach (var a in second)
        {
            yield return a;
        }
    }

    private async IAsyncEnumerable<BoardRow> Described(
        IAsyncEnumerable<AssignmentRecord> rows, CampaignLookup lookup, DateOnly today, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var a in rows.WithCancellation(ct))
        {
            yield return Row(a, lookup, today);
        }
    }

    private async Task<BoardView> RunAsync(BoardQuery query, Light? light, int page, int pageSize, int skip, int take, CancellationToken ct)
    {
        var (today, open, lookup, lights) = await FilterAsync(query, ct);
        var (total, counts) = await figures.GetAsync($"board-count|{Filters(query)}", query.CampaignId is { } id ? [id] : null, today,
            () => CountAsync(open, lights, ct), ct);

        var (rows, matching, late) = light switch
        {
            { } l => (open.Where(lights.Of(l)), l switch { Light.Red => counts.Red, Light.Yellow => counts.Yellow, Light.Blue => counts.Blue, _ => counts.None },
                l == Light.Red ? counts.Red : 0),
            _ => (open, total, counts.Red),
        };
        // The board's order is the late first, then the rest, each by due date. Reading the two parts apart lets the
        // database walk an index in due-date order and stop at the page, instead of sorting every open row by a CASE.
        var pageRows = new List<AssignmentRecord>(take);
        if (skip < late)
        {
            pageRows.AddRange(await ByDue(rows.Where(lights.Late)).Skip(skip).Take(take).ToListAsync(ct));
        }
        if (pageRows.Count < take && matching > late)
        {
            pageRows.AddRange(await ByDue(rows.Where(lights.NotLate)).Skip(Math.Max(0, skip - late)).Take(take - pageRows.Count).ToListAsync(ct));
        }
        var items = pageRows.Select(a => Row(a, lookup, today)).ToList();
        return new BoardView(today, counts, matching, page, pageSize, items);
    }

    /// <summary>The filters (campaign, unit, item, phase) as part of a kept figure's name.</summary>
    private static string Filters(BoardQuery query) =>
        string.Join('|', query.CampaignId, Uri.EscapeDataString(query.Unit?.Trim() ?? ""), query.Item, Uri.EscapeDataString(query.Phase?.Trim() ?? ""));

    /// <summary>The rows under the filters and their lights, in one scan: COUNT(*) and a COUNT per light (GROUP BY a constant).</summary>
    private static async Task<(int Total, LightCounts Counts)> CountAsync(IQueryable<AssignmentRecord> open, LightQuery lights, CancellationToken ct)
    {
        var g = Expression.Parameter(typeof(IGrouping<int, AssignmentRecord>), "g");
        Expression Count(Expression<Func<AssignmentRecord, bool>> p) => Expression.Call(LightQuery.CountWhere, g, p);
        MemberAssignment Set(string name, Expression value) => Expression.Bind(typeof(Tally).GetProperty(name)!, value);
        var select = Expression.Lambda<Func<IGrouping<int, AssignmentRecord>, Tally>>(
            Expression.MemberInit(Expression.New(typeof(Tally)),
                Set(nameof(Tally.Total), Expression.Call(LightQuery.CountAll, g)),
                Set(nameof(Tally.Red), Count(lights.Red)),
                Set(nameof(Tally.Yellow), Count(lights.Yellow)),
                Set(nameof(Tally.Blue), Count(lights.Blue))), g);
        // One group (or none): read as a list, as a First would make EF warn of a First without an ORDER BY.
        var tally = (await open.GroupBy(a => 1).Select(select).ToListAsync(ct)).SingleOrDefault() ?? new Tally();
        return (tally.Total, new LightCounts(tally.Red, tally.Yellow, tally.Blue, tally.Total - tally.Red - tally.Yellow - tally.Blue));
    }

    private sealed class Tally
    {
        public int Total { get; set; }
        public int Red { get; set; }
        public int Yellow { get; set; }
        public int Blue { get; set; }
    }

    /// <summary>
    /// By due date, the rest make the order stable. The board lists the late part first (most days late first: the earliest
    /// due date among the late), then the rest in this order.
    /// </summary>
    private static IQueryable<AssignmentRecord> ByDue(IQueryable<AssignmentRecord> rows) => rows
        .OrderBy(a => a.DueDate)
        .ThenBy(a => a.Unit)
        .ThenBy(a => a.ItemNo)
        .ThenBy(a => a.StepId)
        .ThenBy(a => a.Period)
        .ThenBy(a => a.Id);

    /// <summary>The open assignments under the filters (unit, item, phase, campaign), and the lights of today for them.</summary>
    private async Task<(DateOnly Today, IQueryable<AssignmentRecord> Open, CampaignLookup Lookup, LightQuery Lights)> FilterAsync(BoardQuery query, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock.GetUtcNow());
        var open = db.Assignments.Where(LightQuery.Open);
        if (query.CampaignId is { } campaignId)
        {
            if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
            {
                throw new DomainException("campaignId", "创建活动不存在。", ErrorKind.NotFound);
            }
            open = open.Where(a => a.CampaignId == campaignId);
        }
        if (!string.IsNullOrWhiteSpace(query.Unit))
        {
            var unit = query.Unit.Trim();
            open = open.Where(a => a.Unit == unit);
        }
        if (query.Item is { } item)
        {
            open = open.Where(a => a.ItemNo == item);
        }
        if (!string.IsNullOrWhiteSpace(query.Phase))
        {
            var phase = query.Phase.Trim();
            open = open.Where(a => a.PhaseId == phase);
        }
        var lookup = query.CampaignId is { } only
            ? await CampaignLookup.LoadAsync(db, workflows, programmes, [only], ct)
            : await CampaignLookup.LoadAllAsync(db, workflows, programmes, ct);
        return (today, open, lookup, new LightQuery(lookup, today, calendar));
    }

    private BoardRow Row(AssignmentRecord a, CampaignLookup lookup, DateOnly today)
    {
        var status = lookup.Status(a, today, calendar);
        return new BoardRow(a.Id, a.CampaignId, a.Unit, a.ItemNo, lookup.ItemText(a.CampaignId, a.ItemNo), a.StepId,
            lookup.StepName(a.CampaignId, a.StepId), a.PhaseId, a.PeriodLabel, a.DueDate, a.State, a.State.Label(), status.Light,
            Deadline.Chinese(status.Light), status.DaysLate, status.WorkingDaysLate);
    }

    /// <summary>red, yellow, blue or none (any case); null when not given.</summary>
    public static Light? ParseLight(string? value) =>
        Input.Choice<Light>(value, "light", $"预警灯须为 red（红灯）、yellow（黄灯）、blue（蓝灯）或 none（正常），而不是 '{value}'。");
}
