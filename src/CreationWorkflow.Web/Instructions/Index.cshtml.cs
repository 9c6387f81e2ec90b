namespace CreationWorkflow.Web.Instructions;

/// <summary>
/// 领导批示 (/instructions): the instructions the caller may see (staff all, a unit user those naming its unit), open ones
/// first if asked; the leaders' form on an item, order or bulletin page posts here (<see cref="OnPostIssueAsync"/>) and
/// goes back to that page. A refusal is shown here with the form's text kept, and nothing is stored.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class IndexModel(InstructionService service, InstructionQuery query, AppDbContext db) : PageModel
{
    public Page<InstructionView> Items { get; private set; } = new([], 0, 1, 20);
    public bool OpenOnly { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public string? Text { get; private set; }
    public string? ReturnUrl { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(bool? open, int? page, CancellationToken ct)
    {
        OpenOnly = open ?? false;
        Items = await query.ListAsync(User, new InstructionFilter(OpenOnly: OpenOnly, Page: page), ct);
        return Page();
    }

    /// <summary>作出批示: leaders only.</summary>
    public async Task<IActionResult> OnPostIssueAsync(
        Guid campaignId, string? subject, string? subjectKey, string[]? units, string? text, DateOnly? dueDate, string? returnUrl, CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Leader))
        {
            return Forbid();
        }
        (Text, ReturnUrl) = (text, Url.IsLocalUrl(returnUrl) ? returnUrl : null);
        try
        {
            var on = InstructionFilter.SubjectOf(subject) ?? throw new DomainException("subject", "请指明批示对象。");
            var due = dueDate ?? throw new DomainException("dueDate", "请填写办理期限。");
            var i = await service.IssueAsync(new IssueInstructionRequest(campaignId, on, subjectKey ?? "", units ?? [], text ?? "", due), User.NameOf(), ct);
            Message = $"已对{i.SubjectTitle}作出批示，已通知{string.Join("、", i.Targets.Select(t => t.Unit))}。";
            return Redirect((ReturnUrl ?? $"/instructions/{i.Id}") + "#instructions");
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear();
            (Error, ErrorField) = (r.Message, r.Field);
            Response.StatusCode = r.Status;
            Items = await query.ListAsync(User, new InstructionFilter(), ct);
            return Page();
        }
    }
}
