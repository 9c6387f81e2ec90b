using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Calendar;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Workflows;
using Microsoft.EntityFrameworkCore;

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
public sealed class SupervisionBoard(AppDbContext db, TimeProvider clock, WorkingDayCalendar calendar, WorkflowCatalog workflows, ProgrammeCatalog programmes)
{
    public const int DefaultPageSize = 50;

    public Task<BoardView> QueryAsync(BoardQuery query, CancellationToken ct)
    {
        var light = ParseLight(query.Light);
        var (page, pageSize, skip) = Paging.Check(query.Page, query.PageSize, DefaultPageSize);
        return RunAsync(query, light, page, pageSize, skip, pageSize, ct);
    }

    /// <summary>
    /// Every row under the filters, in the board's order (paging is ignored), as the database gives them: untracked, one
    /// at a time, so memory does not grow with the rows (the XLSX export). Bad filters throw before the first row.
    /// </summary>
    public async Task<(DateOnly Today, IAsyncEnumerable<BoardRow> Rows)> StreamAsync(BoardQuery query, CancellationToken ct)
    {
        var light = ParseLight(query.Light);
        var (today, open, lookup, lights) = await FilterAsync(query, ct);
        var rows = Ordered(light is { } l ? open.Where(lights.Of(l)) : open, lights).AsNoTracking().AsAsyncEnumerable();
        return (today, Described(rows, lookup, today, ct));
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
        var total = await open.CountAsync(ct);
        var counts = new LightCounts(await open.CountAsync(lights.Red, ct), await open.CountAsync(lights.Yellow, ct), await open.CountAsync(lights.Blue, ct), 0);
        counts = counts with { None = total - counts.Red - counts.Yellow - counts.Blue };

        var (rows, matching) = light switch
        {
            { } l => (open.Where(lights.Of(l)), l switch { Light.Red => counts.Red, Light.Yellow => counts.Yellow, Light.Blue => counts.Blue, _ => counts.None }),
            _ => (open, total),
        };
        var pageRows = await Ordered(rows, lights).Skip(skip).Take(take).ToListAsync(ct);
        var items = pageRows.Select(a => Row(a, lookup, today)).ToList();
        return new BoardView(today, counts, matching, page, pageSize, items);
    }

    /// <summary>Most days late first (the earliest due date among the late), then by due date; the rest make the order stable.</summary>
    private static IQueryable<AssignmentRecord> Ordered(IQueryable<AssignmentRecord> rows, LightQuery lights) => rows
        .OrderBy(lights.LateFirst)
        .ThenBy(a => a.DueDate)
        .ThenBy(a => a.Unit)
        .ThenBy(a => a.ItemNo)
        .ThenBy(a => a.StepId)
        .ThenBy(a => a.Period)
        .ThenBy(a => a.Id);

    /// <summary>The open assignments under the filters (unit, item, phase, campaign), and the lights of today for them.</summary>
    private async Task<(DateOnly Today, IQueryable<AssignmentRecord> Open, CampaignLookup Lookup, LightQuery Lights)> FilterAsync(BoardQuery query, CancellationToken ct)
    {
        var today = Supervision.Today(clock.GetUtcNow());
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
    public static Light? ParseLight(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        if (!char.IsLetter(text[0]) || !Enum.TryParse<Light>(text, ignoreCase: true, out var light))
        {
            throw new DomainException("light", $"预警灯须为 red（红灯）、yellow（黄灯）、blue（蓝灯）或 none（正常），而不是 '{value}'。");
        }
        return light;
    }
}
