namespace CreationWorkflow.Web.Tests.Access;

/// <summary>
/// A lead unit may cite in its facts only evidence it may see. Unit A (市民宗委, lead of item 31) citing unit B's file —
/// uploaded on an assignment A neither owns nor reviews, of another item — is refused as if the file did not exist, by
/// the API and by the item page, nothing changes, and the file cannot be downloaded from A's item page.
/// </summary>
[Collection(AccessCollection.Name)]
public sealed class EvidenceCitationTests(AccessWorld world)
{
    [Fact]
    public async Task A_lead_unit_cannot_cite_another_units_evidence_and_cannot_download_it_from_its_item_page()
    {
        var item = world.A.Item;
        // B's file is on B's assignment of another item, which A does not review: nothing A may see.
        var (bItem, bReviewer) = world.App.WithDb(db => db.Assignments.Where(a => a.Id == world.B.Assignment).Select(a => new { a.ItemNo, a.ReviewerUnit }).AsEnumerable()
            .Select(a => (a.ItemNo, a.ReviewerUnit)).Single());
        Assert.NotEqual(int.Parse(item, System.Globalization.CultureInfo.InvariantCulture), bItem);
        Assert.NotEqual(world.A.Unit, bReviewer);
        var before = world.Fingerprint();
        var api = await world.Api[Who.Unit].PutAsJsonAsync($"/api/campaigns/{world.CampaignId}/assessment/items/{item}",
            new { facts = new { checks = new Dictionary<string, bool> { [$"{item}.1"] = true } }, evidence = new Dictionary<string, Guid[]> { [$"{item}.1"] = [world.B.File] } });
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        var body = await api.Content.ReadAsStringAsync();
        Assert.Contains("不存在或不属于本创建活动", body);
        Assert.DoesNotContain(world.B.FileName, body);
        Assert.Equal(before, world.Fingerprint());

        var page = $"/campaigns/{world.CampaignId}/assessment/items/{item}";
        var form = await PageClient.PostFormAsync(world.Pages[Who.Unit], page, $"{page}?handler=Propose", new()
        {
            [$"check.{item}.1"] = "true", [$"evidence.{item}.1"] = world.B.File.ToString(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal(before, world.Fingerprint());
        var download = await world.Pages[Who.Unit].GetAsync($"{page}?handler=Evidence&fileId={world.B.File}");
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);

        // The office may cite any evidence of the campaign, and A its own (the refusal above was about the owner).
        var own = await world.Api[Who.Unit].PutAsJsonAsync($"/api/campaigns/{world.CampaignId}/assessment/items/{item}",
            new { facts = new { checks = new Dictionary<string, bool> { [$"{item}.1"] = true } }, evidence = new Dictionary<string, Guid[]> { [$"{item}.1"] = [world.A.File] } });
        Assert.True(own.IsSuccessStatusCode, await own.Content.ReadAsStringAsync());
    }
}
