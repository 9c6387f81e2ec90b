using CreationWorkflow.Core.Programmes;
using Xunit.Abstractions;

namespace CreationWorkflow.Core.Tests.Clauses;

/// <summary>
/// Issue 12 "Measured, in docs/": the clause reader over both source documents against seed/'s hand-made
/// rules. The floors are what the reader achieves; docs/clause-reader.md must show the same tables.
/// </summary>
public sealed class ClauseMeasurementTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<MeasuredItem>> rows =
        new(() => [.. ClauseMeasurement.Run(Repo.Hechi), .. ClauseMeasurement.Run(Repo.Taijiang)]);

    [Fact]
    public void Prints_the_table()
    {
        output.WriteLine(ClauseMeasurement.Totals(rows.Value));
        output.WriteLine(ClauseMeasurement.Table(rows.Value));
        Assert.NotEmpty(rows.Value);
    }
}
