using System.Linq.Expressions;
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
    string PhaseId, string? Period, DateOnly DueDate, AssignmentState State, string StateText, Light Light, string LightText, int DaysLate);

/// <summary>How many open assignments (under the other filters) carry each light.</summary>
public sealed record LightCounts(int Red, int Yellow, int Blue, int None);

public sealed record BoardView(DateOnly Today, LightCounts Counts, int Total, int Page, int PageSize, IReadOnlyList<BoardRow> Items);

/// <summary>
/// The overdue board (督查看板). Lights come from the clock, never from storage. The database does the filtering,
/// sorting and paging: red is a date comparison; blue and yellow can only fall on assignments due within
/// 2×<see cref="Supervision.BlueWithinWorkingDays"/> working days (or returned ones), a small set whose lights are
/// computed here to count them and to filter by them. Only the page's rows are then loaded and described.
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

    /// <summary>Every row under the filters, in the board's order, on one page (the XLSX export); paging is ignored.</summary>
    public Task<BoardView> AllAsync(BoardQuery query, CancellationToken ct)
    {
        var light = ParseLight(query.Light);
        return RunAsync(query, light, 1, int.MaxValue, 0, int.MaxValue, ct);
    }

    private async Task<BoardView> RunAsync(BoardQuery query, Light? light, int page, int pageSize, int skip, int take, CancellationToken ct)
    {
        var today = Supervision.Today(clock.GetUtcNow());

        var open = db.Assignments.Where(a => a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled);
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

        // Red: the unit still owes it and the date has passed (a submitted one waits on its reviewer, not on the unit).
        Expression<Func<AssignmentRecord, bool>> late = a => a.State != AssignmentState.Submitted && a.DueDate < today;
        Expression<Func<AssignmentRecord, bool>> notLate = a => a.State == AssignmentState.Submitted || a.DueDate >= today;

        // Blue and yellow: only among the few not yet late that are due soon, or returned for rework.
        var horizon = calendar.AddWorkingDays(today, 2 * Supervision.BlueWithinWorkingDays + 1);
        var near = await open
            .Where(a => a.State != AssignmentState.Submitted && a.DueDate >= today && (a.DueDate < horizon || a.State == AssignmentState.Returned))
            .Select(a => new { a.Id, a.CampaignId, a.StepId, a.Period, a.State, a.DueDate })
            .ToListAsync(ct);
        var lookup = await CampaignLookup.LoadAsync(db, workflows, programmes, near.Select(n => n.CampaignId), ct);
        var nearLights = near.Select(n => (n.Id, Light: Supervision.LightOf(n.State, n.DueDate, today, calendar, lookup.PeriodStart(n.CampaignId, n.StepId, n.Period))))
            .Where(n => n.Light != Light.None)
            .ToList();
        var blue = nearLights.Where(n => n.Light == Light.Blue).Select(n => n.Id).ToList();
        var yellow = nearLights.Where(n => n.Light == Light.Yellow).Select(n => n.Id).ToList();
        var lit = nearLights.Select(n => n.Id).ToList();

        var total = await open.CountAsync(ct);
        var red = await open.CountAsync(late, ct);
        var counts = new LightCounts(red, yellow.Count, blue.Count, total - red - yellow.Count - blue.Count);

        var (rows, matching) = light switch
        {
            Light.Red => (open.Where(late), counts.Red),
            Light.Yellow => (open.Where(a => yellow.Contains(a.Id)), counts.Yellow),
            Light.Blue => (open.Where(a => blue.Contains(a.Id)), counts.Blue),
            Light.None => (open.Where(notLate).Where(a => !lit.Contains(a.Id)), counts.None),
            _ => (open, total),
        };
        // Most days late first (the earliest due date among the late), then by due date; the rest make the order stable.
        var pageRows = await rows
            .OrderBy(a => a.State != AssignmentState.Submitted && a.DueDate < today ? 0 : 1)
            .ThenBy(a => a.DueDate)
            .ThenBy(a => a.Unit)
            .ThenBy(a => a.ItemNo)
            .ThenBy(a => a.StepId)
            .ThenBy(a => a.Period)
            .ThenBy(a => a.Id)
            .Skip(skip).Take(take)
            .ToListAsync(ct);

        lookup = await CampaignLookup.LoadAsync(db, workflows, programmes, pageRows.Select(a => a.CampaignId), ct);
        var items = pageRows.Select(a =>
        {
            var l = Supervision.LightOf(a.State, a.DueDate, today, calendar, lookup.PeriodStart(a.CampaignId, a.StepId, a.Period));
            return new BoardRow(a.Id, a.CampaignId, a.Unit, a.ItemNo, lookup.ItemText(a.CampaignId, a.ItemNo), a.StepId,
                lookup.StepName(a.CampaignId, a.StepId), a.PhaseId, a.PeriodLabel, a.DueDate, a.State, a.State.Label(), l,
                Supervision.Chinese(l), l == Light.Red ? today.DayNumber - a.DueDate.DayNumber : 0);
        }).ToList();
        return new BoardView(today, counts, matching, page, pageSize, items);
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
