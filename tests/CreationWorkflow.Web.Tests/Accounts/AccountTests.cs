namespace CreationWorkflow.Web.Tests.Accounts;

/// <summary>
/// The office's account pages and API, and the security stamp: creating, binding, resetting, deactivating and changing
/// roles or passwords end the user's cookies and tokens at the next request, and each change is audited.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class AccountTests(AccountsWorld world)
{
    private const string UnitA = "市民宗委";
    private const string UnitB = "市教育局";

    /// <summary>The office posts <paramref name="handler"/> on the account's page: 200; the page's HTML.</summary>
    private async Task<string> OfficePostsAsync(string id, string handler, Dictionary<string, string>? fields = null)
    {
        var page = $"/accounts/{id}";
        var posted = await PageClient.PostFormAsync(world.OfficePages, page, $"{page}?handler={handler}", fields);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        return await posted.Content.ReadAsStringAsync();
    }

    /// <summary>The cookie's session is over: the inbox sends it to the sign-in page.</summary>
    private static async Task AssertSignedOutAsync(HttpClient cookie)
    {
        var inbox = await cookie.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, inbox.StatusCode);
        Assert.StartsWith("/account/login", PageClient.Location(inbox));
    }

    [Fact]
    public async Task The_office_creates_a_unit_user_on_the_page_who_must_change_the_temporary_password_first()
    {
        var userName = $"n{Guid.NewGuid():N}"[..14];
        var created = await PageClient.PostFormAsync(world.OfficePages, "/accounts/new", "/accounts/new", new()
        {
            ["UserName"] = userName, ["DisplayName"] = "市民宗委 张联络员", ["Phone"] = "13800000001", ["SelectedRoles"] = Roles.Unit, ["Unit"] = UnitA,
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var html = await created.Content.ReadAsStringAsync();
        var temporary = AccountsWorld.ShownPassword(html);
        Assert.Contains("只显示这一次", html);
        Assert.Equal(1, world.AuditCount("account.created", userName));
        Assert.True(world.App.WithDb(db => db.Users.Single(u => u.UserName == userName).PasswordHash) is { } hash && !hash.Contains(temporary, StringComparison.Ordinal));

        // The list finds it by its unit.
        var list = await world.OfficePages.GetStringAsync($"/accounts?q={Uri.EscapeDataString(userName)}");
        Assert.Contains(userName, list);
        Assert.Contains("待修改临时密码", list);

        // Signed in with the temporary password, every page leads to the password change; the API answers 403.
        var (client, login) = await world.LoginAsync(userName, temporary);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var inbox = await client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, inbox.StatusCode);
        Assert.Equal(ForcedPasswordChange.Page, PageClient.Location(inbox));
        var (api, _) = await world.TokenAsync(userName, temporary);
        var me = await api!.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Forbidden, me.StatusCode);
        Assert.Contains("须先修改密码", await me.Content.ReadAsStringAsync());

        // A weak new password is refused in Chinese; then the change succeeds and the inbox opens.
        var weak = await PageClient.PostFormAsync(client, "/account/password", "/account/password", new()
        {
            ["CurrentPassword"] = temporary, ["NewPassword"] = "short", ["ConfirmPassword"] = "short",
        });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("密码太短：至少8个字符。", await weak.Content.ReadAsStringAsync());
        var changed = await PageClient.PostFormAsync(client, "/account/password", "/account/password", new()
        {
            ["CurrentPassword"] = temporary, ["NewPassword"] = AppFactory.Password, ["ConfirmPassword"] = AppFactory.Password,
        });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("密码已修改", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/inbox")).StatusCode);
        // The token taken with the temporary password ended with the change.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api!.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(1, world.AuditCount("account.password-changed", userName));
        Assert.False(world.App.WithDb(db => db.Users.Single(u => u.UserName == userName).MustChangePassword));
    }

    [Fact]
    public async Task Binding_a_unit_user_to_another_unit_moves_its_view_and_ends_its_sessions()
    {
        var (id, userName) = await world.ReadyAsync(Roles.Unit, UnitA);
        var (cookie, _) = await world.LoginAsync(userName, AppFactory.Password);
        var (token, _) = await world.TokenAsync(userName, AppFactory.Password);
        Assert.Equal(UnitA, (string)(await token!.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["unit"]!);

        Assert.Contains("单位已绑定", await OfficePostsAsync(id, "Unit", new() { ["Unit"] = UnitB }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await token!.GetAsync("/api/auth/me")).StatusCode);
        await AssertSignedOutAsync(cookie);

        var (again, _) = await world.TokenAsync(userName, AppFactory.Password);
        Assert.Equal(UnitB, (string)(await again!.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["unit"]!);

        // A unit outside the directory is refused, naming the field; nothing changes.
        var unknown = await world.OfficeApi.PutAsJsonAsync($"/api/accounts/{id}/unit", new { unit = "不存在的单位" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("单位「不存在的单位」不在单位名录中。", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(UnitB, world.App.WithDb(db => db.Users.Single(u => u.Id == id).Unit));
        Assert.Equal(1, world.AuditCount("account.unit", userName));
    }

    [Fact]
    public async Task Deactivation_ends_the_token_and_the_cookie_at_once_and_reactivation_lets_the_user_back()
    {
        var (id, userName) = await world.ReadyAsync(Roles.Unit, UnitA);
        var (cookie, _) = await world.LoginAsync(userName, AppFactory.Password);
        var (token, _) = await world.TokenAsync(userName, AppFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await token!.GetAsync("/api/assignments/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cookie.GetAsync("/inbox")).StatusCode);

        Assert.Contains("已停用", await OfficePostsAsync(id, "Deactivate"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await token!.GetAsync("/api/assignments/mine")).StatusCode);
        await AssertSignedOutAsync(cookie);

        // The right password no longer signs in, by form or by token.
        var (_, login) = await world.LoginAsync(userName, AppFactory.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains(SignInService.DeactivatedMessage, await login.Content.ReadAsStringAsync());
        var (none, refused) = await world.TokenAsync(userName, AppFactory.Password);
        Assert.Null(none);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var reactivated = await world.OfficeApi.PostAsync($"/api/accounts/{id}/reactivate", null);
        Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        var (back, _) = await world.TokenAsync(userName, AppFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await back!.GetAsync("/api/assignments/mine")).StatusCode);
        Assert.Equal(1, world.AuditCount("account.deactivated", userName));
        Assert.Equal(1, world.AuditCount("account.reactivated", userName));
    }

    [Fact]
    public async Task A_role_change_ends_the_old_token_and_the_new_token_carries_the_new_role()
    {
        var (id, userName) = await world.ReadyAsync(Roles.Inspector);
        var (token, _) = await world.TokenAsync(userName, AppFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await token!.GetAsync("/api/campaigns")).StatusCode);

        await OfficePostsAsync(id, "Roles", new() { ["SelectedRoles"] = Roles.Leader });
        Assert.Equal(HttpStatusCode.Unauthorized, (await token!.GetAsync("/api/campaigns")).StatusCode);
        var (leader, _) = await world.TokenAsync(userName, AppFactory.Password);
        Assert.Equal(["leader"], (await leader!.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["roles"]!.AsArray().Select(r => (string)r!));

        // A unit role needs a unit; refused whole.
        var unbound = await world.OfficeApi.PutAsJsonAsync($"/api/accounts/{id}/roles", new { roles = new[] { "单位" } });
        Assert.Equal(HttpStatusCode.BadRequest, unbound.StatusCode);
        Assert.Contains("“单位”角色的账户须绑定单位。", await unbound.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await leader!.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(1, world.AuditCount("account.roles", userName));
    }

    [Fact]
    public async Task A_reset_gives_a_temporary_password_once_ends_the_old_one_and_forces_a_change()
    {
        var (id, userName) = await world.ReadyAsync(Roles.Evaluator);
        var (token, _) = await world.TokenAsync(userName, AppFactory.Password);
        var page = $"/accounts/{id}";
        var reset = await PageClient.PostFormAsync(world.OfficePages, page, $"{page}?handler=Reset");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var temporary = AccountsWorld.ShownPassword(await reset.Content.ReadAsStringAsync());
        Assert.True(reset.Headers.CacheControl?.NoStore, "the temporary password must not be cached");

        Assert.Equal(HttpStatusCode.Unauthorized, (await token!.GetAsync("/api/auth/me")).StatusCode);
        var (_, old) = await world.TokenAsync(userName, AppFactory.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        var (client, login) = await world.LoginAsync(userName, temporary);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var start = await client.GetAsync("/assessment/rates");
        Assert.Equal(ForcedPasswordChange.Page, PageClient.Location(start));
        // The detail page shows it no more.
        Assert.DoesNotContain(temporary, await world.OfficePages.GetStringAsync(page));
        Assert.Equal(1, world.AuditCount("account.password-reset", userName));
    }

    [Fact]
    public async Task Each_user_changes_the_own_password_over_the_API_with_the_current_one()
    {
        var (_, userName) = await world.ReadyAsync(Roles.Leader);
        var (token, _) = await world.TokenAsync(userName, AppFactory.Password);
        var wrong = await token!.PostAsJsonAsync("/api/accounts/me/password", new { currentPassword = "Not-the-0ne", newPassword = "Another-passw0rd" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var problem = await wrong.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("当前密码不正确。", (string)problem!["errors"]!["currentPassword"]![0]!);
        var withName = await token!.PostAsJsonAsync("/api/accounts/me/password", new { currentPassword = AppFactory.Password, newPassword = "X1" + userName + "y" });
        Assert.Equal(HttpStatusCode.BadRequest, withName.StatusCode);
        Assert.Contains("密码不能包含用户名。", await withName.Content.ReadAsStringAsync());

        var changed = await token!.PostAsJsonAsync("/api/accounts/me/password", new { currentPassword = AppFactory.Password, newPassword = "Another-passw0rd" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token!.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.TokenAsync(userName, AppFactory.Password)).Response.StatusCode);
        Assert.NotNull((await world.TokenAsync(userName, "Another-passw0rd")).Client);
    }

    [Fact]
    public async Task The_office_cannot_deactivate_itself_and_other_roles_cannot_manage_accounts()
    {
        var me = await world.OfficeApi.GetFromJsonAsync<JsonObject>("/api/auth/me");
        var self = world.App.WithDb(db => db.Users.Single(u => u.UserName == (string)me!["userName"]!).Id);
        var refused = await world.OfficeApi.PostAsync($"/api/accounts/{self}/deactivate", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("不能停用自己的账户", await refused.Content.ReadAsStringAsync());
        Assert.Null(world.App.WithDb(db => db.Users.Single(u => u.Id == self).DeactivatedAt));

        using var inspector = await world.App.ClientFor(Roles.Inspector);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/api/accounts")).StatusCode);
    }

    [Fact]
    public async Task Sign_ins_are_audited_and_known_and_unknown_names_answer_alike_with_the_same_hash_work()
    {
        var (_, userName) = await world.ReadyAsync(Roles.Leader);
        var unknown = $"nobody{Guid.NewGuid():N}"[..16];

        var before = world.Hasher.Verified;
        var (_, known) = await world.TokenAsync(userName, "Wrong-passw0rd");
        var knownHashes = world.Hasher.Verified - before;
        before = world.Hasher.Verified;
        var (_, stranger) = await world.TokenAsync(unknown, "Wrong-passw0rd");
        var strangerHashes = world.Hasher.Verified - before;

        Assert.Equal(HttpStatusCode.Unauthorized, known.StatusCode);
        Assert.Equal(known.StatusCode, stranger.StatusCode);
        Assert.Equal(await ProblemAsync(known), await ProblemAsync(stranger));
        Assert.Contains(SignInService.WrongPassword, await known.Content.ReadAsStringAsync());
        Assert.Equal(1, knownHashes);
        Assert.Equal(knownHashes, strangerHashes);

        var (_, pageKnown) = await world.LoginAsync(userName, "Wrong-passw0rd");
        var (_, pageStranger) = await world.LoginAsync(unknown, "Wrong-passw0rd");
        Assert.Contains(SignInService.WrongPassword, await pageKnown.Content.ReadAsStringAsync());
        Assert.Contains(SignInService.WrongPassword, await pageStranger.Content.ReadAsStringAsync());

        Assert.Equal(2, world.AuditCount("signin.failed", userName));
        Assert.Equal(2, world.AuditCount("signin.failed", unknown));
        Assert.True(world.AuditCount("signin.succeeded", userName) >= 1);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_name_for_that_client_only_and_alike_for_unknown_names()
    {
        var (id, userName) = await world.ReadyAsync(Roles.Leader);
        var unknown = $"nobody{Guid.NewGuid():N}"[..16];
        var max = new SignInOptions().MaxFailures;
        string? lastKnown = null, lastUnknown = null;
        for (var i = 0; i < max + 1; i++)
        {
            lastKnown = await ProblemAsync((await world.TokenAsync(userName, "Wrong-passw0rd")).Response);
            lastUnknown = await ProblemAsync((await world.TokenAsync(unknown, "Wrong-passw0rd")).Response);
        }
        Assert.Contains("登录失败次数过多", lastKnown);
        Assert.Equal(lastKnown, lastUnknown);
        // Locked for this (in-process: address-less) client even with the right password…
        Assert.Null((await world.TokenAsync(userName, AppFactory.Password)).Client);
        // …until the office resets the password, which lifts the lock on the name.
        var reset = await world.OfficeApi.PostAsync($"/api/accounts/{id}/reset-password", null);
        var temporary = (string)(await reset.Content.ReadFromJsonAsync<JsonObject>())!["temporaryPassword"]!;
        Assert.NotNull((await world.TokenAsync(userName, temporary)).Client);
        Assert.Equal(0, world.App.WithDb(db => db.Set<SignInThrottle>().Count(t => t.UserName == userName.ToUpperInvariant())));
    }

    [Fact]
    public async Task An_import_with_bad_rows_names_each_row_and_column_and_stores_nothing()
    {
        var phones = Enumerable.Range(0, 4).Select(_ => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var xlsx = AccountsWorld.Workbook(["单位", "姓名", "手机", "邮箱", "角色"],
            [UnitA, "张三", phones[0], "zhang@hechi.example", "单位"],
            [UnitB, "李四", phones[1], "", "管理员"],
            ["不存在的单位", "王五", phones[2], "", "单位"],
            ["", "赵六", phones[3], "not-an-address", "督查"]);
        var before = world.App.WithDb(db => (db.Users.Count(), db.Audit.Count()));

        using var form = new MultipartFormDataContent { { new ByteArrayContent(xlsx), "file", "账户.xlsx" } };
        var api = await world.OfficeApi.PostAsync("/api/accounts/import", form);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        var errors = (await api.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["file"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(3, errors.Count);
        Assert.StartsWith("第3行 角色列：「管理员」不是已知角色", errors[0]);
        Assert.Equal("第4行 单位列：单位「不存在的单位」不在单位名录中。", errors[1]);
        Assert.StartsWith("第5行 邮箱列：", errors[2]);

        var page = await PostImportPageAsync(xlsx);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("第3行 角色列：", html);
        Assert.Contains("未保存任何账户", html);
        Assert.Equal(before, world.App.WithDb(db => (db.Users.Count(), db.Audit.Count())));
        Assert.False(world.App.WithDb(db => db.Users.Any(u => phones.Contains(u.UserName!))));

        var notXlsx = await PostImportPageAsync("单位,姓名\n"u8.ToArray());
        Assert.Contains("不是 XLSX 工作簿", await notXlsx.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_good_import_creates_every_account_in_one_go_and_answers_with_the_initial_password_sheet()
    {
        var phones = Enumerable.Range(0, 2).Select(_ => "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var xlsx = AccountsWorld.Workbook(["姓名", "单位", "手机", "邮箱", "角色"],
            ["张三", UnitA, phones[0], "zhang@hechi.example", "单位"],
            ["钱七", "", phones[1], "", "督查、领导"]);
        var response = await PostImportPageAsync(xlsx);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        var sheet = OfficeReader.Sheet(await response.Content.ReadAsByteArrayAsync());
        var rows = sheet.Where(r => r.Key > 2).Select(r => r.Value).ToList();
        Assert.Equal(phones, rows.Select(r => r["D"]));
        Assert.Equal([UnitA, ""], rows.Select(r => r.GetValueOrDefault("B", "")));
        Assert.Equal("督查、领导", rows[1]["E"]);

        var stored = world.App.WithDb(db => db.Users.Where(u => phones.Contains(u.UserName!)).OrderBy(u => u.UserName).ToList());
        Assert.Equal(2, stored.Count);
        Assert.All(stored, u => Assert.True(u.MustChangePassword));
        Assert.Equal("zhang@hechi.example", stored.Single(u => u.UserName == phones[0]).Email);
        Assert.Equal(1, world.AuditCount("account.created", phones[0]));

        var (client, login) = await world.LoginAsync(phones[0], rows[0]["F"]);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(ForcedPasswordChange.Page, PageClient.Location(await client.GetAsync("/inbox")));

        // The same sheet again: every row is now a duplicate, nothing more is created.
        var again = await PostImportPageAsync(xlsx);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains($"第2行 手机列：「{phones[0]}」已是现有账户的用户名。", await again.Content.ReadAsStringAsync());
    }

    /// <summary>What a refusal says (status, title, detail), without its per-request trace id.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        return $"{(int)response.StatusCode} {problem!["title"]} {problem["detail"]}";
    }

    private async Task<HttpResponseMessage> PostImportPageAsync(byte[] content)
    {
        var token = PageClient.Token(await world.OfficePages.GetStringAsync("/accounts/import"));
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(content), "Upload", "账户.xlsx" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        return await world.OfficePages.PostAsync("/accounts/import", form);
    }
}
