using CreationWorkflow.Web.Channels;
using CreationWorkflow.Web.Tests.Accounts;

namespace CreationWorkflow.Web.Tests.Channels;

/// <summary>
/// The office's contacts page (/programmes/{id}/contacts) and the XLSX import, against the loopback receiver: a bad field
/// is refused on the form naming it and stores nothing; a good one is stored with no URL shown back; 测试发送 goes through
/// the outbox to the robot in its format; a bad sheet is refused whole by row and column.
/// </summary>
public sealed class ContactPageTests(ChannelWorld w) : IClassFixture<ChannelWorld>
{
    private const string Programme = "hechi-2021";
    private const string Page = $"/programmes/{Programme}/contacts";

    /// <summary>A unit of the directory no other test of this class touches (by position).</summary>
    private string UnitAt(int index) =>
        w.App.WithDb(db => db.Units.Where(u => u.ProgrammeId == Programme).OrderBy(u => u.Id).Select(u => u.Name).Skip(index).First());

    private int ContactsOf(string unit) => w.App.WithDb(db => db.Contacts.Count(c => c.ProgrammeId == Programme && c.UnitName == unit));

    /// <summary>Audit entries but the sign-ins (which the page clients' logins add).</summary>
    private int Audits() => w.App.WithDb(db => db.Audit.Count(a => !a.Action.StartsWith("signin.")));

    [Fact]
    public async Task The_office_edits_a_contact_on_the_page_and_its_test_message_reaches_the_robot()
    {
        var unit = UnitAt(3);
        var office = await PageClient.SignInAsync(w.App, Roles.Office);
        w.App.WithDb(db =>
        {
            db.Notifications.Add(new NotificationRecord
            {
                OccurrenceKey = "page-unread-" + Guid.NewGuid().ToString("N"), ProgrammeId = Programme, Recipient = unit, Kind = NotificationKind.DueSoon,
                Title = "【临期提醒】未读", Body = "未读的通知", CreatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChanges();
        });
        var unread = (await w.InScope(sp => UnreadQuery.ByUnitAsync(sp.GetRequiredService<AppDbContext>(), null, CancellationToken.None, Programme)))
            .Single(u => u.Unit == unit).Unread;

        var page = await office.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var units = w.App.WithDb(db => db.Units.Count(u => u.ProgrammeId == Programme));
        Assert.Equal(units, html.Split("data-unit=\"").Length - 1);
        Assert.Contains($"data-unread=\"{unread}\"", Card(html, unit));

        // A bad field: refused on the form, naming it in Chinese; nothing stored, nothing audited.
        var form = $"{Page}?unit={Uri.EscapeDataString(unit)}&role=leader";
        var (contacts, audits) = (ContactsOf(unit), Audits());
        var bad = await PageClient.PostFormAsync(office, form, $"{Page}?handler=Save", new()
        {
            ["unit"] = unit, ["role"] = "leader", ["name"] = "王局长", ["phone"] = "13900000000", ["dingTalkWebhook"] = "ftp://oapi.dingtalk.example/robot",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var refused = await bad.Content.ReadAsStringAsync();
        Assert.Contains("data-error-for=\"dingTalkWebhook\">钉钉机器人地址须为以 https:// 开头的完整网址。", refused);
        Assert.Contains("value=\"王局长\"", refused); // the form comes back filled
        Assert.Equal((contacts, audits), (ContactsOf(unit), Audits()));
        var badRole = await PageClient.PostFormAsync(office, form, $"{Page}?handler=Save", new() { ["unit"] = unit, ["role"] = "boss", ["name"] = "王局长" });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains("联系人角色须为 liaison（联络员）或 leader（分管领导）。", await badRole.Content.ReadAsStringAsync());
        Assert.Equal((contacts, audits), (ContactsOf(unit), Audits()));

        // A good one: stored, audited, its channels shown and never its URL.
        var wecom = $"{w.Receiver.BaseUrl}/cgi-bin/webhook/send?key=good-key";
        var good = await PageClient.PostFormAsync(office, form, $"{Page}?handler=Save", new()
        {
            ["unit"] = unit, ["role"] = "leader", ["name"] = "王局长", ["phone"] = "13900000000", ["weComWebhook"] = wecom,
        });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var saved = await good.Content.ReadAsStringAsync();
        Assert.Contains($"已保存{unit}的分管领导：王局长。", saved);
        Assert.DoesNotContain("good-key", saved);
        Assert.DoesNotContain(w.Receiver.BaseUrl, saved);
        Assert.Equal((contacts + 1, audits + 1), (ContactsOf(unit), Audits()));

        // Saved again with the address left blank: the stored robot is kept (the page never shows it back).
        var kept = await PageClient.PostFormAsync(office, form, $"{Page}?handler=Save", new() { ["unit"] = unit, ["role"] = "leader", ["name"] = "王副局长", ["phone"] = "13900000000" });
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        var view = (await w.InScope(sp => sp.GetRequiredService<ContactService>().ListAsync(Programme, unit, CancellationToken.None))).Single();
        Assert.Equal(("王副局长", true, false), (view.Name, view.WeCom, view.DingTalk));
        var card = Card(await kept.Content.ReadAsStringAsync(), unit);
        Assert.Contains("data-channel=\"weCom\"", card);
        Assert.Contains("data-channel=\"sms\"", card);
        Assert.DoesNotContain("data-channel=\"dingTalk\"", card);

        // 测试发送 on the page: one outbox row, sent by the next run, arriving as 企业微信 markdown.
        var before = w.Receiver.WeCom.Count;
        var test = await PageClient.PostFormAsync(office, Page, $"{Page}?handler=Test", new() { ["unit"] = unit, ["role"] = "leader", ["channel"] = "weCom" });
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.Contains("企业微信测试消息", await test.Content.ReadAsStringAsync());
        var sent = await w.InScope(sp => sp.GetRequiredService<ChannelDispatcher>().DispatchAsync(CancellationToken.None));
        Assert.Equal(1, sent.Sent);
        Assert.Equal(before + 1, w.Receiver.WeCom.Count);
        var message = w.Receiver.WeCom.Last();
        Assert.Equal("markdown", (string)message["msgtype"]!);
        var content = (string)message["markdown"]!["content"]!;
        Assert.StartsWith("### 【测试消息】企业微信通道测试", content, StringComparison.Ordinal);
        Assert.Contains(unit, content);

        // A channel the contact lacks: refused in Chinese, nothing queued.
        var outbox = w.App.WithDb(db => db.Outbox.Count());
        var lacking = await PageClient.PostFormAsync(office, Page, $"{Page}?handler=Test", new() { ["unit"] = unit, ["role"] = "leader", ["channel"] = "dingTalk" });
        Assert.Equal(HttpStatusCode.BadRequest, lacking.StatusCode);
        Assert.Contains("该联系人没有登记钉钉。", await lacking.Content.ReadAsStringAsync());
        Assert.Equal(outbox, w.App.WithDb(db => db.Outbox.Count()));
    }

    [Fact]
    public async Task A_unit_user_cannot_open_the_contacts_page()
    {
        var unitUser = await PageClient.SignInAsync(w.App, Roles.Unit, UnitAt(0));
        var page = await unitUser.GetAsync(Page);
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("data-unit=", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_good_sheet_imports_every_contact_with_its_channels_and_audits_it()
    {
        var (a, b) = (UnitAt(5), UnitAt(6));
        var xlsx = AccountsWorld.Workbook(ContactImport.Columns.Concat(ContactImport.OptionalColumns).ToList(),
            [a, "联络员", "张联络", "13800000001", "zhang@hechi.example", "", $"{w.Receiver.BaseUrl}/robot/send?access_token=tok", RobotReceiver.DingTalkSecret, "", ""],
            [a, "分管领导", "李局长", "13800000002", "", "", "", "", $"{w.Receiver.BaseUrl}/hook", RobotReceiver.WebhookSecret],
            [b, "联络员", "王联络", "", "", $"{w.Receiver.BaseUrl}/cgi-bin/webhook/send?key=good-key", "", "", "", ""]);
        var office = await w.App.ClientFor(Roles.Office);
        var imports = w.App.WithDb(db => db.Audit.Count(x => x.Action == AuditActions.UnitContactsImported));

        var response = await office.PostAsync($"/api/programmes/{Programme}/contacts/import", Upload(xlsx));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal(3, (int)JsonNode.Parse(text)!["imported"]!);

        var listed = await w.InScope(sp => sp.GetRequiredService<ContactService>().ListAsync(Programme, null, CancellationToken.None));
        var liaison = listed.Single(c => c.Unit == a && c.Role == ContactRole.Liaison);
        Assert.Equal(("张联络", true, true, false), (liaison.Name, liaison.DingTalk, liaison.DingTalkSigned, liaison.WeCom));
        var leader = listed.Single(c => c.Unit == a && c.Role == ContactRole.Leader);
        Assert.Equal((true, true), (leader.Webhook, leader.WebhookSigned));
        Assert.True(listed.Single(c => c.Unit == b).WeCom);
        Assert.Equal(imports + 1, w.App.WithDb(db => db.Audit.Count(x => x.Action == AuditActions.UnitContactsImported)));
        Assert.Equal(3, w.App.WithDb(db => db.Audit.Count(x => x.Action == AuditActions.UnitContactSaved
            && (x.EntityId.StartsWith($"{Programme}/{a}/") || x.EntityId.StartsWith($"{Programme}/{b}/")))));
    }

    [Fact]
    public async Task A_sheet_with_bad_rows_is_refused_whole_naming_row_and_column()
    {
        var (a, b) = (UnitAt(8), UnitAt(9));
        var xlsx = AccountsWorld.Workbook(["单位", "角色", "姓名", "手机", "钉钉机器人", "钉钉加签密钥"],
            [a, "联络员", "张联络", "13800000003", "", ""],
            [b, "主任", "李主任", "", "", ""],
            [b, "分管领导", "李局长", "", "", "SEConly-secret"],
            ["不存在的单位", "联络员", "王五", "", "", ""],
            [a, "联络员", "赵六", "12", "", ""]);
        var (before, audits) = (w.App.WithDb(db => db.Contacts.Count()), Audits());
        var office = await w.App.ClientFor(Roles.Office);

        var api = await office.PostAsync($"/api/programmes/{Programme}/contacts/import", Upload(xlsx));
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        var errors = (await api.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["file"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(
        [
            "第3行 角色列：「主任」须为“联络员”或“分管领导”。",
            "第4行 钉钉加签密钥列：填写了钉钉加签密钥，但没有填写钉钉机器人地址。",
            "第5行 单位列：单位「不存在的单位」不在该方案的单位名录中。",
            "第6行 手机列：手机号码格式不正确。",
        ], errors);
        Assert.Equal((before, audits), (w.App.WithDb(db => db.Contacts.Count()), Audits()));

        // The page's upload says the same, and stores nothing either.
        var pages = await PageClient.SignInAsync(w.App, Roles.Office);
        var token = PageClient.Token(await pages.GetStringAsync(Page));
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(xlsx), "upload", "联系人.xlsx" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var page = await pages.PostAsync($"{Page}?handler=Import", form);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("未保存任何联系人", html);
        Assert.Contains("第5行 单位列：单位「不存在的单位」不在该方案的单位名录中。", html);
        Assert.Equal((before, audits), (w.App.WithDb(db => db.Contacts.Count()), Audits()));

        // A file that is not a workbook is refused as such (the upload's sniffing).
        var notXlsx = await office.PostAsync($"/api/programmes/{Programme}/contacts/import", Upload("单位,角色\n"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, notXlsx.StatusCode);
        Assert.Contains("不是 XLSX 工作簿", await notXlsx.Content.ReadAsStringAsync());
    }

    private static MultipartFormDataContent Upload(byte[] xlsx) => new() { { new ByteArrayContent(xlsx), "file", "联系人.xlsx" } };

    /// <summary>One unit's card on the page.</summary>
    private static string Card(string html, string unit)
    {
        var start = html.IndexOf($"data-unit=\"{unit}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no card for {unit}");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
