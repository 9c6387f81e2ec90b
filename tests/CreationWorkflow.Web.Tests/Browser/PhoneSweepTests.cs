using CreationWorkflow.Web.Tests.Access;

namespace CreationWorkflow.Web.Tests.Browser;

/// <summary>
/// The access sweep's world (a v1 campaign and a v2 one with per-unit reports, both units' work, orders, a bulletin) on a
/// real Kestrel port, with one Chromium; one signed-in phone-sized context per role.
/// </summary>
public sealed class PhoneSweepWorld : IAsyncLifetime
{
    private IPlaywright playwright = null!;

    public AccessWorld World { get; } = new(kestrelPort: FreePort.Get());
    public string Url => World.Url!;
    public IBrowser? Browser { get; private set; }

    /// <summary>A phone page per role (the unit's is unit A's), signed in through the login form; null for anonymous.</summary>
    public Dictionary<Who, IPage> Pages { get; } = [];

    public async Task InitializeAsync()
    {
        await World.InitializeAsync();
        (playwright, var browser) = await BrowserHost.LaunchAsync();
        Browser = browser;
        foreach (var role in AccessWorld.Roles)
        {
            var name = await World.App.UserAsync(RoleName(role), role == Who.Unit ? AccessWorld.UnitA : null, prefix: "b");
            Pages[role] = await BrowserHost.SignInAsync(browser, Url, name, AppFactory.Password, phone: true);
        }
        Pages[Who.Anyone] = await (await BrowserHost.ContextAsync(browser, phone: true)).NewPageAsync();
    }

    private static string RoleName(Who role) => role switch
    {
        Who.Office => Web.Accounts.Roles.Office,
        Who.Unit => Web.Accounts.Roles.Unit,
        Who.Inspector => Web.Accounts.Roles.Inspector,
        Who.Evaluator => Web.Accounts.Roles.Evaluator,
        _ => Web.Accounts.Roles.Leader,
    };

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
            playwright.Dispose();
        }
        await World.DisposeAsync();
    }
}

/// <summary>
/// Every page (each GET page route of <see cref="EndpointInventory.Table"/>, filled from the access world) opened at
/// 390 px by every role that may see it, plus the per-unit report pages: no server error, and nothing scrolls sideways
/// (<c>document.documentElement.scrollWidth ≤ window.innerWidth</c>) — wide tables scroll inside their own container.
/// </summary>
public sealed class PhoneSweepTests(PhoneSweepWorld sweep) : IClassFixture<PhoneSweepWorld>
{
    [Fact]
    public async Task Every_page_fits_a_390px_phone_for_every_role_that_may_see_it()
    {
        var world = sweep.World;
        var pages = EndpointInventory.Table
            .Where(e => e.IsPage && e.Method == "GET" && !e.Route.Contains("handler=", StringComparison.Ordinal) && !e.Route.EndsWith(".xlsx", StringComparison.Ordinal))
            .ToList();
        var visits = new List<(Who Role, string Url)>();
        foreach (var ep in pages)
        {
            var url = world.Fill(ep.Route, world.A);
            if (ep.Body is { } query)
            {
                url += (url.Contains('?') ? "&" : "?") + world.FillBody(query, world.A);
            }
            visits.AddRange(ep.Allowed == Who.Anyone
                ? [(Who.Anyone, url)]
                : AccessWorld.Roles.Where(r => ep.Allowed.HasFlag(r)).Select(r => (r, url)));
        }
        // The per-unit report pages (a unit's own report, the county's report as its line's reviewer and as staff) and
        // the item page of an item with report lines.
        visits.Add((Who.Unit, $"/assignments/{world.A.Report}"));
        visits.Add((Who.Unit, $"/assignments/{world.A.Reviewed}"));
        visits.Add((Who.Office, $"/assignments/{world.A.Reviewed}"));
        visits.Add((Who.Office, $"/campaigns/{world.ReportCampaignId}/assessment/items/{world.A.ReviewedItem}"));
        visits.Add((Who.Office, $"/supervision/board?campaign={world.ReportCampaignId}"));

        var failures = new List<string>();
        foreach (var (role, path) in visits)
        {
            var page = sweep.Pages[role];
            var response = await page.GotoAsync(sweep.Url + path, new() { WaitUntil = WaitUntilState.Load });
            var status = response?.Status ?? 0;
            var overflow = await BrowserHost.OverflowAsync(page);
            if (status >= 500 || status == 0 || overflow > 0 || page.Url.Contains("/account/login", StringComparison.Ordinal) && role != Who.Anyone)
            {
                failures.Add($"{role} {path}: {status} at {page.Url}, {overflow} px too wide");
                await BrowserHost.ShotAsync(page, $"sweep-{role}-{string.Concat(path.Where(char.IsLetterOrDigit)).ToLowerInvariant()[..Math.Min(40, path.Count(char.IsLetterOrDigit))]}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {visits.Count} pages fail at 390 px:\n" + string.Join("\n", failures));
        Assert.True(visits.Count >= 60, $"only {visits.Count} pages visited");

        // The measure sees a page that is too wide (a phone browser does not silently widen its viewport to fit it).
        var probe = sweep.Pages[Who.Office];
        await probe.GotoAsync(sweep.Url + "/");
        Assert.Equal(0, await BrowserHost.OverflowAsync(probe));
        await probe.EvaluateAsync("() => { const d = document.createElement('div'); d.style.width = '600px'; d.style.height = '1px'; document.body.appendChild(d); }");
        Assert.True(await BrowserHost.OverflowAsync(probe) > 0, "a 600 px element did not make the page overflow");
    }
}
