namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// The deadline reminders of a 督办单 — issued for late work, from a peer-inspection finding, or from a finding of the
/// region's 初验 on the road after 90 — on the durable timers of <see cref="OwnedReminders"/>: the campaign workflow's
/// standard reminder policy over the order's 整改期限 (<see cref="SupervisionOrderRecord.RectifyBy"/>): 临期提醒, 今日到期,
/// 逾期催办 to the unit; 逾期上报 to the inspectors and the office. Planned when the order is staged; an order answered
/// (整改反馈), closed or escalated is reminded of nothing more.
/// </summary>
public sealed class OrderReminders : OwnedReminders<SupervisionOrderRecord>
{
    public const string Kind = "order";

    public static readonly OrderReminders Rules = new();

    private OrderReminders() : base(Kind, "order")
    {
    }

    public static string Key(Guid orderId, DateOnly due, string occurrence) => Rules.KeyOf(orderId, due, occurrence);

    /// <summary>The first reminder still ahead of an order just staged.</summary>
    public static TimerRecord? First(SupervisionOrderRecord o, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) =>
        Rules.FirstOf(o.Id, o.RectifyBy, o.CampaignId, definition, calendar, now);

    protected override async Task<IReadOnlyDictionary<Guid, SupervisionOrderRecord>> SubjectsAsync(AppDbContext db, IReadOnlyList<Guid> owners, CancellationToken ct) =>
        await db.SupervisionOrders.AsNoTracking().Where(o => owners.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);

    protected override Guid CampaignOf(SupervisionOrderRecord o) => o.CampaignId;

    protected override bool IsOwed(SupervisionOrderRecord o, DateOnly due) => due == o.RectifyBy && o.State == SupervisionOrderState.Open;

    protected override ReminderContext Context(SupervisionOrderRecord o, DateOnly due) => new()
    {
        Unit = o.Unit, ItemText = o.Title, StepName = ReminderTexts.OrderStep, Link = $"/supervision/orders/{o.Id}",
    };

    protected override IReadOnlyList<string> RecipientsAt(SupervisionOrderRecord o, ReminderKind kind) =>
        kind == ReminderKind.Escalation ? [Recipients.Inspectors, Recipients.Office] : [Recipients.ForUnit(o.Unit)];
}
