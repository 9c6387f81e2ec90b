using CreationWorkflow.Web.Tests.Access;
using Microsoft.AspNetCore.Identity;

namespace CreationWorkflow.Web.Tests.Operations;

/// <summary>
/// Every page of the access inventory, as every role allowed to see it, carries the CSP (with frame-ancestors),
/// nosniff and Referrer-Policy, and has nothing the CSP would block (inline script, style attributes, on* handlers).
/// </summary>
[Collection(AccessCollection.Name)]
public sealed partial class SecurityHeadersTests(AccessWorld world)
{
    [Fact]
    public async Task Every_page_as_every_allowed_role_carries_the_security_headers_and_no_inline_code()
    {
        var failures = new List<string>();
        var pages = 0;
        foreach (var ep in EndpointInventory.Table.Where(e => e.IsPage && !e.Mutates && !e.Route.Contains("handler=", StringComparison.Ordinal)))
        {
            var roles = ep.Allowed == Who.Anyone ? [Who.Anyone] : AccessWorld.Roles.Where(r => ep.Allowed.HasFlag(r)).ToList();
            foreach (var role in roles)
            {
                var client = role == Who.Anyone ? world.App.CreateClient() : world.Pages[role];
                var response = await world.SendAsync(client, ep, world.A);
                pages++;
                var problems = Check(response);
                if (response.Content.Headers.ContentType?.MediaType == "text/html")
                {
                    var html = await response.Content.ReadAsStringAsync();
                    problems.AddRange(InlineCode().Matches(html).Select(m => $"CSP would block: {m.Value}"));
                }
                failures.AddRange(problems.Select(p => $"{ep} as {role}: {p}"));
            }
        }
        Assert.True(pages > 30, $"only {pages} pages seen");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    internal static List<string> Check(HttpResponseMessage response)
    {
        var problems = new List<string>();
        string? Header(string name) => response.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : null;
        if (Header("Content-Security-Policy") is not { } csp)
        {
            problems.Add("no Content-Security-Policy");
        }
        else
        {
            Assert.Equal(Hardening.ContentSecurityPolicy, csp);
            if (!csp.Contains("frame-ancestors 'none'", StringComparison.Ordinal))
            {
                problems.Add("no frame-ancestors");
            }
        }
        if (Header("X-Content-Type-Options") != "nosniff")
        {
            problems.Add("no X-Content-Type-Options: nosniff");
        }
        if (Header("Referrer-Policy") is null)
        {
            problems.Add("no Referrer-Policy");
        }
        return problems;
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>|\\sstyle=\"|\\son[a-z]+=\"|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();
}

/// <summary>
/// The real executable in Production behind a TLS proxy on loopback: X-Forwarded-Proto https makes the request HTTPS, so
/// HSTS is sent; cookies are Secure; the headers are on pages, the API, static files and the 503/404 answers.
/// </summary>
public sealed class ProductionHeadersTests : IDisposable
{
    private readonly AppFactory folders = new();

    public void Dispose() => folders.DeleteFolders();

    [Fact]
    public async Task Production_sends_hsts_behind_the_proxy_secure_cookies_and_the_headers()
    {
        // The account is made beforehand on the same SQLite file (the bootstrap command is another branch's).
        using (var setup = new AppFactory(folders.Root))
        using (var scope = setup.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = "prod-office", DisplayName = "创建办 生产" };
            Assert.True((await users.CreateAsync(user, AppFactory.Password)).Succeeded);
            await users.AddToRoleAsync(user, Roles.Office);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var url = $"http://127.0.0.1:{FreePort.Get()}";
        using var host = HostProcess.StartOn(url, folders.SeedPath, folders.DataPath);
        try
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(url) };
            await MultiInstanceTests.WaitReadyAsync(http, url, host);

            // Plain HTTP (no proxy): no HSTS; through the proxy (X-Forwarded-Proto from loopback): HSTS.
            var plain = await http.GetAsync("/account/login");
            Assert.Empty(SecurityHeadersTests.Check(plain));
            Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
            var proxied = await SendAsync(http, HttpMethod.Get, "/account/login");
            Assert.Empty(SecurityHeadersTests.Check(proxied));
            Assert.StartsWith("max-age=31536000", string.Join(",", proxied.Headers.GetValues("Strict-Transport-Security")));
            Assert.All(proxied.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

            var token = await http.PostAsJsonAsync("/api/auth/token", new { userName = "prod-office", password = AppFactory.Password });
            token.EnsureSuccessStatusCode();
            var bearer = (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
            foreach (var path in new[] { "/", "/programmes", "/programmes/hechi-2021", "/campaigns/new", "/supervision/board", "/supervision/orders", "/operations", "/ranking", "/api/campaigns", "/site.css", "/no-such-page", "/health/ready" })
            {
                var response = await SendAsync(http, HttpMethod.Get, path, bearer);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
                Assert.True(SecurityHeadersTests.Check(response) is [], $"{path}: {string.Join(", ", SecurityHeadersTests.Check(response))}");
                Assert.True(response.Headers.Contains("Strict-Transport-Security"), path);
            }

            // The sign-in cookie itself is Secure (and HttpOnly).
            var login = await SendAsync(http, HttpMethod.Get, "/account/login");
            var antiforgery = login.Headers.GetValues("Set-Cookie").First().Split(';')[0];
            var form = await login.Content.ReadAsStringAsync();
            using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["UserName"] = "prod-office", ["Password"] = AppFactory.Password, ["__RequestVerificationToken"] = PageClient.Token(form),
                }),
            };
            post.Headers.Add("X-Forwarded-Proto", "https");
            post.Headers.Host = "cw.example.org";
            post.Headers.Add("Cookie", antiforgery);
            var signedIn = await http.SendAsync(post);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            var auth = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cw.auth=", StringComparison.Ordinal));
            Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Host = "cw.example.org";
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await http.SendAsync(request);
    }
}
