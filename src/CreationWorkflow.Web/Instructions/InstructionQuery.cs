namespace CreationWorkflow.Web.Instructions;

public sealed record InstructionFileView(Guid Id, string FileName, long Size);

public sealed record InstructionTargetView(
    string Unit, bool Answered, string? Answer, string? AnsweredBy, DateTimeOffset? AnsweredAt, IReadOnlyList<InstructionFileView> Files);

/// <summary>An instruction as pages and the API show it: its subject (with the page it was written on), text, deadline, state and each unit's answer.</summary>
public sealed record InstructionView(
    Guid Id, Guid CampaignId, InstructionSubject Subject, string SubjectKey, string SubjectTitle, string SubjectLink, string Text, DateOnly DueDate,
    string IssuedBy, DateTimeOffset IssuedAt, InstructionState State, string StateText, int Pending, bool Overdue,
    string? CloseNote, string? ClosedBy, DateTimeOffset? ClosedAt, IReadOnlyList<InstructionTargetView> Targets);

/// <summary>The list's filters: a campaign, a subject (with its key), open ones only.</summary>
public sealed record InstructionFilter(Guid? CampaignId = null, InstructionSubject? Subject = null, string? SubjectKey = null, bool OpenOnly = false, int? Page = null)
{
    /// <summary>A subject as the API and the page take it (item, order, bulletin, any case); null when none is given.</summary>
    public static InstructionSubject? SubjectOf(string? subject) =>
        string.IsNullOrWhiteSpace(subject) ? null
        : Enum.TryParse<InstructionSubject>(subject.Trim(), ignoreCase: true, out var s) && char.IsLetter(subject.Trim()[0]) ? s
        : throw new DomainException("subject", "批示对象须为 item（测评内容）、order（督办单）或 bulletin（工作进展通报）。");
}

/// <summary>
/// Reads instructions as the caller may see them: staff every one, a unit user those naming its unit. A unit sees the
/// other named units' answers too (they work on the same instruction). Lists are paged; counts are GROUP BY queries.
/// </summary>
public sealed class InstructionQuery(AppDbContext db, TimeProvider clock)
{
    public async Task<Page<InstructionView>> ListAsync(ClaimsPrincipal user, InstructionFilter filter, CancellationToken ct)
    {
        var (page, size, skip) = Paging.Check(filter.Page, null);
        var rows = Visible(user);
        if (filter.CampaignId is { } campaign)
        {
            rows = rows.Where(i => i.CampaignId == campaign);
        }
        if (filter.Subject is { } subject)
        {
            rows = rows.Where(i => i.Subject == subject);
            if (Input.Text(filter.SubjectKey, "subjectKey", required: false, max: Input.ShortLength + 14) is { } key)
            {
                rows = rows.Where(i => i.SubjectKey == key);
            }
        }
        if (filter.OpenOnly)
        {
            rows = rows.Where(i => i.State != InstructionState.Closed);
        }
        var total = await rows.CountAsync(ct);
        var list = await rows.OrderByDescending(i => i.IssuedAt).ThenBy(i => i.Id).Skip(skip).Take(size)
            .Include(i => i.Targets).ThenInclude(t => t.Files).AsSplitQuery().AsNoTracking().ToListAsync(ct);
        return new Page<InstructionView>([.. list.Select(View)], total, page, size);
    }

    /// <summary>The open instructions a unit still owes its answer to, due first (its inbox).</summary>
    /// <remarks>Shown on every page of a unit's clerk: one small query finds them, and only when there are some are they loaded with their targets and files.</remarks>
    public async Task<IReadOnlyList<InstructionView>> OwedByAsync(string unit, CancellationToken ct)
    {
        var ids = await db.Instructions.Where(i => i.State == InstructionState.Open && i.Targets.Any(t => t.Unit == unit && t.AnsweredAt == null))
            .OrderBy(i => i.DueDate).ThenBy(i => i.Id).Select(i => i.Id).Take(Paging.MaxPageSize).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return [];
        }
        return [.. (await db.Instructions.AsNoTracking().Where(i => ids.Contains(i.Id)).OrderBy(i => i.DueDate).ThenBy(i => i.Id)
            .Include(i => i.Targets).ThenInclude(t => t.Files).AsSplitQuery().ToListAsync(ct)).Select(View)];
    }

    /// <summary>Per open instruction of a campaign, how many named units still owe their answer (one GROUP BY): the 需关注 list's 未答复.</summary>
    public async Task<IReadOnlyList<(Guid Id, string SubjectTitle, string Text, DateOnly DueDate, int Units, int Pending)>> UnansweredAsync(Guid campaignId, CancellationToken ct)
    {
        var rows = await db.InstructionTargets
            .Join(db.Instructions.Where(i => i.CampaignId == campaignId && i.State == InstructionState.Open), t => t.InstructionId, i => i.Id, (t, i) => new { i, t })
            .GroupBy(x => new { x.i.Id, x.i.SubjectTitle, x.i.Text, x.i.DueDate })
            .Select(g => new { g.Key.Id, g.Key.SubjectTitle, g.Key.Text, g.Key.DueDate, Units = g.Count(), Pending = g.Count(x => x.t.AnsweredAt == null) })
            .Where(g => g.Pending > 0).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.DueDate).ThenBy(r => r.Id).Select(r => (r.Id, r.SubjectTitle, r.Text, r.DueDate, r.Units, r.Pending))];
    }

    public IQueryable<InstructionRecord> Visible(ClaimsPrincipal user)
    {
        if (user.IsStaff())
        {
            return db.Instructions;
        }
        var unit = user.IsInRole(Roles.Unit) ? user.UnitOf() : null;
        return unit is null ? db.Instructions.Where(_ => false) : db.Instructions.Where(i => i.Targets.Any(t => t.Unit == unit));
    }

    public InstructionView View(InstructionRecord i)
    {
        var today = ChinaTime.Today(clock.GetUtcNow());
        var pending = i.Targets.Count(t => !t.Answered);
        return new InstructionView(
            i.Id, i.CampaignId, i.Subject, i.SubjectKey, i.SubjectTitle, LinkOf(i), i.Text, i.DueDate, i.IssuedBy, i.IssuedAt, i.State,
            InstructionLifecycle.Chinese(i.State), pending, i.State == InstructionState.Open && pending > 0 && today > i.DueDate,
            i.CloseNote, i.ClosedBy, i.ClosedAt,
            [.. i.Targets.OrderBy(t => t.Unit, StringComparer.Ordinal).Select(t => new InstructionTargetView(
                t.Unit, t.Answered, t.Answer, t.AnsweredBy, t.AnsweredAt, [.. t.Files.OrderBy(f => f.UploadedAt).Select(f => new InstructionFileView(f.Id, f.FileName, f.Size))]))]);
    }

    /// <summary>The page the instruction was written on.</summary>
    public static string LinkOf(InstructionRecord i) => i.Subject switch
    {
        InstructionSubject.Item => $"/campaigns/{i.CampaignId}/assessment/items/{Uri.EscapeDataString(i.SubjectKey)}",
        InstructionSubject.Order => $"/supervision/orders/{i.SubjectKey}",
        _ => $"/campaigns/{i.CampaignId}/bulletins#bulletin-{i.SubjectKey}",
    };
}
