using DocumentFormat.OpenXml;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace CreationWorkflow.Web.Tests.Programmes;

/// <summary>
/// Issue 12: a list in the layout of Hechi's 附件2, built here as a real XLSX/DOCX, is imported to a draft, its units
/// confirmed and flagged clauses set, and published as a version; broken files are refused by row and column with
/// nothing stored; both seed programmes export and import back to the same content hash. One host for the class.
/// </summary>
public sealed class ListImportTests(ClassHost host) : IClassFixture<ClassHost>
{
    private readonly AppFactory app = host.App;

    private static readonly string[] Header = ListFileBuilder.Header;

    /// <summary>
    /// A small county list: full-width digits in 分值 and numbering, line breaks in cells, targets and indicators merged;
    /// item 1's points in Chinese numerals (得二分), which the clause reader flags rather than guesses.
    /// </summary>
    private static (string?[][] Rows, string[] Merges) CountyList(string firstPoints = "２") =>
    ([
        ["某县民族团结进步创建测评指标责任清单"],
        Header,
        ["一、组织领导", "（一）工作机制", "１．成立创建工作领导小组，\n职责明确（得二分）。", firstPoints, "市民族宗教事务委员会、\n市教育局", "各县（区）党委、人民政府", "网上申报\n实地核查"],
        [null, null, "2.每年专题研究创建工作不少于2次。", "48", "市教育局", "县文旅新局", "实地核查"],
        [null, "（二）宣传教育", "3.开展民族团结进步宣传月活动。", "５０", "市教育局", "各县（区）党委、人民政府", "第三方评估"],
        ["二、奖惩清单", "（三）加分事项", "1.工作受到国家肯定的。每例加2分，最高不超过6分。", null, "市教育局", null, "网上申报"],
        [null, "（四）减分事项", "1.发生涉及民族因素的负面事件的，每例扣1分。", null, "市教育局", null, "网上申报"],
    ], ["A1:G1", "A3:A5", "B3:B4", "A6:A7"]);

    [Fact]
    public async Task An_xlsx_in_the_attachment_layout_becomes_a_draft_then_a_published_version_with_its_audit()
    {
        var office = await app.ClientFor(Roles.Office);
        var (rows, merges) = CountyList();
        var draft = await UploadAsync(office, Xlsx(rows, merges), "county.xlsx", "test-county", "某县创建方案", "hechi-2021");

        var entries = draft["entries"]!.AsArray();
        var items = entries.Where(e => (string)e!["section"]! == "item").ToList();
        Assert.Equal([2m, 48m, 50m], items.Select(i => (decimal)i!["points"]!));
        Assert.Equal("成立创建工作领导小组，职责明确（得二分）。", (string)items[0]!["text"]!); // numbering off, lines joined
        Assert.Equal(["市民族宗教事务委员会", "市教育局"], items[0]!["lead"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(["各县（区）党委、人民政府"], items[0]!["responsible"]!.AsArray().Select(x => (string)x!));
        Assert.Single(entries, e => (string)e!["section"]! == "bonus");
        Assert.Single(entries, e => (string)e!["section"]! == "penalty");
        var targets = draft["targets"]!.AsArray();
        Assert.Equal(["组织领导"], targets.Select(t => (string)t!["name"]!));
        Assert.Equal(["工作机制", "宣传教育"], targets[0]!["indicators"]!.AsArray().Select(i => (string)i!["name"]!));
        Assert.Equal(2, items.Count(i => (int)i!["indicator"]! == 1));
        Assert.Equal(100m, (decimal)draft["totals"]!["items"]!);

        // Units: the full name is suggested as 市民宗委 (its abbreviation); an unknown county office is proposed as new.
        var units = draft["units"]!.AsArray();
        var full = units.Single(u => (string)u!["name"]! == "市民族宗教事务委员会")!;
        Assert.Equal("市民宗委", (string)full["suggestions"]![0]!["name"]!);
        Assert.Contains(units, u => (string)u!["name"]! == "县文旅新局");
        Assert.DoesNotContain(units, u => (string)u!["name"]! == "各县（区）党委、人民政府"); // a known group

        // Nothing is a programme yet.
        Assert.Equal(0, app.WithDb(db => db.ProgrammeVersions.Count(v => v.ProgrammeId == "test-county")));
        var id = (string)draft["id"]!;
        Assert.Equal(HttpStatusCode.Conflict, (await office.PostAsync($"/api/programmes/imports/{id}/publish", null)).StatusCode);

        await ConfirmUnitsAsync(office, id);
        await SetRulesAsync(office, id, "1", new { kind = "check", id = "x", text = "成立创建工作领导小组，职责明确（得二分）。", points = 2 });
        await SetRulesAsync(office, id, "2", new { kind = "count", id = "x", text = "每年专题研究创建工作不少于2次。", points = 48, min = 2, perMissing = 24 });
        await SetRulesAsync(office, id, "3", new { kind = "check", id = "x", text = "开展民族团结进步宣传月活动。", points = 50 });
        await SetRulesAsync(office, id, "B1", new { kind = "perCase", id = "x", text = "每例加2分，最高不超过6分。", points = 2, cap = 6 });
        var last = await SetRulesAsync(office, id, "P1", new { kind = "perCase", id = "x", text = "每例扣1分。", points = 1 });
        Assert.Empty(last["problems"]!.AsArray());

        var published = await office.PostAsync($"/api/programmes/imports/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(1, (int)(await published.Content.ReadFromJsonAsync<JsonObject>())!["version"]!);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/api/programmes/test-county/items")).StatusCode);
        var programme = app.Services.GetRequiredService<ProgrammeCatalog>().Find("test-county")!;
        Assert.Equal("市民宗委", programme.Units.FindUnit("市民族宗教事务委员会")!.Name); // confirmed as its alias
        Assert.NotNull(programme.Units.FindUnit("县文旅新局"));
        Assert.Equal(1, app.WithDb(db => db.Audit.Count(a => a.Action == "programme.loaded" && a.EntityId == "test-county" && a.Actor != "system:seed")));
        Assert.Equal(0, app.WithDb(db => db.ImportDrafts.Count(d => d.ProgrammeId == "test-county")));

        // The same list again with one rule changed is a new version of that programme.
        var again = await UploadAsync(office, Xlsx(rows, merges), "county.xlsx", "test-county", null, null);
        var againId = (string)again["id"]!;
        Assert.True((bool)again["newVersion"]!);
        Assert.Empty(again["units"]!.AsArray()); // the directory now knows them all
        await SetRulesAsync(office, againId, "1", new { kind = "check", id = "x", text = "成立创建工作领导小组，职责明确（得二分）。", points = 2 });
        await SetRulesAsync(office, againId, "2", new { kind = "count", id = "x", text = "每年专题研究创建工作不少于2次。", points = 48, min = 2 });
        await SetRulesAsync(office, againId, "3", new { kind = "check", id = "x", text = "开展民族团结进步宣传月活动。", points = 50 });
        await SetRulesAsync(office, againId, "B1", new { kind = "perCase", id = "x", text = "每例加2分。", points = 2, cap = 6 });
        await SetRulesAsync(office, againId, "P1", new { kind = "perCase", id = "x", text = "每例扣1分。", points = 1 });
        var second = await office.PostAsync($"/api/programmes/imports/{againId}/publish", null);
        Assert.Equal(2, (int)(await second.Content.ReadFromJsonAsync<JsonObject>())!["version"]!);
        Assert.Equal(1, app.WithDb(db => db.Audit.Count(a => a.Action == "programme.versioned" && a.EntityId == "test-county")));
        Assert.Equal(2, app.WithDb(db => db.Programmes.Single(p => p.Id == "test-county").CurrentVersion));
    }

    [Fact]
    public async Task Broken_files_are_refused_by_row_and_column_and_nothing_is_stored()
    {
        var office = await app.ClientFor(Roles.Office);
        var drafts = app.WithDb(db => db.ImportDrafts.Count());
        var audit = app.WithDb(db => db.Audit.Count());

        var (rows, merges) = CountyList(firstPoints: "二");
        rows[3][2] = null; // an empty item that has points
        var bad = await Refused(office, Xlsx(rows, merges), "bad.xlsx");
        Assert.Contains("第3行 分值列：'二' 不是数字", bad);
        Assert.Contains("第4行 测评内容列", bad);
        Assert.Contains("工作表", bad);

        var noPoints = rows.Select(r => r.Length > 3 ? r.Where((_, i) => i != 3).ToArray() : r).ToArray();
        Assert.Contains("缺少「分值」列", await Refused(office, Xlsx(noPoints, []), "nopoints.xlsx"));
        Assert.Contains("不是 XLSX 或 DOCX", await Refused(office, "%PDF-1.4 not a list"u8.ToArray(), "list.xlsx"));

        Assert.Equal(drafts, app.WithDb(db => db.ImportDrafts.Count()));
        Assert.Equal(audit, app.WithDb(db => db.Audit.Count()));
    }

    /// <summary>The other faults of issue 12's list, in both formats, through the API and the page: nothing is stored.</summary>
    [Fact]
    public async Task A_row_outside_any_target_text_points_and_a_missing_column_are_refused_in_xlsx_docx_and_the_page()
    {
        var office = await app.ClientFor(Roles.Office);
        var page = await Web.Tests.Infrastructure.PageClient.SignInAsync(app, Roles.Office); // signing in is audited: before the counts
        var drafts = app.WithDb(db => db.ImportDrafts.Count());
        var audit = app.WithDb(db => db.Audit.Count());

        // The first item row has no 测评目标 (and no merge carries one down to it): rows 3 to 5 belong to no target.
        var (rows, _) = CountyList();
        rows[2][0] = null;
        var outside = await Refused(office, Xlsx(rows, ["A1:G1", "B3:B4", "A6:A7"]), "outside.xlsx");
        Assert.Contains("「工作表 附件2」第3行 测评目标列：该行不属于任何测评目标", outside);
        Assert.Contains("第5行 测评目标列", outside);

        // Word: text in 分值 named by table, row and column; a table without the 分值 column.
        var (words, _) = CountyList(firstPoints: "二");
        Assert.Contains("「表格1」第2行 分值列：'二' 不是数字", await Refused(office, Docx(words.Skip(1).ToArray()), "bad.docx"));
        var noPoints = words.Skip(1).Select(r => r.Length > 3 ? r.Where((_, i) => i != 3).ToArray() : r).ToArray();
        Assert.Contains("「表格1」第1行：缺少「分值」列", await Refused(office, Docx(noPoints), "nopoints.docx"));

        // The page names the same faults and keeps nothing.
        var form = await page.GetStringAsync("/programmes/import");
        var (bad, merges) = CountyList(firstPoints: "二");
        var upload = new MultipartFormDataContent
        {
            { new ByteArrayContent(Xlsx(bad, merges)), "Upload", "bad.xlsx" }, { new StringContent("test-bad-page"), "ProgrammeId" },
            { new StringContent("坏清单"), "Title" }, { new StringContent(Web.Tests.Infrastructure.PageClient.Token(form)), "__RequestVerificationToken" },
        };
        var posted = await page.PostAsync("/programmes/import", upload);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        var html = WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync());
        Assert.Contains("「工作表 附件2」第3行 分值列：'二' 不是数字", html);

        Assert.Equal(drafts, app.WithDb(db => db.ImportDrafts.Count()));
        Assert.Equal(audit, app.WithDb(db => db.Audit.Count()));
    }

    /// <summary>A unit the directory does not know is named by row and column; publishing is refused (API 409, page 400) until confirmed, and nothing is a programme.</summary>
    [Fact]
    public async Task An_unknown_unit_is_named_by_row_and_column_and_stops_publishing_until_confirmed()
    {
        var office = await app.ClientFor(Roles.Office);
        var (rows, merges) = CountyList();
        var draft = await UploadAsync(office, Xlsx(rows, merges), "county.xlsx", "test-unknown", "某县", "hechi-2021");
        var problems = draft["problems"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Contains("「工作表 附件2」第3行 牵头单位列：单位「市民族宗教事务委员会」不在单位名录中", problems[0]);
        Assert.Contains(problems, p => p.StartsWith("「工作表 附件2」第4行 责任单位列：单位「县文旅新局」不在单位名录中", StringComparison.Ordinal));
        Assert.Equal("「工作表 附件2」第4行 责任单位列", (string)draft["units"]!.AsArray().Single(u => (string)u!["name"]! == "县文旅新局")!["place"]!);

        var id = (string)draft["id"]!;
        var publish = await office.PostAsync($"/api/programmes/imports/{id}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, publish.StatusCode);
        Assert.Contains("第3行 牵头单位列：单位「市民族宗教事务委员会」", System.Text.RegularExpressions.Regex.Unescape(await publish.Content.ReadAsStringAsync()));

        var page = await Web.Tests.Infrastructure.PageClient.SignInAsync(app, Roles.Office);
        var preview = $"/programmes/import?draft={id}";
        Assert.Contains("第4行 责任单位列", WebUtility.HtmlDecode(await page.GetStringAsync(preview)));
        var refused = await Web.Tests.Infrastructure.PageClient.PostFormAsync(page, preview, "/programmes/import?handler=Publish", new() { ["Draft"] = id });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("第3行 牵头单位列", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(0, app.WithDb(db => db.ProgrammeVersions.Count(v => v.ProgrammeId == "test-unknown")));
        Assert.Null(app.Services.GetRequiredService<ProgrammeCatalog>().Find("test-unknown"));
        await office.DeleteAsync($"/api/programmes/imports/{id}");
    }

    [Fact]
    public async Task A_docx_table_with_vertical_merges_and_spans_is_read_like_the_sheet()
    {
        var office = await app.ClientFor(Roles.Office);
        var (rows, _) = CountyList();
        var draft = await UploadAsync(office, Docx(rows.Skip(1).ToArray()), "county.docx", "test-docx", "某县（Word）", "hechi-2021");
        var entries = draft["entries"]!.AsArray();
        Assert.Equal([2m, 48m, 50m], entries.Where(e => (string)e!["section"]! == "item").Select(i => (decimal)i!["points"]!));
        Assert.Equal(["工作机制", "宣传教育"], draft["targets"]![0]!["indicators"]!.AsArray().Select(i => (string)i!["name"]!));
        Assert.Equal("表格1 第2行", (string)entries[0]!["source"]!["section"]!);
        Assert.Equal(0, app.WithDb(db => db.ProgrammeVersions.Count(v => v.ProgrammeId == "test-docx")));
    }

    [Theory]
    [InlineData("hechi-2021")]
    [InlineData("taijiang-2022")]
    public async Task Export_then_import_gives_the_same_programme(string id)
    {
        var office = await app.ClientFor(Roles.Office);
        var file = await office.GetAsync($"/api/programmes/{id}/list.xlsx");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var draft = await UploadAsync(office, await file.Content.ReadAsByteArrayAsync(), $"{id}.xlsx", id, null, null);
        var programme = app.Services.GetRequiredService<ProgrammeCatalog>().Find(id)!;
        Assert.Empty(draft["problems"]!.AsArray());
        Assert.Equal(programme.Items.Count, draft["entries"]!.AsArray().Count(e => (string)e!["section"]! == "item"));
        Assert.Equal(programme.ContentHash, (string)draft["contentHash"]!);
        await office.DeleteAsync($"/api/programmes/imports/{(string)draft["id"]!}");
    }

    [Fact]
    public async Task A_unit_clerk_may_export_but_not_import()
    {
        var unit = await app.ClientFor(Roles.Unit, "市民宗委");
        var (rows, merges) = CountyList();
        var form = new MultipartFormDataContent { { new ByteArrayContent(Xlsx(rows, merges)), "file", "county.xlsx" }, { new StringContent("unit-try"), "programmeId" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.PostAsync("/api/programmes/imports", form)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.GetAsync("/api/programmes/imports")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync("/api/programmes/hechi-2021/list.xlsx")).StatusCode);
        Assert.Equal(0, app.WithDb(db => db.ImportDrafts.Count(d => d.ProgrammeId == "unit-try")));
    }

    /// <summary>The pages: upload, the preview with the flagged clause marked, a rule set in its form, units confirmed, published.</summary>
    [Fact]
    public async Task The_office_imports_fixes_flags_confirms_units_and_publishes_in_pages()
    {
        var office = await Web.Tests.Infrastructure.PageClient.SignInAsync(app, Roles.Office);
        var form = await office.GetStringAsync("/programmes/import");
        var (rows, merges) = CountyList();
        var upload = new MultipartFormDataContent
        {
            { new ByteArrayContent(Xlsx(rows, merges)), "Upload", "county.xlsx" }, { new StringContent("test-pages"), "ProgrammeId" },
            { new StringContent("某县（页面）"), "Title" }, { new StringContent("hechi-2021"), "BaseProgramme" },
            { new StringContent(Web.Tests.Infrastructure.PageClient.Token(form)), "__RequestVerificationToken" },
        };
        var posted = await office.PostAsync("/programmes/import", upload);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var preview = Web.Tests.Infrastructure.PageClient.Location(posted);
        var draft = preview.Split("draft=")[1];
        var html = await office.GetStringAsync(preview);
        // The clause reader cannot read points in Chinese numerals: that clause is flagged and marked.
        Assert.Matches("<mark>[^<]*（得二分）[^<]*</mark>", html);
        Assert.Contains("市民族宗教事务委员会", html);
        Assert.Contains("disabled", html); // publish is off while problems remain

        async Task Post(string handler, Dictionary<string, string> fields)
        {
            var response = await Web.Tests.Infrastructure.PageClient.PostFormAsync(office, preview, $"/programmes/import?handler={handler}",
                new Dictionary<string, string>(fields) { ["Draft"] = draft });
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        }
        await Post("Units", new()
        {
            ["Decisions[0].Name"] = "市民族宗教事务委员会", ["Decisions[0].Action"] = "alias", ["Decisions[0].Target"] = "市民宗委",
            ["Decisions[1].Name"] = "县文旅新局", ["Decisions[1].Action"] = "create", ["Decisions[1].Kind"] = "County",
        });
        foreach (var (item, kind, points, extra) in new[]
        {
            ("1", "check", "2", ""), ("2", "count", "48", "2"), ("3", "tier", "", ""), ("B1", "perCase", "2", ""), ("P1", "perCase", "1", ""),
        })
        {
            var fields = new Dictionary<string, string> { ["Item"] = item, ["Rules[0].Kind"] = kind, ["Rules[0].Text"] = "条款", ["Rules[0].Points"] = points };
            if (kind == "count") { fields["Rules[0].Min"] = extra; }
            if (kind == "tier") { fields["Rules[0].Tiers"] = "90:50，80:30"; fields["Rules[0].Measure"] = "satisfaction"; }
            if (item == "B1") { fields["Rules[0].Cap"] = "6"; }
            await Post("Rules", fields);
        }
        html = await office.GetStringAsync(preview);
        Assert.Contains("全部核对无误", html);
        var published = await Web.Tests.Infrastructure.PageClient.PostFormAsync(office, preview, "/programmes/import?handler=Publish", new() { ["Draft"] = draft });
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.StartsWith("/programmes/test-pages", Web.Tests.Infrastructure.PageClient.Location(published));
        var items = await office.GetStringAsync("/programmes/test-pages");
        Assert.Contains("满意度", items);
        Assert.Contains("/programmes/test-pages/list.xlsx", items);
    }

    /// <summary>An export with one item text edited: that item is read again (flagged), the rest kept; publishing makes version 2 while a running campaign stays on its version.</summary>
    [Fact]
    public async Task A_new_version_leaves_a_running_campaign_on_its_version()
    {
        var office = await app.ClientFor(Roles.Office);
        var campaign = await AppFactory.StartCampaignAsync(office, "taijiang-2022", "2022-01-01", ["甲单位"]);
        var catalog = app.Services.GetRequiredService<ProgrammeCatalog>();
        var before = catalog.Find("taijiang-2022")!;
        var pinned = app.WithDb(db => db.Campaigns.Single(c => c.Id == campaign).ProgrammeVersion);

        var export = await (await office.GetAsync("/api/programmes/taijiang-2022/list.xlsx")).Content.ReadAsByteArrayAsync();
        var edited = before.Items[1].Text + "（修订）";
        var draft = await UploadAsync(office, ReplaceText(export, before.Items[1].Text, edited), "taijiang.xlsx", "taijiang-2022", null, null);
        var entry = draft["entries"]!.AsArray().Single(e => (string)e!["key"]! == "2")!;
        Assert.NotEmpty(entry["flags"]!.AsArray()); // edited text: read again, flagged
        Assert.All(draft["problems"]!.AsArray(), p => Assert.StartsWith("第2项", (string)p!)); // only the edited item is open
        await SetRulesAsync(office, (string)draft["id"]!, "2", new { kind = "check", id = "x", text = edited, points = before.Items[1].Points });
        var published = await office.PostAsync($"/api/programmes/imports/{(string)draft["id"]!}/publish", null);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var version = (int)(await published.Content.ReadFromJsonAsync<JsonObject>())!["version"]!;

        Assert.Equal(pinned + 1, version);
        Assert.Equal(edited, catalog.Find("taijiang-2022")!.Items[1].Text);
        Assert.Equal(pinned, app.WithDb(db => db.Campaigns.Single(c => c.Id == campaign).ProgrammeVersion));
        Assert.Equal(before.Items[1].Text, catalog.Find("taijiang-2022", pinned)!.Items[1].Text);
    }

    private static byte[] ReplaceText(byte[] xlsx, string from, string to)
    {
        var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var doc = SpreadsheetDocument.Open(stream, true))
        {
            foreach (var t in doc.WorkbookPart!.SharedStringTablePart!.SharedStringTable.Descendants<S.Text>().Where(t => t.Text == from))
            {
                t.Text = to;
            }
        }
        return stream.ToArray();
    }

    private static async Task ConfirmUnitsAsync(HttpClient office, string id)
    {
        var response = await office.PutAsJsonAsync($"/api/programmes/imports/{id}/units", new
        {
            decisions = new object[]
            {
                new { name = "市民族宗教事务委员会", action = "alias", target = "市民宗委" },
                new { name = "县文旅新局", action = "create", kind = "county" },
            },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonObject> SetRulesAsync(HttpClient office, string id, string item, object rule)
    {
        var response = await office.PutAsJsonAsync($"/api/programmes/imports/{id}/entries/{item}/rules", new { rules = new[] { rule } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<JsonObject> UploadAsync(HttpClient client, byte[] file, string name, string programmeId, string? title, string? basis)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name }, { new StringContent(programmeId), "programmeId" } };
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }
        if (basis is not null)
        {
            form.Add(new StringContent(basis), "baseProgramme");
        }
        var response = await client.PostAsync("/api/programmes/imports", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<string> Refused(HttpClient client, byte[] file, string name)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name }, { new StringContent("test-bad"), "programmeId" }, { new StringContent("坏清单"), "title" } };
        var response = await client.PostAsync("/api/programmes/imports", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Unescape(body);
    }

    private static byte[] Xlsx(string?[][] rows, string[] merges) => ListFileBuilder.Xlsx(rows, merges);

    private static byte[] Docx(string?[][] rows) => ListFileBuilder.Docx(rows);
}
