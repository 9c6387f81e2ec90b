using CreationWorkflow.Web.Campaigns;
using Microsoft.Extensions.Logging.Abstractions;
using static CreationWorkflow.Web.Tests.Mail.MailTestData;

namespace CreationWorkflow.Web.Tests.Mail;

/// <summary>The digest: one outbox message per recipient per run, on a real, migrated SQLite file.</summary>
public sealed class NotificationDigestTests : IAsyncLifetime
{
    private static readonly Guid CampaignId = Guid.Parse("6f0b3c52-34c4-4b8e-9d59-1f0c3c1f2a01");
    private readonly TestClock clock = new();
    private SqliteTestDatabase database = null!;

    private readonly MailOptions options = new()
    {
        From = From,
        OfficeAddress = "office@example.test",
        InspectorsAddress = "inspectors@example.test",
        BaseUrl = "https://cj.example.test/",
    };

    public async Task InitializeAsync()
    {
        database = await SqliteTestDatabase.CreateAsync();
        await using var db = database.NewContext();
        db.Programmes.AddRange(new ProgrammeRecord { Id = "p1", Title = "甲市" }, new ProgrammeRecord { Id = "p2", Title = "乙县" });
        db.Units.AddRange(
            new UnitRecord { ProgrammeId = "p1", Name = "市民宗委", FullName = "甲市民族宗教事务委员会", Kind = UnitKind.City, Email = "mzw@example.test" },
            new UnitRecord { ProgrammeId = "p1", Name = "市教育局", Kind = UnitKind.City, Email = " jyj@example.test " },
            new UnitRecord { ProgrammeId = "p1", Name = "市文旅局", Kind = UnitKind.City },
            new UnitRecord { ProgrammeId = "p1", Name = "市卫健委", Kind = UnitKind.City, Email = "not an address" },
            // Same name in another programme, another address: the notification's programme decides.
            new UnitRecord { ProgrammeId = "p2", Name = "市民宗委", Kind = UnitKind.City, Email = "other@example.test" });
        db.Campaigns.Add(new CampaignRecord
        {
            Id = CampaignId, Name = "2022年创建", ProgrammeId = "p1", WorkflowId = "w", CreatedBy = "office", StartDate = new DateOnly(2022, 3, 1),
        });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Notifications_for_two_units_and_the_office_become_three_mails_once_and_unreachable_ones_stay_in_app()
    {
        var n = await AddNotificationsAsync(
            Notification("a", "市民宗委", programme: "p1", link: "/assignments/a"),
            Notification("b", "市民宗委", campaign: CampaignId, link: "https://elsewhere.example.test/x"),
            Notification("c", "市教育局", programme: "p1"),
            Notification("d", Recipients.Office),
            Notification("e", Recipients.Office, link: "/inspections/1"),
            Notification("f", "市文旅局", programme: "p1"),  // no address
            Notification("g", "市卫健委", programme: "p1"),  // invalid address
            Notification("h", Recipients.Leaders));          // no address configured

        var result = await RunAsync();
        Assert.Equal(new NotificationDigestResult(Messages: 3, Notifications: 5, Skipped: 3), result);

        var outbox = await OutboxAsync(database.NewContext);
        Assert.Equal(3, outbox.Count);
        var byAddress = outbox.ToDictionary(m => m.To);
        Assert.Equal(["mzw@example.test", "jyj@example.test", "office@example.test"], outbox.Select(m => m.To));

        var unit = byAddress["mzw@example.test"];
        Assert.Equal("甲市民族宗教事务委员会", unit.ToName);
        Assert.Equal("【民族团结进步创建】您有2条待办提醒", unit.Subject);
        Assert.Equal(OutboxState.Pending, unit.State);
        Assert.Equal((clock.GetUtcNow(), clock.GetUtcNow(), 0), (unit.CreatedAt, unit.NextAttemptAt, unit.Attempts));
        Assert.StartsWith("甲市民族宗教事务委员会：\n", unit.BodyText, StringComparison.Ordinal);
        Assert.Contains("2条新的提醒", unit.BodyText);
        // A link into the platform is the notice's read link (it opens the task and marks the notice read); one elsewhere stays.
        var readLink = System.Text.RegularExpressions.Regex.Match(unit.BodyText, "1\\. 标题a\n正文a\n办理入口：https://cj\\.example\\.test/r/([A-Za-z0-9_-]+)\n");
        Assert.True(readLink.Success, unit.BodyText);
        Assert.Equal(n["a"].Id, ReadLinks().Read(readLink.Groups[1].Value));
        Assert.Contains("2. 标题b\n正文b\n办理入口：https://elsewhere.example.test/x\n", unit.BodyText);
        Assert.Equal(NotificationDigest.MessageIdFor([n["a"], n["b"]]), unit.MessageId);
        Assert.Matches("^<[0-9a-f]{64}@creationworkflow>$", unit.MessageId);

        Assert.Equal("【民族团结进步创建】标题c", byAddress["jyj@example.test"].Subject);
        Assert.Equal("市教育局", byAddress["jyj@example.test"].ToName);
        var office = byAddress["office@example.test"];
        Assert.Equal(("创建工作办公室", "【民族团结进步创建】您有2条待办提醒"), (office.ToName, office.Subject));
        Assert.Matches("2\\. 标题e\n正文e\n办理入口：https://cj\\.example\\.test/r/[A-Za-z0-9_-]+\n", office.BodyText);

        var notifications = await NotificationsAsync();
        Assert.Equal(unit.Id, notifications["a"].OutboxMessageId);
        Assert.Equal(unit.Id, notifications["b"].OutboxMessageId);
        Assert.Equal(byAddress["jyj@example.test"].Id, notifications["c"].OutboxMessageId);
        Assert.Equal(office.Id, notifications["d"].OutboxMessageId);
        Assert.Equal(office.Id, notifications["e"].OutboxMessageId);
        foreach (var key in new[] { "f", "g", "h" })
        {
            Assert.Null(notifications[key].OutboxMessageId);
            Assert.True(notifications[key].MailSkipped, key);
        }
        Assert.All(new[] { "a", "b", "c", "d", "e" }, key => Assert.False(notifications[key].MailSkipped));

        // Again: nothing new, nothing written.
        Assert.Equal(new NotificationDigestResult(0, 0, 0), await RunAsync());
        Assert.Equal(3, (await OutboxAsync(database.NewContext)).Count);

        // A new notification later gets a mail of its own.
        clock.Advance(TimeSpan.FromHours(1));
        var later = await AddNotificationsAsync(Notification("i", "市民宗委", programme: "p2"));
        Assert.Equal(new NotificationDigestResult(1, 1, 0), await RunAsync());
        var added = (await OutboxAsync(database.NewContext)).Last();
        Assert.Equal(("other@example.test", "【民族团结进步创建】标题i"), (added.To, added.Subject));
        Assert.Equal(added.Id, (await NotificationsAsync())["i"].OutboxMessageId);
        Assert.Equal(NotificationDigest.MessageIdFor([later["i"]]), added.MessageId);
    }

    [Fact]
    public async Task A_unit_without_an_email_gets_no_outbox_row_and_is_not_looked_at_again()
    {
        await AddNotificationsAsync(Notification("x", "市文旅局", programme: "p1"), Notification("y", "无此单位", programme: "p1"));

        Assert.Equal(new NotificationDigestResult(0, 0, 2), await RunAsync());
        Assert.Empty(await OutboxAsync(database.NewContext));
        var notifications = await NotificationsAsync();
        Assert.True(notifications["x"].MailSkipped);
        Assert.True(notifications["y"].MailSkipped);

        // The office adds the address afterwards: those stay in-app, the next ones are mailed.
        await using (var db = database.NewContext())
        {
            await db.Units.Where(u => u.Name == "市文旅局").ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, "wlj@example.test"));
        }
        Assert.Equal(new NotificationDigestResult(0, 0, 0), await RunAsync());
        await AddNotificationsAsync(Notification("z", "市文旅局", programme: "p1"));
        Assert.Equal(new NotificationDigestResult(1, 1, 0), await RunAsync());
        Assert.Equal("wlj@example.test", Assert.Single(await OutboxAsync(database.NewContext)).To);
    }

    [Fact]
    public async Task A_run_whose_mail_already_exists_writes_nothing_and_never_a_second_message()
    {
        var n = await AddNotificationsAsync(Notification("a", "市民宗委", programme: "p1"), Notification("b", "市民宗委", programme: "p1"));
        // As if another instance had written the mail for exactly these notifications a moment ago.
        var messageId = NotificationDigest.MessageIdFor([n["a"], n["b"]]);
        await AddAsync(database, [new OutboxMessage
        {
            MessageId = messageId, To = "mzw@example.test", ToName = "x", Subject = "x", BodyText = "x",
            CreatedAt = clock.GetUtcNow(), NextAttemptAt = clock.GetUtcNow(),
        }]);

        Assert.Equal(new NotificationDigestResult(0, 0, 0), await RunAsync());
        Assert.Equal(messageId, Assert.Single(await OutboxAsync(database.NewContext)).MessageId);
        Assert.All((await NotificationsAsync()).Values, x => Assert.Null(x.OutboxMessageId));
    }

    [Fact]
    public async Task Concurrent_runs_mail_each_notification_once()
    {
        await AddNotificationsAsync(Enumerable.Range(0, 30).Select(i =>
            Notification($"n{i}", (i % 3) switch { 0 => "市民宗委", 1 => "市教育局", _ => Recipients.Inspectors }, programme: "p1")).ToArray());

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(RunAsync)));

        Assert.Equal(3, results.Sum(r => r.Messages));
        Assert.Equal(30, results.Sum(r => r.Notifications));
        var outbox = await OutboxAsync(database.NewContext);
        Assert.Equal(3, outbox.Count);
        var notifications = await NotificationsAsync();
        Assert.All(notifications.Values, x => Assert.Contains(outbox, m => m.Id == x.OutboxMessageId));
        Assert.Equal(10, notifications.Values.Count(x => x.OutboxMessageId == outbox.Single(m => m.To == "inspectors@example.test").Id));
    }

    [Fact]
    public async Task After_a_long_outage_a_unit_gets_one_bounded_mail_listing_the_oldest_and_counting_the_rest()
    {
        // As after weeks without mail: many times DigestMaxItems notices for one unit, a few for the office.
        var unitCount = options.DigestMaxItems * 40 + 7;
        await AddNotificationsAsync([.. Enumerable.Range(0, unitCount).Select(i => Notification($"u{i}", "市民宗委", programme: "p1", link: $"/assignments/u{i}")),
            .. Enumerable.Range(0, 3).Select(i => Notification($"o{i}", Recipients.Office))]);

        var result = await RunAsync();
        Assert.Equal(new NotificationDigestResult(Messages: 2, Notifications: unitCount + 3, Skipped: 0), result);

        var outbox = await OutboxAsync(database.NewContext);
        var unit = outbox.Single(m => m.To == "mzw@example.test");
        Assert.Equal($"【民族团结进步创建】您有{unitCount}条待办提醒", unit.Subject);
        Assert.Contains($"有{unitCount}条新的提醒，以下是最早的{options.DigestMaxItems}条：", unit.BodyText);
        Assert.Contains($"\n{options.DigestMaxItems}. 标题u{options.DigestMaxItems - 1}\n", unit.BodyText);
        Assert.DoesNotContain($"标题u{options.DigestMaxItems}\n", unit.BodyText);
        Assert.Contains($"另有{unitCount - options.DigestMaxItems}条提醒未在本邮件列出，请登录平台查看全部：{options.BaseUrl}", unit.BodyText);
        // Bounded: the listed notices' lines and the frame, nowhere near the size of every notice.
        // Each listed notice carries its read link (a Data Protection token of about 140 characters).
        Assert.True(unit.BodyText.Length < 250 * options.DigestMaxItems, $"{unit.BodyText.Length} characters");

        var office = outbox.Single(m => m.To == "office@example.test");
        Assert.Contains("有3条新的提醒：", office.BodyText);
        Assert.DoesNotContain("另有", office.BodyText);

        var notifications = await NotificationsAsync();
        Assert.Equal(unitCount, notifications.Values.Count(n => n.OutboxMessageId == unit.Id));
        Assert.Equal(3, notifications.Values.Count(n => n.OutboxMessageId == office.Id));
        Assert.Equal(new NotificationDigestResult(0, 0, 0), await RunAsync());
    }

    // ----------------------------------------------------------------

    private async Task<NotificationDigestResult> RunAsync()
    {
        await using var db = database.NewContext();
        var digest = new NotificationDigest(db, Options.Create(options), clock, ReadLinks(), NullLogger<NotificationDigest>.Instance);
        return await digest.CreateMailsAsync(CancellationToken.None);
    }

    private readonly Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection =
        new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider();

    private ReadLinks ReadLinks() => new(protection, Options.Create(new NoticeOptions()), Options.Create(options), clock);

    private NotificationRecord Notification(string key, string recipient, string? programme = null, Guid? campaign = null, string? link = null) => new()
    {
        OccurrenceKey = $"test:{key}",
        Recipient = recipient,
        ProgrammeId = programme,
        CampaignId = campaign,
        Kind = CreationWorkflow.Core.Notifications.NotificationKind.Due,
        Title = $"标题{key}",
        Body = $"正文{key}",
        Link = link,
        CreatedAt = clock.GetUtcNow(),
    };

    private async Task<Dictionary<string, NotificationRecord>> AddNotificationsAsync(params NotificationRecord[] notifications)
    {
        await using var db = database.NewContext();
        db.Notifications.AddRange(notifications);
        await db.SaveChangesAsync();
        return notifications.ToDictionary(n => n.OccurrenceKey["test:".Length..]);
    }

    private async Task<Dictionary<string, NotificationRecord>> NotificationsAsync()
    {
        await using var db = database.NewContext();
        return await db.Notifications.AsNoTracking().ToDictionaryAsync(n => n.OccurrenceKey["test:".Length..]);
    }
}
