namespace CreationWorkflow.Web.Supervision;

/// <summary>One order in the list: its number, unit, deadline and state, and whether its deadline has passed unanswered.</summary>
public sealed record OrderRow(Guid Id, string Title, string Unit, DateOnly RectifyBy, SupervisionOrderState State, string StateText,
    string IssuedBy, DateTimeOffset IssuedAt, int Assignments, bool Overdue);

/// <summary>
/// 督办单 (/supervision/orders), newest first, filtered by state and unit. The office, inspectors and leaders see every
/// order (leaders read only); a unit user sees only its own unit's, whatever unit it asks for.
/// </summary>
[Authorize(Policy = Policies.StaffOrUnit)]
public sealed class OrdersModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public const int MaxRows = 200;

    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }

    public IReadOnlyList<OrderRow> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public string? Error { get; private set; }
    public bool IsStaff => User.IsStaff();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var orders = db.SupervisionOrders.AsQueryable();
        if (!IsStaff)
        {
            if (User.UnitOf() is not { } own)
            {
                return Forbid();
            }
            Unit = own;
        }
        if (!string.IsNullOrWhiteSpace(Unit))
        {
            var unit = Unit.Trim();
            orders = orders.Where(o => o.Unit == unit);
        }
        if (!string.IsNullOrWhiteSpace(State))
        {
            if (!Enum.TryParse<SupervisionOrderState>(State.Trim(), ignoreCase: true, out var state) || !char.IsLetter(State.Trim()[0]))
            {
                Error = $"督办单状态「{State}」无效，请从列表中选择。";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            orders = orders.Where(o => o.State == state);
        }
        var today = ChinaTime.Today(clock.GetUtcNow());
        Total = await orders.CountAsync(ct);
        var rows = await orders.OrderByDescending(o => o.IssuedAt).ThenByDescending(o => o.Year).ThenByDescending(o => o.Number).Take(MaxRows)
            .Select(o => new { o.Id, o.Year, o.Number, o.Unit, o.RectifyBy, o.State, o.IssuedBy, o.IssuedAt, Count = o.Assignments.Count })
            .ToListAsync(ct);
        Rows = [.. rows.Select(o => new OrderRow(o.Id, $"督办〔{o.Year}〕{o.Number}号", o.Unit, o.RectifyBy, o.State, SupervisionOrderLifecycle.Chinese(o.State),
            o.IssuedBy, o.IssuedAt, o.Count, o.State == SupervisionOrderState.Open && o.RectifyBy < today))];
        return Page();
    }

    public static readonly IReadOnlyList<(string Value, string Text)> States =
        [("", "全部"), .. Enum.GetValues<SupervisionOrderState>().Select(s => (s.ToString().ToLowerInvariant(), SupervisionOrderLifecycle.Chinese(s)))];
}
