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

    /// <summary>
    /// Streams the sheet: rows go from the database (untracked, one at a time) through <see cref="SheetStream"/> to the
    /// response, so memory stays flat whatever the row count. Bad filters are refused before the first byte.
    /// </summary>
    public static async Task<PushStreamHttpResult> Export(
        [AsParameters] BoardQuery query, SupervisionBoard board, AppDbContext db, CancellationToken ct)
    {
        var (today, rows) = await board.StreamAsync(query with { Page = null, PageSize = null }, ct);
        var phases = (await db.Set<Campaigns.CampaignPhaseRecord>().Where(p => query.CampaignId == null || p.CampaignId == query.CampaignId)
                .Select(p => new { p.CampaignId, p.PhaseId, p.Name }).ToListAsync(ct))
            .ToDictionary(p => (p.CampaignId, p.PhaseId), p => p.Name);
        return TypedResults.Stream(output => SheetStream.WriteAsync(output, (stream, token) => Write(stream, today, rows, phases, token), ct),
            SheetWriter.ContentType, $"督查看板-{today:yyyyMMdd}.xlsx");
    }

    /// <summary>The sheet, on the writer's own thread: it waits for each row from the database there.</summary>
    private static void Write(Stream output, DateOnly today, IAsyncEnumerable<BoardRow> rows, Dictionary<(Guid, string), string> phases, CancellationToken ct)
    {
        var title = $"督查看板（截至{today:yyyy年M月d日}）";
        using var sheet = new SheetStream(output, "督查看板", [18, 48, 22, 12, 12, 10, 8, 10], title, "创建办", today, headerRow: 2,
            [(1, 0, Headers.Count - 1)]);
        sheet.Row(SheetCell.Of(title, SheetStyle.Title));
        sheet.Row([.. Headers.Select(h => SheetCell.Of(h, SheetStyle.Header))]);
        var e = rows.GetAsyncEnumerator(ct);
        try
        {
            while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                var r = e.Current;
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
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The 任务 column: the step, with its period for a recurring one.</summary>
    public static string TaskText(BoardRow row) => row.Period is { } period ? $"{row.StepName}（{period}）" : row.StepName;

    /// <summary>The 事项 column: the item's number and text.</summary>
    public static string ItemText(BoardRow row) =>
        row.ItemNo is { } no ? $"{no}. {row.ItemText}".TrimEnd() : row.ItemText ?? "—";
}
