namespace CreationWorkflow.Web.Accounts;

/// <summary>One account (/accounts/{id}, office): roles, unit binding, password reset, deactivation — each through <see cref="AccountService"/>.</summary>
[Authorize(Policy = Policies.Office)]
public sealed class EditAccountModel(AccountService accounts) : PageModel
{
    public AccountView Account { get; private set; } = null!;
    public IReadOnlyList<string> Units { get; private set; } = [];
    public string? Message { get; private set; }
    public string? TemporaryPassword { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostRolesAsync(string id, List<string> selectedRoles, string? unit, CancellationToken ct) =>
        ActAsync(id, () => accounts.SetRolesAsync(id, selectedRoles, unit, User.NameOf(), User.IdOf(), ct), "角色已保存；该用户须重新登录。", ct);

    public Task<IActionResult> OnPostUnitAsync(string id, string? unit, CancellationToken ct) =>
        ActAsync(id, () => accounts.BindUnitAsync(id, unit, User.NameOf(), ct), "单位已绑定；该用户须重新登录。", ct);

    public Task<IActionResult> OnPostResetAsync(string id, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var issued = await accounts.ResetPasswordAsync(id, User.NameOf(), ct);
            TemporaryPassword = issued.TemporaryPassword;
            Response.Headers.CacheControl = "no-store";
            return issued.Account;
        }, "密码已重置。", ct);

    public Task<IActionResult> OnPostDeactivateAsync(string id, CancellationToken ct) =>
        ActAsync(id, () => accounts.SetActiveAsync(id, false, User.NameOf(), User.IdOf(), ct), "账户已停用，其登录和令牌已失效。", ct);

    public Task<IActionResult> OnPostReactivateAsync(string id, CancellationToken ct) =>
        ActAsync(id, () => accounts.SetActiveAsync(id, true, User.NameOf(), User.IdOf(), ct), "账户已恢复。", ct);

    private async Task<IActionResult> ActAsync(string id, Func<Task<AccountView>> act, string done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        try
        {
            Account = await act();
            Message = done;
        }
        catch (DomainException e)
        {
            (ErrorField, Error) = (e.Field, e.Message);
            this.RefusedByForm(e);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        if (await accounts.FindAsync(id, ct) is not { } account)
        {
            return false;
        }
        Account = account;
        Units = await accounts.UnitsAsync(ct);
        return true;
    }
}
