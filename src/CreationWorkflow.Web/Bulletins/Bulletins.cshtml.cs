namespace CreationWorkflow.Web.Bulletins;

/// <summary>
/// 工作进展通报 (/campaigns/{id}/bulletins): the campaign's bulletins, newest first, each with its DOCX and XLSX; the
/// office builds one for an ended month here, through the same <see cref="BulletinService"/> as the API. Staff read every
/// campaign's, a unit user those of a campaign its unit has work in (anyone else 404).
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class BulletinsModel(BulletinService bulletins, AppDbContext db) : PageModel
{
    public CampaignRecord Campaign { get; private set; } = null!;
    public IReadOnlyList<BulletinView> Items { get; private set; } = [];

    /// <summary>The months the office may build for, newest first (none for other roles).</summary>
    public IReadOnlyList<BulletinPeriod> Periods { get; private set; } = [];

    public bool CanBuild => User.IsInRole(Roles.Office);

    /// <summary>The campaign's definition builds one on the first working day of each month.</summary>
    public bool Scheduled { get; private set; }
    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>A stored file, for users signed in by cookie (the API twin takes bearer tokens).</summary>
    public async Task<IActionResult> OnGetDownloadAsync(Guid id, string? period, string? format, CancellationToken ct)
    {
        try
        {
            var file = await bulletins.FileAsync(id, period ?? "", format ?? "", User, ct);
            return File(file.Bytes, file.ContentType, file.FileName);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            return BadRequest(e.Message);
        }
    }

    public async Task<IActionResult> OnPostBuildAsync(Guid id, string? period, CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Office))
        {
            return Forbid();
        }
        try
        {
            var built = await bulletins.BuildAsync(id, new BuildBulletin(period ?? ""), User, ct);
            Message = built.Created
                ? $"已生成{built.Bulletin.PeriodLabel}通报（数据截至{built.Bulletin.AsOf:yyyy-MM-dd}），并已通知领导小组和各单位。"
                : $"{built.Bulletin.PeriodLabel}通报已于{built.Bulletin.AsOf:yyyy-MM-dd}生成，每期只生成一次，可直接下载。";
            return RedirectToPage(new { id });
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear();
            if (r.Status == StatusCodes.Status404NotFound || !await LoadAsync(id, ct))
            {
                return NotFound();
            }
            (Error, ErrorField) = (r.Message, r.Field);
            Response.StatusCode = r.Status;
            return Page();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Campaign = await bulletins.CampaignAsync(id, User, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
        Items = await bulletins.ListAsync(id, User, ct);
        Scheduled = bulletins.IsScheduled(Campaign);
        if (CanBuild && bulletins.Periods(Campaign) is { } range)
        {
            var periods = new List<BulletinPeriod>();
            for (var p = range.Last; p.First >= range.First.First; p = p.Previous)
            {
                periods.Add(p);
            }
            Periods = periods;
        }
        return true;
    }
}
