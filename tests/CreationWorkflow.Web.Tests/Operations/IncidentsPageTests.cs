namespace CreationWorkflow.Web.Tests.Operations;

/// <summary>
/// The office's 运维 page (/operations): real faults — an assignment whose step the definition lacks (its timers fail), a
/// mail server that refuses connections, a database that refuses the checkpoint's insert — are listed with their errors;
/// 重试 and 放弃 each change the state in one transaction with an audit entry.
/// </summary>
public sealed class IncidentsPageTests : IDisposable
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private readonly TestClock clock = new(new DateTimeOffset(2022, 1, 1, 9, 0, 0, China));
    private readonly AppFactory app;

    public IncidentsPageTests() => app = new AppFactory
    {
        Clock = clock,
        Settings = new Dictionary<string, string>
        {
            ["CreationWorkflow:Mail:Host"] = "127.0.0.1",
            ["CreationWorkflow:Mail:Port"] = FreePort.Get().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CreationWorkflow:Mail:MaxAttempts"] = "1",
        },
    };

    public void Dispose()
    {
        app.Dispose();
        app.DeleteFolders();
    }

    [Fact]
    public async Task Failed_timers_mail_and_checkpoints_are_listed_and_retried_or_discarded()
    {
        var office = await app.ClientFor(Roles.Office);
        var campaign = await AppFactory.StartCampaignAsync(office, "taijiang-2022", "2022-01-01", ["甲单位"]);

        // Two assignments whose step is not in the definition: firing their timers fails.
        // The two due first (ids are made in one instant, so their order says nothing): their timers are due by 3-1.
        var broken = app.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaign).OrderBy(a => a.DueDate).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.StepId }).Take(2).ToList());
        app.WithDb(db => db.Assignments.Where(a => a.Id == broken[0].Id || a.Id == broken[1].Id)
            .ExecuteUpdate(s => s.SetProperty(a => a.StepId, "step-removed")));
        var brokenTimers = app.WithDb(db => db.Timers.Where(t => t.AssignmentId == broken[0].Id || t.AssignmentId == broken[1].Id).Select(t => t.Id).ToList());
        Assert.NotEmpty(brokenTimers);
        clock.Set(new DateTimeOffset(2022, 3, 1, 9, 0, 0, China));
        var page = await PageClient.SignInAsync(app, Roles.Office);
        var swept = await SweepAsync();
        Assert.True(swept.Fired > 0);
        var incidents = app.WithDb(db => db.Incidents.AsNoTracking().Where(i => i.Kind == IncidentKind.Timer).ToList());
        var firstDue = app.WithDb(db => db.Timers.Where(t => brokenTimers.Contains(t.Id) && t.State == TimerState.Skipped).Select(t => t.Id).ToList());
        Assert.Equal(firstDue.Order(), incidents.Select(i => long.Parse(i.Reference, System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(incidents, i => Assert.Contains("InvalidOperationException", i.Error));

        // A mail the server refuses, given up after its one attempt.
        app.WithDb(db =>
        {
            db.Outbox.AddRange(Mail("a"), Mail("b"));
            return db.SaveChanges();
        });
        using (var scope = app.Services.CreateScope())
        {
            var sent = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().DispatchAsync(CancellationToken.None);
            Assert.Equal(2, sent.Failed);
        }
        var mails = app.WithDb(db => db.Outbox.Where(m => m.State == OutboxState.Failed).OrderBy(m => m.Id).ToList());
        Assert.All(mails, m => Assert.False(string.IsNullOrEmpty(m.LastError)));

        // A checkpoint run the database refuses.
        Execute("CREATE TRIGGER cw_refuse BEFORE INSERT ON inspection_records BEGIN SELECT RAISE(ABORT, 'inspection store refused'); END");
        var scheduled = new DateTimeOffset(2022, 3, 1, 1, 0, 0, TimeSpan.Zero);
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Incidents>().RunCheckpointAsync(campaign, "cp-test", "专项督查（测试）", scheduled, CancellationToken.None);
        }
        var checkpoint = app.WithDb(db => db.Incidents.AsNoTracking().Single(i => i.Kind == IncidentKind.Checkpoint));
        Assert.Contains("inspection store refused", checkpoint.Error);

        // The page lists each with its error.
        var html = await page.GetStringAsync("/operations");
        Assert.Contains("运维与故障处理", html);
        foreach (var i in incidents.Append(checkpoint))
        {
            Assert.Contains($"data-incident=\"{i.Id}\"", html);
        }
        Assert.All(mails, m => Assert.Contains($"data-mail=\"{m.Id}\"", html));
        Assert.Contains("inspection store refused", html);
        Assert.Contains("专项督查（测试）", html);

        // 重试 a timer while its cause is still there: due again, fails again, a new incident.
        Assert.Equal(HttpStatusCode.OK, (await Post(page, "Retry", incidents[0].Id)).StatusCode);
        Assert.Equal(TimerState.Pending, app.WithDb(db => db.Timers.Single(t => t.Id == long.Parse(incidents[0].Reference)).State));
        await SweepAsync();
        Assert.Equal(2, app.WithDb(db => db.Incidents.Count(i => i.Reference == incidents[0].Reference)));
        // The cause mended, 重试 fires it.
        foreach (var b in broken)
        {
            app.WithDb(db => db.Assignments.Where(a => a.Id == b.Id).ExecuteUpdate(s => s.SetProperty(a => a.StepId, b.StepId)));
        }
        var reopened = app.WithDb(db => db.Incidents.Single(i => i.Reference == incidents[0].Reference && i.State == IncidentState.Open));
        await Post(page, "Retry", reopened.Id);
        await SweepAsync();
        Assert.Equal(TimerState.Fired, app.WithDb(db => db.Timers.Single(t => t.Id == long.Parse(incidents[0].Reference)).State));
        // 放弃 the other: closed, the timer stays skipped.
        if (incidents.Count > 1)
        {
            await Post(page, "Discard", incidents[1].Id);
            Assert.Equal((IncidentState.Discarded, TimerState.Skipped), app.WithDb(db =>
                (db.Incidents.Single(i => i.Id == incidents[1].Id).State, db.Timers.Single(t => t.Id == long.Parse(incidents[1].Reference)).State)));
        }

        // Mail: 重试 puts one back in the queue, 放弃 keeps the other as Discarded.
        await Post(page, "RetryMail", mails[0].Id);
        await Post(page, "DiscardMail", mails[1].Id);
        Assert.Equal((OutboxState.Pending, 0, OutboxState.Discarded), app.WithDb(db =>
            (db.Outbox.Single(m => m.Id == mails[0].Id).State, db.Outbox.Single(m => m.Id == mails[0].Id).Attempts, db.Outbox.Single(m => m.Id == mails[1].Id).State)));
        var twice = await Post(page, "DiscardMail", mails[1].Id);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("已不是发送失败状态", await twice.Content.ReadAsStringAsync());

        // Checkpoint: 重试 while the database still refuses shows the new error; once it accepts, the run is stored.
        var refused = await Post(page, "Retry", checkpoint.Id);
        Assert.Contains("重试仍然失败", await refused.Content.ReadAsStringAsync());
        Assert.Equal(2, app.WithDb(db => db.Incidents.Single(i => i.Id == checkpoint.Id).Attempts));
        Execute("DROP TRIGGER cw_refuse");
        await Post(page, "Retry", checkpoint.Id);
        Assert.Equal(IncidentState.Retried, app.WithDb(db => db.Incidents.Single(i => i.Id == checkpoint.Id).State));
        Assert.Equal(1, app.WithDb(db => db.Inspections.Count(i => i.CheckpointId == "cp-test")));

        // Every decision is audited, by the signed-in office user.
        var audit = app.WithDb(db => db.Audit.Where(a => a.Action.StartsWith("incident.") || a.Action.StartsWith("mail.")).Select(a => a.Action).ToList());
        Assert.Equal(2 + (incidents.Count > 1 ? 1 : 0) + 1, audit.Count(a => a is "incident.retried" or "incident.discarded"));
        Assert.Equal(["mail.discarded", "mail.retried"], audit.Where(a => a.StartsWith("mail.")).Order(StringComparer.Ordinal));

        // Nobody else sees the desk.
        var unit = await PageClient.SignInAsync(app, Roles.Unit, "甲单位");
        Assert.NotEqual(HttpStatusCode.OK, (await unit.GetAsync("/operations")).StatusCode);
    }

    private static OutboxMessage Mail(string key) => new()
    {
        MessageId = $"<incident-{key}@cw>", To = "office@example.org", ToName = "创建办", Subject = $"测试邮件{key}", BodyText = "测试",
        State = OutboxState.Pending, CreatedAt = new DateTimeOffset(2022, 3, 1, 0, 0, 0, TimeSpan.Zero), NextAttemptAt = new DateTimeOffset(2022, 3, 1, 0, 0, 0, TimeSpan.Zero),
    };

    private async Task<SweepResult> SweepAsync()
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TimerSweeper>().SweepAsync();
    }

    private static async Task<HttpResponseMessage> Post(HttpClient page, string handler, long id) =>
        await PageClient.PostFormAsync(page, "/operations", $"/operations?handler={handler}",
            new Dictionary<string, string> { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataPath, "creationworkflow.db")};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
