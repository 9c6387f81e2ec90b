namespace CreationWorkflow.Web.Acceptance;

/// <summary>The unit ranking of an annual assessment as an XLSX sheet: rank, unit, area subtotals, base, deductions, total.</summary>
public static class RankingExport
{
    public static RouteGroupBuilder MapRankingExport(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns/{id:guid}").WithTags("Assessment");
        api.MapGet("/ranking.xlsx", Export).RequireAuthorization(Policies.Staff).WithName("UnitRankingXlsx");
        return api;
    }

    public static async Task<FileContentHttpResult> Export(Guid id, CampaignLoader loader, Standings standings, TimeProvider clock, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        var ranking = await standings.RankingAsync(id, ct);
        var areas = programme.Targets;
        var sheet = new SheetWriter("考核排名", [7, 26, .. areas.Select(_ => 12.0), 10, 10, 10, 10]);
        var title = $"{programme.Header.Title}·考核排名";
        sheet.Row(SheetCell.Of(title, SheetStyle.Title));
        sheet.Merge(1, 0, 1, 5 + areas.Count);
        sheet.Row([
            SheetCell.Of("名次", SheetStyle.Header), SheetCell.Of("单位", SheetStyle.Header),
            .. areas.Select(a => SheetCell.Of($"{a.Name}（{programme.Items.Where(i => a.Indicators.Any(x => x.No == i.Indicator)).Sum(i => i.Points):0.##}分）", SheetStyle.Header)),
            SheetCell.Of("基础分", SheetStyle.Header), SheetCell.Of("扣分", SheetStyle.Header), SheetCell.Of("总分", SheetStyle.Header), SheetCell.Of("已审核项", SheetStyle.Header),
        ]);
        foreach (var row in ranking.Rows)
        {
            sheet.Row([
                SheetCell.Of(row.Rank), SheetCell.Of(row.Unit),
                .. row.Areas.Select(a => SheetCell.Of(a.Score)),
                SheetCell.Of(row.Base), SheetCell.Of(row.Deductions), SheetCell.Of(row.Total, SheetStyle.TotalNumber), SheetCell.Of($"{row.Reviewed}/{row.Items}", SheetStyle.Centre),
            ]);
        }
        var today = ChinaTime.Today(clock.GetUtcNow());
        var bytes = sheet.Save(title, "创建办", today, headerRow: 2);
        return TypedResults.File(bytes, SheetWriter.ContentType, $"考核排名-{campaign.ProgrammeId}-{today:yyyyMMdd}.xlsx");
    }
}
