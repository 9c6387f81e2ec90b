namespace CreationWorkflow.Web.Tests.Reminders;

/// <summary>Two instances on one PostgreSQL sweep unread notices at the same moment: each notice is told to the leaders once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UnreadEscalationPostgresTests(PostgresServer postgres)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task Two_instances_escalate_every_unread_notice_exactly_once()
    {
        var clock = new TestClock(new DateTimeOffset(2022, 1, 4, 9, 0, 0, China));
        var connection = await postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string> { ["CreationWorkflow:Notices:UnreadEscalationBatchSize"] = "3" };
        using var first = new AppFactory { Postgres = connection, Clock = clock, Settings = settings };
        try
        {
            var office = await first.ClientFor(Roles.Office);
            var units = new[] { "甲单位", "乙单位", "丙单位", "丁单位" };
            var started = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = units });
            started.EnsureSuccessStatusCode();
            var campaign = (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
            foreach (var id in first.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaign).OrderBy(a => a.DueDate).ThenBy(a => a.Unit).Select(a => a.Id).Take(8).ToList()))
            {
                (await office.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = id })).EnsureSuccessStatusCode();
            }
            using var second = new AppFactory(first.Root) { Postgres = connection, Clock = clock, Settings = settings };
            var unread = first.WithDb(db => db.Notifications.Where(n => n.ReadAt == null && !n.Recipient.StartsWith("role:")).Select(n => n.Id).ToList());
            Assert.True(unread.Count >= 8, $"{unread.Count} unread notices");

            clock.Advance(TimeSpan.FromDays(10)); // well past the default working hours, inside the look-back
            var counts = await Task.WhenAll(new[] { first, second, first, second }.Select(async host =>
            {
                using var scope = host.Services.CreateScope();
                return await scope.ServiceProvider.GetRequiredService<UnreadEscalation>().SweepAsync();
            }));
            Assert.Equal(unread.Count, counts.Sum());
            var told = first.WithDb(db => db.Notifications.Where(n => n.Kind == UnreadEscalation.Kind).Select(n => n.OccurrenceKey).ToList());
            Assert.Equal(unread.Select(UnreadEscalation.KeyFor).Concat(unread.Select(UnreadEscalation.UnitKeyFor)).Order(), told.Order());
            Assert.Equal(unread.Count, first.WithDb(db => db.Notifications.Count(n => unread.Contains(n.Id) && n.EscalatedAt != null)));
            using var scope = second.Services.CreateScope();
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<UnreadEscalation>().SweepAsync());
        }
        finally
        {
            first.DeleteFolders();
        }
    }
}
