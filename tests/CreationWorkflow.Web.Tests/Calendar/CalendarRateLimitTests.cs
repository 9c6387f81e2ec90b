namespace CreationWorkflow.Web.Tests.Calendar;

/// <summary>The anonymous feed is limited per client address by the host's rate limiter: past the limit, 429 with Retry-After.</summary>
public sealed class CalendarRateLimitTests : IDisposable
{
    private readonly AppFactory app = new()
    {
        Settings = new Dictionary<string, string> { ["CreationWorkflow:Calendar:FeedPermitLimit"] = "2", ["CreationWorkflow:Calendar:FeedWindow"] = "00:10:00" },
    };

    public void Dispose()
    {
        app.Dispose();
        app.DeleteFolders();
    }

    [Fact]
    public async Task Polling_past_the_limit_answers_429_in_chinese()
    {
        var office = await app.ClientFor(Roles.Office);
        var issued = await office.PostAsync($"/api/calendar/feeds/{Uri.EscapeDataString("市民宗委")}", null);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var path = new Uri((string)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["url"]!).PathAndQuery;
        using var anonymous = PageClient.Anonymous(app);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        var limited = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("请求过于频繁", await limited.Content.ReadAsStringAsync());
        // Other requests are not limited by the feed's window.
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/api/calendar/feeds/{Uri.EscapeDataString("市民宗委")}")).StatusCode);
    }
}
