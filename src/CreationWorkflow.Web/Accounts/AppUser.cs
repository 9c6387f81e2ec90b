namespace CreationWorkflow.Web.Accounts;

/// <summary>A person who signs in. A unit user is bound to exactly one unit and sees only that unit's work.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The unit a unit user works for (a unit name of the programme's directory); null for other roles.</summary>
    public string? Unit { get; set; }

    /// <summary>When the office deactivated the account; null while it is active. A deactivated user cannot sign in.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    /// <summary>Set for a new account and after a reset: the temporary password must be changed at the next sign-in.</summary>
    public bool MustChangePassword { get; set; }
}

/// <summary>The roles, as stored in Identity. Lead or responsible is not a role: it depends on the item.</summary>
public static class Roles
{
    public const string Office = "office";
    public const string Unit = "unit";
    public const string Inspector = "inspector";
    public const string Evaluator = "evaluator";
    public const string Leader = "leader";

    public static readonly IReadOnlyList<string> All = [Office, Unit, Inspector, Evaluator, Leader];

    /// <summary>The role a Chinese name (as in <see cref="Chinese"/>) or a stored name stands for; null when neither.</summary>
    public static string? FromText(string text) =>
        All.FirstOrDefault(r => r == text.Trim() || Chinese(r) == text.Trim());

    public static string Chinese(string role) => role switch
    {
        Office => "创建办",
        Unit => "单位",
        Inspector => "督查",
        Evaluator => "第三方评估",
        Leader => "领导",
        _ => role,
    };
}

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    public const string Office = "office";
    public const string OfficeOrInspector = "office-or-inspector";
    public const string Staff = "staff";
    public const string UnitUser = "unit-user";

    /// <summary>Staff, or a unit user (who then sees only its own unit's records; checked after loading).</summary>
    public const string StaffOrUnit = "staff-or-unit";
}
