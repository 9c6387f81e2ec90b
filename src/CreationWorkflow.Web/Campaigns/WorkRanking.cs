namespace CreationWorkflow.Web.Campaigns;

/// <summary>
/// One unit's work in a city campaign up to today: assignments whose due date has passed (<see cref="Due"/>), those it
/// has finished (submitted or approved), those first delivered by their due date (<see cref="Deadline.OnTime"/>), the
/// on-time rate (<see cref="Deadline.OnTimeRate"/>), and those overdue now (still owed, past due).
/// </summary>
public sealed record WorkRankRow(int Rank, string Unit, int Due, int Done, int OnTime, decimal? OnTimeRate, int Overdue);

public sealed record WorkRanking(Guid CampaignId, DateOnly Today, IReadOnlyList<WorkRankRow> Rows)
{
    /// <summary>
    /// Ranks every unit with assignments in the campaign (the office's own duties aside) by the board's summary by unit
    /// (<see cref="BoardSummaries.SummaryAsync"/>: one GROUP BY, the same 应交, 已交, 按时 and 逾期): highest on-time rate
    /// first, then fewest overdue, then most finished; units with nothing due yet come last. Equal keys share a rank.
    /// </summary>
    public static async Task<WorkRanking> ComputeAsync(BoardSummaries summaries, Guid campaignId, CancellationToken ct)
    {
        var summary = await summaries.SummaryAsync(new SummaryQuery(campaignId, "unit"), ct);
        var rows = summary.Rows.Where(r => r.Key != CampaignPlanner.Office)
            .Select(r => new WorkRankRow(0, r.Key, r.Due, r.Delivered, r.OnTime, r.OnTimeRate, r.Late)).ToList();
        static (decimal, int, int) Key(WorkRankRow r) => (r.OnTimeRate ?? -1m, -r.Overdue, r.Done);
        var ordered = rows.OrderByDescending(Key).ThenBy(r => r.Unit, StringComparer.Ordinal).ToList();
        return new WorkRanking(campaignId, summary.Today, [.. ordered.Select(r => r with { Rank = 1 + ordered.Count(o => Key(o).CompareTo(Key(r)) > 0) })]);
    }

    /// <summary>The ranking as an XLSX sheet, in the layout of the unit ranking (<see cref="RankingExport"/>).</summary>
    public byte[] ToXlsx(Programme programme, string creator)
    {
        var sheet = new SheetWriter("工作排名", [7, 26, 12, 12, 12, 12, 12]);
        var title = $"{programme.Header.Title}·各单位工作排名（截至{Today:yyyy年M月d日}）";
        sheet.Row(SheetCell.Of(title, SheetStyle.Title));
        sheet.Merge(1, 0, 1, 6);
        sheet.Row([.. new[] { "名次", "单位", "应完成", "已完成", "按期完成", "按时完成率（%）", "当前逾期" }.Select(h => SheetCell.Of(h, SheetStyle.Header))]);
        foreach (var r in Rows)
        {
            sheet.Row(SheetCell.Of(r.Rank), SheetCell.Of(r.Unit), SheetCell.Of(r.Due), SheetCell.Of(r.Done), SheetCell.Of(r.OnTime),
                r.OnTimeRate is { } rate ? SheetCell.Of(rate) : SheetCell.Of("—", SheetStyle.Centre), SheetCell.Of(r.Overdue));
        }
        return sheet.Save(title, creator, Today, headerRow: 2);
    }

    /// <summary>
    /// The ranking sheet for signed-in pages (cookie; the /api twin takes bearer tokens only): the unit-assessment ranking
    /// for a unit programme, the work ranking for a city programme.
    /// </summary>
    public static RouteHandlerBuilder MapRankingDownload(IEndpointRouteBuilder app) =>
        app.MapGet("/campaigns/{id:guid}/ranking.xlsx", DownloadAsync).RequireAuthorization(Policies.Staff).ExcludeFromDescription();

    public static async Task<FileContentHttpResult> DownloadAsync(Guid id, CampaignLoader loader, Standings standings, BoardSummaries summaries, TimeProvider clock, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        if (programme.Header.Subject == ProgrammeSubject.Unit)
        {
            return await RankingExport.Export(id, loader, standings, clock, ct);
        }
        var ranking = await ComputeAsync(summaries, id, ct);
        return TypedResults.File(ranking.ToXlsx(programme, "创建办"), SheetWriter.ContentType,
            $"工作排名-{campaign.ProgrammeId}-{ranking.Today:yyyyMMdd}.xlsx");
    }
}
