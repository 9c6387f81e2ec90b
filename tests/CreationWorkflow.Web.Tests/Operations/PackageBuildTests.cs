using CreationWorkflow.Web.Tests.Scoring;

namespace CreationWorkflow.Web.Tests.Operations;

/// <summary>
/// One acceptance-package build per campaign: while one runs a second request gets 409 with a zh-CN message (never
/// 500), two at once give one package and at most one refusal; a <c>.zip.part</c> left by a crash is gone after a restart.
/// </summary>
public sealed class PackageBuildTests() : HostTest(At(new DateTimeOffset(2023, 2, 6, 10, 0, 0, TimeSpan.FromHours(8))))
{
    [Fact]
    public async Task A_second_build_of_the_same_package_is_refused_while_one_runs_and_leftovers_go_at_start()
    {
        var office = await App.PatientClientFor(Roles.Office);
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01");
        var programme = App.Services.GetRequiredService<ProgrammeCatalog>().Find("hechi-2021")!;
        foreach (var item in programme.Items)
        {
            Assert.Equal(HttpStatusCode.OK, (await office.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item.No}",
                new { facts = AssessmentGateTests.FullMarks(item.Rules) })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item.No}/review", new { decision = "accept" })).StatusCode);
        }
        var request = new { applicant = "河池市", contactName = "王主任", contactPhone = "0778-0000000" };

        // A build is running (claimed as the endpoint claims it): the second request is refused at once.
        using (PackageBuilds.Begin(campaignId))
        {
            var busy = await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/package", request);
            Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
            Assert.Equal(PackageBuilds.Busy, (string)(await busy.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!);
        }

        // Another process writing the same package holds its .part exclusively: refused the same way.
        var folder = Path.Combine(App.DataPath, "packages", campaignId.ToString("N"));
        Directory.CreateDirectory(folder);
        var today = new DateOnly(2023, 2, 6);
        var part = Path.Combine(folder, $"验收申请材料-hechi-2021-{today:yyyyMMdd}.zip.part");
        await using (new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var held = await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/package", request);
            Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
            Assert.Contains("正在生成", await held.Content.ReadAsStringAsync());
        }

        // Two at once: no 500; at least one package; a refusal, if any, is the zh-CN one.
        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => office.PostAsJsonAsync($"/api/campaigns/{campaignId}/package", request)));
        Assert.All(both, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)r.StatusCode}"));
        Assert.Contains(both, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in both.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("正在生成", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/campaigns/{campaignId}/package", request)).StatusCode);

        // A crash mid-build leaves a .part: the next start removes it and keeps the finished packages.
        await File.WriteAllTextAsync(part, "interrupted");
        var finished = Directory.GetFiles(folder, "*.zip");
        Assert.NotEmpty(finished);
        App.Dispose();
        using var restarted = App.Restart();
        _ = restarted.Server;
        Assert.False(File.Exists(part));
        Assert.Equal(finished, Directory.GetFiles(folder, "*.zip"));
    }
}
