namespace CreationWorkflow.Web.Coverage;

/// <summary>The programmes' register and coverage definitions (seed/coverage/), loaded and validated at start-up.</summary>
public sealed class CoverageCatalog(IReadOnlyList<CoverageDefinition> definitions)
{
    public IReadOnlyList<CoverageDefinition> All { get; } = definitions;

    public CoverageDefinition? Find(string programmeId) => All.FirstOrDefault(d => d.ProgrammeId == programmeId);
}

/// <summary>
/// What the caller may do with one programme's register: the office sees and edits every division's places and reviews
/// them; inspectors and leaders read all; a county's unit user reads and edits its own division's only; the lead units
/// of the coverage item (item 47: 市委宣传部, 市委统战部, 市民宗委) read all, to confirm the facts the register proposes.
/// Anyone else is refused (403).
/// </summary>
public sealed record RegisterScope(CoverageDefinition Definition, Programme Programme, string? Division, bool CanEdit, bool CanReview, bool IsLead)
{
    /// <summary>The divisions the caller sees: all, or its own.</summary>
    public IReadOnlyList<string> Divisions => Division is null ? Definition.Divisions : [Division];

    /// <summary>Whether the caller may enter or change places and denominators of <paramref name="division"/>.</summary>
    public bool MayEdit(string division) => CanEdit && (Division is null || Division == division);

    public bool Sees(string division) => Division is null || Division == division;

    public static RegisterScope For(ClaimsPrincipal user, string programmeId, ProgrammeCatalog programmes, CoverageCatalog catalog)
    {
        var definition = catalog.Find(programmeId) ?? throw new DomainException("id", "该创建方案没有创建单位台账。", ErrorKind.NotFound);
        var programme = programmes.Find(programmeId) ?? throw new DomainException("id", "创建方案不存在。", ErrorKind.NotFound);
        if (user.IsInRole(Roles.Office))
        {
            return new(definition, programme, null, CanEdit: true, CanReview: true, IsLead: false);
        }
        if (user.IsInRole(Roles.Inspector) || user.IsInRole(Roles.Leader))
        {
            return new(definition, programme, null, CanEdit: false, CanReview: false, IsLead: false);
        }
        if (user.IsInRole(Roles.Unit) && user.UnitOf() is { } unit)
        {
            if (definition.Divisions.Contains(unit))
            {
                return new(definition, programme, unit, CanEdit: true, CanReview: false, IsLead: false);
            }
            if (definition.ItemNo is { } item && programme.LeadsOf(item.ToString(System.Globalization.CultureInfo.InvariantCulture)).Contains(unit))
            {
                return new(definition, programme, null, CanEdit: false, CanReview: false, IsLead: true);
            }
        }
        throw new DomainException("unit", "创建单位台账仅供创建办、督查、领导、各县（区）及覆盖率测评的牵头单位查看。", ErrorKind.Forbidden);
    }
}
