namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// The embedded demo's 督办单: the inspectors issue one order, through <see cref="SupervisionService.IssueAsync"/>, to
/// 市教育局 for its two longest-late duties, due in five working days — so the board, the order pages and the unit's
/// inbox have something to show.
/// </summary>
public static class SupervisionDemo
{
    public const string Unit = "市教育局";
    public const string Actor = "督查室 李督查（演示）";

    public static async Task SeedAsync(IServiceProvider services, Guid campaignId, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        if (await db.SupervisionOrders.AnyAsync(o => o.CampaignId == campaignId, ct))
        {
            return;
        }
        var today = ChinaTime.Today(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var late = await db.Assignments
            .Where(a => a.CampaignId == campaignId && a.Unit == Unit)
            .Where(LightQuery.LateOn(today))
            .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).ThenBy(a => a.StepId)
            .Select(a => a.Id).Take(2).ToListAsync(ct);
        if (late.Count == 0)
        {
            return;
        }
        var rectifyBy = services.GetRequiredService<WorkingDayCalendar>().AddWorkingDays(today, 5);
        await services.GetRequiredService<SupervisionService>().IssueAsync(
            new IssueOrderRequest(campaignId, Unit, late, "上述任务逾期未办理，请限期整改到位，并提交整改反馈，说明整改措施和完成情况。", rectifyBy), Actor, ct);
    }
}
