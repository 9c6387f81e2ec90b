namespace CreationWorkflow.Web.Programmes;

/// <summary>One step of a programme's workflow, as the setup pages and the API show it.</summary>
public sealed record WorkflowStepView(string Id, string Phase, string Name, StepRole Role, StepAction Action, StepGrain Grain, bool Monthly, StepReviewer? Reviewer);

/// <summary>The workflow a programme's new campaigns run on.</summary>
public sealed record ProgrammeWorkflowView(string ProgrammeId, string WorkflowId, int Version, string Title, IReadOnlyList<WorkflowStepView> Steps)
{
    public static ProgrammeWorkflowView Of(WorkflowDefinition d) => new(d.Programme, d.Id, d.Version, d.Title,
        [.. d.Steps.Select(s => new WorkflowStepView(s.Id, s.Phase, s.Name, s.Role, s.Action, s.Grain, s.Recurrence is not null, s.Reviewer))]);
}

/// <summary>What the office asks for: the generic workflow (<see cref="GenericWorkflow"/>), the only template so far.</summary>
public sealed record ChooseWorkflow(string? Template = ProgrammeWorkflows.Generic);

/// <summary>
/// 选用工作流程 (issue 12): a programme the office imported has no file in workflows/, so before its first campaign the
/// office chooses one. The generic workflow is made for the programme's own phases, checked by the workflow loader's
/// own checks, stored as version 1 of a definition named after the programme (table workflow_definitions) with its
/// audit entry in one transaction, and loaded at once; it is edited like any other definition. A programme that has a
/// workflow keeps it (409).
/// </summary>
public sealed class ProgrammeWorkflows(AppDbContext db, ProgrammeCatalog programmes, WorkflowCatalog workflows, TimeProvider clock)
{
    public const string Generic = "generic";

    public async Task<WorkflowDefinition> ChooseAsync(string programmeId, string? template, string actor, CancellationToken ct)
    {
        var programme = programmes.Find(programmeId)
            ?? throw new DomainException("programmeId", $"没有编号为「{programmeId}」的创建方案。", ErrorKind.NotFound);
        template = Input.Text(template, "template", required: false, max: 32) ?? Generic;
        if (template != Generic)
        {
            throw new DomainException("template", $"流程模板须为 {Generic}（通用流程），不是「{template}」。");
        }
        if ((workflows.ForProgramme(programme.Id) ?? workflows.Latest(programme.Id)) is { } existing)
        {
            throw new DomainException("programmeId",
                $"创建方案「{programme.Header.Title}」已有工作流程「{existing.Title}」（第{existing.Version}版），无需再选用。", ErrorKind.Conflict);
        }
        var definition = GenericWorkflow.For(programme);
        if (WorkflowLoader.Check(definition, programme, $"workflows/{definition.Id}（通用流程）") is { Count: > 0 } errors)
        {
            throw new DomainException("template", "通用流程不适用于该方案：" + string.Join("；", errors.Take(5)), ErrorKind.Conflict);
        }
        var now = clock.GetUtcNow();
        var record = WorkflowCatalog.Record(definition, now);
        db.WorkflowDefinitions.Add(record);
        db.AddAudit(now, actor, AuditActions.WorkflowGenerated, AuditEntities.Workflow, $"{definition.Id}@{definition.Version}",
            after: JsonSerializer.Serialize(new { definition.Id, definition.Version, definition.Programme, Template = Generic, Steps = definition.Steps.Select(s => s.Id), record.ContentHash }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent choice for the same programme stored version 1 first.
            throw new DomainException("programmeId", $"创建方案「{programme.Header.Title}」已有工作流程，无需再选用。", ErrorKind.Conflict);
        }
        workflows.Add(definition);
        return definition;
    }
}

/// <summary>The API twin of 选用工作流程 on /campaigns/new.</summary>
public static class ProgrammeWorkflowEndpoints
{
    public static IEndpointRouteBuilder MapProgrammeWorkflow(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/programmes/{id}/workflow").WithTags("Programmes");
        api.MapGet("/", Get).RequireAuthorization().WithName("GetProgrammeWorkflow")
            .WithSummary("The workflow new campaigns of the programme run on (its newest version); 404 while it has none.");
        api.MapPost("/", Choose).RequireAuthorization(Policies.Office).WithName("ChooseProgrammeWorkflow")
            .WithSummary("Chooses the workflow of a programme that has none (an imported list): template 'generic' makes version 1 for the programme's phases (docs/workflow-format.md, 通用流程); 409 when it has one.");
        return app;
    }

    public static Ok<ProgrammeWorkflowView> Get(string id, ProgrammeCatalog programmes, WorkflowCatalog workflows) =>
        programmes.Find(id) is null ? throw new DomainException("id", $"没有编号为「{id}」的创建方案。", ErrorKind.NotFound)
        : TypedResults.Ok(ProgrammeWorkflowView.Of(workflows.ForProgramme(id)
            ?? throw new DomainException("id", $"创建方案「{id}」尚无工作流程：请先选用（POST /api/programmes/{id}/workflow）。", ErrorKind.NotFound)));

    public static async Task<Created<ProgrammeWorkflowView>> Choose(string id, ChooseWorkflow? body, HttpContext http, ProgrammeWorkflows choose, CancellationToken ct)
    {
        var definition = await choose.ChooseAsync(id, body?.Template, http.User.NameOf(), ct);
        return TypedResults.Created($"/api/programmes/{id}/workflow", ProgrammeWorkflowView.Of(definition));
    }
}
