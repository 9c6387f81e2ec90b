using CreationWorkflow.Web.Scoring;

namespace CreationWorkflow.Web.Tests.Scoring;

/// <summary>
/// Taijiang's annual unit assessment for 30 units: each unit's reviewed facts are scored by the document's rules and
/// ranked. Three units are worked by hand from the document; the rest lose points by a rule the test states itself.
/// </summary>
public sealed class TaijiangRankingTests() : HostTest(new AppFactory())
{
    /// <summary>The API takes enum values as camelCase names, not numbers.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
    };

    private static readonly string[] HandWorked = ["台江县民宗局", "台江县教育局", "台江县卫健局"];
    private static readonly string[] Others = [.. Enumerable.Range(1, 27).Select(i => $"台江县考核单位{i:00}")];

    [Fact]
    public async Task Thirty_units_are_ranked_by_their_reviewed_scores_with_the_negative_list_applied()
    {
        var office = await App.ClientFor(Roles.Office);
        var started = await office.PostAsJsonAsync("/api/campaigns",
            new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = HandWorked.Concat(Others).ToArray() });
        var campaignId = (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var programme = App.Services.GetRequiredService<ProgrammeCatalog>().Find("taijiang-2022")!;

        // The hand-worked units report through the API themselves; the office reviews with ?subject=.
        foreach (var unit in HandWorked)
        {
            var client = await App.ClientFor(Roles.Unit, unit);
            foreach (var (item, facts) in FactsFor(unit, programme))
            {
                var put = await client.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/{item}", new { facts }, Json);
                Assert.True(put.IsSuccessStatusCode, $"item {item}: {await put.Content.ReadAsStringAsync()}");
                Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync(
                    $"/api/campaigns/{campaignId}/assessment/items/{item}/review?subject={Uri.EscapeDataString(unit)}", new { decision = "accept" })).StatusCode);
            }
        }
        // A unit cannot report for another.
        var intruder = await App.ClientFor(Roles.Unit, HandWorked[0]);
        await intruder.PutAsJsonAsync($"/api/campaigns/{campaignId}/assessment/items/5?subject={Uri.EscapeDataString(HandWorked[1])}",
            new { facts = new Facts { Counts = new Dictionary<string, int> { ["5.1"] = 3 } } }, Json); // a unit always acts for itself: lands on A, not B
        // The other 27 through the service (same code path, fewer HTTP round trips).
        using (var scope = App.Services.CreateScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<ItemReviews>();
            foreach (var unit in Others)
            {
                foreach (var (item, facts) in FactsFor(unit, programme))
                {
                    await service.ProposeAsync(campaignId, unit, item, new ItemFacts(facts), unit, default);
                    await service.ReviewAsync(campaignId, unit, item, new ReviewDecision("accept"), "创建办", default);
                }
            }
        }

        var ranking = await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{campaignId}/ranking");
        var rows = ranking!["rows"]!.AsArray().Select(r => (Unit: (string)r!["unit"]!, Total: (decimal)r["total"]!, Rank: (int)r["rank"]!, Deductions: (decimal)r["deductions"]!)).ToList();
        Assert.Equal(30, rows.Count);
        var byUnit = rows.ToDictionary(r => r.Unit);

        // 民宗局: studies 3 of 4 (−1), briefings 9 of 12 (−3), 14 essays for a staff of 25 (15 required: −5),
        // then a major incident on the negative list (−20 once): 100 − 1 − 3 − 5 − 20 = 71.
        Assert.Equal((71m, 20m), (byUnit[HandWorked[0]].Total, byUnit[HandWorked[0]].Deductions));
        // 教育局: two of ten members did not examine creation work (−0.5 each) and the group document was not updated (−1): 98.
        Assert.Equal(98m, byUnit[HandWorked[1]].Total);
        // 卫健局: the column updated twice (4 required: −2); media adoption at 省 and 县 for the same content counts 3 (−7);
        // in its consolidation period the application clause is not deducted: 100 − 2 − 7 = 91.
        Assert.Equal(91m, byUnit[HandWorked[2]].Total);
        // The others: unit i loses (i mod 12) briefings and (i div 12) theory studies, one point each.
        foreach (var (unit, i) in Others.Select((u, i) => (u, i + 1)))
        {
            Assert.Equal(100m - i % 12 - i / 12, byUnit[unit].Total);
        }
        // Ranked highest first; equal totals share a rank.
        Assert.Equal(rows.Select(r => r.Total).OrderDescending(), rows.Select(r => r.Total));
        Assert.All(rows, r => Assert.Equal(1 + rows.Count(o => o.Total > r.Total), r.Rank));
        Assert.Equal(byUnit[HandWorked[2]].Rank, rows.Single(r => r.Unit == Others[8]).Rank); // both 91 (unit 9 loses 9)

        // The same ranking as an XLSX sheet: every unit in rank order with its total.
        var xlsx = await office.GetAsync($"/api/campaigns/{campaignId}/ranking.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
        var part = document.WorkbookPart!;
        var strings = part.SharedStringTablePart?.SharedStringTable.Elements<DocumentFormat.OpenXml.Spreadsheet.SharedStringItem>().Select(x => x.InnerText).ToList() ?? [];
        string Text(DocumentFormat.OpenXml.Spreadsheet.Cell c) => c.DataType?.Value == DocumentFormat.OpenXml.Spreadsheet.CellValues.SharedString
            ? strings[int.Parse(c.CellValue!.Text)] : c.InnerText;
        var sheetRows = part.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>()
            .Select(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(Text).ToList()).Skip(2).ToList();
        Assert.Equal(rows.Select(r => r.Unit), sheetRows.Select(r => r[1]));
        Assert.Equal(rows.Select(r => r.Total), sheetRows.Select(r => decimal.Parse(r[^2], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.GetAsync($"/api/campaigns/{campaignId}/ranking.xlsx")).StatusCode);
    }

    /// <summary>Full marks per item, less what the unit's story says.</summary>
    private static IEnumerable<(string Item, Facts Facts)> FactsFor(string unit, Core.Programmes.Programme p)
    {
        var i = Array.IndexOf(Others, unit) + 1;
        foreach (var item in p.Items)
        {
            var rules = item.Rules;
            var counts = rules.OfType<CountRule>().ToDictionary(r => r.Id, r => r.Min);
            var checks = rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true);
            var conditions = new Dictionary<string, bool>();
            var people = rules.OfType<PerPersonRule>().ToDictionary(r => r.Id, _ => new PeopleCount(10, 10));
            var cases = rules.OfType<LevelRule>().SelectMany(r => Enumerable.Range(1, 3).Select(k => new Case(r.Id, $"{r.Id}-{k}", r.Levels.MaxBy(l => l.Points)!.Level))).ToList();
            int? staff = null;
            IReadOnlyList<string> flags = [];
            Level? title = null;
            foreach (var r in rules.OfType<StaffCountRule>())
            {
                staff = 25;
                counts[r.Id] = 15;
            }
            switch (unit)
            {
                case "台江县民宗局":
                    if (item.No == 5) counts["5.1"] = 3;
                    if (item.No == 12) counts["12.1"] = 9;
                    if (item.No == 20) counts["20.3"] = 14;
                    break;
                case "台江县教育局":
                    if (item.No == 20) people["20.2"] = new PeopleCount(10, 8);
                    if (item.No == 1) conditions["1.1-d1"] = true;
                    break;
                case "台江县卫健局":
                    if (item.No == 11) counts["11.1"] = 2;
                    if (item.No == 15) cases = [new Case("15.1", "同一信息", Level.Province), new Case("15.1", "同一信息", Level.County)];
                    if (item.No == 6)
                    {
                        checks.Remove("6.1");
                        flags = [Flags.Consolidation];
                        title = Level.Prefecture; // 获得州级及其以上示范单位可以巩固提升2年
                    }
                    break;
                default:
                    if (item.No == 12) counts["12.1"] = 12 - i % 12;
                    if (item.No == 19) counts["19.1"] = 8 - i / 12;
                    break;
            }
            yield return (item.No.ToString(), new Facts
            {
                Checks = checks, Counts = counts, Conditions = conditions, People = people, Cases = cases, StaffSize = staff, Flags = flags, TitleLevel = title,
            });
        }
        if (unit == "台江县民宗局")
        {
            yield return ("N1", new Facts { Cases = [new Case("N1.1", "涉民族因素舆情，造成重大影响")] });
        }
    }
}
