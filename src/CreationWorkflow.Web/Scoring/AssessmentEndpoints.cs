namespace CreationWorkflow.Web.Scoring;

public sealed record RateInput(decimal Rate, string Source);

/// <param name="MissingEvidence">After 提交自评: what the item's evidence plan still misses (a warning; the facts are stored).</param>
public sealed record ReviewView(string Item, ReviewState State, string? Reason, IReadOnlyList<EvidenceNeed>? MissingEvidence = null);

/// <summary>An item's evidence plan: its methods (网上申报 when it names none) and each need with whether the stored proposal holds it.</summary>
public sealed record EvidencePlanView(string Item, IReadOnlyList<string> Methods, IReadOnlyList<NeedStatus> Needs, IReadOnlyList<EvidenceNeed> Missing);

/// <summary>
/// Self-assessment over the API. The subject is the city ("") for a city programme, or the assessed unit for a unit
/// assessment: a unit user always acts for its own unit; staff name the subject with ?subject=.
/// </summary>
public static class AssessmentEndpoints
{
    public static RouteGroupBuilder MapAssessment(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns/{id:guid}").WithTags("Assessment");
        api.MapPut("/assessment/items/{item}", Propose).WithName("ProposeItemFacts")
            .WithSummary("The item's lead unit (or the office) records the facts its rules need, with the evidence behind each rule; the score follows from the rules.");
        api.MapPut("/assessment/rates/{ruleId}", Rate).RequireAuthorization(p => p.RequireRole(Roles.Evaluator, Roles.Office)).WithName("EnterSurveyRate")
            .WithSummary("第三方评估: a survey rate with its source.");
        api.MapGet("/assessment/items/{item}/evidence-plan", EvidencePlanOf)
            .RequireAuthorization(p => p.RequireRole(Roles.Office, Roles.Unit, Roles.Leader, Roles.Inspector)).WithName("ItemEvidencePlan")
            .WithSummary("Evidence by method: what the item's 测评方法 need (data and documents per rule, the site checklist with photos and place, the survey with sample and results), present or missing in the stored proposal.");
        api.MapPost("/assessment/items/{item}/review", Review).RequireAuthorization(Policies.Office).WithName("ReviewItem")
            .WithSummary("The office accepts, adjusts (with a reason and the adjusted facts) or returns (with a reason) an item's proposed facts.");
        api.MapGet("/ranking", Ranking).RequireAuthorization(Policies.Staff).WithName("UnitRanking")
            .WithSummary("Unit assessment: every assessed unit's reviewed score by the rules, deductions and the negative list applied, ranked.");
        api.MapGet("/standing", Standing).WithName("Standing")
            .WithSummary("Proposed and reviewed scores side by side, totals, points at risk, the gap to the gate and the items that could close it.");
        return api;
    }

    public static async Task<Ok<ReviewView>> Propose(Guid id, string item, ItemFacts body, string? subject, HttpContext http, CampaignLoader loader, ItemReviews reviews, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        var who = SubjectFor(http.User, programme.Header.Subject, subject);
        if (!http.User.IsInRole(Roles.Office))
        {
            var unit = http.User.UnitOf();
            var allowed = programme.Header.Subject == Core.Programmes.ProgrammeSubject.Unit
                ? unit == who
                : unit is not null && programme.LeadsOf(item).Contains(unit);
            if (!allowed)
            {
                throw new DomainException("item", $"只有{ItemKey.LabelOf(item)}的牵头单位或创建办可以报送其自评事实。", ErrorKind.Forbidden);
            }
        }
        var missing = await reviews.ProposeAsync(campaign.Id, who, item, body, http.User.NameOf(), ct, http.User.IsInRole(Roles.Office) ? null : http.User.UnitOf());
        return TypedResults.Ok(new ReviewView(item, ReviewState.Proposed, null, missing));
    }

    /// <summary>Same visibility as the item page (<see cref="ItemQuery"/>): the entry's lead units, the staff; others 404.</summary>
    public static async Task<Results<Ok<EvidencePlanView>, NotFound>> EvidencePlanOf(Guid id, string item, string? subject, HttpContext http, ItemQuery query, CancellationToken ct)
    {
        if (await query.LoadAsync(http.User, id, item, subject, ct) is not { } page)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new EvidencePlanView(page.Entry.Key, [.. page.Methods.Select(EvidencePlan.MethodName)], page.Plan,
            [.. page.Plan.Where(p => !p.Present).Select(p => p.Need)]));
    }

    public static async Task<NoContent> Rate(Guid id, string ruleId, RateInput body, string? subject, HttpContext http, CampaignLoader loader, ItemReviews reviews, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        await reviews.ProposeRateAsync(campaign.Id, SubjectFor(http.User, programme.Header.Subject, subject), ruleId, body.Rate, body.Source, http.User.NameOf(), ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<ReviewView>> Review(Guid id, string item, ReviewDecision body, string? subject, HttpContext http, CampaignLoader loader, ItemReviews reviews, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        await reviews.ReviewAsync(campaign.Id, SubjectFor(http.User, programme.Header.Subject, subject), item, body, http.User.NameOf(), ct);
        var state = body.Decision switch { "accept" => ReviewState.Accepted, "adjust" => ReviewState.Adjusted, _ => ReviewState.Returned };
        return TypedResults.Ok(new ReviewView(item, state, body.Reason));
    }

    public static async Task<Ok<Ranking>> Ranking(Guid id, Standings standings, CancellationToken ct) =>
        TypedResults.Ok(await standings.RankingAsync(id, ct));

    public static async Task<Ok<Standing>> Standing(Guid id, string? subject, HttpContext http, CampaignLoader loader, Standings standings, CancellationToken ct)
    {
        var (campaign, programme) = await loader.LoadAsync(id, ct);
        if (!http.User.IsStaff() && !http.User.IsInRole(Roles.Evaluator) && programme.Header.Subject == Core.Programmes.ProgrammeSubject.City
            && http.User.UnitOf() is null)
        {
            throw new DomainException("id", "无权查看。", ErrorKind.Forbidden);
        }
        return TypedResults.Ok(await standings.StandingAsync(campaign.Id, SubjectFor(http.User, programme.Header.Subject, subject), ct));
    }

    /// <summary>City programmes assess the city (""); unit programmes assess a unit: a unit user's own, or the one staff name.</summary>
    private static string SubjectFor(ClaimsPrincipal user, Core.Programmes.ProgrammeSubject kind, string? requested)
    {
        if (kind == Core.Programmes.ProgrammeSubject.City)
        {
            return "";
        }
        if (user.UnitOf() is { } unit)
        {
            return unit;
        }
        return string.IsNullOrWhiteSpace(requested) ? throw new DomainException("subject", "请指明被考核单位（subject）。") : requested;
    }
}
