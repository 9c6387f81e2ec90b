using CreationWorkflow.Core.Workflows;

namespace CreationWorkflow.Core.Inspection;

/// <summary>
/// When 互观互检 may be assigned: in the self-check phase only. The plan puts the self-check (自查自检, "通过各级各部门互观互检")
/// in the phase that ends in the application at 90 points (Hechi's 深入推进和总结验收, 阶段四), so the self-check phase is the
/// phase of the programme's gate (<see cref="Programmes.Gate.Phase"/>); a programme without a gate has none.
/// </summary>
public static class PeerInspectionWindow
{
    /// <summary>
    /// Why peer inspections cannot be assigned on <paramref name="today"/> in a campaign of these phase windows, naming the
    /// phase in force; null when today falls in the self-check phase <paramref name="selfCheckPhase"/>.
    /// </summary>
    public static string? Refusal(string? selfCheckPhase, IReadOnlyCollection<PhaseWindow> phases, DateOnly today)
    {
        if (phases.FirstOrDefault(p => p.PhaseId == selfCheckPhase) is not { } window)
        {
            return "本创建活动的实施方案没有自查验收阶段，不能派发互观互检任务。";
        }
        if (window.Contains(today))
        {
            return null;
        }
        var current = phases.Where(p => p.Contains(today)).OrderBy(p => p.Start).FirstOrDefault();
        var now = current is null ? $"今天（{Iso(today)}）不在本创建活动的任何阶段内" : $"今天（{Iso(today)}）处于「{current.Name}」阶段";
        return $"互观互检在自查验收阶段「{window.Name}」（{Iso(window.Start)}至{Iso(window.End)}）开展；{now}，不能派发互查任务。";
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
