using CreationWorkflow.Core.Inspection;

namespace CreationWorkflow.Core.Tests.Inspection;

/// <summary>互观互检: the system's pairing (hand-worked tables and Hechi's own units and items) and the inspection lifecycle.</summary>
public class PeerInspectionTests
{
    private static IReadOnlyDictionary<string, IReadOnlySet<int>> Units(params (string Unit, int[] Items)[] units) =>
        units.ToDictionary(u => u.Unit, u => (IReadOnlySet<int>)u.Items.ToHashSet());

    [Fact]
    public void Each_unit_inspects_the_first_unit_after_it_that_shares_no_item_and_is_not_taken()
    {
        // A{1,2}: B shares 2, C is free → A→C. B{2}: C taken, D{1} free → B→D. C{3}: D taken, A free → C→A. D{1}: A taken, B free → D→B.
        var result = PeerPairing.Pair(Units(("D", [1]), ("B", [2]), ("A", [1, 2]), ("C", [3])));
        Assert.Equal([new("A", "C"), new("B", "D"), new("C", "A"), new("D", "B")], result.Pairs);
        Assert.Empty(result.Unpaired);
    }

    [Fact]
    public void Units_sharing_every_candidate_stay_unpaired()
    {
        var result = PeerPairing.Pair(Units(("甲", [1]), ("乙", [1, 2]), ("丙", [5])));
        // 丙 < 乙 < 甲 in ordinal order: 丙→乙 (no share); 乙: 甲 shares 1, 丙 free → 乙→丙; 甲: 乙 taken, 丙 taken → unpaired.
        Assert.Equal([new("丙", "乙"), new("乙", "丙")], result.Pairs);
        Assert.Equal(["甲"], result.Unpaired);
    }

    [Fact]
    public void Hechi_units_pair_without_shared_items_and_the_same_way_every_time()
    {
        var programme = Repo.Hechi;
        var items = new Dictionary<string, HashSet<int>>();
        foreach (var item in programme.Items)
        {
            foreach (var unit in programme.Units.ExpandAll(item.LeadUnits))
            {
                (items.TryGetValue(unit.Name, out var set) ? set : items[unit.Name] = []).Add(item.No);
            }
        }
        var byUnit = items.ToDictionary(i => i.Key, i => (IReadOnlySet<int>)i.Value);
        var result = PeerPairing.Pair(byUnit);
        var reversed = PeerPairing.Pair(byUnit.Reverse().ToDictionary());
        Assert.Equal(result.Pairs, reversed.Pairs);
        Assert.Equal(result.Unpaired, reversed.Unpaired);

        Assert.Equal(byUnit.Count, result.Pairs.Count + result.Unpaired.Count);
        Assert.All(result.Pairs, p => Assert.False(byUnit[p.Inspector].Overlaps(byUnit[p.Inspected])));
        Assert.All(result.Pairs, p => Assert.NotEqual(p.Inspector, p.Inspected));
        Assert.Equal(result.Pairs.Count, result.Pairs.Select(p => p.Inspected).Distinct().Count());
        Assert.Equal(result.Pairs.Count, result.Pairs.Select(p => p.Inspector).Distinct().Count());
        Assert.NotEmpty(result.Pairs);
    }

    [Fact]
    public void The_office_cannot_pair_a_unit_with_itself() =>
        Assert.NotNull(PeerPairing.Refusal("市民宗委", "市民宗委"));

    public static TheoryData<PeerInspectionState, PeerInspectionTrigger, PeerInspectionState?> Moves() => LifecycleTable.Moves(
        new Dictionary<(PeerInspectionState, PeerInspectionTrigger), PeerInspectionState>
        {
            [(PeerInspectionState.Assigned, PeerInspectionTrigger.Record)] = PeerInspectionState.InProgress,
            [(PeerInspectionState.InProgress, PeerInspectionTrigger.Record)] = PeerInspectionState.InProgress,
            [(PeerInspectionState.InProgress, PeerInspectionTrigger.Submit)] = PeerInspectionState.Submitted,
            [(PeerInspectionState.Submitted, PeerInspectionTrigger.Close)] = PeerInspectionState.Closed,
            [(PeerInspectionState.Assigned, PeerInspectionTrigger.Cancel)] = PeerInspectionState.Cancelled,
            [(PeerInspectionState.InProgress, PeerInspectionTrigger.Cancel)] = PeerInspectionState.Cancelled,
        });

    [Theory]
    [MemberData(nameof(Moves))]
    public void Each_state_allows_only_its_moves(PeerInspectionState from, PeerInspectionTrigger trigger, PeerInspectionState? to) =>
        LifecycleTable.Check(from, trigger, to, (get, set) => { var l = new PeerInspectionLifecycle(get, set); return (l.CanFire, l.Fire); }, PeerInspectionLifecycle.Allows);

    [Fact]
    public void Only_open_inspections_can_be_cancelled_and_a_cancelled_one_moves_no_more()
    {
        Assert.Equal([PeerInspectionState.Assigned, PeerInspectionState.InProgress],
            Enum.GetValues<PeerInspectionState>().Where(s => PeerInspectionLifecycle.Allows(s, PeerInspectionTrigger.Cancel)));
        Assert.All(Enum.GetValues<PeerInspectionTrigger>(), t => Assert.False(PeerInspectionLifecycle.Allows(PeerInspectionState.Cancelled, t)));
        Assert.Equal("已撤销", PeerInspectionLifecycle.Chinese(PeerInspectionState.Cancelled));
    }

    [Fact]
    public void Pairing_is_refused_outside_the_self_check_phase_naming_the_phase_in_force()
    {
        PhaseWindow[] phases =
        [
            new("fullPush", "全面推进", new(2022, 1, 1), new(2022, 11, 30)),
            new("midTerm", "中期评估", new(2022, 11, 1), new(2022, 12, 31)),
            new("acceptance", "深入推进和总结验收", new(2023, 1, 1), new(2023, 6, 30)),
        ];
        Assert.Null(PeerInspectionWindow.Refusal("acceptance", phases, new(2023, 1, 1)));
        Assert.Null(PeerInspectionWindow.Refusal("acceptance", phases, new(2023, 6, 30)));
        var early = PeerInspectionWindow.Refusal("acceptance", phases, new(2022, 3, 1));
        Assert.Equal("互观互检在自查验收阶段「深入推进和总结验收」（2023-01-01至2023-06-30）开展；今天（2022-03-01）处于「全面推进」阶段，不能派发互查任务。", early);
        Assert.Contains("今天（2023-07-01）不在本创建活动的任何阶段内", PeerInspectionWindow.Refusal("acceptance", phases, new(2023, 7, 1)));
        Assert.Contains("没有自查验收阶段", PeerInspectionWindow.Refusal(null, phases, new(2023, 3, 1)));
    }

    [Fact]
    public void The_documented_diagram_is_the_declared_one() => LifecycleTable.Documented("peer-inspection.md", PeerInspectionLifecycle.ToDotGraph());
}
