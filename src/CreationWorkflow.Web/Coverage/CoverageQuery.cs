namespace CreationWorkflow.Web.Coverage;

/// <summary>Places of a division waiting for the office's review, or returned: shown beside the coverage they do not count in yet.</summary>
public sealed record PendingCount(string Division, int Pending, int Returned);

/// <summary>The coverage page and its API twin: the report, the places not yet counted, and the as-of day.</summary>
public sealed record CoverageView(string ProgrammeId, DateOnly AsOf, CoverageReport Report, IReadOnlyList<PendingCount> Waiting, int ReviewedPlaces);

/// <summary>
/// The register's proposal for the coverage item's check (item 47's 47.1): met or not by the targets that name the rule,
/// with the figures as the evidence text, and what the item holds now (proposed value and review state).
/// </summary>
public sealed record CoverageProposal(
    Guid CampaignId, string ProgrammeId, string Item, string Rule, bool Met, string Evidence, DateOnly AsOf,
    IReadOnlyList<CoverageTargetLine> Targets, bool? Proposed, ReviewState? State, bool CanConfirm);

public sealed record CoverageTargetLine(string Id, string Text, string Source, bool Met, string Figure);

/// <summary>
/// Coverage from the register by aggregate queries: one GROUP BY over the reviewed places (division, field, state, level,
/// year, 十百) and the denominators (at most divisions × fields rows); never every place. Item 47's facts are proposed
/// from it, for the lead unit to confirm through <see cref="ItemReviews.ProposeAsync"/>.
/// </summary>
public sealed class CoverageQuery(AppDbContext db, TimeProvider clock, ProgrammeCatalog programmes, CoverageCatalog catalog, ItemReviews reviews)
{
    public async Task<CoverageView> ReportAsync(RegisterScope scope, CancellationToken ct)
    {
        var id = scope.Definition.ProgrammeId;
        var divisions = scope.Divisions.ToList();
        var places = db.Places.Where(p => p.ProgrammeId == id && divisions.Contains(p.Division));
        var groups = await places.Where(p => p.Review == PlaceReview.Approved)
            .GroupBy(p => new { p.Division, p.Field, p.State, p.Level, p.NamedYear, p.TenHundred })
            .Select(g => new { g.Key.Division, g.Key.Field, g.Key.State, g.Key.Level, g.Key.NamedYear, g.Key.TenHundred, Count = g.Count() })
            .ToListAsync(ct);
        var tallies = groups.Select(g => new PlaceTally(g.Division, g.Field, g.State, g.Level, g.NamedYear, g.TenHundred, g.Count)).ToList();
        var waiting = await places.Where(p => p.Review != PlaceReview.Approved).GroupBy(p => new { p.Division, p.Review })
            .Select(g => new { g.Key.Division, g.Key.Review, Count = g.Count() }).ToListAsync(ct);
        var denominators = await db.Denominators.Where(d => d.ProgrammeId == id && divisions.Contains(d.Division))
            .Select(d => new DenominatorCount(d.Division, d.Field, d.Count)).ToListAsync(ct);
        var today = ChinaTime.Today(clock.GetUtcNow());
        var report = CoverageCalculator.Compute(scope.Definition, tallies, denominators, today.Year, scope.Division);
        var pending = waiting.GroupBy(w => w.Division)
            .Select(g => new PendingCount(g.Key, g.Where(x => x.Review == PlaceReview.Pending).Sum(x => x.Count), g.Where(x => x.Review == PlaceReview.Returned).Sum(x => x.Count)))
            .OrderBy(p => divisions.IndexOf(p.Division)).ToList();
        return new CoverageView(id, today, report, pending, tallies.Sum(t => t.Count));
    }

    /// <summary>The figure a target shows: 77.8%（7/9）, 3/11 个县（区）, 连队 2 个、社会组织 0 个, 120 / 300 个.</summary>
    public static string Figure(CoverageDefinition definition, TargetResult r) => r.Target.Kind switch
    {
        CoverageTargetKind.Coverage => r.Missing.Count > 0
            ? $"{Percent(r)}（{r.Numerator}/{r.Denominator}），缺{r.Missing.Count}项应创建数"
            : $"{Percent(r)}（{r.Numerator}/{r.Denominator}）",
        CoverageTargetKind.DivisionsNamed => $"{Percent(r)}（{r.Numerator}/{r.Denominator}个县（区））",
        CoverageTargetKind.Participation => string.Join("、", r.Parts.Select(p => $"{definition.FieldName(p.Key)}{p.Numerator}个")),
        CoverageTargetKind.DemonstrationUnits => $"{r.Numerator}/{r.Target.Min:0}个",
        _ => string.Join("、", r.Years.Select(y => $"{y.Year}年{y.Count}个")),
    };

    private static string Percent(TargetResult r) => r.Percent is { } p ? $"{p:0.#}%" : "—";

    public async Task<CoverageProposal> ProposalAsync(Guid campaignId, ClaimsPrincipal user, CancellationToken ct)
    {
        var (scope, campaign) = await ScopeAsync(campaignId, user, ct);
        var view = await ReportAsync(scope with { Division = null }, ct);
        var d = scope.Definition;
        var rule = d.Rule!;
        var item = d.ItemNo!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var targets = view.Report.Targets.Where(t => t.Target.Rule == rule)
            .Select(t => new CoverageTargetLine(t.Target.Id, t.Target.Text, t.Target.Source.ToString(), t.Met, Figure(d, t))).ToList();
        var met = view.Report.RuleMet == true;
        var proposed = await db.Facts.AsNoTracking()
            .Where(f => f.CampaignId == campaign && f.Subject == "" && f.Layer == FactLayer.Proposed && f.RuleId == rule && f.Kind == "check")
            .Select(f => f.Value).FirstOrDefaultAsync(ct);
        var state = await db.ItemReviews.Where(r => r.CampaignId == campaign && r.Subject == "" && r.Item == item).Select(r => (ReviewState?)r.State).FirstOrDefaultAsync(ct);
        return new CoverageProposal(campaign, d.ProgrammeId, item, rule, met, Evidence(view, targets, met), view.AsOf, targets,
            proposed is null ? null : proposed == "true", state, CanConfirm(user, scope));
    }

    /// <summary>The fact's source text: the register as the evidence, with its day and the figures (within the source limit).</summary>
    private static string Evidence(CoverageView view, IReadOnlyList<CoverageTargetLine> targets, bool met)
    {
        var text = $"创建单位台账（截至{view.AsOf:yyyy-MM-dd}，已审核{view.ReviewedPlaces}个）：{(met ? "达标" : "未达标")}；"
            + string.Join("；", targets.Select(t => $"{(t.Met ? "✓" : "✗")}{t.Figure}"));
        return text.Length <= Input.SourceLength ? text : text[..(Input.SourceLength - 1)] + "…";
    }

    private static bool CanConfirm(ClaimsPrincipal user, RegisterScope scope) => user.IsInRole(Roles.Office) || scope.IsLead;

    /// <summary>The lead unit (or the office) confirms the register's proposal: item 47's check goes to review like any proposed fact.</summary>
    public async Task<CoverageProposal> ConfirmAsync(Guid campaignId, ClaimsPrincipal user, CancellationToken ct)
    {
        var proposal = await ProposalAsync(campaignId, user, ct);
        if (!proposal.CanConfirm)
        {
            throw new DomainException("item", $"只有第{proposal.Item}项的牵头单位或创建办可以确认覆盖率自评事实。", ErrorKind.Forbidden);
        }
        var facts = new ItemFacts(new Facts { Checks = new Dictionary<string, bool> { [proposal.Rule] = proposal.Met } },
            Sources: new Dictionary<string, string> { [proposal.Rule] = proposal.Evidence });
        await reviews.ProposeAsync(campaignId, "", proposal.Item, facts, user.NameOf(), ct, user.IsInRole(Roles.Office) ? null : user.UnitOf());
        return await ProposalAsync(campaignId, user, ct);
    }

    private async Task<(RegisterScope Scope, Guid Campaign)> ScopeAsync(Guid campaignId, ClaimsPrincipal user, CancellationToken ct)
    {
        var programmeId = await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.ProgrammeId).FirstOrDefaultAsync(ct)
            ?? throw new DomainException("id", "创建活动不存在。", ErrorKind.NotFound);
        var scope = RegisterScope.For(user, programmeId, programmes, catalog);
        if (scope.Definition.Rule is null)
        {
            throw new DomainException("id", "该创建方案的覆盖率目标没有对应的测评规则。", ErrorKind.NotFound);
        }
        if (scope.Division is not null)
        {
            throw new DomainException("unit", "覆盖率测评事实由牵头单位确认，县（区）查看本县（区）的覆盖率即可。", ErrorKind.Forbidden);
        }
        return (scope, campaignId);
    }
}
