using System.Diagnostics.CodeAnalysis;
using CreationWorkflow.Core.Programmes.Lists;

namespace CreationWorkflow.Core.Programmes;

/// <summary>
/// Which scored entry of a programme: item 7 is "7", bonus, penalty and negative-list items are "B3", "P1", "N1" (the
/// seed's rule id prefixes). The one place these spellings are read and written.
/// </summary>
public readonly record struct ItemKey(ListSection Section, int No)
{
    public static ItemKey Item(int no) => new(ListSection.Item, no);

    public static bool TryParse([NotNullWhen(true)] string? text, out ItemKey key)
    {
        key = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var (section, digits) = text[0] switch
        {
            'B' => (ListSection.Bonus, text[1..]),
            'P' => (ListSection.Penalty, text[1..]),
            'N' => (ListSection.Negative, text[1..]),
            _ => (ListSection.Item, text),
        };
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var no))
        {
            return false;
        }
        key = new ItemKey(section, no);
        return true;
    }

    /// <summary>The item number of a base item ("7" → 7); null for bonus, penalty and negative items and for text that is no key.</summary>
    public static int? ItemNoOf(string? text) => TryParse(text, out var key) && key.Section == ListSection.Item ? key.No : null;

    public override string ToString() => Section switch
    {
        ListSection.Item => No.ToString(CultureInfo.InvariantCulture),
        ListSection.Bonus => "B" + No.ToString(CultureInfo.InvariantCulture),
        ListSection.Penalty => "P" + No.ToString(CultureInfo.InvariantCulture),
        _ => "N" + No.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>How pages and notices name the entry: 第7项, 加分事项3, 减分事项1, 负面清单1.</summary>
    public string Label => Section switch
    {
        ListSection.Item => $"第{No}项",
        ListSection.Bonus => $"加分事项{No}",
        ListSection.Penalty => $"减分事项{No}",
        _ => $"负面清单{No}",
    };

    /// <summary>The label of a stored key; text that is no key is shown as it is.</summary>
    public static string LabelOf(string item) => TryParse(item, out var key) ? key.Label : item;
}

/// <summary>A programme's scored entries looked up by <see cref="ItemKey"/>.</summary>
public static class ProgrammeEntries
{
    /// <summary>The rules of an entry, or null when the programme has no such entry.</summary>
    public static IReadOnlyList<Rule>? RulesOf(this Programme p, string item) => Find(p, item) switch
    {
        Item i => i.Rules,
        AdjustmentItem a => a.Rules,
        _ => null,
    };

    /// <summary>The 测评方法 an entry names (none for 台江's list and the negative list).</summary>
    public static IReadOnlyList<EvaluationMethod>? MethodsOf(this Programme p, string item) => Find(p, item) switch
    {
        Item i => i.Methods,
        AdjustmentItem a => a.Methods,
        _ => null,
    };

    /// <summary>
    /// The lead units an entry names, expanded, who may propose its facts. The negative list has none: only the office
    /// records a negative-list case.
    /// </summary>
    public static IReadOnlyList<string> LeadsOf(this Programme p, string item)
    {
        IReadOnlyList<string>? names = Find(p, item) switch
        {
            Item i => i.LeadUnits,
            AdjustmentItem a when ItemKey.TryParse(item, out var key) && key.Section != ListSection.Negative => a.Lead,
            _ => null,
        };
        return names is null ? [] : [.. p.Units.ExpandAll(names).Select(u => u.Name)];
    }

    /// <summary>The keys an entry's facts are stored under: its rule ids and its deduction ids.</summary>
    public static IReadOnlySet<string> KeysOf(IReadOnlyList<Rule> rules) =>
        rules.Select(r => r.Id).Concat(rules.OfType<CheckRule>().SelectMany(r => r.Deductions).Select(d => d.Id)).ToHashSet();

    /// <summary>The <see cref="Item"/> or <see cref="AdjustmentItem"/> a key names, or null.</summary>
    private static object? Find(Programme p, string item) => !ItemKey.TryParse(item, out var key) ? null : key.Section switch
    {
        ListSection.Item => p.Items.FirstOrDefault(i => i.No == key.No),
        ListSection.Bonus => p.Adjustments.BonusItems.FirstOrDefault(i => i.No == key.No),
        ListSection.Penalty => p.Adjustments.PenaltyItems.FirstOrDefault(i => i.No == key.No),
        _ => p.Adjustments.NegativeItems.FirstOrDefault(i => i.No == key.No),
    };
}
