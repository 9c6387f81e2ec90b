namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// 验收申请 (/campaigns/{id}/acceptance): the 90-point gate on the reviewed score, the gap, points at risk and where
/// points could still come from. Leaders read it; the office also generates the package here, through the same
/// <see cref="PackageService.WriteAsync"/> as the API, refused in zh-CN with the gap while the gate is closed.
/// </summary>
[Authorize(Roles = Roles.Office + "," + Roles.Leader)]
public sealed class AcceptanceModel(
    CampaignLoader loader, Standings standings, PackageService packages, AppDbContext db, EvidenceStore store, TimeProvider clock,
    RoadService road) : PageModel
{
    /// <summary>How many 初验 finding rows the form offers.</summary>
    public const int FindingRows = 3;

    public RoadView Road { get; private set; } = null!;
    public DateOnly Today { get; private set; }
    public string? RoadError { get; private set; }
    public string? RoadErrorField { get; private set; }
    [TempData] public string? RoadMessage { get; set; }

    public CampaignRecord Campaign { get; private set; } = null!;
    public Programme Programme { get; private set; } = null!;
    public Standing Standing { get; private set; } = null!;
    public bool CanGenerate => User.IsInRole(Roles.Office);

    [BindProperty] public string? Applicant { get; set; }
    [BindProperty] public string? ContactName { get; set; }
    [BindProperty] public string? ContactPhone { get; set; }

    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>Generates the package and returns it as a download; below the gate, the page with the refusal and the gap.</summary>
    public async Task<IActionResult> OnPostPackageAsync(Guid id, CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Office))
        {
            return Forbid();
        }
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        try
        {
            var (path, name) = await packages.WriteAsync(Campaign, Programme, Standing,
                new PackageRequest(Applicant ?? "", ContactName ?? "", ContactPhone ?? ""), User.NameOf(), ct);
            return PhysicalFile(path, "application/zip", name);
        }
        catch (DomainException e)
        {
            db.ChangeTracker.Clear();
            Error = e.Message;
            ErrorField = e.Field;
            Response.StatusCode = Refusals.StatusOf(e.Kind);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            (Campaign, Programme) = await loader.LoadAsync(id, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
        if (Programme.Header.Subject != ProgrammeSubject.City || Programme.Header.Gate is null)
        {
            return false;
        }
        Standing = await standings.StandingAsync(id, "", ct);
        var (_, _, record) = await road.LoadAsync(id, tracked: false, ct);
        Road = RoadView.Of(record, await road.FindingOrdersAsync(id, ct));
        Today = ChinaTime.Today(clock.GetUtcNow());
        return true;
    }

    /// <summary>Records the road's next step (the office): through the same <see cref="RoadService"/> as the API.</summary>
    public async Task<IActionResult> OnPostRoadAsync(
        Guid id, string? move, string? date, string? result, string? notes, string[]? findingText, string[]? findingUnit, string[]? findingRectifyBy,
        List<IFormFile>? files, CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Office))
        {
            return Forbid();
        }
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        return await this.ActAsync(db, id, async () =>
        {
            var step = await road.RecordAsync(id, RoadMove.FromForm(move, date, result, notes, findingText, findingUnit, findingRectifyBy), files, User.NameOf(), ct);
            return $"已记录「{Core.Acceptance.RoadLifecycle.Chinese(step.Trigger)}」（{step.Date:yyyy-MM-dd}）。";
        }, m => RoadMessage = m, () => LoadAsync(id, ct), r => (RoadError, RoadErrorField) = (r.Message, r.Field));
    }

    /// <summary>A document of a road step: same visibility as the page, always an attachment.</summary>
    public async Task<IActionResult> OnGetRoadFileAsync(Guid id, Guid fileId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || await db.RoadFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId, ct) is not { } file
            || Road.Steps.SelectMany(s => s.Files).All(f => f.Id != fileId))
        {
            return NotFound();
        }
        return store.Download(this, file.StoredName, file.FileName);
    }
}
