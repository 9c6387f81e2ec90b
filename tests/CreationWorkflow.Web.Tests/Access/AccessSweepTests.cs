namespace CreationWorkflow.Web.Tests.Access;

/// <summary>
/// The sweep over <see cref="EndpointInventory.Table"/>: anonymous callers, every role the table does not allow, unit A
/// with unit B's ids, and page forms without their antiforgery token are refused — and the database and the data
/// folder are exactly as before (<see cref="AccessWorld.Fingerprint"/>). Each test collects every failure, so one run
/// names every hole.
/// </summary>
[Collection(AccessCollection.Name)]
public sealed partial class AccessSweepTests(AccessWorld world)
{
    private static IEnumerable<Ep> Protected => EndpointInventory.Table.Where(e => e.Allowed != Who.Anyone);

    [Fact]
    public async Task Anonymous_callers_get_401_from_the_API_and_the_sign_in_page_from_pages_and_nothing_changes()
    {
        using var anonymous = PageClient.Anonymous(world.App);
        var failures = new List<string>();
        var before = world.Fingerprint();
        foreach (var ep in Protected)
        {
            var response = await world.SendAsync(anonymous, ep, world.A);
            var body = await response.Content.ReadAsStringAsync();
            var ok = ep.IsApi
                ? response.StatusCode == HttpStatusCode.Unauthorized && (body.Length == 0 || body.Contains("\"title\":\"Unauthorized\"", StringComparison.Ordinal))
                    && !body.Contains(world.A.Unit, StringComparison.Ordinal)
                : response.StatusCode == HttpStatusCode.Redirect && PageClient.Location(response).StartsWith("/account/login", StringComparison.Ordinal);
            if (!ok)
            {
                failures.Add($"{ep}: {(int)response.StatusCode} {PageClient.Location(response)} {Clip(body)}");
            }
        }
        Assert.True(failures.Count == 0, "Anonymous calls not refused:\n" + string.Join("\n", failures));
        Assert.Equal(before, world.Fingerprint());
    }

    [Fact]
    public async Task The_open_endpoints_answer_anonymous_callers()
    {
        using var anonymous = PageClient.Anonymous(world.App);
        var login = await anonymous.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("__RequestVerificationToken", await login.Content.ReadAsStringAsync());
        var openApi = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Contains("/api/assignments/{id}", await openApi.Content.ReadAsStringAsync());
        var before = world.Fingerprint();
        var failures = world.App.WithDb(db => db.Audit.Count(a => a.Action == "signin.failed"));
        var token = await world.SendAsync(anonymous, EndpointInventory.ByKey["POST /api/auth/token"], world.A);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Contains("用户名或密码错误。", await token.Content.ReadAsStringAsync());
        Assert.Equal(before, world.Fingerprint());
        Assert.Equal(failures + 1, world.App.WithDb(db => db.Audit.Count(a => a.Action == "signin.failed"))); // the failed attempt is audited
    }

    /// <summary>The API takes bearer tokens only (AccountSetup forwards /api to the bearer scheme): a page's cookie opens nothing there.</summary>
    [Fact]
    public async Task A_cookie_signed_in_user_gets_401_from_every_API_endpoint()
    {
        var failures = new List<string>();
        var before = world.Fingerprint();
        foreach (var ep in Protected.Where(e => e.IsApi))
        {
            var role = AccessWorld.Roles.First(r => ep.Allowed.HasFlag(r));
            var response = await world.SendAsync(world.Pages[role], ep, world.A);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{ep} as {role} by cookie: {(int)response.StatusCode} {Clip(await response.Content.ReadAsStringAsync())}");
            }
        }
        Assert.True(failures.Count == 0, "Cookie calls to the API not refused:\n" + string.Join("\n", failures));
        Assert.Equal(before, world.Fingerprint());
    }

    /// <summary>
    /// Every role the table does not allow: 403 from the API (404 where the data is hidden from it), the denied page
    /// (or 403/404) from pages. Unit A's own ids are used, so the refusal is about the role and not the owner.
    /// </summary>
    [Fact]
    public async Task Every_role_not_allowed_is_refused_and_nothing_changes()
    {
        var failures = new List<string>();
        var calls = 0;
        foreach (var ep in Protected)
        {
            foreach (var role in AccessWorld.Roles.Where(r => !ep.Allowed.HasFlag(r)))
            {
                var client = ep.IsApi ? world.Api[role] : world.Pages[role];
                var before = world.Fingerprint();
                var response = await world.SendAsync(client, ep, world.A);
                calls++;
                if (Refused(ep, response) is { } why)
                {
                    failures.Add($"{ep} as {role}: {why}");
                }
                if (world.Fingerprint() is var after && after != before)
                {
                    failures.Add($"{ep} as {role} changed data:\n  before {before}\n  after  {after}");
                }
            }
        }
        Assert.True(failures.Count == 0, "Roles not refused:\n" + string.Join("\n", failures));
        Assert.True(calls > 100, $"only {calls} calls");
    }

    /// <summary>The other half of the table: each allowed role reads every GET endpoint with its own ids (so the table is not too strict, and the sweep's URLs are real).</summary>
    [Fact]
    public async Task Every_allowed_role_can_read_the_GET_endpoints()
    {
        var failures = new List<string>();
        foreach (var ep in Protected.Where(e => !e.Mutates))
        {
            foreach (var role in AccessWorld.Roles.Where(r => ep.Allowed.HasFlag(r)))
            {
                var response = await world.SendAsync(ep.IsApi ? world.Api[role] : world.Pages[role], ep, world.A);
                var location = PageClient.Location(response);
                var ok = response.StatusCode == HttpStatusCode.OK
                    || ep.IsPage && response.StatusCode == HttpStatusCode.Redirect && !location.StartsWith("/account/", StringComparison.Ordinal);
                if (!ok)
                {
                    failures.Add($"{ep} as {role}: {(int)response.StatusCode} {location} {Clip(await response.Content.ReadAsStringAsync())}");
                }
            }
        }
        Assert.True(failures.Count == 0, "Allowed roles refused:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// Every POST form on every page, as each allowed role sees it, carries its own antiforgery token — a form whose
    /// literal action attribute made the tag helper skip the token would otherwise only fail in a real browser.
    /// </summary>
    [Fact]
    public async Task Every_post_form_on_every_page_carries_its_own_antiforgery_token()
    {
        var failures = new List<string>();
        var forms = 0;
        foreach (var ep in Protected.Where(e => e.IsPage && !e.Mutates && !e.Route.Contains("handler=", StringComparison.Ordinal)))
        {
            foreach (var role in AccessWorld.Roles.Where(r => ep.Allowed.HasFlag(r)))
            {
                var response = await world.SendAsync(world.Pages[role], ep, world.A);
                if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
                {
                    continue;
                }
                foreach (System.Text.RegularExpressions.Match form in PostForm().Matches(await response.Content.ReadAsStringAsync()))
                {
                    forms++;
                    if (!form.Value.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal))
                    {
                        failures.Add($"{ep} as {role}: {Clip(form.Value)}");
                    }
                }
            }
        }
        Assert.True(forms > 20, $"only {forms} forms seen");
        Assert.True(failures.Count == 0, "Forms without their own antiforgery token:\n" + string.Join("\n", failures));
    }

    [System.Text.RegularExpressions.GeneratedRegex("<form\\b[^>]*method=\"post\"[^>]*>.*?</form>", System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex PostForm();

    /// <summary>
    /// Unit A with unit B's ids — assignment, evidence file, notice, 督办单, the item B leads — on every endpoint and page
    /// that takes one: 403 or 404, nothing of B in the answer, nothing changed. Then A's own ids still work (so the ids are real).
    /// </summary>
    [Fact]
    public async Task A_unit_using_another_units_ids_is_refused_learns_nothing_and_changes_nothing()
    {
        var failures = new List<string>();
        var swapped = Protected.Where(e => world.Fill(e.Route, world.A) != world.Fill(e.Route, world.B)
            || e.Body is { } b && world.FillBody(b, world.A) != world.FillBody(b, world.B)).ToList();
        foreach (var ep in swapped)
        {
            var client = ep.IsApi ? world.Api[Who.Unit] : world.Pages[Who.Unit];
            var before = world.Fingerprint();
            var response = await world.SendAsync(client, ep, world.B);
            if (Refused(ep, response) is { } why)
            {
                failures.Add($"{ep} with B's ids: {why}");
            }
            else if (Leak(await response.Content.ReadAsStringAsync()) is { } leak)
            {
                failures.Add($"{ep} with B's ids: the answer shows {leak}");
            }
            if (world.Fingerprint() is var after && after != before)
            {
                failures.Add($"{ep} with B's ids changed data:\n  before {before}\n  after  {after}");
            }
        }

        // A's own assignment with B's evidence file id.
        var mixed = new[]
        {
            (world.Api[Who.Unit], $"/api/assignments/{world.A.Assignment}/evidence/{world.B.File}"),
            (world.Pages[Who.Unit], $"/assignments/{world.A.Assignment}?handler=Evidence&fileId={world.B.File}"),
        };
        foreach (var (client, url) in mixed)
        {
            var response = await client.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.NotFound || Leak(await response.Content.ReadAsStringAsync()) is not null)
            {
                failures.Add($"GET {url}: {(int)response.StatusCode}");
            }
        }
        Assert.True(failures.Count == 0, "Id swaps not refused:\n" + string.Join("\n", failures));
        Assert.Contains(swapped, e => e.Key == "GET /api/assignments/{id:guid}/evidence/{fileId:guid}");
        Assert.Contains(swapped, e => e.Key == "POST /assignments/{id:guid}?handler=Progress");
        Assert.Contains(swapped, e => e.Key == "POST /api/notifications/{id:long}/read");
        Assert.Contains(swapped, e => e.Key == "POST /api/supervision/orders/{id:guid}/feedback");
        Assert.Contains(swapped, e => e.Key == "PUT /api/campaigns/{id:guid}/assessment/items/{item}");

        // The same requests with A's own ids are answered (read) — the refusals above were about the owner.
        var own = new[]
        {
            (world.Api[Who.Unit], $"/api/assignments/{world.A.Assignment}/trail", world.A.Text),
            (world.Api[Who.Unit], $"/api/supervision/orders/{world.A.Order}", world.A.Requirement),
            (world.Pages[Who.Unit], $"/assignments/{world.A.Assignment}", world.A.FileName),
            (world.Api[Who.Unit], $"/api/assignments/{world.A.Assignment}/evidence/{world.A.File}", $"% {world.A.Unit}"),
        };
        foreach (var (client, url, expected) in own)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A's lists — its assignments, notices, 督办单, inbox — show A's own and nothing of B.</summary>
    [Fact]
    public async Task A_units_lists_show_nothing_of_another_unit()
    {
        var lists = new[]
        {
            (world.Api[Who.Unit], "/api/assignments/mine?pageSize=200", world.A.Unit),
            (world.Api[Who.Unit], "/api/assignments/mine?view=review", null),
            (world.Api[Who.Unit], "/api/notifications?pageSize=100", world.A.Unit),
            (world.Api[Who.Unit], "/api/supervision/orders", world.A.Requirement),
            (world.Pages[Who.Unit], "/inbox", world.A.Unit),
        };
        foreach (var (client, url, expected) in lists)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            if (expected is not null)
            {
                Assert.Contains(expected, body);
            }
            Assert.Null(Leak(WithoutPeerNotices(url, body)));
        }
    }

    /// <summary>
    /// A's notices without those of 互观互检, in the API's list and on the inbox page: the world pairs A to inspect B, so the
    /// notice telling A so names B by design (nothing else of B's: no text, file or requirement, which the lists still check).
    /// </summary>
    private static string WithoutPeerNotices(string url, string body)
    {
        if (url.StartsWith("/inbox", StringComparison.Ordinal))
        {
            Assert.Contains("data-kind=\"peer-inspection-assigned\"", body);
            return PeerNotice().Replace(body, "");
        }
        if (!url.StartsWith("/api/notifications", StringComparison.Ordinal))
        {
            return body;
        }
        var items = System.Text.Json.Nodes.JsonNode.Parse(body)!["items"]!.AsArray();
        Assert.Contains(items, n => ((string)n!["kind"]!).StartsWith("peer-inspection-", StringComparison.Ordinal));
        return string.Join("\n", items.Where(n => !((string)n!["kind"]!).StartsWith("peer-inspection-", StringComparison.Ordinal))
            .Select(n => $"{n!["title"]} {n["body"]} {n["link"]}"));
    }

    [System.Text.RegularExpressions.GeneratedRegex("<div class=\"notice[^\"]*\" data-kind=\"peer-inspection-[a-z-]+\">.*?</div>\\s*<div class=\"meta\">.*?</div>\\s*</div>", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex PeerNotice();

    /// <summary>Null when refused as the table says; otherwise what happened.</summary>
    private static string? Refused(Ep ep, HttpResponseMessage response)
    {
        var status = response.StatusCode;
        if (ep.IsApi)
        {
            return status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound ? null : $"{(int)status}";
        }
        var location = PageClient.Location(response);
        return status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            || status == HttpStatusCode.Redirect && location.StartsWith("/account/denied", StringComparison.Ordinal)
            ? null
            : $"{(int)status} {location}";
    }

    /// <summary>What of unit B an answer shows, if anything.</summary>
    private string? Leak(string body) =>
        new[] { world.B.Unit, world.B.Text, world.B.FileName, world.B.Requirement, world.B.File.ToString(), world.B.Assignment.ToString() }
            .FirstOrDefault(t => body.Contains(t, StringComparison.Ordinal));

    private static string Clip(string body) => body.Length > 200 ? body[..200] + "…" : body;
}
