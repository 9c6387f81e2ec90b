using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Programmes;
using CreationWorkflow.Core.Workflows;
using CreationWorkflow.Web.Acceptance;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Campaigns;

/// <summary>
/// One unit's work in a city campaign up to today: assignments whose due date has passed (<see cref="Due"/>), those it
/// has finished (submitted or approved), those finished by their due date, the on-time rate (on time ÷ due), and those
/// overdue now (open, not submitted, past due).
/// </summary>
public sealed record WorkRankRow(int Rank, string Unit, int Due, int Done, int OnTime, decimal? OnTimeRate, int Overdue);

public sealed record WorkRanking(Guid CampaignId, DateOnly Today, IReadOnlyList<WorkRankRow> Rows)
{
    /// <summary>
    /// Ranks every unit with assignments in the campaign (the office's own duties aside), from the stored assignments and
    /// the audit trail: highest on-time rate first, then fewest overdue, then most finished; units with nothing due yet come
    /// last. Equal keys share a rank.
    /// </summary>
    public static async Task<WorkRanking> ComputeAsync(AppDbContext db, Guid campaignId, DateOnly today, CancellationToken ct)
    {
        var all = await db.Assignments.AsNoTracking()
            .Where(a => a.CampaignId == campaignId && a.Unit != CampaignPlanner.Office && a.State != AssignmentState.Cancelled)
            .Select(a => new { a.Id, a.Unit, a.DueDate, a.State, a.UpdatedAt }).ToListAsync(ct);
        static bool Finished(AssignmentState s) => s is AssignmentState.Submitted or AssignmentState.Approved;
        var due = all.Where(a => a.DueDate < today).ToList();
        var finishedIds = due.Where(a => Finished(a.State)).Select(a => a.Id.ToString()).ToList();
        // When the unit finished: its last submission, or for acknowledge-only duties its acknowledgement.
        var submit = AuditActions.Assignment(AssignmentTrigger.Submit);
        var acknowledge = AuditActions.Assignment(AssignmentTrigger.Acknowledge);
        var trail = (await db.Audit.AsNoTracking()
                .Where(e => e.Entity == AuditEntities.Assignment && (e.Action == submit || e.Action == acknowledge) && finishedIds.Contains(e.EntityId))
                .Select(e => new { e.EntityId, e.Action, e.At }).ToListAsync(ct))
            .GroupBy(e => e.EntityId)
            .ToDictionary(g => g.Key, g => (g.Where(e => e.Action == submit).MaxBy(e => e.At) ?? g.MaxBy(e => e.At))!.At);
        var rows = all.GroupBy(a => a.Unit).Select(g =>
        {
            var mine = due.Where(a => a.Unit == g.Key).ToList();
            var done = mine.Where(a => Finished(a.State)).ToList();
            var onTime = done.Count(a => Supervision.Supervision.Today(trail.GetValueOrDefault(a.Id.ToString(), a.UpdatedAt)) <= a.DueDate);
            var overdue = mine.Count(a => !Finished(a.State));
            return new WorkRankRow(0, g.Key, mine.Count, done.Count, onTime, mine.Count == 0 ? null : Math.Round(100m * onTime / mine.Count, 1), overdue);
        }).ToList();
        static (decimal, int, int) Key(WorkRankRow r) => (r.OnTimeRate ?? -1m, -r.Overdue, r.Done);
        var ordered = rows.OrderByDescending(Key).ThenBy(r => r.Unit, StringComparer.Ordinal).ToList();
        return new WorkRanking(campaignId, today, [.. ordered.Select(r => r with { Rank = 1 + ordered.Count(o => Key(o).CompareTo(Key(r)) > 0) })]);
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

    public static async Task<FileContentHttpResult> DownloadAsync(Guid id, AssessmentService assessment, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (campaign, programme) = await assessment.LoadAsync(id, ct);
        if (programme.Header.Subject == ProgrammeSubject.Unit)
        {
            return await RankingExport.Export(id, assessment, clock, ct);
        }
        var ranking = await ComputeAsync(db, id, Supervision.Supervision.Today(clock.GetUtcNow()), ct);
        return TypedResults.File(ranking.ToXlsx(programme, "创建办"), SheetWriter.ContentType,
            $"工作排名-{campaign.ProgrammeId}-{ranking.Today:yyyyMMdd}.xlsx");
    }
}
