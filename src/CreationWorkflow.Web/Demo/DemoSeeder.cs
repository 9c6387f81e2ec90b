using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Assignments;
using CreationWorkflow.Web.Campaigns;
using CreationWorkflow.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Demo;

/// <summary>
/// The embedded demo run only (CreationWorkflow:Demo, set in Development configuration): mail addresses for the
/// demo units, and a Hechi campaign started four months ago — so today falls in 全面推进 — with some work done
/// through the real services (audited like any other) and the rest late, so every page has something to show.
/// </summary>
public static class DemoSeeder
{
    public const string Actor = "system:demo";

    public static async Task SeedAsync(IServiceProvider services, ILogger log, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        foreach (var (name, _, _, unit) in AccountSetup.DemoAccounts.Where(a => a.Unit is not null))
        {
            var row = await db.Units.FirstOrDefaultAsync(u => u.ProgrammeId == "hechi-2021" && u.Name == unit, ct);
            if (row is { Email: null })
            {
                row.Email = $"{name}@demo.hechi.example";
            }
        }
        await db.SaveChangesAsync(ct);
        if (await db.Campaigns.AnyAsync(ct))
        {
            return;
        }

        var today = Supervision.Supervision.Today(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var start = new DateOnly(today.Year, today.Month, 1).AddMonths(-4);
        var campaign = await services.GetRequiredService<CampaignService>()
            .StartAsync(new StartCampaign("hechi-2021", start, "河池市创建全国民族团结进步示范市（演示）", WorkflowVersion: 1), Actor, ct);

        var service = services.GetRequiredService<AssignmentService>();
        async Task Do(string unit, Func<AssignmentRecord, bool> which, Func<AssignmentLifecycle, Actor, DateTimeOffset, AssignmentTransition>[] steps)
        {
            var rows = await db.Assignments.Where(a => a.CampaignId == campaign.Id && a.Unit == unit).OrderBy(a => a.DueDate).ToListAsync(ct);
            foreach (var row in rows.Where(which))
            {
                foreach (var step in steps)
                {
                    await service.ApplyAsync(row, (l, at) => step(l, Core.Assignments.Actor.Unit(unit), at), $"{unit}（演示）", ct);
                }
            }
        }

        // 市民宗委 signed for all its duties and reported the first two months; 市教育局 is partly done; the rest is late.
        await Do("市民宗委", a => a.StepId == "acknowledge", [(l, a, t) => l.Acknowledge(a, t)]);
        await Do("市民宗委", a => a.StepId == "progress" && a.Period <= 2, [
            (l, a, t) => l.Acknowledge(a, t),
            (l, a, t) => l.ReportProgress(a, t, "已按月召开民族团结进步创建工作推进会，台账已整理。"),
            (l, a, t) => l.Submit(a, t),
        ]);
        await Do("市教育局", a => a.StepId == "progress" && a.Period == 1 && a.ItemNo <= 10, [
            (l, a, t) => l.Acknowledge(a, t),
            (l, a, t) => l.ReportProgress(a, t, "已将民族团结教育纳入学校课程计划。"),
        ]);
        await Supervision.SupervisionDemo.SeedAsync(services, campaign.Id, ct);
        await Scoring.AssessmentDemo.SeedAsync(services, campaign.Id, ct);
        await SetupDemo.SeedAsync(services, campaign.Id, ct);
        log.LogWarning("Demo campaign '{Name}' started on {Start} with some progress; sign in as office / minzongwei / inspector (password {Password}).",
            campaign.Name, start, AccountSetup.DemoPassword);
    }
}
