using Microsoft.Extensions.Caching.Memory;

namespace CreationWorkflow.Web.Infrastructure;

/// <summary>
/// Figures computed from campaigns' rows — the board's summaries and counts, heat maps, standings, a unit's inbox counts —
/// kept in memory under the campaigns' revisions (<see cref="CampaignRevisions"/>) and the day they are for, so that a
/// page asked for again shows the same figures without counting the rows again, until a change to one of those
/// campaigns or the next day. The revisions are read from the database once per request (scope) for all the figures
/// it shows, and again after any save through the request's context, always before the figures are computed: every
/// instance sharing the database sees a change at its next request, and a figure is never older than the revision it
/// is kept under. Values kept here are immutable records and lists; callers do not change them.
/// </summary>
public sealed class CampaignFigures(AppDbContext db, FigureStore store)
{
    private (long Saves, Dictionary<Guid, long> Revisions)? read;

    /// <summary>Every campaign's revision, read at most once between two saves of this request's context.</summary>
    private async Task<Dictionary<Guid, long>> RevisionsAsync(CancellationToken ct)
    {
        if (read is { } r && r.Saves == db.Saves)
        {
            return r.Revisions;
        }
        var saves = db.Saves;
        var all = await db.CampaignRevisions.AsNoTracking().ToDictionaryAsync(x => x.CampaignId, x => x.Revision, ct);
        read = (saves, all);
        return all;
    }

    /// <summary>
    /// The figure <paramref name="what"/> (with everything it depends on besides the campaigns' rows and the day in the
    /// name) of <paramref name="campaigns"/> (null: every campaign) on <paramref name="today"/>: kept, or computed now.
    /// </summary>
    public async Task<T> GetAsync<T>(string what, IReadOnlyCollection<Guid>? campaigns, DateOnly today, Func<Task<T>> compute, CancellationToken ct)
        where T : notnull
    {
        var all = await RevisionsAsync(ct);
        var shown = campaigns?.Distinct().ToList();
        if (shown is not null && !shown.All(all.ContainsKey))
        {
            // A campaign not saved yet (its revision is written with it): nothing to keep its figures under.
            return await compute();
        }
        var key = new StringBuilder(what).Append('|').Append(today.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        foreach (var id in (shown ?? [.. all.Keys]).Order())
        {
            key.Append('|').Append(id.ToString("N")).Append(':').Append(all[id].ToString(CultureInfo.InvariantCulture));
        }
        var name = key.ToString();
        if (store.Cache.TryGetValue(name, out T? kept) && kept is not null)
        {
            return kept;
        }
        var value = await compute();
        store.Cache.Set(name, value, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = FigureStore.KeptFor });
        return value;
    }
}

/// <summary>The process's kept figures (a singleton): bounded in count, each dropped when unused for a while.</summary>
public sealed class FigureStore : IDisposable
{
    /// <summary>At most this many figures are kept (each a page's worth: tens of KB, a standing ~140 KB).</summary>
    public const int MaxFigures = 1024;
    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);

    public MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = MaxFigures });

    public void Dispose() => Cache.Dispose();
}
