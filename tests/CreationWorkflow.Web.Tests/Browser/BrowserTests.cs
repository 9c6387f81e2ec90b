using System.Diagnostics;
using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreationWorkflow.Web.Tests.Browser;

/// <summary>
/// A real browser (Debian's Chromium, driven by Playwright, headless) against the real executable in its embedded demo
/// configuration: each role signs in through the form and sees its page, at desktop and at phone width. Screenshots
/// are saved under artifacts/screenshots/ as test artifacts.
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly AppFactory folders = new();
    private Process host = null!;
    private string url = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public static string Screenshots { get; } = Path.Combine(AppFactory.RepoRoot, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is missing: run .ci/install-test-deps.sh");
        url = $"http://127.0.0.1:{FreePort.Get()}";
        host = HostProcess.StartOn(url, folders.SeedPath, folders.DataPath,
            ("ASPNETCORE_ENVIRONMENT", "Development"), ("DOTNET_ENVIRONMENT", "Development"));
        using var http = new HttpClient();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(host.HasExited, "the host exited during start-up");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(120), "the host did not start");
            try
            {
                if ((await http.GetAsync($"{url}/account/login")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
        folders.DeleteFolders();
    }

    private async Task<IPage> SignInAsync(string user, bool phone)
    {
        var context = await browser.NewContextAsync(phone
            ? new BrowserNewContextOptions { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, Locale = "zh-CN" }
            : new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{url}/account/login");
        await page.FillAsync("input[name=UserName]", user);
        await page.FillAsync("input[name=Password]", AccountSetup.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.DoesNotContain("/account/login", page.Url);
        return page;
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

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
        var buttons = page.Locator("form button:has-text('签收')");
        var before = await buttons.CountAsync();
        Assert.True(before > 0);
        await buttons.First.ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(before - 1, await page.Locator("form button:has-text('签收')").CountAsync());
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
}
