namespace CreationWorkflow.Core.Tests.Scoring;

/// <summary>
/// Issue 13 point 8: two readings of Taijiang's list, each checked against the clause as printed in the source document
/// (docs/sources/000_b52ab548b288fab5.txt) and the rule seed/ holds for it. Points are the rule's own, never typed in.
/// </summary>
public sealed class TaijiangReadingsTests
{
    private static readonly Programme Taijiang = Repo.Taijiang;

    private static readonly string Source = File.ReadAllText(Path.Combine(Repo.Root, "docs", "sources", "000_b52ab548b288fab5.txt"));

    /// <summary>The rule of a Taijiang item, after checking that its clause is printed in the source as seed/ quotes it.</summary>
    private static T RuleQuoting<T>(int item, string clause) where T : Rule
    {
        Assert.Contains(clause, Source, StringComparison.Ordinal);
        var rule = Assert.IsType<T>(Assert.Single(Taijiang.Items.Single(i => i.No == item).Rules));
        Assert.Contains(clause, rule.Text, StringComparison.Ordinal);
        return rule;
    }

    private static ExplanationLine Line(ScoreResult result, int item) => Assert.Single(result.Item(item).Lines);

    // 2.3 "已获民族团结进步示范单位命名的，县级2分，州级4分、省级6分；（6分）": no 国家级 is printed.
    [Fact]
    public void A_national_title_under_2_3_counts_at_the_highest_level_listed_and_the_trail_says_so()
    {
        var rule = RuleQuoting<LevelRule>(7, "已获民族团结进步示范单位命名的，县级2分，州级4分、省级6分");
        Assert.DoesNotContain(rule.Levels, l => l.Level == Level.National);
        var facts = new Facts { Cases = [new Case(rule.Id, "全国民族团结进步示范单位", Level.National)] };

        Assert.Empty(FactsValidator.Validate(Taijiang, facts)); // accepted: the unit's scoring goes on
        var result = ScoringEngine.Score(Taijiang, facts);
        var highest = rule.Levels.MaxBy(l => l.Level)!;
        Assert.Equal(Level.Province, highest.Level);
        Assert.Equal(Math.Min(highest.Points, rule.Cap), result.Item(7).Score);
        var line = Line(result, 7);
        Assert.Contains("国家级", line.Fact, StringComparison.Ordinal);
        Assert.Contains("本条未列国家级，按所列最高级别省（区）级计", line.Reason, StringComparison.Ordinal);

        // With a 州级 title beside it (combine max), the national one still wins at the province's points.
        var both = ScoringEngine.Score(Taijiang, facts with { Cases = [.. facts.Cases, new Case(rule.Id, "州级示范单位", Level.Prefecture)] });
        Assert.Equal(highest.Points, both.Item(7).Score);
    }

    // 2.4 "年内获得县级表彰1分，州级2分，省级3分；不同奖项可累加，最高不超过7分。（7分）"
    [Fact]
    public void A_national_award_under_2_4_counts_as_provincial_adds_up_with_others_and_keeps_the_cap()
    {
        var rule = RuleQuoting<LevelRule>(8, "年内获得县级表彰1分，州级2分，省级3分；不同奖项可累加，最高不超过7分");
        var province = rule.PointsFor(Level.Province);
        var county = rule.PointsFor(Level.County);
        Assert.Equal(province, rule.PointsFor(Level.National));

        var facts = new Facts { Cases = [new Case(rule.Id, "全国民族团结进步模范集体", Level.National), new Case(rule.Id, "县级表彰", Level.County)] };
        Assert.Empty(FactsValidator.Validate(Taijiang, facts));
        var result = ScoringEngine.Score(Taijiang, facts);
        Assert.Equal(province + county, result.Item(8).Score);
        Assert.Contains("本条未列国家级，按所列最高级别省（区）级计", Line(result, 8).Reason, StringComparison.Ordinal);

        // Three national awards: 3 × province, capped at 最高不超过7分.
        var many = new Facts { Cases = [.. Enumerable.Range(1, 3).Select(k => new Case(rule.Id, $"国家级奖项{k}", Level.National))] };
        Assert.Equal(Math.Min(3 * province, rule.Cap), ScoringEngine.Score(Taijiang, many).Item(8).Score);
        Assert.Contains("封顶", Line(ScoringEngine.Score(Taijiang, many), 8).Reason, StringComparison.Ordinal);
    }

    // Through the whole unit: one national title no longer stops the rest of the unit's scoring.
    [Fact]
    public void A_national_title_no_longer_stops_the_units_other_items()
    {
        var facts = new Facts
        {
            Cases = [new Case("7.1", "全国示范单位", Level.National)],
            Counts = new Dictionary<string, int> { ["5.1"] = 4 },
        };
        var result = ScoringEngine.Score(Taijiang, facts);
        Assert.Equal(Taijiang.Items.Single(i => i.No == 5).Points, result.Item(5).Score);
        Assert.Equal(result.Items.Sum(i => i.Score), result.Base);
    }

    // 第6项 "向县创建办提交材料，积极申报民族团结进步示范单位（获得州级及其以上示范单位可以巩固提升2年，巩固期间不扣分）；（1分）"
    [Theory]
    [InlineData(null, false)]
    [InlineData(Level.County, false)]
    [InlineData(Level.Prefecture, true)]
    [InlineData(Level.Province, true)]
    [InlineData(Level.National, true)]
    public void The_consolidation_exemption_needs_a_prefecture_or_higher_title(Level? title, bool exempt)
    {
        var rule = RuleQuoting<CheckRule>(6, "获得州级及其以上示范单位可以巩固提升2年，巩固期间不扣分");
        Assert.Equal(Flags.Consolidation, rule.ExemptWhen);
        var facts = new Facts { Flags = [Flags.Consolidation], TitleLevel = title };

        Assert.Empty(FactsValidator.Validate(Taijiang, facts));
        var result = ScoringEngine.Score(Taijiang, facts);
        var line = Line(result, 6);
        Assert.Equal(exempt ? rule.Points : 0m, result.Item(6).Score);
        if (exempt)
        {
            Assert.Contains("巩固期间不扣分", line.Reason, StringComparison.Ordinal);
            Assert.Contains(LevelRule.LevelNames[title!.Value], line.Fact, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("仅适用于", line.Reason, StringComparison.Ordinal);
            Assert.Contains("州级及其以上", line.Reason, StringComparison.Ordinal);
        }
        // A claim that does not apply is scored as usual: the check itself still counts.
        var held = ScoringEngine.Score(Taijiang, facts with { Checks = new Dictionary<string, bool> { [rule.Id] = true } });
        Assert.Equal(rule.Points, held.Item(6).Score);
    }

    [Fact]
    public void A_title_alone_is_not_a_consolidation_claim() =>
        Assert.Equal(0m, ScoringEngine.Score(Taijiang, new Facts { TitleLevel = Level.Province }).Item(6).Score);
}
