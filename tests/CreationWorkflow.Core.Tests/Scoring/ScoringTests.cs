namespace CreationWorkflow.Core.Tests.Scoring;

/// <summary>Each rule kind, checked against the documents' own words.</summary>
public class ScoringTests
{
    private static readonly Programme Hechi = Repo.Hechi;
    private static readonly Programme Taijiang = Repo.Taijiang;

    private static decimal ItemScore(Programme p, int item, Facts facts) => ScoringEngine.Score(p, facts).Item(item).Score;

    private static Dictionary<string, T> One<T>(string id, T value) => new() { [id] = value };

    [Fact]
    public void Check_gives_its_points_only_when_it_holds()
    {
        Assert.Equal(2m, ItemScore(Hechi, 1, new Facts { Checks = new Dictionary<string, bool> { ["1.1"] = true, ["1.2"] = true, ["1.3"] = false } }));
        Assert.Equal(0m, ItemScore(Hechi, 1, Facts.None));
    }

    [Theory]
    // 附件2 第7项: 知晓率≥90%（得2分），≥80%（得1分），<80%（不得分）
    [InlineData(95, 2)]
    [InlineData(90, 2)]
    [InlineData(85, 1)]
    [InlineData(80, 1)]
    [InlineData(79.9, 0)]
    public void Item_7_awareness_tiers(decimal rate, decimal expected)
    {
        var result = ScoringEngine.Score(Hechi, new Facts { Rates = One("7.2", rate) });
        Assert.Equal(expected, result.Item(7).Score);
        var line = Assert.Single(result.Item(7).Lines, l => l.RuleId == "7.2");
        Assert.Contains("知晓率", line.Fact);
        Assert.Contains("附件2", line.Source);
    }

    [Theory]
    // 附件2 第37项: 满意度>90% 得2分 — strictly above, so exactly 90 gives the next tier.
    [InlineData(90.5, 2)]
    [InlineData(90, 1)]
    [InlineData(80, 1)]
    [InlineData(79, 0)]
    public void Item_37_top_tier_is_strictly_above_90(decimal rate, decimal expected) =>
        Assert.Equal(expected, ItemScore(Hechi, 37, new Facts { Rates = One("37.1", rate) }));

    [Theory]
    // 附件2 第3项: 每年专题研究…不少于2次（得1分） — all or nothing.
    [InlineData(3, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 0)]
    public void Item_3_count_without_deduction_is_all_or_nothing(int count, decimal expected) =>
        Assert.Equal(expected, ItemScore(Hechi, 3, new Facts { Counts = One("3.1", count) }));

    [Theory]
    // 台江 专题研究创建工作年度不少于4次（4分，少一次-1分）
    [InlineData(4, 4)]
    [InlineData(3, 3)]
    [InlineData(0, 0)]
    [InlineData(9, 4)]
    public void Taijiang_topical_studies_lose_a_point_per_missing_one(int count, decimal expected) =>
        Assert.Equal(expected, ItemScore(Taijiang, 5, new Facts { Counts = One("5.1", count) }));

    [Fact]
    public void Taijiang_briefings_9_of_12_give_9() =>
        Assert.Equal(9m, ItemScore(Taijiang, 12, new Facts { Counts = One("12.1", 9) }));

    [Fact]
    public void Taijiang_media_adoptions_take_the_highest_level_per_content_and_cap_at_10()
    {
        // 同一内容的工作信息被不同主流媒体采用的，取最高分: 国家 4 and 省 3 for one content → 4.
        Assert.Equal(4m, ItemScore(Taijiang, 15, new Facts
        {
            Cases = [new Case("15.1", "民族团结月简报", Level.National), new Case("15.1", "民族团结月简报", Level.Province)],
        }));
        // Different contents add up: 4 + 3 + 3 = 10; one more reaches the cap.
        Assert.Equal(10m, ItemScore(Taijiang, 15, new Facts
        {
            Cases = [new Case("15.1", "A", Level.National), new Case("15.1", "B", Level.Province), new Case("15.1", "C", Level.Province), new Case("15.1", "D", Level.County)],
        }));
    }

    [Fact]
    public void Taijiang_demonstration_title_counts_its_highest_level_only()
    {
        // 已获民族团结进步示范单位命名的，县级2分，州级4分、省级6分（6分）
        Assert.Equal(4m, ItemScore(Taijiang, 7, new Facts { Cases = [new Case("7.1", "县级命名", Level.County), new Case("7.1", "州级命名", Level.Prefecture)] }));
    }

    [Fact]
    public void Taijiang_recognitions_add_up_to_at_most_7()
    {
        // 年内获得县级表彰1分，州级2分，省级3分；不同奖项可累加，最高不超过7分
        Assert.Equal(6m, ItemScore(Taijiang, 8, new Facts { Cases = [new Case("8.1", "奖A", Level.Province), new Case("8.1", "奖B", Level.Prefecture), new Case("8.1", "奖C", Level.County)] }));
        Assert.Equal(7m, ItemScore(Taijiang, 8, new Facts { Cases = [new Case("8.1", "奖A", Level.Province), new Case("8.1", "奖B", Level.Province), new Case("8.1", "奖C", Level.Province)] }));
    }

    [Fact]
    public void Taijiang_leadership_document_takes_conditional_deductions()
    {
        var facts = new Facts
        {
            Checks = One("1.1", true),
            Conditions = new Dictionary<string, bool> { ["1.1-d1"] = true, ["1.1-d2"] = false },
        };
        var item = ScoringEngine.Score(Taijiang, facts).Item(1);
        Assert.Equal(2m, item.Score);
        Assert.Contains("没有及时更换调整领导小组文件", item.Lines[0].Reason);
    }

    [Fact]
    public void Taijiang_consolidation_period_exempts_the_application_clause()
    {
        // 获得州级及其以上示范单位可以巩固提升2年，巩固期间不扣分
        Assert.Equal(0m, ItemScore(Taijiang, 6, Facts.None));
        Assert.Equal(1m, ItemScore(Taijiang, 6, new Facts { Flags = [Flags.Consolidation], TitleLevel = Level.Prefecture }));
        Assert.Equal(0m, ItemScore(Taijiang, 6, new Facts { Flags = [Flags.Consolidation] })); // no 州级 title: not exempt
    }

    [Theory]
    // 心得体会 5分: 1-10人5篇；11-30人15篇；30-50人20篇；50人以上30篇
    [InlineData(8, 5, 5)]
    [InlineData(25, 15, 5)]
    [InlineData(25, 14, 0)]
    [InlineData(30, 15, 5)]
    [InlineData(45, 15, 0)]
    [InlineData(80, 30, 5)]
    public void Taijiang_essays_required_by_staff_size(int staff, int essays, decimal expected) =>
        Assert.Equal(expected, ScoringEngine.Score(Taijiang, new Facts { StaffSize = staff, Counts = One("20.3", essays) })
            .Item(20).Lines.Single(l => l.RuleId == "20.3").Points);

    [Theory]
    // 个人3分；少一人扣0.5分
    [InlineData(10, 10, 3)]
    [InlineData(10, 8, 2)]
    [InlineData(10, 0, 0)]
    public void Taijiang_democratic_life_meeting_loses_half_a_point_per_person(int required, int actual, decimal expected) =>
        Assert.Equal(expected, ItemScore(Taijiang, 20, new Facts { People = One("20.2", new PeopleCount(required, actual)) }));

    [Fact]
    public void Bonus_3_same_content_at_general_office_and_ministry_gives_2_not_3()
    {
        var result = ScoringEngine.Score(Hechi, new Facts
        {
            Cases = [new Case("B3.2", "河池经验"), new Case("B3.3", "河池经验")],
        });
        Assert.Equal(2m, result.Adjustment(AdjustmentKind.Bonus, 3).Score);
        Assert.Equal(2m, result.Bonus);
        Assert.Contains(result.Adjustment(AdjustmentKind.Bonus, 3).Lines, l => l.Rule.Contains("只取最高分值"));
    }

    [Fact]
    public void Bonus_per_case_is_capped_per_rule()
    {
        // 加分1: 每例加3分，最高累计不超过10分
        var four = Enumerable.Range(1, 4).Select(i => new Case("B1.1", $"肯定{i}")).ToList();
        Assert.Equal(10m, ScoringEngine.Score(Hechi, new Facts { Cases = four }).Bonus);
        // 加分4 has two rules with their own caps: 创新 2×4=8→6, 部委肯定 3×1=3.
        var b4 = Enumerable.Range(1, 4).Select(i => new Case("B4.1", $"创新{i}")).Append(new Case("B4.2", "部委肯定")).ToList();
        Assert.Equal(9m, ScoringEngine.Score(Hechi, new Facts { Cases = b4 }).Adjustment(AdjustmentKind.Bonus, 4).Score);
    }

    [Fact]
    public void Penalty_1_distinguishes_ethnic_work_matters_from_other_matters()
    {
        var result = ScoringEngine.Score(Hechi, new Facts
        {
            Cases = [new Case("P1.1", "约谈", Category: "ethnic"), new Case("P1.1", "通报", Category: "other"), new Case("P2.1", "称号取消")],
        });
        Assert.Equal(8m, result.Adjustment(AdjustmentKind.Penalty, 1).Score);
        Assert.Equal(11m, result.Penalty);
        Assert.Equal(-11m, result.Total);
    }

    [Fact]
    public void Taijiang_negative_list_takes_20_once()
    {
        var result = ScoringEngine.Score(Taijiang, new Facts { Cases = [new Case("N1.1", "舆情一"), new Case("N1.1", "案件二")] });
        Assert.Equal(20m, result.Penalty);
        Assert.Contains("一次性", result.Adjustment(AdjustmentKind.Negative, 1).Lines[0].Reason);
    }

    [Fact]
    public void Full_facts_reach_exactly_100_and_subtotals_add_up()
    {
        var facts = FullMarks(Hechi);
        var result = ScoringEngine.Score(Hechi, facts);
        Assert.Equal(100m, result.Base);
        Assert.Equal(100m, result.Total);
        Assert.All(result.Items, i => Assert.Equal(i.Max, i.Score));
        Assert.Equal(result.Base, result.Targets.Sum(t => t.Score));
        Assert.Equal(result.Base, result.Indicators.Sum(t => t.Score));
        Assert.Equal(18, result.Indicators.Count);

        var taijiang = ScoringEngine.Score(Taijiang, FullMarks(Taijiang) with { StaffSize = 20 });
        Assert.Equal(100m, taijiang.Total);
    }

    [Fact]
    public void Every_line_of_the_trail_names_rule_source_fact_and_points()
    {
        var result = ScoringEngine.Score(Hechi, new Facts { Rates = One("7.2", 85m) });
        Assert.Equal(Hechi.Items.Sum(i => i.Rules.Count) + Hechi.AllAdjustments.Sum(a => a.Item.Rules.Count), result.Trail.Count());
        Assert.All(result.Trail, l =>
        {
            Assert.False(string.IsNullOrEmpty(l.RuleId));
            Assert.False(string.IsNullOrEmpty(l.Source));
            Assert.False(string.IsNullOrEmpty(l.Fact));
        });
        Assert.Equal(1m, result.Base);
    }

    [Fact]
    public void Invalid_facts_are_refused_with_path_and_reason()
    {
        var ex = Assert.Throws<InvalidFactsException>(() => ScoringEngine.Score(Hechi, new Facts
        {
            Checks = new Dictionary<string, bool> { ["99.1"] = true, ["7.2"] = true },
            Rates = One("7.2", 120m),
            Cases = [new Case("P1.1", "x", Category: "unknown"), new Case("1.1")],
            Flags = ["bogus"],
        }));
        var paths = ex.Errors.Select(e => e.Path).ToList();
        Assert.Contains("$.checks['99.1']", paths);
        Assert.Contains("$.checks['7.2']", paths);
        Assert.Contains("$.rates['7.2']", paths);
        Assert.Contains("$.cases[0].category", paths);
        Assert.Contains("$.cases[1].rule", paths);
        Assert.Contains("$.flags[0]", paths);
        Assert.Contains(ex.Errors, e => e.Reason.Contains("民族工作事项"));
    }

    /// <summary>Facts that satisfy every rule of every item (derived from the rules, not typed in).</summary>
    internal static Facts FullMarks(Programme p)
    {
        var rules = p.Items.SelectMany(i => i.Rules).ToList();
        return new Facts
        {
            Checks = rules.OfType<CheckRule>().ToDictionary(r => r.Id, _ => true),
            Rates = rules.OfType<TierRule>().ToDictionary(r => r.Id, _ => 100m),
            Counts = rules.OfType<CountRule>().Select(r => (r.Id, r.Min))
                .Concat(rules.OfType<StaffCountRule>().Select(r => (r.Id, r.Requirements.Max(q => q.Required))))
                .ToDictionary(x => x.Id, x => x.Item2),
            People = rules.OfType<PerPersonRule>().ToDictionary(r => r.Id, _ => new PeopleCount(5, 5)),
            Cases = rules.OfType<LevelRule>().SelectMany(r => Enumerable.Range(0, 10)
                .Select(i => new Case(r.Id, $"c{i}", r.Levels.MaxBy(l => l.Points)!.Level))).ToList(),
        };
    }
}
