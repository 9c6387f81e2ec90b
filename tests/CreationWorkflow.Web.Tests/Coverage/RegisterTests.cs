using CreationWorkflow.Web.Tests.Accounts;

namespace CreationWorkflow.Web.Tests.Coverage;

/// <summary>The register of creating units over the real host: the lifecycle with its audit, the office's review, the counties' bounds, the XLSX import.</summary>
public sealed class RegisterTests(CoverageWorld world) : IClassFixture<CoverageWorld>
{
    private static string Api(string rest) => CoverageWorld.Api(rest);

    [Fact]
    public async Task A_place_walks_its_lifecycle_with_an_audit_entry_per_move_and_the_office_reviews_it()
    {
        var place = await CoverageWorld.AddAsync(world.County, new { division = CoverageWorld.Jinchengjiang, field = "学校", name = "金城江区生命周期小学" });
        var id = (long)place["id"]!;
        Assert.Equal(("notStarted", "schools", "pending"), ((string)place["state"]!, (string)place["field"]!, (string)place["review"]!));

        async Task<HttpResponseMessage> Move(object body) => await world.County.PostAsJsonAsync(Api($"register/{id}/move"), body);
        Assert.Equal("creating", (string)(await CoverageWorld.OkAsync(await Move(new { to = "creating" })))["state"]!);
        var skip = await Move(new { to = "named", level = "national", namedOn = "2023-05-01" });
        Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        Assert.Contains("下一步是「通过验收」", await skip.Content.ReadAsStringAsync());
        Assert.Equal("accepted", (string)(await CoverageWorld.OkAsync(await Move(new { to = "accepted" })))["state"]!);
        var noLevel = await Move(new { to = "named", namedOn = "2023-05-01" });
        Assert.Equal(HttpStatusCode.BadRequest, noLevel.StatusCode);
        Assert.Contains("\"level\"", await noLevel.Content.ReadAsStringAsync());
        var future = await Move(new { to = "named", level = "national", namedOn = "2023-06-02" });
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        var named = await CoverageWorld.OkAsync(await Move(new { to = "named", level = "national", namedOn = "2023-05-01" }));
        Assert.Equal(("named", "national", "全国", "2023-05-01"), ((string)named["state"]!, (string)named["level"]!, (string)named["levelText"]!, (string)named["namedOn"]!));
        Assert.Null(named["next"]);

        var key = $"{CoverageWorld.Programme}/{CoverageWorld.Jinchengjiang}/schools/金城江区生命周期小学";
        Assert.Equal([AuditActions.PlaceEntered, "place.start", "place.accept", "place.name"],
            world.App.WithDb(db => db.Audit.Where(a => a.Entity == AuditEntities.Place && a.EntityId == key).OrderBy(a => a.Id).Select(a => a.Action).ToList()));

        Assert.Equal(HttpStatusCode.Forbidden, (await world.County.PostAsJsonAsync(Api($"register/{id}/review"), new { decision = "approve" })).StatusCode);
        var noReason = await world.Office.PostAsJsonAsync(Api($"register/{id}/review"), new { decision = "return" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("approved", (string)(await CoverageWorld.OkAsync(await world.Office.PostAsJsonAsync(Api($"register/{id}/review"), new { decision = "approve" })))["review"]!);
        Assert.Equal(HttpStatusCode.Conflict, (await world.Office.PostAsJsonAsync(Api($"register/{id}/review"), new { decision = "approve" })).StatusCode);
        Assert.Equal(AuditActions.PlaceReviewed, world.App.WithDb(db => db.Audit.Where(a => a.EntityId == key).OrderBy(a => a.Id).Select(a => a.Action).ToList().Last()));
        var again = await world.County.PostAsJsonAsync(Api($"register/{id}/move"), new { to = "named", level = "national", namedOn = "2023-05-01" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已命名的创建单位不再变更状态", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_county_sees_and_changes_only_its_own_division_and_others_are_refused()
    {
        var theirs = await CoverageWorld.AddAsync(world.Office, new { division = CoverageWorld.Yizhou, field = "organs", name = "宜州区越权测试机关" });
        Assert.Equal("approved", (string)theirs["review"]!); // the office's own entry needs no review
        var id = (long)theirs["id"]!;
        var (places, audits) = (world.Places(), world.Audits());

        var mine = await CoverageWorld.OkAsync(await world.County.GetAsync(Api("register?pageSize=200")));
        Assert.All(mine["items"]!.AsArray(), p => Assert.Equal(CoverageWorld.Jinchengjiang, (string)p!["division"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await world.County.PostAsJsonAsync(Api($"register/{id}/move"), new { to = "creating" })).StatusCode);
        var add = await world.County.PostAsJsonAsync(Api("register"), new { division = CoverageWorld.Yizhou, field = "organs", name = "越权录入" });
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Contains("只能录入和修改本县（区）", await add.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden,
            (await world.County.PutAsJsonAsync(Api("denominators"), new { division = CoverageWorld.Yizhou, field = "organs", count = 3, source = "越权" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.OutsiderUnit.GetAsync(Api("register"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.OutsiderUnit.GetAsync(Api("coverage"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await world.Leader.PostAsJsonAsync(Api("register"), new { division = CoverageWorld.Yizhou, field = "organs", name = "领导录入" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await world.LeadUnit.PostAsJsonAsync(Api("register"), new { division = CoverageWorld.Yizhou, field = "organs", name = "牵头单位录入" })).StatusCode);
        Assert.Equal((places, audits), (world.Places(), world.Audits()));

        // The lead unit of item 47 and the leaders read every division's places.
        foreach (var reader in new[] { world.LeadUnit, world.Leader })
        {
            var all = await CoverageWorld.OkAsync(await reader.GetAsync(Api($"register?division={CoverageWorld.Yizhou}")));
            Assert.Contains(all["items"]!.AsArray(), p => (long)p!["id"]! == id);
        }
        // The other county moves its own place.
        Assert.Equal("creating", (string)(await CoverageWorld.OkAsync(await world.OtherCounty.PostAsJsonAsync(Api($"register/{id}/move"), new { to = "creating" })))["state"]!);

        // The county's page shows its own places and not the other's.
        using var page = await PageClient.SignInAsync(world.App, Web.Accounts.Roles.Unit, CoverageWorld.Jinchengjiang);
        var html = await (await page.GetAsync($"/programmes/{CoverageWorld.Programme}/register")).Content.ReadAsStringAsync();
        Assert.Contains("录入创建单位", html);
        Assert.DoesNotContain("宜州区越权测试机关", html);
    }

    private static readonly string[] Header = ["县（区）", "领域", "名称", "状态", "命名级别", "命名日期", "十百工程示范点"];

    private async Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] xlsx)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(xlsx), "file", "台账.xlsx" } };
        return await client.PostAsync(Api("register/import"), form);
    }

    [Fact]
    public async Task An_import_is_refused_whole_with_every_bad_row_named_and_a_good_one_stored_whole()
    {
        var (places, audits) = (world.Places(), world.Audits());
        var bad = AccountsWorld.Workbook(Header,
            [CoverageWorld.Jinchengjiang, "学校", "导入好行小学", "创建中", "", "", ""],
            [CoverageWorld.Jinchengjiang, "寺庙", "未知领域", "创建中", "", "", ""],
            [CoverageWorld.Jinchengjiang, "机关", "缺少级别", "命名", "", "2022-07-01", ""],
            [CoverageWorld.Yizhou, "机关", "别县单位", "创建中", "", "", ""],
            [CoverageWorld.Jinchengjiang, "学校", "导入好行小学", "未启动", "", "", ""],
            [CoverageWorld.Jinchengjiang, "村屯", "错误状态", "已完成", "", "", "也许"]);
        var refused = await ImportAsync(world.County, bad);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("第3行 领域列：「寺庙」不是创建领域", text);
        Assert.Contains("第4行 命名级别列：", text);
        Assert.Contains("第5行 县（区）列：只能导入本县（区）", text);
        Assert.Contains("第6行 名称列：「导入好行小学」与第2行重复", text);
        Assert.Contains("第7行 状态列：「已完成」不是创建状态", text);
        Assert.Contains("第7行 十百工程示范点列", text);
        Assert.DoesNotContain("第2行", text.Replace("与第2行重复", "", StringComparison.Ordinal));
        Assert.Equal((places, audits), (world.Places(), world.Audits()));

        var notXlsx = await ImportAsync(world.County, "县（区）,领域\n"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, notXlsx.StatusCode);
        Assert.Contains("不是 XLSX 工作簿", await notXlsx.Content.ReadAsStringAsync());

        string[][] rows =
        [
            [CoverageWorld.Jinchengjiang, "学校", "导入第一小学", "创建中", "", "", ""],
            [CoverageWorld.Jinchengjiang, "村屯（社区）", "导入示范村", "命名", "全国", "2022-09-30", "是"],
            [CoverageWorld.Jinchengjiang, "企业", "导入企业", "", "", "", ""],
        ];
        var good = await CoverageWorld.OkAsync(await ImportAsync(world.County, AccountsWorld.Workbook(Header, rows)));
        Assert.Equal(rows.Length, (int)good["imported"]!);
        Assert.Equal(places + rows.Length, world.Places());
        var stored = world.App.WithDb(db => db.Places.Where(p => p.Name.StartsWith("导入")).OrderBy(p => p.Name)
            .Select(p => new { p.Name, p.Field, p.State, p.Level, p.NamedYear, p.TenHundred, p.Review }).ToList());
        Assert.Equal(rows.Length, stored.Count);
        var village = stored.Single(p => p.Name == "导入示范村");
        Assert.Equal(("villages", Core.Coverage.PlaceState.Named, Core.Scoring.Level.National, 2022, true),
            (village.Field, village.State, village.Level!.Value, village.NamedYear!.Value, village.TenHundred));
        Assert.Equal(Core.Coverage.PlaceState.NotStarted, stored.Single(p => p.Name == "导入企业").State);
        Assert.All(stored, p => Assert.Equal(Web.Coverage.PlaceReview.Pending, p.Review));
        Assert.Equal(rows.Length, world.App.WithDb(db => db.Audit.Count(a => a.Action == AuditActions.PlaceImported && a.EntityId.Contains("/导入"))));

        // The same sheet again: every row is already in the register, nothing more is stored.
        var twice = await ImportAsync(world.County, AccountsWorld.Workbook(Header, rows));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("第2行 名称列：金城江区的「学校」领域已有名为「导入第一小学」的创建单位", await twice.Content.ReadAsStringAsync());
        Assert.Equal(places + rows.Length, world.Places());
    }

    [Fact]
    public async Task A_county_edits_or_deletes_a_place_the_office_returned_audited_and_the_office_sees_the_change()
    {
        var kept = await CoverageWorld.AddAsync(world.County, new { division = CoverageWorld.Jinchengjiang, field = "学校", name = "金城江区退回修改小学" });
        var dropped = await CoverageWorld.AddAsync(world.County, new { division = CoverageWorld.Jinchengjiang, field = "学校", name = "金城江区退回删除小学" });
        var (keptId, droppedId) = ((long)kept["id"]!, (long)dropped["id"]!);
        foreach (var id in new[] { keptId, droppedId })
        {
            await CoverageWorld.OkAsync(await world.Office.PostAsJsonAsync(Api($"register/{id}/review"), new { decision = "return", reason = "名称与批复文件不一致" }));
        }
        int Notices() => world.App.WithDb(db => db.Notifications.Count(n => n.Recipient == Web.Reminders.Recipients.Office && n.Kind == Core.Notifications.NotificationKind.PlaceChanged));
        var notices = Notices();

        // Corrected on the register page: back to 待审核, audited, the office told.
        var county = await PageClient.SignInAsync(world.App, Web.Accounts.Roles.Unit, CoverageWorld.Jinchengjiang);
        var register = $"/programmes/{CoverageWorld.Programme}/register";
        var page = await county.GetStringAsync(register);
        Assert.Contains("保存修改", page);
        var edited = await PageClient.PostFormAsync(county, register, $"{register}?handler=Edit", new()
        {
            ["placeId"] = keptId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["field"] = "schools", ["name"] = "金城江区第一实验小学", ["state"] = "Creating",
        });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var place = world.App.WithDb(db => db.Places.Single(p => p.Id == keptId));
        Assert.Equal(("金城江区第一实验小学", Core.Coverage.PlaceState.Creating, Web.Coverage.PlaceReview.Pending), (place.Name, place.State, place.Review));
        var audit = world.App.WithDb(db => db.Audit.Where(a => a.Action == AuditActions.PlaceEdited).OrderBy(a => a.Id).ToList().Last());
        Assert.Equal("金城江区退回修改小学", (string)JsonNode.Parse(audit.Before!)!["Name"]!);
        Assert.Equal("金城江区第一实验小学", (string)JsonNode.Parse(audit.After!)!["Name"]!);
        Assert.Equal(notices + 1, Notices());

        // Deleted over the API: gone, audited with what it was, the office told.
        Assert.Equal(HttpStatusCode.NoContent, (await world.County.DeleteAsync(Api($"register/{droppedId}"))).StatusCode);
        Assert.False(world.App.WithDb(db => db.Places.Any(p => p.Id == droppedId)));
        Assert.Equal("金城江区退回删除小学",
            (string)JsonNode.Parse(world.App.WithDb(db => db.Audit.Where(a => a.Action == AuditActions.PlaceDeleted).OrderBy(a => a.Id).ToList().Last()).Before!)!["Name"]!);
        Assert.Equal(notices + 2, Notices());

        // The office sees the corrected place waiting for review, with the reason it was returned.
        var office = await PageClient.SignInAsync(world.App, Web.Accounts.Roles.Office);
        var pending = await office.GetStringAsync($"{register}?division={Uri.EscapeDataString(CoverageWorld.Jinchengjiang)}&review=Pending&pageSize=200");
        Assert.Contains("金城江区第一实验小学", pending);
        Assert.Contains("名称与批复文件不一致", pending);
        Assert.DoesNotContain("金城江区退回删除小学", pending);
        var message = world.App.WithDb(db => db.Notifications.Where(n => n.Kind == Core.Notifications.NotificationKind.PlaceChanged).OrderBy(n => n.Id).ToList().Last());
        Assert.Contains("删除", message.Title);

        // An approved place is the office's to correct; another division's is not found; a leader may not change any.
        await CoverageWorld.OkAsync(await world.Office.PostAsJsonAsync(Api($"register/{keptId}/review"), new { decision = "approve" }));
        var (places, audits) = (world.Places(), world.Audits());
        var body = new { field = "schools", name = "再改名", state = "creating" };
        var approved = await world.County.PutAsJsonAsync(Api($"register/{keptId}"), body, CoverageWorld.Json);
        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        Assert.Contains("已经创建办审核通过", await approved.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await world.County.DeleteAsync(Api($"register/{keptId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.OtherCounty.PutAsJsonAsync(Api($"register/{keptId}"), body, CoverageWorld.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Leader.DeleteAsync(Api($"register/{keptId}"))).StatusCode);
        Assert.Equal((places, audits), (world.Places(), world.Audits()));
        Assert.Equal("金城江区第一实验小学", world.App.WithDb(db => db.Places.Single(p => p.Id == keptId).Name));
    }
}
