namespace CreationWorkflow.Core.Tests.Seeding;

/// <summary>Pins the seed to the documents: counts, sums, units and sources.</summary>
public class SeedTests
{
    private static readonly Programme Hechi = Repo.Hechi;
    private static readonly Programme Taijiang = Repo.Taijiang;

    [Fact]
    public void Hechi_has_six_targets_eighteen_indicators_fifty_items_summing_to_100()
    {
        Assert.Equal(6, Hechi.Targets.Count);
        Assert.Equal(Enumerable.Range(1, 18), Hechi.Indicators.Select(i => i.No));
        Assert.Equal(Enumerable.Range(1, 50), Hechi.Items.Select(i => i.No));
        Assert.Equal(100m, Hechi.Items.Sum(i => i.Points));
        Assert.All(Hechi.Items, item => Assert.Equal(item.Points, item.Rules.Sum(r => r.MaxPoints)));
        Assert.All(Hechi.Indicators, ind => Assert.Contains(Hechi.Items, i => i.Indicator == ind.No));
    }

    [Fact]
    public void Hechi_has_five_bonus_three_penalty_items_and_fourteen_key_tasks()
    {
        Assert.Equal(5, Hechi.Adjustments.BonusItems.Count);
        Assert.Equal(3, Hechi.Adjustments.PenaltyItems.Count);
        Assert.Equal(14, Hechi.KeyTasks.Count);
        Assert.Equal(3, Hechi.Adjustments.BonusItems[2].Rules.Count);
        Assert.True(Hechi.Adjustments.BonusItems[2].HighestPerContent);
        var penalty1 = Assert.IsType<PerCaseRule>(Assert.Single(Hechi.Adjustments.PenaltyItems[0].Rules));
        Assert.Equal([5m, 3m], penalty1.Categories.Select(c => c.Points));
        Assert.Equal(12, Hechi.KeyTasks[11].Fields!.Count);
        Assert.Equal(5, Hechi.KeyTasks.Select(t => t.Section).Distinct().Count());
    }

    [Fact]
    public void Every_hechi_item_and_key_task_has_known_lead_units()
    {
        foreach (var item in Hechi.Items)
        {
            Assert.NotEmpty(item.LeadUnits);
            Assert.All(item.LeadUnits.Concat(item.ResponsibleUnits), name => Assert.True(Hechi.Units.Knows(name), $"item {item.No}: {name}"));
            Assert.NotEmpty(Hechi.Units.ExpandAll(item.LeadUnits));
        }
        Assert.All(Hechi.KeyTasks, t => Assert.All(t.Lead.Concat(t.Responsible), n => Assert.True(Hechi.Units.Knows(n), n)));
    }

    [Fact]
    public void Unit_groups_expand_to_members_and_assumed_memberships_are_marked()
    {
        var counties = Hechi.Units.Expand("各县（区）党委、人民政府");
        Assert.Equal(11, counties.Count);
        Assert.Contains(counties, u => u is { Name: "宜州区", Code: "451203" });
        Assert.All(counties, u => Assert.Equal(UnitKind.County, u.Kind));
        Assert.Equal(counties, Hechi.Units.Expand("各县（区）人民政府"));

        var cityWide = Hechi.Units.Expand("市直和驻河池中直区直各单位");
        Assert.Contains(cityWide, u => u.Name == "市民宗委");
        Assert.DoesNotContain(cityWide, u => u.Kind == UnitKind.County);

        foreach (var name in new[] { "市民族工作委员会委员单位", "市统一战线领导小组成员单位" })
        {
            var group = Hechi.Units.FindGroup(name)!;
            Assert.False(string.IsNullOrWhiteSpace(group.Assumption));
            Assert.NotEmpty(Hechi.Units.Expand(name));
        }

        // A unit named directly and through a group gets the duty once.
        var both = Hechi.Units.ExpandAll(["市民宗委", "市直和驻河池中直区直各单位"]);
        Assert.Single(both, u => u.Name == "市民宗委");
    }

    [Fact]
    public void Phases_and_gate_follow_the_plan()
    {
        Assert.Equal(["mobilization", "fullPush", "midTerm", "acceptance"], Hechi.Header.Phases.Select(p => p.Id));
        Assert.Equal(("2021-12", "2021-12"), (Hechi.Header.Phases[0].Start, Hechi.Header.Phases[0].End));
        Assert.Equal(("2023-01", "2023-06"), (Hechi.Header.Phases[3].Start, Hechi.Header.Phases[3].End));
        var gate = Hechi.Header.Gate!;
        Assert.Equal((90m, "acceptance", "国家民委", "民办发〔2020〕4号"), (gate.MinScore, gate.Phase, gate.Body, gate.Standard));
        Assert.Equal("河办发〔2021〕66号", Hechi.Header.Document.Number);
    }

    [Fact]
    public void Every_record_points_into_the_source_documents()
    {
        var sources = Hechi.Items.Select(i => i.Source)
            .Concat(Hechi.Targets.Select(t => t.Source))
            .Concat(Hechi.Indicators.Select(i => i.Source))
            .Concat(Hechi.KeyTasks.Select(t => t.Source))
            .Concat(Hechi.AllAdjustments.Select(a => a.Item.Source))
            .Concat(Hechi.Units.Units.Select(u => u.Source))
            .Concat(Taijiang.Items.Select(i => i.Source));
        var known = new[] { "003_08ee506f8db0d7a8.txt", "000_b52ab548b288fab5.txt", "hechi-divisions.json" };
        Assert.All(sources, s => Assert.Contains(known, k => s.File.EndsWith(k, StringComparison.Ordinal)));
    }

    [Fact]
    public void Taijiang_has_four_areas_summing_to_100_and_a_one_time_negative_list()
    {
        Assert.Equal(ProgrammeSubject.Unit, Taijiang.Header.Subject);
        Assert.Equal(4, Taijiang.Targets.Count);
        Assert.Equal(100m, Taijiang.Items.Sum(i => i.Points));
        var byTarget = Taijiang.Targets.Select(t => Taijiang.Items
            .Where(i => t.Indicators.Any(ind => ind.No == i.Indicator)).Sum(i => i.Points));
        Assert.Equal([32m, 26m, 16m, 26m], byTarget);
        var negative = Assert.Single(Taijiang.Adjustments.NegativeItems);
        Assert.Equal(20m, Assert.IsType<OnceRule>(Assert.Single(negative.Rules)).Points);
        Assert.Null(Taijiang.Header.Gate);
    }
}
