namespace CreationWorkflow.Web.Workflows;

/// <summary>工作流程 (/workflows, staff): every definition, its versions newest first and the campaigns running on each; the office edits and migrates from here.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(WorkflowCatalog workflows, AppDbContext db, Programmes.ProgrammeCatalog programmes) : PageModel
{
    public IReadOnlyList<WorkflowView> Definitions { get; private set; } = [];

    /// <summary>Programmes with no definition yet (an imported list), each with the definitions of the same kind to start from.</summary>
    public IReadOnlyList<(Core.Programmes.Programme Programme, IReadOnlyList<Core.Workflows.WorkflowDefinition> Models)> Without =>
        [.. programmes.All.Where(p => workflows.ForProgramme(p.Id) is null).Select(p => (p, (IReadOnlyList<Core.Workflows.WorkflowDefinition>)
            [.. workflows.Current.Where(d => programmes.Find(d.Programme)?.Header.Subject == p.Header.Subject)]))];

    public async Task OnGetAsync(CancellationToken ct) => Definitions = await WorkflowEndpoints.ViewsAsync(workflows, db, ct);
}
