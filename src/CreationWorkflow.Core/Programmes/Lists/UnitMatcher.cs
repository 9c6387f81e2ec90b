namespace CreationWorkflow.Core.Programmes.Lists;

/// <summary>A directory name that may be what the list means, and why it is suggested (zh-CN).</summary>
public sealed record UnitSuggestion(string Name, string Why, double Score);

/// <summary>
/// Matches a list's unit name the directory does not know to the names it may mean: the full name or an abbreviation
/// (市民族宗教事务委员会 ~ 市民宗委: the short name's characters in order in the long one), a name inside another
/// (市委党校（行政学院） ~ 市委党校), or a near spelling (shared character pairs). Group-like names (各…, …各单位, …成员单位,
/// …党委、人民政府) are recognised so the office is asked for their members.
/// </summary>
public static partial class UnitMatcher
{
    public const int MaxSuggestions = 3;

    public static DraftUnit Propose(string name, UnitDirectory directory) =>
        new(name, LooksLikeGroup(name), Guess(name), Suggest(name, directory));

    public static IReadOnlyList<UnitSuggestion> Suggest(string name, UnitDirectory directory)
    {
        var candidates = directory.Units.Select(u => (u.Name, Spellings: (IEnumerable<string>)[u.Name, .. u.FullName is { } f ? [f] : Array.Empty<string>(), .. u.Aliases ?? []]))
            .Concat(directory.Groups.Select(g => (g.Name, Spellings: (IEnumerable<string>)[g.Name, .. g.Aliases ?? []])));
        var found = new List<UnitSuggestion>();
        foreach (var (target, spellings) in candidates)
        {
            var best = spellings.Select(s => Score(name, s)).MaxBy(x => x.Score);
            if (best.Score >= 0.5)
            {
                found.Add(new UnitSuggestion(target, best.Why, best.Score));
            }
        }
        return [.. found.OrderByDescending(s => s.Score).ThenBy(s => s.Name, StringComparer.Ordinal).Take(MaxSuggestions)];
    }

    private static (double Score, string Why) Score(string name, string spelling)
    {
        var (a, b) = (Core(name), Core(spelling));
        if (a.Length == 0 || b.Length == 0)
        {
            return (0, "");
        }
        if (a == b)
        {
            return (0.95, $"同名（{spelling}）");
        }
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        if (longer.Contains(shorter, StringComparison.Ordinal))
        {
            return (0.7 + 0.25 * shorter.Length / longer.Length, $"名称包含（{spelling}）");
        }
        if (shorter.Length >= 2 && shorter[0] == longer[0] && IsSubsequence(shorter, longer))
        {
            return (0.6 + 0.3 * shorter.Length / longer.Length, $"简称（{spelling}）");
        }
        var dice = Dice(a, b);
        return (dice, $"名称相近（{spelling}）");
    }

    /// <summary>The name without a place prefix ("河池市" → "市") and brackets' spacing, for comparison.</summary>
    private static string Core(string name) => Prefix().Replace(Space().Replace(name, ""), "$1");

    private static bool IsSubsequence(string shorter, string longer)
    {
        var i = 0;
        foreach (var ch in longer)
        {
            if (i < shorter.Length && shorter[i] == ch)
            {
                i++;
            }
        }
        return i == shorter.Length;
    }

    private static double Dice(string a, string b)
    {
        static List<string> Pairs(string s) => [.. Enumerable.Range(0, Math.Max(0, s.Length - 1)).Select(i => s.Substring(i, 2))];
        var (pa, pb) = (Pairs(a), Pairs(b));
        if (pa.Count == 0 || pb.Count == 0)
        {
            return 0;
        }
        var rest = pb.ToList();
        var shared = pa.Count(p => rest.Remove(p));
        return 2.0 * shared / (pa.Count + pb.Count);
    }

    public static bool LooksLikeGroup(string name) => GroupName().IsMatch(name);

    /// <summary>A first guess of a new unit's kind from its name (the office confirms it).</summary>
    public static UnitKind Guess(string name) =>
        name.StartsWith('驻') || name.Contains("中直", StringComparison.Ordinal) ? UnitKind.Central
        : name.EndsWith('县') || name.EndsWith('区') || name.Contains("县（区）", StringComparison.Ordinal) ? UnitKind.County
        : name.EndsWith("工会", StringComparison.Ordinal) || name.EndsWith("团委", StringComparison.Ordinal) || name.EndsWith("妇联", StringComparison.Ordinal) || name.EndsWith("联合会", StringComparison.Ordinal) ? UnitKind.Other
        : UnitKind.City;

    [GeneratedRegex(@"^各|各单位$|成员单位$|委员单位$|党委、.*人民政府$|^全(市|县)")]
    private static partial Regex GroupName();

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}{2}([市县区州])(?=\p{IsCJKUnifiedIdeographs}{2})")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}
