namespace CreationWorkflow.Web.Tests.Browser;

/// <summary>The 通报 page in a real browser at phone width: every role that reads it sees its cards, and nothing scrolls sideways.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BulletinBrowserTests(BrowserHost browser)
{
    [Fact]
    public async Task The_bulletins_page_fits_a_phone_for_the_office_the_leader_and_a_unit()
    {
        var api = await browser.ApiAsync("office");
        var campaigns = await api.GetFromJsonAsync<JsonArray>("/api/campaigns");
        var demo = (string)campaigns!.First(c => ((string)c!["name"]!).Contains("演示", StringComparison.Ordinal))!["id"]!;
        var today = ChinaTime.Today(DateTimeOffset.UtcNow);
        var period = today.AddDays(1 - today.Day).AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var built = await api.PostAsJsonAsync($"/api/campaigns/{demo}/bulletins", new { period });
        Assert.True(built.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await built.Content.ReadAsStringAsync());

        foreach (var user in new[] { "office", "leader", "minzongwei" })
        {
            await browser.AssertFitsPhoneAsync(user, $"/campaigns/{demo}/bulletins", user,
                async page => Assert.Equal(1, await page.Locator($"[data-period='{period}']").CountAsync()), $"page-bulletins-{user}-phone");
        }
    }
}
