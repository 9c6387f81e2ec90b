using CreationWorkflow.Core.Acceptance;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// The reminders before each yearly review (年度复核) of the 巩固提升 term, on the durable timers of <see cref="OwnedReminders"/>:
/// the campaign workflow's standard reminder policy over the review's due date (the naming anniversary,
/// <see cref="RoadLifecycle.ReviewDates"/>), to the office; 逾期上报 to the leaders and the office. A recorded review is
/// reminded of nothing more, and the next year's reminders follow the last of this year's or the review's recording.
/// </summary>
public sealed class RoadReminders : OwnedReminders<RoadRecord>
{
    public const string Kind = "road";

    public static readonly RoadReminders Rules = new();

    private RoadReminders() : base(Kind, "road")
    {
    }

    public static string Key(Guid campaignId, DateOnly due, string occurrence) => Rules.KeyOf(campaignId, due, occurrence);

    /// <summary>The first reminder still ahead of the review of <paramref name="year"/> (1-based) of a term named on <paramref name="namedOn"/>; none after the term.</summary>
    public static TimerRecord? First(Guid campaignId, DateOnly namedOn, int year, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) =>
        year < 1 || year > RoadLifecycle.TermYears
            ? null
            : Rules.FirstOf(campaignId, RoadLifecycle.ReviewDates(namedOn)[year - 1], campaignId, definition, calendar, now);

    /// <summary>Which review of the term (1-based) falls due on <paramref name="due"/>; 0 when none does.</summary>
    private static int YearOf(RoadRecord r, DateOnly due) =>
        r.NamedOn is { } namedOn ? RoadLifecycle.ReviewDates(namedOn).ToList().IndexOf(due) + 1 : 0;

    protected override async Task<IReadOnlyDictionary<Guid, RoadRecord>> SubjectsAsync(AppDbContext db, IReadOnlyList<Guid> owners, CancellationToken ct) =>
        await db.Roads.AsNoTracking().Include(r => r.Steps).Where(r => owners.Contains(r.CampaignId)).ToDictionaryAsync(r => r.CampaignId, ct);

    protected override Guid CampaignOf(RoadRecord r) => r.CampaignId;

    /// <summary>Named, and the review of a year of this term not yet recorded.</summary>
    protected override bool IsOwed(RoadRecord r, DateOnly due) =>
        r.Stage == RoadStage.Named && YearOf(r, due) is var year and > 0 && !r.Steps.Any(s => s.TermYear == year);

    protected override ReminderContext Context(RoadRecord r, DateOnly due) => new()
    {
        Unit = CampaignPlanner.Office,
        ItemText = $"巩固提升第{YearOf(r, due)}年度（共{RoadLifecycle.TermYears}年）自查",
        StepName = ReminderTexts.RoadReviewStep,
        Link = $"/campaigns/{r.CampaignId}/acceptance",
    };

    protected override IReadOnlyList<string> RecipientsAt(RoadRecord r, ReminderKind kind) =>
        kind == ReminderKind.Escalation ? [Recipients.Leaders, Recipients.Office] : [Recipients.Office];

    protected override TimerRecord? AfterLast(RoadRecord r, DateOnly due, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) =>
        First(r.CampaignId, r.NamedOn!.Value, YearOf(r, due) + 1, definition, calendar, now);
}
