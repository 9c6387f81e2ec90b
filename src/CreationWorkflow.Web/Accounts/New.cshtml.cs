namespace CreationWorkflow.Web.Accounts;

/// <summary>新建账户 (/accounts/new, office): the temporary password is shown once on the answer page and never stored.</summary>
[Authorize(Policy = Policies.Office)]
public sealed class NewAccountModel(AccountService accounts) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public List<string> SelectedRoles { get; set; } = [];
    [BindProperty] public string? Unit { get; set; }

    public IReadOnlyList<string> Units { get; private set; } = [];
    public IssuedPassword? Issued { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Units = await accounts.UnitsAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Units = await accounts.UnitsAsync(ct);
        try
        {
            Issued = await accounts.CreateAsync(new NewAccount(UserName ?? "", DisplayName ?? "", SelectedRoles, Unit, Phone, Email), User.NameOf(), ct);
        }
        catch (DomainException e)
        {
            (ErrorField, Error) = (e.Field, e.Message);
            this.RefusedByForm(e);
        }
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
