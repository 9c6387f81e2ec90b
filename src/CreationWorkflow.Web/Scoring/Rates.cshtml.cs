namespace CreationWorkflow.Web.Scoring;

public sealed record RateRow(int ItemNo, TierRule Rule, decimal? Proposed, string? Source, string? EnteredBy, decimal? Reviewed, ReviewState? State);

/// <summary>
/// 第三方评估结果 (/campaigns/{id}/assessment/rates): the survey-rate rules (知晓率, 满意度… — the tier rules
/// <see cref="ItemReviews.ProposeRateAsync"/> takes) with the current value and its source, and a form per rule.
/// The third-party evaluator and the office only.
/// </summary>
[Authorize(Roles = Roles.Evaluator + "," + Roles.Office)]
public sealed class RatesModel(CampaignLoader loader, FactStore facts, ItemReviews reviews, AppDbContext db) : PageModel
{
    public AssessmentScope Scope { get; private set; } = null!;
    public IReadOnlyList<RateRow> Rows { get; private set; } = [];
    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public string? ErrorRule { get; private set; }
    public string? PostedRate { get; private set; }
    public string? PostedSource { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? subject, CancellationToken ct) =>
        await LoadAsync(id, subject, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRateAsync(Guid id, string? subject, string? ruleId, string? rate, string? source, CancellationToken ct)
    {
        if (!await LoadAsync(id, subject, ct))
        {
            return NotFound();
        }
        (ErrorRule, PostedRate, PostedSource) = (ruleId, rate, source);
        if (Rows.FirstOrDefault(r => r.Rule.Id == ruleId) is not { } row)
        {
            return NotFound();
        }
        if (!decimal.TryParse(rate?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 100)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            (Error, ErrorField) = ($"规则{row.Rule.Id}：{TierRule.Measures.GetValueOrDefault(row.Rule.Measure, "比率")}须为0–100之间的数字（百分比）。", "rate");
            return Page();
        }
        try
        {
            await reviews.ProposeRateAsync(Scope.Campaign.Id, Scope.Subject, row.Rule.Id, value, source ?? "", User.NameOf(), ct);
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            var refusal = this.Refused(e);
            (Error, ErrorField) = ($"规则{row.Rule.Id}：{refusal.Message}", refusal.Field);
            return Page();
        }
        Message = $"已录入规则{row.Rule.Id}的第三方评估结果，等待创建办审核。";
        return Redirect($"/campaigns/{Scope.Campaign.Id}/assessment/rates{Scope.SubjectQuery}");
    }

    private async Task<bool> LoadAsync(Guid id, string? subject, CancellationToken ct)
    {
        if (await AssessmentPages.ScopeAsync(User, id, subject, loader, db, ct) is not { } scope || scope.UnitProgramme && scope.Subject.Length == 0)
        {
            return false;
        }
        Scope = scope;
        var proposed = (await facts.FactsAsync(id, scope.Subject, FactLayer.Proposed, ct)).Where(f => f.Kind == "rate").ToDictionary(f => f.RuleId);
        var reviewed = (await facts.FactsAsync(id, scope.Subject, FactLayer.Reviewed, ct)).Where(f => f.Kind == "rate").ToDictionary(f => f.RuleId);
        var states = await db.ItemReviews.Where(r => r.CampaignId == id && r.Subject == scope.Subject).ToDictionaryAsync(r => r.Item, r => r.State, ct);
        decimal? Value(FactRecord? f) => f is null ? null : JsonSerializer.Deserialize<decimal>(f.Value);
        Rows = [.. scope.Programme.Items.SelectMany(i => i.Rules.OfType<TierRule>().Select(r => new RateRow(i.No, r,
            Value(proposed.GetValueOrDefault(r.Id)), proposed.GetValueOrDefault(r.Id)?.Source, proposed.GetValueOrDefault(r.Id)?.EnteredBy,
            Value(reviewed.GetValueOrDefault(r.Id)), states.TryGetValue(i.No.ToString(CultureInfo.InvariantCulture), out var s) ? s : null)))];
        return true;
    }
}
