namespace CreationWorkflow.Web.Scoring;

/// <summary>The 90-point gate: open when, in its phase, the reviewed self-score reaches the minimum; notices and audit on each change.</summary>
public sealed class AcceptanceGate(AppDbContext db, FactStore facts)
{
    /// <summary>Re-evaluates the gate after a change: open when, in the acceptance phase, the reviewed total reaches the minimum.</summary>
    public async Task UpdateGateAsync(CampaignRecord campaign, Programme programme, string subject, DateTimeOffset now, CancellationToken ct)
    {
        if (programme.Header.Gate is not { } gate)
        {
            return;
        }
        var reviewed = ScoringEngine.Score(programme, FactStore.ToFacts(await facts.FactsAsync(campaign.Id, subject, FactLayer.Reviewed, ct)));
        var open = InGatePhase(campaign, gate, now) && reviewed.Total >= gate.MinScore;
        if (open == campaign.GateOpen)
        {
            return;
        }
        campaign.GateOpen = open;
        var text = open
            ? ReminderTexts.GateOpened(reviewed.Total, gate.MinScore, gate.Body, gate.Standard)
            : ReminderTexts.GateClosed(reviewed.Total, gate.MinScore);
        foreach (var recipient in new[] { Recipients.Office, Recipients.Leaders })
        {
            AssessmentNotices.Add(db, campaign.Id, recipient, open ? NotificationKind.GateOpened : NotificationKind.GateClosed, text, now);
        }
        db.AddAudit(now, "system:gate", open ? AuditActions.GateOpened : AuditActions.GateClosed, AuditEntities.Campaign, campaign.Id.ToString(),
            JsonSerializer.Serialize(new { GateOpen = !open }), JsonSerializer.Serialize(new { GateOpen = open, reviewed.Total }));
    }

    public static bool InGatePhase(CampaignRecord campaign, Gate gate, DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        return campaign.Phases.FirstOrDefault(p => p.PhaseId == gate.Phase) is { } phase && today >= phase.Start && today <= phase.End;
    }
}
