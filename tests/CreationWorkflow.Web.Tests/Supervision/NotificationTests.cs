namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>/api/notifications: each caller reads its own unit's or role's notices, and marks only those read.</summary>
public sealed class NotificationTests : ScenarioTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Notices for a unit, for the inspectors and the office, and for another unit.
        var inspector = await S.Client(Roles.Inspector);
        (await inspector.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Late15 })).EnsureSuccessStatusCode();
        var order = await (await OrderTests.IssueAsync(S, inspector, Scenario.Units[0], [1])).Body();
        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        (await unit.PostAsJsonAsync($"/api/supervision/orders/{order["id"]}/feedback", new { text = "已整改" })).EnsureSuccessStatusCode();
        (await OrderTests.IssueAsync(S, inspector, Scenario.Units[1], [1])).EnsureSuccessStatusCode();
    }

    private List<long> StoredFor(string recipient) =>
        S.App.WithDb(db => db.Notifications.Where(n => n.Recipient == recipient).Select(n => n.Id).ToList());

    [Fact]
    public async Task Each_caller_gets_only_its_own_notices_newest_first()
    {
        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        var mine = await unit.GetFromJsonAsync<JsonObject>("/api/notifications?pageSize=200");
        var ids = mine!["items"]!.AsArray().Select(n => (long)n!["id"]!).ToList();
        Assert.Equal(3, ids.Count); // assigned at the start, the urge, the order
        Assert.Equal(StoredFor(Scenario.Units[0]).Order(), ids.Order());
        Assert.Equal((3, 3), ((int)mine["total"]!, (int)mine["unread"]!));
        Assert.Equal(["order-issued", "urge", "assigned"], mine["items"]!.AsArray().Select(n => (string)n!["kind"]!));
        var times = mine["items"]!.AsArray().Select(n => DateTimeOffset.Parse((string)n!["createdAt"]!)).ToList();
        Assert.Equal(times.OrderDescending(), times);

        foreach (var (role, recipient) in new[] { (Roles.Inspector, Recipients.Inspectors), (Roles.Office, Recipients.Office), (Roles.Leader, Recipients.Leaders) })
        {
            var client = await S.Client(role);
            var theirs = await client.GetFromJsonAsync<JsonObject>("/api/notifications?pageSize=200");
            Assert.Equal(StoredFor(recipient).Order(), theirs!["items"]!.AsArray().Select(n => (long)n!["id"]!).Order());
        }
        Assert.Single(StoredFor(Recipients.Inspectors)); // the unit's answer
        Assert.Empty(StoredFor(Recipients.Leaders));

        var evaluator = await S.Client(Roles.Evaluator);
        Assert.Equal(0, (int)(await evaluator.GetFromJsonAsync<JsonObject>("/api/notifications"))!["total"]!);

        var paged = await unit.GetFromJsonAsync<JsonObject>("/api/notifications?pageSize=1&page=2");
        Assert.Equal(("urge", 3), ((string)Assert.Single(paged!["items"]!.AsArray())!["kind"]!, (int)paged["total"]!));
    }

    [Fact]
    public async Task Marking_read_works_only_on_your_own_notices()
    {
        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        var others = StoredFor(Scenario.Units[1]);
        Assert.NotEmpty(others);
        var refused = await unit.PostAsync($"/api/notifications/{others[0]}/read", null);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("通知不存在。", await refused.Problem("id"));
        var inspector = await S.Client(Roles.Inspector);
        Assert.Equal(HttpStatusCode.NotFound, (await inspector.PostAsync($"/api/notifications/{StoredFor(Scenario.Units[0])[0]}/read", null)).StatusCode);
        Assert.Null(S.App.WithDb(db => db.Notifications.Single(n => n.Id == others[0]).ReadAt));
        Assert.Empty(S.App.WithDb(db => db.Audit.Where(a => a.Action == "notification.read").ToList()));

        var own = StoredFor(Scenario.Units[0]).Max();
        var read = await unit.PostAsync($"/api/notifications/{own}/read", null);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(Scenario.Today, DateTimeOffset.Parse((string)(await read.Body())["readAt"]!));
        Assert.Equal(Scenario.Today, S.App.WithDb(db => db.Notifications.Single(n => n.Id == own).ReadAt));
        Assert.Single(S.Audit("notification.read", own));

        var after = await unit.GetFromJsonAsync<JsonObject>("/api/notifications?unread=true");
        Assert.Equal((2, 2), ((int)after!["unread"]!, (int)after["total"]!));
        Assert.DoesNotContain(own, after["items"]!.AsArray().Select(n => (long)n!["id"]!));

        // Reading it again changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await unit.PostAsync($"/api/notifications/{own}/read", null)).StatusCode);
        Assert.Single(S.Audit("notification.read", own));
    }
}
