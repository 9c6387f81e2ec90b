namespace CreationWorkflow.Web.Assignments;

/// <summary>Resource-based checks after loading: who may see and act on one assignment.</summary>
public static class Access
{
    public static bool IsStaff(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Office) || user.IsInRole(Roles.Inspector) || user.IsInRole(Roles.Leader);

    /// <summary>Staff see everything; a unit user sees its own unit's assignments and those it reviews as lead unit.</summary>
    public static bool CanSee(this ClaimsPrincipal user, AssignmentRecord a) =>
        user.IsStaff() || user.UnitOf() is { } unit && (a.Unit == unit || a.ReviewerUnit == unit);

    /// <summary>Loads-then-checks: an assignment the caller may not see answers 404, the same as one that does not exist.</summary>
    public static AssignmentRecord EnsureVisible(this ClaimsPrincipal user, AssignmentRecord a) =>
        user.CanSee(a) ? a : throw new DomainException("id", "任务不存在。", ErrorKind.NotFound);

    /// <summary>The lifecycle actor the caller acts as on this assignment.</summary>
    public static Actor ActorFor(this ClaimsPrincipal user, AssignmentRecord a, bool reviewing = false)
    {
        if (user.IsInRole(Roles.Office))
        {
            // The office's own duties (the 验收申请 step) belong to the pseudo-unit 创建办, which office users act as.
            return a.Unit == Core.Workflows.CampaignPlanner.Office && !reviewing ? Actor.Unit(a.Unit) : Actor.Office(user.NameOf());
        }
        if (user.UnitOf() is { } unit)
        {
            if (reviewing && a.ReviewerUnit == unit)
            {
                return Actor.Reviewer(unit);
            }
            return Actor.Unit(unit);
        }
        if (user.IsInRole(Roles.Inspector))
        {
            return Actor.Inspector(user.NameOf());
        }
        return Actor.Leader(user.NameOf());
    }
}
