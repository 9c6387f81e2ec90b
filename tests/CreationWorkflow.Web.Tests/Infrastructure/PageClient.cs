using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>A browser-like client: signs in through the /account/login form (cookie + antiforgery), follows no redirects.</summary>
public static partial class PageClient
{
    public static HttpClient Anonymous(AppFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpClient> SignInAsync(AppFactory app, string role, string? unit = null)
    {
        var name = await app.UserAsync(role, unit, prefix: "p", displayPrefix: "页面");
        var client = Anonymous(app);
        var form = await client.GetStringAsync("/account/login");
        var signedIn = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = name,
            ["Password"] = AppFactory.Password,
            ["__RequestVerificationToken"] = Token(form),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cw.auth=", StringComparison.Ordinal));
        return client;
    }

    /// <summary>The antiforgery token of the first form on a page.</summary>
    public static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "no antiforgery token on the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a page form with the token scraped from <paramref name="formPage"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, string action, Dictionary<string, string>? fields = null)
    {
        var token = Token(await client.GetStringAsync(formPage));
        var values = new Dictionary<string, string>(fields ?? []) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    /// <summary>The response has <paramref name="status"/> and its body shows <paramref name="shown"/>: the body.</summary>
    public static async Task<string> AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode status, string shown)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(shown, body);
        return body;
    }

    public static string Location(HttpResponseMessage response) =>
        response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : "";

    /// <summary>
    /// Where each read link (<c>/r/{token}</c>) in a mailed text leads: opened anonymously, without following, its redirect
    /// target (the task or page the notice is about). Opening marks the notice read, as a recipient's click does.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReadLinkTargetsAsync(AppFactory app, string text)
    {
        using var anonymous = Anonymous(app);
        var targets = new List<string>();
        foreach (Match link in ReadLinkPattern().Matches(text))
        {
            var opened = await anonymous.GetAsync(link.Groups[1].Value);
            targets.Add(opened.StatusCode == HttpStatusCode.Redirect ? Location(opened) : $"({(int)opened.StatusCode})");
        }
        return targets;
    }

    [GeneratedRegex(@"https?://[^/\s]+(/r/[A-Za-z0-9_-]+)")]
    private static partial Regex ReadLinkPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
