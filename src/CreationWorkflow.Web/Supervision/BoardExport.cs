using CreationWorkflow.Core.Calendar;
using CreationWorkflow.Web.Acceptance;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// The overdue board (督查看板) as an XLSX sheet, under the same filters as the page and the API, every matching row
/// in the board's order (paging is ignored): 单位, 事项, 任务, 阶段, 截止日期, 逾期工作日, 灯色, 状态.
/// Served at /supervision/board.xlsx (the page's cookie) and /api/supervision/board.xlsx (a bearer token).
/// </summary>
public static class BoardExport
{
    public static readonly IReadOnlyList<string> Headers = ["单位", "事项", "任务", "阶段", "截止日期", "逾期工作日", "灯色", "状态"];

    public static IEndpointRouteBuilder MapBoardExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/supervision/board.xlsx", Export).RequireAuthorization(Policies.Staff).WithName("SupervisionBoardXlsxPage").ExcludeFromDescription();
        app.MapGet("/api/supervision/board.xlsx", Export).RequireAuthorization(Policies.Staff).WithName("SupervisionBoardXlsx").WithTags("Supervision")
            .WithSummary("The overdue board as an XLSX sheet, with the board's filters (campaignId, unit, item, phase, light); every matching row.")
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<FileContentHttpResult> Export(
        [AsParameters] BoardQuery query, SupervisionBoard board, AppDbContext db, WorkingDayCalendar calendar, CancellationToken ct)
    {
        var view = await board.AllAsync(query with { Page = null, PageSize = null }, ct);
        var bytes = await WriteAsync(view, db, calendar, ct);
        return TypedResults.File(bytes, SheetWriter.ContentType, $"督查看板-{view.Today:yyyyMMdd}.xlsx");
    }

    /// <summary>The 任务 column: the step, with its period for a recurring one.</summary>
    public static string TaskText(BoardRow row) => row.Period is { } period ? $"{row.StepName}（{period}）" : row.StepName;

    /// <summary>The 事项 column: the item's number and text.</summary>
    public static string ItemText(BoardRow row) =>
        row.ItemNo is { } no ? $"{no}. {row.ItemText}".TrimEnd() : row.ItemText ?? "—";

    private static async Task<byte[]> WriteAsync(BoardView view, AppDbContext db, WorkingDayCalendar calendar, CancellationToken ct)
    {
        var campaignIds = view.Items.Select(r => r.CampaignId).Distinct().ToList();
        var phases = (await db.Set<Campaigns.CampaignPhaseRecord>().Where(p => campaignIds.Contains(p.CampaignId))
                .Select(p => new { p.CampaignId, p.PhaseId, p.Name }).ToListAsync(ct))
            .ToDictionary(p => (p.CampaignId, p.PhaseId), p => p.Name);

        var sheet = new SheetWriter("督查看板", [18, 48, 22, 12, 12, 10, 8, 10]);
        var title = $"督查看板（截至{view.Today:yyyy年M月d日}）";
        sheet.Row(SheetCell.Of(title, SheetStyle.Title));
        sheet.Merge(1, 0, 1, Headers.Count - 1);
        sheet.Row([.. Headers.Select(h => SheetCell.Of(h, SheetStyle.Header))]);
        foreach (var r in view.Items)
        {
            sheet.Row(
                SheetCell.Of(r.Unit),
                SheetCell.Of(ItemText(r)),
                SheetCell.Of(TaskText(r)),
                SheetCell.Of(phases.GetValueOrDefault((r.CampaignId, r.PhaseId), r.PhaseId), SheetStyle.Centre),
                SheetCell.Of(r.DueDate.ToString("yyyy-MM-dd"), SheetStyle.Centre),
                SheetCell.Of(r.WorkingDaysLate),
                SheetCell.Of(r.LightText, SheetStyle.Centre),
                SheetCell.Of(r.StateText, SheetStyle.Centre));
        }
        return sheet.Save(title, "创建办", view.Today, headerRow: 2);
    }
}
