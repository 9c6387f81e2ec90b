namespace CreationWorkflow.Web.Scoring;

/// <summary>One scored entry of a programme as the assessment pages list it: an item ("7") or a bonus/penalty/negative item ("B3").</summary>
public sealed record AssessmentEntry(string Key, string Text, decimal? Max, AdjustmentKind? Kind, IReadOnlyList<Rule> Rules, int? Indicator, IReadOnlyList<string> Lead)
{
    public int? ItemNo => Kind is null ? int.Parse(Key, System.Globalization.CultureInfo.InvariantCulture) : null;

    public decimal ScoreIn(ScoreResult result) => Kind is { } kind ? result.Adjustment(kind, No).Score : result.Item(No).Score;

    public IReadOnlyList<ExplanationLine> LinesIn(ScoreResult result) => Kind is { } kind ? result.Adjustment(kind, No).Lines : result.Item(No).Lines;

    private int No => int.Parse(Kind is null ? Key : Key[1..], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Whose assessment a page shows and who may do what on it.</summary>
public sealed record AssessmentScope(CampaignRecord Campaign, Programme Programme, string Subject, IReadOnlyList<string> Subjects)
{
    public bool UnitProgramme => Programme.Header.Subject == ProgrammeSubject.Unit;

    /// <summary>The query string that keeps the chosen subject (unit assessments, staff only).</summary>
    public string SubjectQuery => UnitProgramme && Subject.Length > 0 ? "?subject=" + Uri.EscapeDataString(Subject) : "";
}

/// <summary>Shared by the self-assessment pages: entries, subjects and the resource checks after loading.</summary>
public static class AssessmentPages
{
    public static IReadOnlyList<AssessmentEntry> EntriesOf(Programme p) =>
    [
        .. p.Items.Select(i => new AssessmentEntry(i.No.ToString(System.Globalization.CultureInfo.InvariantCulture), i.Text, i.Points, null, i.Rules, i.Indicator, i.LeadUnits)),
        .. p.AllAdjustments.Select(a => new AssessmentEntry(
            (a.Kind switch { AdjustmentKind.Bonus => "B", AdjustmentKind.Penalty => "P", _ => "N" }) + a.Item.No, a.Item.Text,
            a.Item.Rules.All(r => r.MaxPoints < decimal.MaxValue) ? a.Item.Rules.Sum(r => r.MaxPoints) : null, a.Kind, a.Item.Rules, null, a.Item.Lead ?? [])),
    ];

    public static AssessmentEntry? EntryOf(Programme p, string item) => EntriesOf(p).FirstOrDefault(e => e.Key == item);

    /// <summary>
    /// Loads the campaign and settles the subject: the city ("") for a city programme; in a unit assessment a unit user's
    /// own unit (null — answer 404 — when it is not assessed in this campaign), or the unit staff chose (default: the first).
    /// </summary>
    public static async Task<AssessmentScope?> ScopeAsync(ClaimsPrincipal user, Guid id, string? requested, CampaignLoader loader, AppDbContext db, CancellationToken ct)
    {
        CampaignRecord campaign;
        Programme programme;
        try
        {
            (campaign, programme) = await loader.LoadAsync(id, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
        if (programme is null)
        {
            return null;
        }
        if (programme.Header.Subject == ProgrammeSubject.City)
        {
            return new AssessmentScope(campaign, programme, "", []);
        }
        var subjects = await db.Assignments.Where(a => a.CampaignId == id).Select(a => a.Unit).Distinct().OrderBy(u => u).ToListAsync(ct);
        if (user.UnitOf() is { } unit)
        {
            return subjects.Contains(unit) ? new AssessmentScope(campaign, programme, unit, [unit]) : null;
        }
        var subject = requested is not null && subjects.Contains(requested) ? requested : subjects.FirstOrDefault() ?? "";
        return new AssessmentScope(campaign, programme, subject, subjects);
    }

    /// <summary>Who may enter an entry's facts: the office, or (city programme) one of its lead units, or (unit assessment) the assessed unit itself.</summary>
    public static bool CanEnter(ClaimsPrincipal user, AssessmentScope scope, AssessmentEntry entry)
    {
        if (user.IsInRole(Roles.Office))
        {
            return true;
        }
        if (user.UnitOf() is not { } unit)
        {
            return false;
        }
        return scope.UnitProgramme ? unit == scope.Subject : scope.Programme.LeadsOf(entry.Key).Contains(unit);
    }

    /// <summary>Who may read an entry's page: staff, and whoever may enter its facts.</summary>
    public static bool CanSee(ClaimsPrincipal user, AssessmentScope scope, AssessmentEntry entry) => user.IsStaff() || CanEnter(user, scope, entry);

    public static string StateName(ReviewState? state) => state switch
    {
        null => "未报送",
        ReviewState.Proposed => "待审核",
        ReviewState.Accepted => "已采纳",
        ReviewState.Adjusted => "已调整",
        ReviewState.Returned => "已退回",
        _ => state.ToString()!,
    };

    public static string KindName(AdjustmentKind? kind) => kind switch
    {
        AdjustmentKind.Bonus => "加分事项",
        AdjustmentKind.Penalty => "减分事项",
        AdjustmentKind.Negative => "负面清单",
        _ => "测评内容",
    };

    /// <summary>The evaluator's menu entry: /assessment/rates → the latest campaign's 第三方评估 page.</summary>
    public static IEndpointRouteBuilder MapAssessmentPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assessment/rates", async (AppDbContext db, CancellationToken ct) =>
            await db.Campaigns.OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct) is { } id
                ? Results.Redirect($"/campaigns/{id}/assessment/rates")
                : Results.Redirect("/programmes"))
            .RequireAuthorization(p => p.RequireRole(Roles.Evaluator, Roles.Office)).ExcludeFromDescription();
        return app;
    }
}
