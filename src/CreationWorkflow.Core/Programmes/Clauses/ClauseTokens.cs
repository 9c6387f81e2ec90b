namespace CreationWorkflow.Core.Programmes.Clauses;

internal enum TokenKind
{
    /// <summary>A run of rate thresholds with their points (≥90%得2分，80%—89%得1分，&lt;80%不得分).</summary>
    Tier,
    /// <summary>县级1分 (a level with its points).</summary>
    Level,
    /// <summary>每例加3分.</summary>
    PerCase,
    /// <summary>最高不超过10分.</summary>
    Cap,
    /// <summary>一次性扣20分.</summary>
    Once,
    /// <summary>少一次-1分 / 少一人扣0.5分.</summary>
    Missing,
    /// <summary>…的-1分: a conditional deduction.</summary>
    Deduction,
    /// <summary>共4分.</summary>
    Sum,
    /// <summary>（得1分） / （3分） / ，3分；: the points a clause is worth.</summary>
    Head,
    /// <summary>A Head inside the parenthesis after a clause's head (班子1分，个人3分).</summary>
    Sub,
    /// <summary>Points the reader will not guess (得1-2分, 得三分).</summary>
    Unknown,
}

/// <summary>One points mention in the normalised text, [Start, End).</summary>
internal sealed class Token(TokenKind kind, int start, int end, decimal points)
{
    public TokenKind Kind { get; set; } = kind;
    public int Start { get; } = start;
    public int End { get; } = end;
    public decimal Points { get; } = points;

    /// <summary>Head: where the marker begins ('(' or 得); its own parenthesis ends at GroupEnd (exclusive).</summary>
    public int LeadStart { get; init; } = start;
    public int GroupEnd { get; init; } = end;

    public Level? Level { get; init; }
    public string? Unit { get; init; }
    public TierRun? Tier { get; init; }

    /// <summary>Where the clause of a tier starts: the segment holding its measure.</summary>
    public int SegmentStart { get; init; } = start;
}

internal sealed record TierRun(string Measure, IReadOnlyList<Tier> Tiers, IReadOnlyList<decimal> Uppers, decimal? ZeroBelow);

/// <summary>Finds the points mentions of a normalised text, most specific pattern first.</summary>
internal static partial class ClauseTokens
{
    private const string Num = @"\d+(?:\.\d+)?";
    private const string MeasureWord = @"(?:[\p{IsCJKUnifiedIdeographs}]{0,6}(?:率|度)\s*)?";
    private const string Threshold =
        @"(?:(?<lo>" + Num + @")\s*%?\s*(?:-+|~|至|到)\s*(?<hi>" + Num + @")\s*%"
        + @"|(?<cmp>≥|>=|大于等于|>|不低于|高于|超过|大于|达到)\s*(?<min>" + Num + @")\s*%(?:\s*(?:及以上|以上))?"
        + @"|(?<min2>" + Num + @")\s*%\s*(?:及以上|\(含\)以上|以上))";
    private const string TierPoints = @"\s*\(?\s*(?:得|计)?\s*(?<p>" + Num + @")\s*分\s*\)?";
    private const string Zero =
        @"(?:(?:<|低于|不足|不到|小于|未达到)\s*(?<z>" + Num + @")\s*%|(?<z2>" + Num + @")\s*%\s*(?:及以下|以下))"
        + @"\s*\(?\s*(?:不得分|得0分|0分|不计分|不给分)\s*\)?";

    [GeneratedRegex(Threshold + TierPoints)]
    private static partial Regex TierFirst();

    [GeneratedRegex(@"\G[\s,;、]*" + MeasureWord + Threshold + TierPoints)]
    private static partial Regex TierNext();

    [GeneratedRegex(@"\G[\s,;、]*" + MeasureWord + Zero)]
    private static partial Regex TierZero();

    [GeneratedRegex(@"知晓率|满意度|满意率|覆盖率")]
    private static partial Regex Measure();

    [GeneratedRegex(@"(?<lv>国家级?|全国|(?:省|自治区|州|市|地|县)(?:\([^()]{1,4}\))?级)(?<mid>[\p{IsCJKUnifiedIdeographs}]{0,4}?)\s*\(?\s*(?:得|加|计)?\s*(?<p>" + Num + @")\s*分\s*\)?")]
    private static partial Regex LevelPair();

    [GeneratedRegex(@"^[\s,;、和及或]*$")]
    private static partial Regex LevelGlue();

    [GeneratedRegex(@"每(?:(?!年|月|季|半年|周|日|天|少|缺)[\p{IsCJKUnifiedIdeographs}]{0,12}?\s*(?:得|加|扣|减|计)+|(?:例|项|次|篇|条|个|件|起))\s*(?<p>" + Num + @")\s*分")]
    private static partial Regex PerCase();

    [GeneratedRegex(@"(?:最高(?:累计)?(?:不超过|不得超过|可得|可加|得|加|计)?|最多(?:得分|可得|得|加|计)?|封顶|上限为?|(?:累计|合计)?不超过)\s*(?<p>" + Num + @")\s*分")]
    private static partial Regex Cap();

    [GeneratedRegex(@"一次性(?:扣除|扣|减|加|计)?\s*(?<p>" + Num + @")\s*分")]
    private static partial Regex Once();

    [GeneratedRegex(@"每?(?:少|缺)(?:一|1)\s*(?<u>次|篇|条|人|个|项|期|场|名|份)(?:\([^()]{1,3}\))?\s*(?:扣|减|-)?\s*(?<p>" + Num + @")\s*分")]
    private static partial Regex Missing();

    [GeneratedRegex(@"(?:(?<![\d.%)])-|扣除|扣|减)\s*(?<p>" + Num + @")\s*分")]
    private static partial Regex Deduction();

    [GeneratedRegex(@"共\s*(?<p>" + Num + @")\s*分")]
    private static partial Regex Sum();

    [GeneratedRegex(@"(?<!\d)" + Num + @"\s*(?:-|~|至)\s*" + Num + @"\s*分|(?:得|加|扣|减)\s*[一二两三四五六七八九十]+\s*分(?!钟|之)")]
    private static partial Regex Unknown();

    [GeneratedRegex(@"(?<![\d.])(?<p>" + Num + @")\s*分(?!钟|之|局|会|院|队|公司|校|行|社|中心|类|档|别|批|管|工|值|布|析|配|享|散)")]
    private static partial Regex Points();

    [GeneratedRegex(@"(?:\(\s*(?:得|计)?|得|计)\s*$")]
    private static partial Regex HeadLead();

    public static List<Token> Find(string t)
    {
        var taken = new bool[t.Length];
        var tokens = new List<Token>();
        bool Free(int s, int e)
        {
            for (var i = s; i < e; i++)
            {
                if (taken[i])
                {
                    return false;
                }
            }
            return true;
        }
        void Take(Token token, int s, int e)
        {
            Array.Fill(taken, true, s, e - s);
            tokens.Add(token);
        }
        void Each(Regex regex, Func<Match, Token?> make)
        {
            foreach (Match m in regex.Matches(t))
            {
                if (Free(m.Index, m.Index + m.Length) && make(m) is { } token)
                {
                    Take(token, m.Index, m.Index + m.Length);
                }
            }
        }
        static decimal P(Match m) => ClauseText.Number(m.Groups["p"].Value);

        FindTiers(t, Free, Take);
        FindLevels(t, Free, Take);
        Each(PerCase(), m => new Token(TokenKind.PerCase, m.Index, m.Index + m.Length, P(m)));
        Each(Cap(), m => new Token(TokenKind.Cap, m.Index, m.Index + m.Length, P(m)));
        Each(Once(), m => new Token(TokenKind.Once, m.Index, m.Index + m.Length, P(m)));
        Each(Missing(), m => new Token(TokenKind.Missing, m.Index, m.Index + m.Length, P(m)) { Unit = m.Groups["u"].Value });
        Each(Unknown(), m => new Token(TokenKind.Unknown, m.Index, m.Index + m.Length, 0m));
        Each(Deduction(), m => new Token(TokenKind.Deduction, m.Index, m.Index + m.Length, P(m)));
        Each(Sum(), m => new Token(TokenKind.Sum, m.Index, m.Index + m.Length, P(m)));
        Each(Points(), m =>
        {
            var lead = HeadLead().Match(t, Math.Max(0, m.Index - 4), m.Index - Math.Max(0, m.Index - 4));
            var leadStart = lead.Success ? lead.Index : m.Index;
            var end = m.Index + m.Length;
            var groupEnd = end;
            if (t[leadStart] == '(' && ClauseText.MatchParen(t, leadStart) is var close and >= 0)
            {
                groupEnd = close + 1;
            }
            return new Token(TokenKind.Head, m.Index, end, P(m)) { LeadStart = leadStart, GroupEnd = groupEnd };
        });
        tokens.Sort((a, b) => a.Start.CompareTo(b.Start));
        return tokens;
    }

    private static void FindTiers(string t, Func<int, int, bool> free, Action<Token, int, int> take)
    {
        foreach (Match first in TierFirst().Matches(t))
        {
            if (!free(first.Index, first.Index + first.Length))
            {
                continue;
            }
            var tiers = new List<Tier>();
            var uppers = new List<decimal>();
            void Add(Match m)
            {
                var points = ClauseText.Number(m.Groups["p"].Value);
                if (m.Groups["lo"].Success)
                {
                    var lo = ClauseText.Number(m.Groups["lo"].Value);
                    var hi = ClauseText.Number(m.Groups["hi"].Value);
                    tiers.Add(new Tier(Math.Min(lo, hi), points));
                    uppers.Add(Math.Max(lo, hi));
                    return;
                }
                var cmp = m.Groups["cmp"].Value;
                var min = ClauseText.Number(m.Groups[m.Groups["min"].Success ? "min" : "min2"].Value);
                tiers.Add(new Tier(min, points, Exclusive: cmp is ">" or "高于" or "超过" or "大于"));
                uppers.Add(decimal.MaxValue);
            }
            Add(first);
            var end = first.Index + first.Length;
            while (TierNext().Match(t, end) is { Success: true } next && free(next.Index, next.Index + next.Length))
            {
                Add(next);
                end = next.Index + next.Length;
            }
            decimal? zero = null;
            if (TierZero().Match(t, end) is { Success: true } z && free(z.Index, z.Index + z.Length))
            {
                zero = ClauseText.Number(z.Groups[z.Groups["z"].Success ? "z" : "z2"].Value);
                end = z.Index + z.Length;
            }
            var segment = first.Index;
            while (segment > 0 && !ClauseText.IsSegmentBreak(t[segment - 1]))
            {
                segment--;
            }
            var head = t[segment..first.Index];
            var measure = Measure().Match(head) is { Success: true } mm ? mm.Value switch
            {
                "知晓率" => "awareness",
                "满意度" or "满意率" => "satisfaction",
                _ => "coverage",
            } : "rate";
            var run = new TierRun(measure, tiers, uppers, zero);
            take(new Token(TokenKind.Tier, first.Index, end, tiers.Max(x => x.Points)) { Tier = run, SegmentStart = segment }, first.Index, end);
        }
    }

    private static void FindLevels(string t, Func<int, int, bool> free, Action<Token, int, int> take)
    {
        var pairs = LevelPair().Matches(t).Where(m => free(m.Index, m.Index + m.Length)).ToList();
        // A level with points counts only in a run of two or more (县级1分、州级2分…): a lone one is something else.
        for (var i = 0; i < pairs.Count;)
        {
            var j = i;
            while (j + 1 < pairs.Count && pairs[j + 1].Index >= pairs[j].Index + pairs[j].Length
                && LevelGlue().IsMatch(t[(pairs[j].Index + pairs[j].Length)..pairs[j + 1].Index]))
            {
                j++;
            }
            if (j > i)
            {
                for (var k = i; k <= j; k++)
                {
                    var m = pairs[k];
                    take(new Token(TokenKind.Level, m.Index, m.Index + m.Length, ClauseText.Number(m.Groups["p"].Value))
                    {
                        Level = LevelOf(m.Groups["lv"].Value),
                    }, m.Index, m.Index + m.Length);
                }
            }
            i = j + 1;
        }
    }

    private static Level LevelOf(string word) => word[0] switch
    {
        '国' or '全' => Level.National,
        '省' or '自' => Level.Province,
        '州' or '市' or '地' => Level.Prefecture,
        _ => Level.County,
    };
}
