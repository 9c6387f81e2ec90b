using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreationWorkflow.Web.Accounts;

/// <summary>
/// Sign-in limits, section "CreationWorkflow:SignIn". Attempts (page and token) are rate-limited per client address;
/// failures lock one user name for one client address only, so a stranger who types the office's name wrongly
/// locks out himself, not the office.
/// </summary>
public sealed class SignInOptions
{
    public const string Section = "CreationWorkflow:SignIn";

    /// <summary>Sign-in attempts one client address may make per <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures of one user name from one address before that pair is locked for <see cref="Lockout"/>.</summary>
    public int MaxFailures { get; set; } = 5;

    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Failed sign-ins of one user name (known or not: both are counted alike) from one client address.</summary>
public sealed class SignInThrottle
{
    public required string UserName { get; set; }
    public required string Address { get; set; }
    public int Failures { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
}

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> b)
    {
        b.ToTable("sign_in_throttles");
        b.HasKey(t => new { t.UserName, t.Address });
        b.Property(t => t.UserName).HasMaxLength(100);
    }
}

public enum SignInOutcome
{
    Succeeded,
    Failed,
    Locked,
    Deactivated,
}

/// <summary>
/// The one sign-in, for the login page (cookie) and the token endpoint (bearer). A known and an unknown user name answer
/// alike: the same message, the same password-hash work, the same failure counting. Each attempt is audited in the same
/// transaction as its failure count.
/// </summary>
public sealed class SignInService(
    AppDbContext db, UserManager<AppUser> users, SignInManager<AppUser> signIn, TimeProvider clock, IOptions<SignInOptions> options)
{
    public const string WrongPassword = "用户名或密码错误。";
    public const string DeactivatedMessage = "账户已停用，请联系创建办。";

    public static string LockedMessage(TimeSpan lockout) => $"登录失败次数过多，请{Math.Max(1, (int)Math.Ceiling(lockout.TotalMinutes))}分钟后再试。";

    /// <summary>A hash of no one's password, verified for unknown names so they cost what a known name costs.</summary>
    private static string? dummyHash;

    public async Task<(SignInOutcome Outcome, string? Message)> SignInAsync(HttpContext http, string scheme, string? userName, string? password, CancellationToken ct)
    {
        var o = options.Value;
        var typed = (userName ?? "").Trim();
        var key = Clip(users.NormalizeName(typed) ?? "", 100);
        var address = Clip(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", 64);
        var now = clock.GetUtcNow();
        var throttle = await db.Set<SignInThrottle>().FindAsync([key, address], ct);
        if (throttle?.LockedUntil > now)
        {
            Audit(AuditActions.SignInLocked, typed, address, now);
            await db.SaveChangesAsync(ct);
            return (SignInOutcome.Locked, LockedMessage(throttle.LockedUntil.Value - now));
        }
        var user = typed.Length == 0 ? null : await users.FindByNameAsync(typed);
        bool ok;
        if (user is null)
        {
            dummyHash ??= users.PasswordHasher.HashPassword(new AppUser(), Guid.NewGuid().ToString("N"));
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), dummyHash, password ?? "");
            ok = false;
        }
        else
        {
            ok = await users.CheckPasswordAsync(user, password ?? "");
        }
        if (ok && user!.DeactivatedAt is not null)
        {
            Audit(AuditActions.SignInDeactivated, typed, address, now);
            await db.SaveChangesAsync(ct);
            return (SignInOutcome.Deactivated, DeactivatedMessage);
        }
        if (!ok)
        {
            if (throttle is null)
            {
                db.Add(throttle = new SignInThrottle { UserName = key, Address = address });
            }
            else if (throttle.LastFailureAt < now - o.Lockout)
            {
                throttle.Failures = 0; // old failures are forgotten after one lockout period
            }
            throttle.Failures++;
            throttle.LastFailureAt = now;
            var locked = throttle.Failures >= o.MaxFailures;
            if (locked)
            {
                (throttle.Failures, throttle.LockedUntil) = (0, now + o.Lockout);
            }
            Audit(locked ? AuditActions.SignInFailedLocked : AuditActions.SignInFailed, typed, address, now);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another attempt for the same name and address counted at the same moment; this one is still a failure.
            }
            return locked ? (SignInOutcome.Locked, LockedMessage(o.Lockout)) : (SignInOutcome.Failed, WrongPassword);
        }
        if (throttle is not null)
        {
            db.Remove(throttle);
        }
        Audit(AuditActions.SignInSucceeded, typed, address, now);
        await db.SaveChangesAsync(ct);
        signIn.AuthenticationScheme = scheme;
        await signIn.SignInAsync(user!, isPersistent: false);
        return (SignInOutcome.Succeeded, null);
    }

    private void Audit(string action, string userName, string address, DateTimeOffset now) =>
        db.AddAccountAudit(now, userName.Length == 0 ? "（空）" : userName, action, userName, null, new { address });

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>The audit entries of the accounts feature: entity "account", id = the user name.</summary>
public static class AccountAudit
{
    public static AuditEntry AddAccountAudit(this AppDbContext db, DateTimeOffset at, string actor, string action, string userName, object? before, object? after) =>
        db.AddAudit(at, actor, action, AuditEntities.Account, userName,
            before is null ? null : JsonSerializer.Serialize(before, Json), after is null ? null : JsonSerializer.Serialize(after, Json));

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
