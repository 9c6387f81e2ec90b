using CreationWorkflow.Web.Accounts;
using CreationWorkflow.Web.Data;
using CreationWorkflow.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// 督查看板 (/supervision/board): every open assignment with its light, most days late first, filtered by unit, item,
/// phase and light. Inspectors and the office can 催办 a row; leaders read only.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class BoardModel(SupervisionBoard board, SupervisionService supervision, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public int? Item { get; set; }
    [BindProperty(SupportsGet = true)] public string? Phase { get; set; }
    [BindProperty(SupportsGet = true)] public string? Light { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNo { get; set; }
    [TempData] public string? Message { get; set; }

    public BoardView? View { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<(string Id, string Name)> Phases { get; private set; } = [];
    public bool CanUrge => User.IsInRole(Roles.Office) || User.IsInRole(Roles.Inspector);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostUrgeAsync(Guid assignmentId, string? note, CancellationToken ct)
    {
        if (!CanUrge)
        {
            return Forbid();
        }
        try
        {
            var notice = await supervision.UrgeAsync(new UrgeRequest(assignmentId, string.IsNullOrWhiteSpace(note) ? null : note), User.NameOf(), ct);
            Message = $"已催办{notice.Recipient.Replace(Reminders.Recipients.Office, "创建办", StringComparison.Ordinal)}：{notice.Title}";
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Error = e.Message;
            Response.StatusCode = Refusals.StatusOf(e.Kind);
            await LoadAsync(ct);
            return Page();
        }
        return RedirectToPage(new { unit = Unit, item = Item, phase = Phase, light = Light, p = PageNo });
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Phases = (await db.Set<Campaigns.CampaignPhaseRecord>().Select(p => new { p.PhaseId, p.Name }).Distinct().ToListAsync(ct))
            .DistinctBy(p => p.PhaseId).Select(p => (p.PhaseId, p.Name)).ToList();
        try
        {
            View = await board.QueryAsync(new BoardQuery(null, Unit, Item, Phase, Light, PageNo, SupervisionBoard.DefaultPageSize), ct);
        }
        catch (DomainException e)
        {
            Error ??= e.Message;
            Response.StatusCode = Refusals.StatusOf(e.Kind);
        }
    }

    /// <summary>The XLSX export of every row under the current filters.</summary>
    public string ExportLink =>
        $"/supervision/board.xlsx?unit={Uri.EscapeDataString(Unit ?? "")}&item={Item}&phase={Uri.EscapeDataString(Phase ?? "")}&light={Uri.EscapeDataString(Light ?? "")}";

    public string PageLink(int page) =>
        $"/supervision/board?unit={Uri.EscapeDataString(Unit ?? "")}&item={Item}&phase={Uri.EscapeDataString(Phase ?? "")}&light={Uri.EscapeDataString(Light ?? "")}&p={page}";
}
