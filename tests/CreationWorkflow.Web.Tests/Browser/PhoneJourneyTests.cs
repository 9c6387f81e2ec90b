namespace CreationWorkflow.Web.Tests.Browser;

/// <summary>
/// The host in-process on a real Kestrel port with a clock the test moves (<see cref="TestClock"/>), and Debian's
/// Chromium; one per test class. People sign in through the login form at phone width.
/// </summary>
public sealed class PhoneHost : IAsyncLifetime
{
    private IPlaywright? playwright;
    private readonly int port = FreePort.Get();

    public TestClock Clock { get; } = new(new DateTimeOffset(2022, 1, 20, 10, 0, 0, TimeSpan.FromHours(8)));
    public AppFactory App { get; }
    public string Url => $"http://localhost:{port}";
    public IBrowser? Browser { get; private set; }

    public PhoneHost()
    {
        App = new AppFactory { Clock = Clock };
        App.UseKestrel(port);
        App.ClientOptions.BaseAddress = new Uri(Url);
    }

    public async Task InitializeAsync()
    {
        App.StartServer();
        (playwright, var browser) = await BrowserHost.LaunchAsync();
        Browser = browser;
    }

    /// <summary>A new user of the role (and unit), signed in through the login form on a 390 px phone.</summary>
    public async Task<IPage> PhoneAsync(string role, string? unit = null) =>
        await BrowserHost.SignInAsync(Browser!, Url, await App.UserAsync(role, unit, prefix: "m"), AppFactory.Password, phone: true);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        App.Dispose();
        App.DeleteFolders();
    }
}

/// <summary>
/// 一月一报 at phone width (390 px, Chromium), every step in the page: a county files its February 进展填报 — one line
/// started from January's text (沿用上期内容), one citing the evidence it filed in January (引用已报送的材料, 同类材料只报一次),
/// one with a new upload — and submits; the lead unit of the uploaded line returns it from 待我审核; the county fixes that
/// line and submits again; every lead unit approves its lines; the board's row for the county goes from 红灯 to 正常.
/// The scene (a v2 Hechi campaign, January filed and approved, February's other lines saved as drafts) is set through
/// the real API with the clock moved: filed on 20 January, drafted on 15 February, looked at on 2 March, when
/// February's report (due three working days before the month's end) is late.
/// </summary>
public sealed class PhoneJourneyTests(PhoneHost host) : IClassFixture<PhoneHost>
{
    private const string County = "金城江区";
    private const string Lead = "市民宗委";
    private const string JanuaryFile = "金城江区一月民族团结活动台账.pdf";
    private const string FebruaryFile = "金城江区二月进社区活动签到表.pdf";

    [Fact]
    public async Task A_county_files_its_monthly_report_on_a_phone_the_lead_returns_a_line_it_is_fixed_and_approved_and_the_board_turns_normal()
    {
        var app = host.App;
        var office = await app.ClientFor(Roles.Office);
        var campaignId = await AppFactory.StartCampaignAsync(office, "hechi-2021", "2021-12-01", workflowVersion: 2);
        var reports = app.WithDb(db => db.Assignments.Where(a => a.CampaignId == campaignId && a.Unit == County && a.StepId == "progress")
            .OrderBy(a => a.Period).Select(a => new { a.Id, a.DueDate }).Take(2).ToList());
        var (january, february) = (reports[0].Id, reports[1].Id);
        Assert.Equal((1, 2), (reports[0].DueDate.Month, reports[1].DueDate.Month));
        var lines = app.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == february).OrderBy(l => l.ItemNo)
            .Select(l => new { l.ItemNo, l.ReviewerUnit }).ToList());
        Assert.DoesNotContain(lines, l => l.ReviewerUnit is null); // each line goes to its item's lead unit
        var upload = lines.First(l => l.ReviewerUnit == Lead).ItemNo;
        var (copied, citing) = (lines.First(l => l.ItemNo != upload).ItemNo, lines.Where(l => l.ItemNo != upload).Skip(1).First().ItemNo);

        // January (on the 20th): every line filed, the first with a PDF; submitted; each lead unit approves its lines.
        var county = await app.ClientFor(Roles.Unit, County);
        foreach (var line in lines)
        {
            var form = new MultipartFormDataContent { { new StringContent($"一月：第{line.ItemNo}项已召开专题会议部署推进。"), "text" } };
            if (line.ItemNo == lines[0].ItemNo)
            {
                var pdf = new ByteArrayContent(PackageTestData.Pdf("jinchengjiang 2022-01"));
                pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                form.Add(pdf, "files", JanuaryFile);
            }
            await OkAsync(county.PostAsync($"/api/assignments/{january}/lines/{line.ItemNo}", form));
        }
        await OkAsync(county.PostAsJsonAsync($"/api/assignments/{january}/submit", new { }));
        foreach (var reviewer in lines.GroupBy(l => l.ReviewerUnit))
        {
            var client = reviewer.Key is null ? office : await app.ClientFor(Roles.Unit, reviewer.Key);
            foreach (var line in reviewer)
            {
                await OkAsync(client.PostAsJsonAsync($"/api/assignments/{january}/lines/{line.ItemNo}/approve", new { }));
            }
        }
        Assert.Equal(Core.Assignments.AssignmentState.Approved, app.WithDb(db => db.Assignments.Single(a => a.Id == january).State));
        var januaryFile = app.WithDb(db => db.EvidenceFiles.Single(f => f.AssignmentId == january).Id);

        // February (on the 15th): the county drafts every line but the three it will fill on its phone.
        host.Clock.Set(new DateTimeOffset(2022, 2, 15, 10, 0, 0, TimeSpan.FromHours(8)));
        county = await app.ClientFor(Roles.Unit, County); // January's token has expired by the host's clock
        foreach (var line in lines.Where(l => l.ItemNo != upload && l.ItemNo != copied && l.ItemNo != citing))
        {
            await OkAsync(county.PostAsync($"/api/assignments/{february}/lines/{line.ItemNo}",
                new MultipartFormDataContent { { new StringContent("本月无新的工作安排。"), "noProgressReason" }, { new StringContent("true"), "noProgress" } }));
        }

        // 2 March: February's report is late; the board's row for the county is red.
        host.Clock.Set(new DateTimeOffset(2022, 3, 2, 10, 0, 0, TimeSpan.FromHours(8)));
        var inspector = await host.PhoneAsync(Roles.Inspector);
        Assert.Equal("red", await BoardLightAsync(inspector, campaignId));
        Assert.Contains("红灯", await inspector.InnerTextAsync($"tr[data-summary='{County}'] [data-row-light]"));
        await BrowserHost.ShotAsync(inspector, "phone-journey-01-board-red");

        // The county opens its February report from its inbox and fills the three lines.
        var unit = await host.PhoneAsync(Roles.Unit, County);
        await unit.ClickAsync($"main a[href='/assignments/{february}']");
        await unit.WaitForURLAsync($"**/assignments/{february}");
        await FitsAsync(unit);
        await BrowserHost.ShotAsync(unit, "phone-journey-02-report");

        // 沿用上期内容: the line starts from January's text.
        Assert.Contains($"一月：第{copied}项", await unit.InnerTextAsync($"#line-{copied}"));
        await SaveAsync(unit, copied, () => unit.ClickAsync($"#line-{copied} form:has(input[name=copyPrevious]) button"));
        Assert.Equal($"一月：第{copied}项已召开专题会议部署推进。", await unit.InputValueAsync($"#line-{copied} textarea[name=text]"));

        // 引用已报送的材料: January's PDF cited, not uploaded again.
        await unit.FillAsync($"#line-{citing} textarea[name=text]", "二月：继续开展民族团结进步创建进机关活动，台账同一月。");
        await unit.ClickAsync($"#line-{citing} details summary");
        await unit.CheckAsync($"#line-{citing} input[name=cite][value='{januaryFile}']");
        await SaveAsync(unit, citing, () => unit.ClickAsync($"#line-{citing} button:has-text('保存本项')"));
        Assert.True(await unit.IsCheckedAsync($"#line-{citing} input[name=cite][value='{januaryFile}']"));

        // A new upload on the line 市民宗委 reviews.
        await unit.FillAsync($"#line-{upload} textarea[name=text]", "二月：开展民族团结进社区活动3场。");
        await unit.SetInputFilesAsync($"#line-{upload} input[type=file]",
            new FilePayload { Name = FebruaryFile, MimeType = "application/pdf", Buffer = PackageTestData.Pdf("jinchengjiang 2022-02") });
        await SaveAsync(unit, upload, () => unit.ClickAsync($"#line-{upload} button:has-text('保存本项')"));
        Assert.Contains(FebruaryFile, await unit.InnerTextAsync($"#line-{upload}"));
        await BrowserHost.ShotAsync(unit, "phone-journey-03-lines-filled");

        await unit.ClickAsync("form[action*='handler=Submit'] button");
        await unit.WaitForSelectorAsync("p.ok[role=status]");
        Assert.Contains("报告已提交", await unit.InnerTextAsync("p.ok[role=status]"));
        Assert.Equal("none", await BoardLightAsync(inspector, campaignId)); // submitted: the wait is the reviewers'

        // 市民宗委 opens the line from 待我审核 and returns it.
        var lead = await host.PhoneAsync(Roles.Unit, Lead);
        await lead.ClickAsync($"main a[href='/assignments/{february}#line-{upload}']");
        await lead.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/assignments/{february}#line-{upload}$"));
        await FitsAsync(lead);
        Assert.Contains(FebruaryFile, await lead.InnerTextAsync($"#line-{upload}"));
        await lead.FillAsync($"#line-{upload} input[name=reason]", "请补充活动照片和参与群众人数。");
        await lead.ClickAsync($"#line-{upload} button:has-text('退回本项')");
        await lead.WaitForSelectorAsync("p.ok[role=status]");
        Assert.Equal(nameof(ReportLineState.Returned), await lead.GetAttributeAsync($"#line-{upload}", "data-state"));
        await BrowserHost.ShotAsync(lead, "phone-journey-04-line-returned");
        Assert.Equal("red", await BoardLightAsync(inspector, campaignId)); // returned after its due date: late again

        // The county sees the reason on that line only, fixes it and submits again.
        await unit.GotoAsync($"{host.Url}/assignments/{february}");
        Assert.Contains("请补充活动照片和参与群众人数。", await unit.InnerTextAsync($"#line-{upload}"));
        Assert.Equal(1, await unit.Locator("article.line textarea[name=text]").CountAsync()); // only the returned line is open
        await unit.FillAsync($"#line-{upload} textarea[name=text]", "二月：开展民族团结进社区活动3场，参与群众420人次，照片见签到表。");
        await SaveAsync(unit, upload, () => unit.ClickAsync($"#line-{upload} button:has-text('保存本项')"));
        await unit.ClickAsync("form[action*='handler=Submit'] button");
        await unit.WaitForSelectorAsync("p.ok[role=status]");
        Assert.Contains("报告已提交", await unit.InnerTextAsync("p.ok[role=status]"));

        // Every lead unit approves its lines of the report from its 待我审核 (市民宗委 first, its page still open).
        var approvedBy = 0;
        foreach (var reviewer in lines.Select(l => l.ReviewerUnit).Distinct().OrderBy(r => r == Lead ? 0 : 1))
        {
            var page = reviewer == Lead ? lead : await host.PhoneAsync(Roles.Unit, reviewer!);
            await page.GotoAsync($"{host.Url}/inbox");
            await page.ClickAsync($"main a[href^='/assignments/{february}#line-'] >> nth=0");
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/assignments/{february}#line-\\d+$"));
            var mine = lines.Count(l => l.ReviewerUnit == reviewer);
            Assert.Equal(mine, await page.Locator("button:has-text('通过本项')").CountAsync());
            for (var left = mine; left > 0; left--)
            {
                await page.ClickAsync("button:has-text('通过本项') >> nth=0");
                await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
                await page.WaitForSelectorAsync("p.ok[role=status]");
                Assert.Equal(left - 1, await page.Locator("button:has-text('通过本项')").CountAsync());
            }
            approvedBy++;
            if (reviewer != Lead)
            {
                await page.Context.CloseAsync();
            }
        }
        Assert.Equal(lines.Select(l => l.ReviewerUnit).Distinct().Count(), approvedBy);
        Assert.Equal(Core.Assignments.AssignmentState.Approved, app.WithDb(db => db.Assignments.Single(a => a.Id == february).State));
        Assert.Equal(lines.Count, app.WithDb(db => db.ReportLines.Count(l => l.AssignmentId == february && l.State == ReportLineState.Approved)));
        Assert.Equal(1, app.WithDb(db => db.ReportLineCitations.Count(c => c.EvidenceFileId == januaryFile))); // cited once, stored once
        Assert.Equal(1, app.WithDb(db => db.EvidenceFiles.Count(f => f.AssignmentId == february)));

        // The board's row for the county is back to 正常.
        Assert.Equal("none", await BoardLightAsync(inspector, campaignId));
        Assert.Contains("正常", await inspector.InnerTextAsync($"tr[data-summary='{County}'] [data-row-light]"));
        await FitsAsync(inspector);
        await BrowserHost.ShotAsync(inspector, "phone-journey-05-board-normal");
    }

    /// <summary>The county's row on the board's unit summary for the campaign, as the page shows it (its data-light).</summary>
    private async Task<string?> BoardLightAsync(IPage page, Guid campaignId)
    {
        await page.GotoAsync($"{host.Url}/supervision/board?campaign={campaignId}");
        await FitsAsync(page);
        return await page.GetAttributeAsync($"tr[data-summary='{County}']", "data-light");
    }

    /// <summary>Saves one line through its form and waits for the page to say so.</summary>
    private static async Task SaveAsync(IPage page, int itemNo, Func<Task> click)
    {
        await click();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await page.WaitForSelectorAsync("p.ok[role=status]");
        Assert.Equal($"第{itemNo}项已保存。", await page.InnerTextAsync("p.ok[role=status]"));
        Assert.Equal(nameof(ReportLineState.Draft), await page.GetAttributeAsync($"#line-{itemNo}", "data-state"));
    }

    private static async Task FitsAsync(IPage page) =>
        Assert.True(await BrowserHost.OverflowAsync(page) <= 0, $"{page.Url} scrolls sideways at {BrowserHost.PhoneWidth} px");

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
