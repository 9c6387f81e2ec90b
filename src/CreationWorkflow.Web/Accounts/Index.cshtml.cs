namespace CreationWorkflow.Web.Accounts;

/// <summary>账户管理 (/accounts, office): the accounts, searched and filtered by role, 50 a page.</summary>
[Authorize(Policy = Policies.Office)]
public sealed class IndexModel(AccountService accounts) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public Page<AccountView> Accounts { get; private set; } = new([], 0, 1, 50);
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Accounts = await accounts.ListAsync(Q, Role, PageNumber, null, ct);
        }
        catch (DomainException e)
        {
            Error = e.Message;
            this.Invalid();
        }
    }

    public static string State(AccountView a) => !a.Active ? "已停用" : a.MustChangePassword ? "待修改临时密码" : "正常";
}
