using System.Text;
using CreationWorkflow.Core.Programmes.Clauses;
using CreationWorkflow.Tests.Shared;

namespace CreationWorkflow.Core.Tests.Programmes.Clauses;

public enum Agreement
{
    /// <summary>Same rules as seed/ (kinds, points, tiers, caps, ids, clause text), nothing flagged.</summary>
    Exact,
    /// <summary>Same rules, and a flag asks the office to confirm a reading.</summary>
    ExactFlagged,
    /// <summary>Different rules, flagged.</summary>
    DiffersFlagged,
    /// <summary>Different rules, nothing flagged: a wrong proposal.</summary>
    Wrong,
}

/// <summary>One item of a seed programme read by the clause reader and compared with its hand-made rules.</summary>
public sealed record MeasuredItem(
    string Programme, string Key, bool FromSource, string Input, IReadOnlyList<Rule> Seed, ClauseReading Reading, Agreement Agreement, string Why)
{
    public bool TotalWrongWithoutFlag =>
        Reading.Flags.Count == 0 && Reading.Rules.Sum(r => r.MaxPoints) != Seed.Sum(r => r.MaxPoints);
}

/// <summary>
/// Runs the clause reader over the items of both seed programmes, on the cell text as printed in the source
/// document (docs/sources/, a copy of ../shared/seeds/) where it is found there verbatim (ignoring whitespace: line breaks and the
/// spaces of "（得 1分）" are kept in what is read), else on the item text of seed/ (rows garbled in the source).
/// </summary>
public static class ClauseMeasurement
{
    /// <summary>
    /// The source documents as checked in (docs/sources/: copies of ../shared/seeds, so a clean clone measures the same
    /// texts wherever it sits).
    /// </summary>
    public static string SharedSeeds { get; } = Path.Combine(Repo.Root, "docs", "sources");

    public static IReadOnlyList<MeasuredItem> Run(Programme programme)
    {
        var source = File.ReadAllText(Path.Combine(SharedSeeds, programme.Items[0].Source.File));
        var (compact, map) = Whitespace.Removed(source);
        var rows = new List<MeasuredItem>();
        foreach (var item in programme.Items)
        {
            var method = string.Join("、", (item.Methods ?? []).Select(m => m switch
            {
                EvaluationMethod.Online => "网上申报",
                EvaluationMethod.Onsite => "实地核查",
                _ => "第三方评估",
            }));
            rows.Add(Measure(programme.Id, item.No.ToString(CultureInfo.InvariantCulture), item.Text, method, item.Points, item.Rules, false, compact, map, source));
        }
        foreach (var (kind, adj) in programme.AllAdjustments)
        {
            var key = (kind switch { AdjustmentKind.Bonus => "B", AdjustmentKind.Penalty => "P", _ => "N" }) + adj.No.ToString(CultureInfo.InvariantCulture);
            rows.Add(Measure(programme.Id, key, adj.Text, "", 0m, adj.Rules, adj.HighestPerContent, compact, map, source));
        }
        return rows;
    }

    private static MeasuredItem Measure(string programme, string key, string text, string method, decimal points,
        IReadOnlyList<Rule> seed, bool highest, string compact, int[] map, string source)
    {
        var at = compact.IndexOf(Whitespace.Removed(text).Text, StringComparison.Ordinal);
        var fromSource = at >= 0;
        var input = fromSource ? source[map[at]..(map[at + Whitespace.Removed(text).Text.Length - 1] + 1)] : text;
        var reading = ClauseReader.Read(key, input, method, points);
        var why = Differences(seed, reading.Rules);
        if (key[0] == 'B' && highest != reading.HighestPerContent)
        {
            why.Add($"highestPerContent {reading.HighestPerContent}, seed {highest}");
        }
        var agreement = (why.Count == 0, reading.Flags.Count == 0) switch
        {
            (true, true) => Agreement.Exact,
            (true, false) => Agreement.ExactFlagged,
            (false, false) => Agreement.DiffersFlagged,
            _ => Agreement.Wrong,
        };
        return new MeasuredItem(programme, key, fromSource, input, seed, reading, agreement, string.Join("; ", why));
    }

    private static List<string> Differences(IReadOnlyList<Rule> seed, IReadOnlyList<Rule> read)
    {
        var why = new List<string>();
        if (seed.Count != read.Count)
        {
            why.Add($"{read.Count} rules ({Kinds(read)}), seed {seed.Count} ({Kinds(seed)})");
            return why;
        }
        for (var i = 0; i < seed.Count; i++)
        {
            var (s, r) = (Shape(seed[i]), Shape(read[i]));
            if (s != r)
            {
                why.Add($"{read[i].Id}: {r}, seed {s}");
            }
            else if (Clause(seed[i].Text) != Clause(read[i].Text))
            {
                why.Add($"{read[i].Id}: clause “{read[i].Text}”, seed “{seed[i].Text}”");
            }
        }
        return why;
    }

    public static string Kinds(IEnumerable<Rule> rules) => string.Join(" + ", rules.Select(Kind));

    public static string Kind(Rule r) => r switch
    {
        CheckRule => "check",
        TierRule => "tier",
        CountRule => "count",
        StaffCountRule => "staffCount",
        PerPersonRule => "perPerson",
        LevelRule => "level",
        PerCaseRule => "perCase",
        _ => "once",
    };

    private static string N(decimal? d) => d?.ToString("0.##", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Everything that scores (not the clause text): kind, id, points, tiers, caps, deductions…</summary>
    public static string Shape(Rule rule) => rule.Id + (rule.ExemptWhen is { } e ? " exempt:" + e : "") + " " + rule switch
    {
        CheckRule c => $"check {N(c.Points)}" + string.Concat(c.Deductions.Select(d => $" [{d.Id} {Clause(d.Text)} -{N(d.Points)}]")),
        TierRule t => $"tier {t.Measure} {string.Join(" ", t.Tiers.Select(x => $"{(x.Exclusive ? ">" : "≥")}{N(x.Min)}:{N(x.Points)}"))}",
        CountRule c => $"count {N(c.Points)} min {c.Min} per {N(c.PerMissing)}",
        StaffCountRule s => $"staffCount {N(s.Points)} {string.Join(" ", s.Requirements.Select(q => $"{q.MinStaff}-{q.MaxStaff}:{q.Required}"))} per {N(s.PerMissing)}",
        PerPersonRule p => $"perPerson {N(p.Points)} per {N(p.PerMissing)}",
        LevelRule l => $"level {l.Combine} cap {N(l.Cap)}{(l.HighestPerContent ? " highest" : "")} {string.Join(" ", l.Levels.Select(x => $"{x.Level}:{N(x.Points)}"))}",
        PerCaseRule p => $"perCase {N(p.Points)} cap {N(p.Cap)}" + string.Concat(p.Categories.Select(k => $" [{k.Id} {k.Text} {N(k.Points)}]")),
        OnceRule o => $"once {N(o.Points)}",
        _ => "?",
    };

    /// <summary>A clause compared without whitespace and without its closing separator (seed/ sometimes drops the "；").</summary>
    public static string Clause(string text) => Whitespace.Removed(text).Text.TrimEnd('，', '。', '；', '：', ',', ';', ':', '、');

    /// <summary>The per-item table and the totals, as docs/clause-reader.md shows them.</summary>
    public static string Table(IReadOnlyList<MeasuredItem> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| item | read from | rules read | against seed/ | flags |");
        sb.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var r in rows)
        {
            var flags = string.Join("<br>", r.Reading.Flags.Select(f => $"{f.Kind}: {f.Message}"));
            var verdict = r.Agreement switch
            {
                Agreement.Exact => "same",
                Agreement.ExactFlagged => "same, flagged",
                Agreement.DiffersFlagged => "differs, flagged: " + r.Why,
                _ => "**wrong**: " + r.Why,
            };
            var read = string.Join("; ", r.Reading.Rules.Select(Shape));
            sb.AppendLine($"| {r.Key} | {(r.FromSource ? "source" : "seed text")} | {Cell(read)} | {Cell(verdict)} | {Cell(flags)} |");
        }
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    public static string Totals(IReadOnlyList<MeasuredItem> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| programme | items | count | same | same, flagged | differs, flagged | wrong (unflagged) | read from the source text |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var g in rows.GroupBy(r => (r.Programme, scored: char.IsAsciiDigit(r.Key[0]))))
        {
            int C(Agreement a) => g.Count(r => r.Agreement == a);
            sb.AppendLine($"| {g.Key.Programme} | {(g.Key.scored ? "scored" : "bonus, penalty, negative list")} | {g.Count()} | {C(Agreement.Exact)} | {C(Agreement.ExactFlagged)} | {C(Agreement.DiffersFlagged)} | {C(Agreement.Wrong)} | {g.Count(r => r.FromSource)} |");
        }
        sb.AppendLine();
        sb.AppendLine("| rule kind (seed) | rules | reproduced | in a flagged item | not reproduced, unflagged |");
        sb.AppendLine("| --- | --- | --- | --- | --- |");
        var perRule = rows.SelectMany(r => r.Seed.Select(s => (row: r, seed: s,
            same: r.Reading.Rules.FirstOrDefault(x => x.Id == s.Id) is { } x && Shape(x) == Shape(s) && Clause(x.Text) == Clause(s.Text)))).ToList();
        foreach (var g in perRule.GroupBy(p => Kind(p.seed)).OrderBy(g => Rule.Kinds.ToList().IndexOf(g.Key)))
        {
            sb.AppendLine($"| {g.Key} | {g.Count()} | {g.Count(p => p.same)} | {g.Count(p => p.row.Reading.Flags.Count > 0)} | {g.Count(p => !p.same && p.row.Reading.Flags.Count == 0)} |");
        }
        return sb.ToString();
    }
}
