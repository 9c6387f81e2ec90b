namespace CreationWorkflow.Web.Inspection;

/// <summary>
/// The 互观互检 pages' one way to act: run the change, say what was done and redirect; on a refusal (<see cref="Refusals"/>)
/// nothing is kept, the page is loaded again and shows the refusal with its status (404 when it is not to be seen).
/// </summary>
public abstract class InspectionPageModel(AppDbContext db) : PageModel
{
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    [TempData] public string? Message { get; set; }

    protected abstract Task<bool> LoadAsync(Guid id, CancellationToken ct);

    protected Task<IActionResult> ActAsync(Guid id, Func<Task<string>> act, CancellationToken ct) =>
        this.ActAsync(db, id, act, m => Message = m, () => LoadAsync(id, ct), r => (Error, ErrorField) = (r.Message, r.Field));
}
