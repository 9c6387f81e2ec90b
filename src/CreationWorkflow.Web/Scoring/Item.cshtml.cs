namespace CreationWorkflow.Web.Scoring;

/// <summary>A trail computed from facts not (yet) stored: the 试算.</summary>
public sealed record ItemPreview(decimal Score, IReadOnlyList<ExplanationLine> Lines);

/// <summary>
/// One entry's self-assessment (/campaigns/{id}/assessment/items/{item}): (a) 汇总 — the units' reports and evidence on
/// this item's assignments; (b) the fact-entry form generated from the item's rules (<see cref="FactsForm"/>) with the
/// evidence behind each rule; (c) 试算 — the engine's score and explanation trail for the entered facts, stored nowhere
/// (also posted by assessment.js on change); (d) 提交自评 through <see cref="ItemReviews.ProposeAsync"/>; and the
/// office's review (采纳 / 调整 / 退回) through <see cref="ItemReviews.ReviewAsync"/>, proposed and reviewed side by side.
/// Only the entry's lead unit(s) — in a unit assessment the assessed unit — and the office enter facts; other units get 404.
/// </summary>
[Authorize(Roles = Roles.Office + "," + Roles.Unit + "," + Roles.Leader + "," + Roles.Inspector)]
public sealed class ItemModel(FactStore factStore, ItemReviews reviews, ItemQuery query, AppDbContext db, EvidenceStore store, Inspection.PeerInspectionQuery peers) : PageModel
{
    public const int MaxReports = ItemQuery.MaxReports;

    /// <summary>Above this many units the 汇总 table starts folded under its totals.</summary>
    public const int UnfoldedUnits = 12;

    public AssessmentScope Scope { get; private set; } = null!;
    public AssessmentEntry Entry { get; private set; } = null!;
    public Standing Standing { get; private set; } = null!;
    public ItemReviewRecord? Review { get; private set; }
    public bool CanEnter { get; private set; }
    public bool CanReview => User.IsInRole(Roles.Office);
    public IReadOnlyList<string> Leads { get; private set; } = [];
    public IReadOnlyList<UnitProgress> Progress { get; private set; } = [];
    public IReadOnlyList<SubmissionRow> Reports { get; private set; } = [];

    /// <summary>The units' lines on this item in their per-unit reports (一月一报), newest period first.</summary>
    public IReadOnlyList<LineRow> Lines { get; private set; } = [];
    public IReadOnlyList<EvidenceChoice> EvidenceChoices { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Sources { get; private set; } = new Dictionary<string, string>();

    /// <summary>The item's 测评方法 (网上申报 when it names none) and its evidence plan against the form's facts (<see cref="EvidencePlan"/>).</summary>
    public IReadOnlyList<EvaluationMethod> Methods { get; private set; } = [];
    public IReadOnlyList<NeedStatus> Plan { get; private set; } = [];
    public IEnumerable<EvidenceNeed> Missing => Plan.Where(p => !p.Present).Select(p => p.Need);

    /// <summary>互观互检: the findings of submitted peer inspections of this item, for its review.</summary>
    public IReadOnlyList<Inspection.ItemFinding> Findings { get; private set; } = [];

    /// <summary>The fact form's values: the stored proposal, or what was just posted.</summary>
    public Dictionary<string, List<string>> Values { get; private set; } = [];
    public ItemPreview? Preview { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }
    public string? Reason { get; private set; }
    [TempData] public string? Message { get; set; }

    public string Base => $"/campaigns/{Scope.Campaign.Id}/assessment/items/{Entry.Key}";

    public async Task<IActionResult> OnGetAsync(Guid id, string item, string? subject, CancellationToken ct) =>
        await LoadAsync(id, item, subject, ct) ? Page() : NotFound();

    /// <summary>An evidence file of this entry's candidates: same visibility as the page, always an attachment.</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(Guid id, string item, Guid fileId, string? subject, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct) || EvidenceChoices.All(e => e.Id != fileId))
        {
            return NotFound();
        }
        var file = await db.EvidenceFiles.SingleAsync(f => f.Id == fileId, ct);
        return store.Download(this, file.StoredName, file.FileName);
    }

    /// <summary>试算: the engine over the entered facts; nothing is stored.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid id, string item, string? subject, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        if (!CanEnter && !CanReview)
        {
            return Forbid();
        }
        Values = FactsForm.ValuesOf(Request.Form);
        var (facts, error) = FactsForm.Read(Entry.Rules, Values);
        if (error is not null)
        {
            return Refuse(error.Field, error.Message, StatusCodes.Status400BadRequest);
        }
        await PlanAsync(facts!, ct);
        try
        {
            var result = ScoringEngine.Score(Scope.Programme, facts!.Facts);
            Preview = new ItemPreview(Entry.ScoreIn(result), Entry.LinesIn(result));
        }
        catch (InvalidFactsException e)
        {
            return Refuse(FactsForm.FieldOf(e.Errors[0].Path), e.Errors[0].Reason, StatusCodes.Status400BadRequest);
        }
        return Page();
    }

    /// <summary>提交自评: the entered facts and evidence, through the service (validated there again); the office is told.</summary>
    public async Task<IActionResult> OnPostProposeAsync(Guid id, string item, string? subject, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        if (!CanEnter)
        {
            return Forbid();
        }
        Values = FactsForm.ValuesOf(Request.Form);
        var (facts, error) = FactsForm.Read(Entry.Rules, Values);
        if (error is not null)
        {
            return Refuse(error.Field, error.Message, StatusCodes.Status400BadRequest);
        }
        // Not a block: what the evidence plan misses is said with the message and kept in the audit entry.
        IReadOnlyList<EvidenceNeed> missing = [];
        return await SaveAsync(async () => missing = await reviews.ProposeAsync(Scope.Campaign.Id, Scope.Subject, Entry.Key, facts!, User.NameOf(), ct,
                User.IsInRole(Roles.Office) ? null : User.UnitOf()),
            () => "自评事实已报送，等待创建办审核。" + (missing.Count == 0 ? "" : $"佐证材料尚缺{missing.Count}项（已随自评记录）：{string.Join("；", missing.Select(m => m.Text))}。"), ct);
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid id, string item, string? subject, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        return !CanReview ? Forbid() : await SaveAsync(
            () => reviews.ReviewAsync(Scope.Campaign.Id, Scope.Subject, Entry.Key, new ReviewDecision("accept"), User.NameOf(), ct), "已采纳自评。", ct);
    }

    public async Task<IActionResult> OnPostReturnAsync(Guid id, string item, string? subject, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        Reason = reason;
        return !CanReview ? Forbid() : await SaveAsync(
            () => reviews.ReviewAsync(Scope.Campaign.Id, Scope.Subject, Entry.Key, new ReviewDecision("return", reason), User.NameOf(), ct), "已退回，牵头单位将收到通知。", ct);
    }

    /// <summary>调整: the office's own facts for the entry (from the same form) with a reason; they count instead of the proposal.</summary>
    public async Task<IActionResult> OnPostAdjustAsync(Guid id, string item, string? subject, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(id, item, subject, ct))
        {
            return NotFound();
        }
        if (!CanReview)
        {
            return Forbid();
        }
        Reason = reason;
        Values = FactsForm.ValuesOf(Request.Form);
        var (facts, error) = FactsForm.Read(Entry.Rules, Values);
        if (error is not null)
        {
            return Refuse(error.Field, error.Message, StatusCodes.Status400BadRequest);
        }
        return await SaveAsync(
            () => reviews.ReviewAsync(Scope.Campaign.Id, Scope.Subject, Entry.Key, new ReviewDecision("adjust", reason, facts), User.NameOf(), ct), "已按调整后的事实计分。", ct);
    }

    private Task<IActionResult> SaveAsync(Func<Task> act, string done, CancellationToken ct) => SaveAsync(act, () => done, ct);

    private async Task<IActionResult> SaveAsync(Func<Task> act, Func<string> done, CancellationToken ct)
    {
        try
        {
            await act();
        }
        catch (Exception e) when (Refusals.Of(e) is { } refusal)
        {
            db.ChangeTracker.Clear();
            var posted = Values;
            if (refusal.IsNotFound || !await LoadAsync(Scope.Campaign.Id, Entry.Key, Scope.Subject, ct))
            {
                return NotFound();
            }
            Values = posted;
            if (FactsForm.Read(Entry.Rules, posted) is ({ } facts, null))
            {
                await PlanAsync(facts, ct);
            }
            var field = refusal.Field.StartsWith("facts", StringComparison.Ordinal) ? FactsForm.FieldOf(refusal.Field) : refusal.Field;
            var rule = Entry.Rules.FirstOrDefault(r => field.EndsWith("." + r.Id, StringComparison.Ordinal) || field.Contains("." + r.Id + ".", StringComparison.Ordinal));
            return Refuse(field, rule is null ? refusal.Message : $"{FactsForm.Label(rule)}：{refusal.Message}", refusal.Status);
        }
        Message = done();
        return Redirect(Base + Scope.SubjectQuery);
    }

    private PageResult Refuse(string field, string message, int status)
    {
        Error = message;
        ErrorField = field;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, string item, string? subject, CancellationToken ct)
    {
        if (await query.LoadAsync(User, id, item, subject, ct) is not { } page)
        {
            return false;
        }
        (Scope, Entry, CanEnter, Leads, Standing, Review, Values, Sources) =
            (page.Scope, page.Entry, page.CanEnter, page.Leads, page.Standing, page.Review, page.Values, page.Sources);
        (Progress, Reports, EvidenceChoices, Lines) = (page.Progress, page.Reports, page.EvidenceChoices, page.Lines);
        (Methods, Plan) = (page.Methods, page.Plan);
        Findings = Entry.ItemNo is null ? [] : await peers.FindingsAsync(id, Entry.Key, ct);
        return true;
    }

    /// <summary>The plan against facts just posted (试算, a refused 提交自评), so the warning follows the form.</summary>
    private async Task PlanAsync(ItemFacts facts, CancellationToken ct) =>
        Plan = EvidencePlan.Check([.. Plan.Select(p => p.Need)], Entry.Rules, await factStore.FiledAsync(facts, ct));
}
