using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CreationWorkflow.Benchmarks;

/// <summary>
/// Items handled per second: the items of one operation (<see cref="SweepFixture.TimerCount"/> timers or rows,
/// <see cref="MailFixture.MessageCount"/> mails) over its mean time.
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "Rows/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"Timers swept or rows scanned ({SweepFixture.TimerCount:N0} / Mean), or mails sent ({MailFixture.MessageCount:N0} / Mean), per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        summary[benchmarkCase]?.ResultStatistics is { Mean: > 0 } stats
            ? (ItemsOf(benchmarkCase) / (stats.Mean / 1e9)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
            : "NA";

    private static int ItemsOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type == typeof(MailDispatchBenchmarks) ? MailFixture.MessageCount : SweepFixture.TimerCount;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
