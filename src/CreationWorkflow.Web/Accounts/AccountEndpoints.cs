using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CreationWorkflow.Web.Accounts;

public sealed record TokenRequest(string UserName, string Password);

public sealed record MeResponse(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Unit);

/// <summary>Bearer tokens for machines; pages use the cookie sign-in at /account/login.</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Accounts");
        api.MapPost("/token", Token).AllowAnonymous().WithName("GetToken")
            .WithSummary("Exchanges a user name and password for a bearer token (Authorization: Bearer …).");
        api.MapGet("/me", Me).WithName("WhoAmI");
        return api;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Token(TokenRequest request, SignInManager<AppUser> signIn)
    {
        Infrastructure.Input.Bounded(request.UserName, "userName", Infrastructure.Input.NameLength);
        Infrastructure.Input.Bounded(request.Password, "password", Infrastructure.Input.PasswordLength);
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.UserName, request.Password, isPersistent: false, lockoutOnFailure: true);
        return result.Succeeded
            ? TypedResults.Empty // the bearer handler has written the token response
            : TypedResults.Problem(result.IsLockedOut ? "账户已锁定，请稍后再试。" : "用户名或密码错误。",
                statusCode: StatusCodes.Status401Unauthorized, title: "登录失败");
    }

    public static async Task<Ok<MeResponse>> Me(HttpContext context, UserManager<AppUser> users)
    {
        var user = await users.GetUserAsync(context.User) ?? throw new InvalidOperationException("signed-in user not found");
        return TypedResults.Ok(new MeResponse(user.UserName!, user.DisplayName, [.. await users.GetRolesAsync(user)], user.Unit));
    }
}
