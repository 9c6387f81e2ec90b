using CreationWorkflow.Web.Scoring;

namespace CreationWorkflow.Web.Tests.Scoring;

/// <summary>
/// The self-assessment pages on a Hechi campaign: the lead unit enters facts through the rule-generated form (试算 stores
/// nothing, 提交自评 goes through the service), the office reviews, the evaluator enters a survey rate, and the score
/// table is read back and compared with the engine's standing.
/// </summary>
public sealed class AssessmentPagesTests() : CampaignTest("hechi-2021", "2021-12-01", new DateTimeOffset(2022, 3, 1, 10, 0, 0, China))
{
    private const string Mzw = "市民宗委";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private string Item(string item) => $"/campaigns/{CampaignId}/assessment/items/{item}";

    private (int Facts, int Reviews, int Audit) Stored() => App.WithDb(db =>
        (db.Facts.Count(f => f.CampaignId == CampaignId), db.ItemReviews.Count(r => r.CampaignId == CampaignId), db.Audit.Count(a => a.Entity == "assessment")));

    /// <summary>市民宗委 reports progress on one of its item-48 assignments with a PDF; returns the evidence file id.</summary>
    private async Task<Guid> UploadEvidenceAsync(int itemNo, string fileName)
    {
        var unit = await App.ClientFor(Roles.Unit, Mzw);
        var aid = App.WithDb(db => db.Assignments.Where(a => a.CampaignId == CampaignId && a.Unit == Mzw && a.ItemNo == itemNo && a.StepId != "acknowledge")
            .OrderBy(a => a.DueDate).Select(a => a.Id).First());
        Assert.Equal(HttpStatusCode.OK, (await unit.PostAsJsonAsync($"/api/assignments/{aid}/acknowledge", new { })).StatusCode);
        var form = new MultipartFormDataContent { { new StringContent("已召开专题会议，台账见附件。"), "text" } };
        var pdf = new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray());
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "files", fileName);
        (await unit.PostAsync($"/api/assignments/{aid}/progress", form)).EnsureSuccessStatusCode();
        return App.WithDb(db => db.EvidenceFiles.Single(f => f.AssignmentId == aid && f.FileName == fileName).Id);
    }

    private async Task<JsonObject> StandingAsync() => (await Office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{CampaignId}/standing"))!;

    private static JsonNode ItemOf(JsonObject standing, string item) => standing["items"]!.AsArray().Single(i => (string)i!["item"]! == item)!;

    [Fact]
    public async Task The_lead_unit_proposes_through_the_form_and_the_engine_scores_what_is_stored()
    {
        var evidence = await UploadEvidenceAsync(48, "民族宗教工作台账.pdf");
        var unit = await PageClient.SignInAsync(App, Roles.Unit, Mzw);

        // The inbox and the office home link to the assessment page; the unit sees the items it leads, not the others.
        Assert.Contains($"href=\"/campaigns/{CampaignId}/assessment\"", await unit.GetStringAsync("/inbox"));
        var office = await PageClient.SignInAsync(App, Roles.Office);
        Assert.Contains($"href=\"/campaigns/{CampaignId}/assessment\"", await office.GetStringAsync("/"));
        var list = await unit.GetStringAsync($"/campaigns/{CampaignId}/assessment");
        Assert.Contains("本单位牵头的测评内容", list);
        Assert.Contains("data-item=\"48\"", list);
        Assert.Contains("data-item=\"B4\"", list);
        Assert.DoesNotContain("data-item=\"7\"", list);
        Assert.Contains("data-item=\"7\"", await office.GetStringAsync($"/campaigns/{CampaignId}/assessment"));

        // The item page: 汇总 with the unit's report and evidence, and a form field per rule.
        var page = await unit.GetStringAsync(Item("48"));
        Assert.Contains("已召开专题会议，台账见附件。", page);
        Assert.Contains("民族宗教工作台账.pdf", page);
        Assert.Contains("name=\"check.48.1\"", page);
        Assert.Contains("name=\"check.48.2\"", page);
        Assert.Contains($"name=\"evidence.48.1\" value=\"{evidence}\"", page);
        var download = await unit.GetAsync($"{Item("48")}?handler=Evidence&fileId={evidence}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("%PDF-1.4\n%%EOF\n", await download.Content.ReadAsStringAsync());

        var posted = await PageClient.PostFormAsync(unit, Item("48"), $"{Item("48")}?handler=Propose", new()
        {
            ["subject"] = "",
            ["check.48.1"] = "true",
            ["evidence.48.1"] = evidence.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(Item("48"), PageClient.Location(posted));

        // Stored through the service: 48.1 met with its evidence, 48.2 not met; the office is told; the engine gives 2 of 3.
        var facts = App.WithDb(db => db.Facts.Where(f => f.CampaignId == CampaignId && f.Layer == FactLayer.Proposed).OrderBy(f => f.RuleId)
            .Select(f => new { f.RuleId, f.Kind, f.Value, f.Evidence }).ToList());
        Assert.Equal(["48.1", "48.2"], facts.Select(f => f.RuleId));
        Assert.Equal(("check", "true"), (facts[0].Kind, facts[0].Value));
        Assert.Contains(evidence.ToString(), facts[0].Evidence);
        Assert.Equal("false", facts[1].Value);
        Assert.Equal(ReviewState.Proposed, App.WithDb(db => db.ItemReviews.Single(r => r.CampaignId == CampaignId && r.Item == "48").State));
        Assert.True(App.WithDb(db => db.Audit.Any(a => a.Action == "assessment.proposed" && a.EntityId == $"{CampaignId}//48")));
        Assert.True(App.WithDb(db => db.Notifications.Any(n => n.Kind == NotificationKind.AssessmentReview && n.CampaignId == CampaignId)));
        var standing = await StandingAsync();
        Assert.Equal((2m, 0m, "proposed"), ((decimal)ItemOf(standing, "48")["proposed"]!, (decimal)ItemOf(standing, "48")["reviewed"]!, (string)ItemOf(standing, "48")["state"]!));

        // The page shows the stored proposal: the message, the checked box, the trail and the score.
        var after = await unit.GetStringAsync(Item("48"));
        Assert.Contains("自评事实已报送，等待创建办审核。", after);
        Assert.Contains("data-proposed=\"2\"", after);
        Assert.Contains("data-state=\"proposed\"", after);
        Assert.Contains("计分说明（已报送的自评）", after);
        Assert.Matches("name=\"check.48.1\" value=\"true\" checked", after);
        Assert.Contains("data-proposed=\"2\"", await unit.GetStringAsync($"/campaigns/{CampaignId}/assessment"));
    }

    [Fact]
    public async Task Preview_shows_the_engine_trail_and_stores_nothing()
    {
        var unit = await PageClient.SignInAsync(App, Roles.Unit, Mzw);
        var before = Stored();
        var html = await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(unit, Item("48"), $"{Item("48")}?handler=Preview", new()
        {
            ["check.48.1"] = "true",
            ["check.48.2"] = "true",
        }), HttpStatusCode.OK, "试算结果（未保存）");
        Assert.Contains("data-score=\"3\"", html);
        Assert.Contains("<tr data-rule=\"48.2\"><td>48.2</td><td>已达到</td><td>得1分</td><td>1</td></tr>", html);

        // A survey-rate item: 满意度 85% falls in the 80–89% tier: 1 of 2 points.
        var tier = await PageClient.PostFormAsync(unit, Item("50"), $"{Item("50")}?handler=Preview", new() { ["rate.50.1"] = "85", ["source.50.1"] = "自测" });
        var tierHtml = await tier.Content.ReadAsStringAsync();
        Assert.Contains("满意度 85%", tierHtml);
        Assert.Contains("data-score=\"1\"", tierHtml);
        Assert.Contains("value=\"85\"", tierHtml); // the form is shown again as entered

        Assert.Equal(before, Stored());
        Assert.Equal(0m, (decimal)ItemOf(await StandingAsync(), "48")["proposed"]!);
        Assert.Contains("src=\"/assessment.js", html);
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync("/assessment.js")).StatusCode);
    }

    [Fact]
    public async Task Invalid_facts_are_refused_with_a_message_naming_the_field_and_nothing_is_stored()
    {
        var unit = await PageClient.SignInAsync(App, Roles.Unit, Mzw);
        var html = await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(unit, Item("50"), $"{Item("50")}?handler=Propose", new()
        {
            ["rate.50.1"] = "150",
            ["source.50.1"] = "自测",
        }), HttpStatusCode.BadRequest, "data-field=\"rate.50.1\"");
        Assert.Contains("规则50.1", html);
        Assert.Contains("须为0–100之间的数字", html);
        Assert.Contains("value=\"150\"", html);

        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(unit, Item("50"), $"{Item("50")}?handler=Propose", new() { ["rate.50.1"] = "很高" }), HttpStatusCode.BadRequest, "“很高”不是");

        // Evidence that is not a file of this campaign: refused by the service, named on the page.
        var foreign = await PageClient.PostFormAsync(unit, Item("48"), $"{Item("48")}?handler=Propose", new()
        {
            ["check.48.1"] = "true",
            ["evidence.48.1"] = Guid.NewGuid().ToString(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("data-field=\"evidence\"", await foreign.Content.ReadAsStringAsync());

        Assert.Equal((0, 0, 0), Stored());
    }

    [Fact]
    public async Task Only_lead_units_and_the_office_may_enter_facts()
    {
        // Item 7 is led by 市委宣传部, 市委统战部 and 市委党校, not by 市民宗委.
        var notLead = await PageClient.SignInAsync(App, Roles.Unit, Mzw);
        Assert.Equal(HttpStatusCode.NotFound, (await notLead.GetAsync(Item("7"))).StatusCode);
        var refused = await PageClient.PostFormAsync(notLead, Item("48"), $"{Item("7")}?handler=Propose", new() { ["check.7.1"] = "true" });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var refusedPreview = await PageClient.PostFormAsync(notLead, Item("48"), $"{Item("7")}?handler=Preview", new() { ["check.7.1"] = "true" });
        Assert.Equal(HttpStatusCode.NotFound, refusedPreview.StatusCode);

        // Leaders read the page but cannot propose; the evaluator and anonymous visitors do not get in.
        var leader = await PageClient.SignInAsync(App, Roles.Leader);
        var read = await leader.GetStringAsync(Item("7"));
        Assert.DoesNotContain("id=\"facts-form\"", read);
        var leaderPost = await PageClient.PostFormAsync(leader, Item("7"), $"{Item("7")}?handler=Propose", new() { ["check.7.1"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, leaderPost.StatusCode);
        Assert.StartsWith("/account/denied", PageClient.Location(leaderPost));
        var evaluator = await PageClient.SignInAsync(App, Roles.Evaluator);
        var denied = await evaluator.GetAsync(Item("7"));
        Assert.StartsWith("/account/denied", PageClient.Location(denied));
        var anonymous = await PageClient.Anonymous(App).GetAsync(Item("7"));
        Assert.StartsWith("/account/login", PageClient.Location(anonymous));
        Assert.Equal(HttpStatusCode.NotFound, (await notLead.GetAsync($"/campaigns/{Guid.NewGuid()}/assessment")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await notLead.GetAsync(Item("99"))).StatusCode);

        // A lead unit of item 7 may.
        var lead = await PageClient.SignInAsync(App, Roles.Unit, "市委宣传部");
        var posted = await PageClient.PostFormAsync(lead, Item("7"), $"{Item("7")}?handler=Propose", new() { ["check.7.1"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(1, App.WithDb(db => db.ItemReviews.Count(r => r.CampaignId == CampaignId)));
        Assert.Equal(["assessment.proposed"], App.WithDb(db => db.Audit.Where(a => a.Entity == "assessment").Select(a => a.Action).ToList()));
    }

    [Fact]
    public async Task The_office_accepts_adjusts_and_returns_on_the_item_page()
    {
        var unit = await PageClient.SignInAsync(App, Roles.Unit, Mzw);
        foreach (var item in new[] { "48", "49", "31" })
        {
            var rules = Programme().Items.Single(i => i.No.ToString() == item).Rules;
            var fields = rules.ToDictionary(r => $"check.{r.Id}", _ => "true");
            Assert.Equal(HttpStatusCode.Redirect, (await PageClient.PostFormAsync(unit, Item(item), $"{Item(item)}?handler=Propose", fields)).StatusCode);
        }
        var office = await PageClient.SignInAsync(App, Roles.Office);

        // A unit cannot review.
        var unitAccept = await PageClient.PostFormAsync(unit, Item("48"), $"{Item("48")}?handler=Accept");
        Assert.StartsWith("/account/denied", PageClient.Location(unitAccept));
        Assert.Equal(ReviewState.Proposed, StateOf("48"));

        // 采纳: the proposal counts.
        var page = await office.GetStringAsync(Item("48"));
        Assert.Contains("id=\"accept-form\"", page);
        Assert.Contains("id=\"side-by-side\"", page);
        var accepted = await PageClient.PostFormAsync(office, Item("48"), $"{Item("48")}?handler=Accept", new() { ["subject"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(ReviewState.Accepted, StateOf("48"));
        Assert.Equal(3m, (decimal)ItemOf(await StandingAsync(), "48")["reviewed"]!);

        // 调整 without a reason: refused, nothing changes; with one: the office's facts count (49.2 not met: 1 of 3).
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(office, Item("49"), $"{Item("49")}?handler=Adjust", new() { ["check.49.1"] = "true" }), HttpStatusCode.BadRequest, "data-field=\"reason\"");
        Assert.Equal(ReviewState.Proposed, StateOf("49"));
        var adjusted = await PageClient.PostFormAsync(office, Item("49"), $"{Item("49")}?handler=Adjust", new()
        {
            ["check.49.1"] = "true",
            ["reason"] = "49.2的佐证不足",
        });
        Assert.Equal(HttpStatusCode.Redirect, adjusted.StatusCode);
        Assert.Equal(ReviewState.Adjusted, StateOf("49"));
        var standing = await StandingAsync();
        Assert.Equal((3m, 1m), ((decimal)ItemOf(standing, "49")["proposed"]!, (decimal)ItemOf(standing, "49")["reviewed"]!));
        var side = await office.GetStringAsync(Item("49"));
        Assert.Contains("data-state=\"adjusted\"", side);
        Assert.Contains("49.2的佐证不足", side);

        // 退回 needs a reason; then the reviewed facts go and the lead units are told.
        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(office, Item("31"), $"{Item("31")}?handler=Return", new() { ["reason"] = " " }), HttpStatusCode.BadRequest, "调整或退回须写明理由。");
        Assert.Equal(ReviewState.Proposed, StateOf("31"));
        var returned = await PageClient.PostFormAsync(office, Item("31"), $"{Item("31")}?handler=Return", new() { ["reason"] = "缺少会议纪要" });
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        Assert.Equal(ReviewState.Returned, StateOf("31"));
        Assert.True(App.WithDb(db => db.Notifications.Any(n => n.Kind == NotificationKind.AssessmentReturned && n.Recipient == Mzw && n.Body.Contains("缺少会议纪要"))));
        Assert.Equal(["assessment.accept", "assessment.adjust", "assessment.return"],
            App.WithDb(db => db.Audit.Where(a => a.Entity == "assessment" && a.Action != "assessment.proposed").OrderBy(a => a.Id).Select(a => a.Action).ToList()));
        var list = await unit.GetStringAsync($"/campaigns/{CampaignId}/assessment");
        Assert.Contains("缺少会议纪要", list);
    }

    [Fact]
    public async Task The_evaluator_enters_a_survey_rate_with_its_source()
    {
        var evaluator = await PageClient.SignInAsync(App, Roles.Evaluator);
        var start = await evaluator.GetAsync("/");
        Assert.Equal("/assessment/rates", PageClient.Location(start));
        var menu = await evaluator.GetAsync("/assessment/rates");
        Assert.Equal($"/campaigns/{CampaignId}/assessment/rates", PageClient.Location(menu));

        var rates = $"/campaigns/{CampaignId}/assessment/rates";
        var page = await evaluator.GetStringAsync(rates);
        foreach (var rule in new[] { "7.2", "37.1", "40.1", "50.1" })
        {
            Assert.Contains($"data-rule=\"{rule}\"", page);
        }
        Assert.Contains("href=\"/assessment/rates\"", page); // the menu entry

        await PageClient.AssertAnswerAsync(await PageClient.PostFormAsync(evaluator, rates, $"{rates}?handler=Rate", new() { ["ruleId"] = "37.1", ["rate"] = "92", ["source"] = "" }), HttpStatusCode.BadRequest, "须注明调查来源");
        Assert.Equal((0, 0, 0), Stored());

        var posted = await PageClient.PostFormAsync(evaluator, rates, $"{rates}?handler=Rate", new()
        {
            ["ruleId"] = "7.2", ["rate"] = "85", ["source"] = "河池市统计局 2022年2月 问卷1200份",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var fact = App.WithDb(db => db.Facts.Single(f => f.CampaignId == CampaignId));
        Assert.Equal(("7.2", "rate", "85", "河池市统计局 2022年2月 问卷1200份"), (fact.RuleId, fact.Kind, fact.Value, fact.Source));
        Assert.Equal(1m, (decimal)ItemOf(await StandingAsync(), "7")["proposed"]!);
        var after = await evaluator.GetStringAsync(rates);
        Assert.Contains("data-current=\"85\"", after);
        Assert.Contains("河池市统计局 2022年2月 问卷1200份", after);
        Assert.Contains("已录入规则7.2的第三方评估结果", after);

        // The lead unit's item form keeps the evaluator's rate and source, so re-proposing does not lose them.
        var lead = await PageClient.SignInAsync(App, Roles.Unit, "市委宣传部");
        var item = await lead.GetStringAsync(Item("7"));
        Assert.Contains("name=\"rate.7.2\" value=\"85\"", item);
        Assert.Contains("value=\"河池市统计局 2022年2月 问卷1200份\"", item);

        var unit = await PageClient.SignInAsync(App, Roles.Unit, Mzw);
        Assert.StartsWith("/account/denied", PageClient.Location(await unit.GetAsync(rates)));
    }

    [Fact]
    public async Task The_score_table_lists_every_item_with_the_engines_scores_and_totals()
    {
        var programme = Programme();
        foreach (var item in programme.Items.Where(i => i.No % 3 == 0))
        {
            var facts = new Facts { Checks = item.Rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true), Rates = item.Rules.OfType<TierRule>().ToDictionary(r => r.Id, _ => 85m) };
            Assert.Equal(HttpStatusCode.OK, (await Office.PutAsJsonAsync($"/api/campaigns/{CampaignId}/assessment/items/{item.No}", new { facts })).StatusCode);
            if (item.No % 2 == 0)
            {
                await Office.PostAsJsonAsync($"/api/campaigns/{CampaignId}/assessment/items/{item.No}/review", new { decision = "accept" });
            }
        }
        await Office.PutAsJsonAsync($"/api/campaigns/{CampaignId}/assessment/items/B4", new { facts = new Facts { Cases = [new Case("B4.1", "经验做法获自治区推广")] } });
        await Office.PostAsJsonAsync($"/api/campaigns/{CampaignId}/assessment/items/B4/review", new { decision = "accept" });
        await Office.PutAsJsonAsync($"/api/campaigns/{CampaignId}/assessment/items/P1", new { facts = new Facts { Cases = [new Case("P1.1", "被通报", Category: "other")] } });
        var standing = await StandingAsync();

        var office = await PageClient.SignInAsync(App, Roles.Office);
        Assert.Contains($"href=\"/campaigns/{CampaignId}/assessment/score-table.xlsx\"", await office.GetStringAsync($"/campaigns/{CampaignId}/assessment"));
        var response = await office.GetAsync($"/campaigns/{CampaignId}/assessment/score-table.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var sheet = OfficeReader.Sheet(bytes);

        Assert.Equal(["测评目标", "测评指标", "序号", "测评内容", "分值", "自评分", "审核分", "审核状态"], sheet[2].OrderBy(c => c.Key).Select(c => c.Value));
        var itemRows = sheet.Values.Where(r => r.TryGetValue("C", out var no) && int.TryParse(no, out _)).ToList();
        Assert.Equal(programme.Items.Count, itemRows.Count);
        foreach (var row in itemRows)
        {
            var s = ItemOf(standing, row["C"]);
            Assert.Equal((decimal)s["max"]!, OfficeReader.Number(row["E"]));
            Assert.Equal((decimal)s["proposed"]!, OfficeReader.Number(row["F"]));
            Assert.Equal((decimal)s["reviewed"]!, OfficeReader.Number(row["G"]));
            Assert.Equal(AssessmentPages.StateName(s["state"] is null ? null : Enum.Parse<ReviewState>((string)s["state"]!, ignoreCase: true)), row["H"]);
        }
        Assert.Contains(itemRows, r => r["H"] == "已采纳");
        Assert.Contains(itemRows, r => r["H"] == "待审核");
        var b4 = sheet.Values.Single(r => r.GetValueOrDefault("C") == "B4");
        Assert.Equal(("加分事项", "已采纳"), (b4["A"], b4["H"]));
        var p1 = sheet.Values.Single(r => r.GetValueOrDefault("C") == "P1");
        Assert.Equal((-3m, 0m, "待审核"), (OfficeReader.Number(p1["F"]), OfficeReader.Number(p1["G"]), p1["H"]));

        decimal Total(string label, string column) => OfficeReader.Number(sheet.Values.Single(r => r.GetValueOrDefault("A") == label)[column]);
        var proposed = standing["proposed"]!;
        var reviewed = standing["reviewed"]!;
        Assert.Equal((decimal)proposed["base"]!, Total("基础分", "F"));
        Assert.Equal((decimal)reviewed["base"]!, Total("基础分", "G"));
        Assert.Equal((decimal)reviewed["bonus"]!, Total("加分", "G"));
        Assert.Equal(-(decimal)proposed["penalty"]!, Total("减分", "F"));
        Assert.Equal((decimal)proposed["total"]!, Total("总分", "F"));
        Assert.Equal((decimal)reviewed["total"]!, Total("总分", "G"));
        Assert.True((decimal)reviewed["total"]! > 0);

        // The bearer API twin serves the same bytes; units get neither.
        var twin = await Office.GetAsync($"/api/campaigns/{CampaignId}/score-table.xlsx");
        Assert.Equal(HttpStatusCode.OK, twin.StatusCode);
        Assert.Equal(bytes, await twin.Content.ReadAsByteArrayAsync());
        var unitApi = await App.ClientFor(Roles.Unit, Mzw);
        Assert.Equal(HttpStatusCode.Forbidden, (await unitApi.GetAsync($"/api/campaigns/{CampaignId}/score-table.xlsx")).StatusCode);
        var unitPage = await PageClient.SignInAsync(App, Roles.Unit, Mzw);
        Assert.StartsWith("/account/denied", PageClient.Location(await unitPage.GetAsync($"/campaigns/{CampaignId}/assessment/score-table.xlsx")));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_nothing_changes()
    {
        var unit = await PageClient.SignInAsync(App, Roles.Unit, Mzw);
        await unit.GetStringAsync(Item("48"));
        var posted = await unit.PostAsync($"{Item("48")}?handler=Propose", new FormUrlEncodedContent(new Dictionary<string, string> { ["check.48.1"] = "true" }));
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal((0, 0, 0), Stored());

        Assert.Equal(HttpStatusCode.Redirect, (await PageClient.PostFormAsync(unit, Item("48"), $"{Item("48")}?handler=Propose", new() { ["check.48.1"] = "true" })).StatusCode);
        var office = await PageClient.SignInAsync(App, Roles.Office);
        var accept = await office.PostAsync($"{Item("48")}?handler=Accept", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, accept.StatusCode);
        Assert.Equal(ReviewState.Proposed, StateOf("48"));
        var evaluator = await PageClient.SignInAsync(App, Roles.Evaluator);
        var rate = await evaluator.PostAsync($"/campaigns/{CampaignId}/assessment/rates?handler=Rate",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["ruleId"] = "7.2", ["rate"] = "90", ["source"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, rate.StatusCode);
        Assert.False(App.WithDb(db => db.Facts.Any(f => f.RuleId == "7.2")));
    }

    private ReviewState StateOf(string item) => App.WithDb(db => db.ItemReviews.Single(r => r.CampaignId == CampaignId && r.Item == item).State);

    private Core.Programmes.Programme Programme() =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CreationWorkflow.Web.Programmes.ProgrammeCatalog>(App.Services).Find("hechi-2021")!;
}

/// <summary>
/// The same pages on a Taijiang unit assessment: the assessed unit is its own subject (never another's, whatever the
/// query says), staff choose the unit, and the form covers people, staff-size counts, deductions and level cases.
/// </summary>
public sealed class AssessmentPagesUnitAssessmentTests() : CampaignTest("taijiang-2022", "2022-01-01", new DateTimeOffset(2022, 3, 1, 2, 0, 0, TimeSpan.Zero), Units)
{
    private static readonly string[] Units = ["台江县民宗局", "台江县教育局"];

    private string Item(string item) => $"/campaigns/{CampaignId}/assessment/items/{item}";

    [Fact]
    public async Task An_assessed_unit_enters_people_counts_deductions_and_cases_for_itself_only()
    {
        var unit = await PageClient.SignInAsync(App, Roles.Unit, Units[0]);
        var page = await unit.GetStringAsync(Item("20") + "?subject=" + Uri.EscapeDataString(Units[1]));
        Assert.Contains($"data-subject=\"{Units[0]}\"", await unit.GetStringAsync($"/campaigns/{CampaignId}/assessment?subject={Uri.EscapeDataString(Units[1])}"));
        Assert.Contains("name=\"people.20.2.required\"", page);
        Assert.Contains("name=\"staffSize\"", page);

        var posted = await PageClient.PostFormAsync(unit, Item("20"), $"{Item("20")}?handler=Propose", new()
        {
            ["subject"] = Units[1], // ignored: a unit acts for itself
            ["check.20.1"] = "true",
            ["people.20.2.required"] = "10",
            ["people.20.2.actual"] = "8",
            ["count.20.3"] = "12",
            ["staffSize"] = "25",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal([Units[0]], App.WithDb(db => db.Facts.Select(f => f.Subject).Distinct().ToList()));
        var shown = await unit.GetStringAsync(Item("20"));
        Assert.Contains("应10人，实8人", shown);
        Assert.Contains("少2人，每人扣0.5分，得2分", shown);
        Assert.Contains("12篇，单位25人（应15篇）", shown);
        Assert.Contains("data-proposed=\"3\"", shown); // 1 + 2 + 0

        // Deductions and level cases: 3 − 1 and the prefecture case (4); a case row without a level is refused by name.
        Assert.Equal(HttpStatusCode.Redirect, (await PageClient.PostFormAsync(unit, Item("1"), $"{Item("1")}?handler=Propose", new()
        {
            ["check.1.1"] = "true", ["cond.1.1-d1"] = "true",
        })).StatusCode);
        var missing = await PageClient.PostFormAsync(unit, Item("7"), $"{Item("7")}?handler=Preview", new()
        {
            ["case.7.1.0.content"] = "州级民族团结进步示范单位", ["case.7.1.0.level"] = "prefecture",
            ["case.7.1.1.content"] = "县级表彰",
        });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("data-field=\"case.7.1.1.level\"", await missing.Content.ReadAsStringAsync());
        var cases = await PageClient.PostFormAsync(unit, Item("7"), $"{Item("7")}?handler=Propose", new()
        {
            ["case.7.1.0.content"] = "州级民族团结进步示范单位", ["case.7.1.0.level"] = "prefecture",
            ["case.7.1.1.content"] = "", ["case.7.1.1.level"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, cases.StatusCode);

        var office = await App.ClientFor(Roles.Office);
        var standing = (await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{CampaignId}/standing?subject={Uri.EscapeDataString(Units[0])}"))!;
        decimal Proposed(string item) => (decimal)standing["items"]!.AsArray().Single(i => (string)i!["item"]! == item)!["proposed"]!;
        Assert.Equal((3m, 2m, 4m), (Proposed("20"), Proposed("1"), Proposed("7")));
        Assert.Equal(1, App.WithDb(db => db.Facts.Count(f => f.Kind == "case")));

        // Staff choose the unit; the other unit has nothing; the score table needs the unit too.
        var officePage = await PageClient.SignInAsync(App, Roles.Office);
        var list = await officePage.GetStringAsync($"/campaigns/{CampaignId}/assessment?subject={Uri.EscapeDataString(Units[0])}");
        Assert.Contains("id=\"subject-form\"", list);
        Assert.Contains("data-proposed-total=\"9\"", list);
        Assert.Contains("data-proposed-total=\"0\"", await officePage.GetStringAsync($"/campaigns/{CampaignId}/assessment?subject={Uri.EscapeDataString(Units[1])}"));
        var table = await officePage.GetAsync($"/campaigns/{CampaignId}/assessment/score-table.xlsx?subject={Uri.EscapeDataString(Units[0])}");
        Assert.Equal(HttpStatusCode.OK, table.StatusCode);
        var total = OfficeReader.Sheet(await table.Content.ReadAsByteArrayAsync()).Values.Single(r => r.GetValueOrDefault("A") == "总分");
        Assert.Equal(9m, OfficeReader.Number(total["F"]));

        // A unit user not assessed in this campaign gets 404.
        var outsider = await PageClient.SignInAsync(App, Roles.Unit, "台江县财政局");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(Item("1"))).StatusCode);
    }
}
