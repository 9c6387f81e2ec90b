namespace CreationWorkflow.Web.Tests.Reminders;

/// <summary>
/// 未读升级 on the virtual clock: a unit's notice unread after the default N working hours (office hours on the
/// working-day calendar) is told to the leaders once — not before, not twice, not again after a restart — and a notice
/// read in time never is.
/// </summary>
public sealed class UnreadEscalationTests() : HostTest(At(new DateTimeOffset(2022, 4, 29, 16, 0, 0, TimeSpan.FromHours(8))))
{
    private const string UnitA = "市民宗委";
    private const string UnitB = "市教育局";

    // Friday 2022-04-29 16:00 in Beijing, just before the 劳动节 days off (4-30 … 5-4).

    private static async Task<int> SweepAsync(AppFactory host)
    {
        using var scope = host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UnreadEscalation>().SweepAsync();
    }

    [Fact]
    public async Task A_notice_unread_after_n_working_hours_escalates_to_the_leaders_once_even_after_a_restart()
    {
        var office = await App.ClientFor(Roles.Office);
        var campaign = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2022-03-01", workflowVersion: 2);
        var open = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaign && (a.Unit == UnitA || a.Unit == UnitB) && a.State == AssignmentState.Assigned)
            .OrderBy(a => a.DueDate).Select(a => new { a.Id, a.Unit }).ToList());
        async Task<long> Urge(string unit)
        {
            var urged = await office.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = open.First(a => a.Unit == unit).Id });
            Assert.True(urged.IsSuccessStatusCode, await urged.Content.ReadAsStringAsync());
            return (long)(await urged.Content.ReadFromJsonAsync<JsonObject>())!["notificationId"]!;
        }
        var unread = await Urge(UnitA);
        var readInTime = await Urge(UnitB);
        var created = Clock.GetUtcNow();

        // When the notice is N working hours old, by the calendar's office hours (measured with Between, walking forward).
        var options = App.Services.GetRequiredService<IOptions<NoticeOptions>>().Value;
        var hours = new WorkingHours(App.Services.GetRequiredService<WorkingDayCalendar>(),
            TimeOnly.FromTimeSpan(options.WorkdayStart), TimeOnly.FromTimeSpan(options.WorkdayEnd));
        var zone = ChinaTime.Zone;
        var due = created;
        while (hours.Between(TimeZoneInfo.ConvertTime(created, zone).DateTime, TimeZoneInfo.ConvertTime(due, zone).DateTime)
               < TimeSpan.FromHours(options.UnreadEscalateAfterWorkingHours))
        {
            due = due.AddMinutes(15);
        }
        // From Friday 16:00 the 劳动节 days off (4-30 … 5-4) count nothing: 16 working hours end on Friday 2022-05-06.
        Assert.Equal(new DateOnly(2022, 5, 6), DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(due, zone).DateTime));

        var unitNotices = App.WithDb(db => db.Notifications.Where(n => n.CreatedAt <= created).Select(n => new { n.Id, n.Recipient }).ToList())
            .Where(n => !n.Recipient.StartsWith("role:", StringComparison.Ordinal)).Select(n => n.Id).ToList();
        Assert.Contains(unread, unitNotices);

        Clock.Set(due.AddMinutes(-15));
        var unitB = await App.ClientFor(Roles.Unit, UnitB);
        (await unitB.PostAsync($"/api/notifications/{readInTime}/read", null)).EnsureSuccessStatusCode();
        Assert.Equal(0, await SweepAsync(App));

        Clock.Set(due);
        var escalated = await SweepAsync(App);
        var stillUnread = App.WithDb(db => db.Notifications.Where(n => unitNotices.Contains(n.Id) && n.ReadAt == null).Select(n => n.Id).ToList());
        Assert.Equal(stillUnread.Count, escalated);
        Assert.Contains(unread, stillUnread);
        Assert.DoesNotContain(readInTime, stillUnread);
        var all = App.WithDb(db => db.Notifications.Where(n => n.Kind == UnreadEscalation.Kind).ToList());
        var told = all.Where(n => n.Recipient == Recipients.Leaders).ToList();
        Assert.Equal(stillUnread.Select(UnreadEscalation.KeyFor).Order(), told.Select(n => n.OccurrenceKey).Order());
        // And once to each unit itself, for its 分管领导's channels (ChannelDeliveryTests follows one to the robot).
        var toUnits = all.Where(n => n.Recipient != Recipients.Leaders).ToList();
        Assert.Equal(stillUnread.Select(UnreadEscalation.UnitKeyFor).Order(), toUnits.Select(n => n.OccurrenceKey).Order());
        Assert.Equal(UnitA, toUnits.Single(n => n.OccurrenceKey == UnreadEscalation.UnitKeyFor(unread)).Recipient);
        var leaderNotice = told.Single(n => n.OccurrenceKey == UnreadEscalation.KeyFor(unread));
        Assert.StartsWith($"【未读升级】{UnitA}", leaderNotice.Title);
        Assert.Contains($"超过{options.UnreadEscalateAfterWorkingHours}个工作小时仍未阅读", leaderNotice.Body);
        Assert.Equal(due, App.WithDb(db => db.Notifications.Single(n => n.Id == unread).EscalatedAt));

        // The leaders read it in-App.
        var leader = await App.ClientFor(Roles.Leader);
        var theirs = await leader.GetFromJsonAsync<JsonObject>("/api/notifications?pageSize=200");
        Assert.Contains(theirs!["items"]!.AsArray(), n => (string)n!["kind"]! == UnreadEscalation.Kind.Spelling() && ((string)n["title"]!).Contains(UnitA));

        // Not twice: again, later, and after a restart.
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await SweepAsync(App));
        App.Dispose();
        using (var restarted = App.Restart())
        {
            Assert.Equal(0, await SweepAsync(restarted));
            Assert.Equal(2 * escalated, restarted.WithDb(db => db.Notifications.Count(n => n.Kind == UnreadEscalation.Kind)));
        }
    }
}
