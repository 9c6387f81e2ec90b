namespace CreationWorkflow.Web.Scoring;

/// <summary>Facts in, scored result with its explanation trail out. Scores always come from the rules.</summary>
public static class ScoringEndpoints
{
    public static RouteGroupBuilder MapScoring(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/programmes").WithTags("Scoring");
        api.MapPost("/{id}/score", Score).WithName("ScoreProgramme")
            .WithSummary("Scores the given facts by the programme's rules: items, subtotals, base, bonus, penalty, total and the explanation trail.");
        return api;
    }

    public static Results<Ok<ScoreResult>, NotFound<ProblemDetails>, ValidationProblem> Score(string id, Facts facts, ProgrammeCatalog catalog)
    {
        if (catalog.Find(id) is not { } programme)
        {
            return ProgrammeEndpoints.NotFound(id);
        }
        var errors = FactsValidator.Validate(programme, facts);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(
                errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
                title: "事实数据有误", detail: "以下字段未通过校验，未计分。");
        }
        return TypedResults.Ok(ScoringEngine.Score(programme, facts));
    }
}
