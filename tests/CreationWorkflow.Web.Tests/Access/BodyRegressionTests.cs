namespace CreationWorkflow.Web.Tests.Access;

/// <summary>
/// The bodies the hardening issue found answered with 500 or stored as nonsense, each now a 400 naming the field, with
/// nothing stored. Shares the access sweep's world; every request here is refused, which <see cref="AccessWorld.Fingerprint"/> checks.
/// </summary>
[Collection(AccessCollection.Name)]
public sealed class BodyRegressionTests(AccessWorld world)
{
    private HttpClient Office => world.Api[Who.Office];

    [Fact]
    public async Task A_token_request_without_members_names_both()
    {
        using var anonymous = PageClient.Anonymous(world.App);
        var errors = await RefusedAsync(() => anonymous.PostAsync("/api/auth/token", Json("{}")));
        Assert.Equal("缺少必填字段「userName」。", (string)errors["userName"]![0]!);
        Assert.Equal("缺少必填字段「password」。", (string)errors["password"]![0]!);
    }

    [Fact]
    public async Task An_order_without_assignment_ids_is_refused()
    {
        var errors = await RefusedAsync(() => Office.PostAsync("/api/supervision/orders",
            Json($$"""{"campaignId":"{{world.CampaignId}}","unit":"{{world.A.Unit}}","requirement":"整改","rectifyBy":"2022-03-31"}""")));
        Assert.Equal("缺少必填字段「assignmentIds」。", (string)errors["assignmentIds"]![0]!);
    }

    [Fact]
    public async Task Item_facts_without_facts_are_refused()
    {
        var unit = world.Api[Who.Unit];
        var errors = await RefusedAsync(() => unit.PutAsync($"/api/campaigns/{world.CampaignId}/assessment/items/{world.A.Item}", Json("""{"evidence":{}}""")));
        Assert.Equal("缺少必填字段「facts」。", (string)errors["facts"]![0]!);
    }

    [Fact]
    public async Task A_campaign_without_a_start_date_is_refused_not_dated_0001()
    {
        var errors = await RefusedAsync(() => Office.PostAsync("/api/campaigns", Json("""{"programmeId":"hechi-2021"}""")));
        Assert.Equal("缺少必填字段「startDate」。", (string)errors["startDate"]![0]!);
        Assert.DoesNotContain(world.App.WithDb(db => db.Campaigns.Select(c => c.StartDate).ToList()), d => d.Year == 1);
    }

    [Fact]
    public async Task A_campaign_outside_the_calendar_years_is_refused_naming_them()
    {
        var errors = await RefusedAsync(() => Office.PostAsync("/api/campaigns", Json("""{"programmeId":"hechi-2021","startDate":"2030-01-01"}""")));
        Assert.Equal("日期（2030-01-01）须在节假日数据（seed/calendar）覆盖的年份内：2021-01-01 至 2026-12-31。", (string)errors["startDate"]![0]!);
    }

    [Fact]
    public async Task A_wrong_type_names_the_member_and_what_it_should_be()
    {
        var errors = await RefusedAsync(() => Office.PostAsync("/api/campaigns", Json("""{"programmeId":"hechi-2021","startDate":20220101}""")));
        Assert.Equal("字段「startDate」须为日期（yyyy-MM-dd）。", (string)errors["startDate"]![0]!);
    }

    [Fact]
    public async Task A_ten_megabyte_campaign_name_is_refused_by_its_limit()
    {
        var name = new string('a', 10_000_000);
        var errors = await RefusedAsync(() => Office.PostAsJsonAsync("/api/campaigns", new { programmeId = "hechi-2021", startDate = "2022-01-01", name }));
        Assert.Equal("不能超过200个字（现为10000000个字）。", (string)errors["name"]![0]!);
    }

    [Fact]
    public async Task A_due_date_in_9999_is_refused_within_the_campaign_not_a_500_in_the_calendar()
    {
        var errors = await RefusedAsync(() => Office.PatchAsync($"/api/assignments/{world.A.Assignment}", Json("""{"reason":"改期","dueDate":"9999-12-31"}""")));
        Assert.StartsWith("日期（9999-12-31）须在本次创建活动的期限内：2021-12-01 至 ", (string)errors["dueDate"]![0]!);
        errors = await RefusedAsync(() => world.Api[Who.Unit].PostAsync($"/api/assignments/{world.A.Assignment}/extension", Json("""{"dueDate":"9999-12-31","reason":"延期"}""")));
        Assert.StartsWith("日期（9999-12-31）须在本次创建活动的期限内", (string)errors["dueDate"]![0]!);
    }

    /// <summary>The API and the setup page refuse a past due date with the same words (the rule is in AssignmentService.ChangeAsync).</summary>
    [Fact]
    public async Task A_past_due_date_is_refused_by_the_API_as_by_the_setup_page()
    {
        const string Refusal = "新的截止日期（2022-02-15）不能早于今天（2022-03-01）。";
        var errors = await RefusedAsync(() => Office.PatchAsync($"/api/assignments/{world.A.Assignment}", Json("""{"reason":"改期","dueDate":"2022-02-15"}""")));
        Assert.Equal(Refusal, (string)errors["dueDate"]![0]!);

        var before = world.Fingerprint();
        var page = await world.SendAsync(world.Pages[Who.Office],
            new Ep("POST", "/campaigns/{id:guid}/setup?handler=Redate", Who.Office, "assignmentId=ASSIGNMENT&dueDate=2022-02-15&reason=测试改期"), world.A);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(Refusal, await page.Content.ReadAsStringAsync());
        Assert.Equal(before, world.Fingerprint());
    }

    /// <summary>/api/assignments/mine checks paging as every other list does (Paging.Check), instead of clamping.</summary>
    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    public async Task My_assignments_refuse_bad_paging_like_every_list(string query, string field)
    {
        var unit = world.Api[Who.Unit];
        var mine = await RefusedAsync(() => unit.GetAsync("/api/assignments/mine?" + query));
        var notices = await RefusedAsync(() => unit.GetAsync("/api/notifications?" + query));
        Assert.Equal((string)notices[field]![0]!, (string)mine[field]![0]!);
    }

    /// <summary>Sends, asserts 400 problem+json with nothing stored, and returns its errors.</summary>
    private async Task<JsonObject> RefusedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var before = world.Fingerprint();
        var response = await send();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 400)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, world.Fingerprint());
        return JsonNode.Parse(body)!["errors"]!.AsObject();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
