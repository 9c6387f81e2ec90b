using Xunit.Abstractions;

namespace CreationWorkflow.Core.Tests.Programmes.Clauses;

/// <summary>
/// Issue 12 "Measured, in docs/": the clause reader over the item texts of both source documents against
/// seed/'s hand-made rules. The floors are what the reader achieves today (every item of both lists), so a
/// regression fails; docs/clause-reader.md must show the same tables, printed here.
/// </summary>
public sealed class ClauseMeasurementTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<MeasuredItem>> hechi = new(() => ClauseMeasurement.Run(Repo.Hechi));
    private static readonly Lazy<IReadOnlyList<MeasuredItem>> taijiang = new(() => ClauseMeasurement.Run(Repo.Taijiang));

    private static IReadOnlyList<MeasuredItem> All => [.. hechi.Value, .. taijiang.Value];

    private static bool Same(MeasuredItem r) => r.Agreement is Agreement.Exact or Agreement.ExactFlagged;

    [Fact]
    public void Hechi_items_read_into_the_hand_made_rules()
    {
        var rows = hechi.Value;
        Print(rows);
        var items = rows.Where(r => char.IsAsciiDigit(r.Key[0])).ToList();
        Assert.Equal(Repo.Hechi.Items.Count, items.Count);
        // Issue 12 asks for ≥ 90 % of Hechi's items; the reader reproduces every item and adjustment.
        Assert.True(items.Count(Same) >= 0.9 * items.Count, $"{items.Count(Same)} of {items.Count} items");
        Assert.All(rows, r => Assert.True(Same(r), $"{r.Key}: {r.Agreement} {r.Why}"));
        // Read from the source text itself wherever the cell is printed whole (the garbled rows excepted).
        Assert.True(rows.Count(r => r.FromSource) >= rows.Count - 3, $"{rows.Count(r => r.FromSource)} of {rows.Count} from the source");
    }

    [Fact]
    public void Taijiang_items_read_into_the_hand_made_rules()
    {
        var rows = taijiang.Value;
        Print(rows);
        Assert.All(rows, r => Assert.True(Same(r), $"{r.Key}: {r.Agreement} {r.Why}"));
        Assert.All(rows, r => Assert.True(r.FromSource, $"{r.Key} not found in the source text"));
    }

    [Fact]
    public void No_item_gets_a_wrong_proposal_or_a_wrong_total_without_a_flag()
    {
        Assert.DoesNotContain(All, r => r.Agreement == Agreement.Wrong);
        Assert.DoesNotContain(All, r => r.TotalWrongWithoutFlag);
    }

    [Fact]
    public void Flags_point_at_their_clause_and_rules_keep_theirs()
    {
        foreach (var r in All)
        {
            ClauseReaderTests.AssertSpans(r.Input, r.Reading);
        }
        // What is flagged on the real texts is what docs/clause-reader.md explains: two items, both with the seed's rules.
        Assert.Equal(["47", "20"], All.Where(r => r.Reading.Flags.Count > 0).Select(r => r.Key));
    }

    [Fact]
    public void The_doc_shows_these_numbers()
    {
        var totals = ClauseMeasurement.Totals(All);
        var table = ClauseMeasurement.Table(All);
        output.WriteLine(totals);
        output.WriteLine(table);
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "clause-reader.md")).ReplaceLineEndings("\n");
        Assert.True(doc.Contains(totals.ReplaceLineEndings("\n"), StringComparison.Ordinal), "docs/clause-reader.md: the totals differ; paste the printed ones");
        Assert.True(doc.Contains(table.ReplaceLineEndings("\n"), StringComparison.Ordinal), "docs/clause-reader.md: the item table differs; paste the printed one");
    }

    private void Print(IReadOnlyList<MeasuredItem> rows)
    {
        output.WriteLine(ClauseMeasurement.Totals(rows));
        output.WriteLine(ClauseMeasurement.Table(rows));
    }
}
