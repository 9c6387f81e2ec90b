namespace CreationWorkflow.Web.Coverage;

/// <summary>
/// 创建覆盖率 (/programmes/{id}/coverage): every target of seed/coverage with its figure, a bar (red where short), the clause
/// and its source; coverage per division and field; demonstration units by level and year; 十百 points per year; and, for
/// the coverage item's lead units and the office, item 47's check as the register proposes it, confirmed with one click.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class CoverageModel(CoverageQuery coverage, ProgrammeCatalog programmes, CoverageCatalog catalog, AppDbContext db) : PageModel
{
    public RegisterScope Scope { get; private set; } = null!;
    public CoverageView View { get; private set; } = null!;
    public CoverageProposal? Proposal { get; private set; }
    public string? Error { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostConfirmAsync(string id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        if (Proposal is null || !Proposal.CanConfirm)
        {
            return Forbid();
        }
        try
        {
            await coverage.ConfirmAsync(Proposal.CampaignId, User, ct);
            Message = $"已按台账报送第{Proposal.Item}项自评事实（{(Proposal.Met ? "达标" : "未达标")}），等待创建办审核。";
            return Redirect($"/programmes/{id}/coverage");
        }
        catch (Exception e) when (Refusals.Of(e) is { } refusal)
        {
            db.ChangeTracker.Clear();
            Error = refusal.Message;
            Response.StatusCode = refusal.Status;
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(string id, CancellationToken ct)
    {
        try
        {
            Scope = RegisterScope.For(User, id, programmes, catalog);
        }
        catch (DomainException e)
        {
            return this.Denied(e);
        }
        View = await coverage.ReportAsync(Scope, ct);
        if (Scope.Division is null && Scope.Definition.Rule is not null
            && await db.Campaigns.Where(c => c.ProgrammeId == id).OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id)
                .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct) is { } campaign)
        {
            Proposal = await coverage.ProposalAsync(campaign, User, ct);
        }
        return null;
    }
}
