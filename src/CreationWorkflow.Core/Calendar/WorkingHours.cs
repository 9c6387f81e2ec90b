namespace CreationWorkflow.Core.Calendar;

/// <summary>
/// Office hours on the working-day calendar: each working day counts from <see cref="Start"/> to <see cref="End"/>
/// (local time); other days and hours count nothing. "Unread after 8 working hours" is measured with it.
/// </summary>
public sealed class WorkingHours
{
    /// <summary>How far back <see cref="Before"/> looks: more working hours than fit in this many days are refused.</summary>
    private const int MaxDaysBack = 3660;

    private readonly WorkingDayCalendar calendar;

    public WorkingHours(WorkingDayCalendar calendar, TimeOnly start, TimeOnly end)
    {
        if (end <= start)
        {
            throw new ArgumentException($"The working day must end after it starts ({start:HH\\:mm}–{end:HH\\:mm}).", nameof(end));
        }
        this.calendar = calendar;
        Start = start;
        End = end;
    }

    public TimeOnly Start { get; }

    public TimeOnly End { get; }

    /// <summary>The working time in the local interval [<paramref name="from"/>, <paramref name="to"/>]; zero when it is empty.</summary>
    public TimeSpan Between(DateTime from, DateTime to)
    {
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(from); day <= DateOnly.FromDateTime(to); day = day.AddDays(1))
        {
            if (!calendar.IsWorkingDay(day))
            {
                continue;
            }
            var open = Max(day.ToDateTime(Start), from);
            var close = Min(day.ToDateTime(End), to);
            if (close > open)
            {
                total += close - open;
            }
        }
        return total;
    }

    /// <summary>
    /// The latest local instant from which <paramref name="hours"/> of working time have passed by <paramref name="now"/>:
    /// whatever happened at or before it is at least that many working hours old.
    /// </summary>
    public DateTime Before(DateTime now, TimeSpan hours)
    {
        if (hours < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(hours), hours, "Working hours must not be negative.");
        }
        var remaining = hours;
        var cursor = now;
        var day = DateOnly.FromDateTime(now);
        for (var i = 0; i < MaxDaysBack; i++, day = day.AddDays(-1))
        {
            if (calendar.IsWorkingDay(day))
            {
                var open = day.ToDateTime(Start);
                var close = Min(day.ToDateTime(End), cursor);
                var available = close > open ? close - open : TimeSpan.Zero;
                if (available >= remaining && close > open)
                {
                    return close - remaining;
                }
                remaining -= available;
            }
            cursor = day.ToDateTime(TimeOnly.MinValue);
        }
        throw new ArgumentOutOfRangeException(nameof(hours), hours, $"More working hours than {MaxDaysBack} days hold.");
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
