namespace CreationWorkflow.Core.Scoring;

/// <summary>What one need of an evidence plan asks for.</summary>
public enum EvidenceKind
{
    /// <summary>网上申报: the rule's data (its fact: check, rate, count, people or cases).</summary>
    Data,

    /// <summary>网上申报: documents behind the rule (at least one cited evidence file).</summary>
    Documents,

    /// <summary>实地核查: the site-visit checklist, one line per rule, every line answered.</summary>
    Checklist,

    /// <summary>实地核查: photos of the site (at least one cited image file).</summary>
    Photos,

    /// <summary>实地核查: a description of the place visited (地点、时间、陪同人员).</summary>
    Place,

    /// <summary>第三方评估: the survey and its sample (问卷、调查机构与时间、样本量).</summary>
    Survey,

    /// <summary>第三方评估: the survey's results (a survey-rate rule's rate, or the results in words).</summary>
    Results,
}

/// <summary>One thing an item's evaluation methods ask its lead unit to file; <see cref="RuleId"/> null for the whole item.</summary>
public sealed record EvidenceNeed(string Key, EvaluationMethod Method, EvidenceKind Kind, string? RuleId, string Text);

/// <summary>
/// What an item has filed, as the plan checks it: its facts, the evidence files cited per rule, the names of those files,
/// the survey sources per rule and the item's notes (<see cref="EvidencePlan.NoteKeys"/>).
/// </summary>
public sealed record FiledEvidence(
    Facts Facts,
    IReadOnlyDictionary<string, int> FilesByRule,
    IReadOnlyList<string> FileNames,
    IReadOnlyDictionary<string, string> Sources,
    IReadOnlyDictionary<string, string> Notes);

public sealed record NeedStatus(EvidenceNeed Need, bool Present);

/// <summary>One line of a checklist built from an item's rules and methods (the site visit, the peer inspection).</summary>
public sealed record ChecklistLine(string Key, string RuleId, string Text, IReadOnlyList<string> Asks);

/// <summary>
/// Evidence by method: from an item's 测评方法 and its rules, what evidence it needs —
/// 网上申报: data and documents per rule; 实地核查: a site-visit checklist (one line per rule), photos and a place description;
/// 第三方评估: the survey with its sample, and its results (the rate of each survey-rate rule, or the results in words when
/// the item has none). An item that names no method is assessed on its filed documents, as 网上申报. One rule, used by the item
/// page, the 提交自评 check and the peer-inspection checklist.
/// </summary>
public static class EvidencePlan
{
    /// <summary>Items naming no method (台江's 考核 list) are checked on their filed documents.</summary>
    public static readonly IReadOnlyList<EvaluationMethod> Default = [EvaluationMethod.Online];

    public const string PlaceNote = "place";
    public const string SurveyNote = "survey";
    public const string ResultsNote = "surveyResult";

    /// <summary>The item-level notes a lead unit can file beside its facts.</summary>
    public static readonly IReadOnlyList<string> NoteKeys = [PlaceNote, SurveyNote, ResultsNote];

    public static readonly IReadOnlySet<string> PhotoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif" };

    public static string MethodName(EvaluationMethod method) => method switch
    {
        EvaluationMethod.Online => "网上申报",
        EvaluationMethod.Onsite => "实地核查",
        _ => "第三方评估",
    };

    public static string NoteLabel(string key) => key switch
    {
        PlaceNote => "地点说明（核查地点、时间、陪同人员）",
        SurveyNote => "调查问卷与样本（问卷名称、调查机构与时间、样本量）",
        _ => "调查结果",
    };

    public static bool IsPhoto(string fileName) => PhotoExtensions.Contains(Path.GetExtension(fileName));

    public static IReadOnlyList<EvaluationMethod> MethodsOr(IReadOnlyList<EvaluationMethod>? methods) =>
        methods is { Count: > 0 } ? methods : Default;

    /// <summary>The needs of an item with these methods and rules, method by method in the order the item names them.</summary>
    public static IReadOnlyList<EvidenceNeed> For(IReadOnlyList<EvaluationMethod>? methods, IReadOnlyList<Rule> rules)
    {
        var needs = new List<EvidenceNeed>();
        foreach (var method in MethodsOr(methods).Distinct())
        {
            switch (method)
            {
                case EvaluationMethod.Online:
                    foreach (var rule in rules)
                    {
                        needs.Add(new($"online.data.{rule.Id}", method, EvidenceKind.Data, rule.Id, $"规则{rule.Id}的填报数据"));
                        needs.Add(new($"online.documents.{rule.Id}", method, EvidenceKind.Documents, rule.Id, $"规则{rule.Id}的佐证文件"));
                    }
                    break;
                case EvaluationMethod.Onsite:
                    needs.Add(new("onsite.checklist", method, EvidenceKind.Checklist, null, $"现场核查清单（{rules.Count}条，逐条填报）"));
                    needs.Add(new("onsite.photos", method, EvidenceKind.Photos, null, "现场照片"));
                    needs.Add(new("onsite.place", method, EvidenceKind.Place, null, NoteLabel(PlaceNote)));
                    break;
                default:
                    needs.Add(new("thirdParty.survey", method, EvidenceKind.Survey, null, NoteLabel(SurveyNote)));
                    var rated = rules.OfType<TierRule>().ToList();
                    if (rated.Count == 0)
                    {
                        needs.Add(new("thirdParty.results", method, EvidenceKind.Results, null, NoteLabel(ResultsNote)));
                    }
                    foreach (var rule in rated)
                    {
                        needs.Add(new($"thirdParty.results.{rule.Id}", method, EvidenceKind.Results, rule.Id,
                            $"规则{rule.Id}的{TierRule.Measures.GetValueOrDefault(rule.Measure, "比率")}调查结果及来源"));
                    }
                    break;
            }
        }
        return needs;
    }

    /// <summary>Each need with whether the filed evidence holds it.</summary>
    public static IReadOnlyList<NeedStatus> Check(IReadOnlyList<EvidenceNeed> needs, IReadOnlyList<Rule> rules, FiledEvidence filed) =>
        [.. needs.Select(n => new NeedStatus(n, Holds(n, rules, filed)))];

    /// <summary>The needs the filed evidence lacks, in plan order.</summary>
    public static IReadOnlyList<EvidenceNeed> Missing(IReadOnlyList<EvaluationMethod>? methods, IReadOnlyList<Rule> rules, FiledEvidence filed) =>
        [.. Check(For(methods, rules), rules, filed).Where(s => !s.Present).Select(s => s.Need)];

    /// <summary>Whether the facts hold anything for the rule (a check either way, a rate, a count, people or a case).</summary>
    public static bool HasData(Facts facts, string ruleId) =>
        facts.Checks.ContainsKey(ruleId) || facts.Rates.ContainsKey(ruleId) || facts.Counts.ContainsKey(ruleId)
        || facts.People.ContainsKey(ruleId) || facts.Cases.Any(c => c.Rule == ruleId);

    private static bool Holds(EvidenceNeed need, IReadOnlyList<Rule> rules, FiledEvidence filed) => need.Kind switch
    {
        EvidenceKind.Data => HasData(filed.Facts, need.RuleId!),
        EvidenceKind.Documents => filed.FilesByRule.GetValueOrDefault(need.RuleId!) > 0,
        EvidenceKind.Checklist => rules.All(r => HasData(filed.Facts, r.Id)),
        EvidenceKind.Photos => filed.FileNames.Any(IsPhoto),
        EvidenceKind.Place => Noted(filed, PlaceNote),
        EvidenceKind.Survey => Noted(filed, SurveyNote),
        EvidenceKind.Results when need.RuleId is { } rule => filed.Facts.Rates.ContainsKey(rule) && !string.IsNullOrWhiteSpace(filed.Sources.GetValueOrDefault(rule)),
        _ => Noted(filed, ResultsNote),
    };

    private static bool Noted(FiledEvidence filed, string key) => !string.IsNullOrWhiteSpace(filed.Notes.GetValueOrDefault(key));

    /// <summary>
    /// The checklist for inspecting an item on site (实地核查, 互观互检): one line per rule, each asking what the item's methods
    /// need of that rule — its data and documents, and on site the place and photos.
    /// </summary>
    public static IReadOnlyList<ChecklistLine> Checklist(IReadOnlyList<EvaluationMethod>? methods, IReadOnlyList<Rule> rules)
    {
        var needs = For(methods, rules);
        var whole = needs.Where(n => n.RuleId is null && n.Kind != EvidenceKind.Checklist).Select(n => n.Text).ToList();
        return [.. rules.Select(r => new ChecklistLine($"rule.{r.Id}", r.Id, r.Text,
            [.. needs.Where(n => n.RuleId == r.Id).Select(n => n.Text).Concat(whole)]))];
    }
}
