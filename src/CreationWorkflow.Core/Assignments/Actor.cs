namespace CreationWorkflow.Core.Assignments;

/// <summary>
/// Who fires a trigger, and in which role. <paramref name="Name"/> is the unit's name for
/// <see cref="ActorRole.Unit"/> and <see cref="ActorRole.Reviewer"/> (checked against the assignment),
/// and the person's name or account for the other roles (kept for the audit entry).
/// </summary>
public sealed record Actor(ActorRole Role, string Name)
{
    public static Actor Office(string name) => new(ActorRole.Office, name);

    public static Actor Unit(string unitName) => new(ActorRole.Unit, unitName);

    public static Actor Reviewer(string leadUnitName) => new(ActorRole.Reviewer, leadUnitName);

    public static Actor Inspector(string name) => new(ActorRole.Inspector, name);

    public static Actor Leader(string name) => new(ActorRole.Leader, name);

    public override string ToString() => $"{Role.Label()}「{Name}」";
}
