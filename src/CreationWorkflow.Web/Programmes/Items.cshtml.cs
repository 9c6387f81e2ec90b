using CreationWorkflow.Core;

namespace CreationWorkflow.Web.Programmes;

/// <summary>The responsibility list of one programme: targets → indicators → items with points and units.</summary>
public sealed class ItemsModel(ProgrammeCatalog catalog, Workflows.WorkflowCatalog workflows) : PageModel
{
    public Programme Programme { get; private set; } = null!;

    /// <summary>The version just published from /programmes/import (?published=N), for the office's next step.</summary>
    [BindProperty(SupportsGet = true)] public int? Published { get; set; }

    /// <summary>The workflow new campaigns of the programme run on; null for an imported list until the office chooses one.</summary>
    public Core.Workflows.WorkflowDefinition? Workflow => workflows.ForProgramme(Programme.Id);

    public IActionResult OnGet(string id)
    {
        if (catalog.Find(id) is not { } programme)
        {
            return NotFound();
        }
        Programme = programme;
        return Page();
    }

    public static string MethodName(EvaluationMethod m) => m switch
    {
        EvaluationMethod.Online => "网上申报",
        EvaluationMethod.Onsite => "实地核查",
        _ => "第三方评估",
    };

    /// <summary>1 → 一, 12 → 十二, 20 → 二十 (as the documents number their sections).</summary>

    private static string P(decimal v) => Display.Points(v);

    public static string Describe(Rule rule) => rule switch
    {
        TierRule t => $"{TierRule.Measures.GetValueOrDefault(t.Measure, t.Measure)}：" + string.Join("，", t.Tiers.Select(x => $"{x}得{P(x.Points)}")) + $"，低于{t.Tiers[^1]}不得分",
        CountRule c => $"{c.Text}（不少于{c.Min}，{P(c.Points)}{(c.PerMissing is { } d ? $"，每少一个扣{P(d)}" : "，未达不得分")}）",
        StaffCountRule s => $"{s.Text}（按单位人数：" + string.Join("；", s.Requirements.Select(r => $"{r.MinStaff}{(r.MaxStaff is { } m ? $"–{m}" : "以上")}人{r.Required}篇")) + $"，{P(s.Points)}）",
        PerPersonRule pp => $"{pp.Text}（{P(pp.Points)}，每少一人扣{P(pp.PerMissing)}）",
        LevelRule l => $"{l.Text}（" + string.Join("、", l.Levels.Select(x => $"{LevelRule.LevelNames[x.Level]}{P(x.Points)}")) + $"，{(l.Combine == "max" ? "取最高" : "累加")}，最高{P(l.Cap)}）",
        PerCaseRule pc => $"{pc.Text}（" + (pc.Categories.Count > 0 ? string.Join("，", pc.Categories.Select(k => $"{k.Text}每例{P(k.Points)}")) : $"每例{P(pc.Points ?? 0)}") + (pc.Cap is { } cap ? $"，最高{P(cap)}" : "") + "）",
        OnceRule o => $"{o.Text}（一次性{P(o.Points)}）",
        CheckRule c => $"{c.Text}{(c.Deductions.Count > 0 ? "（" + string.Join("；", c.Deductions.Select(d => $"{d.Text}扣{P(d.Points)}")) + "）" : "")}",
        _ => rule.Text,
    };
}
