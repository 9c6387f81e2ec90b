namespace CreationWorkflow.Web.Accounts;

public sealed record TokenRequest(string UserName, string Password);

public sealed record MeResponse(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Unit);

public sealed record UnitBinding(string? Unit);

public sealed record RoleChange(IReadOnlyList<string> Roles, string? Unit = null);

public sealed record PasswordChange(string CurrentPassword, string NewPassword);

public sealed record ImportResult(IReadOnlyList<ImportedAccount> Accounts);

/// <summary>Bearer tokens for machines (pages use the cookie sign-in at /account/login), and the office's account API.</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Accounts");
        api.MapPost("/token", Token).AllowAnonymous().WithName("GetToken")
            .WithSummary("Exchanges a user name and password for a bearer token (Authorization: Bearer …). Rate-limited per client address.");
        api.MapGet("/me", Me).WithName("WhoAmI");

        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts");
        accounts.MapPost("/me/password", ChangeOwnPassword).WithName("ChangeOwnPassword")
            .WithSummary("The signed-in user changes the password; every token and cookie of the user ends (get a new token).");
        var office = accounts.MapGroup("").RequireAuthorization(Policies.Office);
        office.MapGet("", List).WithName("ListAccounts").WithSummary("Accounts, searched by user name, name, unit or phone, filtered by role; paged.");
        office.MapPost("", Create).WithName("CreateAccount").WithSummary("Creates an account; its temporary password is in the answer, once.");
        office.MapGet("/{id}", Get).WithName("GetAccount");
        office.MapPut("/{id}/unit", BindUnit).WithName("BindAccountUnit").WithSummary("Binds a unit user to a unit of the directory.");
        office.MapPut("/{id}/roles", SetRoles).WithName("SetAccountRoles");
        office.MapPost("/{id}/reset-password", ResetPassword).WithName("ResetAccountPassword")
            .WithSummary("A new temporary password (in the answer, once), to be changed at the next sign-in; the user's sessions end.");
        office.MapPost("/{id}/deactivate", Deactivate).WithName("DeactivateAccount").WithSummary("The user can no longer sign in; cookies and tokens end at once.");
        office.MapPost("/{id}/reactivate", Reactivate).WithName("ReactivateAccount");
        office.MapPost("/import", Import).DisableAntiforgery().WithName("ImportAccounts")
            .WithSummary("XLSX with the columns 单位, 姓名, 手机 (the user name), 邮箱, 角色: all rows or none; the temporary passwords in the answer, once.");
        return api;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Token(TokenRequest request, SignInService signIn, HttpContext http, CancellationToken ct)
    {
        Infrastructure.Input.Bounded(request.UserName, "userName", Infrastructure.Input.NameLength);
        Infrastructure.Input.Bounded(request.Password, "password", Infrastructure.Input.PasswordLength);
        var (outcome, message) = await signIn.SignInAsync(http, IdentityConstants.BearerScheme, request.UserName, request.Password, ct);
        return outcome == SignInOutcome.Succeeded
            ? TypedResults.Empty // the bearer handler has written the token response
            : TypedResults.Problem(message, statusCode: StatusCodes.Status401Unauthorized, title: "登录失败");
    }

    public static async Task<Ok<MeResponse>> Me(HttpContext context, UserManager<AppUser> users)
    {
        var user = await users.GetUserAsync(context.User) ?? throw new InvalidOperationException("signed-in user not found");
        return TypedResults.Ok(new MeResponse(user.UserName!, user.DisplayName, [.. await users.GetRolesAsync(user)], user.Unit));
    }

    public static async Task<NoContent> ChangeOwnPassword(PasswordChange body, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        await accounts.ChangeOwnPasswordAsync(http.User.IdOf(), body.CurrentPassword, body.NewPassword, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<Page<AccountView>>> List(string? q, string? role, int? page, int? pageSize, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.ListAsync(q, role, page, pageSize, ct));

    public static async Task<Created<IssuedPassword>> Create(NewAccount body, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var issued = await accounts.CreateAsync(body, http.User.NameOf(), ct);
        return TypedResults.Created($"/api/accounts/{issued.Account.Id}", issued);
    }

    public static async Task<Results<Ok<AccountView>, NotFound>> Get(string id, AccountService accounts, CancellationToken ct) =>
        await accounts.FindAsync(id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    public static async Task<Ok<AccountView>> BindUnit(string id, UnitBinding body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.BindUnitAsync(id, body.Unit, http.User.NameOf(), ct));

    public static async Task<Ok<AccountView>> SetRoles(string id, RoleChange body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.SetRolesAsync(id, body.Roles, body.Unit, http.User.NameOf(), http.User.IdOf(), ct));

    public static async Task<Ok<IssuedPassword>> ResetPassword(string id, HttpContext http, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.ResetPasswordAsync(id, http.User.NameOf(), ct));

    public static async Task<Ok<AccountView>> Deactivate(string id, HttpContext http, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.SetActiveAsync(id, false, http.User.NameOf(), http.User.IdOf(), ct));

    public static async Task<Ok<AccountView>> Reactivate(string id, HttpContext http, AccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.SetActiveAsync(id, true, http.User.NameOf(), http.User.IdOf(), ct));

    public static async Task<Results<Ok<ImportResult>, ValidationProblem>> Import(
        IFormFile? file, HttpContext http, AccountImport import, CancellationToken ct) =>
        await SheetImport.UploadAsync(file, async (f, content) =>
            new ImportResult(await import.ImportAsync(f.FileName, content, f.Length, http.User.NameOf(), ct)), "导入失败，未保存任何账户");

}
