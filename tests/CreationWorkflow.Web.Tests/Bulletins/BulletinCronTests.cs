using CreationWorkflow.Web.Jobs;
using Quartz;

namespace CreationWorkflow.Web.Tests.Bulletins;

/// <summary>The host's check of cron expressions (Quartz), as the loader calls it: the bulletin's must fire on every month's first working day.</summary>
public sealed class BulletinCronTests
{
    private static readonly WorkingDayCalendar Calendar =
        WorkingDayCalendar.Load(Path.Combine(AppFactory.RepoRoot, "seed", "calendar", "cn-holidays.json"));

    private static readonly CronCheck Check = QuartzCron.Check(Calendar);

    [Fact]
    public void The_shipped_cron_fires_on_every_first_working_day_and_the_first_of_the_month_does_not()
    {
        Assert.Null(Check("0 0 9 1-10 * ?", true));
        // The first working day that is not the 1st, by the calendar: the reason names it.
        var late = Calendar.CoveredYears.SelectMany(y => Enumerable.Range(1, 12).Select(m => BulletinSchedule.FirstWorkingDay(y, m, Calendar))).First(d => d.Day != 1);
        Assert.Contains($"在 {late:yyyy-MM-dd}", Check("0 0 9 1 * ?", true));
        // A first working day on a weekend make-up day (调休) defeats a weekdays-only cron, if the calendar has one.
        var weekend = Calendar.CoveredYears.SelectMany(y => Enumerable.Range(1, 12).Select(m => BulletinSchedule.FirstWorkingDay(y, m, Calendar)))
            .FirstOrDefault(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        if (weekend != default)
        {
            Assert.Contains($"在 {weekend:yyyy-MM-dd}", Check("0 0 9 ? * MON-FRI", true));
        }
        Assert.Null(Check("0 0 9 1 * ?", false)); // a checkpoint's cron is only parsed
        Assert.Contains("不是有效的 Quartz cron 表达式", Check("0 0 9 32 * ?", false));
    }

    [Fact]
    public async Task The_host_stores_one_cron_trigger_per_definition_version_that_declares_a_bulletin()
    {
        var app = new AppFactory { Scheduling = true };
        try
        {
            _ = app.CreateClient();
            var expected = app.Services.GetRequiredService<WorkflowCatalog>().Versions.Where(d => d.Bulletin is not null)
                .ToDictionary(d => $"{d.Id}:v{d.Version}", d => d.Bulletin!.Cron);
            Assert.NotEmpty(expected);
            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            var keys = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(BulletinScheduler.Group));
            Assert.Equal(expected.Keys.Order(), keys.Select(k => k.Name).Order());
            foreach (var key in keys)
            {
                var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(key));
                Assert.Equal(expected[key.Name], trigger.CronExpressionString);
                Assert.Equal(typeof(BulletinJob), (await scheduler.GetJobDetail(trigger.JobKey))!.JobType.Type);
            }
        }
        finally
        {
            app.Dispose();
            app.DeleteFolders();
        }
    }
}
