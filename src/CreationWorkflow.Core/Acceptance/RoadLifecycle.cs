using static CreationWorkflow.Core.Acceptance.RoadStage;

namespace CreationWorkflow.Core.Acceptance;

/// <summary>
/// Where a city campaign stands on the road after the 90-point gate (验收之路): not yet applied, applied to the region,
/// checked by the region (初验), applied to 国家民委, visited, passed or not, named, and then the 巩固提升 term.
/// </summary>
public enum RoadStage { NotApplied, AppliedToRegion, PreliminaryChecked, AppliedToNational, Visited, Passed, NotPassed, Named }

/// <summary>What the office records on the road, each with its date, result, notes and documents.</summary>
public enum RoadTrigger { ApplyToRegion, PreliminaryCheck, ApplyToNational, AcceptanceVisit, Pass, Fail, Name, YearlyReview }

/// <summary>One declared step of the road: its zh-CN name, the clause of the source it comes from, and that source.</summary>
public sealed record RoadStep(RoadTrigger Trigger, string Chinese, string Clause, string Source);

/// <summary>
/// The road after 90, declared once as a Stateless state machine over the road's own stage. Two guards come from the
/// host: 向国家民委申请验收 needs every 初验 finding rectified and closed (销号), and a 年度复核 needs the 巩固提升 term
/// still running. Who may fire a trigger, the gate itself and the texts of a refusal stay with the host.
/// </summary>
public sealed class RoadLifecycle(Func<RoadStage> state, Action<RoadStage> setState, Func<bool> findingsRectified, Func<bool> termRunning)
    : StateLifecycle<RoadStage, RoadTrigger>(state, setState, m => Declare(m, findingsRectified, termRunning))
{
    /// <summary>The Hechi plan (河办发〔2021〕66号), docs/sources/003_08ee506f8db0d7a8.txt.</summary>
    public const string Hechi = "003_08ee506f8db0d7a8.txt";

    /// <summary>Taijiang's 2022 indicators, docs/sources/000_b52ab548b288fab5.txt.</summary>
    public const string Taijiang = "000_b52ab548b288fab5.txt";

    /// <summary>
    /// The years of 巩固提升 under 动态管理 after the naming, each closed by a yearly self-check (年度复核) against the same
    /// list. Issue 13 names five years; the sources name 巩固提升 but not its length (see docs/road-after-90.md).
    /// </summary>
    public const int TermYears = 5;

    public const string RectifiedGuard = "初验问题已全部整改销号";
    public const string TermGuard = "巩固提升期内";

    /// <summary>Each step of the road with the clause it comes from, in the order the road takes them.</summary>
    public static readonly IReadOnlyList<RoadStep> Steps =
    [
        new(RoadTrigger.ApplyToRegion, "向自治区申报", "自评分达到90分以上时，按程序向国家民委提出验收申请", Hechi),
        new(RoadTrigger.PreliminaryCheck, "自治区民宗委初验", "确保创建工作顺利通过自治区、国家考核验收", Hechi),
        new(RoadTrigger.ApplyToNational, "向国家民委申请验收", "按程序向国家民委提出验收申请", Hechi),
        new(RoadTrigger.AcceptanceVisit, "国家民委实地验收", "力争在2023年全市达到国家的验收标准", Hechi),
        new(RoadTrigger.Pass, "验收通过", "严格按照评估验收标准", Hechi),
        new(RoadTrigger.Fail, "验收未通过", "对贯彻落实不到位、打折扣、出偏差的，依法依规进行问责，限期整改", Hechi),
        new(RoadTrigger.Name, "命名", "争取向国家民委申报成为全国民族团结进步示范市", Hechi),
        new(RoadTrigger.YearlyReview, "巩固提升年度复核", "在巩固提升现有民族团结进步示范单位成果的基础上", Hechi),
    ];

    /// <summary>The clause behind a 初验 finding becoming a rectification order with a deadline (限期整改).</summary>
    public const string FindingClause = "对贯彻落实不到位、打折扣、出偏差的，依法依规进行问责，限期整改";

    private static void Declare(
        StateMachine<RoadStage, RoadTrigger> m, Func<bool> findingsRectified, Func<bool> termRunning)
    {
        m.Configure(NotApplied).Permit(RoadTrigger.ApplyToRegion, AppliedToRegion);
        m.Configure(AppliedToRegion).Permit(RoadTrigger.PreliminaryCheck, PreliminaryChecked);
        m.Configure(PreliminaryChecked).PermitIf(RoadTrigger.ApplyToNational, AppliedToNational, findingsRectified, RectifiedGuard);
        m.Configure(AppliedToNational).Permit(RoadTrigger.AcceptanceVisit, Visited);
        m.Configure(Visited).Permit(RoadTrigger.Pass, Passed).Permit(RoadTrigger.Fail, NotPassed);
        m.Configure(NotPassed).Permit(RoadTrigger.ApplyToNational, AppliedToNational);
        m.Configure(Passed).Permit(RoadTrigger.Name, Named);
        m.Configure(Named).PermitReentryIf(RoadTrigger.YearlyReview, termRunning, TermGuard);
    }

    /// <summary>Whether the trigger is declared from the stage at all (guards aside): out of order when not.</summary>
    public static bool Declared(RoadStage stage, RoadTrigger trigger) => new RoadLifecycle(() => stage, _ => { }, () => true, () => true).CanFire(trigger);

    /// <summary>The triggers declared from a stage (guards aside), in the road's order: the next steps a page offers.</summary>
    public static IReadOnlyList<RoadTrigger> Next(RoadStage stage) => [.. Steps.Select(s => s.Trigger).Where(t => Declared(stage, t))];

    public static RoadStep StepOf(RoadTrigger trigger) => Steps.Single(s => s.Trigger == trigger);

    /// <summary>The due dates of the yearly reviews of a term named on <paramref name="namedOn"/>: one per year, on its anniversary.</summary>
    public static IReadOnlyList<DateOnly> ReviewDates(DateOnly namedOn) => [.. Enumerable.Range(1, TermYears).Select(namedOn.AddYears)];

    public static string Chinese(RoadStage stage) => stage switch
    {
        NotApplied => "未申报",
        AppliedToRegion => "已向自治区申报",
        PreliminaryChecked => "已初验",
        AppliedToNational => "已向国家民委申请验收",
        Visited => "已实地验收",
        Passed => "验收通过",
        NotPassed => "验收未通过",
        _ => "已命名（巩固提升）",
    };

    public static string Chinese(RoadTrigger trigger) => StepOf(trigger).Chinese;

    /// <summary>The lifecycle as a Graphviz DOT digraph (Stateless UmlDotGraph), from the declaration itself.</summary>
    public static string ToDotGraph() => new RoadLifecycle(() => NotApplied, _ => { }, () => true, () => true).DotGraph();
}
