namespace CreationWorkflow.Web.Calendar;

/// <summary>
/// 日程订阅 (/calendar): a unit user manages its own unit's feed, the office any unit's (chosen from the directory).
/// 开通/重置 shows the new URL once; 停用 ends it. Refusals as everywhere (<see cref="Refusals"/>): another unit's is 404.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class FeedsModel(CalendarFeeds feeds, AppDbContext db) : PageModel
{
    public CalendarFeedStatus? Status { get; private set; }

    /// <summary>The URL just made: shown on this answer only.</summary>
    public string? IssuedUrl { get; private set; }

    /// <summary>The office's choice of unit (the directory's names).</summary>
    public IReadOnlyList<string> Units { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(string? unit, CancellationToken ct) =>
        Act(unit, () => Task.CompletedTask, null, ct);

    public Task<IActionResult> OnPostIssueAsync(string? unit, CancellationToken ct) =>
        Act(unit, async () => IssuedUrl = (await feeds.IssueAsync(User, UnitFor(unit), ct)).Url, "订阅链接已生成。请立即复制保存：离开本页后将无法再次查看。", ct);

    public Task<IActionResult> OnPostRevokeAsync(string? unit, CancellationToken ct) =>
        Act(unit, () => feeds.RevokeAsync(User, UnitFor(unit), ct), "订阅链接已停用，原链接即刻失效。", ct);

    /// <summary>
    /// The office manages the unit it chose (none yet: the page only offers the choice); a unit user its own — naming
    /// another unit is refused by <see cref="CalendarFeeds.CheckUnitAsync"/> (404).
    /// </summary>
    private string? UnitFor(string? unit) => User.IsInRole(Roles.Office) || !string.IsNullOrWhiteSpace(unit) ? unit : User.UnitOf();

    private async Task<IActionResult> Act(string? unit, Func<Task> action, string? done, CancellationToken ct)
    {
        var office = User.IsInRole(Roles.Office);
        if (!office && User.UnitOf() is null)
        {
            return NotFound();
        }
        if (office)
        {
            Units = await db.Units.AsNoTracking().Select(u => u.Name).Distinct().OrderBy(n => n).ToListAsync(ct);
        }
        var name = UnitFor(unit);
        if (string.IsNullOrWhiteSpace(name))
        {
            return Page();
        }
        try
        {
            await action();
            Message = done;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return this.Denied(e);
        }
        catch (DomainException e)
        {
            Error = this.Refused(e).Message;
        }
        try
        {
            Status = await feeds.StatusAsync(User, name, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return this.Denied(e);
        }
        return Page();
    }
}
