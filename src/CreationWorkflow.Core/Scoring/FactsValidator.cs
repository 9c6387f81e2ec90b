namespace CreationWorkflow.Core.Scoring;

/// <summary>Refuses facts that name an unknown rule, the wrong kind of fact for a rule, or impossible values.</summary>
public static class FactsValidator
{
    /// <summary>The most entries of one kind (checks, rates, cases…) one body may hold.</summary>
    public const int MaxEntries = 500;

    /// <summary>The longest text of a case (content, note), in characters.</summary>
    public const int MaxCaseText = 2000;

    /// <summary>The longest rule id or category of a case.</summary>
    public const int MaxCode = 50;

    /// <summary>The largest head count (staff size, people required or present).</summary>
    public const int MaxPeople = 1_000_000;

    /// <summary>The largest count of events.</summary>
    public const int MaxCount = 100_000;

    /// <summary>
    /// Sizes alone, checked before any rule is looked up: how many entries of each kind, how long each case's texts,
    /// how large each number. Every fault with its JSON path and a zh-CN reason naming the limit.
    /// </summary>
    public static IReadOnlyList<FactError> Bounds(Facts facts)
    {
        var errors = new List<FactError>();
        void Entries(string path, int count)
        {
            if (count > MaxEntries)
            {
                errors.Add(new(path, $"最多{MaxEntries}项（现为{count}项）"));
            }
        }
        void Text(string path, string? text, int max)
        {
            if (text is { Length: var length } && length > max)
            {
                errors.Add(new(path, $"不能超过{max}个字（现为{length}个字）"));
            }
        }
        void Number(string path, int value, int max)
        {
            if (value > max)
            {
                errors.Add(new(path, $"不能大于{max}（现为{value}）"));
            }
        }
        Number("$.staffSize", facts.StaffSize ?? 0, MaxPeople);
        Entries("$.flags", facts.Flags.Count);
        Entries("$.checks", facts.Checks.Count);
        Entries("$.conditions", facts.Conditions.Count);
        Entries("$.rates", facts.Rates.Count);
        Entries("$.counts", facts.Counts.Count);
        Entries("$.people", facts.People.Count);
        Entries("$.cases", facts.Cases.Count);
        foreach (var (id, count) in facts.Counts)
        {
            Number($"$.counts['{id}']", count, MaxCount);
        }
        foreach (var (id, people) in facts.People)
        {
            Number($"$.people['{id}'].required", people.Required, MaxPeople);
            Number($"$.people['{id}'].actual", people.Actual, MaxPeople);
        }
        foreach (var (c, i) in facts.Cases.Take(MaxEntries).Select((c, i) => (c, i)))
        {
            Text($"$.cases[{i}].rule", c.Rule, MaxCode);
            Text($"$.cases[{i}].content", c.Content, MaxCaseText);
            Text($"$.cases[{i}].category", c.Category, MaxCode);
            Text($"$.cases[{i}].note", c.Note, MaxCaseText);
        }
        return errors;
    }

    public static IReadOnlyList<FactError> Validate(Programme programme, Facts facts)
    {
        var errors = new List<FactError>(Bounds(facts));
        var rules = programme.RulesById;
        var deductions = programme.Items.SelectMany(i => i.Rules).OfType<CheckRule>()
            .SelectMany(r => r.Deductions).Select(d => d.Id).ToHashSet();

        void Expect<T>(string path, string ruleId, string what)
        {
            if (!rules.TryGetValue(ruleId, out var rule))
            {
                errors.Add(new(path, $"未知规则 '{ruleId}'"));
            }
            else if (rule is not T)
            {
                errors.Add(new(path, $"规则 '{ruleId}' 不接受{what}"));
            }
        }

        if (facts.TitleLevel is { } title && !Enum.IsDefined(title))
        {
            errors.Add(new("$.titleLevel", "示范单位命名级别须为 county/prefecture/province/national"));
        }
        if (facts.StaffSize is < 0)
        {
            errors.Add(new("$.staffSize", "人数不能为负"));
        }
        foreach (var (flag, i) in facts.Flags.Select((f, i) => (f, i)))
        {
            if (!Flags.Known.Contains(flag))
            {
                errors.Add(new($"$.flags[{i}]", $"未知标记 '{flag}'"));
            }
        }
        foreach (var id in facts.Checks.Keys)
        {
            Expect<CheckRule>($"$.checks['{id}']", id, "达标判断（check）");
        }
        foreach (var id in facts.Conditions.Keys.Where(id => !deductions.Contains(id)))
        {
            errors.Add(new($"$.conditions['{id}']", $"未知扣分条件 '{id}'"));
        }
        foreach (var (id, rate) in facts.Rates)
        {
            Expect<TierRule>($"$.rates['{id}']", id, "比率（rate）");
            if (rate is < 0 or > 100)
            {
                errors.Add(new($"$.rates['{id}']", $"比率 {rate} 不在 0–100 之间"));
            }
        }
        foreach (var (id, count) in facts.Counts)
        {
            if (!rules.TryGetValue(id, out var rule))
            {
                errors.Add(new($"$.counts['{id}']", $"未知规则 '{id}'"));
            }
            else if (rule is not (CountRule or StaffCountRule))
            {
                errors.Add(new($"$.counts['{id}']", $"规则 '{id}' 不接受次数（count）"));
            }
            if (count < 0)
            {
                errors.Add(new($"$.counts['{id}']", "次数不能为负"));
            }
        }
        foreach (var (id, people) in facts.People)
        {
            Expect<PerPersonRule>($"$.people['{id}']", id, "人数（people）");
            if (people.Required < 0 || people.Actual < 0)
            {
                errors.Add(new($"$.people['{id}']", "人数不能为负"));
            }
        }
        for (var i = 0; i < facts.Cases.Count; i++)
        {
            var c = facts.Cases[i];
            var path = $"$.cases[{i}]";
            if (!rules.TryGetValue(c.Rule, out var rule))
            {
                errors.Add(new($"{path}.rule", $"未知规则 '{c.Rule}'"));
                continue;
            }
            switch (rule)
            {
                // A level the clause does not list is accepted and read by LevelRule.CountedLevel (said in the trail).
                case LevelRule when c.Level is null:
                    errors.Add(new($"{path}.level", $"规则 '{c.Rule}' 的案例须注明级别（county/prefecture/province/national）"));
                    break;
                case PerCaseRule { Categories.Count: > 0 } perCase when perCase.Categories.All(k => k.Id != c.Category):
                    errors.Add(new($"{path}.category",
                        $"规则 '{c.Rule}' 的案例须注明类别：{string.Join("/", perCase.Categories.Select(k => $"{k.Id}（{k.Text}）"))}"));
                    break;
                case LevelRule or PerCaseRule or OnceRule:
                    break;
                default:
                    errors.Add(new($"{path}.rule", $"规则 '{c.Rule}' 不接受案例（case）"));
                    break;
            }
        }
        return errors;
    }
}
