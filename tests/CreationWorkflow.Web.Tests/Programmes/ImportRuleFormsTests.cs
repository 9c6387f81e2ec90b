namespace CreationWorkflow.Web.Tests.Programmes;

/// <summary>
/// The preview's in-place rule forms for the kinds beyond check/count/tier: a level rule (levels, combine, cap), a
/// staff-size rule (points, bands) and a penalty by category (categories and their points). Each is edited through the
/// page, refused with the rule and field named when wrong (nothing changes), and the list is published again as the
/// programme's next version. Its own host: it versions both seed programmes.
/// </summary>
public sealed class ImportRuleFormsTests(ClassHost host) : IClassFixture<ClassHost>
{
    private readonly AppFactory app = host.App;

    private ProgrammeCatalog Catalog => app.Services.GetRequiredService<ProgrammeCatalog>();

    /// <summary>Uploads the programme's own export through the page: a draft with its rules and nothing to confirm.</summary>
    private async Task<(HttpClient Office, string Preview, string Draft)> DraftOfExportAsync(string id)
    {
        var office = await PageClient.SignInAsync(app, Roles.Office);
        var export = await (await office.GetAsync($"/programmes/{id}/list.xlsx")).Content.ReadAsByteArrayAsync();
        var form = await office.GetStringAsync("/programmes/import");
        var upload = new MultipartFormDataContent
        {
            { new ByteArrayContent(export), "Upload", $"{id}.xlsx" }, { new StringContent(id), "ProgrammeId" },
            { new StringContent(PageClient.Token(form)), "__RequestVerificationToken" },
        };
        var posted = await office.PostAsync("/programmes/import", upload);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var preview = PageClient.Location(posted);
        return (office, preview, preview.Split("draft=")[1]);
    }

    private static async Task<string> PostRulesAsync(HttpClient office, string preview, string draft, string item, HttpStatusCode expected, params Dictionary<string, string>[] rules)
    {
        var fields = new Dictionary<string, string> { ["Draft"] = draft, ["Item"] = item };
        for (var i = 0; i < rules.Length; i++)
        {
            foreach (var (k, v) in rules[i])
            {
                fields[$"Rules[{i}].{k}"] = v;
            }
        }
        var response = await PageClient.PostFormAsync(office, preview, "/programmes/import?handler=Rules", fields);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == expected, html);
        return html;
    }

    private async Task PublishAsync(HttpClient office, string preview, string draft, string id, int version)
    {
        Assert.Contains("全部核对无误", await office.GetStringAsync(preview));
        var published = await PageClient.PostFormAsync(office, preview, "/programmes/import?handler=Publish", new() { ["Draft"] = draft });
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.StartsWith($"/programmes/{id}", PageClient.Location(published));
        Assert.Equal(version, app.WithDb(db => db.Programmes.Single(p => p.Id == id).CurrentVersion));
    }

    [Fact]
    public async Task Level_and_staff_size_rules_are_edited_in_place_refused_when_wrong_and_republished()
    {
        var before = Catalog.Find("taijiang-2022")!;
        var version = app.WithDb(db => db.Programmes.Single(p => p.Id == "taijiang-2022").CurrentVersion);
        var (office, preview, draft) = await DraftOfExportAsync("taijiang-2022");
        var html = WebUtility.HtmlDecode(await office.GetStringAsync(preview));
        // Each rule's form shows its kind with its current values.
        Assert.Contains("value=\"县级:2，州级:4，省级:6\"", html);
        Assert.Contains("value=\"1-10:5，11-30:15，31-50:20，51-:30\"", html);

        // 2.3 with a 国家级 line; then wrong levels and points are refused naming the rule and field.
        var item7 = before.Items.Single(i => i.No == 7);
        var level = new Dictionary<string, string> { ["Kind"] = "level", ["Text"] = item7.Text, ["Levels"] = "县级:2，州级:4，省级:6，国家级:6", ["Combine"] = "max", ["Cap"] = "6" };
        var refused = await PostRulesAsync(office, preview, draft, "7", HttpStatusCode.BadRequest, new Dictionary<string, string>(level) { ["Levels"] = "乡级:1，县级:2" });
        Assert.Contains("第1条规则 级别分值：「乡级:1」不是“级别:分值”", refused);
        refused = await PostRulesAsync(office, preview, draft, "7", HttpStatusCode.BadRequest, new Dictionary<string, string>(level) { ["Levels"] = "县级:0，州级:4" });
        Assert.Contains("第1条规则 级别分值（第1项）分值：须在0.01到100之间（现为0）", refused);
        refused = await PostRulesAsync(office, preview, draft, "7", HttpStatusCode.BadRequest, new Dictionary<string, string>(level) { ["Cap"] = "" });
        Assert.Contains("第1条规则 上限：请填写上限", refused);
        await PostRulesAsync(office, preview, draft, "7", HttpStatusCode.Redirect, level);

        // 4.2's three rules (班子 check, 个人 per person, essays by staff size) with the overlapping bands made disjoint.
        var item20 = before.Items.Single(i => i.No == 20);
        var check = (CheckRule)item20.Rules[0];
        var person = (PerPersonRule)item20.Rules[1];
        var staff = (StaffCountRule)item20.Rules[2];
        Dictionary<string, string> Check() => new() { ["Kind"] = "check", ["Text"] = check.Text, ["Points"] = $"{check.Points}" };
        Dictionary<string, string> Person() => new() { ["Kind"] = "perPerson", ["Text"] = person.Text, ["Points"] = $"{person.Points}", ["PerMissing"] = $"{person.PerMissing}" };
        var bands = new Dictionary<string, string> { ["Kind"] = "staffCount", ["Text"] = staff.Text, ["Points"] = $"{staff.Points}", ["Bands"] = "1-10:5，11-29:15，30-49:20，50-:30" };
        refused = await PostRulesAsync(office, preview, draft, "20", HttpStatusCode.BadRequest, Check(), Person(), new Dictionary<string, string>(bands) { ["Bands"] = "1-10:5，30-11:15" });
        Assert.Contains("第3条规则 人数档次（第2项）截止人数：须在30到1000000之间（现为11）", refused);
        refused = await PostRulesAsync(office, preview, draft, "20", HttpStatusCode.BadRequest, Check(), Person(), new Dictionary<string, string>(bands) { ["Bands"] = "十人:5" });
        Assert.Contains("第3条规则 人数档次：「十人:5」不是“人数范围:应交数”", refused);
        await PostRulesAsync(office, preview, draft, "20", HttpStatusCode.Redirect, Check(), Person(), bands);

        await PublishAsync(office, preview, draft, "taijiang-2022", version + 1);
        var after = Catalog.Find("taijiang-2022")!;
        var edited = Assert.IsType<LevelRule>(Assert.Single(after.Items.Single(i => i.No == 7).Rules));
        Assert.Equal(((LevelRule)item7.Rules[0]).Levels.Append(new LevelPoints(Level.National, 6m)), edited.Levels);
        Assert.Equal(("max", 6m), (edited.Combine, edited.Cap));
        var bandsAfter = Assert.IsType<StaffCountRule>(after.Items.Single(i => i.No == 20).Rules[2]).Requirements;
        Assert.Equal([new StaffRequirement(1, 5, 10), new StaffRequirement(11, 15, 29), new StaffRequirement(30, 20, 49), new StaffRequirement(50, 30)], bandsAfter);
        Assert.Equal(item20.Points, after.Items.Single(i => i.No == 20).Rules.Sum(r => r.MaxPoints));
        // Everything not edited is as it was.
        Assert.Equal(before.Items.Where(i => i.No is not (7 or 20)).Select(i => i.Rules.Count), after.Items.Where(i => i.No is not (7 or 20)).Select(i => i.Rules.Count));
    }

    [Fact]
    public async Task Penalty_categories_are_edited_in_place_keep_their_ids_and_are_republished()
    {
        var before = Catalog.Find("hechi-2021")!;
        var version = app.WithDb(db => db.Programmes.Single(p => p.Id == "hechi-2021").CurrentVersion);
        var p1 = Assert.IsType<PerCaseRule>(Assert.Single(before.Adjustments.PenaltyItems.Single(i => i.No == 1).Rules));
        var (office, preview, draft) = await DraftOfExportAsync("hechi-2021");
        Assert.Contains($"value=\"{string.Join("，", p1.Categories.Select(k => $"{k.Text}:{k.Points:0.##}"))}\"", WebUtility.HtmlDecode(await office.GetStringAsync(preview)));

        var rule = new Dictionary<string, string> { ["Kind"] = "perCase", ["Text"] = p1.Text, ["Categories"] = "民族工作事项:6，其他工作事项:3，涉密事项:4" };
        var refused = await PostRulesAsync(office, preview, draft, "P1", HttpStatusCode.BadRequest, new Dictionary<string, string>(rule) { ["Categories"] = "民族工作事项:0，其他工作事项:3" });
        Assert.Contains("第1条规则 类别（第1项）分值：须在0.01到100之间（现为0）", refused);
        refused = await PostRulesAsync(office, preview, draft, "P1", HttpStatusCode.BadRequest, new Dictionary<string, string>(rule) { ["Categories"] = "民族工作事项五分" });
        Assert.Contains("第1条规则 类别：「民族工作事项五分」不是“类别:每例分值”", refused);
        await PostRulesAsync(office, preview, draft, "P1", HttpStatusCode.Redirect, rule);

        await PublishAsync(office, preview, draft, "hechi-2021", version + 1);
        var edited = Assert.IsType<PerCaseRule>(Assert.Single(Catalog.Find("hechi-2021")!.Adjustments.PenaltyItems.Single(i => i.No == 1).Rules));
        // The known categories keep their ids (facts name them); the new one is numbered.
        Assert.Equal([.. p1.Categories.Select(k => k with { Points = k.Text == "民族工作事项" ? 6m : k.Points }), new CaseCategory("c3", "涉密事项", 4m)], edited.Categories);
        Assert.Null(edited.Points);
    }
}
