namespace CreationWorkflow.Web.Demo;

/// <summary>
/// The embedded demo run only (CreationWorkflow:Demo): mail addresses for the demo units, and a Hechi campaign on the
/// newest workflow version started four months ago — so today falls in 全面推进 — with the work an office would have by
/// now, done through the real services (audits, report lines, timers and notices as any user's):
/// <list type="bullet">
/// <item>the lead units signed for their items and filed their 具体工作措施, which the office approved;</item>
/// <item>most units filed each month's report (一月一报) on time — text, 沿用上期, 本期无新进展 with a reason, the first
/// month's evidence uploaded and cited later — and the items' lead units approved the month's lines item by item from
/// 待我审核 (本项全部通过); now and then a lead unit returned a line and the unit fixed it;</item>
/// <item>last month's reports are still under review (some lines wait in 待我审核, one returned line is not fixed yet);</item>
/// <item>a few units are late (<see cref="LateShare"/> of them, drawn with a fixed seed, and 市教育局 two months late), urged
/// (催办) and, for 市教育局, issued a 督办单; this month's reports are begun by some;</item>
/// <item>the quarter's 汇总进展 filed by the lead units but 市民宗委, still reviewing; self-assessment, and two 延期申请
/// waiting for the office.</item>
/// <item>the register of creating units and its 应创建数 (<see cref="Coverage.CoverageDemo"/>), so coverage has a picture.</item>
/// </list>
/// Which unit does what is drawn from the plan (units, items, periods and due dates of the definition) with a fixed
/// seed, so every demo start shows the same picture relative to its first day. Each unit of work runs in its own DI
/// scope, so no DbContext ever tracks more than one report's rows.
/// </summary>
public static class DemoSeeder
{
    public const string Actor = "system:demo";

    /// <summary>The seed of every draw: the programme's start, 2021-12-01.</summary>
    public const int Seed = 20211201;

    /// <summary>About one unit in ten is behind with its monthly report.</summary>
    public const double LateShare = 0.1;

    /// <summary>Two months behind, and the 督办单's unit (<see cref="SupervisionDemo.Unit"/>).</summary>
    public const string LatestUnit = SupervisionDemo.Unit;

    private const string Report = "progress";
    private const string Consolidate = "consolidate";

    private static readonly string[] Phrases =
    [
        "召开民族团结进步创建工作推进会，研究部署本月重点任务，会议纪要已归档。",
        "开展民族团结进步宣传月活动，发放宣传资料，举办专题讲座。",
        "组织干部职工学习习近平总书记关于加强和改进民族工作的重要思想，开展专题研讨。",
        "深入社区、学校开展“民族团结一家亲”主题活动，各族群众广泛参与。",
        "对照测评指标逐项自查，建立问题清单和整改台账，明确责任人和完成时限。",
        "收集整理本月创建工作资料台账，完成建档、分类工作。",
        "落实“石榴籽”工程，组织结对帮扶和交往交流交融活动。",
    ];

    public static async Task SeedAsync(IServiceProvider services, ILogger log, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        foreach (var (name, _, _, unit) in AccountSetup.DemoAccounts.Where(a => a.Unit is not null))
        {
            var row = await db.Units.FirstOrDefaultAsync(u => u.ProgrammeId == "hechi-2021" && u.Name == unit, ct);
            if (row is { Email: null })
            {
                row.Email = $"{name}@demo.hechi.example";
            }
        }
        await db.SaveChangesAsync(ct);
        if (await db.Campaigns.AnyAsync(ct))
        {
            return;
        }

        var today = ChinaTime.Today(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var start = new DateOnly(today.Year, today.Month, 1).AddMonths(-4);
        var campaign = await InScopeAsync(services, s => s.GetRequiredService<CampaignService>()
            .StartAsync(new StartCampaign("hechi-2021", start, "河池市创建全国民族团结进步示范市（演示）"), Actor, ct));
        var rows = await db.Assignments.AsNoTracking().Where(a => a.CampaignId == campaign.Id)
            .Select(a => new Row(a.Id, a.Unit, a.StepId, a.Period, a.DueDate)).ToListAsync(ct);

        var random = new Random(Seed);
        var reportUnits = rows.Where(r => r.StepId == Report).Select(r => r.Unit).Distinct().Order(StringComparer.Ordinal).ToList();
        var demoUnits = AccountSetup.DemoAccounts.Select(a => a.Unit).OfType<string>().ToHashSet();
        var late = reportUnits.Where(u => !demoUnits.Contains(u)).OrderBy(_ => random.Next())
            .Take(Math.Max(1, (int)Math.Round(reportUnits.Count * LateShare)) - 1).Append(LatestUnit).Order(StringComparer.Ordinal).ToList();
        var pastPeriods = rows.Where(r => r.StepId == Report && r.DueDate < today).Select(r => r.Period!.Value).Distinct().Order().ToList();
        var last = pastPeriods.LastOrDefault();
        int MissedFrom(string unit) => unit == LatestUnit ? last - 1 : late.Contains(unit) ? last : int.MaxValue;

        // 动员部署: the lead units sign for their items and file their measures (the late ones too: they fell behind later).
        foreach (var row in rows.Where(r => r.StepId == "acknowledge" && r.DueDate < today))
        {
            await InScopeAsync(services, s => ApplyAsync(s, row, UnitUser(row.Unit), (l, a, t) => l.Acknowledge(a, t), ct));
        }
        foreach (var row in rows.Where(r => r.StepId == "measures" && r.DueDate < today))
        {
            await InScopeAsync(services, async s =>
            {
                var unit = UnitUser(row.Unit);
                await ApplyAsync(s, row, unit, (l, a, t) => l.Acknowledge(a, t), ct);
                await ApplyAsync(s, row, unit, (l, a, t) => l.ReportProgress(a, t, "已制定具体工作措施，明确目标任务、责任分工和完成时限。"), ct);
                await ApplyAsync(s, row, unit, (l, a, t) => l.Submit(a, t), ct);
                await ApplyAsync(s, row, Office, (l, a, t) => l.Approve(a, t), ct);
            });
        }

        // 一月一报: every past month, each unit in turn; the last one still under review.
        var pending = new HashSet<string> { AccountSetup.DemoAccounts.Single(a => a.Name == "minzongwei").Unit! };
        var returnedOpen = false;
        foreach (var period in pastPeriods)
        {
            foreach (var unit in reportUnits.Where(u => period < MissedFrom(u)))
            {
                var row = rows.Single(r => r.StepId == Report && r.Unit == unit && r.Period == period);
                var returnOne = random.NextDouble() < 0.08;
                var open = period == last && !returnedOpen && returnOne;
                returnedOpen |= open;
                await InScopeAsync(services, s => FileReportAsync(s, row, period, returnOne, open, pending, ct));
            }
            // The lead units (and the office) review the month from 待我审核, an item at a time (本项全部通过); last month's
            // only in part, and not at all by those still reviewing (市民宗委).
            var toReview = await InScopeAsync(services, s => SubmittedItemsAsync(s, campaign.Id, period, ct));
            foreach (var (reviewer, itemNo) in toReview)
            {
                if (period == last && (reviewer is { } k && pending.Contains(k) || random.NextDouble() >= 0.6))
                {
                    continue;
                }
                await InScopeAsync(services, s => s.GetRequiredService<ReportService>().ApproveItemAsync(campaign.Id, itemNo, Reviewer(reviewer), ct));
            }
        }
        // Behind: a late unit began last month's report and stopped; some units have begun this month's.
        foreach (var row in rows.Where(r => r.StepId == Report && r.DueDate >= today && r.Period == last + 1 && !late.Contains(r.Unit)))
        {
            if (random.NextDouble() < 0.3)
            {
                await InScopeAsync(services, s => DraftAsync(s, row, ct));
            }
        }
        if (late.FirstOrDefault(u => u != LatestUnit) is { } behind && rows.FirstOrDefault(r => r.StepId == Report && r.Unit == behind && r.Period == last) is { } begun)
        {
            await InScopeAsync(services, s => DraftAsync(s, begun, ct));
        }
        // 汇总进展: the lead units consolidate the quarter for the office, which approves; those still reviewing last month's
        // lines (市民宗委) have not yet, and are late with it.
        foreach (var row in rows.Where(r => r.StepId == Consolidate && r.DueDate < today && !late.Contains(r.Unit) && !pending.Contains(r.Unit)))
        {
            await InScopeAsync(services, async s =>
            {
                var reports = s.GetRequiredService<ReportService>();
                var record = await s.GetRequiredService<AssignmentService>().FindAsync(row.Id, ct);
                var view = await reports.ViewAsync(record, UnitUser(row.Unit), ct);
                await reports.SaveLinesAsync(record, [.. view.Lines.Select(l => new LineEdit(l.ItemNo, new LineInput($"本季度第{l.ItemNo}项各责任单位进展已汇总，详见各单位月报。"), []))], UnitUser(row.Unit), ct);
                await reports.SubmitAsync(record, UnitUser(row.Unit), ct);
                await reports.ReviewLinesAsync(record, [.. view.Lines.Select(l => l.ItemNo)], approve: true, null, Office, ct);
            });
        }

        // 催办: the inspectors chase two late units' oldest late work (the third is 督办单's, below).
        foreach (var unit in late.Where(u => u != LatestUnit).Order(StringComparer.Ordinal).Take(2))
        {
            await InScopeAsync(services, s => s.GetRequiredService<SupervisionService>().UrgeUnitAsync(
                new UrgeUnitRequest(campaign.Id, unit, "请于3个工作日内补报上月创建工作进展。"), SupervisionDemo.Actor, ct));
        }
        await InScopeAsync(services, s => SupervisionDemo.SeedAsync(s, campaign.Id, ct));
        await InScopeAsync(services, s => Scoring.AssessmentDemo.SeedAsync(s, campaign.Id, ct));
        await InScopeAsync(services, s => SetupDemo.SeedAsync(s, campaign.Id, ct));
        await InScopeAsync(services, s => Coverage.CoverageDemo.SeedAsync(s, ct));
        log.LogWarning("Demo campaign '{Name}' started on {Start}: {Units} units report monthly, {Late} of them late; sign in as office / minzongwei / inspector (password {Password}).",
            campaign.Name, start, reportUnits.Count, late.Count, AccountSetup.DemoPassword);
    }

    /// <summary>The (reviewer, item) pairs with lines of the month's reports waiting for review, in order (null: 创建办).</summary>
    private static async Task<List<(string? Reviewer, int ItemNo)>> SubmittedItemsAsync(IServiceProvider s, Guid campaignId, int period, CancellationToken ct)
    {
        var db = s.GetRequiredService<AppDbContext>();
        var pairs = await db.ReportLines.Where(l => l.State == ReportLineState.Submitted)
            .Join(db.Assignments.Where(a => a.CampaignId == campaignId && a.StepId == Report && a.Period == period), l => l.AssignmentId, a => a.Id, (l, _) => new { l.ReviewerUnit, l.ItemNo })
            .Distinct().ToListAsync(ct);
        return [.. pairs.OrderBy(p => p.ItemNo).ThenBy(p => p.ReviewerUnit, StringComparer.Ordinal).Select(p => (p.ReviewerUnit, p.ItemNo))];
    }

    /// <summary>One unit's report for one month: every line filled at once and submitted; now and then one line returned by its lead unit (and fixed, or not yet).</summary>
    private static async Task FileReportAsync(
        IServiceProvider s, Row row, int period, bool returnOne, bool leaveReturned, IReadOnlySet<string> pendingReviewers, CancellationToken ct)
    {
        var reports = s.GetRequiredService<ReportService>();
        var record = await s.GetRequiredService<AssignmentService>().FindAsync(row.Id, ct);
        var unit = UnitUser(row.Unit);
        var view = await reports.ViewAsync(record, unit, ct);
        var evidence = view.Citable.Select(f => f.Id).Take(1).ToList();
        var edits = view.Lines.Select((l, i) => new LineEdit(l.ItemNo, i switch
        {
            _ when i % 7 == 3 => new LineInput(null, NoProgress: true, NoProgressReason: "本月该项工作按计划在下季度开展，暂无新进展。"),
            _ when i % 3 == 1 && l.PreviousText is not null => new LineInput(null, CopyPrevious: true),
            _ => new LineInput($"{period}月：{Phrases[(l.ItemNo + period) % Phrases.Length]}", Cite: i == 0 ? evidence : null),
        }, period == 1 && i == 0 ? [Pdf($"{row.Unit}创建工作台账（第{period}期）.pdf", row.Unit)] : [])).ToList();
        await reports.SaveLinesAsync(record, edits, unit, ct);
        await reports.SubmitAsync(record, unit, ct);

        var byReviewer = view.Lines.GroupBy(l => l.ReviewerUnit).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (returnOne && byReviewer.FirstOrDefault(g => g.Key is not null && !pendingReviewers.Contains(g.Key)) is { } returning)
        {
            var line = returning.First();
            await reports.ReviewLinesAsync(record, [line.ItemNo], approve: false, "佐证材料不足，请补充活动照片、签到表等材料后重新报送。", Reviewer(returning.Key), ct);
            if (leaveReturned)
            {
                return; // the unit has not fixed it yet: the report stays returned (yellow) with its other lines under review
            }
            await reports.SaveLineAsync(record, line.ItemNo, new LineInput($"{period}月：已补充活动照片和签到表，{Phrases[line.ItemNo % Phrases.Length]}", Cite: evidence), [], unit, ct);
            await reports.SubmitAsync(record, unit, ct);
        }
    }

    /// <summary>A report begun: its first lines saved as drafts (签收 with them), the rest still empty.</summary>
    private static async Task DraftAsync(IServiceProvider s, Row row, CancellationToken ct)
    {
        var reports = s.GetRequiredService<ReportService>();
        var record = await s.GetRequiredService<AssignmentService>().FindAsync(row.Id, ct);
        var unit = UnitUser(row.Unit);
        var view = await reports.ViewAsync(record, unit, ct);
        await reports.SaveLinesAsync(record, [.. view.Lines.Take(Math.Max(1, view.Lines.Count / 3))
            .Select(l => new LineEdit(l.ItemNo, new LineInput($"正在整理本月第{l.ItemNo}项工作资料。"), []))], unit, ct);
    }

    private static async Task ApplyAsync(IServiceProvider s, Row row, ClaimsPrincipal user, Func<AssignmentLifecycle, Core.Assignments.Actor, DateTimeOffset, AssignmentTransition> step, CancellationToken ct)
    {
        var service = s.GetRequiredService<AssignmentService>();
        var record = await service.FindAsync(row.Id, ct);
        var actor = user.ActorFor(record, reviewing: user.IsInRole(Roles.Office));
        await service.ApplyAsync(record, (l, at) => step(l, actor, at), user.NameOf(), ct);
    }

    private static async Task<T> InScopeAsync<T>(IServiceProvider services, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private static Task InScopeAsync(IServiceProvider services, Func<IServiceProvider, Task> work) =>
        InScopeAsync(services, async s => { await work(s); return true; });

    private sealed record Row(Guid Id, string Unit, string StepId, int? Period, DateOnly DueDate);

    /// <summary>The demo's people as the services see a signed-in caller: a unit's clerk, a lead unit reviewing, the office.</summary>
    internal static ClaimsPrincipal UnitUser(string unit) => User(Roles.Unit, $"{unit}（演示）", unit);

    private static ClaimsPrincipal Reviewer(string? unit) => unit is null ? Office : UnitUser(unit);

    internal static readonly ClaimsPrincipal Office = User(Roles.Office, "创建办 王主任（演示）", null);

    private static ClaimsPrincipal User(string role, string name, string? unit) => new(new ClaimsIdentity(
        new[] { new Claim(ClaimTypes.Role, role), new Claim(AccountSetup.NameClaim, name) }
            .Concat(unit is null ? [] : [new Claim(AccountSetup.UnitClaim, unit)]), "demo"));

    /// <summary>A small true PDF (the evidence store sniffs the first bytes), as a browser would upload it.</summary>
    private static FormFile Pdf(string name, string unit)
    {
        var bytes = Encoding.UTF8.GetBytes($"%PDF-1.4\n% {unit} demo evidence\n%%EOF\n");
        return new FormFile(new MemoryStream(bytes), 0, bytes.Length, "files", name) { Headers = new HeaderDictionary(), ContentType = "application/pdf" };
    }
}
