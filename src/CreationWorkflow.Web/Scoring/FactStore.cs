namespace CreationWorkflow.Web.Scoring;

/// <summary>
/// An item's facts as stored, per rule in two layers (what was proposed, what the review made count): reading them into
/// the engine's <see cref="Facts"/>, checking a submission against the item's rules and the evidence it may cite, and
/// replacing a layer. The callers own the transaction.
/// </summary>
public sealed class FactStore(AppDbContext db)
{
    /// <summary>An item's filed evidence as its plan checks it: these facts, their cited files (by name) and notes.</summary>
    public async Task<FiledEvidence> FiledAsync(ItemFacts input, CancellationToken ct)
    {
        var ids = (input.Evidence?.Values ?? []).SelectMany(v => v).Distinct().ToList();
        var names = ids.Count == 0 ? [] : await db.EvidenceFiles.Where(f => ids.Contains(f.Id)).Select(f => f.FileName).ToListAsync(ct);
        return new FiledEvidence(input.Facts, (input.Evidence ?? new Dictionary<string, IReadOnlyList<Guid>>()).ToDictionary(e => e.Key, e => e.Value.Count),
            names, input.Sources ?? new Dictionary<string, string>(), input.Notes ?? new Dictionary<string, string>());
    }

    public Task<List<FactRecord>> FactsAsync(Guid campaignId, string subject, FactLayer layer, CancellationToken ct) =>
        db.Facts.AsNoTracking().Where(f => f.CampaignId == campaignId && f.Subject == subject && f.Layer == layer).OrderBy(f => f.Id).ToListAsync(ct);

    /// <summary>Rows → the engine's facts.</summary>
    public static Facts ToFacts(IEnumerable<FactRecord> rows)
    {
        var list = rows.ToList();
        T V<T>(FactRecord f) => JsonSerializer.Deserialize<T>(f.Value, Json)!;
        return new Facts
        {
            StaffSize = list.Where(f => f.Kind == "staffSize").Select(f => (int?)V<int>(f)).LastOrDefault(),
            TitleLevel = list.Where(f => f.Kind == "titleLevel").Select(f => (Level?)V<Level>(f)).LastOrDefault(),
            Flags = [.. list.Where(f => f.Kind == "flag").Select(V<string>).Distinct()],
            Checks = list.Where(f => f.Kind == "check").ToDictionary(f => f.RuleId, V<bool>),
            Conditions = list.Where(f => f.Kind == "condition").ToDictionary(f => f.RuleId, V<bool>),
            Rates = list.Where(f => f.Kind == "rate").ToDictionary(f => f.RuleId, V<decimal>),
            Counts = list.Where(f => f.Kind == "count").ToDictionary(f => f.RuleId, V<int>),
            People = list.Where(f => f.Kind == "people").ToDictionary(f => f.RuleId, V<PeopleCount>),
            Cases = [.. list.Where(f => f.Kind == "case").Select(V<Case>)],
        };
    }

    /// <summary>How fact values and audit snapshots are written: the API's JSON options.</summary>
    public static readonly JsonSerializerOptions Json = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Startup.Configure(o);
        return o;
    }

    /// <summary>
    /// The sizes of an item's facts before anything is looked up: evidence and sources per rule within their limits, and
    /// the facts themselves within <see cref="FactsValidator.Bounds"/>. <paramref name="prefix"/> is where the body holds them.
    /// </summary>
    public static void CheckBounds(ItemFacts input, string prefix)
    {
        foreach (var (rule, ids) in input.Evidence ?? new Dictionary<string, IReadOnlyList<Guid>>())
        {
            Input.Count(ids, $"{prefix}evidence['{rule}']", max: MaxEvidencePerRule);
        }
        foreach (var (rule, source) in input.Sources ?? new Dictionary<string, string>())
        {
            Input.Text(source, $"{prefix}sources['{rule}']", required: false, max: Input.SourceLength);
        }
        foreach (var (key, note) in input.Notes ?? new Dictionary<string, string>())
        {
            Input.Text(note, $"{prefix}notes['{key}']", required: false, max: Input.SourceLength);
        }
        if (FactsValidator.Bounds(input.Facts) is [var first, ..])
        {
            throw new DomainException(prefix + "facts" + first.Path.TrimStart('$'), first.Reason);
        }
    }

    /// <summary>How many evidence files one rule may cite.</summary>
    public const int MaxEvidencePerRule = 50;

    /// <summary>Only this item's rules, and only facts the engine accepts.</summary>
    public static void Validate(Programme programme, IReadOnlyList<Rule> rules, ItemFacts input)
    {
        var ids = rules.Select(r => r.Id).ToHashSet();
        var deductions = rules.OfType<CheckRule>().SelectMany(r => r.Deductions).Select(d => d.Id).ToHashSet();
        var f = input.Facts;
        var foreign = f.Checks.Keys.Concat(f.Rates.Keys).Concat(f.Counts.Keys).Concat(f.People.Keys).Concat(f.Cases.Select(c => c.Rule))
            .Where(id => !ids.Contains(id)).Concat(f.Conditions.Keys.Where(id => !deductions.Contains(id)))
            .Concat((input.Evidence?.Keys ?? []).Where(id => !ids.Contains(id))).Concat((input.Sources?.Keys ?? []).Where(id => !ids.Contains(id)))
            .Distinct().ToList();
        if (foreign.Count > 0)
        {
            throw new DomainException("facts", $"规则 {string.Join("、", foreign)} 不属于本测评内容。");
        }
        if ((input.Notes?.Keys ?? []).FirstOrDefault(k => !EvidencePlan.NoteKeys.Contains(k)) is { } unknown)
        {
            throw new DomainException($"notes['{unknown}']", $"说明「{unknown}」无效，可填：{string.Join("、", EvidencePlan.NoteKeys)}。");
        }
        var errors = FactsValidator.Validate(programme, f);
        if (errors.Count > 0)
        {
            throw new DomainException("facts" + errors[0].Path.TrimStart('$'), errors[0].Reason);
        }
    }

    /// <summary>
    /// Cited evidence must belong to the campaign, and a unit may cite only files it may see: those of its own assignments,
    /// of those it reviews, and of the item's assignments (the item page shows the lead those; in a unit assessment only the
    /// subject's own). Any other id answers as if it did not exist.
    /// </summary>
    public async Task CheckEvidenceAsync(Guid campaignId, ItemFacts input, CancellationToken ct, (string Unit, string Subject, string Item)? citing = null)
    {
        var ids = (input.Evidence?.Values ?? []).SelectMany(v => v).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }
        var assignments = db.Assignments.Where(a => a.CampaignId == campaignId);
        if (citing is var (unit, subject, item))
        {
            var itemNo = ItemKey.ItemNoOf(item);
            assignments = assignments.Where(a => a.Unit == unit || a.ReviewerUnit == unit
                || (itemNo != null && a.ItemNo == itemNo && (subject == "" || a.Unit == subject)));
        }
        var found = await db.EvidenceFiles.Where(e => ids.Contains(e.Id))
            .Join(assignments, e => e.AssignmentId, a => a.Id, (e, _) => e.Id).ToListAsync(ct);
        var missing = ids.Except(found).ToList();
        if (missing.Count > 0)
        {
            throw new DomainException("evidence", $"佐证材料 {missing[0]} 不存在或不属于本创建活动。");
        }
    }

    public async Task ReplaceAsync(Guid campaignId, string subject, FactLayer layer, IReadOnlyList<Rule> rules, ItemFacts input, string actor, DateTimeOffset now, CancellationToken ct)
    {
        await DeleteAsync(campaignId, subject, layer, ProgrammeEntries.KeysOf(rules), ct);
        FactRecord Row(string ruleId, string kind, object value) => new()
        {
            CampaignId = campaignId, Subject = subject, Layer = layer, RuleId = ruleId, Kind = kind, Value = JsonSerializer.Serialize(value, Json),
            Source = input.Sources?.GetValueOrDefault(ruleId),
            Evidence = JsonSerializer.Serialize(input.Evidence?.GetValueOrDefault(ruleId) ?? []),
            EnteredBy = actor, EnteredAt = now,
        };
        var f = input.Facts;
        db.Facts.AddRange(f.Checks.Select(x => Row(x.Key, "check", x.Value)));
        db.Facts.AddRange(f.Conditions.Select(x => Row(x.Key, "condition", x.Value)));
        db.Facts.AddRange(f.Rates.Select(x => Row(x.Key, "rate", x.Value)));
        db.Facts.AddRange(f.Counts.Select(x => Row(x.Key, "count", x.Value)));
        db.Facts.AddRange(f.People.Select(x => Row(x.Key, "people", x.Value)));
        db.Facts.AddRange(f.Cases.Select(c => Row(c.Rule, "case", c)));
        if (f.StaffSize is { } staff)
        {
            db.Facts.AddRange(Row(rules[0].Id, "staffSize", staff));
        }
        if (f.TitleLevel is { } title)
        {
            db.Facts.AddRange(Row(rules[0].Id, "titleLevel", title));
        }
        db.Facts.AddRange(f.Flags.Select(flag => Row(rules[0].Id, "flag", flag)));
        // The evidence plan's notes, one row each under the item's first rule (like its flags), kind = the note's key.
        db.Facts.AddRange((input.Notes ?? new Dictionary<string, string>()).Where(n => !string.IsNullOrWhiteSpace(n.Value))
            .Select(n => Row(rules[0].Id, n.Key, n.Value.Trim())));
    }

    /// <summary>Stored rows → the item's notes (<see cref="EvidencePlan.NoteKeys"/>).</summary>
    public static IReadOnlyDictionary<string, string> NotesOf(IEnumerable<FactRecord> rows) =>
        rows.Where(r => EvidencePlan.NoteKeys.Contains(r.Kind)).GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => JsonSerializer.Deserialize<string>(g.Last().Value, Json)!);

    public async Task DeleteAsync(Guid campaignId, string subject, FactLayer layer, IReadOnlySet<string> ruleIds, CancellationToken ct)
    {
        var keys = ruleIds.ToList();
        db.Facts.RemoveRange(await db.Facts.Where(x => x.CampaignId == campaignId && x.Subject == subject && x.Layer == layer && keys.Contains(x.RuleId))
            .ToListAsync(ct));
    }
}
