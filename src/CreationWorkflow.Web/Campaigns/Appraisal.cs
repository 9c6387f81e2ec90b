namespace CreationWorkflow.Web.Campaigns;

/// <summary>
/// One unit's record in a campaign for 绩效考评, on one day: its work from the board's summary by unit (应交, 已交, 按时 and
/// 按时率 by <see cref="Core.Assignments.Deadline.OnTime"/> / <see cref="Core.Assignments.Deadline.OnTimeRate"/>, 当前逾期), how often its
/// work was returned (退回: an assignment's or a report line's), the 督办单 it was issued and how many were closed or escalated,
/// the 领导批示 it was named in and answered, and the items it leads with their points and reviewed score (from the standing).
/// </summary>
public sealed record AppraisalRow(
    string Unit, int Due, int Delivered, int OnTime, decimal? OnTimeRate, int Late, int Returns,
    int OrdersIssued, int OrdersClosed, int OrdersEscalated, int Instructions, int InstructionsAnswered,
    int LeadItems, decimal LeadPoints, decimal LeadReviewed, int LeadItemsReviewed);

public sealed record AppraisalView(Guid CampaignId, string Campaign, DateOnly Today, IReadOnlyList<AppraisalRow> Rows);

/// <summary>
/// 绩效考评 export: every figure from aggregate queries — the board summary (<see cref="BoardSummaries.SummaryAsync"/>, one
/// GROUP BY), returns and orders and instructions grouped by unit, the standing (<see cref="Standings.StandingAsync"/>)
/// — never a read of every assignment of the campaign. Staff; XLSX on the page side (cookie) and on the API (bearer), and JSON.
/// </summary>
public static class Appraisal
{
    public static IEndpointRouteBuilder MapAppraisal(this IEndpointRouteBuilder app)
    {
        app.MapGet("/campaigns/{id:guid}/appraisal.xlsx", Xlsx).RequireAuthorization(Policies.Staff).ExcludeFromDescription();
        var api = app.MapGroup("/api/campaigns/{id:guid}").WithTags("Appraisal");
        api.MapGet("/appraisal.xlsx", Xlsx).RequireAuthorization(Policies.Staff).WithName("AppraisalXlsx")
            .WithSummary("绩效考评: each unit's record in the campaign today (unit= for one): on-time rate, returns, 督办单, 领导批示, its items' reviewed points; XLSX.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/appraisal", Json).RequireAuthorization(Policies.Staff).WithName("Appraisal")
            .WithSummary("The same record as JSON.").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<AppraisalView>> Json(Guid id, string? unit, AppDbContext db, CampaignLoader loader, Standings standings, BoardSummaries summaries, CancellationToken ct) =>
        TypedResults.Ok(await ComputeAsync(id, unit, db, loader, standings, summaries, ct));

    public static async Task<FileContentHttpResult> Xlsx(Guid id, string? unit, AppDbContext db, CampaignLoader loader, Standings standings, BoardSummaries summaries, CancellationToken ct)
    {
        var view = await ComputeAsync(id, unit, db, loader, standings, summaries, ct);
        var headers = new[]
        {
            "单位", "应交", "已交", "按时", "按时率（%）", "当前逾期", "退回次数", "督办单（下发）", "督办单（销号）", "督办单（提级）",
            "领导批示（交办）", "领导批示（已报送）", "牵头事项（考核事项）", "分值", "审核得分", "已审核事项",
        };
        var sheet = new SheetWriter("绩效考评", [26, .. headers.Skip(1).Select(_ => 10.0)]);
        var title = $"{view.Campaign}·各单位创建工作绩效考评（截至{view.Today:yyyy年M月d日}）";
        sheet.Row(SheetCell.Of(title, SheetStyle.Title));
        sheet.Merge(1, 0, 1, headers.Length - 1);
        sheet.Row([.. headers.Select(h => SheetCell.Of(h, SheetStyle.Header))]);
        foreach (var r in view.Rows)
        {
            sheet.Row(
                SheetCell.Of(r.Unit), SheetCell.Of(r.Due), SheetCell.Of(r.Delivered), SheetCell.Of(r.OnTime),
                r.OnTimeRate is { } rate ? SheetCell.Of(rate) : SheetCell.Of("—", SheetStyle.Centre), SheetCell.Of(r.Late), SheetCell.Of(r.Returns),
                SheetCell.Of(r.OrdersIssued), SheetCell.Of(r.OrdersClosed), SheetCell.Of(r.OrdersEscalated),
                SheetCell.Of(r.Instructions), SheetCell.Of(r.InstructionsAnswered),
                SheetCell.Of(r.LeadItems), SheetCell.Of(r.LeadPoints), SheetCell.Of(r.LeadReviewed), SheetCell.Of(r.LeadItemsReviewed));
        }
        var bytes = sheet.Save(title, "创建办", view.Today, headerRow: 2);
        var name = unit is { Length: > 0 } ? $"-{view.Rows.Single().Unit}" : "";
        return TypedResults.File(bytes, SheetWriter.ContentType, $"绩效考评{name}-{view.Today:yyyyMMdd}.xlsx");
    }

    public static async Task<AppraisalView> ComputeAsync(
        Guid id, string? unit, AppDbContext db, CampaignLoader loader, Standings standings, BoardSummaries summaries, CancellationToken ct)
    {
        var only = Input.Text(unit, "unit", required: false, max: Input.NameLength);
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        var summary = await summaries.SummaryAsync(new SummaryQuery(id, "unit"), ct);
        var work = summary.Rows.Where(r => r.Key != CampaignPlanner.Office).ToDictionary(r => r.Key);

        // 退回: audit entries of returns (an assignment's, a report line's), counted per assignment, then per unit.
        string[] returned = [AuditActions.Assignment(Core.Assignments.AssignmentTrigger.Return), AuditActions.ReportLineReturned];
        var perAssignment = await db.Audit.Where(a => a.Entity == AuditEntities.Assignment && returned.Contains(a.Action) && a.At >= campaign.CreatedAt)
            .GroupBy(a => a.EntityId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var ids = perAssignment.Select(x => Guid.TryParse(x.Key, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
        var owners = await db.Assignments.Where(a => a.CampaignId == id && ids.Contains(a.Id)).Select(a => new { a.Id, a.Unit }).ToDictionaryAsync(a => a.Id, a => a.Unit, ct);
        var returns = perAssignment.Where(x => Guid.TryParse(x.Key, out var g) && owners.ContainsKey(g))
            .GroupBy(x => owners[Guid.Parse(x.Key)]).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));

        var orders = (await db.SupervisionOrders.Where(o => o.CampaignId == id)
            .GroupBy(o => o.Unit)
            .Select(g => new
            {
                g.Key, Issued = g.Count(), Closed = g.Count(o => o.State == SupervisionOrderState.Closed),
                Escalated = g.Count(o => o.State == SupervisionOrderState.Escalated),
            }).ToListAsync(ct)).ToDictionary(x => x.Key);
        var instructions = (await db.InstructionTargets
            .Join(db.Instructions.Where(i => i.CampaignId == id), t => t.InstructionId, i => i.Id, (t, i) => t)
            .GroupBy(t => t.Unit).Select(g => new { g.Key, Named = g.Count(), Answered = g.Count(t => t.AnsweredAt != null) }).ToListAsync(ct))
            .ToDictionary(x => x.Key);

        // Its items' reviewed points: in a city programme the items it leads (the standing); in a unit assessment its own
        // score (the ranking: every item, reviewed facts, deductions applied).
        var lead = new Dictionary<string, (int Items, decimal Points, decimal Reviewed, int ItemsReviewed)>();
        if (programme.Header.Subject == Core.Programmes.ProgrammeSubject.Unit)
        {
            var max = programme.Items.Sum(i => i.Points);
            foreach (var r in (await standings.RankingAsync(id, ct)).Rows)
            {
                lead[r.Unit] = (r.Items, max, r.Total, r.Reviewed);
            }
        }
        else
        {
            var standing = await standings.StandingAsync(id, "", ct);
            foreach (var g in standing.Items.SelectMany(i => programme.LeadsOf(i.Item).Select(u => (Unit: u, Item: i))).GroupBy(x => x.Unit))
            {
                var items = g.Select(x => x.Item).ToList();
                lead[g.Key] = (items.Count, items.Sum(i => i.Max), items.Sum(i => i.Reviewed), items.Count(i => i.State is ReviewState.Accepted or ReviewState.Adjusted));
            }
        }

        var units = work.Keys.Concat(orders.Keys).Concat(instructions.Keys).Concat(lead.Keys)
            .Where(u => u != CampaignPlanner.Office).Distinct().ToList();
        if (only is not null)
        {
            units = units.Contains(only) ? [only] : throw new DomainException("unit", $"「{only}」在本创建活动中没有考评记录。", ErrorKind.NotFound);
        }
        var rows = units.Select(u =>
        {
            var w = work.GetValueOrDefault(u);
            var o = orders.GetValueOrDefault(u);
            var n = instructions.GetValueOrDefault(u);
            var l = lead.GetValueOrDefault(u);
            return new AppraisalRow(
                u, w?.Due ?? 0, w?.Delivered ?? 0, w?.OnTime ?? 0, w?.OnTimeRate, w?.Late ?? 0, returns.GetValueOrDefault(u),
                o?.Issued ?? 0, o?.Closed ?? 0, o?.Escalated ?? 0, n?.Named ?? 0, n?.Answered ?? 0,
                l.Items, l.Points, l.Reviewed, l.ItemsReviewed);
        }).OrderBy(r => r.Unit, StringComparer.Ordinal).ToList();
        return new AppraisalView(id, campaign.Name, summary.Today, rows);
    }
}
