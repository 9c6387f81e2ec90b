namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// 测评指标得分表 as XLSX: every item with 目标, 指标, 序号, 事项, 分值, 自评分, 审核分, 审核状态, then the bonus, penalty
/// (and negative-list) items and the totals — every number from the engine through <see cref="Standings.StandingAsync"/>.
/// Served to staff on the page side (cookie) and on the API (bearer); a unit assessment names its unit with ?subject=.
/// </summary>
public static class ScoreTableExport
{
    public static IEndpointRouteBuilder MapScoreTable(this IEndpointRouteBuilder app)
    {
        app.MapGet("/campaigns/{id:guid}/assessment/score-table.xlsx", Export).RequireAuthorization(Policies.Staff).ExcludeFromDescription();
        app.MapGet("/api/campaigns/{id:guid}/score-table.xlsx", Export).RequireAuthorization(Policies.Staff).WithTags("Assessment").WithName("ScoreTableXlsx")
            .WithSummary("测评指标得分表: every item's points, proposed and reviewed score and review state, bonus/penalty and totals, from the engine.");
        return app;
    }

    public static async Task<FileContentHttpResult> Export(Guid id, string? subject, CampaignLoader loader, Standings standings, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        var who = "";
        if (programme.Header.Subject == ProgrammeSubject.Unit)
        {
            var units = await db.Assignments.Where(a => a.CampaignId == id).Select(a => a.Unit).Distinct().ToListAsync(ct);
            who = !string.IsNullOrWhiteSpace(subject) && units.Contains(subject)
                ? subject
                : throw new DomainException("subject", "请指明被考核单位（subject）。");
        }
        var standing = await standings.StandingAsync(id, who, ct);
        var states = await db.ItemReviews.Where(r => r.CampaignId == id && r.Subject == who).ToDictionaryAsync(r => r.Item, r => r.State, ct);
        var today = ChinaTime.Today(clock.GetUtcNow());
        var title = $"{(who.Length > 0 ? who : programme.Header.Title)}测评指标得分表";
        var bytes = Build(programme, standing, states, title, today);
        return TypedResults.File(bytes, SheetWriter.ContentType, $"测评指标得分表-{campaign.ProgrammeId}{(who.Length > 0 ? "-" + who : "")}-{today:yyyyMMdd}.xlsx");
    }

    internal static byte[] Build(Programme programme, Standing standing, IReadOnlyDictionary<string, ReviewState> states, string title, DateOnly date)
    {
        var (proposed, reviewed) = (standing.Proposed, standing.Reviewed);
        var sheet = new SheetWriter("测评指标得分表", [12, 14, 6, 56, 7, 8, 8, 10]);
        sheet.Row(SheetCell.Of(title, SheetStyle.Title));
        sheet.Merge(1, 0, 1, 7);
        sheet.Row([.. new[] { "测评目标", "测评指标", "序号", "测评内容", "分值", "自评分", "审核分", "审核状态" }.Select(h => SheetCell.Of(h, SheetStyle.Header))]);
        string State(string key) => AssessmentPages.StateName(states.TryGetValue(key, out var s) ? s : null);
        foreach (var target in programme.Targets)
        {
            var targetFirst = 0;
            var targetRows = 0;
            foreach (var indicator in target.Indicators)
            {
                var items = programme.Items.Where(i => i.Indicator == indicator.No).ToList();
                var indicatorFirst = 0;
                foreach (var item in items)
                {
                    var key = item.No.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var row = sheet.Row(
                        SheetCell.Of(targetFirst == 0 ? $"{target.No}.{target.Name}" : "", SheetStyle.Centre),
                        SheetCell.Of(indicatorFirst == 0 ? $"{indicator.No}.{indicator.Name}" : "", SheetStyle.Centre),
                        SheetCell.Of(item.No),
                        SheetCell.Of(item.Text),
                        SheetCell.Of(item.Points),
                        SheetCell.Of(proposed.Item(item.No).Score),
                        SheetCell.Of(reviewed.Item(item.No).Score),
                        SheetCell.Of(State(key), SheetStyle.Centre));
                    targetFirst = targetFirst == 0 ? row : targetFirst;
                    indicatorFirst = indicatorFirst == 0 ? row : indicatorFirst;
                }
                targetRows += items.Count;
                if (indicatorFirst > 0)
                {
                    sheet.Merge(indicatorFirst, 1, indicatorFirst + items.Count - 1, 1);
                }
            }
            if (targetFirst > 0)
            {
                sheet.Merge(targetFirst, 0, targetFirst + targetRows - 1, 0);
            }
        }
        foreach (var (kind, item) in programme.AllAdjustments)
        {
            var (prefix, section, sign) = kind switch
            {
                AdjustmentKind.Bonus => ("B", "加分事项", 1m),
                AdjustmentKind.Penalty => ("P", "减分事项", -1m),
                _ => ("N", "负面清单", -1m),
            };
            var caps = item.Rules.All(r => r.MaxPoints < decimal.MaxValue) ? item.Rules.Sum(r => r.MaxPoints) : (decimal?)null;
            var row = sheet.Row(
                SheetCell.Of(section, SheetStyle.Centre), SheetCell.Of("", SheetStyle.Centre),
                SheetCell.Of($"{prefix}{item.No}", SheetStyle.Centre),
                SheetCell.Of(item.Text),
                SheetCell.Of(caps is { } c ? sign * c : null),
                SheetCell.Of(sign * proposed.Adjustment(kind, item.No).Score),
                SheetCell.Of(sign * reviewed.Adjustment(kind, item.No).Score),
                SheetCell.Of(State(prefix + item.No), SheetStyle.Centre));
            sheet.Merge(row, 0, row, 1);
        }
        void Total(string label, decimal? max, decimal p, decimal r)
        {
            var row = sheet.Row(SheetCell.Of(label, SheetStyle.TotalLabel), SheetCell.Of("", SheetStyle.TotalLabel), SheetCell.Of("", SheetStyle.TotalLabel),
                SheetCell.Of("", SheetStyle.TotalLabel), SheetCell.Of(max, SheetStyle.TotalNumber),
                SheetCell.Of(p, SheetStyle.TotalNumber), SheetCell.Of(r, SheetStyle.TotalNumber), SheetCell.Of("", SheetStyle.TotalLabel));
            sheet.Merge(row, 0, row, 3);
        }
        Total("基础分", proposed.BaseMax, proposed.Base, reviewed.Base);
        Total("加分", null, proposed.Bonus, reviewed.Bonus);
        Total("减分", null, -proposed.Penalty, -reviewed.Penalty);
        Total("总分", null, proposed.Total, reviewed.Total);
        return sheet.Save(title, "创建办", date, headerRow: 2);
    }
}
