using System.Net.Mail;

namespace CreationWorkflow.Web.Accounts;

public sealed record AccountView(
    string Id, string UserName, string DisplayName, string? Unit, string? Phone, string? Email, IReadOnlyList<string> Roles,
    bool Active, bool MustChangePassword);

public sealed record NewAccount(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Unit = null, string? Phone = null, string? Email = null);

/// <summary>A new or reset account with its temporary password, shown once and never stored in clear.</summary>
public sealed record IssuedPassword(AccountView Account, string TemporaryPassword);

/// <summary>
/// The office's account management: create, bind to a unit, set roles, reset a password, deactivate and reactivate;
/// and each user's own password change. Each change is one transaction with its audit entry, and every change that
/// alters what a user may do (roles, unit, password, deactivation) renews the user's security stamp, which ends the
/// user's cookies and bearer tokens at their next request (<see cref="AccountSetup"/> checks the stamp on every one).
/// </summary>
public sealed partial class AccountService(AppDbContext db, UserManager<AppUser> users, TimeProvider clock)
{
    public const int MaxUserName = 64;
    public const int MaxDisplayName = 100;

    public async Task<Page<AccountView>> ListAsync(string? search, string? role, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size, skip) = Paging.Check(page, pageSize, 50);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var q = search.Trim();
            query = query.Where(u => u.UserName!.Contains(q) || u.DisplayName.Contains(q) || (u.Unit != null && u.Unit.Contains(q)) || (u.PhoneNumber != null && u.PhoneNumber.Contains(q)));
        }
        if (!string.IsNullOrWhiteSpace(role))
        {
            var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleOrDefaultAsync(ct)
                ?? throw new DomainException("role", $"「{role}」不是已知角色。");
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(u => u.Unit == null).ThenBy(u => u.Unit).ThenBy(u => u.UserName).Skip(skip).Take(size).ToListAsync(ct);
        var roles = await RolesOfAsync(rows.Select(u => u.Id).ToList(), ct);
        return new Page<AccountView>([.. rows.Select(u => View(u, roles.GetValueOrDefault(u.Id) ?? []))], total, p, size);
    }

    public async Task<AccountView?> FindAsync(string id, CancellationToken ct) =>
        await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct) is { } user
            ? View(user, (await RolesOfAsync([user.Id], ct)).GetValueOrDefault(user.Id) ?? [])
            : null;

    /// <summary>The unit names of the directory (every programme's), for binding a unit user.</summary>
    public async Task<IReadOnlyList<string>> UnitsAsync(CancellationToken ct) =>
        (await db.Units.Select(u => u.Name).Distinct().ToListAsync(ct)).Order(StringComparer.Ordinal).ToList();

    public async Task<IssuedPassword> CreateAsync(NewAccount input, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var issued = await CreateInTransactionAsync(input, actor, await UnitsAsync(ct), ct);
        await tx.CommitAsync(ct);
        return issued;
    }

    /// <summary>Creates one account inside the caller's transaction (the XLSX import creates many in one).</summary>
    internal async Task<IssuedPassword> CreateInTransactionAsync(NewAccount input, string actor, IReadOnlyList<string> directory, CancellationToken ct)
    {
        var userName = Required("userName", input.UserName, "用户名", MaxUserName);
        var displayName = Required("displayName", input.DisplayName, "姓名", MaxDisplayName);
        var roles = CheckRoles(input.Roles);
        var unit = CheckUnit(roles, input.Unit, directory);
        var phone = CheckPhone(input.Phone);
        var email = CheckEmail(input.Email);
        if (await users.FindByNameAsync(userName) is not null)
        {
            throw new DomainException("userName", $"用户名「{userName}」已被使用。", ErrorKind.Conflict);
        }
        var user = new AppUser
        {
            UserName = userName, DisplayName = displayName, Unit = unit, PhoneNumber = phone, Email = email, MustChangePassword = true,
        };
        var password = TemporaryPassword();
        Check(await users.CreateAsync(user, password), "userName");
        Check(await users.AddToRolesAsync(user, roles), "roles");
        db.AddAccountAudit(clock.GetUtcNow(), actor, AuditActions.AccountCreated, userName, null,
            new { displayName, roles, unit, phone, email });
        await db.SaveChangesAsync(ct);
        return new IssuedPassword(View(user, roles), password);
    }

    /// <summary>Sets the roles; a unit user must be bound to a unit of the directory (given here or already bound).</summary>
    public async Task<AccountView> SetRolesAsync(string id, IReadOnlyList<string> roles, string? unit, string actor, string actorId, CancellationToken ct)
    {
        Input.Bounded(unit, "unit", Input.NameLength);
        var wanted = CheckRoles(roles);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LoadAsync(id, ct);
        var before = await users.GetRolesAsync(user);
        if (before.Contains(Roles.Office) && !wanted.Contains(Roles.Office))
        {
            await EnsureAnotherOfficeAsync(user, actorId, "roles", "取消自己的创建办角色", ct);
        }
        var boundBefore = user.Unit;
        user.Unit = CheckUnit(wanted, string.IsNullOrWhiteSpace(unit) ? user.Unit : unit, await UnitsAsync(ct));
        Check(await users.RemoveFromRolesAsync(user, before.Except(wanted)), "roles");
        Check(await users.AddToRolesAsync(user, wanted.Except(before)), "roles");
        Check(await users.UpdateSecurityStampAsync(user), "roles");
        db.AddAccountAudit(clock.GetUtcNow(), actor, AuditActions.AccountRoles, user.UserName!,
            new { roles = before.Order().ToList(), unit = boundBefore }, new { roles = wanted, user.Unit });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return View(user, wanted);
    }

    /// <summary>Binds a unit user to a unit of the directory.</summary>
    public async Task<AccountView> BindUnitAsync(string id, string? unit, string actor, CancellationToken ct)
    {
        Input.Bounded(unit, "unit", Input.NameLength);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LoadAsync(id, ct);
        var roles = await users.GetRolesAsync(user);
        if (!roles.Contains(Roles.Unit))
        {
            throw new DomainException("unit", "只有“单位”角色的账户可以绑定单位；请先设置角色。");
        }
        var before = user.Unit;
        user.Unit = CheckUnit([.. roles], unit, await UnitsAsync(ct));
        Check(await users.UpdateSecurityStampAsync(user), "unit");
        db.AddAccountAudit(clock.GetUtcNow(), actor, AuditActions.AccountUnit, user.UserName!, new { unit = before }, new { user.Unit });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return View(user, [.. roles]);
    }

    /// <summary>A new temporary password, to be changed at the next sign-in; the user's sessions end, the sign-in locks on the name are lifted.</summary>
    public async Task<IssuedPassword> ResetPasswordAsync(string id, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LoadAsync(id, ct);
        var password = TemporaryPassword();
        Check(await users.RemovePasswordAsync(user), "password");
        Check(await users.AddPasswordAsync(user, password), "password");
        user.MustChangePassword = true;
        Check(await users.UpdateAsync(user), "password");
        await db.Set<SignInThrottle>().Where(t => t.UserName == user.NormalizedUserName).ExecuteDeleteAsync(ct);
        db.AddAccountAudit(clock.GetUtcNow(), actor, AuditActions.AccountPasswordReset, user.UserName!, null, new { mustChangePassword = true });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new IssuedPassword(View(user, [.. await users.GetRolesAsync(user)]), password);
    }

    public async Task<AccountView> SetActiveAsync(string id, bool active, string actor, string actorId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LoadAsync(id, ct);
        var roles = await users.GetRolesAsync(user);
        if ((user.DeactivatedAt is null) == active)
        {
            return View(user, [.. roles]); // already so: nothing to change, nothing audited
        }
        if (!active && roles.Contains(Roles.Office))
        {
            await EnsureAnotherOfficeAsync(user, actorId, "active", "停用自己的账户", ct);
        }
        user.DeactivatedAt = active ? null : clock.GetUtcNow();
        Check(await users.UpdateSecurityStampAsync(user), "active");
        db.AddAccountAudit(clock.GetUtcNow(), actor, active ? AuditActions.AccountReactivated : AuditActions.AccountDeactivated, user.UserName!,
            new { active = !active }, new { active });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return View(user, [.. roles]);
    }

    /// <summary>The signed-in user changes the password; this ends the user's other sessions and tokens (the caller signs in anew).</summary>
    public async Task<AppUser> ChangeOwnPasswordAsync(string userId, string? current, string? next, CancellationToken ct)
    {
        Input.Bounded(current, "currentPassword", Input.PasswordLength);
        Input.Bounded(next, "newPassword", Input.PasswordLength);
        if (string.IsNullOrEmpty(current))
        {
            throw new DomainException("currentPassword", "请填写当前密码。");
        }
        if (string.IsNullOrEmpty(next))
        {
            throw new DomainException("newPassword", "请填写新密码。");
        }
        if (next == current)
        {
            throw new DomainException("newPassword", "新密码不能与当前密码相同。");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LoadAsync(userId, ct);
        var changed = await users.ChangePasswordAsync(user, current, next);
        if (!changed.Succeeded && changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            throw new DomainException("currentPassword", "当前密码不正确。");
        }
        Check(changed, "newPassword");
        user.MustChangePassword = false;
        Check(await users.UpdateAsync(user), "newPassword");
        db.AddAccountAudit(clock.GetUtcNow(), user.DisplayName, AuditActions.AccountPasswordChanged, user.UserName!, null, new { mustChangePassword = false });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>The office cannot lock itself out: its own office role or account stays, and one active office account remains.</summary>
    private async Task EnsureAnotherOfficeAsync(AppUser user, string actorId, string field, string what, CancellationToken ct)
    {
        if (user.Id == actorId)
        {
            throw new DomainException(field, $"不能{what}；请由另一位创建办用户操作。", ErrorKind.Conflict);
        }
        var officeRole = await db.Roles.Where(r => r.Name == Roles.Office).Select(r => r.Id).SingleAsync(ct);
        var others = await db.Users.CountAsync(u => u.Id != user.Id && u.DeactivatedAt == null
            && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == officeRole), ct);
        if (others == 0)
        {
            throw new DomainException(field, "这是最后一个可用的创建办账户，不能停用或取消其创建办角色。", ErrorKind.Conflict);
        }
    }

    private async Task<AppUser> LoadAsync(string id, CancellationToken ct) =>
        await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct) ?? throw new DomainException("id", "账户不存在。", ErrorKind.NotFound);

    private async Task<Dictionary<string, List<string>>> RolesOfAsync(List<string> ids, CancellationToken ct) =>
        (await db.UserRoles.Where(ur => ids.Contains(ur.UserId)).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(ct))
        .GroupBy(x => x.UserId).ToDictionary(g => g.Key, g => g.Select(x => x.Name!).OrderBy(r => Roles.All.ToList().IndexOf(r)).ToList());

    public static AccountView View(AppUser u, IEnumerable<string> roles) =>
        new(u.Id, u.UserName!, u.DisplayName, u.Unit, u.PhoneNumber, u.Email, [.. roles], u.DeactivatedAt is null, u.MustChangePassword);

    /// <summary>A temporary password: 12 characters with upper and lower case letters and digits, without look-alikes (0/O, 1/l/I).</summary>
    public static string TemporaryPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789";
        var chars = RandomNumberGenerator.GetString(upper, 4) + RandomNumberGenerator.GetString(lower, 4) + RandomNumberGenerator.GetString(digits, 4);
        var shuffled = chars.ToCharArray();
        RandomNumberGenerator.Shuffle(shuffled.AsSpan());
        return new string(shuffled);
    }

    public static string Required(string field, string? value, string label, int max)
    {
        var v = (value ?? "").Trim();
        if (v.Length == 0)
        {
            throw new DomainException(field, $"请填写{label}。");
        }
        if (v.Length > max)
        {
            throw new DomainException(field, $"{label}不能超过{max}个字符（现为{v.Length}个）。");
        }
        return v;
    }

    public static List<string> CheckRoles(IReadOnlyList<string>? roles)
    {
        Input.Count(roles, "roles", max: Roles.All.Count);
        var list = (roles ?? []).Select(r => r.Trim()).Where(r => r.Length > 0).ToList();
        if (list.Count == 0)
        {
            throw new DomainException("roles", "请至少选择一个角色。");
        }
        var result = new List<string>();
        foreach (var text in list)
        {
            result.Add(Roles.FromText(text) ?? throw new DomainException("roles",
                $"「{text}」不是已知角色（可选：{string.Join("、", Roles.All.Select(Roles.Chinese))}）。"));
        }
        return [.. result.Distinct().OrderBy(r => Roles.All.ToList().IndexOf(r))];
    }

    /// <summary>A unit user's unit must be in the directory; other accounts have none.</summary>
    public static string? CheckUnit(IReadOnlyList<string> roles, string? unit, IReadOnlyList<string> directory)
    {
        if (!roles.Contains(Roles.Unit))
        {
            return null;
        }
        var name = (unit ?? "").Trim();
        if (name.Length == 0)
        {
            throw new DomainException("unit", "“单位”角色的账户须绑定单位。");
        }
        return directory.Contains(name) ? name : throw new DomainException("unit", $"单位「{name}」不在单位名录中。");
    }

    public static string? CheckPhone(string? phone)
    {
        var p = (phone ?? "").Trim();
        if (p.Length == 0)
        {
            return null;
        }
        return PhonePattern().IsMatch(p) ? p : throw new DomainException("phone", $"「{Clip(p)}」不是有效的手机或电话号码（如 13800000000 或 0778-2281234）。");
    }

    public static string? CheckEmail(string? email)
    {
        var e = (email ?? "").Trim();
        if (e.Length == 0)
        {
            return null;
        }
        return e.Length <= 254 && MailAddress.TryCreate(e, out var parsed) && parsed.Address == e
            ? e
            : throw new DomainException("email", $"「{Clip(e)}」不是有效的电子邮箱地址。");
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>An Identity refusal as a zh-CN error on the field (the messages come from <see cref="ChineseIdentityErrors"/>).</summary>
    public static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            var error = result.Errors.First();
            var f = error.Code.StartsWith("Password", StringComparison.Ordinal) ? (field == "newPassword" ? field : "password")
                : error.Code.Contains("UserName", StringComparison.Ordinal) ? "userName"
                : error.Code.Contains("Email", StringComparison.Ordinal) ? "email"
                : field;
            throw new DomainException(f, error.Description, error.Code.StartsWith("Duplicate", StringComparison.Ordinal) ? ErrorKind.Conflict : ErrorKind.Invalid);
        }
    }

    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")]
    private static partial Regex PhonePattern();
}
