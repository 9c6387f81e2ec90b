namespace CreationWorkflow.Web.Scoring;

/// <summary>What a lead unit (or the office) records for one item: facts, the evidence behind each rule, survey sources.</summary>
/// <remarks><see cref="Notes"/>: the item's notes for its evidence plan (<see cref="EvidencePlan.NoteKeys"/>: 地点说明, 调查问卷与样本, 调查结果).</remarks>
public sealed record ItemFacts(
    Facts Facts, IReadOnlyDictionary<string, IReadOnlyList<Guid>>? Evidence = null, IReadOnlyDictionary<string, string>? Sources = null,
    IReadOnlyDictionary<string, string>? Notes = null);

public sealed record ReviewDecision(string Decision, string? Reason = null, ItemFacts? Adjusted = null);

/// <summary>
/// Self-assessment and its review: a lead unit (or the office, or a third-party evaluator for a rate) proposes an item's
/// facts, the office accepts, adjusts or returns them. Every change is one transaction with its audit entry and notices,
/// and re-evaluates the gate.
/// </summary>
public sealed class ItemReviews(AppDbContext db, CampaignLoader loader, FactStore facts, AcceptanceGate gate, TimeProvider clock)
{
    /// <param name="citingUnit">The unit user who proposes (null for the office): it may cite only evidence it may see.</param>
    /// <returns>What the item's evidence plan still misses (<see cref="EvidencePlan"/>): a warning, never a refusal; audited with the proposal.</returns>
    public async Task<IReadOnlyList<EvidenceNeed>> ProposeAsync(Guid campaignId, string subject, string item, ItemFacts input, string actor, CancellationToken ct, string? citingUnit = null)
    {
        FactStore.CheckBounds(input, "");
        var (campaign, programme) = await loader.LoadAsync(campaignId, ct);
        var rules = programme.RulesOf(item) ?? throw new DomainException("item", $"没有编号为「{item}」的测评内容。", ErrorKind.NotFound);
        FactStore.Validate(programme, rules, input);
        await facts.CheckEvidenceAsync(campaignId, input, ct, citingUnit is null ? null : (citingUnit, subject, item));
        var missing = EvidencePlan.Missing(programme.MethodsOf(item), rules, await facts.FiledAsync(input, ct));
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await facts.ReplaceAsync(campaignId, subject, FactLayer.Proposed, rules, input, actor, now, ct);
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
        AssessmentNotices.Add(db, campaignId, Recipients.Office, NotificationKind.AssessmentReview, ReminderTexts.AssessmentProposed(actor, ItemKey.LabelOf(item)), now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return missing;
    }

    /// <summary>A third-party evaluator enters a survey result (知晓率, 满意度…) with its source; the item goes to review.</summary>
    public async Task ProposeRateAsync(Guid campaignId, string subject, string ruleId, decimal rate, string source, string actor, CancellationToken ct)
    {
        Input.Between(rate, "rate", 0m, 100m);
        Input.Text(source, "source", required: false, max: Input.SourceLength);
        var (_, programme) = await loader.LoadAsync(campaignId, ct);
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
        FactStore.Validate(programme, [rule], input);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await facts.ReplaceAsync(campaignId, subject, FactLayer.Proposed, [rule], input, actor, now, ct);
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
        AssessmentNotices.Add(db, campaignId, Recipients.Office, NotificationKind.AssessmentReview, ReminderTexts.RateProposed(actor, ItemKey.LabelOf(key), rate, source), now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task ReviewAsync(Guid campaignId, string subject, string item, ReviewDecision decision, string actor, CancellationToken ct)
    {
        Input.Text(decision.Decision, "decision", required: false, max: Input.ShortLength);
        Input.Text(decision.Reason, "reason", required: false);
        if (decision.Adjusted is { } adjustedFacts)
        {
            FactStore.CheckBounds(adjustedFacts, "adjusted.");
        }
        var (campaign, programme) = await loader.LoadAsync(campaignId, ct);
        var rules = programme.RulesOf(item) ?? throw new DomainException("item", $"没有编号为「{item}」的测评内容。", ErrorKind.NotFound);
        var review = await db.ItemReviews.SingleOrDefaultAsync(r => r.CampaignId == campaignId && r.Subject == subject && r.Item == item, ct)
            ?? throw new DomainException("item", $"{ItemKey.LabelOf(item)}尚未报送自评事实，无可审核。", ErrorKind.Conflict);
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
        var ids = ProgrammeEntries.KeysOf(rules);
        var before = await db.Facts.Where(f => f.CampaignId == campaignId && f.Subject == subject && f.Layer == FactLayer.Reviewed && ids.Contains(f.RuleId))
            .Select(f => new { f.RuleId, f.Kind, f.Value }).ToListAsync(ct);
        switch (decision.Decision)
        {
            case "accept":
                var proposed = await db.Facts.AsNoTracking()
                    .Where(f => f.CampaignId == campaignId && f.Subject == subject && f.Layer == FactLayer.Proposed && ids.Contains(f.RuleId)).ToListAsync(ct);
                await facts.DeleteAsync(campaignId, subject, FactLayer.Reviewed, ids, ct);
                db.Facts.AddRange(proposed.Select(f => new FactRecord
                {
                    CampaignId = f.CampaignId, Subject = f.Subject, Layer = FactLayer.Reviewed, RuleId = f.RuleId, Kind = f.Kind, Value = f.Value,
                    Source = f.Source, Evidence = f.Evidence, EnteredBy = actor, EnteredAt = now,
                }));
                Lifecycle(review).Fire(ReviewTrigger.Accept);
                break;
            case "adjust":
                var adjusted = decision.Adjusted ?? throw new DomainException("adjusted", "调整须给出调整后的事实。");
                FactStore.Validate(programme, rules, adjusted);
                await facts.CheckEvidenceAsync(campaignId, adjusted, ct);
                await facts.ReplaceAsync(campaignId, subject, FactLayer.Reviewed, rules, adjusted, actor, now, ct);
                Lifecycle(review).Fire(ReviewTrigger.Adjust);
                break;
            default:
                await facts.DeleteAsync(campaignId, subject, FactLayer.Reviewed, ids, ct);
                Lifecycle(review).Fire(ReviewTrigger.Return);
                foreach (var lead in programme.LeadsOf(item))
                {
                    AssessmentNotices.Add(db, campaignId, lead, NotificationKind.AssessmentReturned, ReminderTexts.AssessmentReturned(ItemKey.LabelOf(item), decision.Reason), now);
                }
                break;
        }
        (review.Reason, review.ReviewedBy, review.ReviewedAt) = (decision.Reason, actor, now);
        review.Revision++;
        Audit(now, actor, AuditActions.AssessmentReviewed(decision.Decision), campaignId, subject, item, before, decision);
        await db.SaveChangesAsync(ct);
        await gate.UpdateGateAsync(campaign, programme, subject, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static ItemReviewLifecycle Lifecycle(ItemReviewRecord review) => new(() => review.State, s => review.State = s);

    private void Audit(DateTimeOffset now, string actor, string action, Guid campaignId, string subject, string item, object? before, object after) =>
        db.AddAudit(now, actor, action, AuditEntities.Assessment, $"{campaignId}/{subject}/{item}",
            before is null ? null : JsonSerializer.Serialize(before, FactStore.Json), JsonSerializer.Serialize(after, FactStore.Json));
}

/// <summary>The assessment's in-app notices: one per act, linking to the standing.</summary>
internal static class AssessmentNotices
{
    public static void Add(AppDbContext db, Guid campaignId, string recipient, NotificationKind kind, ReminderText text, DateTimeOffset now) =>
        db.Notifications.Add(new NotificationRecord
        {
            OccurrenceKey = $"{kind.Spelling()}:{campaignId:N}:{recipient}:{Guid.CreateVersion7(now):N}", // one notice per act
            CampaignId = campaignId, Recipient = recipient, Kind = kind, Title = text.Title, Body = text.Body, Link = $"/campaigns/{campaignId}/standing", CreatedAt = now,
        });
}
