using System.Text.Json.Nodes;

namespace CreationWorkflow.Web.Supervision;

/// <summary>One step in an order's history, from its audit entries: who did what, when, and what they wrote.</summary>
public sealed record OrderEvent(DateTimeOffset At, string Actor, string Action, string? Text);

/// <summary>
/// One 督办单 (/supervision/orders/{id}): the order, its assignments and its history (下发, 整改反馈, 办结/销号, 升级/提级督办).
/// The order's own unit answers with 整改反馈 while it is open; the office and inspectors close or escalate it; leaders
/// read. Loads, then checks: a unit user sees only its own unit's orders, and any other id answers 404 for reading and
/// for every form. Changes go through <see cref="SupervisionService"/>; refusals are shown in Chinese and store nothing.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class OrderModel(SupervisionService supervision, AppDbContext db, WorkflowCatalog workflows, ProgrammeCatalog programmes, TimeProvider clock)
    : PageModel
{
    public OrderView Order { get; private set; } = null!;
    public IReadOnlyList<OrderEvent> History { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    [TempData] public string? Message { get; set; }

    /// <summary>Form text kept on a refused form.</summary>
    public string? Text { get; private set; }

    public bool CanDecide => User.IsInRole(Roles.Office) || User.IsInRole(Roles.Inspector);
    public bool IsOwnUnit => User.IsInRole(Roles.Unit) && User.UnitOf() is { } unit && unit == Order.Unit;
    public bool CanAnswer => IsOwnUnit && SupervisionOrderLifecycle.Allows(Order.State, SupervisionOrderTrigger.Answer);
    public bool CanClose => CanDecide && SupervisionOrderLifecycle.Allows(Order.State, SupervisionOrderTrigger.Close);
    public bool CanEscalate => CanDecide && SupervisionOrderLifecycle.Allows(Order.State, SupervisionOrderTrigger.Escalate);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>整改反馈: only the order's own unit.</summary>
    public async Task<IActionResult> OnPostAnswerAsync(Guid id, string? text, CancellationToken ct)
    {
        Text = text;
        if (await FindVisibleAsync(id, ct) is not { } order)
        {
            return NotFound();
        }
        if (User.UnitOf() is not { } unit || !User.IsInRole(Roles.Unit) || unit != order.Unit)
        {
            return Forbid();
        }
        return await ActAsync(id, () => supervision.AnswerAsync(id, unit, new OrderFeedbackRequest(text ?? ""), User.NameOf(), ct),
            o => $"已提交{o.Title}的整改反馈，等待督查审核。", ct);
    }

    /// <summary>办结 (销号): an answered order, by the office or an inspector.</summary>
    public Task<IActionResult> OnPostCloseAsync(Guid id, string? decision, CancellationToken ct) =>
        DecideAsync(id, SupervisionOrderState.Closed, decision, o => $"{o.Title}已办结（销号），已通知{o.Unit}。", ct);

    /// <summary>升级 (提级督办): an open or answered order, by the office or an inspector.</summary>
    public Task<IActionResult> OnPostEscalateAsync(Guid id, string? decision, CancellationToken ct) =>
        DecideAsync(id, SupervisionOrderState.Escalated, decision, o => $"{o.Title}已升级（提级督办），已通知{o.Unit}和领导小组。", ct);

    private async Task<IActionResult> DecideAsync(Guid id, SupervisionOrderState to, string? decision, Func<SupervisionOrderRecord, string> done, CancellationToken ct)
    {
        Text = decision;
        if (await FindVisibleAsync(id, ct) is null)
        {
            return NotFound();
        }
        if (!CanDecide)
        {
            return Forbid();
        }
        return await ActAsync(id, () => supervision.DecideAsync(id, to, new OrderDecisionRequest(decision ?? ""), User.NameOf(), ct), done, ct);
    }

    private async Task<IActionResult> ActAsync(Guid id, Func<Task<SupervisionOrderRecord>> act, Func<SupervisionOrderRecord, string> done, CancellationToken ct)
    {
        try
        {
            var order = await act();
            Message = done(order);
            return RedirectToPage(new { id });
        }
        catch (Exception e) when (Refusals.Of(e) is { } r)
        {
            db.ChangeTracker.Clear(); // the refused change stays unsaved; reload what is stored
            if (r.IsNotFound || !await LoadAsync(id, ct))
            {
                return NotFound();
            }
            Error = r.Message;
            ErrorField = r.Field;
            Response.StatusCode = r.Status;
            return Page();
        }
    }

    /// <summary>The order if the caller may see it: staff see every order, a unit user its own unit's; otherwise null (404).</summary>
    private async Task<SupervisionOrderRecord?> FindVisibleAsync(Guid id, CancellationToken ct)
    {
        var order = await db.SupervisionOrders.Include(o => o.Assignments).SingleOrDefaultAsync(o => o.Id == id, ct);
        return order is not null && (User.IsStaff() || User.IsInRole(Roles.Unit) && User.UnitOf() == order.Unit) ? order : null;
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await FindVisibleAsync(id, ct) is not { } order)
        {
            return false;
        }
        Today = ChinaTime.Today(clock.GetUtcNow());
        Order = (await OrderViews.LoadAsync([order], db, workflows, programmes, ct))[0];
        var key = id.ToString();
        var entries = await db.Audit.Where(a => a.Entity == AuditEntities.SupervisionOrder && a.EntityId == key).ToListAsync(ct);
        History = [.. entries.OrderBy(a => a.At).ThenBy(a => a.Id).Select(a => new OrderEvent(a.At, a.Actor, ActionName(a.Action), TextOf(a.Action, a.After)))];
        return true;
    }

    /// <summary>An audit action as the history shows it.</summary>
    public static string ActionName(string action) => action switch
    {
        AuditActions.SupervisionOrderIssued => "下发督办单",
        AuditActions.SupervisionOrderAnswered => "整改反馈",
        AuditActions.SupervisionOrderClosed => "办结（销号）",
        AuditActions.SupervisionOrderEscalated => "升级（提级督办）",
        _ => action,
    };

    /// <summary>What was written at that step, from the entry's snapshot: the requirement, the feedback or the decision.</summary>
    private static string? TextOf(string action, string? after)
    {
        if (after is null || JsonNode.Parse(after) is not JsonObject snapshot)
        {
            return null;
        }
        var field = action switch
        {
            AuditActions.SupervisionOrderIssued => "Requirement",
            AuditActions.SupervisionOrderAnswered => "Feedback",
            _ => "Decision",
        };
        return (string?)snapshot[field];
    }
}
