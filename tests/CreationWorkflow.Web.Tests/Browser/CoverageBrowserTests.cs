namespace CreationWorkflow.Web.Tests.Browser;

/// <summary>The register and coverage pages in a real browser at phone width (390 px): every role that reads them sees them, and nothing scrolls sideways.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CoverageBrowserTests(BrowserHost browser)
{
    [Fact]
    public async Task The_register_and_coverage_pages_fit_a_phone_for_the_office_a_leader_a_county_and_a_lead_unit()
    {
        var api = await browser.ApiAsync("office");
        const string name = "金城江区手机宽度测试民族团结进步示范学校（一个很长的名称用来检验换行）";
        var entered = await api.PostAsJsonAsync("/api/programmes/hechi-2021/register",
            new { division = "金城江区", field = "schools", name, state = "named", level = "province", namedOn = "2022-09-30", tenHundred = true });
        Assert.True(entered.IsSuccessStatusCode || entered.StatusCode == System.Net.HttpStatusCode.Conflict, await entered.Content.ReadAsStringAsync());
        var denominator = await api.PutAsJsonAsync("/api/programmes/hechi-2021/denominators",
            new { division = "金城江区", field = "schools", count = 40, source = "金城江区教育局2022年学校名录" });
        Assert.True(denominator.IsSuccessStatusCode, await denominator.Content.ReadAsStringAsync());

        foreach (var user in new[] { "office", "leader", "jinchengjiang", "minzongwei" })
        {
            foreach (var (path, marker) in new[] { ("register", "[data-place]"), ("coverage", "[data-target]") })
            {
                await browser.AssertFitsPhoneAsync(user, $"/programmes/hechi-2021/{path}", $"{user} {path}",
                    async page => Assert.True(await page.Locator(marker).CountAsync() > 0, $"{user} {path}: nothing shown"), $"page-{path}-{user}-phone");
            }
        }
    }
}
