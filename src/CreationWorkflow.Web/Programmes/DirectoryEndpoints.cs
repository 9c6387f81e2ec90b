using System.Net.Mail;

namespace CreationWorkflow.Web.Programmes;

public sealed record UnitContact(string? Email);

public sealed record GroupMembers(IReadOnlyList<string> Members);

public sealed record StoredGroup(string Name, bool Assumed, IReadOnlyList<string> Members);

/// <summary>
/// The office keeps the unit directory current: unit mail addresses, and group memberships — in particular those
/// the documents do not give (seeded as assumptions) — which it confirms or corrects. New campaigns use them.
/// </summary>
public static class DirectoryEndpoints
{
    public static RouteGroupBuilder MapDirectory(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/programmes/{id}").WithTags("Programmes");
        api.MapPut("/units/{name}/contact", SetContact).RequireAuthorization(Policies.Office).WithName("SetUnitContact");
        api.MapGet("/groups", Groups).RequireAuthorization(Policies.Staff).WithName("GetStoredGroups")
            .WithSummary("Group memberships as stored (seeded, then confirmed or edited by the office); assumed ones are marked.");
        api.MapPut("/groups/{name}", SetMembers).RequireAuthorization(Policies.Office).WithName("SetGroupMembers")
            .WithSummary("Replaces a group's members; the membership is then confirmed (no longer an assumption).");
        return api;
    }

    public static async Task<Results<NoContent, NotFound>> SetContact(
        string id, string name, UnitContact body, AppDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        Input.Text(body.Email, "email", required: false, max: Input.EmailLength);
        var unit = await db.Units.SingleOrDefaultAsync(u => u.ProgrammeId == id && u.Name == name, ct);
        if (unit is null)
        {
            return TypedResults.NotFound();
        }
        if (body.Email is { Length: > 0 } email && !MailAddress.TryCreate(email, out _))
        {
            throw new DomainException("email", $"「{email}」不是有效的电子邮箱地址。");
        }
        var before = unit.Email;
        unit.Email = string.IsNullOrWhiteSpace(body.Email) ? null : body.Email.Trim();
        db.AddAudit(clock.GetUtcNow(), http.User.NameOf(), AuditActions.UnitContact, AuditEntities.Unit, $"{id}/{name}",
            JsonSerializer.Serialize(new { Email = before }), JsonSerializer.Serialize(new { unit.Email }));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<List<StoredGroup>>> Groups(string id, AppDbContext db, CancellationToken ct)
    {
        var rows = await db.UnitGroupMembers.Where(m => m.ProgrammeId == id).ToListAsync(ct);
        return TypedResults.Ok(rows.GroupBy(r => r.GroupName)
            .Select(g => new StoredGroup(g.Key, g.Any(r => r.Assumed), [.. g.Select(r => r.UnitName).Order(StringComparer.Ordinal)])).ToList());
    }

    public static async Task<Results<Ok<StoredGroup>, NotFound>> SetMembers(
        string id, string name, GroupMembers body, AppDbContext db, ProgrammeCatalog catalog, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        for (var i = 0; i < Input.Count(body.Members, "members", max: 1000).Count; i++)
        {
            Input.Text(body.Members[i], $"members[{i}]", required: true, max: Input.NameLength);
        }
        if (catalog.Find(id) is not { } programme || programme.Units.FindGroup(name) is null)
        {
            return TypedResults.NotFound();
        }
        for (var i = 0; i < body.Members.Count; i++)
        {
            if (programme.Units.FindUnit(body.Members[i]) is null)
            {
                throw new DomainException($"members[{i}]", $"单位「{body.Members[i]}」不在单位名录中。");
            }
        }
        if (body.Members.Count == 0)
        {
            throw new DomainException("members", "成员单位不能为空。");
        }
        var members = body.Members.Distinct().ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.UnitGroupMembers.Where(m => m.ProgrammeId == id && m.GroupName == name).ToListAsync(ct);
        var before = rows.Select(r => r.UnitName).Order(StringComparer.Ordinal).ToList();
        db.UnitGroupMembers.RemoveRange(rows);
        db.UnitGroupMembers.AddRange(members.Select(m => new UnitGroupMemberRecord { ProgrammeId = id, GroupName = name, UnitName = m, Assumed = false }));
        db.AddAudit(clock.GetUtcNow(), http.User.NameOf(), AuditActions.GroupMembers, AuditEntities.Group, $"{id}/{name}",
            JsonSerializer.Serialize(before), JsonSerializer.Serialize(members));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new StoredGroup(name, false, [.. members.Order(StringComparer.Ordinal)]));
    }

    /// <summary>The programme with its unit groups as stored (the office's confirmed or edited memberships).</summary>
    public static async Task<Programme> WithStoredGroupsAsync(this Programme programme, AppDbContext db, CancellationToken ct)
    {
        var rows = await db.UnitGroupMembers.Where(m => m.ProgrammeId == programme.Id).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return programme;
        }
        var stored = rows.GroupBy(r => r.GroupName).ToDictionary(g => g.Key, g => g.Select(r => r.UnitName).ToList());
        var groups = programme.Units.Groups.Select(g => stored.TryGetValue(g.Name, out var members)
            ? g with { Kinds = null, Members = members, Assumption = rows.Any(r => r.GroupName == g.Name && r.Assumed) ? g.Assumption : null }
            : g);
        return new Programme
        {
            Header = programme.Header,
            Targets = programme.Targets,
            Items = programme.Items,
            Adjustments = programme.Adjustments,
            KeyTasks = programme.KeyTasks,
            ContentHash = programme.ContentHash,
            Units = new UnitDirectory(programme.Units.Units, groups),
        };
    }
}
