namespace CreationWorkflow.Web.Tests.Access;

/// <summary>
/// What one unit owns in the world: its assignment with a progress report and an evidence file, a notice, a 督办单 and an
/// item it leads; on the v2 campaign, its own per-unit report (<see cref="Report"/>, a draft line <see cref="ReportItem"/>)
/// and a submitted line it reviews (<see cref="Reviewed"/>, item <see cref="ReviewedItem"/>).
/// </summary>
public sealed record Owned(
    string Unit, Guid Assignment, Guid File, string FileName, string Text, long Notice, Guid Order, string Requirement, string Item,
    Guid Report, string ReportItem, Guid Reviewed, string ReviewedItem, Guid Instruction = default, Guid InstructionFile = default,
    Guid Peer = default, Guid Finding = default, Guid PeerPhoto = default);

/// <summary>
/// A Hechi campaign (started 2021-12-01, looked at on 2022-03-01) where two units of different kinds each own work:
/// <see cref="A"/> (市民宗委) and <see cref="B"/> (市教育局) have acknowledged an assignment and reported progress with a
/// PDF, been urged (a notice), been issued a 督办单, and proposed the facts of an item they alone lead (31 and 26).
/// Beside it, a campaign on workflow version 2 (one report per unit per period, <see cref="ReportCampaignId"/>): A and B
/// have each saved a line of their quarterly 汇总进展 as a draft, and <see cref="County"/> has submitted its January
/// 进展填报, one line of which A reviews — so the report line routes are swept like every other route.
/// Clients for every role, by bearer token (API) and by cookie sign-in through the login form (pages), are made once.
/// The sweeps only ever refuse, so they share this world and check with <see cref="Fingerprint"/> that nothing changed.
/// </summary>
public sealed class AccessWorld : IAsyncLifetime
{
    public const string UnitA = "市民宗委";
    public const string UnitB = "市教育局";
    public const string Programme = "hechi-2021";
    public const string Group = "市统一战线领导小组成员单位";

    /// <summary>The unit whose submitted monthly report holds the line A reviews (a county: neither A nor B).</summary>
    public const string County = "金城江区";

    /// <summary>The month whose 通报 the office builds at the start (an ended month of the campaign on the world's day).</summary>
    public const string BulletinPeriod = "2022-02";

    /// <summary>A small upload limit, so "too large" needs no large body.</summary>
    public const int MaxUploadBytes = 4096;

    public static readonly IReadOnlyList<Who> Roles = [Who.Office, Who.Unit, Who.Inspector, Who.Evaluator, Who.Leader];

    public TestClock Clock { get; } = new(new DateTimeOffset(2022, 3, 1, 10, 0, 0, TimeSpan.FromHours(8)));
    public AppFactory App { get; }
    public Guid CampaignId { get; private set; }

    /// <summary>The campaign on workflow version 2 (per-unit reports).</summary>
    public Guid ReportCampaignId { get; private set; }
    public Owned A { get; private set; } = null!;
    public Owned B { get; private set; } = null!;

    /// <summary>
    /// A document of the campaign's road after 90 (one step, 向自治区申报, laid down directly: the world's gate is closed, so the
    /// API would refuse it), for the road's download routes. It shares the stored bytes of unit A's evidence file.
    /// </summary>
    public Guid RoadFile { get; private set; }

    /// <summary>A place of the register (金城江区's, entered by the office), for the register's routes.</summary>
    public long PlaceId { get; private set; }

    /// <summary>Bearer clients by role; the unit client is unit A's.</summary>
    public Dictionary<Who, HttpClient> Api { get; } = [];

    /// <summary>Cookie clients (signed in through the login form) by role; the unit client is unit A's.</summary>
    public Dictionary<Who, HttpClient> Pages { get; } = [];

    /// <summary>Where a real browser reaches the host (a Kestrel world only).</summary>
    public string? Url { get; }

    public AccessWorld()
        : this(kestrelPort: null)
    {
    }

    /// <summary>The same world on a real Kestrel port, for a real browser (<see cref="Browser.PhoneSweepTests"/>).</summary>
    internal AccessWorld(int? kestrelPort)
    {
        App = new AppFactory
        {
            Clock = Clock,
            Settings = new Dictionary<string, string> { ["CreationWorkflow:Uploads:MaxFileBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        if (kestrelPort is { } port)
        {
            Url = $"http://localhost:{port}";
            App.UseKestrel(port);
            App.ClientOptions.BaseAddress = new Uri(Url);
            App.StartServer();
        }
    }

    public async Task InitializeAsync()
    {
        var office = await App.ClientFor(Web.Accounts.Roles.Office);
        CampaignId = await AppFactory.StartCampaignAsync(office, Programme, "2021-12-01");
        var inspector = await App.ClientFor(Web.Accounts.Roles.Inspector);
        ReportCampaignId = await AppFactory.StartCampaignAsync(office, Programme, "2021-12-01", workflowVersion: 2);
        var county = await SubmitCountyReportAsync();
        A = await OwnAsync(UnitA, UnitB, "31", office, inspector, county);
        B = await OwnAsync(UnitB, UnitA, "26", office, inspector, reviewedIn: null);
        var place = await office.PostAsJsonAsync($"/api/programmes/{Programme}/register", new { division = "金城江区", field = "organs", name = "访问测试机关" });
        Assert.True(place.StatusCode == HttpStatusCode.Created, await place.Content.ReadAsStringAsync());
        PlaceId = (long)(await place.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var bulletin = await office.PostAsJsonAsync($"/api/campaigns/{CampaignId}/bulletins", new { period = BulletinPeriod });
        Assert.True(bulletin.StatusCode == HttpStatusCode.Created, await bulletin.Content.ReadAsStringAsync());

        Api[Who.Office] = office;
        Api[Who.Inspector] = inspector;
        Api[Who.Unit] = await App.ClientFor(Web.Accounts.Roles.Unit, UnitA);
        Api[Who.Evaluator] = await App.ClientFor(Web.Accounts.Roles.Evaluator);
        Api[Who.Leader] = await App.ClientFor(Web.Accounts.Roles.Leader);
        A = await InstructAsync(A, Api[Who.Unit]);
        RoadFile = LayRoad();
        B = await InstructAsync(B, await App.ClientFor(Web.Accounts.Roles.Unit, UnitB));
        (A, B) = await PeerAsync();
        if (Url is not null)
        {
            return; // a browser signs in itself; in-process page clients need the test server (they follow no redirects)
        }
        Pages[Who.Office] = await PageClient.SignInAsync(App, Web.Accounts.Roles.Office);
        Pages[Who.Inspector] = await PageClient.SignInAsync(App, Web.Accounts.Roles.Inspector);
        Pages[Who.Unit] = await PageClient.SignInAsync(App, Web.Accounts.Roles.Unit, UnitA);
        Pages[Who.Evaluator] = await PageClient.SignInAsync(App, Web.Accounts.Roles.Evaluator);
        Pages[Who.Leader] = await PageClient.SignInAsync(App, Web.Accounts.Roles.Leader);
    }

    /// <summary>The county files every line of its January 进展填报 (each reviewed by the item's lead unit) and submits it.</summary>
    private async Task<Guid> SubmitCountyReportAsync()
    {
        var county = await App.ClientFor(Web.Accounts.Roles.Unit, County);
        var report = App.WithDb(db => db.Assignments
            .Where(a => a.CampaignId == ReportCampaignId && a.Unit == County && a.StepId == "progress").OrderBy(a => a.Period).Select(a => a.Id).First());
        foreach (var item in App.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == report).Select(l => l.ItemNo).ToList()))
        {
            var saved = await county.PostAsync($"/api/assignments/{report}/lines/{item}", new MultipartFormDataContent { { new StringContent($"第{item}项一月进展"), "text" } });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }
        var submitted = await county.PostAsJsonAsync($"/api/assignments/{report}/submit", new { });
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        return report;
    }

    /// <summary>
    /// The unit acknowledges an assignment its rival does not review, reports progress with a PDF, is urged on another, gets a
    /// 督办单 for it, and proposes the facts of its item; on the v2 campaign it saves the first line of its quarterly
    /// 汇总进展 (reviewed by the office, so no other unit sees it). <paramref name="reviewedIn"/> holds the line it reviews;
    /// without it (B, whose ids A tries: A reviews lines of the county's report too) its own report stands in.
    /// </summary>
    private async Task<Owned> OwnAsync(string unit, string rival, string item, HttpClient office, HttpClient inspector, Guid? reviewedIn)
    {
        var client = await App.ClientFor(Web.Accounts.Roles.Unit, unit);
        var mine = App.WithDb(db => db.Assignments
            .Where(a => a.CampaignId == CampaignId && a.Unit == unit && a.StepId == "progress" && a.ReviewerUnit != rival && a.State == AssignmentState.Assigned)
            .OrderBy(a => a.DueDate).ThenBy(a => a.ItemNo).Select(a => a.Id).Take(2).ToList());
        Assert.Equal(2, mine.Count);
        var (work, urged) = (mine[0], mine[1]);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/assignments/{work}/acknowledge", new { })).StatusCode);
        var text = $"{unit}专属进展说明";
        var fileName = $"{unit}台账资料.pdf";
        var form = new MultipartFormDataContent { { new StringContent(text), "text" } };
        var pdf = new ByteArrayContent(Encoding.UTF8.GetBytes($"%PDF-1.4\n% {unit}\n%%EOF\n"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "files", fileName);
        var reported = await client.PostAsync($"/api/assignments/{work}/progress", form);
        Assert.True(reported.IsSuccessStatusCode, await reported.Content.ReadAsStringAsync());
        var file = App.WithDb(db => db.EvidenceFiles.Single(f => f.AssignmentId == work).Id);

        var urge = await office.PostAsJsonAsync("/api/supervision/urge", new { assignmentId = urged, note = $"{unit}请加快" });
        Assert.Equal(HttpStatusCode.OK, urge.StatusCode);
        var notice = (long)(await urge.Content.ReadFromJsonAsync<JsonObject>())!["notificationId"]!;
        var requirement = $"{unit}须于月底前整改到位";
        var issued = await inspector.PostAsJsonAsync("/api/supervision/orders",
            new { campaignId = CampaignId, unit, assignmentIds = new[] { urged }, requirement, rectifyBy = "2022-03-31" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var order = (Guid)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var facts = await client.PutAsJsonAsync($"/api/campaigns/{CampaignId}/assessment/items/{item}",
            new { facts = new { checks = new Dictionary<string, bool> { [$"{item}.1"] = true } }, evidence = new Dictionary<string, Guid[]> { [$"{item}.1"] = [file] } });
        Assert.True(facts.IsSuccessStatusCode, await facts.Content.ReadAsStringAsync());

        var report = App.WithDb(db => db.Assignments
            .Where(a => a.CampaignId == ReportCampaignId && a.Unit == unit && a.StepId == "consolidate").OrderBy(a => a.Period).Select(a => a.Id).First());
        var line = App.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == report).OrderBy(l => l.ItemNo).Select(l => l.ItemNo).First());
        var drafted = await client.PostAsync($"/api/assignments/{report}/lines/{line}", new MultipartFormDataContent { { new StringContent($"{unit}汇总进展草稿"), "text" } });
        Assert.True(drafted.IsSuccessStatusCode, await drafted.Content.ReadAsStringAsync());
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (reviewedIn is not { } county)
        {
            return new Owned(unit, work, file, fileName, text, notice, order, requirement, item, report, line.ToString(inv), report, line.ToString(inv));
        }
        var reviewed = App.WithDb(db => db.ReportLines.Where(l => l.AssignmentId == county && l.ReviewerUnit == unit).OrderBy(l => l.ItemNo).Select(l => l.ItemNo).First());
        return new Owned(unit, work, file, fileName, text, notice, order, requirement, item, report, line.ToString(inv), county, reviewed.ToString(inv));
    }

    /// <summary>A leader's instruction on the owner's item naming its unit, answered by the unit with a PDF (so its file routes are real).</summary>
    private async Task<Owned> InstructAsync(Owned owner, HttpClient unit)
    {
        var issued = await Api[Who.Leader].PostAsJsonAsync("/api/instructions", new
        {
            campaignId = CampaignId, subject = "item", subjectKey = owner.Item, units = new[] { owner.Unit }, text = $"{owner.Unit}批示（访问测试）", dueDate = "2022-06-30",
        });
        Assert.True(issued.StatusCode == HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        var id = (Guid)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        using var content = new MultipartFormDataContent { { new StringContent($"{owner.Unit}办理情况（访问测试）"), "text" } };
        var pdf = new ByteArrayContent("%PDF-1.4 instruction"u8.ToArray());
        pdf.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        content.Add(pdf, "files", $"{owner.Unit}批示办理.pdf");
        var answered = await unit.PostAsync($"/api/instructions/{id}/answer", content);
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        var file = (Guid)(await answered.Content.ReadFromJsonAsync<JsonObject>())!["targets"]![0]!["files"]![0]!["id"]!;
        return owner with { Instruction = id, InstructionFile = file };
    }

    /// <summary>
    /// 互观互检: the office pairs A and B; each records one 不符合 line of its first inspection (it owns that inspection and finding).
    /// Units are paired only in the self-check phase, so the clock visits it (2023-01-10, with clients signed in there: a token
    /// does not outlive the jump) and comes back to the world's day.
    /// </summary>
    private async Task<(Owned A, Owned B)> PeerAsync()
    {
        var day = Clock.GetUtcNow();
        Clock.Set(new DateTimeOffset(2023, 1, 10, 10, 0, 0, TimeSpan.FromHours(8)));
        var (office, unitA, unitB) = (await App.ClientFor(Web.Accounts.Roles.Office), await App.ClientFor(Web.Accounts.Roles.Unit, UnitA),
            await App.ClientFor(Web.Accounts.Roles.Unit, UnitB));
        var paired = await office.PostAsJsonAsync($"/api/campaigns/{CampaignId}/peer-inspections", new { inspector = UnitA, inspected = UnitB });
        Assert.True(paired.IsSuccessStatusCode, await paired.Content.ReadAsStringAsync());
        var created = (await paired.Content.ReadFromJsonAsync<JsonObject>())!["created"]!.AsArray();
        async Task<Owned> Own(Owned owner, HttpClient unit)
        {
            var inspection = created.First(c => (string)c!["inspector"]! == owner.Unit)!;
            var id = (Guid)inspection["id"]!;
            var rule = (string)inspection["lines"]![0]!["ruleId"]!;
            using var form = new MultipartFormDataContent { { new StringContent("doesNotConform"), "verdict" }, { new StringContent($"{owner.Unit}互查发现（访问测试）"), "note" } };
            var png = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);
            png.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            form.Add(png, "files", $"{owner.Unit}互查现场.png");
            var recorded = await unit.PostAsync($"/api/peer-inspections/{id}/lines/{rule}", form);
            Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
            var line = (await recorded.Content.ReadFromJsonAsync<JsonObject>())!["lines"]![0]!;
            return owner with { Peer = id, Finding = (Guid)line["findingId"]!, PeerPhoto = (Guid)line["photos"]![0]!["id"]! };
        }
        var owned = (await Own(A, unitA), await Own(B, unitB));
        Clock.Set(day);
        return owned;
    }

    /// <summary>The route with its parameters filled from what <paramref name="owner"/> owns; body placeholders too.</summary>
    public string Fill(string route, Owned owner)
    {
        var area = route.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } parts && parts[0] == "api" ? parts[1] : route.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        // The report line routes act on the v2 reports: saving on the unit's own, reviewing on the line it reviews.
        var lines = route.Contains("/lines", StringComparison.Ordinal);
        var reviewing = lines && (route.EndsWith("/approve", StringComparison.Ordinal) || route.EndsWith("/return", StringComparison.Ordinal));
        var id = area switch
        {
            "assignments" when reviewing => owner.Reviewed.ToString(),
            "assignments" when lines => owner.Report.ToString(),
            "assignments" => owner.Assignment.ToString(),
            "supervision" => owner.Order.ToString(),
            "notifications" => owner.Notice.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "campaigns" => CampaignId.ToString(),
            "programmes" => Programme,
            "workflows" => Programme, // hechi-2021's workflow has the programme's id
            "accounts" => AccountOf(owner.Unit),
            "instructions" => owner.Instruction.ToString(),
            "peer-inspections" => owner.Peer.ToString(),
            "attention" => "",
            _ => "UNKNOWN-AREA",
        };
        return route
            .Replace("{id:guid}", id, StringComparison.Ordinal).Replace("{id:long}", id, StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal)
            .Replace("{fileId:guid}", (area == "instructions" ? owner.InstructionFile : route.Contains("/road/", StringComparison.Ordinal) ? RoadFile : owner.File).ToString(), StringComparison.Ordinal)
            .Replace("{findingId:guid}", owner.Finding.ToString(), StringComparison.Ordinal)
            .Replace("{photoId:guid}", owner.PeerPhoto.ToString(), StringComparison.Ordinal)
            .Replace("{placeId:long}", PlaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{item}", owner.Item, StringComparison.Ordinal)
            .Replace("{itemNo:int}", reviewing ? owner.ReviewedItem : owner.ReportItem, StringComparison.Ordinal)
            .Replace("{ruleId}", owner.Item + ".1", StringComparison.Ordinal)
            .Replace("/units/{name}", "/units/" + owner.Unit, StringComparison.Ordinal)
            .Replace("{unit}", owner.Unit, StringComparison.Ordinal)
            .Replace("/groups/{name}", "/groups/" + Group, StringComparison.Ordinal)
            .Replace("{role}", "liaison", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("{period}", BulletinPeriod, StringComparison.Ordinal)
            .Replace("{version:int}", "2", StringComparison.Ordinal);
    }

    private Guid LayRoad() => App.WithDb(db =>
    {
        var evidence = db.EvidenceFiles.Single(f => f.Id == A.File);
        var now = Clock.GetUtcNow();
        var file = new Web.Acceptance.RoadFileRecord
        {
            Id = Guid.CreateVersion7(now), FileName = "申报函.pdf", StoredName = evidence.StoredName, ContentType = evidence.ContentType,
            Size = evidence.Size, Sha256 = evidence.Sha256, UploadedBy = "访问测试", UploadedAt = now,
        };
        db.Roads.Add(new Web.Acceptance.RoadRecord
        {
            CampaignId = CampaignId, Stage = Core.Acceptance.RoadStage.AppliedToRegion,
            Steps = [new Web.Acceptance.RoadStepRecord
            {
                Id = Guid.CreateVersion7(now), CampaignId = CampaignId, Trigger = Core.Acceptance.RoadTrigger.ApplyToRegion,
                Stage = Core.Acceptance.RoadStage.AppliedToRegion, Date = ChinaTime.Today(now), RecordedBy = "访问测试", RecordedAt = now, Files = [file],
            }],
        });
        db.SaveChanges();
        return file.Id;
    });

    private readonly Dictionary<string, string> accounts = [];

    /// <summary>The id of a unit user of <paramref name="unit"/> (made by <see cref="OwnAsync"/>).</summary>
    private string AccountOf(string unit)
    {
        if (!accounts.TryGetValue(unit, out var id))
        {
            accounts[unit] = id = App.WithDb(db => db.Users.Where(u => u.Unit == unit).OrderBy(u => u.UserName).Select(u => u.Id).First());
        }
        return id;
    }

    public string FillBody(string body, Owned owner) => body
        .Replace("INSTRUCTIONFILE", owner.InstructionFile.ToString(), StringComparison.Ordinal)
        .Replace("ROADFILE", RoadFile.ToString(), StringComparison.Ordinal)
        .Replace("ASSIGNMENT", owner.Assignment.ToString(), StringComparison.Ordinal)
        .Replace("CAMPAIGN", CampaignId.ToString(), StringComparison.Ordinal)
        .Replace("FINDING", owner.Finding.ToString(), StringComparison.Ordinal)
        .Replace("PEERPHOTO", owner.PeerPhoto.ToString(), StringComparison.Ordinal)
        .Replace("FILE", owner.File.ToString(), StringComparison.Ordinal)
        .Replace("UNIT", owner.Unit, StringComparison.Ordinal)
        .Replace("ITEM", owner.Item, StringComparison.Ordinal)
        .Replace("PLACE", PlaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>
    /// Sends the endpoint's request with <paramref name="owner"/>'s ids. API rows go as JSON (or multipart with a true PDF);
    /// page POSTs as a form with an antiforgery token taken from a page the client may see (unless <paramref name="token"/> is false);
    /// a page GET's body is its query.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, Ep ep, Owned owner, bool token = true)
    {
        var url = Fill(ep.Route, owner);
        var body = ep.Body is null ? null : FillBody(ep.Body, owner);
        if (ep.IsPage || !ep.IsApi)
        {
            var fields = Form(body);
            if (ep.Method == "GET")
            {
                var query = string.Join("&", fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));
                return await client.GetAsync(query == "" ? url : url + (url.Contains('?') ? "&" : "?") + query);
            }
            if (token && client.DefaultRequestHeaders.Authorization is null)
            {
                var form = await client.GetAsync("/account/logout");
                if (form.StatusCode == HttpStatusCode.OK)
                {
                    fields["__RequestVerificationToken"] = PageClient.Token(await form.Content.ReadAsStringAsync());
                }
            }
            return await client.SendAsync(new HttpRequestMessage(new HttpMethod(ep.Method), url) { Content = new FormUrlEncodedContent(fields) });
        }
        var request = new HttpRequestMessage(new HttpMethod(ep.Method), url);
        if (body == "multipart")
        {
            var form = new MultipartFormDataContent { { new StringContent("越权进展"), "text" } };
            var pdf = new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray());
            pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(pdf, "files", "越权.pdf");
            request.Content = form;
        }
        else if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return await client.SendAsync(request);
    }

    private static Dictionary<string, string> Form(string? body) =>
        string.IsNullOrEmpty(body) ? [] : body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    /// <summary>
    /// Everything a request could change: row counts of every table, the last audit id, the sum of assignment revisions and
    /// their states, read notices, orders by state, reviews, unit contacts, group memberships, and the files in the data folder.
    /// </summary>
    public string Fingerprint()
    {
        var db = App.WithDb(db => string.Join(" ", new object[]
        {
            "campaigns=" + db.Campaigns.Count(),
            "assignments=" + db.Assignments.Count(),
            "revisions=" + db.Assignments.Sum(a => a.Revision),
            "states=" + string.Join(",", db.Assignments.GroupBy(a => a.State).Select(g => new { g.Key, N = g.Count() }).ToList().OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.N}")),
            "due=" + db.Assignments.Where(a => a.ExtensionRequestedDueDate != null).Count(),
            // Sign-in attempts are audited (and failures counted per name and address): the refusals below may add those only.
            "audit=" + db.Audit.Count(a => !a.Action.StartsWith("signin.")) + "/" + (db.Audit.Where(a => !a.Action.StartsWith("signin.")).Max(a => (long?)a.Id) ?? 0),
            "progress=" + db.ProgressReports.Count(),
            "lines=" + string.Join(",", db.ReportLines.GroupBy(l => l.State).Select(g => new { g.Key, N = g.Count(), R = g.Sum(l => l.Revision) }).ToList()
                .OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.N}/{g.R}")) + "/cited:" + db.ReportLineCitations.Count(),
            "evidence=" + db.EvidenceFiles.Count(),
            "timers=" + db.Timers.Count(),
            "notices=" + db.Notifications.Count() + "/read:" + db.Notifications.Count(n => n.ReadAt != null),
            "outbox=" + db.Outbox.Count(),
            "orders=" + string.Join(",", db.SupervisionOrders.Select(o => o.State).ToList().Order().Select(s => s.ToString())),
            "inspections=" + db.Inspections.Count(),
            "peer=" + db.PeerInspections.Count() + "/" + db.PeerInspections.Sum(i => i.Revision) + "/lines:" + db.PeerFindings.Count()
                + "/photos:" + db.PeerPhotos.Count() + "/orders:" + db.PeerFindings.Count(f => f.OrderId != null),
            "bulletins=" + db.Bulletins.Count(),
            "facts=" + db.Facts.Count(),
            "places=" + db.Places.Count() + "/" + db.Places.Sum(p => p.Revision) + "/" + string.Join(",", db.Places.Select(p => p.State + ":" + p.Review).ToList().Order()),
            "denominators=" + db.Denominators.Count() + "/" + db.Denominators.Sum(d => d.Count),
            "reviews=" + string.Join(",", db.ItemReviews.Select(r => r.State).ToList().Order().Select(s => s.ToString())),
            "contacts=" + db.Units.Count(u => u.Email != null),
            "groups=" + db.UnitGroupMembers.Count() + "/assumed:" + db.UnitGroupMembers.Count(m => m.Assumed),
            "users=" + db.Users.Count() + "/failed:" + db.Users.Sum(u => u.AccessFailedCount)
                + "/stamps:" + string.Join(",", db.Users.OrderBy(u => u.Id).Select(u => u.SecurityStamp + (u.DeactivatedAt == null ? "" : "-off")).ToList()).GetHashCode(),
        }));
        List<string> files = Directory.Exists(App.DataPath)
            ? Directory.GetFiles(App.DataPath, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(App.DataPath, f))
                .Where(f => !f.StartsWith("creationworkflow.db", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        return db + " files=" + string.Join(",", files);
    }

    public Task DisposeAsync()
    {
        foreach (var client in Api.Values.Concat(Pages.Values))
        {
            client.Dispose();
        }
        App.Dispose();
        App.DeleteFolders();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class AccessCollection : ICollectionFixture<AccessWorld>
{
    public const string Name = "access sweep";
}
