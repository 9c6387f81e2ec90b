namespace CreationWorkflow.Web.Tests.Browser;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "Browser";
}

/// <summary>
/// The real executable in its embedded demo configuration (Development: SQLite, mail to the pickup folder, demo data,
/// demo accounts) on a free loopback port in a temp folder, and Debian's Chromium driven by Playwright, headless. One per
/// browser test collection; stopped and deleted afterwards.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly AppFactory folders = new();
    private Process host = null!;
    private IPlaywright playwright = null!;

    public string Url { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string Screenshots { get; } = Path.Combine(AppFactory.RepoRoot, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        Url = $"http://127.0.0.1:{FreePort.Get()}";
        host = HostProcess.StartOn(Url, folders.SeedPath, folders.DataPath,
            ("ASPNETCORE_ENVIRONMENT", "Development"), ("DOTNET_ENVIRONMENT", "Development"), ("CreationWorkflow__Demo", "true"),
            // Every browser of every role signs in from 127.0.0.1, far more often than a real client address would.
            ("CreationWorkflow__SignIn__PermitLimit", "100000"));
        await HostProcess.WaitUntilReadyAsync(host, Url);
        (playwright, Browser) = await LaunchAsync();
    }

    /// <summary>Playwright and Debian's Chromium, headless; the screenshot folder made.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is missing: run .ci/install-test-deps.sh");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Screenshots);
        return (playwright, browser);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
        folders.DeleteFolders();
    }

    /// <summary>A page signed in through the login form, at desktop (1280×800) or phone (390×844, touch) size.</summary>
    public Task<IPage> PageAsync(string user, bool phone) => SignInAsync(Browser, Url, user, AccountSetup.DemoPassword, phone);

    /// <summary>A new browser context at desktop or phone size, not signed in.</summary>
    public static Task<IBrowserContext> ContextAsync(IBrowser browser, bool phone) => browser.NewContextAsync(phone
        ? new BrowserNewContextOptions { ViewportSize = new() { Width = PhoneWidth, Height = 844 }, IsMobile = true, HasTouch = true, Locale = "zh-CN", AcceptDownloads = true }
        : new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 }, Locale = "zh-CN", AcceptDownloads = true });

    /// <summary>The phone width every page must fit without scrolling sideways.</summary>
    public const int PhoneWidth = 390;

    /// <summary>A page of a new context signed in through the login form of the host at <paramref name="url"/>.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, string url, string user, string password, bool phone)
    {
        var context = await ContextAsync(browser, phone);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{url}/account/login");
        await page.FillAsync("input[name=UserName]", user);
        await page.FillAsync("input[name=Password]", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.DoesNotContain("/account/login", page.Url);
        return page;
    }

    /// <summary>
    /// How far the page scrolls sideways: <c>document.documentElement.scrollWidth</c> over <c>window.innerWidth</c> (0 when
    /// it fits). A phone browser zooms out over a page that is too wide, which widens innerWidth to the page's width; the
    /// width the page was laid out for (the layout viewport, documentElement.clientWidth) is the one it must fit.
    /// </summary>
    public static async Task<int> OverflowAsync(IPage page) =>
        await page.EvaluateAsync<int>("Math.max(0, document.documentElement.scrollWidth - Math.min(window.innerWidth, document.documentElement.clientWidth))");

    /// <summary>One person signed in twice: at desktop and at phone width.</summary>
    public async Task<Actor> SignInAsync(string user) => new(await PageAsync(user, phone: false), await PageAsync(user, phone: true));

    /// <summary>An API client with the demo user's bearer token.</summary>
    public async Task<HttpClient> ApiAsync(string user)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        var token = await client.PostAsJsonAsync("/api/auth/token", new { userName = user, password = AccountSetup.DemoPassword });
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonObject>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body!["accessToken"]!);
        return client;
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    /// <summary>
    /// Opens <paramref name="path"/> as <paramref name="user"/> at phone width: it answers 200, <paramref name="shows"/> holds,
    /// it does not scroll sideways (scrollWidth ≤ innerWidth; <paramref name="what"/> names it in the failure), and its
    /// screenshot is saved as <paramref name="shot"/>.
    /// </summary>
    public async Task AssertFitsPhoneAsync(string user, string path, string what, Func<IPage, Task> shows, string shot)
    {
        var page = await PageAsync(user, phone: true);
        var response = await page.GotoAsync($"{Url}{path}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(200, response?.Status);
        await shows(page);
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= inner, $"{what}: scrollWidth {scroll} > innerWidth {inner}");
        await ShotAsync(page, shot);
        await page.Context.CloseAsync();
    }
}

/// <summary>A signed-in person with a desktop and a phone page; the test drives either.</summary>
public sealed record Actor(IPage Desktop, IPage Phone)
{
    /// <summary>
    /// Shoots the page just used (whichever of the two was navigated last to a different address is brought to the same
    /// address first), as name-desktop.png and name-phone.png.
    /// </summary>
    public async Task ShotBothAsync(string name, bool phoneDriven = false)
    {
        var (driven, other) = phoneDriven ? (Phone, Desktop) : (Desktop, Phone);
        await BrowserHost.ShotAsync(driven, $"{name}-{(phoneDriven ? "phone" : "desktop")}");
        var address = WithoutHandler(driven.Url);
        if (other.Url != address)
        {
            await other.GotoAsync(address);
            await other.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        await BrowserHost.ShotAsync(other, $"{name}-{(phoneDriven ? "desktop" : "phone")}");
    }

    /// <summary>The address a form post landed on, as the page it renders (a GET with ?handler=Post would run no OnGet).</summary>
    private static string WithoutHandler(string url)
    {
        var uri = new Uri(url);
        var query = string.Join("&", uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("handler=", StringComparison.OrdinalIgnoreCase)));
        return uri.GetLeftPart(UriPartial.Path) + (query.Length > 0 ? "?" + query : "");
    }
}
