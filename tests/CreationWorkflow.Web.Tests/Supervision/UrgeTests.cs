namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>One-click 催办: one notice to the unit, at most once per assignment per day.</summary>
public sealed class UrgeTests : ScenarioTest
{
    private int Urges(Guid assignmentId) =>
        S.App.WithDb(db => db.Notifications.Count(n => n.AssignmentId == assignmentId && n.Kind == NotificationKind.Urge));

    [Fact]
    public async Task Urging_notifies_the_unit_once_and_a_second_urge_the_same_day_is_refused()
    {
        var inspector = await S.Client(Roles.Inspector);
        var urged = await inspector.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Late15, note = "请于本周五前完成签收" });
        Assert.Equal(HttpStatusCode.OK, urged.StatusCode);
        var view = await urged.Body();
        Assert.Equal(Scenario.Units[0], (string)view["unit"]!);

        var notice = S.App.WithDb(db => db.Notifications.Single(n => n.AssignmentId == S.Late15 && n.Kind == NotificationKind.Urge));
        Assert.Equal((long)view["notificationId"]!, notice.Id);
        Assert.Equal(Scenario.Units[0], notice.Recipient);
        Assert.Equal($"urge:{S.Late15:N}:20220120", notice.OccurrenceKey);
        Assert.StartsWith("【催办】第1项“", notice.Title);
        Assert.EndsWith("签收任务已逾期15天", notice.Title);
        Assert.Contains("截止日期为2022年1月5日，现已逾期15天", notice.Body);
        Assert.Contains("测试督查催办，意见：请于本周五前完成签收。", notice.Body);
        Assert.Equal($"/assignments/{S.Late15}", notice.Link);

        var audit = Assert.Single(S.Audit("assignment.urged", S.Late15));
        Assert.Equal("测试督查", audit.Actor);
        Assert.Equal(("请于本周五前完成签收", 15), ((string)JsonNode.Parse(audit.After!)!["Note"]!, (int)JsonNode.Parse(audit.After!)!["DaysLate"]!));

        // The office tries again the same day: refused, and nothing more is written.
        var office = await S.Client(Roles.Office);
        var again = await office.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Late15 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("该任务今天（2022年1月20日）已催办过，每项任务每天只能催办一次。", await again.Problem("assignmentId"));
        Assert.Equal(1, Urges(S.Late15));
        Assert.Single(S.Audit("assignment.urged", S.Late15));

        // The next day it may be urged again.
        S.Clock.Set(Scenario.At(2022, 1, 21, 9));
        var nextDay = await (await S.Client(Roles.Office)).PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Late15 });
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
        Assert.Equal(2, Urges(S.Late15));
        Assert.Contains("现已逾期16天", S.App.WithDb(db => db.Notifications.Single(n => n.OccurrenceKey == $"urge:{S.Late15:N}:20220121").Body));
        Assert.Equal(2, S.Audit("assignment.urged", S.Late15).Count);
    }

    [Fact]
    public async Task Submitted_and_closed_assignments_cannot_be_urged()
    {
        var inspector = await S.Client(Roles.Inspector);
        var submitted = await inspector.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Submitted });
        Assert.Equal(HttpStatusCode.Conflict, submitted.StatusCode);
        Assert.Contains("「已提交」", await submitted.Problem("assignmentId"));

        var approved = await inspector.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Approved });
        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        Assert.Contains("「已通过」", await approved.Problem("assignmentId"));

        var missing = await inspector.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        Assert.Equal(0, Urges(S.Submitted) + Urges(S.Approved));
        Assert.Empty(S.App.WithDb(db => db.Audit.Where(a => a.Action == "assignment.urged").ToList()));
    }

    [Fact]
    public async Task Units_and_leaders_cannot_urge()
    {
        var unit = await S.Client(Roles.Unit, Scenario.Units[1]);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Late15 })).StatusCode);
        var leader = await S.Client(Roles.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Late15 })).StatusCode);
        Assert.Equal(0, Urges(S.Late15));
    }

    [Fact]
    public async Task The_unit_reads_the_urge_among_its_notifications()
    {
        var inspector = await S.Client(Roles.Inspector);
        (await inspector.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = S.Late15, note = "抓紧" })).EnsureSuccessStatusCode();
        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        var mine = await unit.GetFromJsonAsync<JsonObject>("/api/notifications");
        var newest = mine!["items"]![0]!;
        Assert.Equal("urge", (string)newest["kind"]!);
        Assert.Equal(S.Late15, (Guid)newest["assignmentId"]!);
    }
}
