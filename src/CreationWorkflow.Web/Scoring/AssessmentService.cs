using CreationWorkflow.Core.Notifications;
using System.Text.Json;
using CreationWorkflow.Core.Assignments;
using CreationWorkflow.Core.Programmes;
using CreationWorkflow.Core.Scoring;
using CreationWorkflow.Web.Campaigns;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using CreationWorkflow.Web.Programmes;
using CreationWorkflow.Web.Reminders;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Scoring;

/// <summary>What a lead unit (or the office) records for one item: facts, the evidence behind each rule, survey sources.</summary>
/// <remarks><see cref="Notes"/>: the item's notes for its evidence plan (<see cref="EvidencePlan.NoteKeys"/>: 地点说明, 调查问卷与样本, 调查结果).</remarks>
public sealed record ItemFacts(
    Facts Facts, IReadOnlyDictionary<string, IReadOnlyList<Guid>>? Evidence = null, IReadOnlyDictionary<string, string>? Sources = null,
    IReadOnlyDictionary<string, string>? Notes = null);

public sealed record ReviewDecision(string Decision, string? Reason = null, ItemFacts? Adjusted = null);

public sealed record ItemStanding(string Item, decimal Max, decimal Proposed, decimal Reviewed, ReviewState? State, string? Reason, bool HasEvidence, int OpenTasks, int OverdueTasks);

/// <summary>An item whose points are at risk: its number, the points, why, and its short title (the item text's first clause).</summary>
public sealed record AtRisk(string Item, decimal Points, string Why, string Title);

public sealed record Opportunity(string Item, decimal CouldAdd, int OpenTasks);

public sealed record RankRow(int Rank, string Unit, decimal Base, decimal Bonus, decimal Deductions, decimal Total, IReadOnlyList<Subtotal> Areas, int Reviewed, int Items);

public sealed record Ranking(Guid CampaignId, string ProgrammeId, IReadOnlyList<RankRow> Rows);

public sealed record Standing(
    Guid CampaignId, string Subject, decimal MinScore, ScoreResult Proposed, ScoreResult Reviewed, decimal Gap, bool GateOpen, bool InAcceptancePhase,
    IReadOnlyList<ItemStanding> Items, IReadOnlyList<AtRisk> PointsAtRisk, IReadOnlyList<Opportunity> Forecast);

/// <summary>
/// Self-assessment and review. Facts are recorded per rule in two layers: what was proposed and what the review made
/// count. Scores always come from the scoring engine over those facts. Every change is one transaction with its
/// audit entry and notices, and re-evaluates the 90-point gate.
/// </summary>
public sealed class AssessmentService(AppDbContext db, ProgrammeCatalog programmes, TimeProvider clock, Infrastructure.CampaignFigures figures)
{
    public async Task<(CampaignRecord Campaign, Programme Programme)> LoadAsync(Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.Include(c => c.Phases).SingleOrDefaultAsync(c => c.Id == campaignId, ct)
            ?? throw new DomainException("campaignId", "创建活动不存在。", ErrorKind.NotFound);
        return (campaign, programmes.Find(campaign.ProgrammeId, campaign.ProgrammeVersion)!);
    }

    /// <summary>The rules of an item: "7" → item 7's rules; "B3"/"P1"/"N1" → that bonus/penalty/negative item's.</summary>
    public static IReadOnlyList<Rule>? RulesOf(Programme p, string item) => item switch
    {
        ['B', .. var n] when int.TryParse(n, out var no) => p.Adjustments.BonusItems.FirstOrDefault(i => i.No == no)?.Rules,
        ['P', .. var n] when int.TryParse(n, out var no) => p.Adjustments.PenaltyItems.FirstOrDefault(i => i.No == no)?.Rules,
        ['N', .. var n] when int.TryParse(n, out var no) => p.Adjustments.NegativeItems.FirstOrDefault(i => i.No == no)?.Rules,
        _ when int.TryParse(item, out var no) => p.Items.FirstOrDefault(i => i.No == no)?.Rules,
        _ => null,
    };

    /// <summary>The 测评方法 an item names (none for 台江's list and the negative list).</summary>
    public static IReadOnlyList<EvaluationMethod>? MethodsOf(Programme p, string item) => item switch
    {
        ['B', .. var n] when int.TryParse(n, out var no) => p.Adjustments.BonusItems.FirstOrDefault(i => i.No == no)?.Methods,
        ['P', .. var n] when int.TryParse(n, out var no) => p.Adjustments.PenaltyItems.FirstOrDefault(i => i.No == no)?.Methods,
        ['N', .. var n] when int.TryParse(n, out var no) => p.Adjustments.NegativeItems.FirstOrDefault(i => i.No == no)?.Methods,
        _ when int.TryParse(item, out var no) => p.Items.FirstOrDefault(i => i.No == no)?.Methods,
        _ => null,
    };

    /// <summary>The keys an item's facts are stored under: its rule ids and its deduction ids.</summary>
    public static IReadOnlySet<string> KeysOf(IReadOnlyList<Rule> rules) =>
        rules.Select(r => r.Id).Concat(rules.OfType<CheckRule>().SelectMany(r => r.Deductions).Select(d => d.Id)).ToHashSet();

    /// <summary>The lead units an item names (expanded), who may propose its facts.</summary>
    public static IReadOnlyList<string> LeadsOf(Programme p, string item)
    {
        IReadOnlyList<string>? names = item switch
        {
            ['B', .. var n] => p.Adjustments.BonusItems.FirstOrDefault(i => i.No.ToString() == n)?.Lead,
            ['P', .. var n] => p.Adjustments.PenaltyItems.FirstOrDefault(i => i.No.ToString() == n)?.Lead,
            _ when int.TryParse(item, out var no) => p.Items.FirstOrDefault(i => i.No == no)?.LeadUnits,
            _ => null,
        };
        return names is null ? [] : [.. p.Units.ExpandAll(names).Select(u => u.Name)];
    }

    /// <param name="citingUnit">The unit user who proposes (null for the office): it may cite only evidence it may see.</param>
    /// <returns>What the item's evidence plan still misses (<see cref="EvidencePlan"/>): a warning, never a refusal; audited with the proposal.</returns>
    public async Task<IReadOnlyList<EvidenceNeed>> ProposeAsync(Guid campaignId, string subject, string item, ItemFacts input, string actor, CancellationToken ct, string? citingUnit = null)
    {
        CheckBounds(input, "");
        var (campaign, programme) = await LoadAsync(campaignId, ct);
        var rules = RulesOf(programme, item) ?? throw new DomainException("item", $"没有编号为「{item}」的测评内容。", ErrorKind.NotFound);
        Validate(programme, rules, input);
        await CheckEvidenceAsync(campaignId, input, ct, citingUnit is null ? null : (citingUnit, subject, item));
        var missing = EvidencePlan.Missing(MethodsOf(programme, item), rules, await FiledAsync(input, ct));
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ReplaceAsync(campaignId, subject, FactLayer.Proposed, rules, input, actor, now, ct);
        var review = await db.ItemReviews.SingleOrDefaultAsync(r => r.CampaignId == campaignId && r.Subject == subject && r.Item == item, ct);
        if (review is null)
        {
            db.ItemReviews.Add(review = new ItemReviewRecord { CampaignId = campaignId, Subject = subject, Item = item, ProposedBy = actor });
        }
        Lifecycle(review).Fire(ReviewTrigger.Propose);
        (review.ProposedBy, review.ProposedAt, review.Reason) = (actor, now, null);
        review.Revision++;
        // Submitted with warnings: the same action, the entry naming what the evidence plan missed.
        Audit(now, actor, AuditActions.AssessmentProposed, campaignId, subject, item, null, missing.Count == 0 ? input
            : new { input.Facts, input.Evidence, input.Sources, input.Notes, MissingEvidence = missing.Select(m => m.Text) });
        Notify(campaignId, Recipients.Office, NotificationKind.AssessmentReview, ReminderTexts.AssessmentProposed(actor, Label(item)), now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return missing;
    }

    /// <summary>An item's filed evidence as its plan checks it: these facts, their cited files (by name) and notes.</summary>
    public async Task<FiledEvidence> FiledAsync(ItemFacts input, CancellationToken ct)
    {
        var ids = (input.Evidence?.Values ?? []).SelectMany(v => v).Distinct().ToList();
        var names = ids.Count == 0 ? [] : await db.EvidenceFiles.Where(f => ids.Contains(f.Id)).Select(f => f.FileName).ToListAsync(ct);
        return new FiledEvidence(input.Facts, (input.Evidence ?? new Dictionary<string, IReadOnlyList<Guid>>()).ToDictionary(e => e.Key, e => e.Value.Count),
            names, input.Sources ?? new Dictionary<string, string>(), input.Notes ?? new Dictionary<string, string>());
    }

    /// <summary>A third-party evaluator enters a survey result (知晓率, 满意度…) with its source; the item goes to review.</summary>
    public async Task ProposeRateAsync(Guid campaignId, string subject, string ruleId, decimal rate, string source, string actor, CancellationToken ct)
    {
        Input.Between(rate, "rate", 0m, 100m);
        Input.Text(source, "source", required: false, max: Input.SourceLength);
        var (_, programme) = await LoadAsync(campaignId, ct);
        var item = programme.Items.FirstOrDefault(i => i.Rules.Any(r => r.Id == ruleId));
        if (item?.Rules.First(r => r.Id == ruleId) is not TierRule rule)
        {
            throw new DomainException("ruleId", $"规则「{ruleId}」不是按调查比率计分的规则。", ErrorKind.NotFound);
        }
        if (string.IsNullOrWhiteSpace(source))
        {
            throw new DomainException("source", "第三方评估结果须注明调查来源（调查机构、时间、样本）。");
        }
        var input = new ItemFacts(new Facts { Rates = new Dictionary<string, decimal> { [ruleId] = rate } }, Sources: new Dictionary<string, string> { [ruleId] = source.Trim() });
        Validate(programme, [rule], input);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ReplaceAsync(campaignId, subject, FactLayer.Proposed, [rule], input, actor, now, ct);
        var key = item.No.ToString();
        var review = await db.ItemReviews.SingleOrDefaultAsync(r => r.CampaignId == campaignId && r.Subject == subject && r.Item == key, ct);
        if (review is null)
        {
            db.ItemReviews.Add(review = new ItemReviewRecord { CampaignId = campaignId, Subject = subject, Item = key, ProposedBy = actor });
        }
        Lifecycle(review).Fire(ReviewTrigger.Propose);
        review.ProposedAt = now;
        review.Revision++;
        Audit(now, actor, AuditActions.AssessmentRated, campaignId, subject, key, null, input);
        Notify(campaignId, Recipients.Office, NotificationKind.AssessmentReview, ReminderTexts.RateProposed(actor, Label(key), rate, source), now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task ReviewAsync(Guid campaignId, string subject, string item, ReviewDecision decision, string actor, CancellationToken ct)
    {
        Input.Text(decision.Decision, "decision", required: false, max: Input.ShortLength);
        Input.Text(decision.Reason, "reason", required: false);
        if (decision.Adjusted is { } adjustedFacts)
        {
            CheckBounds(adjustedFacts, "adjusted.");
        }
        var (campaign, programme) = await LoadAsync(campaignId, ct);
        var rules = RulesOf(programme, item) ?? throw new DomainException("item", $"没有编号为「{item}」的测评内容。", ErrorKind.NotFound);
        var review = await db.ItemReviews.SingleOrDefaultAsync(r => r.CampaignId == campaignId && r.Subject == subject && r.Item == item, ct)
            ?? throw new DomainException("item", $"{Label(item)}尚未报送自评事实，无可审核。", ErrorKind.Conflict);
        if (decision.Decision is not ("accept" or "adjust" or "return"))
        {
            throw new DomainException("decision", "审核结论须为 accept（认可）、adjust（调整）或 return（退回）。");
        }
        if (decision.Decision != "accept" && string.IsNullOrWhiteSpace(decision.Reason))
        {
            throw new DomainException("reason", "调整或退回须写明理由。");
        }
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = KeysOf(rules);
        var before = await db.Facts.Where(f => f.CampaignId == campaignId && f.Subject == subject && f.Layer == FactLayer.Reviewed && ids.Contains(f.RuleId))
            .Select(f => new { f.RuleId, f.Kind, f.Value }).ToListAsync(ct);
        switch (decision.Decision)
        {
            case "accept":
                var proposed = await db.Facts.AsNoTracking()
                    .Where(f => f.CampaignId == campaignId && f.Subject == subject && f.Layer == FactLayer.Proposed && ids.Contains(f.RuleId)).ToListAsync(ct);
                await DeleteAsync(campaignId, subject, FactLayer.Reviewed, ids, ct);
                db.Facts.AddRange(proposed.Select(f => new FactRecord
                {
                    CampaignId = f.CampaignId, Subject = f.Subject, Layer = FactLayer.Reviewed, RuleId = f.RuleId, Kind = f.Kind, Value = f.Value,
                    Source = f.Source, Evidence = f.Evidence, EnteredBy = actor, EnteredAt = now,
                }));
                Lifecycle(review).Fire(ReviewTrigger.Accept);
                break;
            case "adjust":
                var adjusted = decision.Adjusted ?? throw new DomainException("adjusted", "调整须给出调整后的事实。");
                Validate(programme, rules, adjusted);
                await CheckEvidenceAsync(campaignId, adjusted, ct);
                await ReplaceAsync(campaignId, subject, FactLayer.Reviewed, rules, adjusted, actor, now, ct);
                Lifecycle(review).Fire(ReviewTrigger.Adjust);
                break;
            default:
                await DeleteAsync(campaignId, subject, FactLayer.Reviewed, ids, ct);
                Lifecycle(review).Fire(ReviewTrigger.Return);
                foreach (var lead in LeadsOf(programme, item))
                {
                    Notify(campaignId, lead, NotificationKind.AssessmentReturned, ReminderTexts.AssessmentReturned(Label(item), decision.Reason), now);
                }
                break;
        }
        (review.Reason, review.ReviewedBy, review.ReviewedAt) = (decision.Reason, actor, now);
        review.Revision++;
        Audit(now, actor, AuditActions.AssessmentReviewed(decision.Decision), campaignId, subject, item, before, decision);
        await db.SaveChangesAsync(ct);
        await UpdateGateAsync(campaign, programme, subject, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static ItemReviewLifecycle Lifecycle(ItemReviewRecord review) => new(() => review.State, s => review.State = s);

    /// <summary>Re-evaluates the gate after a change: open when, in the acceptance phase, the reviewed total reaches the minimum.</summary>
    public async Task UpdateGateAsync(CampaignRecord campaign, Programme programme, string subject, DateTimeOffset now, CancellationToken ct)
    {
        if (programme.Header.Gate is not { } gate)
        {
            return;
        }
        var reviewed = ScoringEngine.Score(programme, ToFacts(await FactsAsync(campaign.Id, subject, FactLayer.Reviewed, ct)));
        var open = InGatePhase(campaign, gate, now) && reviewed.Total >= gate.MinScore;
        if (open == campaign.GateOpen)
        {
            return;
        }
        campaign.GateOpen = open;
        var text = open
            ? ReminderTexts.GateOpened(reviewed.Total, gate.MinScore, gate.Body, gate.Standard)
            : ReminderTexts.GateClosed(reviewed.Total, gate.MinScore);
        foreach (var recipient in new[] { Recipients.Office, Recipients.Leaders })
        {
            Notify(campaign.Id, recipient, open ? NotificationKind.GateOpened : NotificationKind.GateClosed, text, now);
        }
        db.AddAudit(now, "system:gate", open ? AuditActions.GateOpened : AuditActions.GateClosed, AuditEntities.Campaign, campaign.Id.ToString(),
            JsonSerializer.Serialize(new { GateOpen = !open }), JsonSerializer.Serialize(new { GateOpen = open, reviewed.Total }));
    }

    public static bool InGatePhase(CampaignRecord campaign, Gate gate, DateTimeOffset now)
    {
        var today = Supervision.Supervision.Today(now);
        return campaign.Phases.FirstOrDefault(p => p.PhaseId == gate.Phase) is { } phase && today >= phase.Start && today <= phase.End;
    }

    public async Task<Standing> StandingAsync(Guid campaignId, string subject, CancellationToken ct)
    {
        var (campaign, programme) = await LoadAsync(campaignId, ct);
        return (await StandingsAsync([(campaign, programme)], subject, ct))[campaign.Id];
    }

    /// <summary>
    /// <see cref="StandingAsync"/> for several campaigns at once (the overview shows each): their facts, reviews and open
    /// and late tasks per item are read in one query each for all of them, never per campaign or per item.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, Standing>> StandingsAsync(
        IReadOnlyList<(CampaignRecord Campaign, Programme Programme)> campaigns, string subject, CancellationToken ct)
    {
        var ids = campaigns.Select(c => c.Campaign.Id).ToList();
        return await figures.GetAsync($"standings|{Uri.EscapeDataString(subject)}", ids, Supervision.Supervision.Today(clock.GetUtcNow()),
            () => ComputeStandingsAsync(campaigns, ids, subject, ct), ct);
    }

    private async Task<IReadOnlyDictionary<Guid, Standing>> ComputeStandingsAsync(
        IReadOnlyList<(CampaignRecord Campaign, Programme Programme)> campaigns, List<Guid> ids, string subject, CancellationToken ct)
    {
        var facts = (await db.Facts.AsNoTracking().Where(f => ids.Contains(f.CampaignId) && f.Subject == subject).OrderBy(f => f.Id).ToListAsync(ct))
            .ToLookup(f => (f.CampaignId, f.Layer));
        var reviews = (await db.ItemReviews.Where(r => ids.Contains(r.CampaignId) && r.Subject == subject).ToListAsync(ct))
            .ToLookup(r => r.CampaignId);
        var today = Supervision.Supervision.Today(clock.GetUtcNow());
        // Open and late tasks per campaign and item: one GROUP BY on the server, never the campaigns' rows.
        var tasks = (await Supervision.LightQuery.CountAndLateAsync(
                db.Assignments.Where(a => ids.Contains(a.CampaignId) && a.ItemNo != null
                    && a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled && (subject == "" || a.Unit == subject)),
                a => new CampaignItem { CampaignId = a.CampaignId, ItemNo = a.ItemNo!.Value }, today, ct))
            .ToDictionary(x => (x.Key.CampaignId, x.Key.ItemNo));
        return campaigns.ToDictionary(c => c.Campaign.Id, c => Standing(c.Campaign, c.Programme, subject,
            [.. facts[(c.Campaign.Id, FactLayer.Proposed)]], [.. facts[(c.Campaign.Id, FactLayer.Reviewed)]],
            reviews[c.Campaign.Id].ToDictionary(r => r.Item),
            no => tasks.TryGetValue((c.Campaign.Id, no), out var t) ? (t.Count, t.Late) : (0, 0)));
    }

    /// <summary>A campaign's item, the key of <see cref="StandingsAsync"/>'s task counts.</summary>
    public sealed class CampaignItem
    {
        public Guid CampaignId { get; set; }
        public int ItemNo { get; set; }
    }

    private Standing Standing(CampaignRecord campaign, Programme programme, string subject, List<FactRecord> proposedRows, List<FactRecord> reviewedRows,
        Dictionary<string, ItemReviewRecord> reviews, Func<int, (int Open, int Late)> tasks)
    {
        var proposed = ScoringEngine.Score(programme, ToFacts(proposedRows));
        var reviewed = ScoringEngine.Score(programme, ToFacts(reviewedRows));
        var withEvidence = proposedRows.Where(f => f.Evidence != "[]").Select(f => f.RuleId).ToHashSet();

        var items = programme.Items.Select(i =>
        {
            var key = i.No.ToString();
            var review = reviews.GetValueOrDefault(key);
            var (open, late) = tasks(i.No);
            return new ItemStanding(key, i.Points, proposed.Item(i.No).Score, reviewed.Item(i.No).Score, review?.State, review?.Reason,
                i.Rules.Any(r => withEvidence.Contains(r.Id)), open, late);
        }).ToList();
        // The highest first, then by item number; each named by its number and short title, with the reason.
        var atRisk = items.Where(i => i.OverdueTasks > 0 || !i.HasEvidence)
            .Select(i => new AtRisk(i.Item, i.Max - i.Reviewed > 0 ? i.Max - i.Reviewed : i.Max,
                i.OverdueTasks > 0 ? $"逾期任务{i.OverdueTasks}项" + (i.HasEvidence ? "" : "，尚无佐证材料") : "尚无佐证材料",
                ShortTitle(programme.Items[int.Parse(i.Item) - 1].Text)))
            .Where(r => r.Points > 0).OrderByDescending(r => r.Points).ThenBy(r => int.Parse(r.Item)).ToList();
        var forecast = items.Where(i => i.Max > i.Reviewed)
            .Select(i => new Opportunity(i.Item, i.Max - i.Reviewed, i.OpenTasks))
            .OrderByDescending(o => o.CouldAdd / (1 + o.OpenTasks)).ThenByDescending(o => o.CouldAdd).ThenBy(o => int.Parse(o.Item)).ToList();
        var gate = programme.Header.Gate;
        var min = gate?.MinScore ?? 0m;
        return new Standing(campaign.Id, subject, min, proposed, reviewed, Math.Max(0m, min - reviewed.Total), campaign.GateOpen,
            gate is not null && InGatePhase(campaign, gate, clock.GetUtcNow()), items, atRisk, forecast);
    }

    /// <summary>An item's short title: its text up to the first full stop or semicolon, at most 24 characters.</summary>
    public static string ShortTitle(string text)
    {
        var cut = text.IndexOfAny(['；', '。', '，', '：', ';']);
        var head = cut > 0 ? text[..cut] : text;
        return head.Length > 24 ? head[..23] + "…" : head;
    }

    /// <summary>
    /// The annual unit ranking: every assessed unit scored from its reviewed facts by the rules (negative list included),
    /// highest first; equal totals share a rank.
    /// </summary>
    public async Task<Ranking> RankingAsync(Guid campaignId, CancellationToken ct)
    {
        var (campaign, programme) = await LoadAsync(campaignId, ct);
        var units = await db.Assignments.Where(a => a.CampaignId == campaignId).Select(a => a.Unit).Distinct().ToListAsync(ct);
        var facts = (await db.Facts.AsNoTracking().Where(f => f.CampaignId == campaignId && f.Layer == FactLayer.Reviewed).ToListAsync(ct))
            .ToLookup(f => f.Subject);
        var reviewed = (await db.ItemReviews.Where(r => r.CampaignId == campaignId && r.State != ReviewState.Proposed && r.State != ReviewState.Returned)
            .Select(r => r.Subject).ToListAsync(ct)).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var scored = units.Select(u => (Unit: u, Score: ScoringEngine.Score(programme, ToFacts(facts[u])))).ToList();
        var ordered = scored.OrderByDescending(x => x.Score.Total).ThenBy(x => x.Unit, StringComparer.Ordinal).ToList();
        var rows = ordered.Select(x => new RankRow(
            1 + ordered.Count(o => o.Score.Total > x.Score.Total), x.Unit, x.Score.Base, x.Score.Bonus, x.Score.Penalty, x.Score.Total,
            x.Score.Targets, reviewed.GetValueOrDefault(x.Unit), programme.Items.Count)).ToList();
        return new Ranking(campaign.Id, programme.Id, rows);
    }

    public Task<List<FactRecord>> FactsAsync(Guid campaignId, string subject, FactLayer layer, CancellationToken ct) =>
        db.Facts.AsNoTracking().Where(f => f.CampaignId == campaignId && f.Subject == subject && f.Layer == layer).OrderBy(f => f.Id).ToListAsync(ct);

    /// <summary>Rows → the engine's facts.</summary>
    public static Facts ToFacts(IEnumerable<FactRecord> rows)
    {
        var list = rows.ToList();
        T V<T>(FactRecord f) => JsonSerializer.Deserialize<T>(f.Value, Web)!;
        return new Facts
        {
            StaffSize = list.Where(f => f.Kind == "staffSize").Select(f => (int?)V<int>(f)).LastOrDefault(),
            TitleLevel = list.Where(f => f.Kind == "titleLevel").Select(f => (Level?)V<Level>(f)).LastOrDefault(),
            Flags = [.. list.Where(f => f.Kind == "flag").Select(V<string>).Distinct()],
            Checks = list.Where(f => f.Kind == "check").ToDictionary(f => f.RuleId, V<bool>),
            Conditions = list.Where(f => f.Kind == "condition").ToDictionary(f => f.RuleId, V<bool>),
            Rates = list.Where(f => f.Kind == "rate").ToDictionary(f => f.RuleId, V<decimal>),
            Counts = list.Where(f => f.Kind == "count").ToDictionary(f => f.RuleId, V<int>),
            People = list.Where(f => f.Kind == "people").ToDictionary(f => f.RuleId, V<PeopleCount>),
            Cases = [.. list.Where(f => f.Kind == "case").Select(V<Case>)],
        };
    }

    private static readonly JsonSerializerOptions Web = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Startup.Configure(o);
        return o;
    }

    /// <summary>
    /// The sizes of an item's facts before anything is looked up: evidence and sources per rule within their limits, and
    /// the facts themselves within <see cref="FactsValidator.Bounds"/>. <paramref name="prefix"/> is where the body holds them.
    /// </summary>
    private static void CheckBounds(ItemFacts input, string prefix)
    {
        foreach (var (rule, ids) in input.Evidence ?? new Dictionary<string, IReadOnlyList<Guid>>())
        {
            Input.Count(ids, $"{prefix}evidence['{rule}']", max: MaxEvidencePerRule);
        }
        foreach (var (rule, source) in input.Sources ?? new Dictionary<string, string>())
        {
            Input.Text(source, $"{prefix}sources['{rule}']", required: false, max: Input.SourceLength);
        }
        foreach (var (key, note) in input.Notes ?? new Dictionary<string, string>())
        {
            Input.Text(note, $"{prefix}notes['{key}']", required: false, max: Input.SourceLength);
        }
        if (FactsValidator.Bounds(input.Facts) is [var first, ..])
        {
            throw new DomainException(prefix + "facts" + first.Path.TrimStart('$'), first.Reason);
        }
    }

    /// <summary>How many evidence files one rule may cite.</summary>
    public const int MaxEvidencePerRule = 50;

    /// <summary>Only this item's rules, and only facts the engine accepts.</summary>
    private static void Validate(Programme programme, IReadOnlyList<Rule> rules, ItemFacts input)
    {
        var ids = rules.Select(r => r.Id).ToHashSet();
        var deductions = rules.OfType<CheckRule>().SelectMany(r => r.Deductions).Select(d => d.Id).ToHashSet();
        var f = input.Facts;
        var foreign = f.Checks.Keys.Concat(f.Rates.Keys).Concat(f.Counts.Keys).Concat(f.People.Keys).Concat(f.Cases.Select(c => c.Rule))
            .Where(id => !ids.Contains(id)).Concat(f.Conditions.Keys.Where(id => !deductions.Contains(id)))
            .Concat((input.Evidence?.Keys ?? []).Where(id => !ids.Contains(id))).Concat((input.Sources?.Keys ?? []).Where(id => !ids.Contains(id)))
            .Distinct().ToList();
        if (foreign.Count > 0)
        {
            throw new DomainException("facts", $"规则 {string.Join("、", foreign)} 不属于本测评内容。");
        }
        if ((input.Notes?.Keys ?? []).FirstOrDefault(k => !EvidencePlan.NoteKeys.Contains(k)) is { } unknown)
        {
            throw new DomainException($"notes['{unknown}']", $"说明「{unknown}」无效，可填：{string.Join("、", EvidencePlan.NoteKeys)}。");
        }
        var errors = FactsValidator.Validate(programme, f);
        if (errors.Count > 0)
        {
            throw new DomainException("facts" + errors[0].Path.TrimStart('$'), errors[0].Reason);
        }
    }

    /// <summary>
    /// Cited evidence must belong to the campaign, and a unit may cite only files it may see: those of its own assignments,
    /// of those it reviews, and of the item's assignments (the item page shows the lead those; in a unit assessment only the
    /// subject's own). Any other id answers as if it did not exist.
    /// </summary>
    private async Task CheckEvidenceAsync(Guid campaignId, ItemFacts input, CancellationToken ct, (string Unit, string Subject, string Item)? citing = null)
    {
        var ids = (input.Evidence?.Values ?? []).SelectMany(v => v).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }
        var assignments = db.Assignments.Where(a => a.CampaignId == campaignId);
        if (citing is var (unit, subject, item))
        {
            int? itemNo = int.TryParse(item, out var no) ? no : null;
            assignments = assignments.Where(a => a.Unit == unit || a.ReviewerUnit == unit
                || (itemNo != null && a.ItemNo == itemNo && (subject == "" || a.Unit == subject)));
        }
        var found = await db.EvidenceFiles.Where(e => ids.Contains(e.Id))
            .Join(assignments, e => e.AssignmentId, a => a.Id, (e, _) => e.Id).ToListAsync(ct);
        var missing = ids.Except(found).ToList();
        if (missing.Count > 0)
        {
            throw new DomainException("evidence", $"佐证材料 {missing[0]} 不存在或不属于本创建活动。");
        }
    }

    private async Task ReplaceAsync(Guid campaignId, string subject, FactLayer layer, IReadOnlyList<Rule> rules, ItemFacts input, string actor, DateTimeOffset now, CancellationToken ct)
    {
        await DeleteAsync(campaignId, subject, layer, KeysOf(rules), ct);
        FactRecord Row(string ruleId, string kind, object value) => new()
        {
            CampaignId = campaignId, Subject = subject, Layer = layer, RuleId = ruleId, Kind = kind, Value = JsonSerializer.Serialize(value, Web),
            Source = input.Sources?.GetValueOrDefault(ruleId),
            Evidence = JsonSerializer.Serialize(input.Evidence?.GetValueOrDefault(ruleId) ?? []),
            EnteredBy = actor, EnteredAt = now,
        };
        var f = input.Facts;
        db.Facts.AddRange(f.Checks.Select(x => Row(x.Key, "check", x.Value)));
        db.Facts.AddRange(f.Conditions.Select(x => Row(x.Key, "condition", x.Value)));
        db.Facts.AddRange(f.Rates.Select(x => Row(x.Key, "rate", x.Value)));
        db.Facts.AddRange(f.Counts.Select(x => Row(x.Key, "count", x.Value)));
        db.Facts.AddRange(f.People.Select(x => Row(x.Key, "people", x.Value)));
        db.Facts.AddRange(f.Cases.Select(c => Row(c.Rule, "case", c)));
        if (f.StaffSize is { } staff)
        {
            db.Facts.AddRange(Row(rules[0].Id, "staffSize", staff));
        }
        if (f.TitleLevel is { } title)
        {
            db.Facts.AddRange(Row(rules[0].Id, "titleLevel", title));
        }
        db.Facts.AddRange(f.Flags.Select(flag => Row(rules[0].Id, "flag", flag)));
        // The evidence plan's notes, one row each under the item's first rule (like its flags), kind = the note's key.
        db.Facts.AddRange((input.Notes ?? new Dictionary<string, string>()).Where(n => !string.IsNullOrWhiteSpace(n.Value))
            .Select(n => Row(rules[0].Id, n.Key, n.Value.Trim())));
    }

    /// <summary>Stored rows → the item's notes (<see cref="EvidencePlan.NoteKeys"/>).</summary>
    public static IReadOnlyDictionary<string, string> NotesOf(IEnumerable<FactRecord> rows) =>
        rows.Where(r => EvidencePlan.NoteKeys.Contains(r.Kind)).GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => JsonSerializer.Deserialize<string>(g.Last().Value, Web)!);

    private async Task DeleteAsync(Guid campaignId, string subject, FactLayer layer, IReadOnlySet<string> ruleIds, CancellationToken ct)
    {
        var keys = ruleIds.ToList();
        db.Facts.RemoveRange(await db.Facts.Where(x => x.CampaignId == campaignId && x.Subject == subject && x.Layer == layer && keys.Contains(x.RuleId))
            .ToListAsync(ct));
    }

    private void Audit(DateTimeOffset now, string actor, string action, Guid campaignId, string subject, string item, object? before, object after) =>
        db.AddAudit(now, actor, action, AuditEntities.Assessment, $"{campaignId}/{subject}/{item}",
            before is null ? null : JsonSerializer.Serialize(before, Web), JsonSerializer.Serialize(after, Web));

    private void Notify(Guid campaignId, string recipient, NotificationKind kind, ReminderText text, DateTimeOffset now) =>
        db.Notifications.Add(new NotificationRecord
        {
            OccurrenceKey = $"{kind.Spelling()}:{campaignId:N}:{recipient}:{Guid.CreateVersion7(now):N}", // one notice per act
            CampaignId = campaignId, Recipient = recipient, Kind = kind, Title = text.Title, Body = text.Body, Link = $"/campaigns/{campaignId}/standing", CreatedAt = now,
        });

    public static string Label(string item) => item switch
    {
        ['B', .. var n] => $"加分事项{n}",
        ['P', .. var n] => $"减分事项{n}",
        ['N', .. var n] => $"负面清单{n}",
        _ => $"第{item}项",
    };
}
