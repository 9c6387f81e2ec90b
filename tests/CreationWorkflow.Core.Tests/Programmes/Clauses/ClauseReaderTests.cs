using CreationWorkflow.Core.Programmes.Clauses;

namespace CreationWorkflow.Core.Tests.Programmes.Clauses;

/// <summary>One case per clause pattern the reader knows, and the ones it must flag rather than guess.</summary>
public sealed class ClauseReaderTests
{
    /// <summary>name, item id, 测评内容, 分值, the rules (ClauseMeasurement.Shape, " | " between), the flags (kinds, " " between).</summary>
    public static TheoryData<string, string, string, decimal, string, string> Cases => new()
    {
        // （得N分） markers → checks; full-width digits, a marker broken over a line, the clause keeps its separator.
        { "markers", "1", "机构健全（得１分）。职责明确，措施具体（得 1\n分），考核有据（得2分）。", 4m, "1.1 check 1 | 1.2 check 1 | 1.3 check 2", "" },
        { "taijiang markers", "4", "工作计划（2分）；工作方案(2分)；有记录、简报；3分；", 7m, "4.1 check 2 | 4.2 check 2 | 4.3 check 3", "" },
        { "no marker: one check for the 分值", "12", "坚持以社会主义核心价值观为引领。", 1m, "12.1 check 1", "" },
        { "no marker but rates: check, flagged", "47", "创建工作覆盖率不低于80%，重点单位达到100%。", 2m, "47.1 check 2", "Ambiguous" },
        { "conditional deductions", "1", "成立领导小组（3分）。（人员变动未调整的-1分； 主要领导不是第一责任人-1分）。", 3m,
            "1.1 check 3 [1.1-d1 人员变动未调整的 -1] [1.1-d2 主要领导不是第一责任人 -1]", "" },
        { "deduction after the points", "2", "专栏按时更新（2分），未按时更新的扣1分。", 2m, "2.1 check 2 [2.1-d1 未按时更新的 -1]", "" },
        { "consolidation exemption", "6", "积极申报示范单位（获得州级及其以上示范单位可以巩固提升2年，巩固期间不扣分）；（1分）", 1m, "6.1 exempt:consolidation check 1", "" },

        // Tiers: non-strict, strict, ranges either way round, 以上/以下, full-width, gaps and stray bounds flagged.
        { "tier, issue's wording", "40", "满意度≥90%得2分，80%—89%得1分，<80%不得分", 2m, "40.1 tier satisfaction ≥90:2 ≥80:1", "" },
        { "tier, strict top", "37", "满意度逐年提高。满意度>90%（得2分），满意度89%—80%（得1分），满意度<80%（不得分）。", 2m, "37.1 tier satisfaction >90:2 ≥80:1", "" },
        { "tier, full-width", "7", "知晓率＞９０％（得２分），８０％～８９％（得１分），＜８０％（不得分）", 2m, "7.1 tier awareness >90:2 ≥80:1", "" },
        { "tier, 以上 and 以下", "9", "创建覆盖率90%以上得3分，80%-89%得2分，70%-79%得1分，70%以下不得分。", 3m, "9.1 tier coverage ≥90:3 ≥80:2 ≥70:1", "" },
        { "tier, gap between bands", "9", "满意度≥90%得2分，70%—79%得1分，<70%不得分", 2m, "9.1 tier satisfaction ≥90:2 ≥70:1", "Ambiguous" },
        { "tier, zero bound not the lowest band", "9", "知晓率≥90%（得2分），≥80%（得1分），<70%（不得分）", 2m, "9.1 tier awareness ≥90:2 ≥80:1", "Ambiguous" },
        { "check then tier in one item", "7", "作为培训必修课（得1分）：干部知晓率≥90%（得2分），≥80%（得1分），<80%（不得分）。", 3m,
            "7.1 check 1 | 7.2 tier awareness ≥90:2 ≥80:1", "" },

        // Counts: 不少于N次 all or nothing, with 少一次扣, 以上, Chinese numerals; 不少于1 and money are checks.
        { "count, all or nothing", "3", "每年专题研究创建工作不少于2次（得1分）。", 1m, "3.1 count 1 min 2 per -", "" },
        { "count with deduction", "5", "专题研究创建工作年度不少于4次；（4分，少一次-1分）", 4m, "5.1 count 4 min 4 per 1", "" },
        { "count, 以上 and deduction before points", "11", "设立宣传专栏，年更新内容4次以上，少一次-1分；（4分）", 4m, "11.1 count 4 min 4 per 1", "" },
        { "count, 少一篇（条）", "12", "信息简报年内不少于12篇（条），少一篇（条）-1分；（12分）", 12m, "12.1 count 12 min 12 per 1", "" },
        { "count, Chinese numeral", "3", "设立创建工作办公室，工作人员不少于两人（2分）。", 2m, "3.1 count 2 min 2 per -", "" },
        { "count of one is a check", "10", "宣传标语不少于1条，LED显示屏播放；（2分）", 2m, "10.1 check 2", "" },
        { "money threshold is a check", "4", "创建经费不少于3000元（2分）。", 2m, "4.1 check 2", "" },
        { "two counts in one clause: flagged", "8", "开展活动不少于2次，培训不少于3次（得2分）", 2m, "8.1 check 2", "Ambiguous" },

        // Levels: highest only, summed with a cap, same content once; no cap flagged.
        { "level, best title", "7", "已获示范单位命名的，县级2分，州级4分、省级6分；（6分）", 6m, "7.1 level max cap 6 County:2 Prefecture:4 Province:6", "" },
        { "level, summed and capped", "8", "年内获得县级表彰1分，州级2分，省级3分；不同奖项可累加，最高不超过7分。（7分）", 7m,
            "8.1 level sum cap 7 highest County:1 Prefecture:2 Province:3", "" },
        { "level, 只取最高分值", "15", "信息被采用的，国家级得4分、省级得3分、州级得2分、县级1分，同一内容只取最高分值，最多得分10分。", 10m,
            "15.1 level sum cap 10 highest National:4 Province:3 Prefecture:2 County:1", "" },
        { "level, 最高N分 above the top level adds up", "8", "县级1分、州级2分、省级3分、国家级4分，最高5分", 5m,
            "8.1 level sum cap 5 County:1 Prefecture:2 Province:3 National:4", "" },
        { "level, no cap", "7", "县级1分、州级2分、省级3分", 3m, "7.1 level max cap 3 County:1 Prefecture:2 Province:3", "Ambiguous" },
        { "unknown level word: checks, flagged", "8", "县级1分、区级2分；", 3m, "8.1 check 1 | 8.2 check 2", "Ambiguous Ambiguous" },
        { "level summed without a cap: unreadable", "8", "每获县级表彰1分、州级2分，可累加。", 4m, "", "Unreadable PointsMismatch" },

        // Per case: bonus with cap, penalty categories, no cap in a scored item flagged.
        { "per case with cap", "B1", "近两年辖区工作受到党中央、国务院肯定的。每例加3分，最高累计不超过10分。", 0m, "B1.1 perCase 3 cap 10", "" },
        { "per case, two in one item", "B4", "创建工作有创新，每例加2分，最高累计不超过6分；受到部委肯定的。每\n例加 3 分，最高累计\n不超过10分。", 0m,
            "B4.1 perCase 2 cap 6 | B4.2 perCase 3 cap 10", "" },
        { "penalty categories", "P1", "被通报批评的。民族工作事项每例扣5分，其他工作事项每例扣3分。", 0m,
            "P1.1 perCase - cap - [ethnic 民族工作事项 5] [other 其他工作事项 3]", "" },
        { "per case without a verb", "B6", "开展特色活动的，每项1分，最高不超过3分。", 0m, "B6.1 perCase 1 cap 3", "" },
        { "penalty per case", "P3", "创建工作中存在隐瞒事实，弄虚作假的。每例扣5分。", 0m, "P3.1 perCase 5 cap -", "" },
        { "per case in a scored item, capped by its points", "20", "每发表一篇理论文章加1分（5分）", 5m, "20.1 perCase 1 cap 5", "Ambiguous" },
        { "per case without a cap in a scored item", "21", "每发表一篇理论文章加1分。", 5m, "21.1 perCase 1 cap -", "PointsMismatch" },

        // Negative list, staff bands, per person, sub-scores.
        { "once", "N1", "年内发生涉及民族宗教问题舆情及案件的，造成重大影响的一次性扣20分。", 0m, "N1.1 once 20", "" },
        { "negative list without 一次性", "N2", "发生重大涉民族因素案件的扣20分。", 0m, "N2.1 once 20", "" },
        { "staff bands", "20", "按工作人员人数：1-10人5篇；11-30人15篇；31人以上20篇（5分）", 5m, "20.1 staffCount 5 1-10:5 11-30:15 31-:20 per -", "" },
        { "staff bands overlapping", "20", "心得体会，5分。（1-10人单位5篇；11-30人15篇；30-50人单位20篇；50人以上30篇）", 5m,
            "20.1 staffCount 5 1-10:5 11-30:15 31-50:20 51-:30 per -", "Ambiguous" },
        { "staff bands 以下 and 以上, deduction after the points", "20", "按工作人员人数，10人以下3篇，11-30人5篇，30人以上8篇（3分），少一篇扣0.5分。", 3m,
            "20.1 staffCount 3 1-10:3 11-30:5 31-:8 per 0.5", "Ambiguous" },
        { "per person", "9", "领导班子成员均参加专题学习（3分），少一人扣0.5分。", 3m, "9.1 perPerson 3 per 0.5", "" },
        { "sub-scores with per person", "20", "纳入民主生活会检查剖析范围，4分（班子1分，个人3分；班子个人少一人扣0.5分；共4分）；", 4m,
            "20.1 check 1 | 20.2 perPerson 3 per 0.5", "" },

        // What it will not guess.
        { "points range", "30", "视工作成效酌情得1-2分。", 2m, "", "Unreadable PointsMismatch" },
        { "points in Chinese numerals", "31", "建立工作机制的得三分。", 3m, "", "Unreadable PointsMismatch" },
        { "rules short of the 分值", "32", "机构健全（得1分）。职责明确（得1分）。", 3m, "32.1 check 1 | 32.2 check 1", "PointsMismatch" },
        { "a requirement after the last points", "33", "机构健全（得1分）。职责明确（得1分）。各成员单位协调配合密切。", 2m, "33.1 check 1 | 33.2 check 1", "Ambiguous" },
        { "points mentioned but no clause", "B9", "成效显著的，由领导小组研究加分。", 0m, "", "Unreadable" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_the_clause_pattern(string name, string itemId, string content, decimal points, string rules, string flags)
    {
        var reading = ClauseReader.Read(itemId, content, "", points);
        var detail = $"{name}: {string.Join(" | ", reading.Flags.Select(f => $"{f.Kind} {f.Message} «{f.Clause}»"))}";
        Assert.True(rules == string.Join(" | ", reading.Rules.Select(ClauseMeasurement.Shape)),
            $"{detail}\nexpected {rules}\nactual   {string.Join(" | ", reading.Rules.Select(ClauseMeasurement.Shape))}");
        Assert.True(flags == string.Join(" ", reading.Flags.Select(f => f.Kind)), detail);
        AssertSpans(content, reading);
    }

    /// <summary>Every rule keeps a substring of the text; every flag's clause is the text at its span.</summary>
    internal static void AssertSpans(string content, ClauseReading reading)
    {
        Assert.All(reading.Rules, r => Assert.Contains(r.Text, content, StringComparison.Ordinal));
        Assert.All(reading.Flags, f => Assert.Equal(content.Substring(f.Start, f.Length), f.Clause));
        Assert.All(reading.Flags, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
    }

    [Fact]
    public void A_whole_cell_of_numbered_clauses_reads_clause_by_clause()
    {
        // Taijiang 考核内容1 as one cell, numbering and all (line 10 of the source).
        const string cell = "1.成立2022年民族团结进步工作领导小组文件（正式有效文件）（3分）。（年内有人员变动的，没有及时更换调整领导小组文件的-1分； 单位主要领导不是第一责任人-1分）。2、班子分工文件明确分管领导的（1分）。3、设立创建工作办公室，工作人员不少于两人（2分）。 4、有2022年民族团结进步创建或巩固提升工作计划（2分）；工作方案（2分）；半年和年终工作总结（2分）；创建经费不少于3000元（2分）。";
        var reading = ClauseReader.Read("1", cell, "", 14m);
        Assert.Equal(
            ["1.1 check 3 [1.1-d1 年内有人员变动的，没有及时更换调整领导小组文件的 -1] [1.1-d2 单位主要领导不是第一责任人 -1]", "1.2 check 1", "1.3 count 2 min 2 per -",
             "1.4 check 2", "1.5 check 2", "1.6 check 2", "1.7 check 2"],
            reading.Rules.Select(ClauseMeasurement.Shape));
        Assert.Empty(reading.Flags);
        Assert.Equal("2、班子分工文件明确分管领导的（1分）。", reading.Rules[1].Text);
    }

    [Fact]
    public void Any_line_of_the_source_documents_reads_without_failing()
    {
        foreach (var file in Directory.GetFiles(ClauseMeasurement.SharedSeeds, "*.txt"))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                var reading = ClauseReader.Read("1", line, line, 1m);
                Assert.All(reading.Rules, r => Assert.Contains(r.Text, line + "\n" + line, StringComparison.Ordinal));
                Assert.All(reading.Flags, f => Assert.Equal((line + "\n" + line).Substring(f.Start, f.Length), f.Clause));
                Assert.True(reading.Rules.Count > 0 || reading.Flags.Count > 0, line);
            }
        }
    }

    [Fact]
    public void Each_rule_keeps_the_exact_clause_it_came_from()
    {
        const string content = "党委政府高度重视。由统一战线领导\n小组统筹（得 1分）。领导小组机构健全，\n责任清晰（得 1 分）。";
        var reading = ClauseReader.Read("1", content, "", 2m);
        Assert.Equal(["党委政府高度重视。由统一战线领导\n小组统筹（得 1分）。", "领导小组机构健全，\n责任清晰（得 1 分）。"], reading.Rules.Select(r => r.Text));
        Assert.Empty(reading.Flags);
    }

    [Fact]
    public void A_flag_names_the_clause_and_its_span_in_the_content()
    {
        const string content = "机构健全（得1分）。视工作成效酌情得1-2分。";
        var reading = ClauseReader.Read("5", content, "网上申报", 3m);
        var unreadable = Assert.Single(reading.Flags, f => f.Kind == ClauseFlagKind.Unreadable);
        Assert.Equal("视工作成效酌情得1-2分。", unreadable.Clause);
        Assert.Equal(content.IndexOf("视工作", StringComparison.Ordinal), unreadable.Start);
        Assert.Contains("1-2分", unreadable.Message);
        var mismatch = Assert.Single(reading.Flags, f => f.Kind == ClauseFlagKind.PointsMismatch);
        Assert.Equal("规则合计1分，与分值3分不符", mismatch.Message);
        Assert.Equal((0, content.Length), (mismatch.Start, mismatch.Length));
    }

    [Fact]
    public void Points_in_the_method_column_are_read_after_the_content()
    {
        const string content = "建立工作台账（2分）";
        var reading = ClauseReader.Read("6", content, "查阅资料，未归档的-0.5分", 2m);
        var rule = Assert.IsType<CheckRule>(Assert.Single(reading.Rules));
        Assert.Equal(0.5m, Assert.Single(rule.Deductions).Points);
        Assert.Empty(reading.Flags);
        Assert.StartsWith(content, rule.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_content_counted_once_is_read_for_a_bonus_item()
    {
        var reading = ClauseReader.Read("B3", "被中办采用编发的。每例得2分，最高累计不超过6分。被国家部委采用编发的。每例得加1分，最高累计不超过5分。（同一内容事项信息同时被多个部门采用编发，只取最高分值加分，不累计加分）。", "", 0m);
        Assert.True(reading.HighestPerContent);
        Assert.Equal(["B3.1 perCase 2 cap 6", "B3.2 perCase 1 cap 5"], reading.Rules.Select(ClauseMeasurement.Shape));
        Assert.Empty(reading.Flags);
    }

    [Fact]
    public void Reading_the_same_text_twice_gives_the_same_rules()
    {
        const string content = "满意度≥90%得2分，80%—89%得1分，<80%不得分";
        Assert.Equal(ClauseReader.Read("40", content, "", 2m).Rules, ClauseReader.Read("40", content, "", 2m).Rules, new RuleShapes());
    }

    private sealed class RuleShapes : IEqualityComparer<Rule>
    {
        public bool Equals(Rule? x, Rule? y) => x is not null && y is not null && ClauseMeasurement.Shape(x) == ClauseMeasurement.Shape(y) && x.Text == y.Text;

        public int GetHashCode(Rule obj) => ClauseMeasurement.Shape(obj).GetHashCode(StringComparison.Ordinal);
    }
}
