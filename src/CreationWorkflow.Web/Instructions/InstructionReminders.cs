namespace CreationWorkflow.Web.Instructions;

/// <summary>
/// The deadline reminders of a leader's instruction, one unit at a time, on the durable timers of <see cref="OwnedReminders"/>:
/// the campaign workflow's <see cref="OwnedReminders.PolicyName"/> reminder policy over the instruction's due date (临期提醒,
/// 今日到期, 逾期催办 to the unit; 逾期上报 to the leaders and the office). A unit that has answered, or a closed
/// instruction, is reminded of nothing.
/// </summary>
public sealed class InstructionReminders : OwnedReminders<InstructionReminders.Subject>
{
    public const string Kind = "instruction";

    public static readonly InstructionReminders Rules = new();

    private InstructionReminders() : base(Kind, "instr")
    {
    }

    /// <summary>One named unit of an instruction: what a timer of this kind reminds of.</summary>
    public sealed record Subject(InstructionRecord Instruction, InstructionTargetRecord Target);

    public static string Key(Guid targetId, DateOnly due, string occurrence) => Rules.KeyOf(targetId, due, occurrence);

    /// <summary>The first reminder still ahead for one named unit.</summary>
    public static TimerRecord? First(InstructionRecord i, InstructionTargetRecord t, WorkflowDefinition definition, WorkingDayCalendar calendar, DateTimeOffset now) =>
        Rules.FirstOf(t.Id, i.DueDate, i.CampaignId, definition, calendar, now);

    protected override async Task<IReadOnlyDictionary<Guid, Subject>> SubjectsAsync(AppDbContext db, IReadOnlyList<Guid> owners, CancellationToken ct)
    {
        var instructions = await db.Instructions.AsNoTracking().Include(i => i.Targets)
            .Where(i => i.Targets.Any(t => owners.Contains(t.Id))).ToListAsync(ct);
        return instructions.SelectMany(i => i.Targets, (i, t) => new Subject(i, t)).ToDictionary(s => s.Target.Id);
    }

    protected override Guid CampaignOf(Subject s) => s.Instruction.CampaignId;

    protected override bool IsOwed(Subject s, DateOnly due) =>
        due == s.Instruction.DueDate && s.Instruction.State != InstructionState.Closed && !s.Target.Answered;

    protected override ReminderContext Context(Subject s, DateOnly due) => new()
    {
        Unit = s.Target.Unit, ItemText = $"{s.Instruction.SubjectTitle}批示", StepName = ReminderTexts.InstructionStep,
        Link = $"/instructions/{s.Instruction.Id}",
    };

    protected override IReadOnlyList<string> RecipientsAt(Subject s, ReminderKind kind) =>
        kind == ReminderKind.Escalation ? [Recipients.Leaders, Recipients.Office] : [Recipients.ForUnit(s.Target.Unit)];
}
