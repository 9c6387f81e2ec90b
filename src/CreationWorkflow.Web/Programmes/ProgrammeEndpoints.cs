namespace CreationWorkflow.Web.Programmes;

public sealed record PhaseView(string Id, string Name, string Start, string End);

public sealed record ProgrammeSummary(
    string Id, string Title, string? DocumentNumber, ProgrammeSubject Subject, decimal BaseMax,
    int Targets, int Indicators, int Items, int BonusItems, int PenaltyItems, int NegativeItems, int KeyTasks, int Units,
    IReadOnlyList<PhaseView> Phases, Gate? Gate);

public sealed record ItemView(
    int No, string Text, decimal Points, IReadOnlyList<string> Lead, IReadOnlyList<string> Responsible,
    IReadOnlyList<EvaluationMethod> Methods, IReadOnlyList<Rule> Rules, SourceRef Source);

public sealed record IndicatorView(int No, string Name, decimal Points, IReadOnlyList<ItemView> Items);

public sealed record TargetView(int No, string Name, decimal Points, IReadOnlyList<IndicatorView> Indicators);

public sealed record ProgrammeItems(
    string Id, string Title, decimal BaseMax, IReadOnlyList<TargetView> Targets,
    IReadOnlyList<AdjustmentItem> Bonus, IReadOnlyList<AdjustmentItem> Penalty, IReadOnlyList<AdjustmentItem> Negative);

public sealed record UnitView(string Name, UnitKind Kind, string? Code, string? FullName);

public sealed record GroupView(string Name, string? Assumption, IReadOnlyList<string> Members);

public sealed record ProgrammeUnits(IReadOnlyList<UnitView> Units, IReadOnlyList<GroupView> Groups);

/// <summary>Read access to the programmes: what they are, their responsibility lists and unit directories.</summary>
public static class ProgrammeEndpoints
{
    public static RouteGroupBuilder MapProgrammes(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/programmes").WithTags("Programmes");
        api.MapGet("/", List).WithName("ListProgrammes").WithSummary("All programmes loaded from seed/.");
        api.MapGet("/{id}/items", Items).WithName("GetProgrammeItems")
            .WithSummary("The responsibility list: targets → indicators → items with points, units, rules and sources.");
        api.MapGet("/{id}/units", Units).WithName("GetProgrammeUnits").WithSummary("The unit directory and its groups, expanded.");
        return api;
    }

    public static Ok<List<ProgrammeSummary>> List(ProgrammeCatalog catalog) =>
        TypedResults.Ok(catalog.All.Select(Summarise).ToList());

    public static Results<Ok<ProgrammeItems>, NotFound<ProblemDetails>> Items(string id, ProgrammeCatalog catalog) =>
        catalog.Find(id) is { } p ? TypedResults.Ok(Tree(p)) : NotFound(id);

    public static Results<Ok<ProgrammeUnits>, NotFound<ProblemDetails>> Units(string id, ProgrammeCatalog catalog)
    {
        if (catalog.Find(id) is not { } p)
        {
            return NotFound(id);
        }
        var units = p.Units.Units.Select(u => new UnitView(u.Name, u.Kind, u.Code, u.FullName)).ToList();
        var groups = p.Units.Groups.Select(g => new GroupView(g.Name, g.Assumption, p.Units.Expand(g.Name).Select(u => u.Name).ToList())).ToList();
        return TypedResults.Ok(new ProgrammeUnits(units, groups));
    }

    internal static NotFound<ProblemDetails> NotFound(string id) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "创建方案不存在",
        Detail = $"没有编号为 '{id}' 的创建方案。",
    });

    public static ProgrammeSummary Summarise(Programme p) => new(
        p.Id, p.Header.Title, p.Header.Document.Number, p.Header.Subject, p.Header.BaseMax,
        p.Targets.Count, p.Indicators.Count(), p.Items.Count,
        p.Adjustments.BonusItems.Count, p.Adjustments.PenaltyItems.Count, p.Adjustments.NegativeItems.Count,
        p.KeyTasks.Count, p.Units.Units.Count,
        p.Header.Phases.Select(ph => new PhaseView(ph.Id, ph.Name, ph.Start, ph.End)).ToList(), p.Header.Gate);

    public static ProgrammeItems Tree(Programme p) => new(
        p.Id, p.Header.Title, p.Header.BaseMax,
        p.Targets.Select(t =>
        {
            var indicators = t.Indicators.Select(ind =>
            {
                var items = p.Items.Where(i => i.Indicator == ind.No).Select(i => new ItemView(
                    i.No, i.Text, i.Points, i.LeadUnits, i.ResponsibleUnits, i.Methods ?? [], i.Rules, i.Source)).ToList();
                return new IndicatorView(ind.No, ind.Name, items.Sum(i => i.Points), items);
            }).ToList();
            return new TargetView(t.No, t.Name, indicators.Sum(i => i.Points), indicators);
        }).ToList(),
        p.Adjustments.BonusItems, p.Adjustments.PenaltyItems, p.Adjustments.NegativeItems);
}
