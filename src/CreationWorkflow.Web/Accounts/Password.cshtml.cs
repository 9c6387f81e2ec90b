namespace CreationWorkflow.Web.Accounts;

/// <summary>修改密码 (/account/password, every signed-in user): required after a new account or a reset; ends the user's other sessions.</summary>
public sealed class PasswordModel(AccountService accounts, SignInManager<AppUser> signIn) : PageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public bool Forced => User.HasClaim(ForcedPasswordChange.Claim, "true");
    public bool Done { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    public string? ErrorFor(string field) => ErrorField == field ? Error : null;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (NewPassword != ConfirmPassword)
        {
            return Refuse("newPassword", "两次输入的新密码不一致。");
        }
        try
        {
            var user = await accounts.ChangeOwnPasswordAsync(User.IdOf(), CurrentPassword, NewPassword, ct);
            // The stamp changed: this browser signs in anew (other cookies and tokens of the user have ended).
            signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
            await signIn.SignInAsync(user, isPersistent: false);
        }
        catch (DomainException e)
        {
            return Refuse(e.Field, e.Message);
        }
        Done = true;
        return Page();
    }

    private PageResult Refuse(string field, string message)
    {
        (ErrorField, Error) = (field, message);
        this.Invalid();
        return Page();
    }
}
