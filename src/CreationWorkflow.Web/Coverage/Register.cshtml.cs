namespace CreationWorkflow.Web.Coverage;

/// <summary>
/// 创建单位台账 (/programmes/{id}/register): the places, filtered and paged; a county enters its own (one by one or by XLSX
/// import), moves them through their lifecycle and enters its denominators; the office does the same for any division and
/// approves or returns the counties' entries. All through <see cref="RegisterService"/>, as the API does.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class RegisterModel(RegisterService register, RegisterImport import, ProgrammeCatalog programmes, CoverageCatalog catalog) : PageModel
{
    public RegisterScope Scope { get; private set; } = null!;
    public Page<PlaceView> Places { get; private set; } = new([], 0, 1, 20);
    public IReadOnlyList<DenominatorView> Denominators { get; private set; } = [];
    public string? Division { get; private set; }
    public string? Field { get; private set; }
    public PlaceState? State { get; private set; }
    public PlaceReview? Review { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public IReadOnlyList<string> ImportErrors { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    public string Base => $"/programmes/{Scope.Definition.ProgrammeId}/register";

    public async Task<IActionResult> OnGetAsync(string id, string? division, string? field, string? state, string? review, int? page, CancellationToken ct)
    {
        if (Resolve(id) is { } refused)
        {
            return refused;
        }
        (Division, Field) = (Blank(division), Blank(field));
        State = Enum.TryParse<PlaceState>(state, ignoreCase: true, out var s) && char.IsLetter((state ?? "?")[0]) ? s : null;
        Review = Enum.TryParse<PlaceReview>(review, ignoreCase: true, out var r) && char.IsLetter((review ?? "?")[0]) ? r : null;
        try
        {
            Places = await register.ListAsync(Scope, new PlaceQuery(Division, Field, State, Review, page), ct);
        }
        catch (DomainException e)
        {
            var refusal = this.Refused(e);
            (Error, ErrorField) = (refusal.Message, refusal.Field);
            Places = await register.ListAsync(Scope, new PlaceQuery(), ct);
        }
        Denominators = await register.DenominatorsAsync(Scope, ct);
        return Page();
    }

    public Task<IActionResult> OnPostAddAsync(
        string id, string? division, string? field, string? name, string? state, string? level, DateOnly? namedOn, bool tenHundred, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var s = PlaceLifecycle.Parse(state) ?? PlaceState.NotStarted;
            var place = await register.AddAsync(Scope, new PlaceRequest(division ?? "", field ?? "", name ?? "", s, Naming.Parse(level), namedOn, tenHundred), User.NameOf(), ct);
            return $"已录入「{place.Name}」（{place.StateText}）" + (place.Review == PlaceReview.Pending ? "，等待创建办审核。" : "。");
        }, ct);

    public Task<IActionResult> OnPostMoveAsync(string id, long placeId, string? to, string? level, DateOnly? namedOn, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var target = PlaceLifecycle.Parse(to) ?? throw new DomainException("to", "请选择要变更到的状态。");
            var place = await register.MoveAsync(Scope, placeId, new PlaceMoveRequest(target, Naming.Parse(level), namedOn), User.NameOf(), ct);
            return $"「{place.Name}」已变更为「{place.StateText}」" + (place.Review == PlaceReview.Pending ? "，等待创建办审核。" : "。");
        }, ct);

    /// <summary>修改: a county its own place not yet approved (back to 待审核), the office any.</summary>
    public Task<IActionResult> OnPostEditAsync(
        string id, long placeId, string? field, string? name, string? state, string? level, DateOnly? namedOn, bool tenHundred, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var s = PlaceLifecycle.Parse(state) ?? throw new DomainException("state", "请选择状态。");
            var place = await register.EditAsync(Scope, placeId, new PlaceEditRequest(field ?? "", name ?? "", s, Naming.Parse(level), namedOn, tenHundred), User.NameOf(), ct);
            return $"已修改「{place.Name}」" + (place.Review == PlaceReview.Pending ? "，等待创建办重新审核。" : "。");
        }, ct);

    /// <summary>删除: a county its own place not yet approved, the office any.</summary>
    public Task<IActionResult> OnPostDeleteAsync(string id, long placeId, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var name = (await register.FindAsync(Scope, placeId, ct)).Name;
            await register.DeleteAsync(Scope, placeId, User.NameOf(), ct);
            return $"已删除「{name}」" + (Scope.CanReview ? "。" : "，已告知创建办。");
        }, ct);

    public Task<IActionResult> OnPostReviewAsync(string id, long placeId, string? decision, string? reason, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var place = await register.ReviewAsync(Scope, placeId, new PlaceReviewRequest(decision ?? "", reason), User.NameOf(), ct);
            return place.Review == PlaceReview.Approved ? $"「{place.Name}」已审核通过。" : $"「{place.Name}」已退回，{place.Division}将看到理由。";
        }, ct);

    public Task<IActionResult> OnPostDenominatorAsync(string id, string? division, string? field, int? count, string? source, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var d = await register.SetDenominatorAsync(Scope,
                new DenominatorRequest(division ?? "", field ?? "", count ?? throw new DomainException("count", "请填写应创建数。"), source ?? ""), User.NameOf(), ct);
            return $"已保存{d.Division}「{d.FieldName}」应创建数 {d.Count}。";
        }, ct);

    public async Task<IActionResult> OnPostImportAsync(string id, IFormFile? upload, CancellationToken ct)
    {
        if (Resolve(id) is { } refused)
        {
            return refused;
        }
        if (!Scope.CanEdit)
        {
            return Forbid();
        }
        if (upload is null)
        {
            ImportErrors = ["请选择要导入的 XLSX 文件。"];
        }
        else
        {
            try
            {
                await using var content = upload.OpenReadStream();
                var n = await import.ImportAsync(Scope, upload.FileName, content, upload.Length, User.NameOf(), ct);
                Message = $"已导入 {n} 个创建单位" + (Scope.CanReview ? "。" : "，等待创建办审核。");
                return Redirect(Base);
            }
            catch (RegisterImportException e)
            {
                ImportErrors = e.Errors;
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Places = await register.ListAsync(Scope, new PlaceQuery(), ct);
        Denominators = await register.DenominatorsAsync(Scope, ct);
        return Page();
    }

    private async Task<IActionResult> ActAsync(string id, Func<Task<string>> act, CancellationToken ct)
    {
        if (Resolve(id) is { } refused)
        {
            return refused;
        }
        try
        {
            Message = await act();
            return Redirect(Base);
        }
        catch (Exception e) when (Refusals.Of(e) is { } refusal)
        {
            if (refusal.IsNotFound)
            {
                return NotFound();
            }
            if (refusal.Status == StatusCodes.Status403Forbidden)
            {
                return Forbid();
            }
            (Error, ErrorField) = (refusal.Message, refusal.Field);
            Response.StatusCode = refusal.Status;
            Places = await register.ListAsync(Scope, new PlaceQuery(), ct);
            Denominators = await register.DenominatorsAsync(Scope, ct);
            return Page();
        }
    }

    /// <summary>The caller's scope, or the refusal: an unknown programme 404, a unit without a part in the register 403.</summary>
    private IActionResult? Resolve(string id)
    {
        try
        {
            Scope = RegisterScope.For(User, id, programmes, catalog);
            return null;
        }
        catch (DomainException e)
        {
            return this.Denied(e);
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public string PageLink(int page) =>
        $"{Base}?division={Uri.EscapeDataString(Division ?? "")}&field={Uri.EscapeDataString(Field ?? "")}&state={State}&review={Review}&page={page}";
}
