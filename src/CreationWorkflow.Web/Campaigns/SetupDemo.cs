namespace CreationWorkflow.Web.Campaigns;

/// <summary>Demo run only: two units ask for more time, through the real lifecycle, so 任务调整 has 延期申请 to decide.</summary>
public static class SetupDemo
{
    public static async Task SeedAsync(IServiceProvider services, Guid campaignId, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var service = services.GetRequiredService<AssignmentService>();
        var today = ChinaTime.Today(services.GetRequiredService<TimeProvider>().GetUtcNow());
        foreach (var (unit, reason) in new[]
        {
            ("市教育局", "学期末集中开展民族团结教育主题活动，台账须待活动结束后整理。"),
            ("金城江区", "乡镇换届，创建工作联络员调整，需重新收集佐证材料。"),
        })
        {
            var row = await db.Assignments
                .Where(a => a.CampaignId == campaignId && a.Unit == unit && a.ExtensionRequestedDueDate == null
                    && (a.State == AssignmentState.Assigned || a.State == AssignmentState.Acknowledged || a.State == AssignmentState.InProgress))
                .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).FirstOrDefaultAsync(ct);
            if (row is null)
            {
                continue;
            }
            var until = (row.DueDate > today ? row.DueDate : today).AddDays(14);
            await service.ApplyAsync(row, (l, at) => l.RequestExtension(Actor.Unit(unit), at, until, reason), $"{unit}（演示）", ct);
        }
    }
}
