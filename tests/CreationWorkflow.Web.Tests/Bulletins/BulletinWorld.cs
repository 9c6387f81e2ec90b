using CreationWorkflow.Web.Bulletins;
using CreationWorkflow.Web.Tests.Supervision;

namespace CreationWorkflow.Web.Tests.Bulletins;

/// <summary>
/// Two Hechi campaigns on workflow version 2 (which declares the bulletin), started 2021-12-01 and 2022-01-10. In
/// January an order goes to one late unit and stays open; in February another goes to a second unit, which answers,
/// and it is closed; three units deliver their February work. Then the bulletin cron runs on the last day of February
/// (nothing), on the first working day of March by the calendar (last month's bulletin for each campaign) and once
/// more (nothing). The runs' results are kept for the tests, which look at the same day.
/// </summary>
public sealed class BulletinWorld : IAsyncLifetime
{
    public const string Workflow = "hechi-2021";
    public const int Version = 2;
    public const string LeadersAddress = "leaders@hechi.example";
    public static readonly BulletinPeriod Period = new(2022, 2);

    public TestClock Clock { get; } = new(Scenario.At(2021, 11, 30, 9));
    public AppFactory App { get; }
    public Guid CampaignId { get; private set; }
    public Guid OtherCampaignId { get; private set; }

    /// <summary>The first working day of March 2022 by seed/calendar: the day the cron builds February's bulletins.</summary>
    public DateOnly FirstWorkingDay { get; private set; }

    public string JanuaryUnit { get; private set; } = null!;
    public string FebruaryUnit { get; private set; } = null!;
    public IReadOnlyList<string> DeliveringUnits { get; private set; } = [];

    public IReadOnlyList<BulletinView> DayBefore { get; private set; } = [];
    public IReadOnlyList<BulletinView> FirstRun { get; private set; } = [];
    public IReadOnlyList<BulletinView> SecondRun { get; private set; } = [];

    public BulletinWorld() => App = new AppFactory
    {
        Clock = Clock,
        Settings = new Dictionary<string, string> { ["CreationWorkflow:Mail:LeadersAddress"] = LeadersAddress },
    };

    public async Task InitializeAsync()
    {
        var office = await App.PatientClientFor(Roles.Office);
        CampaignId = await AppFactory.StartCampaignAsync(office, Workflow, "2021-12-01", workflowVersion: Version);
        OtherCampaignId = await AppFactory.StartCampaignAsync(office, Workflow, "2022-01-10", workflowVersion: Version);
        var calendar = App.Services.GetRequiredService<WorkingDayCalendar>();
        FirstWorkingDay = BulletinSchedule.FirstWorkingDay(2022, 3, calendar);

        Clock.Set(Scenario.At(2022, 1, 20));
        JanuaryUnit = await IssueAsync(close: false, avoid: null);
        Clock.Set(Scenario.At(2022, 2, 15));
        FebruaryUnit = await IssueAsync(close: true, avoid: JanuaryUnit);

        // Three units deliver the work due in February (submitted: no longer owed).
        DeliveringUnits = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == CampaignId && a.Unit != CampaignPlanner.Office)
            .Select(a => a.Unit).Distinct().OrderBy(u => u).Take(3).ToList());
        App.WithDb(db =>
        {
            var rows = db.Assignments.Where(a => a.CampaignId == CampaignId && DeliveringUnits.Contains(a.Unit)
                && a.DueDate >= Period.First && a.DueDate <= Period.Last && a.State != AssignmentState.Cancelled).ToList();
            Assert.NotEmpty(rows);
            rows.ForEach(a => a.State = AssignmentState.Submitted);
            return db.SaveChanges();
        });

        Clock.Set(Scenario.At(FirstWorkingDay.Year, FirstWorkingDay.Month, FirstWorkingDay.Day, 9).AddDays(-1));
        Assert.NotEqual(FirstWorkingDay, ChinaTime.Today(Clock.GetUtcNow()));
        DayBefore = await RunCronAsync();
        Clock.Set(Scenario.At(FirstWorkingDay.Year, FirstWorkingDay.Month, FirstWorkingDay.Day, 9));
        FirstRun = await RunCronAsync();
        SecondRun = await RunCronAsync();
    }

    /// <summary>What the Quartz job runs for the definition version, in a scope of its own.</summary>
    public async Task<IReadOnlyList<BulletinView>> RunCronAsync()
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BulletinService>().RunScheduledAsync(Workflow, Version, default);
    }

    /// <summary>A 督办单 to the unit of the most overdue owed assignment (not <paramref name="avoid"/>'s); answered and closed if told.</summary>
    private async Task<string> IssueAsync(bool close, string? avoid)
    {
        var today = ChinaTime.Today(Clock.GetUtcNow());
        var late = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == CampaignId && a.Unit != CampaignPlanner.Office && a.Unit != avoid).ToList())
            .Where(a => Deadline.IsLate(a.State, a.DueDate, today)).OrderBy(a => a.DueDate).ThenBy(a => a.Unit, StringComparer.Ordinal).First();
        var inspector = await App.ClientFor(Roles.Inspector);
        var issued = await inspector.PostAsJsonAsync("/api/supervision/orders", new
        {
            campaignId = CampaignId, unit = late.Unit, assignmentIds = new[] { late.Id }, requirement = "限期补报进展材料",
            rectifyBy = today.AddDays(7).ToString("yyyy-MM-dd"),
        });
        Assert.True(issued.StatusCode == HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        var order = (Guid)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        if (close)
        {
            var unit = await App.ClientFor(Roles.Unit, late.Unit);
            Assert.Equal(HttpStatusCode.OK, (await unit.PostAsJsonAsync($"/api/supervision/orders/{order}/feedback", new { text = "已补报" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await inspector.PostAsJsonAsync($"/api/supervision/orders/{order}/close", new { decision = "整改到位，销号" })).StatusCode);
        }
        return late.Unit;
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        App.DeleteFolders();
        return Task.CompletedTask;
    }
}
