namespace CreationWorkflow.Core.Tests.Calendar;

/// <summary>Office hours on the working-day calendar: what "unread after N working hours" counts.</summary>
public class WorkingHoursTests
{
    private static readonly Lazy<WorkingDayCalendar> calendar =
        new(() => WorkingDayCalendar.Load(Path.Combine(Repo.Seed, "calendar", "cn-holidays.json")));

    private static WorkingHours Hours => new(calendar.Value, new TimeOnly(9, 0), new TimeOnly(17, 30));

    private static DateTime T(int month, int day, int hour, int minute = 0) => new(2022, month, day, hour, minute, 0);

    [Fact]
    public void Between_counts_office_hours_of_working_days_only()
    {
        Assert.Equal(TimeSpan.FromHours(2), Hours.Between(T(4, 29, 10), T(4, 29, 12)));
        Assert.Equal(TimeSpan.FromHours(8.5), Hours.Between(T(4, 29, 6), T(4, 29, 23)));
        // 劳动节 2022: 4-30 … 5-4 off; Friday 16:00 to Thursday 10:00 is 1.5 + 1 hours.
        Assert.Equal(TimeSpan.FromHours(2.5), Hours.Between(T(4, 29, 16), T(5, 5, 10)));
        // The make-up Saturday 5-7 counts; Sunday 5-8 does not.
        Assert.Equal(TimeSpan.FromHours(8.5), Hours.Between(T(5, 7, 0), T(5, 8, 23)));
        Assert.Equal(TimeSpan.Zero, Hours.Between(T(5, 1, 9), T(5, 1, 17)));
        Assert.Equal(TimeSpan.Zero, Hours.Between(T(4, 29, 12), T(4, 29, 10)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(40)]
    public void Before_is_the_latest_instant_n_working_hours_back(int n)
    {
        foreach (var now in new[] { T(5, 6, 15), T(5, 9, 8), T(5, 7, 12, 30), T(5, 3, 11) })
        {
            var from = Hours.Before(now, TimeSpan.FromHours(n));
            Assert.Equal(TimeSpan.FromHours(n), Hours.Between(from, now));
            // Latest: a minute later is less than n working hours old (it sits inside office hours).
            Assert.True(Hours.Between(from.AddMinutes(1), now) < TimeSpan.FromHours(n));
        }
    }

    [Fact]
    public void A_working_day_must_end_after_it_starts() =>
        Assert.Throws<ArgumentException>(() => new WorkingHours(calendar.Value, new TimeOnly(17, 0), new TimeOnly(9, 0)));
}
