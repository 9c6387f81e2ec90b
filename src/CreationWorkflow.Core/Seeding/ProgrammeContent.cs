using System.Security.Cryptography;
using System.Text;

namespace CreationWorkflow.Core.Seeding;

/// <summary>
/// A programme's content in canonical form: the seed files (programme.json, targets.json, …) as the loader reads them,
/// re-serialised in one way (absent lists as empty, the directory as its units and groups). The content hash is SHA-256
/// over these, so the same programme has the same hash whether it came from a hand-written seed folder, a published
/// import or an export read back; formatting and property order of the hand-written files do not count.
/// </summary>
public static class ProgrammeContent
{
    public static SortedDictionary<string, string> Files(Programme p) =>
        Files(p.Header, p.Targets, p.Items, p.Adjustments, p.Units, p.KeyTasks);

    public static SortedDictionary<string, string> Files(
        ProgrammeHeader header, IReadOnlyList<Target> targets, IReadOnlyList<Item> items, Adjustments adjustments,
        UnitDirectory units, IReadOnlyList<KeyTask> keyTasks)
    {
        static AdjustmentItem Adj(AdjustmentItem a) => a with { Lead = a.Lead ?? [], Responsible = a.Responsible ?? [], Methods = a.Methods ?? [] };
        string Json<T>(T value) => JsonSerializer.Serialize(value, SeedJson.Options);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["programme.json"] = Json(header),
            ["targets.json"] = Json(targets),
            ["items.json"] = Json(items.Select(i => i with { Lead = i.Lead ?? [], Responsible = i.Responsible ?? [], Methods = i.Methods ?? [] }).ToList()),
            ["adjustments.json"] = Json(new Adjustments(
                adjustments.BonusItems.Select(Adj).ToList(), adjustments.PenaltyItems.Select(Adj).ToList(), adjustments.NegativeItems.Select(Adj).ToList())),
            ["units.json"] = Json(new UnitsFile(units.Units, units.Groups)),
            ["key-tasks.json"] = Json(keyTasks),
        };
    }

    public static string Hash(IReadOnlyDictionary<string, string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, json) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            sha.AppendData(Encoding.UTF8.GetBytes(json));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The files as one JSON object (file name → the file's JSON text), as a published version is stored.</summary>
    public static string Pack(IReadOnlyDictionary<string, string> files) => JsonSerializer.Serialize(files);

    public static IReadOnlyDictionary<string, string> Unpack(string packed) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(packed) ?? [];
}
