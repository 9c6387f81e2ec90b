using CreationWorkflow.Web.Bulletins;

namespace CreationWorkflow.Web.Tests.Bulletins;

/// <summary>
/// 通报 over HTTP on <see cref="BulletinWorld"/>: the cron builds one per campaign and period, the figures are the board's
/// for the same day, the same data gives the same bytes, the office alone builds, units read, LibreOffice opens it.
/// </summary>
public sealed partial class BulletinTests(BulletinWorld w, ITestOutputHelper output) : IClassFixture<BulletinWorld>
{
    private byte[] Stored(Guid campaign, Func<BulletinRecord, byte[]> file) =>
        w.App.WithDb(db => file(db.Bulletins.AsNoTracking().Single(b => b.CampaignId == campaign && b.Period == BulletinWorld.Period.Key)));

    [Fact]
    public async Task The_cron_on_the_first_working_day_builds_one_bulletin_per_campaign_and_a_second_run_builds_none()
    {
        Assert.Empty(w.DayBefore);
        Assert.Equal(new[] { w.CampaignId, w.OtherCampaignId }.Order(), w.FirstRun.Select(b => b.CampaignId).Order());
        Assert.All(w.FirstRun, b => Assert.True(b.Period == BulletinWorld.Period.Key && b.Scheduled && b.AsOf == w.FirstWorkingDay, $"{b.Period} {b.AsOf}"));
        Assert.Empty(w.SecondRun);
        Assert.Empty(await w.RunCronAsync());
        Assert.Equal(1, w.App.WithDb(db => db.Bulletins.Count(b => b.CampaignId == w.CampaignId && b.Period == BulletinWorld.Period.Key)));

        // Sent once, in-app: to the leaders and to every unit with work in the campaign (not the office's own 创建办).
        var units = w.App.WithDb(db => db.Assignments.Where(a => a.CampaignId == w.CampaignId && a.State != AssignmentState.Cancelled && a.Unit != CampaignPlanner.Office)
            .Select(a => a.Unit).Distinct().ToList());
        var notices = w.App.WithDb(db => db.Notifications.Where(n => n.CampaignId == w.CampaignId && n.Kind == CreationWorkflow.Core.Notifications.NotificationKind.Bulletin).ToList());
        Assert.Equal(units.Append(Web.Reminders.Recipients.Leaders).Order(), notices.Select(n => n.Recipient).Order());
        Assert.All(notices, n => Assert.Equal($"/campaigns/{w.CampaignId}/bulletins", n.Link));

        // And by mail, a link not the file (a read link that opens the bulletins page): the digest mails it once, a second
        // digest nothing more.
        async Task<int> MailedAsync()
        {
            using (var scope = w.App.Services.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<NotificationDigest>().CreateMailsAsync(default);
            }
            var bodies = w.App.WithDb(db => db.Outbox.Where(m => m.To == BulletinWorld.LeadersAddress).Select(m => m.BodyText).ToList());
            var mailed = 0;
            foreach (var body in bodies)
            {
                mailed += (await Web.Tests.Infrastructure.PageClient.ReadLinkTargetsAsync(w.App, body)).Contains($"/campaigns/{w.CampaignId}/bulletins") ? 1 : 0;
            }
            return mailed;
        }
        Assert.Equal(1, await MailedAsync());
        Assert.Equal(1, await MailedAsync());
    }

    [Fact]
    public async Task A_bulletin_rebuilt_from_the_same_data_is_byte_identical_and_its_downloads_are_the_stored_bytes()
    {
        var campaign = w.App.WithDb(db => db.Campaigns.AsNoTracking().Include(c => c.Phases).Single(c => c.Id == w.CampaignId));
        (byte[] Docx, byte[] Xlsx) rebuilt;
        using (var scope = w.App.Services.CreateScope())
        {
            var (_, docx, xlsx) = await scope.ServiceProvider.GetRequiredService<BulletinService>().RenderAsync(campaign, BulletinWorld.Period, default);
            rebuilt = (docx, xlsx);
        }
        Assert.Equal(Stored(w.CampaignId, b => b.Docx), rebuilt.Docx);
        Assert.Equal(Stored(w.CampaignId, b => b.Xlsx), rebuilt.Xlsx);

        var office = await w.App.ClientFor(Roles.Office);
        var list = (await office.GetFromJsonAsync<JsonArray>($"/api/campaigns/{w.CampaignId}/bulletins"))!;
        var entry = list.Single(b => (string)b!["period"]! == BulletinWorld.Period.Key)!;
        foreach (var (format, bytes) in new[] { ("docx", rebuilt.Docx), ("xlsx", rebuilt.Xlsx) })
        {
            var download = await office.GetAsync((string)entry[format + "Url"]!);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), (string)entry[format + "Sha256"]!);
            // No clock inside: every zip entry carries the as-of day.
            using var zip = new ZipArchive(new MemoryStream(bytes));
            Assert.All(zip.Entries, e => Assert.Equal(new DateTime(w.FirstWorkingDay.Year, w.FirstWorkingDay.Month, w.FirstWorkingDay.Day), e.LastWriteTime.DateTime));
        }
    }

    [Fact]
    public async Task The_bulletins_figures_are_the_boards_for_the_same_day()
    {
        var xlsx = Stored(w.CampaignId, b => b.Xlsx);
        var sheet = OfficeReader.Sheet(xlsx);
        var leader = await w.App.ClientFor(Roles.Leader);
        var summary = (await leader.GetFromJsonAsync<JsonObject>($"/api/supervision/board/summary?campaignId={w.CampaignId}&by=unit"))!;
        Assert.Equal(w.FirstWorkingDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (string)summary["today"]!);
        var heat = (await leader.GetFromJsonAsync<JsonArray>($"/api/supervision/board/heatmap?campaignId={w.CampaignId}"))!
            .Where(c => (int)c!["year"]! == BulletinWorld.Period.Year && (int)c["month"]! == BulletinWorld.Period.Month)
            .ToDictionary(c => (string)c!["unit"]!, c => ((int)c!["due"]!, (int)c["delivered"]!));

        // The units table: from its header row to the next section's title row.
        var header = sheet.Single(r => r.Value.GetValueOrDefault("A") == "排名" && r.Value.GetValueOrDefault("B") == "单位").Key;
        var rows = sheet.Where(r => r.Key > header).TakeWhile(r => r.Value.ContainsKey("B")).ToDictionary(r => r.Value["B"], r => r.Value);
        var board = summary["rows"]!.AsArray();
        Assert.Equal(board.Count, rows.Count);
        string Rate(JsonNode? rate) => rate is null ? "—" : OfficeReader.Number(rate.ToString()).ToString(CultureInfo.InvariantCulture);
        foreach (var b in board)
        {
            var r = rows[(string)b!["label"]!];
            Assert.Equal(((int)b["due"]!, (int)b["delivered"]!, (int)b["late"]!, (int)b["longestWorkingDaysLate"]!, (int)b["red"]!, (int)b["yellow"]!, (int)b["blue"]!),
                (int.Parse(r["F"]), int.Parse(r["G"]), int.Parse(r["H"]), int.Parse(r["I"]), int.Parse(r["J"]), int.Parse(r["K"]), int.Parse(r["L"])));
            Assert.Equal(Rate(b["onTimeRate"]), r["M"] == "—" ? "—" : OfficeReader.Number(r["M"]).ToString(CultureInfo.InvariantCulture));
            var (due, delivered) = heat.GetValueOrDefault((string)b["key"]!);
            Assert.Equal((due, delivered), (int.Parse(r["C"]), int.Parse(r["D"])));
        }

        // The ranking by the period's rate: the delivering units share the first place, nobody ranks the office.
        var ranked = rows.Values.Where(r => r["A"] != "—").ToList();
        var rates = ranked.Select(r => OfficeReader.Number(r["E"])).ToList();
        Assert.Equal(ranked.Select(r => 1 + rates.Count(x => x > OfficeReader.Number(r["E"]))), ranked.Select(r => int.Parse(r["A"])));
        Assert.All(w.DeliveringUnits, u => Assert.Equal("1", rows[u]["A"]));
        Assert.Equal("—", rows.GetValueOrDefault(CampaignPlanner.Office)?["A"] ?? "—");

        // The most-late list is the board's red rows in its order; the orders are the period's.
        var red = (await leader.GetFromJsonAsync<JsonObject>($"/api/supervision/board?campaignId={w.CampaignId}&light=red&pageSize=10"))!;
        var late = sheet.SkipWhile(r => !r.Value.GetValueOrDefault("A", "").StartsWith(BulletinDocuments.LateSection, StringComparison.Ordinal)).Skip(2)
            .TakeWhile(r => r.Value.ContainsKey("J")).Select(r => (r.Value["B"], int.Parse(r.Value["L"]))).ToList();
        Assert.Equal(red["items"]!.AsArray().Select(i => ((string)i!["unit"]!, (int)i["workingDaysLate"]!)), late);
        var (paragraphs, tables) = OfficeReader.Word(Stored(w.CampaignId, b => b.Docx));
        Assert.Contains(paragraphs, p => p.Contains($"共{(int)red["total"]!}项", StringComparison.Ordinal) || p.Contains($"逾期任务{(int)red["total"]!}项", StringComparison.Ordinal));
        Assert.Contains("本期下发督办单1份，办结（销号）1份。", paragraphs);
        var orderTables = tables.Where(t => t[0][0] == "督办单").ToList();
        Assert.Equal([w.FebruaryUnit, w.FebruaryUnit], orderTables.Select(t => t.Skip(1).Single()[1]));

        // The burden is the meter's city total for the month.
        var office = await w.App.ClientFor(Roles.Office);
        var burden = (await office.GetFromJsonAsync<JsonObject>($"/api/campaigns/{w.CampaignId}/burden"))!["months"]!.AsArray()
            .Where(c => (int)c!["year"]! == BulletinWorld.Period.Year && (int)c["month"]! == BulletinWorld.Period.Month).ToList();
        var burdenHeader = sheet.Single(r => r.Value.GetValueOrDefault("A") == "本期表单").Key;
        var totals = sheet[burdenHeader + 1];
        Assert.Equal((burden.Sum(c => (int)c!["forms"]!), burden.Sum(c => (int)c!["fields"]!), burden.Sum(c => (int)c!["files"]!)),
            (int.Parse(totals["A"]), int.Parse(totals["C"]), int.Parse(totals["E"])));
        Assert.Contains(paragraphs, p => p.StartsWith($"本期全市各单位须填报表单{burden.Sum(c => (int)c!["forms"]!)}份", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_office_alone_builds_a_bulletin_and_units_with_work_in_the_campaign_read_it()
    {
        var unit = await w.App.ClientFor(Roles.Unit, w.FebruaryUnit);
        var leader = await w.App.ClientFor(Roles.Leader);
        var stranger = await w.App.ClientFor(Roles.Unit, "台江县民宗局");
        var office = await w.App.ClientFor(Roles.Office);
        var before = w.App.WithDb(db => db.Bulletins.Count());
        foreach (var client in new[] { unit, leader })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/campaigns/{w.CampaignId}/bulletins", new { period = "2022-01" })).StatusCode);
        }
        Assert.Equal(before, w.App.WithDb(db => db.Bulletins.Count()));

        var read = (await unit.GetFromJsonAsync<JsonArray>($"/api/campaigns/{w.CampaignId}/bulletins"))!;
        Assert.Contains(read, b => (string)b!["period"]! == BulletinWorld.Period.Key);
        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync($"/api/campaigns/{w.CampaignId}/bulletins/{BulletinWorld.Period.Key}.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/campaigns/{w.CampaignId}/bulletins")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/campaigns/{w.CampaignId}/bulletins/{BulletinWorld.Period.Key}.docx")).StatusCode);

        // The period that has one answers it (200, the same); an ended month without one is built (201); this month is refused.
        var again = await office.PostAsJsonAsync($"/api/campaigns/{w.CampaignId}/bulletins", new { period = BulletinWorld.Period.Key });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(w.FirstRun.Single(b => b.CampaignId == w.CampaignId).Id, (long)(await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        var january = await office.PostAsJsonAsync($"/api/campaigns/{w.CampaignId}/bulletins", new { period = "2022-01" });
        Assert.True(january.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await january.Content.ReadAsStringAsync());
        var built = (await january.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False((bool)built["scheduled"]!);
        var current = await office.PostAsJsonAsync($"/api/campaigns/{w.CampaignId}/bulletins", new { period = $"{w.FirstWorkingDay:yyyy-MM}" });
        Assert.Equal(HttpStatusCode.BadRequest, current.StatusCode);
        Assert.Contains("period", await current.Content.ReadAsStringAsync());
        Assert.Contains("已结束的月份", await current.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_page_lists_the_bulletins_with_downloads_and_the_build_form_for_the_office_only()
    {
        var office = await PageClient.SignInAsync(w.App, Roles.Office);
        var html = await office.GetStringAsync($"/campaigns/{w.CampaignId}/bulletins");
        Assert.Contains($"data-period=\"{BulletinWorld.Period.Key}\"", html);
        Assert.Contains("handler=Build", html);
        var link = DocxLink().Match(html);
        Assert.True(link.Success);
        var download = await office.GetAsync(WebUtility.HtmlDecode(link.Groups[1].Value));
        Assert.Equal(Stored(w.CampaignId, b => b.Docx), await download.Content.ReadAsByteArrayAsync());
        Assert.Contains($"/campaigns/{w.CampaignId}/bulletins", await office.GetStringAsync("/"));

        var unit = await PageClient.SignInAsync(w.App, Roles.Unit, w.FebruaryUnit);
        var seen = await unit.GetStringAsync($"/campaigns/{w.CampaignId}/bulletins");
        Assert.Contains($"data-period=\"{BulletinWorld.Period.Key}\"", seen);
        Assert.DoesNotContain("handler=Build", seen);
    }

    [Fact]
    public async Task LibreOffice_opens_the_bulletins_DOCX_and_XLSX()
    {
        var folder = Path.Combine(w.App.Root, "lo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var files = new[] { ("bulletin-word.docx", Stored(w.CampaignId, b => b.Docx)), ("bulletin-sheet.xlsx", Stored(w.CampaignId, b => b.Xlsx)) };
        foreach (var (name, bytes) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, name), bytes);
        }
        var soffice = ProcessRunner.Locate("soffice", "/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice");
        var result = await ProcessRunner.RunAsync(soffice,
            [$"-env:UserInstallation={new Uri(Path.Combine(folder, "profile")).AbsoluteUri}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", folder,
                .. files.Select(f => Path.Combine(folder, f.Item1))],
            workingDirectory: folder, environment: new Dictionary<string, string?> { ["HOME"] = folder }, timeout: TimeSpan.FromMinutes(4));
        output.WriteLine(result.StdOut + result.StdErr);
        Assert.Equal(0, result.ExitCode);
        foreach (var (name, _) in files)
        {
            var pdf = Path.Combine(folder, Path.GetFileNameWithoutExtension(name) + ".pdf");
            Assert.True(File.Exists(pdf), $"no PDF for {name}: {result.StdOut} {result.StdErr}");
            var fonts = await ProcessRunner.RunAsync(ProcessRunner.Locate("pdffonts", "/usr/bin/pdffonts"), [pdf]);
            Assert.Contains("CJK", fonts.StdOut);
            if (Environment.GetEnvironmentVariable("CW_BULLETIN_OUT") is { Length: > 0 } keep)
            {
                Directory.CreateDirectory(keep);
                File.Copy(pdf, Path.Combine(keep, Path.GetFileName(pdf)), overwrite: true);
                File.Copy(Path.Combine(folder, name), Path.Combine(keep, name), overwrite: true);
            }
        }
    }

    [GeneratedRegex("href=\"([^\"]*handler=Download[^\"]*format=docx)\"")]
    private static partial Regex DocxLink();
}
