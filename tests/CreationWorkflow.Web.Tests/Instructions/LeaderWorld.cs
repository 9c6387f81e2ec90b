using CreationWorkflow.Web.Tests.Supervision;

namespace CreationWorkflow.Web.Tests.Instructions;

/// <summary>
/// One host for the leaders' tests: the supervision <see cref="Scenario"/> (Taijiang 2022, three assessed units, looked at on
/// Thursday 2022-01-20 with 67 late assignments), with page helpers for forms whose fields repeat (a multi-select).
/// </summary>
public sealed partial class LeaderWorld : IAsyncLifetime
{
    public Scenario S { get; private set; } = null!;
    public AppFactory App => S.App;

    public async Task InitializeAsync() => S = await Scenario.StartAsync();

    public Task DisposeAsync()
    {
        S.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Posts a page form (its token scraped from <paramref name="formPage"/>) whose fields may repeat.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string formPage, string action, params (string Key, string Value)[] fields)
    {
        var page = await client.GetAsync(formPage);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = PageClient.Token(await page.Content.ReadAsStringAsync());
        var values = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token));
        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    /// <summary>Sweeps the durable timers as the Quartz job does.</summary>
    public async Task<SweepResult> SweepAsync()
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TimerSweeper>().SweepAsync();
    }

    public static string Text(string html) => WebUtility.HtmlDecode(Tags().Replace(html, " "));

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
