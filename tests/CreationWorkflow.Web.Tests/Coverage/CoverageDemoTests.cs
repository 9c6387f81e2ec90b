using CreationWorkflow.Core.Coverage;
using CreationWorkflow.Web.Coverage;

namespace CreationWorkflow.Web.Tests.Coverage;

/// <summary>
/// The demo run (CreationWorkflow:Demo) has a register: every county's 应创建数 and places, entered through the register's
/// services (an audit entry each), so the coverage page shows figures; the page's cells are the register's own counts.
/// </summary>
public sealed class CoverageDemoTests : IDisposable
{
    private readonly AppFactory demo = new() { Settings = new Dictionary<string, string> { ["CreationWorkflow:Demo"] = "true" } };

    public void Dispose()
    {
        demo.Dispose();
        demo.DeleteFolders();
    }

    [Fact]
    public async Task The_demo_register_gives_every_county_coverage_and_leaves_one_entry_waiting_and_one_returned()
    {
        var (places, denominators, audits) = demo.WithDb(db => (
            db.Places.Where(p => p.ProgrammeId == CoverageDemo.ProgrammeId).Select(p => new { p.Division, p.Field, p.State, p.Review }).ToList(),
            db.Denominators.Where(d => d.ProgrammeId == CoverageDemo.ProgrammeId).Select(d => new { d.Division, d.Field, d.Count }).ToList(),
            db.Audit.Count(a => a.Entity == AuditEntities.Place)));
        Assert.NotEmpty(places);
        Assert.Equal(places.Count, audits - 1); // one entry per place, and the office's return of one
        Assert.Single(places, p => p.Review == PlaceReview.Pending && p.Division == CoverageDemo.County);
        Assert.Single(places, p => p.Review == PlaceReview.Returned && p.Division == CoverageDemo.County);

        var office = await demo.ClientFor(Roles.Office);
        var view = (await office.GetFromJsonAsync<JsonObject>($"/api/programmes/{CoverageDemo.ProgrammeId}/coverage"))!;
        var cells = view["report"]!["cells"]!.AsArray();
        var divisions = view["report"]!["divisions"]!.AsArray().Select(d => (string)d!).ToList();
        Assert.Equal(denominators.Select(d => d.Division).Distinct().Order(StringComparer.Ordinal), divisions.Order(StringComparer.Ordinal));
        foreach (var d in denominators)
        {
            var cell = cells.Single(c => (string)c!["division"]! == d.Division && (string)c["field"]! == d.Field)!;
            var reviewed = places.Where(p => p.Division == d.Division && p.Field == d.Field && p.Review == PlaceReview.Approved).ToList();
            Assert.Equal(d.Count, (int)cell["denominator"]!);
            Assert.Equal(reviewed.Count(p => PlaceLifecycle.IsCovered(p.State)), (int)cell["covered"]!);
            Assert.Equal(reviewed.Count(p => p.State == PlaceState.Named), (int)cell["named"]!);
        }
        // Every county has covered places, the key fields mostly met and the grassroots ones well short of full.
        Assert.All(divisions, d => Assert.True(cells.Where(c => (string)c!["division"]! == d).Sum(c => (int)c!["covered"]!) > 0, d));
        var waiting = view["waiting"]!.AsArray().Single()!;
        Assert.Equal((CoverageDemo.County, 1, 1), ((string)waiting["division"]!, (int)waiting["pending"]!, (int)waiting["returned"]!));

        var page = await PageClient.SignInAsync(demo, Roles.Office);
        var html = await page.GetStringAsync($"/programmes/{CoverageDemo.ProgrammeId}/coverage");
        Assert.Contains(CoverageDemo.County, html);
        Assert.Contains("%", html);
    }
}
