namespace CreationWorkflow.Web.Instructions;

/// <summary>One step of an instruction's history, from its audit entries.</summary>
public sealed record InstructionEvent(DateTimeOffset At, string Actor, string Action);

/// <summary>
/// One 领导批示 (/instructions/{id}): the text, the page it was written on, the deadline and each named unit's 办理情况
/// with its files; a named unit answers (once, files under the upload rules); a leader closes it. Anyone not allowed to
/// see it gets 404 for reading and for every form. Changes go through <see cref="InstructionService"/>.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class DetailModel(InstructionService service, InstructionQuery query, AppDbContext db) : PageModel
{
    public InstructionView Instruction { get; private set; } = null!;
    public IReadOnlyList<InstructionEvent> History { get; private set; } = [];
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public string? Text { get; private set; }
    [TempData] public string? Message { get; set; }

    public string? OwnUnit => User.IsInRole(Roles.Unit) ? User.UnitOf() : null;

    public bool CanAnswer => OwnUnit is { } unit && Instruction.State == InstructionState.Open
        && Instruction.Targets.Any(t => t.Unit == unit && !t.Answered);

    public bool CanClose => User.IsInRole(Roles.Leader) && InstructionLifecycle.Allows(Instruction.State, InstructionTrigger.Close);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>A file sent with an answer: same visibility as the page, always an attachment.</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid fileId, [FromServices] Assignments.EvidenceStore store, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || await db.InstructionFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId, ct) is not { } file
            || Instruction.Targets.SelectMany(t => t.Files).All(f => f.Id != fileId))
        {
            return NotFound();
        }
        return store.Download(this, file.StoredName, file.FileName);
    }

    /// <summary>报送办理情况: a named unit.</summary>
    public async Task<IActionResult> OnPostAnswerAsync(Guid id, string? text, List<IFormFile>? files, CancellationToken ct)
    {
        Text = text;
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (OwnUnit is not { } unit || Instruction.Targets.All(t => t.Unit != unit))
        {
            return Forbid();
        }
        return await ActAsync(id, () => service.AnswerAsync(id, unit, text, files, User.NameOf(), ct), _ => "已报送办理情况，领导将看到。", ct);
    }

    /// <summary>办结: a leader.</summary>
    public async Task<IActionResult> OnPostCloseAsync(Guid id, string? note, CancellationToken ct)
    {
        Text = note;
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (!User.IsInRole(Roles.Leader))
        {
            return Forbid();
        }
        return await ActAsync(id, () => service.CloseAsync(id, new CloseInstructionRequest(note ?? ""), User.NameOf(), ct), i => $"批示已办结，已通知{string.Join("、", i.Targets.Select(t => t.Unit))}。", ct);
    }

    private Task<IActionResult> ActAsync(Guid id, Func<Task<InstructionRecord>> act, Func<InstructionRecord, string> done, CancellationToken ct) =>
        this.ActAsync(db, id, async () => done(await act()), m => Message = m, () => LoadAsync(id, ct), r => (Error, ErrorField) = (r.Message, r.Field));

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var instruction = await db.Instructions.AsNoTracking().Include(i => i.Targets).ThenInclude(t => t.Files).AsSplitQuery().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (instruction is null || !InstructionService.CanSee(User, instruction))
        {
            return false;
        }
        Instruction = query.View(instruction);
        var key = id.ToString();
        var entries = await db.Audit.AsNoTracking().Where(a => a.Entity == AuditEntities.Instruction && a.EntityId == key).ToListAsync(ct);
        History = [.. entries.OrderBy(a => a.At).ThenBy(a => a.Id).Select(a => new InstructionEvent(a.At, a.Actor, ActionName(a.Action)))];
        return true;
    }

    public static string ActionName(string action) => action switch
    {
        AuditActions.InstructionIssued => "作出批示",
        AuditActions.InstructionAnswered => "报送办理情况",
        AuditActions.InstructionClosed => "办结",
        _ => action,
    };
}
