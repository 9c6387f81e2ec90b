namespace CreationWorkflow.Web.Operations;

/// <summary>
/// 运维 (/operations, office): failed mail, timers skipped by an error and failed checkpoint runs, each with its error and
/// 重试 / 放弃 (one transaction with its audit entry, <see cref="Incidents"/>).
/// </summary>
[Authorize(Policy = Policies.Office)]
public sealed class IndexModel(Incidents incidents, Data.AppDbContext db) : PageModel
{
    public OpenIncidents Open { get; private set; } = new([], [], []);

    /// <summary>Per unit, its unread notices (one GROUP BY): who is not reading what the platform tells it.</summary>
    public IReadOnlyList<Reminders.NotificationEndpoints.UnreadCount> Unread { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Open = await incidents.ListAsync(ct);
        Unread = await Reminders.UnreadQuery.ByUnitAsync(db, null, ct);
    }

    public Task<IActionResult> OnPostRetryMailAsync(long id, CancellationToken ct) =>
        Act(() => incidents.RetryMailAsync(id, User.NameOf(), ct), "邮件已重新排入发送队列。", ct);

    public Task<IActionResult> OnPostDiscardMailAsync(long id, CancellationToken ct) =>
        Act(() => incidents.DiscardMailAsync(id, User.NameOf(), ct), "已放弃发送该邮件。", ct);

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken ct)
    {
        string? failed = null;
        var result = await Act(async () => failed = await incidents.RetryAsync(id, User.NameOf(), ct), "已重试。", ct);
        if (failed is not null)
        {
            Message = null;
            Error = $"重试仍然失败：{failed}";
        }
        return result;
    }

    public Task<IActionResult> OnPostDiscardAsync(long id, CancellationToken ct) =>
        Act(() => incidents.DiscardAsync(id, User.NameOf(), ct), "已放弃该项。", ct);

    private async Task<IActionResult> Act(Func<Task> action, string done, CancellationToken ct)
    {
        try
        {
            await action();
            Message = done;
        }
        catch (DomainException e)
        {
            Error = this.Refused(e).Message;
        }
        Open = await incidents.ListAsync(ct);
        Unread = await Reminders.UnreadQuery.ByUnitAsync(db, null, ct);
        return Page();
    }
}
