namespace CreationWorkflow.Web.Accounts;

[AllowAnonymous]
public sealed class LoginModel(SignInService signIn) : PageModel
{
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (outcome, message) = await signIn.SignInAsync(HttpContext, IdentityConstants.ApplicationScheme, UserName, Password, ct);
        if (outcome != SignInOutcome.Succeeded)
        {
            Error = message;
            return Page();
        }
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
