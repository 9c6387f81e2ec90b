namespace CreationWorkflow.Web.Infrastructure;

/// <summary>
/// The pages' side of the one mapping (<see cref="Refusals"/>): a refusal shown beside the page's field with the mapper's
/// status, and a page whose own subject is refused answered 404 or 403 — the same way on every page.
/// </summary>
public static class PageRefusals
{
    /// <summary>
    /// Sets the response to the refusal's status and gives it back for the page to show (field and zh-CN reason). When
    /// <paramref name="namedByForm"/>, what was not found was named by the form, not the page's subject: the form's fault, 400.
    /// </summary>
    public static Refusal Refused(this PageModel page, DomainException e, bool namedByForm = false)
    {
        var refusal = Refusals.Of(e);
        page.Response.StatusCode = namedByForm && refusal.IsNotFound ? StatusCodes.Status400BadRequest : refusal.Status;
        return refusal;
    }

    /// <summary>
    /// The status of a form whose every refusal is the form's fault (400), but for a conflict with what is stored (409):
    /// the account forms, where what is not found or not allowed was named by the form.
    /// </summary>
    public static void RefusedByForm(this PageModel page, DomainException e) =>
        page.Response.StatusCode = Refusals.StatusOf(e.Kind) == StatusCodes.Status409Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;

    /// <summary>The status of a form refused as its own fault (a blank field, a refused sheet, a definition that does not load): 400.</summary>
    public static void Invalid(this PageModel page) => page.Response.StatusCode = StatusCodes.Status400BadRequest;

    /// <summary>The answer when the page's own subject is refused: 404 when it does not exist, 403 when the caller may not see it.</summary>
    public static IActionResult Denied(this PageModel page, DomainException e) =>
        e.Kind == ErrorKind.NotFound ? page.NotFound() : page.Forbid();

    /// <summary>
    /// A page's one way to act on its subject <paramref name="id"/>: run the change, say what was done (<paramref name="done"/>)
    /// and redirect; on a refusal nothing is kept, the page is loaded again (<paramref name="reload"/>) and shows the refusal
    /// (<paramref name="show"/>) with its status — 404 when it is not to be seen.
    /// </summary>
    public static async Task<IActionResult> ActAsync(
        this PageModel page, AppDbContext db, Guid id, Func<Task<string>> act, Action<string> done, Func<Task<bool>> reload, Action<Refusal> show)
    {
        try
        {
            done(await act());
            return page.RedirectToPage(new { id });
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear();
            if (r.IsNotFound || !await reload())
            {
                return page.NotFound();
            }
            show(r);
            page.Response.StatusCode = r.Status;
            return page.Page();
        }
    }
}
