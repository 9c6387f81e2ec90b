namespace CreationWorkflow.Web.Bulletins;

/// <summary>One unit in the bulletin: the board's summary row as of the day, its work due in the period, and its rank.</summary>
/// <param name="Board">The board's row for the unit (应交, 已交, 逾期, 最长逾期（工作日）, lights, 按时率 so far).</param>
/// <param name="PeriodDue">Work due in the period (by due date), from the board's heat map cell; 0 when none.</param>
/// <param name="PeriodDelivered">Of it, delivered.</param>
/// <param name="PeriodRate">The period's 按时率 (<see cref="Deadline.OnTimeRate"/> of <paramref name="PeriodOnTime"/>), the heat map's cell.</param>
/// <param name="Rank">The unit's place by the period's on-time rate; null for the office itself or a unit with nothing due in the period.</param>
/// <param name="PeriodOnTime">Of the period's work, delivered on time (<see cref="Deadline.OnTime"/>).</param>
public sealed record BulletinUnit(SummaryRow Board, int PeriodDue, int PeriodDelivered, decimal? PeriodRate, int? Rank, int PeriodOnTime = 0);

/// <summary>A 督办单 as the bulletin lists it.</summary>
public sealed record BulletinOrder(string Title, string Unit, DateOnly IssuedOn, DateOnly RectifyBy, string State, DateOnly? ClosedOn);

/// <summary>What the city is asked for in the period and over the campaign (the burden meter's cells summed).</summary>
public sealed record CityBurden(int Forms, int Fields, int Files, int CampaignForms, int CampaignFields, int CampaignFiles);

/// <summary>
/// Everything a bulletin says, as of <see cref="AsOf"/>. Every figure comes from the function the board, the home page or
/// the setup page shows it with (<see cref="BoardSummaries"/>, <see cref="SupervisionBoard"/>,
/// <see cref="Standings.StandingAsync"/>, <see cref="BurdenMeter"/>): no rule is repeated here.
/// </summary>
public sealed record BulletinContent(
    Guid CampaignId, string CampaignName, string ProgrammeTitle, string Title, BulletinPeriod Period, DateOnly AsOf,
    LightCounts Counts, IReadOnlyList<BulletinUnit> Units, int LateTotal, IReadOnlyList<BoardRow> MostLate,
    IReadOnlyList<AtRisk>? Risks, IReadOnlyList<BulletinOrder> Issued, IReadOnlyList<BulletinOrder> Closed, CityBurden Burden)
{
    public int Due => Units.Sum(u => u.Board.Due);
    public int Delivered => Units.Sum(u => u.Board.Delivered);
    public int PeriodDue => Units.Sum(u => u.PeriodDue);
    public int PeriodDelivered => Units.Sum(u => u.PeriodDelivered);
    public int OnTime => Units.Sum(u => u.Board.OnTime);
    public int PeriodOnTime => Units.Sum(u => u.PeriodOnTime);

    /// <summary>The city's 按时率 so far, by the board's rule.</summary>
    public decimal? Rate => Deadline.OnTimeRate(OnTime, Due);

    /// <summary>The city's 按时率 in the period, by the board's rule.</summary>
    public decimal? PeriodRate => Deadline.OnTimeRate(PeriodOnTime, PeriodDue);
}

/// <summary>Gathers a bulletin's figures for a campaign and a month, as of today.</summary>
public sealed class BulletinFigures(
    AppDbContext db, BoardSummaries summaries, SupervisionBoard board, Standings standings, BurdenMeter burden)
{
    public async Task<BulletinContent> GatherAsync(CampaignRecord campaign, Programme programme, string title, BulletinPeriod period, int mostLate, CancellationToken ct)
    {
        var summary = await summaries.SummaryAsync(new SummaryQuery(campaign.Id, "unit"), ct);
        var cells = (await summaries.HeatMapAsync(campaign.Id, (period.Year, period.Month), ct)).ToDictionary(c => c.Unit, StringComparer.Ordinal);
        var rated = summary.Rows
            .Select(r => (Row: r, Cell: cells.GetValueOrDefault(r.Key)))
            .Select(x => (x.Row, Due: x.Cell?.Due ?? 0, Delivered: x.Cell is { } c ? c.Delivered : 0, OnTime: x.Cell?.OnTime ?? 0))
            .ToList();
        var ranked = rated.Where(x => x.Due > 0 && x.Row.Key != CampaignPlanner.Office).Select(x => Deadline.OnTimeRate(x.OnTime, x.Due)!.Value).ToList();
        var units = rated
            .Select(x =>
            {
                var rate = Deadline.OnTimeRate(x.OnTime, x.Due);
                int? rank = rate is { } r && x.Row.Key != CampaignPlanner.Office ? 1 + ranked.Count(o => o > r) : null;
                return new BulletinUnit(x.Row, x.Due, x.Delivered, rate, rank, x.OnTime);
            })
            .OrderBy(u => u.Rank ?? int.MaxValue).ThenBy(u => u.Board.Late).ThenByDescending(u => u.Board.OnTimeRate ?? -1m)
            .ThenBy(u => u.Board.Key, StringComparer.Ordinal)
            .ToList();

        var late = await board.QueryAsync(new BoardQuery(campaign.Id, null, null, null, "red", 1, mostLate), ct);
        var risks = programme.Header.Subject == ProgrammeSubject.City ? (await standings.StandingAsync(campaign.Id, "", ct)).PointsAtRisk : null;

        // A campaign's orders are few (one per unit and occasion): read them, then keep the period's.
        var orders = await db.SupervisionOrders.AsNoTracking().Where(o => o.CampaignId == campaign.Id)
            .Select(o => new { o.Year, o.Number, o.Unit, o.IssuedAt, o.RectifyBy, o.State, o.DecidedAt })
            .ToListAsync(ct);
        var listed = orders.OrderBy(o => o.Year).ThenBy(o => o.Number)
            .Select(o => new BulletinOrder(Reminders.ReminderTexts.OrderTitle(o.Year, o.Number), o.Unit, ChinaTime.Today(o.IssuedAt), o.RectifyBy,
                SupervisionOrderLifecycle.Chinese(o.State),
                o.State == SupervisionOrderState.Closed && o.DecidedAt is { } d ? ChinaTime.Today(d) : null))
            .ToList();
        bool In(DateOnly day) => day >= period.First && day <= period.Last;

        var meter = await burden.MeasureAsync(campaign.Id, ct);
        var month = meter.Months.Where(c => c.Year == period.Year && c.Month == period.Month).ToList();
        var city = new CityBurden(month.Sum(c => c.Forms), month.Sum(c => c.Fields), month.Sum(c => c.Files),
            meter.Units.Sum(u => u.Forms), meter.Units.Sum(u => u.Fields), meter.Units.Sum(u => u.Files));

        return new BulletinContent(campaign.Id, campaign.Name, programme.Header.Title, title, period, summary.Today,
            summary.Counts, units, late.Total, late.Items, risks,
            [.. listed.Where(o => In(o.IssuedOn))], [.. listed.Where(o => o.ClosedOn is { } c && In(c))], city);
    }
}
