namespace CreationWorkflow.Web.Scoring;

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
/// Where a campaign stands: the proposed and reviewed scores from the engine over the stored facts, per item with its open
/// and late tasks, the points at risk and the forecast; and the annual unit ranking. Read-only; kept per campaign revision.
/// </summary>
public sealed class Standings(AppDbContext db, CampaignLoader loader, TimeProvider clock, Infrastructure.CampaignFigures figures)
{
    public async Task<Standing> StandingAsync(Guid campaignId, string subject, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(campaignId, ct);
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
        return await figures.GetAsync($"standings|{Uri.EscapeDataString(subject)}", ids, ChinaTime.Today(clock.GetUtcNow()),
            () => ComputeStandingsAsync(campaigns, ids, subject, ct), ct);
    }

    private async Task<IReadOnlyDictionary<Guid, Standing>> ComputeStandingsAsync(
        IReadOnlyList<(CampaignRecord Campaign, Programme Programme)> campaigns, List<Guid> ids, string subject, CancellationToken ct)
    {
        var facts = (await db.Facts.AsNoTracking().Where(f => ids.Contains(f.CampaignId) && f.Subject == subject).OrderBy(f => f.Id).ToListAsync(ct))
            .ToLookup(f => (f.CampaignId, f.Layer));
        var reviews = (await db.ItemReviews.Where(r => ids.Contains(r.CampaignId) && r.Subject == subject).ToListAsync(ct))
            .ToLookup(r => r.CampaignId);
        var today = ChinaTime.Today(clock.GetUtcNow());
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
        var proposed = ScoringEngine.Score(programme, FactStore.ToFacts(proposedRows));
        var reviewed = ScoringEngine.Score(programme, FactStore.ToFacts(reviewedRows));
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
            gate is not null && AcceptanceGate.InGatePhase(campaign, gate, clock.GetUtcNow()), items, atRisk, forecast);
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
        var (campaign, programme) = await loader.LoadAsync(campaignId, ct);
        var units = await db.Assignments.Where(a => a.CampaignId == campaignId).Select(a => a.Unit).Distinct().ToListAsync(ct);
        var facts = (await db.Facts.AsNoTracking().Where(f => f.CampaignId == campaignId && f.Layer == FactLayer.Reviewed).ToListAsync(ct))
            .ToLookup(f => f.Subject);
        var reviewed = (await db.ItemReviews.Where(r => r.CampaignId == campaignId && r.State != ReviewState.Proposed && r.State != ReviewState.Returned)
            .Select(r => r.Subject).ToListAsync(ct)).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var scored = units.Select(u => (Unit: u, Score: ScoringEngine.Score(programme, FactStore.ToFacts(facts[u])))).ToList();
        var ordered = scored.OrderByDescending(x => x.Score.Total).ThenBy(x => x.Unit, StringComparer.Ordinal).ToList();
        var rows = ordered.Select(x => new RankRow(
            1 + ordered.Count(o => o.Score.Total > x.Score.Total), x.Unit, x.Score.Base, x.Score.Bonus, x.Score.Penalty, x.Score.Total,
            x.Score.Targets, reviewed.GetValueOrDefault(x.Unit), programme.Items.Count)).ToList();
        return new Ranking(campaign.Id, programme.Id, rows);
    }
}
