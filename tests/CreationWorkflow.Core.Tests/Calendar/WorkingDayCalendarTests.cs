namespace CreationWorkflow.Core.Tests.Calendar;

/// <summary>The working-day calendar against the dates in seed/calendar/cn-holidays.json, and the loader's faults.</summary>
public class WorkingDayCalendarTests
{
    private static readonly string CalendarPath = Path.Combine(Repo.Seed, "calendar", "cn-holidays.json");
    private static readonly Lazy<WorkingDayCalendar> calendar = new(() => WorkingDayCalendar.Load(CalendarPath));
    private static WorkingDayCalendar Cn => calendar.Value;

    private static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void Covers_the_notice_years_2021_to_2026()
    {
        Assert.Equal([2021, 2022, 2023, 2024, 2025, 2026], Cn.CoveredYears);
        Assert.True(Cn.Covers(D("2021-01-01")));
        Assert.True(Cn.Covers(D("2026-12-31")));
        Assert.False(Cn.Covers(D("2020-12-31")));
        Assert.False(Cn.Covers(D("2027-01-01")));
        Assert.Equal(7 + 7 + 6 + 7 + 6 + 7, Cn.Holidays.Count);
    }

    [Fact]
    public void National_day_2022_is_off_and_the_following_weekend_is_worked()
    {
        for (var d = D("2022-10-01"); d <= D("2022-10-07"); d = d.AddDays(1))
        {
            Assert.False(Cn.IsWorkingDay(d), d.ToString("O", CultureInfo.InvariantCulture));
            Assert.Equal("国庆节", Cn.HolidayName(d));
        }
        Assert.Equal(DayOfWeek.Saturday, D("2022-10-08").DayOfWeek);
        Assert.True(Cn.IsWorkingDay(D("2022-10-08")));
        Assert.True(Cn.IsWorkingDay(D("2022-10-09")));
        Assert.Null(Cn.HolidayName(D("2022-10-08")));
        Assert.True(Cn.IsWorkingDay(D("2022-09-30")));
        Assert.True(Cn.IsWorkingDay(D("2022-10-10")));
    }

    [Fact]
    public void Spring_festival_2023_and_its_make_up_weekend()
    {
        for (var d = D("2023-01-21"); d <= D("2023-01-27"); d = d.AddDays(1))
        {
            Assert.False(Cn.IsWorkingDay(d));
            Assert.Equal("春节", Cn.HolidayName(d));
        }
        Assert.True(Cn.IsWorkingDay(D("2023-01-20")));
        Assert.True(Cn.IsWorkingDay(D("2023-01-28"))); // Saturday
        Assert.True(Cn.IsWorkingDay(D("2023-01-29"))); // Sunday
        // After Friday 01-20 up to Monday 01-30: Sat 01-28, Sun 01-29, Mon 01-30.
        Assert.Equal(3, Cn.WorkingDaysBetween(D("2023-01-20"), D("2023-01-30")));
    }

    [Fact]
    public void New_year_2023_block_starts_on_2022_12_31_and_combined_blocks_keep_their_heading()
    {
        Assert.Equal("元旦", Cn.HolidayName(D("2022-12-31")));
        Assert.False(Cn.IsWorkingDay(D("2023-01-02"))); // Monday
        var newYear = Cn.Holidays.First(h => h.Year == 2023);
        Assert.Equal(("元旦", D("2022-12-31")), (newYear.Name, newYear.Off[0]));

        Assert.Equal("中秋节、国庆节", Cn.HolidayName(D("2023-09-29")));
        Assert.Equal("国庆节、中秋节", Cn.HolidayName(D("2025-10-08")));
        Assert.False(Cn.IsWorkingDay(D("2025-10-08"))); // Wednesday
        Assert.True(Cn.IsWorkingDay(D("2025-10-09")));
    }

    [Fact]
    public void Weekend_days_only_adjacent_to_a_holiday_are_ordinary_weekend_days()
    {
        foreach (var d in new[] { D("2023-12-30"), D("2023-12-31"), D("2024-06-08"), D("2024-06-09") })
        {
            Assert.False(Cn.IsWorkingDay(d));
            Assert.Null(Cn.HolidayName(d));
        }
        Assert.Equal("元旦", Cn.HolidayName(D("2024-01-01")));
        Assert.Equal("端午节", Cn.HolidayName(D("2024-06-10")));
    }

    [Theory]
    [InlineData("2021-02-20")] // Saturday, 春节
    [InlineData("2022-04-02")] // Saturday, 清明节
    [InlineData("2024-02-04")] // Sunday, 春节
    [InlineData("2024-02-18")] // Sunday, 春节
    [InlineData("2026-02-28")] // Saturday, 春节
    [InlineData("2026-01-04")] // Sunday, 元旦
    public void A_make_up_weekend_day_is_a_working_day(string date)
    {
        var d = D(date);
        Assert.True(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(Cn.IsWorkingDay(d));
        Assert.Equal(d, Cn.WorkingDayOnOrAfter(d));
        Assert.Equal(d, Cn.WorkingDayOnOrBefore(d));
    }

    [Fact]
    public void Ordinary_weekends_are_not_working_days()
    {
        Assert.False(Cn.IsWorkingDay(D("2022-10-15")));
        Assert.False(Cn.IsWorkingDay(D("2022-10-16")));
        Assert.True(Cn.IsWorkingDay(D("2022-10-14")));
    }

    [Fact]
    public void On_or_after_and_on_or_before_skip_the_national_day_week()
    {
        Assert.Equal(D("2022-10-08"), Cn.WorkingDayOnOrAfter(D("2022-10-01")));
        Assert.Equal(D("2022-09-30"), Cn.WorkingDayOnOrBefore(D("2022-10-07")));
        Assert.Equal(D("2022-09-30"), Cn.WorkingDayOnOrAfter(D("2022-09-30")));
        // 2023 Spring Festival: off Sat 01-21 … Fri 01-27; Sat 01-28 is worked.
        Assert.Equal(D("2023-01-28"), Cn.WorkingDayOnOrAfter(D("2023-01-21")));
        Assert.Equal(D("2023-01-20"), Cn.WorkingDayOnOrBefore(D("2023-01-27")));
    }

    [Fact]
    public void Adding_working_days_across_the_national_day_week()
    {
        var friday = D("2022-09-30");
        Assert.Equal(D("2022-10-08"), Cn.AddWorkingDays(friday, 1));
        Assert.Equal(D("2022-10-09"), Cn.AddWorkingDays(friday, 2));
        Assert.Equal(D("2022-10-10"), Cn.AddWorkingDays(friday, 3));
        Assert.Equal(D("2022-10-14"), Cn.AddWorkingDays(friday, 7));
        Assert.Equal(friday, Cn.AddWorkingDays(friday, 0));
        // From a holiday: the first working day after it counts as 1.
        Assert.Equal(D("2022-10-08"), Cn.AddWorkingDays(D("2022-10-03"), 1));
    }

    [Fact]
    public void Negative_offsets_count_back_over_the_holiday()
    {
        // "3 working days before the deadline" Monday 2022-10-10: Sun 10-09, Sat 10-08, then back over 10-07…10-01 to Fri 09-30.
        Assert.Equal(D("2022-09-30"), Cn.AddWorkingDays(D("2022-10-10"), -3));
        Assert.Equal(D("2022-09-29"), Cn.AddWorkingDays(D("2022-10-08"), -2));
        // A deadline that is itself a day off: Wednesday 2025-10-08 (国庆节、中秋节).
        Assert.Equal(D("2025-09-30"), Cn.AddWorkingDays(D("2025-10-08"), -1));
        Assert.Equal(D("2025-09-28"), Cn.AddWorkingDays(D("2025-10-08"), -3)); // Sunday make-up workday
    }

    [Fact]
    public void Working_days_between_counts_after_from_up_to_and_including_to()
    {
        Assert.Equal(3, Cn.WorkingDaysBetween(D("2022-09-30"), D("2022-10-10")));
        Assert.Equal(-3, Cn.WorkingDaysBetween(D("2022-10-10"), D("2022-09-30")));
        Assert.Equal(0, Cn.WorkingDaysBetween(D("2022-09-30"), D("2022-10-07")));
        Assert.Equal(0, Cn.WorkingDaysBetween(D("2022-10-05"), D("2022-10-05")));
        Assert.Equal(1, Cn.WorkingDaysBetween(D("2022-10-07"), D("2022-10-08")));
    }

    [Theory]
    [InlineData(2021, 250)]
    [InlineData(2022, 249)]
    [InlineData(2023, 249)]
    [InlineData(2024, 251)]
    [InlineData(2025, 248)]
    [InlineData(2026, 248)]
    public void Working_days_per_year_follow_from_the_data(int year, int expected)
    {
        var lastOfPrevious = new DateOnly(year - 1, 12, 31);
        Assert.Equal(expected, Cn.WorkingDaysBetween(lastOfPrevious, new DateOnly(year, 12, 31)));
    }

    [Fact]
    public void Counting_and_stepping_agree_with_a_day_by_day_walk()
    {
        var start = D("2020-12-01");
        var end = D("2027-01-31");
        var working = new List<DateOnly>();
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            if (Cn.IsWorkingDay(d))
            {
                working.Add(d);
            }
        }
        var random = new Random(20221001);
        for (var i = 0; i < 500; i++)
        {
            var a = start.AddDays(random.Next(0, 2000));
            var b = start.AddDays(random.Next(0, 2000));
            var (lo, hi) = a <= b ? (a, b) : (b, a);
            var walked = working.Count(d => d > lo && d <= hi);
            Assert.Equal(a <= b ? walked : -walked, Cn.WorkingDaysBetween(a, b));

            var n = random.Next(-40, 41);
            var stepped = Cn.AddWorkingDays(a, n);
            Assert.True(n == 0 || Cn.IsWorkingDay(stepped));
            if (n >= 0 || Cn.IsWorkingDay(a))
            {
                Assert.Equal(n, Cn.WorkingDaysBetween(a, stepped));
            }
        }
    }

    [Fact]
    public void Years_outside_the_data_fall_back_to_monday_to_friday()
    {
        var nationalDay2020 = D("2020-10-01"); // Thursday
        Assert.False(Cn.Covers(nationalDay2020));
        Assert.True(Cn.IsWorkingDay(nationalDay2020));
        Assert.Null(Cn.HolidayName(nationalDay2020));
        Assert.True(Cn.IsWorkingDay(D("2027-10-01"))); // Friday
        Assert.False(Cn.IsWorkingDay(D("2027-10-02"))); // Saturday
        Assert.Equal(D("2027-10-04"), Cn.AddWorkingDays(D("2027-10-01"), 1));
        Assert.Equal(5, Cn.WorkingDaysBetween(D("2027-10-03"), D("2027-10-10")));
        // Stepping out of the data continues on weekdays: 2026-12-31 is a Thursday.
        Assert.Equal(D("2027-01-04"), Cn.AddWorkingDays(D("2026-12-31"), 2));
    }

    [Fact]
    public void Weekdays_only_calendar_covers_nothing()
    {
        var plain = WorkingDayCalendar.WeekdaysOnly;
        Assert.Empty(plain.CoveredYears);
        Assert.False(plain.Covers(D("2022-10-03")));
        Assert.True(plain.IsWorkingDay(D("2022-10-03")));
        Assert.False(plain.IsWorkingDay(D("2022-10-08")));
        Assert.Equal(D("2022-10-10"), plain.AddWorkingDays(D("2022-10-07"), 1));
        Assert.Equal(-5, plain.WorkingDaysBetween(D("2022-10-10"), D("2022-10-03")));
    }

    // ---- broken files ----

    [Fact]
    public void A_make_up_workday_on_a_wednesday_is_refused()
    {
        var (path, error) = LoadBroken(root =>
        {
            var nationalDay = Block(root, "2022", 6);
            Assert.Equal("国庆节", (string?)nationalDay["name"]);
            nationalDay["workdays"]![1] = "2022-10-12";
        });
        Assert.Equal(path, error.File);
        Assert.Equal("$.years['2022'].holidays[6].workdays[1]", error.Path);
        Assert.Contains("2022-10-12 is a Wednesday", error.Reason, StringComparison.Ordinal);
        Assert.Contains("Saturday or Sunday", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_date_is_refused_with_its_path()
    {
        var (path, error) = LoadBroken(root => Block(root, "2023", 0)["off"]![2] = "2023-1-02");
        Assert.Equal(path, error.File);
        Assert.Equal("$.years['2023'].holidays[0].off[2]", error.Path);
        Assert.Equal("'2023-1-02' is not a date (yyyy-MM-dd)", error.Reason);
    }

    [Fact]
    public void An_impossible_date_is_refused()
    {
        var (_, error) = LoadBroken(root => Block(root, "2024", 1)["workdays"]![1] = "2024-02-30");
        Assert.Equal("$.years['2024'].holidays[1].workdays[1]", error.Path);
        Assert.Contains("is not a date", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_property_is_refused()
    {
        var (path, error) = LoadBroken(root => Block(root, "2023", 1)["offf"] = new JsonArray());
        Assert.Equal(path, error.File);
        Assert.Equal("$.years['2023'].holidays[1].offf", error.Path);
        Assert.Equal("unknown property 'offf'", error.Reason);
    }

    [Fact]
    public void A_missing_property_is_refused()
    {
        var (_, error) = LoadBroken(root => Block(root, "2021", 0).Remove("workdays"));
        Assert.Contains("missing required property", error.Reason, StringComparison.Ordinal);
        Assert.Contains("workdays", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_cannot_be_both_off_and_a_workday()
    {
        var (_, error) = LoadBroken(root => Block(root, "2022", 6)["off"]!.AsArray().Add("2022-10-08"));
        Assert.Equal("$.years['2022'].holidays[6].workdays[0]", error.Path);
        Assert.Contains("cannot be both a day off and a workday", error.Reason, StringComparison.Ordinal);
        Assert.Contains("$.years['2022'].holidays[6].off[7]", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_filed_under_the_wrong_year_is_refused_but_late_december_may_lead_into_new_year()
    {
        var (_, error) = LoadBroken(root => Block(root, "2023", 2)["off"]![0] = "2022-04-06");
        Assert.Equal("$.years['2023'].holidays[2].off[0]", error.Path);
        Assert.Contains("not in 2023", error.Reason, StringComparison.Ordinal);

        // Early December of the previous year is too far back even for a 元旦 block.
        var (_, early) = LoadBroken(root =>
        {
            var newYear = Block(root, "2023", 0);
            newYear["off"] = new JsonArray("2022-12-01");
        });
        Assert.Equal("$.years['2023'].holidays[0].off[0]", early.Path);
    }

    [Fact]
    public void Days_off_must_ascend_without_gaps()
    {
        var (_, error) = LoadBroken(root => Block(root, "2022", 6)["off"]!.AsArray().RemoveAt(3));
        Assert.Equal("$.years['2022'].holidays[6].off[3]", error.Path);
        Assert.Contains("expected 2022-10-04", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_fault_is_reported_not_just_the_first()
    {
        var ex = LoadBrokenAll(root =>
        {
            Block(root, "2021", 1)["workdays"]![0] = "2021-02-10"; // a Wednesday
            Block(root, "2025", 0)["off"]![0] = "2025/01/01";
        });
        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.Path == "$.years['2021'].holidays[1].workdays[0]");
        Assert.Contains(ex.Errors, e => e.Path == "$.years['2025'].holidays[0].off[0]");
    }

    [Fact]
    public void A_missing_file_is_a_seed_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-calendar-{Guid.NewGuid():N}.json");
        var ex = Assert.Throws<SeedException>(() => WorkingDayCalendar.Load(path, "seed/calendar/missing.json"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("seed/calendar/missing.json", "$"), (error.File, error.Path));
        Assert.StartsWith("cannot read file", error.Reason, StringComparison.Ordinal);
    }

    private static JsonObject Block(JsonNode root, string year, int index) =>
        root["years"]![year]!["holidays"]![index]!.AsObject();

    private static (string Path, SeedError Error) LoadBroken(Action<JsonNode> breakIt)
    {
        var path = WriteBroken(breakIt);
        try
        {
            var ex = Assert.Throws<SeedException>(() => WorkingDayCalendar.Load(path));
            return (path, Assert.Single(ex.Errors));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static SeedException LoadBrokenAll(Action<JsonNode> breakIt)
    {
        var path = WriteBroken(breakIt);
        try
        {
            return Assert.Throws<SeedException>(() => WorkingDayCalendar.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Copies the real calendar with one change into a temporary file of its own.</summary>
    private static string WriteBroken(Action<JsonNode> breakIt)
    {
        var root = JsonNode.Parse(File.ReadAllBytes(CalendarPath))!;
        breakIt(root);
        var path = Path.Combine(Path.GetTempPath(), $"cn-holidays-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    /// <summary>A deadline in 9999 (a typing error) is refused with the date and the range, never by running off the end of DateOnly.</summary>
    [Theory]
    [InlineData("9999-12-30", 5)]
    [InlineData("2199-12-30", 5)]
    [InlineData("1900-01-02", -5)]
    public void Dates_outside_the_counted_range_are_refused_by_name(string from, int days)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Cn.AddWorkingDays(D(from), days));
        Assert.Contains("outside the dates the working-day calendar counts (1900-01-01 to 2199-12-31)", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Cn.WorkingDayOnOrAfter(DateOnly.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cn.WorkingDaysBetween(D("2022-01-01"), DateOnly.MaxValue));
        Assert.Equal(D("2199-12-31"), Cn.WorkingDayOnOrBefore(D("2199-12-31"))); // the last day itself (a Tuesday) is still counted
    }
}
