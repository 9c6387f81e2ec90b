using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;

namespace CreationWorkflow.Web.Accounts;

/// <summary>
/// The security stamp, checked on every request for cookies and bearer tokens alike: a principal whose stamp is no
/// longer the user's (password, role or unit changed; deactivated) or whose user is deactivated is refused.
/// </summary>
public sealed class AppSignInManager(
    UserManager<AppUser> users, IHttpContextAccessor context, IUserClaimsPrincipalFactory<AppUser> claims, IOptions<IdentityOptions> options,
    ILogger<SignInManager<AppUser>> logger, IAuthenticationSchemeProvider schemes, IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(users, context, claims, options, logger, schemes, confirmation)
{
    public override async Task<AppUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal) =>
        await base.ValidateSecurityStampAsync(principal) is { DeactivatedAt: null } user ? user : null;

    public override async Task<bool> CanSignInAsync(AppUser user) => user.DeactivatedAt is null && await base.CanSignInAsync(user);
}

/// <summary>Identity's bearer tokens with the security stamp checked: a token of a changed or deactivated user answers 401 at once.</summary>
public sealed class StampedBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "cw.bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = await Context.AuthenticateAsync(IdentityConstants.BearerScheme);
        if (!result.Succeeded)
        {
            return result;
        }
        var signIn = Context.RequestServices.GetRequiredService<SignInManager<AppUser>>();
        return await signIn.ValidateSecurityStampAsync(result.Principal) is null
            ? AuthenticateResult.Fail("The token's security stamp is no longer valid.")
            : AuthenticateResult.Success(new AuthenticationTicket(result.Principal, result.Properties, Name));
    }
}

/// <summary>Identity's messages in Chinese (they reach users: the create-admin command, the account pages, the API).</summary>
public sealed class ChineseIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => E(nameof(DefaultError), "操作失败。");
    public override IdentityError PasswordMismatch() => E(nameof(PasswordMismatch), "密码不正确。");
    public override IdentityError PasswordTooShort(int length) => E(nameof(PasswordTooShort), $"密码太短：至少{length}个字符。");
    public override IdentityError PasswordRequiresDigit() => E(nameof(PasswordRequiresDigit), "密码须包含数字（0-9）。");
    public override IdentityError PasswordRequiresLower() => E(nameof(PasswordRequiresLower), "密码须包含小写字母（a-z）。");
    public override IdentityError PasswordRequiresUpper() => E(nameof(PasswordRequiresUpper), "密码须包含大写字母（A-Z）。");
    public override IdentityError PasswordRequiresNonAlphanumeric() => E(nameof(PasswordRequiresNonAlphanumeric), "密码须包含符号。");
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => E(nameof(PasswordRequiresUniqueChars), $"密码须包含至少{uniqueChars}个不同的字符。");
    public override IdentityError InvalidUserName(string? userName) => E(nameof(InvalidUserName), $"用户名「{userName}」无效：只能使用字母、数字和 - . _ @ +。");
    public override IdentityError DuplicateUserName(string userName) => E(nameof(DuplicateUserName), $"用户名「{userName}」已被使用。");
    public override IdentityError InvalidEmail(string? email) => E(nameof(InvalidEmail), $"「{email}」不是有效的电子邮箱地址。");
    public override IdentityError DuplicateEmail(string email) => E(nameof(DuplicateEmail), $"电子邮箱「{email}」已被使用。");
    public override IdentityError UserAlreadyHasPassword() => E(nameof(UserAlreadyHasPassword), "该账户已设置密码。");
    public override IdentityError UserAlreadyInRole(string role) => E(nameof(UserAlreadyInRole), $"该账户已有角色「{Roles.Chinese(role)}」。");
    public override IdentityError UserNotInRole(string role) => E(nameof(UserNotInRole), $"该账户没有角色「{Roles.Chinese(role)}」。");
    public override IdentityError ConcurrencyFailure() => E(nameof(ConcurrencyFailure), "账户已被他人修改，请刷新后重试。");

    private static IdentityError E(string code, string description) => new() { Code = code, Description = description };
}

/// <summary>Refuses a password that contains the user name (the first thing a stranger tries).</summary>
public sealed class NotUserNamePasswordValidator : IPasswordValidator<AppUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(user.UserName is { Length: >= 3 } name && password is not null && password.Contains(name, StringComparison.OrdinalIgnoreCase)
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordContainsUserName", Description = "密码不能包含用户名。" })
            : IdentityResult.Success);
}

/// <summary>Sign-in attempts (the login form's POST and the token endpoint) limited per client address; a zh-CN 429 with Retry-After.</summary>
public static class SignInRateLimit
{
    public static bool IsSignInAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase) || request.Path.Equals("/api/auth/token", StringComparison.OrdinalIgnoreCase));

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (Calendar.CalendarEndpoints.IsFeedRequest(http.Request))
                {
                    // The anonymous calendar feed: polled by calendar apps, limited per address like the sign-in.
                    var feed = http.RequestServices.GetRequiredService<IOptions<Calendar.CalendarOptions>>().Value;
                    return RateLimitPartition.GetFixedWindowLimiter("feed:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = feed.FeedPermitLimit, Window = feed.FeedWindow, QueueLimit = 0, AutoReplenishment = true,
                    });
                }
                if (!IsSignInAttempt(http.Request))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }
                var limits = http.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitLimit, Window = limits.Window, QueueLimit = 0, AutoReplenishment = true,
                });
            });
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var window = http.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value.Window;
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (Calendar.CalendarEndpoints.IsFeedRequest(http.Request))
                {
                    http.Response.ContentType = "text/plain; charset=utf-8";
                    await http.Response.WriteAsync($"请求过于频繁，请{seconds}秒后再试。", ct);
                    return;
                }
                var message = $"登录尝试过于频繁，请{seconds}秒后再试。";
                if (http.Request.Path.StartsWithSegments("/api"))
                {
                    await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = http,
                        ProblemDetails = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests, Title = "请求过于频繁", Detail = message },
                    });
                    return;
                }
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(
                    $"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    + $"<title>请稍后再试</title><link rel=\"stylesheet\" href=\"/site.css\"></head><body><main><h1>请稍后再试</h1><p class=\"error\" role=\"alert\">{message}</p>"
                    + "<p><a href=\"/account/login\">返回登录</a></p></main></body></html>", ct);
            };
        });
}

/// <summary>A user with a temporary password (new account, reset) may only change it: pages redirect there, the API answers 403.</summary>
public static class ForcedPasswordChange
{
    public const string Claim = "cw:must-change-password";
    public const string Page = "/account/password";
    public const string ApiRoute = "/api/accounts/me/password";

    public static IApplicationBuilder UseForcedPasswordChange(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.HasClaim(Claim, "true")
            && !http.Request.Path.StartsWithSegments(Page) && !http.Request.Path.StartsWithSegments(ApiRoute)
            && !http.Request.Path.StartsWithSegments("/account/logout") && !http.Request.Path.StartsWithSegments("/account/login"))
        {
            if (http.Request.Path.StartsWithSegments("/api"))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status403Forbidden, Title = "须先修改密码",
                        Detail = $"这是临时密码，请先修改密码（POST {ApiRoute}），再重新获取令牌。",
                    },
                });
                return;
            }
            http.Response.Redirect(Page);
            return;
        }
        await next();
    });
}
