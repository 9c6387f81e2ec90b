using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CreationWorkflow.Web.Workflows;

/// <summary>工作流程 (/workflows, staff): every definition, its versions newest first and the campaigns running on each; the office edits and migrates from here.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel(WorkflowCatalog workflows, AppDbContext db) : PageModel
{
    public IReadOnlyList<WorkflowView> Definitions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Definitions = await WorkflowEndpoints.ViewsAsync(workflows, db, ct);
}
