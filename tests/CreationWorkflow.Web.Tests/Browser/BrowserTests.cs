namespace CreationWorkflow.Web.Tests.Browser;

/// <summary>
/// A real browser (Debian's Chromium, driven by Playwright, headless) against the real executable in its embedded demo
/// configuration: each role signs in through the form and sees its page, at desktop and at phone width. Screenshots
/// are saved under artifacts/screenshots/ as test artifacts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserTests(BrowserHost browser)
{
    private readonly string url = browser.Url;

    public static string Screenshots => BrowserHost.Screenshots;

    private Task<IPage> SignInAsync(string user, bool phone) => browser.PageAsync(user, phone);

    private static Task ShotAsync(IPage page, string name) => BrowserHost.ShotAsync(page, name);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_role_signs_in_and_sees_its_page(bool phone)
    {
        var size = phone ? "phone" : "desktop";

        var unit = await SignInAsync("minzongwei", phone);
        Assert.EndsWith("/inbox", unit.Url);
        var inbox = await unit.InnerTextAsync("main");
        Assert.Contains("红灯", inbox);
        Assert.DoesNotContain("市教育局", await unit.InnerTextAsync("main table"));
        await ShotAsync(unit, $"inbox-{size}");

        var office = await SignInAsync("office", phone);
        await office.GotoAsync($"{url}/");
        Assert.Contains("验收申请", await office.InnerTextAsync("main"));
        Assert.Equal(1, await office.Locator("main svg").CountAsync() > 0 ? 1 : 0);
        await ShotAsync(office, $"home-{size}");

        var inspector = await SignInAsync("inspector", phone);
        await inspector.GotoAsync($"{url}/supervision/board");
        Assert.Contains("催办", await inspector.InnerTextAsync("main"));
        await ShotAsync(inspector, $"board-{size}");

        await office.GotoAsync($"{url}/programmes/hechi-2021");
        Assert.Contains("坚持和加强党对民族团结进步的全面领导", await office.InnerTextAsync("main"));
        await ShotAsync(office, $"programme-{size}");
    }

    [Fact]
    public async Task A_unit_acknowledges_a_duty_from_its_inbox_in_the_browser()
    {
        var page = await SignInAsync("jiaoyuju", phone: false);
        var buttons = page.Locator("tr[data-assignment] button:has-text('签收')");
        Assert.True(await buttons.CountAsync() > 0);
        // The inbox shows each group's first rows, so signing one may bring the next into view: follow the task itself.
        var row = page.Locator("tr[data-assignment]:has(button:has-text('签收'))").First;
        var id = await row.GetAttributeAsync("data-assignment");
        Assert.False(string.IsNullOrEmpty(id));
        await row.Locator("button:has-text('签收')").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(0, await page.Locator($"tr[data-assignment='{id}'] button:has-text('签收')").CountAsync());
        await ShotAsync(page, "inbox-after-acknowledge-desktop");
    }

    [Fact]
    public async Task A_unit_answers_its_supervision_order_and_an_inspector_closes_it_in_the_browser()
    {
        var unit = await SignInAsync("jiaoyuju", phone: true);
        Assert.Contains("我的督办单", await unit.InnerTextAsync("main"));
        await unit.ClickAsync("a:has-text('整改反馈')");
        await unit.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("待反馈", await unit.InnerTextAsync("main"));
        await ShotAsync(unit, "order-phone");
        await unit.FillAsync("textarea[name=text]", "已完成签收，并建立工作台账。");
        await unit.ClickAsync("button:has-text('提交整改反馈')");
        await unit.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("已反馈", await unit.InnerTextAsync("main"));

        var inspector = await SignInAsync("inspector", phone: false);
        await inspector.GotoAsync($"{url}/supervision/board");
        await inspector.ClickAsync("a:has-text('开具督办单') >> nth=0");
        await inspector.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("下发督办单", await inspector.InnerTextAsync("main"));
        await ShotAsync(inspector, "order-issue-desktop");
        await inspector.GotoAsync($"{url}/supervision/orders");
        await ShotAsync(inspector, "orders-desktop");
        await inspector.ClickAsync("main table a >> nth=0");
        await inspector.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await inspector.FillAsync("form:has(button:has-text('办结')) textarea", "整改到位，予以销号。");
        await inspector.ClickAsync("button:has-text('办结（销号）')");
        await inspector.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("已销号", await inspector.InnerTextAsync("main"));
        await ShotAsync(inspector, "order-closed-desktop");
    }

    /// <summary>Every page of every role on the demo campaign renders (200, no error) at desktop and phone width and is shot.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_page_renders_for_its_roles_at_desktop_and_phone_width(bool phone)
    {
        var size = phone ? "phone" : "desktop";
        var api = await browser.ApiAsync("office");
        var campaigns = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(api, "/api/campaigns");
        var demo = (string)campaigns!.First(c => ((string)c!["name"]!).Contains("演示", StringComparison.Ordinal))!["id"]!;
        (string User, string Path, string Name, string Expect)[] pages =
        [
            ("office", "/", "home", "验收申请"),
            ("office", "/campaigns/new", "campaign-new", "启动"),
            ("office", $"/campaigns/{demo}/setup", "setup", "延期申请"),
            ("office", $"/campaigns/{demo}/assessment", "assessment", "自评"),
            ("office", $"/campaigns/{demo}/assessment/items/48", "assessment-item", "试算"),
            ("office", $"/campaigns/{demo}/acceptance", "acceptance", "90"),
            ("office", "/supervision/board", "board", "催办"),
            ("office", "/supervision/orders", "orders", "督办"),
            ("office", "/programmes/hechi-2021", "programme", "坚持和加强党对民族团结进步的全面领导"),
            ("office", "/accounts", "accounts", "账户管理"),
            ("office", "/accounts/new", "account-new", "新建账户"),
            ("office", "/accounts/import", "accounts-import", "单位、姓名、手机、邮箱、角色"),
            ("minzongwei", "/inbox", "inbox", "我的任务"),
            ("minzongwei", "/calendar", "calendar", "开通日程订阅"),
            ("office", "/calendar?unit=市民宗委", "calendar-office", "请选择单位"),
            ("minzongwei", $"/campaigns/{demo}/assessment", "assessment-lead", "自评"),
            ("jiaoyuju", "/inbox", "inbox-other-unit", "按截止日期排序"),
            ("inspector", "/supervision/board", "board-inspector", "开具督办单"),
            ("evaluator", $"/campaigns/{demo}/assessment/rates", "rates", "第三方评估"),
            ("leader", "/", "overview-leader", "总览"),
            ("leader", $"/campaigns/{demo}/ranking", "ranking", "排名"),
        ];
        var signedIn = new Dictionary<string, IPage>();
        var failures = new List<string>();
        foreach (var (user, path, name, expect) in pages)
        {
            if (!signedIn.TryGetValue(user, out var page))
            {
                signedIn[user] = page = await SignInAsync(user, phone);
            }
            var response = await page.GotoAsync($"{url}{path}");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var text = await page.InnerTextAsync("body");
            if (response?.Status != 200 || !text.Contains(expect, StringComparison.Ordinal) || page.Url.Contains("/account/", StringComparison.Ordinal))
            {
                failures.Add($"{user} {path}: {response?.Status} at {page.Url}, expected \"{expect}\"");
            }
            await ShotAsync(page, $"page-{name}-{size}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
