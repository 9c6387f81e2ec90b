using CreationWorkflow.Core.Inspection;
using CreationWorkflow.Web.Inspection;

namespace CreationWorkflow.Web.Tests.Inspection;

/// <summary>
/// Issue 13 point 4 on the pages of a Hechi campaign: the office pairs 市教育局 and 市民宗委; 市教育局 fills the checklist of
/// one of 市民宗委's items with one 不符合 finding (a note and a photo) and submits; the finding shows on the item's review;
/// the office opens a 督办单 from it; 市民宗委 sees it. The checklist is the evidence plan's (never typed in).
/// </summary>
public sealed class PeerInspectionPagesTests : IAsyncLifetime
{
    private const string Inspector = "市教育局";
    private const string Inspected = "市民宗委";
    // In the self-check phase: 深入推进和总结验收 (2023-01 to 2023-06) of a campaign started 2021-12-01.
    private readonly AppFactory app = new() { Clock = new TestClock(new DateTimeOffset(2023, 3, 1, 10, 0, 0, TimeSpan.FromHours(8))) };
    private Guid campaignId;

    public async Task InitializeAsync() => campaignId = await AppFactory.StartCampaignAsync(await app.ClientFor(Roles.Office), "hechi-2021", "2021-12-01");

    public Task DisposeAsync()
    {
        app.Dispose();
        app.DeleteFolders();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_finding_of_the_inspecting_unit_reaches_the_item_review_and_becomes_a_supervision_order_for_the_inspected_unit()
    {
        var programme = app.Services.GetRequiredService<ProgrammeCatalog>().Find("hechi-2021")!;
        var leads = PeerInspectionService.LeadItems(programme);
        Assert.False(leads[Inspector].Overlaps(leads[Inspected]));
        var office = await PageClient.SignInAsync(app, Roles.Office);
        var list = $"/campaigns/{campaignId}/peer-inspections";

        // The office pairs the two units: each inspects every item the other leads.
        var paired = await PageClient.PostFormAsync(office, list, $"{list}?handler=Pair", new() { ["inspector"] = Inspector, ["inspected"] = Inspected });
        Assert.Equal(HttpStatusCode.Redirect, paired.StatusCode);
        var rows = app.WithDb(db => db.PeerInspections.Where(i => i.CampaignId == campaignId).Select(i => new { i.Id, i.Inspector, i.Inspected, i.Item }).ToList());
        Assert.Equal(leads[Inspected].Count + leads[Inspector].Count, rows.Count);
        var item = leads[Inspected].Min().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = rows.Single(r => r.Inspector == Inspector && r.Item == item).Id;
        var page = $"/peer-inspections/{id}";

        // The inspecting unit sees its own inspections only; the inspected unit cannot open this one.
        var inspector = await PageClient.SignInAsync(app, Roles.Unit, Inspector);
        var inspected = await PageClient.SignInAsync(app, Roles.Unit, Inspected);
        var mine = await inspector.GetStringAsync(list);
        Assert.Equal(rows.Count(r => r.Inspector == Inspector), System.Text.RegularExpressions.Regex.Matches(mine, "data-inspection=").Count);
        Assert.Equal(HttpStatusCode.NotFound, (await inspected.GetAsync(page)).StatusCode);

        // The checklist: a line per rule of the item, asking what the item's methods need of it.
        var checklist = PeerInspectionService.ChecklistOf(programme, item);
        var html = await inspector.GetStringAsync(page);
        Assert.All(checklist, l => Assert.Contains($"data-rule=\"{l.RuleId}\"", html));
        Assert.All(checklist.SelectMany(l => l.Asks).Distinct(), ask => Assert.Contains(ask, html));

        // The first line 不符合 with a note and a photo; the others 符合.
        var first = checklist[0].RuleId;
        const string problem = "现场未见民族团结进步宣传栏，台账缺2022年1月会议记录";
        var form = new MultipartFormDataContent
        {
            { new StringContent(PageClient.Token(html)), "__RequestVerificationToken" },
            { new StringContent(first), "ruleId" }, { new StringContent("doesNotConform"), "verdict" }, { new StringContent(problem), "note" },
        };
        var photo = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(photo, "files", "宣传栏现场.png");
        var recorded = await inspector.PostAsync($"{page}?handler=Record", form);
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        foreach (var line in checklist.Skip(1))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PageClient.PostFormAsync(inspector, page, $"{page}?handler=Record",
                new() { ["ruleId"] = line.RuleId, ["verdict"] = "conforms" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await PageClient.PostFormAsync(inspector, page, $"{page}?handler=Submit")).StatusCode);
        Assert.Equal(PeerInspectionState.Submitted, app.WithDb(db => db.PeerInspections.Single(i => i.Id == id).State));
        Assert.Equal(1, app.WithDb(db => db.PeerPhotos.Count()));

        // The finding is on the item's review, for the lead unit and the office.
        var itemPage = $"/campaigns/{campaignId}/assessment/items/{item}";
        foreach (var reader in new[] { inspected, office })
        {
            var review = await reader.GetStringAsync(itemPage);
            Assert.Contains($"data-finding-rule=\"{first}\" data-verdict=\"{PeerVerdict.DoesNotConform}\"", review);
            Assert.Contains(problem, review);
        }

        // The office opens a rectification task: a 督办单 to the inspected unit through the supervision machinery.
        var findingId = app.WithDb(db => db.PeerFindings.Single(f => f.InspectionId == id && f.RuleId == first).Id);
        var rectified = await PageClient.PostFormAsync(office, page, $"{page}?handler=Rectify",
            new() { ["findingId"] = findingId.ToString(), ["rectifyBy"] = "2023-04-15" });
        Assert.Equal(HttpStatusCode.Redirect, rectified.StatusCode);
        var order = app.WithDb(db => db.SupervisionOrders.Single(o => o.CampaignId == campaignId));
        Assert.Equal(Inspected, order.Unit);
        Assert.Contains(problem, order.Requirement);
        Assert.Equal(order.Id, app.WithDb(db => db.PeerFindings.Single(f => f.Id == findingId).OrderId));
        var orderPage = await inspected.GetStringAsync($"/supervision/orders/{order.Id}");
        Assert.Contains(problem, orderPage);
        Assert.Contains(order.Title, await inspected.GetStringAsync(itemPage));

        // Every change audited, in order; a second rectification of the same finding is refused and stores nothing.
        var actions = app.WithDb(db => db.Audit.Where(a => a.Entity == AuditEntities.PeerInspection && a.EntityId == id.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToList());
        Assert.Equal([AuditActions.PeerInspectionAssigned, .. checklist.Select(_ => AuditActions.PeerInspectionRecorded), AuditActions.PeerInspectionSubmitted,
            AuditActions.PeerInspectionRectify], actions);
        var again = await PageClient.PostFormAsync(office, page, $"{page}?handler=Rectify", new() { ["findingId"] = findingId.ToString(), ["rectifyBy"] = "2023-04-15" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, app.WithDb(db => db.SupervisionOrders.Count(o => o.CampaignId == campaignId)));
    }
}
