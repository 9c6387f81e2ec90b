namespace CreationWorkflow.Core.Programmes;

public enum UnitKind { City, Central, County, Other }

/// <summary>A body that receives tasks: a city department, a stationed central body, a county (its 党委 and 人民政府).</summary>
public sealed record Unit(
    string Name,
    UnitKind Kind,
    SourceRef Source,
    string? FullName = null,
    string? Code = null,
    IReadOnlyList<string>? Aliases = null);

/// <summary>A named set of units that a list can name at once; expands to its members.</summary>
public sealed record UnitGroup(
    string Name,
    SourceRef Source,
    IReadOnlyList<UnitKind>? Kinds = null,
    IReadOnlyList<string>? Members = null,
    string? Assumption = null,
    IReadOnlyList<string>? Aliases = null);

public sealed record UnitsFile(IReadOnlyList<Unit> Units, IReadOnlyList<UnitGroup>? Groups = null);

/// <summary>The unit directory: resolves a name (unit, group or alias) to the units it stands for.</summary>
public sealed class UnitDirectory
{
    private readonly Dictionary<string, Unit> units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitGroup> groups = new(StringComparer.Ordinal);

    public UnitDirectory(IEnumerable<Unit> units, IEnumerable<UnitGroup> groups)
    {
        foreach (var u in units)
        {
            foreach (var name in u.Aliases is null ? [u.Name] : u.Aliases.Prepend(u.Name))
            {
                this.units.TryAdd(name, u);
            }
        }
        foreach (var g in groups)
        {
            foreach (var name in g.Aliases is null ? [g.Name] : g.Aliases.Prepend(g.Name))
            {
                this.groups.TryAdd(name, g);
            }
        }
        Units = this.units.Values.Distinct().ToList();
        Groups = this.groups.Values.Distinct().ToList();
    }

    public static UnitDirectory Empty { get; } = new([], []);

    public IReadOnlyList<Unit> Units { get; }
    public IReadOnlyList<UnitGroup> Groups { get; }

    public bool Knows(string name) => units.ContainsKey(name) || groups.ContainsKey(name);

    public Unit? FindUnit(string name) => units.GetValueOrDefault(name);

    public UnitGroup? FindGroup(string name) => groups.GetValueOrDefault(name);

    /// <summary>The units a list entry stands for: a unit itself, or a group's members (each once, in directory order).</summary>
    public IReadOnlyList<Unit> Expand(string name)
    {
        if (units.TryGetValue(name, out var unit))
        {
            return [unit];
        }
        if (!groups.TryGetValue(name, out var group))
        {
            throw new KeyNotFoundException($"unknown unit or group '{name}'");
        }
        var members = group.Members is { } names
            ? names.SelectMany(Expand)
            : Units.Where(u => group.Kinds?.Contains(u.Kind) == true);
        return members.Distinct().ToList();
    }

    /// <summary>Expands a whole list (lead or responsible) to distinct units: a unit in several groups appears once.</summary>
    public IReadOnlyList<Unit> ExpandAll(IEnumerable<string> names) => names.SelectMany(Expand).Distinct().ToList();
}
