namespace CreationWorkflow.Core.Programmes.Clauses;

/// <summary>
/// Reads an item's scoring clauses (测评内容, 测评方法) into proposed rules of the kinds the engine has, each
/// keeping the exact clause it came from. What it cannot read is flagged with the clause's span, never
/// guessed silently; see docs/clause-reader.md for the patterns and how well it does on the two seed lists.
/// Pure: no I/O, no state; regexes are generated once.
/// </summary>
public static partial class ClauseReader
{
    /// <summary>
    /// Reads one item. <paramref name="itemId"/> is the item's key ("12", bonus "B3", penalty "P1", negative
    /// list "N1"): rule ids are "<c>{itemId}.{n}</c>" in text order, deduction ids "<c>{ruleId}-d{n}</c>".
    /// <paramref name="content"/> is the 测评内容 text (line breaks allowed), <paramref name="method"/> the 测评方法
    /// text (may be empty), <paramref name="points"/> the 分值. The rules' maxima must add up to it (else
    /// <see cref="ClauseFlagKind.PointsMismatch"/>), except for bonus, penalty and negative-list items (an id
    /// not starting with a digit), which have no 分值.
    /// <para>Flag spans index <paramref name="content"/>. Only when the 测评方法 holds points of its own ("每少一项扣0.5分")
    /// is it read too, as the text <c>content + "\n" + method</c>: a span starting after <c>content.Length</c> is in it.</para>
    /// </summary>
    public static ClauseReading Read(string itemId, string content, string method, decimal points)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        ArgumentNullException.ThrowIfNull(content);
        var source = content;
        if (!string.IsNullOrWhiteSpace(method) && ClauseTokens.Find(ClauseText.Normalise(method)).Count > 0)
        {
            source = content + "\n" + method;
        }
        return new Reading(itemId, source, content.Length, points).Run();
    }

    [GeneratedRegex(@"\d+(?:\.\d+)?\s*%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"巩固(?:期间|期内|期)不扣分")]
    private static partial Regex Consolidation();

    [GeneratedRegex(@"只取最高|取最高")]
    private static partial Regex HighestOnly();

    [GeneratedRegex(@"取最高|不得重复|不重复|同一|不同[^。;]{0,6}累加")]
    private static partial Regex HighestPerContentWords();

    [GeneratedRegex(@"(?<!不)(?:可?累加|累计)|每(?!年|月|季)|采用一|一篇")]
    private static partial Regex Accumulate();

    [GeneratedRegex(@"(?:不少于|不低于|至少|不得少于)\s*(?<n>\d+|[一二两三四五六七八九十]{1,3})\s*(?<u>次|篇|条|人|场|期|个|项|份|名|批|起|件|节)|(?<n>\d+)\s*(?<u>次|篇|条|场|期)\s*(?:及以上|以上)")]
    private static partial Regex CountRequirement();

    [GeneratedRegex(@"(?<a>\d+)\s*(?:-|~|至|到)\s*(?<b>\d+)\s*人(?:的)?(?:单位)?\s*(?<n>\d+)\s*(?:篇|次|份|条|个)|(?<a>\d+)\s*人(?:及)?以上(?:的)?(?:单位)?\s*(?<n>\d+)\s*(?:篇|次|份|条|个)|(?<b>\d+)\s*人(?:及)?以下(?:的)?(?:单位)?\s*(?<n>\d+)\s*(?:篇|次|份|条|个)")]
    private static partial Regex StaffBand();

    /// <summary>One clause: [Start, End) of the normalised text and the points mentions in it.</summary>
    private sealed record Clause(int Start, int End, List<Token> Tokens, Token? Closer);

    /// <summary>
    /// One item being read. <c>text</c> is the source normalised and without whitespace (a cell's line breaks
    /// and a PDF's "（得 1分）" fall anywhere in a word); <c>map</c> takes its offsets back to the source.
    /// </summary>
    private sealed class Reading
    {
        private readonly string itemId;
        private readonly string source;
        private readonly decimal points;
        private readonly string text;
        private readonly int[] map;
        private readonly int contentLength;
        private readonly bool isAdjustment;
        private readonly bool isNegative;
        private readonly List<Rule> rules = [];
        private readonly List<ClauseFlag> flags = [];

        public Reading(string itemId, string source, int contentLength, decimal points)
        {
            this.itemId = itemId;
            this.source = source;
            this.points = points;
            (text, map) = ClauseText.Compact(ClauseText.Normalise(source));
            this.contentLength = map.Count(i => i < contentLength);
            isAdjustment = itemId.Length == 0 || !char.IsAsciiDigit(itemId[0]);
            isNegative = itemId.StartsWith('N');
        }

        public ClauseReading Run()
        {
            var tokens = ClauseTokens.Find(text);
            var highest = false;
            if (tokens.Count == 0)
            {
                Unscored();
            }
            else
            {
                var clauses = Split(tokens);
                foreach (var clause in clauses)
                {
                    Interpret(clause);
                }
                highest = isAdjustment && HighestOnly().IsMatch(text);
                Leftovers(clauses);
            }
            CheckTotal();
            return new ClauseReading(rules, flags) { HighestPerContent = highest };
        }

        // ---- splitting into clauses -------------------------------------------------------------------

        private List<Clause> Split(List<Token> tokens)
        {
            var clauses = new List<Clause>();
            var pos = 0;
            var cur = new List<Token>();
            void Emit(int start, int end, Token? closer)
            {
                start = Math.Max(start, pos);
                while (start < end && ClauseText.IsDelimiter(text[start]))
                {
                    start++;
                }
                clauses.Add(new Clause(start, end, cur, closer));
                cur = [];
                pos = end;
            }
            for (var i = 0; i < tokens.Count; i++)
            {
                var t = tokens[i];
                var next = i + 1 < tokens.Count ? tokens[i + 1] : null;
                switch (t.Kind)
                {
                    case TokenKind.Head or TokenKind.Sum:
                        cur.Add(t);
                        Emit(pos, CloseAfterHead(t, tokens, ref i, cur), t);
                        break;
                    case TokenKind.Tier:
                        if (cur.Count > 0)
                        {
                            Emit(pos, Math.Max(pos, t.SegmentStart), null);
                        }
                        cur.Add(t);
                        Emit(t.SegmentStart, SoftClose(t.End, tokens, ref i, cur), t);
                        break;
                    case TokenKind.Once:
                        cur.Add(t);
                        Emit(pos, SoftClose(t.End, tokens, ref i, cur), t);
                        break;
                    case TokenKind.Level:
                        cur.Add(t);
                        if (next?.Kind is not (TokenKind.Level or TokenKind.Cap or TokenKind.Head or TokenKind.Sum))
                        {
                            Emit(pos, SoftClose(t.End, tokens, ref i, cur), t);
                        }
                        break;
                    case TokenKind.PerCase:
                        cur.Add(t);
                        var category = next?.Kind == TokenKind.PerCase && !text[t.End..next.Start].Contains('。')
                            && !cur.Any(c => c.Kind == TokenKind.Cap);
                        if (next?.Kind != TokenKind.Cap && !category)
                        {
                            Emit(pos, SoftClose(t.End, tokens, ref i, cur), t);
                        }
                        break;
                    case TokenKind.Cap:
                        cur.Add(t);
                        if (cur.Any(c => c.Kind is TokenKind.Level or TokenKind.PerCase))
                        {
                            Emit(pos, SoftClose(t.End, tokens, ref i, cur), t);
                        }
                        break;
                    default:
                        cur.Add(t);
                        break;
                }
            }
            if (cur.Count > 0 && clauses.Count > 0 && cur.All(t => t.Kind is TokenKind.Missing or TokenKind.Deduction))
            {
                // "（3分），少一人扣0.5分。": a deduction after the last clause's points belongs to it.
                var last = clauses[^1];
                clauses[^1] = last with { End = text.Length, Tokens = [.. last.Tokens, .. cur] };
            }
            else if (cur.Count > 0)
            {
                Emit(pos, text.Length, null);
            }
            return clauses;
        }

        /// <summary>After a clause's points: one separator, and a parenthesis that explains them (deductions, bands).</summary>
        private int CloseAfterHead(Token head, List<Token> tokens, ref int i, List<Token> cur)
        {
            var end = head.GroupEnd;
            Absorb(tokens, ref i, end, cur);
            var afterDelimiter = end < text.Length && ClauseText.IsDelimiter(text[end]) ? end + 1 : end;
            var k = afterDelimiter;
            if (k < text.Length && text[k] == '(' && ClauseText.MatchParen(text, k) is var close and > 0
                && text[k..close].Any(char.IsAsciiDigit)
                && !tokens.Any(t => t.Kind == TokenKind.Head && t.LeadStart == k))
            {
                end = close + 1;
                Absorb(tokens, ref i, end, cur);
                return end < text.Length && ClauseText.IsDelimiter(text[end]) ? end + 1 : end;
            }
            return afterDelimiter;
        }

        private static void Absorb(List<Token> tokens, ref int i, int end, List<Token> cur)
        {
            while (i + 1 < tokens.Count && tokens[i + 1].Start < end)
            {
                var t = tokens[++i];
                if (t.Kind == TokenKind.Head)
                {
                    t.Kind = TokenKind.Sub;
                }
                cur.Add(t);
            }
        }

        /// <summary>After a tier run, a level run, a per-case clause: one separator, and the clause's points if they follow.</summary>
        private int SoftClose(int end, List<Token> tokens, ref int i, List<Token> cur)
        {
            var afterDelimiter = end < text.Length && ClauseText.IsDelimiter(text[end]) ? end + 1 : end;
            if (i + 1 < tokens.Count && tokens[i + 1] is { Kind: TokenKind.Head or TokenKind.Sum } head
                && text[end..head.LeadStart].All(ClauseText.IsDelimiter))
            {
                i++;
                cur.Add(head);
                return CloseAfterHead(head, tokens, ref i, cur);
            }
            return afterDelimiter;
        }

        // ---- reading one clause -----------------------------------------------------------------------

        private void Interpret(Clause c)
        {
            var norm = text[c.Start..c.End];
            var used = new HashSet<Token>();
            var of = (TokenKind k) => c.Tokens.Where(t => t.Kind == k).ToList();
            var closer = c.Closer is { Kind: TokenKind.Head or TokenKind.Sum } h ? h : c.Tokens.LastOrDefault(t => t.Kind is TokenKind.Head);
            var head = closer?.Points;
            if (closer is not null)
            {
                used.Add(closer);
            }
            var made = new List<Rule>();
            var tiers = of(TokenKind.Tier);
            var levels = of(TokenKind.Level);
            var perCases = of(TokenKind.PerCase);
            var caps = of(TokenKind.Cap);
            var missing = of(TokenKind.Missing).FirstOrDefault();

            if (tiers.Count == 1)
            {
                var tier = tiers[0];
                used.Add(tier);
                made.Add(Tier(c, tier.Tier!));
                HeadAgrees(c, head, tier.Points, "最高档");
            }
            else if (levels.Count > 0)
            {
                used.UnionWith(levels);
                var top = levels.Max(l => l.Points);
                var cap = caps.FirstOrDefault()?.Points ?? head;
                used.UnionWith(caps.Take(1));
                if (caps.Count > 0)
                {
                    HeadAgrees(c, head, caps[0].Points, "封顶分");
                }
                var accumulate = Accumulate().IsMatch(norm) || cap > top;
                if (cap is null && accumulate)
                {
                    Flag(ClauseFlagKind.Unreadable, c, "按级别累加计分，但未写明封顶分");
                }
                else
                {
                    if (cap is null)
                    {
                        Flag(ClauseFlagKind.Ambiguous, c, $"未写明封顶分，按最高一级{Display.Points(top)}计");
                    }
                    else if (cap < top)
                    {
                        Flag(ClauseFlagKind.Ambiguous, c, $"封顶{Display.Points(cap.Value)}低于最高一级{Display.Points(top)}");
                    }
                    made.Add(new LevelRule
                    {
                        Id = "",
                        Text = Original(c),
                        Levels = levels.Select(l => new LevelPoints(l.Level!.Value, l.Points)).ToList(),
                        Combine = accumulate ? "sum" : "max",
                        Cap = cap ?? top,
                        HighestPerContent = accumulate && HighestPerContentWords().IsMatch(norm),
                    });
                }
            }
            else if (perCases.Count > 0)
            {
                used.UnionWith(perCases);
                var cap = caps.FirstOrDefault()?.Points;
                used.UnionWith(caps.Take(1));
                if (cap is null && head is not null && !isAdjustment)
                {
                    Flag(ClauseFlagKind.Ambiguous, c, $"未写明累计上限，按本条{Display.Points(head.Value)}封顶");
                    cap = head;
                }
                else if (cap is not null && head is not null)
                {
                    HeadAgrees(c, head, cap.Value, "累计上限");
                }
                made.Add(perCases.Count == 1
                    ? new PerCaseRule { Id = "", Text = Original(c), Points = perCases[0].Points, Cap = cap }
                    : new PerCaseRule { Id = "", Text = Original(c), Categories = Categories(perCases), Cap = cap });
            }
            else if (of(TokenKind.Once) is [var once, ..])
            {
                used.Add(once);
                made.Add(new OnceRule { Id = "", Text = Original(c), Points = once.Points });
            }
            else if (isNegative && head is null && of(TokenKind.Deduction) is [var penalty])
            {
                used.Add(penalty);
                made.Add(new OnceRule { Id = "", Text = Original(c), Points = penalty.Points });
            }
            else if (head is { } p)
            {
                made.AddRange(Headed(c, norm, p, missing, used));
            }

            if (closer is { Kind: TokenKind.Head } loose && loose.LeadStart == loose.Start && loose.Start > 0 && text[loose.Start - 1] == '级')
            {
                // "区级2分": a level the reader does not know, read as a check.
                Flag(ClauseFlagKind.Ambiguous, c, $"“{Original(new Clause(Math.Max(c.Start, loose.Start - 2), loose.End, [], null))}”未识别为级别计分，按达标计");
            }
            var exempt = Consolidation().IsMatch(norm) ? "consolidation" : null;
            foreach (var rule in made)
            {
                rules.Add(rule with { Id = $"{itemId}.{rules.Count + 1}", ExemptWhen = exempt });
            }
            foreach (var sum in of(TokenKind.Sum).Where(s => !used.Contains(s)))
            {
                used.Add(sum);
                if (sum.Points != made.Sum(r => r.MaxPoints))
                {
                    Flag(ClauseFlagKind.Ambiguous, c, $"“{Raw(sum)}”与本条规则合计{Display.Points(made.Sum(r => r.MaxPoints))}不符");
                }
            }
            var unread = c.Tokens.Where(t => !used.Contains(t)).ToList();
            if (unread.Count > 0)
            {
                Flag(ClauseFlagKind.Unreadable, c, "无法识别的计分条款：" + string.Join("、", unread.Select(t => $"“{Raw(t)}”")));
            }
        }

        /// <summary>A clause worth <paramref name="head"/> points: a check, a count, staff bands, per person, or sub-scores.</summary>
        private List<Rule> Headed(Clause c, string norm, decimal head, Token? missing, HashSet<Token> used)
        {
            var text = Original(c);
            var subs = c.Tokens.Where(t => t.Kind == TokenKind.Sub).ToList();
            if (subs.Count >= 2 && subs.Sum(s => s.Points) == head)
            {
                used.UnionWith(subs);
                var people = missing?.Unit == "人" ? subs.Where(s => Label(s).Contains('人')).ToList() : [];
                if (missing is not null && people.Count != 1)
                {
                    Flag(ClauseFlagKind.Ambiguous, c, $"“{Raw(missing)}”不能确定适用于哪一项");
                }
                if (missing is not null)
                {
                    used.Add(missing);
                }
                return subs.Select(s => people.Count == 1 && people[0] == s
                        ? (Rule)new PerPersonRule { Id = "", Text = text, Points = s.Points, PerMissing = missing!.Points }
                        : new CheckRule { Id = "", Text = text, Points = s.Points })
                    .ToList();
            }
            foreach (var sub in subs)
            {
                used.Add(sub);
                Flag(ClauseFlagKind.Ambiguous, c, $"括号内的“{Raw(sub)}”与本条{Display.Points(head)}不符，未采用");
            }

            var bands = StaffBand().Matches(norm);
            if (bands.Count >= 2)
            {
                if (missing is not null)
                {
                    used.Add(missing);
                }
                return [new StaffCountRule { Id = "", Text = text, Points = head, Requirements = Bands(c, bands), PerMissing = missing?.Points }];
            }
            var counts = CountRequirement().Matches(norm);
            if (counts.Count == 1 && ClauseText.Count(counts[0].Groups["n"].Value) is { } min)
            {
                if (missing is not null)
                {
                    used.Add(missing);
                }
                // 不少于1条 without a deduction is a presence: a check.
                return min == 1 && missing is null
                    ? [new CheckRule { Id = "", Text = text, Points = head }]
                    : [new CountRule { Id = "", Text = text, Points = head, Min = min, PerMissing = missing?.Points }];
            }
            if (counts.Count > 1)
            {
                Flag(ClauseFlagKind.Ambiguous, c, $"有{counts.Count}项次数要求（{string.Join("、", counts.Select(m => m.Value))}），按整体达标计{Display.Points(head)}");
            }
            if (missing is { Unit: "人" } && counts.Count == 0)
            {
                used.Add(missing);
                return [new PerPersonRule { Id = "", Text = text, Points = head, PerMissing = missing.Points }];
            }
            var deductions = c.Tokens.Where(t => t.Kind == TokenKind.Deduction).ToList();
            used.UnionWith(deductions);
            return [new CheckRule { Id = "", Text = text, Points = head, Deductions = Deductions(deductions) }];
        }

        private TierRule Tier(Clause c, TierRun run)
        {
            var order = run.Tiers.Select((t, i) => (t, upper: run.Uppers[i])).OrderByDescending(x => x.t.Min).ToList();
            for (var i = 1; i < order.Count; i++)
            {
                var (t, upper) = order[i];
                var higher = order[i - 1].t;
                if (t.Points >= higher.Points)
                {
                    Flag(ClauseFlagKind.Ambiguous, c, $"较低档{t}的分值不低于较高档{higher}");
                }
                if (upper != decimal.MaxValue && upper + 1 < higher.Min)
                {
                    Flag(ClauseFlagKind.Ambiguous, c, $"档次之间有空档（{upper.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}%与{higher}之间）");
                }
            }
            if (run.ZeroBelow is { } zero && zero != order[^1].t.Min)
            {
                Flag(ClauseFlagKind.Ambiguous, c, $"不得分的界限{zero.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}%与最低档{order[^1].t}不一致");
            }
            return new TierRule { Id = "", Text = Original(c), Measure = run.Measure, Tiers = order.Select(x => x.t).ToList() };
        }

        private List<StaffRequirement> Bands(Clause c, MatchCollection matches)
        {
            var bands = matches.Select(m => (
                    min: m.Groups["a"].Success ? int.Parse(m.Groups["a"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1,
                    max: m.Groups["b"].Success ? int.Parse(m.Groups["b"].Value, System.Globalization.CultureInfo.InvariantCulture) : (int?)null,
                    n: int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)))
                .OrderBy(b => b.min).ToList();
            var overlaps = new List<int>();
            for (var i = 1; i < bands.Count; i++)
            {
                if (bands[i - 1].max is { } prevMax && bands[i].min <= prevMax)
                {
                    overlaps.Add(prevMax);
                    bands[i] = bands[i] with { min = prevMax + 1 };
                }
            }
            if (overlaps.Count > 0)
            {
                Flag(ClauseFlagKind.Ambiguous, c, $"人数档次重叠（{string.Join("、", overlaps.Select(o => $"{o}人"))}），按较低一档计");
            }
            return bands.Select(b => new StaffRequirement(b.min, b.n, b.max)).ToList();
        }

        private List<Deduction> Deductions(List<Token> deductions)
        {
            var id = $"{itemId}.{rules.Count + 1}";
            return deductions.Select((d, n) =>
            {
                var s = d.Start;
                while (s > 0 && text[s - 1] is not ('(' or ')' or ';' or '。'))
                {
                    s--;
                }
                while (s < d.Start && ClauseText.IsDelimiter(text[s]))
                {
                    s++;
                }
                return new Deduction($"{id}-d{n + 1}", Words(s, d.Start), d.Points);
            }).ToList();
        }

        private List<CaseCategory> Categories(List<Token> perCases)
        {
            var labels = perCases.Select(Label).ToList();
            return perCases.Select((t, i) =>
            {
                var label = labels[i];
                var known = label.Contains("其他", StringComparison.Ordinal) ? "other" : label.Contains("民族", StringComparison.Ordinal) ? "ethnic" : null;
                var id = known is not null && labels.Count(l => l.Contains(known == "other" ? "其他" : "民族", StringComparison.Ordinal)) == 1 ? known : $"c{i + 1}";
                return new CaseCategory(id, label, t.Points);
            }).ToList();
        }

        /// <summary>The words before a points mention back to the last separator (班子, 民族工作事项).</summary>
        private string Label(Token t)
        {
            var s = t.Start;
            while (s > 0 && !ClauseText.IsSegmentBreak(text[s - 1]))
            {
                s--;
            }
            var end = t.Kind == TokenKind.PerCase ? text.IndexOf('每', s) : t.Start;
            return Words(s, Math.Max(s, end));
        }

        private void HeadAgrees(Clause c, decimal? head, decimal expected, string what)
        {
            if (head is { } h && h != expected)
            {
                Flag(ClauseFlagKind.Ambiguous, c, $"本条注明{Display.Points(h)}，与{what}{Display.Points(expected)}不符");
            }
        }

        // ---- the item as a whole ----------------------------------------------------------------------

        /// <summary>No points anywhere: the item is one check worth its 分值 (an adjustment item cannot be).</summary>
        private void Unscored()
        {
            var whole = new Clause(0, contentLength, [], null);
            var body = Original(whole);
            if (isAdjustment || points <= 0 || body.Length == 0)
            {
                Flag(ClauseFlagKind.Unreadable, whole, "未找到计分条款");
                return;
            }
            rules.Add(new CheckRule { Id = $"{itemId}.1", Text = body, Points = points });
            var rates = Percent().Matches(text[..contentLength]).Select(m => m.Value.Replace(" ", "", StringComparison.Ordinal)).Distinct().ToList();
            if (rates.Count > 0)
            {
                Flag(ClauseFlagKind.Ambiguous, whole, $"含比率要求（{string.Join("、", rates)}）但未写明分档，按整体达标计{Display.Points(points)}");
            }
        }

        /// <summary>Text after the last clause that carries no points: a note, unless it names a requirement.</summary>
        private void Leftovers(List<Clause> clauses)
        {
            var last = clauses.Count == 0 ? 0 : clauses.Max(c => c.End);
            var rest = new Clause(last, Math.Min(text.Length, Math.Max(last, contentLength)), [], null);
            var tail = text[rest.Start..rest.End].Trim(' ', ',', ';', ':', '。', '、', '(', ')');
            if (tail.Length > 0 && !HighestOnly().IsMatch(tail) && rules.Count > 0)
            {
                Flag(ClauseFlagKind.Ambiguous, rest, "该句未写分值，未单独计分");
            }
        }

        private void CheckTotal()
        {
            if (isAdjustment)
            {
                return;
            }
            var whole = new Clause(0, contentLength, [], null);
            if (rules.Any(r => r.MaxPoints == decimal.MaxValue))
            {
                Flag(ClauseFlagKind.PointsMismatch, whole, $"规则无累计上限，与分值{Display.Points(points)}不符");
                return;
            }
            var total = rules.Sum(r => r.MaxPoints);
            if (total != points)
            {
                Flag(ClauseFlagKind.PointsMismatch, whole, $"规则合计{Display.Points(total)}，与分值{Display.Points(points)}不符");
            }
        }

        /// <summary>The source range of [start, end) of the compact text.</summary>
        private (int Start, int End) Span(int start, int end) =>
            start >= end ? (start < map.Length ? map[start] : source.Length, start < map.Length ? map[start] : source.Length) : (map[start], map[end - 1] + 1);

        private string Original(Clause c)
        {
            var (s, e) = Span(c.Start, c.End);
            return source[s..e];
        }

        /// <summary>A name taken from the text (a category, a deduction's condition): without the cell's line breaks.</summary>
        private string Words(int start, int end)
        {
            var (s, e) = Span(start, end);
            return string.Concat(source[s..e].Where(ch => !char.IsWhiteSpace(ch)));
        }

        private string Raw(Token t) => Original(new Clause(t.Start, t.End, [], null));

        private void Flag(ClauseFlagKind kind, Clause c, string message)
        {
            var (s, e) = Span(c.Start, c.End);
            flags.Add(new ClauseFlag(kind, source[s..e], s, e - s, message));
        }
    }
}
