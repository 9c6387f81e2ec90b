using System.Linq.Expressions;
using System.Reflection;

namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// <see cref="Deadline"/>'s rule as EF predicates over stored assignments on one day, so that SQL filters, counts and
/// groups by light (GROUP BY on the server) exactly as <see cref="Deadline.On"/> lights one row: built from the same
/// state lists, the same blue limit (<see cref="Deadline.BlueUntil"/>) and the same midpoints (through
/// <see cref="CampaignLookup.PastMidpoint"/>, as "period ≤ the last period past its midpoint").
/// </summary>
public sealed class LightQuery
{
    private static readonly ParameterExpression A = Expression.Parameter(typeof(AssignmentRecord), "a");

    public LightQuery(CampaignLookup lookup, DateOnly today, WorkingDayCalendar calendar)
    {
        Today = today;
        var blueUntil = Deadline.BlueUntil(today, calendar);
        var owed = In(Deadline.OwedStates);
        var pastDue = Body(a => a.DueDate < today);
        var returned = Body(a => a.State == AssignmentState.Returned);
        var blue = Body(a => a.DueDate <= blueUntil);
        var midpoint = lookup.PastMidpoint(today)
            .Select(c => Body(a => a.CampaignId == c.CampaignId && a.StepId == c.StepId && a.Period <= c.LastPeriod))
            .Aggregate((Expression)Expression.Constant(false), Expression.OrElse);
        var behind = Expression.AndAlso(In(Deadline.NotFiledStates), midpoint);

        Late = Lambda(Expression.AndAlso(owed, pastDue));
        var onTime = Expression.AndAlso(owed, Expression.Not(pastDue));
        Red = Late;
        Yellow = Lambda(Expression.AndAlso(onTime, Expression.OrElse(returned, Expression.AndAlso(Expression.Not(blue), behind))));
        Blue = Lambda(Expression.AndAlso(onTime, Expression.AndAlso(Expression.Not(returned), blue)));
        None = Lambda(Expression.OrElse(Expression.Not(owed),
            Expression.AndAlso(Expression.Not(pastDue), Expression.AndAlso(Expression.Not(returned), Expression.AndAlso(Expression.Not(blue), Expression.Not(behind))))));
    }

    public DateOnly Today { get; }

    /// <summary>Not <see cref="Late"/>: the board's second part.</summary>
    public Expression<Func<AssignmentRecord, bool>> NotLate => Lambda(Expression.Not(Late.Body));

    /// <summary>Past the due date while the unit still owes it (= <see cref="Deadline.IsLate"/>).</summary>
    public Expression<Func<AssignmentRecord, bool>> Late { get; }

    public Expression<Func<AssignmentRecord, bool>> Red { get; }
    public Expression<Func<AssignmentRecord, bool>> Yellow { get; }
    public Expression<Func<AssignmentRecord, bool>> Blue { get; }
    public Expression<Func<AssignmentRecord, bool>> None { get; }

    /// <summary>Not approved and not cancelled: what the board lists.</summary>
    public static readonly Expression<Func<AssignmentRecord, bool>> Open =
        a => a.State != AssignmentState.Approved && a.State != AssignmentState.Cancelled;

    public Expression<Func<AssignmentRecord, bool>> Of(Light light) => light switch
    {
        Light.Red => Red,
        Light.Yellow => Yellow,
        Light.Blue => Blue,
        _ => None,
    };

    /// <summary>
    /// 按时 (= <see cref="Deadline.OnTime"/>): delivered now, and first delivered (<see cref="AssignmentRecord.SubmittedOn"/>) on or
    /// before the due date.
    /// </summary>
    public static readonly Expression<Func<AssignmentRecord, bool>> OnTime =
        Lambda(Expression.AndAlso(In(Deadline.DeliveredStates), Body(a => a.SubmittedOn != null && a.SubmittedOn <= a.DueDate)));

    /// <summary>The unit still owes the work (= <see cref="Deadline.Owed"/>), whatever the day.</summary>
    public static readonly Expression<Func<AssignmentRecord, bool>> Owed = Lambda(In(Deadline.OwedStates));

    /// <summary>In one of <paramref name="states"/>, as one OR of equalities (the stored state is a string).</summary>
    public static Expression<Func<AssignmentRecord, bool>> InStates(IEnumerable<AssignmentState> states) => Lambda(In(states));

    /// <summary>Both predicates, over one parameter (for the inbox's and the board's combined filters).</summary>
    public static Expression<Func<AssignmentRecord, bool>> And(Expression<Func<AssignmentRecord, bool>> left, Expression<Func<AssignmentRecord, bool>> right) =>
        Lambda(Expression.AndAlso(Body(left), Body(right)));

    /// <summary>Late today (the one rule), for queries built before a <see cref="LightQuery"/> is at hand.</summary>
    public static Expression<Func<AssignmentRecord, bool>> LateOn(DateOnly today) =>
        Lambda(Expression.AndAlso(In(Deadline.OwedStates), Body(a => a.DueDate < today)));

    /// <summary>What <see cref="CountAndLateAsync"/> gives per group: the rows and, of them, the late ones and the ones delivered on time.</summary>
    public sealed class CountAndLate<TKey>
    {
        public TKey Key { get; set; } = default!;
        public int Count { get; set; }
        public int Late { get; set; }
        public int OnTime { get; set; }
    }

    /// <summary>
    /// One GROUP BY: per key, COUNT(*), COUNT(late today) (<see cref="LateOn"/> spliced in) and COUNT(on time)
    /// (<see cref="OnTime"/>). Needs no <see cref="CampaignLookup"/>.
    /// </summary>
    public static Task<List<CountAndLate<TKey>>> CountAndLateAsync<TKey>(
        IQueryable<AssignmentRecord> rows, Expression<Func<AssignmentRecord, TKey>> key, DateOnly today, CancellationToken ct)
    {
        var g = Expression.Parameter(typeof(IGrouping<TKey, AssignmentRecord>), "g");
        MemberAssignment Set(string name, Expression value) => Expression.Bind(typeof(CountAndLate<TKey>).GetProperty(name)!, value);
        var select = Expression.Lambda<Func<IGrouping<TKey, AssignmentRecord>, CountAndLate<TKey>>>(
            Expression.MemberInit(Expression.New(typeof(CountAndLate<TKey>)),
                Set(nameof(CountAndLate<TKey>.Key), Expression.Property(g, "Key")),
                Set(nameof(CountAndLate<TKey>.Count), Expression.Call(CountAll, g)),
                Set(nameof(CountAndLate<TKey>.Late), Expression.Call(CountWhere, g, LateOn(today))),
                Set(nameof(CountAndLate<TKey>.OnTime), Expression.Call(CountWhere, g, OnTime))), g);
        return rows.GroupBy(key).Select(select).ToListAsync(ct);
    }

    /// <summary><c>Enumerable.Count(source)</c> over assignments.</summary>
    internal static readonly MethodInfo CountAll = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 1).MakeGenericMethod(typeof(AssignmentRecord));

    /// <summary><c>Enumerable.Count(source, predicate)</c> over assignments, for GROUP BY selects built as expression trees.</summary>
    internal static readonly MethodInfo CountWhere = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 2).MakeGenericMethod(typeof(AssignmentRecord));

    private static Expression In(IEnumerable<AssignmentState> states) =>
        states.Select(s => (Expression)Expression.Equal(Expression.Property(A, nameof(AssignmentRecord.State)), Expression.Constant(s)))
            .Aggregate(Expression.OrElse);

    /// <summary>The lambda's body over the shared parameter, so bodies combine.</summary>
    private static Expression Body(Expression<Func<AssignmentRecord, bool>> e) => new Rebind(e.Parameters[0]).Visit(e.Body);

    private static Expression<Func<AssignmentRecord, bool>> Lambda(Expression body) => Expression.Lambda<Func<AssignmentRecord, bool>>(body, A);

    private sealed class Rebind(ParameterExpression from) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? A : node;
    }
}
