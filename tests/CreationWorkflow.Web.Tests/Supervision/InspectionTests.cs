namespace CreationWorkflow.Web.Tests.Supervision;

/// <summary>/api/supervision/inspections: what the checkpoints recorded.</summary>
public sealed class InspectionTests : ScenarioTest
{
    [Fact]
    public async Task Inspections_list_checkpoint_records_newest_first_with_their_findings()
    {
        using (var scope = S.App.Services.CreateScope())
        {
            var runner = scope.ServiceProvider.GetRequiredService<CheckpointRunner>();
            await runner.RunAsync(S.CampaignId, "annualCheck", "年度专项督查", Scenario.At(2022, 1, 20, 9));
        }
        S.Clock.Set(Scenario.At(2022, 1, 21));
        using (var scope = S.App.Services.CreateScope())
        {
            var runner = scope.ServiceProvider.GetRequiredService<CheckpointRunner>();
            await runner.RunAsync(S.CampaignId, "annualCheck", "年度专项督查", Scenario.At(2022, 1, 21, 9));
        }
        var leader = await S.Client(Roles.Leader);
        var page = await leader.GetFromJsonAsync<JsonObject>($"/api/supervision/inspections?campaignId={S.CampaignId}");
        var records = page!["items"]!.AsArray();
        Assert.Equal(2, (int)page["total"]!);
        Assert.Equal(["2022-01-21", "2022-01-20"], records.Select(r => DateTimeOffset.Parse((string)r!["runAt"]!).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd")));
        var latest = records[0]!;
        Assert.Equal((137, 67), ((int)latest["openCount"]!, (int)latest["lateCount"]!));
        var top = latest["findings"]!.AsArray()[0]!;
        Assert.Equal((S.Late15, Scenario.Units[0], 1, 16), ((Guid)top["assignmentId"]!, (string)top["unit"]!, (int)top["itemNo"]!, (int)top["daysLate"]!));
        Assert.Equal(67, latest["findings"]!.AsArray().Count);

        Assert.Equal(0, (int)(await leader.GetFromJsonAsync<JsonObject>($"/api/supervision/inspections?campaignId={Guid.NewGuid()}"))!["total"]!);
        var unit = await S.Client(Roles.Unit, Scenario.Units[0]);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.GetAsync("/api/supervision/inspections")).StatusCode);
    }
}
