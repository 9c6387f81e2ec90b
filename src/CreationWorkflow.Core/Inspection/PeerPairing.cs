namespace CreationWorkflow.Core.Inspection;

/// <summary>One pairing: <see cref="Inspector"/> inspects <see cref="Inspected"/>'s items.</summary>
public sealed record PeerPair(string Inspector, string Inspected);

/// <summary>The system's pairing: the pairs, and the units it could not pair (every candidate shares an item with them).</summary>
public sealed record PeerPairingResult(IReadOnlyList<PeerPair> Pairs, IReadOnlyList<string> Unpaired);

/// <summary>
/// 互观互检 pairing by the system: each unit inspects one other unit with which it shares no item, and is inspected by one,
/// so nobody inspects work it shares. Deterministic: units in ordinal order of their names; each takes as the unit it
/// inspects the first one after it (wrapping round) that shares none of its items and is not yet taken. A unit left without
/// a unit to inspect is listed as unpaired.
/// </summary>
public static class PeerPairing
{
    public static PeerPairingResult Pair(IReadOnlyDictionary<string, IReadOnlySet<int>> itemsByUnit)
    {
        var units = itemsByUnit.Keys.Order(StringComparer.Ordinal).ToList();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var pairs = new List<PeerPair>();
        var unpaired = new List<string>();
        for (var i = 0; i < units.Count; i++)
        {
            var inspector = units[i];
            var match = Enumerable.Range(1, Math.Max(0, units.Count - 1)).Select(k => units[(i + k) % units.Count])
                .FirstOrDefault(u => !taken.Contains(u) && ShareNone(itemsByUnit[inspector], itemsByUnit[u]));
            if (match is null)
            {
                unpaired.Add(inspector);
                continue;
            }
            taken.Add(match);
            pairs.Add(new PeerPair(inspector, match));
        }
        return new PeerPairingResult(pairs, unpaired);
    }

    public static bool ShareNone(IReadOnlySet<int> a, IReadOnlySet<int> b) => !a.Overlaps(b);

    /// <summary>The office's own pair, in words when it cannot stand (a unit inspecting itself); null when it can.</summary>
    public static string? Refusal(string inspector, string inspected) =>
        string.Equals(inspector, inspected, StringComparison.Ordinal) ? $"检查单位与被检查单位不能相同（{inspector}）。" : null;
}
