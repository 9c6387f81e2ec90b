namespace CreationWorkflow.Web.Reminders;

/// <summary>Read links and the unread escalation. Section "CreationWorkflow:Notices".</summary>
public sealed class NoticeOptions
{
    public const string Section = "CreationWorkflow:Notices";

    /// <summary>How long a read link in a message (<see cref="ReadLinks"/>) stays valid.</summary>
    public TimeSpan ReadLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// A unit's notice still unread after this many working hours goes once to the leaders, when the reminder policy of
    /// its assignment's step does not set <c>unreadEscalateAfterHours</c>. 0 turns the default off (a policy may still set it).
    /// </summary>
    public int UnreadEscalateAfterWorkingHours { get; set; } = 16;

    /// <summary>Office hours that count as working hours on each working day (local time of the definition's zone).</summary>
    public TimeSpan WorkdayStart { get; set; } = new(9, 0, 0);

    public TimeSpan WorkdayEnd { get; set; } = new(17, 30, 0);

    /// <summary>Notices older than this are not escalated any more (after an outage, or when the sweep is first turned on).</summary>
    public TimeSpan UnreadEscalationLookback { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Notices escalated per sweep transaction.</summary>
    public int UnreadEscalationBatchSize { get; set; } = 200;
}
