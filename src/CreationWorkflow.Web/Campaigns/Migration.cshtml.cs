namespace CreationWorkflow.Web.Campaigns;

/// <summary>
/// 迁移到新版流程 (/campaigns/{id}/migration, office): choose a version of the campaign's workflow, see the dry run (tasks added,
/// cancelled, re-dated, folded, open tasks that would lose their work, finished work kept, and what blocks it), then 确认迁移 —
/// applied by <see cref="CampaignService.MigrateAsync"/> in one transaction. Losing open work needs the box ticked.
/// </summary>
[Authorize(Policy = Policies.Office)]
public sealed class MigrationModel(CampaignService campaigns, WorkflowCatalog workflows, AppDbContext db) : PageModel
{
    public CampaignRecord Campaign { get; private set; } = null!;

    /// <summary>The other versions of the campaign's workflow, newest first.</summary>
    public IReadOnlyList<Core.Workflows.WorkflowDefinition> Targets { get; private set; } = [];

    public MigrationPreview? Preview { get; private set; }

    [BindProperty(SupportsGet = true)] public int? To { get; set; }
    [BindProperty] public bool AcceptLoss { get; set; }

    public string? Error { get; private set; }

    /// <summary>The version the selector shows: the one asked for, else the newest other one.</summary>
    public int? Selected => To ?? Targets.FirstOrDefault()?.Version;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        // The dry run reads the whole campaign: only on request (试运行, or a link that names the version).
        if (To is { } to)
        {
            try
            {
                Preview = await campaigns.PreviewAsync(id, to, ct);
            }
            catch (DomainException e) when (e.Kind != ErrorKind.NotFound || e.Field != "id")
            {
                Error = e.Message;
            }
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (To is not { } to)
        {
            Error = "请选择要迁移到的版本。";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        try
        {
            var done = await campaigns.MigrateAsync(id, to, User.NameOf(), ct, AcceptLoss);
            TempData["Message"] = $"已迁移到第{done.ToVersion}版：新增 {done.Added} 项，撤销 {done.Cancelled - done.Folded} 项，并入单位报告 {done.Folded} 项，改期 {done.Redated} 项；已办结的 {done.Kept} 项保持不变。";
            return Redirect($"/campaigns/{id}/setup");
        }
        catch (DomainException e) when (e.Field != "id")
        {
            Error = e.Message;
            Response.StatusCode = Refusals.StatusOf(e.Kind) == StatusCodes.Status404NotFound ? StatusCodes.Status400BadRequest : Refusals.StatusOf(e.Kind);
            db.ChangeTracker.Clear();
            if (await LoadAsync(id, ct))
            {
                try
                {
                    Preview = await campaigns.PreviewAsync(id, to, ct);
                }
                catch (DomainException)
                {
                    // the version itself is wrong: the reason above says so
                }
            }
            return Page();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is not { } campaign)
        {
            return false;
        }
        await workflows.RefreshAsync(db, ct);
        Campaign = campaign;
        Targets = [.. workflows.VersionsOf(campaign.WorkflowId).Where(d => d.Version != campaign.WorkflowVersion).OrderByDescending(d => d.Version)];
        return true;
    }
}
