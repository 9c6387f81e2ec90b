using CreationWorkflow.Core.Coverage;
using static CreationWorkflow.Core.Coverage.PlaceState;

namespace CreationWorkflow.Core.Tests.Coverage;

/// <summary>Coverage from aggregate counts, on a small definition whose figures are worked by hand beside each case.</summary>
public class CoverageCalculatorTests
{
    private static readonly SourceRef Src = new("003_08ee506f8db0d7a8.txt", "test");

    private static CoverageDefinition Definition(params CoverageTarget[] targets) => new()
    {
        ProgrammeId = "t",
        Divisions = ["甲县", "乙县"],
        Fields = [new("organs", "机关", Src), new("villages", "村屯（社区）", Src), new("companies", "连队", Src), new("county", "县（市、区）", Src)],
        Targets = targets,
        Source = Src,
        Rule = targets.Select(t => t.Rule).FirstOrDefault(r => r is not null),
        ItemNo = 47,
    };

    private static readonly CoverageTarget Overall = new("overall", CoverageTargetKind.Coverage, 80m, "覆盖率不低于80%", Src, Rule: "47.1");
    private static readonly CoverageTarget Key = new("key", CoverageTargetKind.Coverage, 100m, "机关100%", Src, Fields: ["organs"], Rule: "47.1");
    private static readonly CoverageTarget CountiesNamed = new("named", CoverageTargetKind.DivisionsNamed, 40m, "县40%", Src, Fields: ["county"],
        Levels: [Level.National, Level.Province], Rule: "47.1");
    private static readonly CoverageTarget Some = new("some", CoverageTargetKind.Participation, 1m, "有一定的连队", Src, Fields: ["companies"]);
    private static readonly CoverageTarget Units300 = new("300", CoverageTargetKind.DemonstrationUnits, 300m, "300个", Src,
        Levels: [Level.National, Level.Province, Level.Prefecture], FromYear: 2022, ToYear: 2024);
    private static readonly CoverageTarget TenHundred = new("ten", CoverageTargetKind.YearlyPoints, 1m, "每年一批", Src, FromYear: 2022, ToYear: 2024);

    [Theory]
    [InlineData(8, 10, 80, true)]     // 80 % exactly reaches 80
    [InlineData(7, 10, 80, false)]
    [InlineData(2, 3, 66.7, false)]   // 66.67 % is short of 66.7 (no rounding up)
    [InlineData(2, 3, 66.6, true)]
    [InlineData(9, 9, 100, true)]
    [InlineData(0, 0, 100, true)]     // nothing to cover
    public void A_percent_target_compares_exactly(int covered, int denominator, double min, bool met) =>
        Assert.Equal(met, CoverageCalculator.Reaches(covered, denominator, (decimal)min));

    [Fact]
    public void Coverage_per_division_and_field_counts_places_in_creation_over_the_denominators()
    {
        var d = Definition(Overall, Key);
        PlaceTally[] tallies =
        [
            new("甲县", "organs", Creating, null, null, false, 3),
            new("甲县", "organs", NotStarted, null, null, false, 1),
            new("甲县", "villages", Named, Level.County, 2022, false, 4),
            new("乙县", "organs", Accepted, null, null, false, 2),
            new("丙县", "organs", Creating, null, null, false, 50), // not a division of the definition: ignored
        ];
        DenominatorCount[] denominators = [new("甲县", "organs", 4), new("甲县", "villages", 5), new("乙县", "organs", 2), new("乙县", "villages", 0)];
        var report = CoverageCalculator.Compute(d, tallies, denominators, 2023);

        var cell = report.Cells.Single(c => c is { Division: "甲县", Field: "organs" });
        Assert.Equal((4, 3, 0, 4), (cell.Places, cell.Covered, cell.Named, cell.Denominator!.Value));
        Assert.Equal(75m, cell.Percent);
        // The 连队 and 县 cells have no denominator: the overall target (every field but none named by a DivisionsNamed target) lacks them.
        var overall = report.Targets.Single(t => t.Target.Id == "overall");
        // 甲县: (3 + 4) / (4 + 5) = 77.8 %; 乙县: 2 / 2. City: 9 / 11 = 81.8 %, but cells are missing.
        Assert.Equal((9, 11), (overall.Numerator, overall.Denominator!.Value));
        Assert.Equal(81.8m, overall.Percent);
        Assert.False(overall.Met);
        Assert.Contains("甲县·连队", overall.Missing);
        // 机关 100 %: 甲县 3/4 short, 乙县 2/2 met.
        var key = report.Targets.Single(t => t.Target.Id == "key");
        Assert.Equal([false, true], key.Parts.Select(p => p.Met));
        Assert.Equal((5, 6), (key.Numerator, key.Denominator!.Value));
        Assert.False(key.Met);
        Assert.False(report.RuleMet);
    }

    [Fact]
    public void Once_every_cell_has_a_denominator_the_targets_are_met_or_short_by_their_figures()
    {
        var d = Definition(Overall, Key, CountiesNamed, Some);
        PlaceTally[] tallies =
        [
            new("甲县", "organs", Named, Level.Prefecture, 2023, false, 4),
            new("乙县", "organs", Creating, null, null, false, 2),
            new("甲县", "villages", Creating, null, null, false, 3),
            new("甲县", "county", Named, Level.Province, 2023, false, 1),
            new("乙县", "county", Named, Level.County, 2023, false, 1),   // 县级 naming does not count toward 全国/全区
            new("乙县", "companies", Creating, null, null, false, 1),
        ];
        var denominators = new[] { "甲县", "乙县" }
            .SelectMany(div => new[] { new DenominatorCount(div, "organs", div == "甲县" ? 4 : 2), new DenominatorCount(div, "villages", 5), new DenominatorCount(div, "companies", 1) })
            .ToList();
        var report = CoverageCalculator.Compute(d, tallies, denominators, 2023);
        var overall = report.Targets.Single(t => t.Target.Id == "overall");
        // (4 + 2 + 3 + 1) / (4 + 2 + 5 + 5 + 1 + 1) = 10 / 18 = 55.6 % < 80.
        Assert.Equal((10, 18, 55.6m), (overall.Numerator, overall.Denominator!.Value, overall.Percent!.Value));
        Assert.Empty(overall.Missing);
        Assert.False(overall.Met);
        Assert.True(report.Targets.Single(t => t.Target.Id == "key").Met);            // 6 / 6
        var named = report.Targets.Single(t => t.Target.Id == "named");                // 1 of 2 divisions = 50 % ≥ 40
        Assert.Equal((1, 2, true), (named.Numerator, named.Denominator!.Value, named.Met));
        Assert.True(report.Targets.Single(t => t.Target.Id == "some").Met);
        Assert.False(report.RuleMet);                                                   // the overall target is short

        var one = CoverageCalculator.Compute(d, tallies, denominators, 2023, onlyDivision: "乙县");
        Assert.Equal(["乙县"], one.Divisions);
        Assert.All(one.Cells, c => Assert.Equal("乙县", c.Division));
    }

    [Fact]
    public void Demonstration_units_count_named_places_by_level_and_year_and_ten_hundred_points_by_year()
    {
        var d = Definition(Units300, TenHundred);
        PlaceTally[] tallies =
        [
            new("甲县", "organs", Named, Level.National, 2022, true, 2),
            new("甲县", "organs", Named, Level.Prefecture, 2022, false, 5),
            new("乙县", "villages", Named, Level.Province, 2023, true, 3),
            new("乙县", "villages", Named, Level.County, 2023, true, 7),   // 县级: not a demonstration unit toward 300, but a 十百 point
            new("乙县", "villages", Named, Level.National, 2021, false, 9), // before the three years
            new("乙县", "villages", Accepted, null, null, true, 4),          // not named yet
        ];
        var report = CoverageCalculator.Compute(d, tallies, [], 2023);
        var units = report.Targets.Single(t => t.Target.Id == "300");
        Assert.Equal(2 + 5 + 3, units.Numerator);
        Assert.False(units.Met);
        Assert.Equal([(2022, Level.National, 2), (2022, Level.Prefecture, 5), (2023, Level.Province, 3)],
            units.Years.Select(y => (y.Year, y.Level!.Value, y.Count)));
        var ten = report.Targets.Single(t => t.Target.Id == "ten");
        Assert.Equal([(2022, 2), (2023, 10), (2024, 0)], ten.Years.Select(y => (y.Year, y.Count)));
        Assert.True(ten.Met);                       // 2024 is not yet due in 2023
        Assert.Equal(["2022", "2023"], ten.Parts.Select(p => p.Key));
        Assert.False(CoverageCalculator.Compute(d, tallies, [], 2024).Targets.Single(t => t.Target.Id == "ten").Met);
    }
}
