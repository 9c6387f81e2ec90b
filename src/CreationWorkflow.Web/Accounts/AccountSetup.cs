using Microsoft.AspNetCore.Authentication;

namespace CreationWorkflow.Web.Accounts;

public static class AccountSetup
{
    public const string UnitClaim = "cw:unit";
    public const string NameClaim = "cw:name";
    public const string Scheme = "cw";

    /// <summary>Identity on our database: cookie sign-in for pages, bearer tokens for the API, one fallback policy: signed in.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddIdentityApiEndpoints<AppUser>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                // Failures are counted per user name and client address by SignInService, not per account by Identity.
                o.Lockout.AllowedForNewUsers = false;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddClaimsPrincipalFactory<AppClaimsFactory>()
            .AddSignInManager<AppSignInManager>()
            .AddErrorDescriber<ChineseIdentityErrors>()
            .AddPasswordValidator<NotUserNamePasswordValidator>();
        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section);
        services.AddScoped<SignInService>();
        services.AddScoped<AccountService>();
        services.AddScoped<AccountImport>();
        services.AddSignInRateLimit();
        // The API takes bearer tokens only (a cookie cannot drive it cross-site, so API forms need no antiforgery);
        // pages take the cookie (or a token) and redirect to sign-in; forms on pages carry antiforgery tokens.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultForbidScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Bearer or cookie", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Path.StartsWithSegments("/api")
                || ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)
                    ? StampedBearerHandler.Name
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, StampedBearerHandler>(StampedBearerHandler.Name, o =>
            {
                o.ForwardChallenge = IdentityConstants.BearerScheme;
                o.ForwardForbid = IdentityConstants.BearerScheme;
            });
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "cw.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // The API answers 401/403; only pages redirect to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => Answer(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Answer(ctx, StatusCodes.Status403Forbidden);
            // The security stamp on every request (Identity's validator only looks every 30 minutes).
            o.Events.OnValidatePrincipal = async ctx =>
            {
                var signIn = ctx.HttpContext.RequestServices.GetRequiredService<SignInManager<AppUser>>();
                if (await signIn.ValidateSecurityStampAsync(ctx.Principal) is null)
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
            };
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Office, p => p.RequireRole(Roles.Office))
            .AddPolicy(Policies.OfficeOrInspector, p => p.RequireRole(Roles.Office, Roles.Inspector))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.Office, Roles.Inspector, Roles.Leader))
            .AddPolicy(Policies.UnitUser, p => p.RequireRole(Roles.Unit).RequireClaim(UnitClaim))
            .AddPolicy(Policies.StaffOrUnit, p => p.RequireRole(Roles.Office, Roles.Inspector, Roles.Leader, Roles.Unit));
        return services;
    }

    private static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }
        return Task.CompletedTask;
    }

    /// <summary>Who the caller is, as the endpoints need it.</summary>
    public static string? UnitOf(this ClaimsPrincipal user) => user.FindFirstValue(UnitClaim);

    public static string NameOf(this ClaimsPrincipal user) => user.FindFirstValue(NameClaim) ?? user.Identity?.Name ?? "?";

    /// <summary>The signed-in user's id (every signed-in principal carries one).</summary>
    public static string IdOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("signed-in user without id");

    /// <summary>Whose notices the caller reads: its unit's, and its roles' (office, inspector, leader).</summary>
    public static List<string> RecipientsOf(this ClaimsPrincipal user)
    {
        var recipients = new List<string>();
        if (user.UnitOf() is { } unit)
        {
            recipients.Add(unit);
        }
        foreach (var (role, recipient) in new[] { (Roles.Office, Reminders.Recipients.Office), (Roles.Inspector, Reminders.Recipients.Inspectors), (Roles.Leader, Reminders.Recipients.Leaders) })
        {
            if (user.IsInRole(role))
            {
                recipients.Add(recipient);
            }
        }
        return recipients;
    }

    /// <summary>Creates the roles, and in a demo run one account per role (printed at start-up).</summary>
    public static async Task EnsureRolesAndDemoAccountsAsync(IServiceProvider services, bool demo, ILogger log)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
        if (!demo)
        {
            return;
        }
        var users = services.GetRequiredService<UserManager<AppUser>>();
        foreach (var (name, display, role, unit) in DemoAccounts)
        {
            if (await users.FindByNameAsync(name) is not null)
            {
                continue;
            }
            var user = new AppUser { UserName = name, DisplayName = display, Unit = unit };
            var created = await users.CreateAsync(user, DemoPassword);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("Demo account: " + string.Join("; ", created.Errors.Select(e => e.Description)));
            }
            await users.AddToRoleAsync(user, role);
        }
        log.LogWarning("Demo accounts (password {Password}): {Accounts}", DemoPassword,
            string.Join(", ", DemoAccounts.Select(a => $"{a.Name} ({Roles.Chinese(a.Role)}{(a.Unit is null ? "" : "·" + a.Unit)})")));
    }

    public const string DemoPassword = "Demo2021!";

    public static readonly IReadOnlyList<(string Name, string Display, string Role, string? Unit)> DemoAccounts =
    [
        ("office", "创建办 王主任", Roles.Office, null),
        ("minzongwei", "市民宗委 联络员", Roles.Unit, "市民宗委"),
        ("jiaoyuju", "市教育局 联络员", Roles.Unit, "市教育局"),
        ("jinchengjiang", "金城江区 联络员", Roles.Unit, "金城江区"),
        ("inspector", "督查室 李督查", Roles.Inspector, null),
        ("evaluator", "第三方评估机构", Roles.Evaluator, null),
        ("leader", "领导小组 领导", Roles.Leader, null),
    ];
}

/// <summary>Puts the user's unit and display name into the sign-in, so every request knows them without a query.</summary>
public sealed class AppClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccountSetup.NameClaim, user.DisplayName));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(ForcedPasswordChange.Claim, "true"));
        }
        if (user.Unit is { } unit)
        {
            identity.AddClaim(new Claim(AccountSetup.UnitClaim, unit));
        }
        return identity;
    }
}
