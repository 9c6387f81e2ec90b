namespace CreationWorkflow.Core.Calendar;

/// <summary>
/// Mainland China working days: Monday–Friday, less the public-holiday days off (放假), plus the weekend days
/// the notices turn into working days (调休上班). Years the data does not cover fall back to plain Monday–Friday;
/// <see cref="Covers"/> says which case applies. Immutable and thread-safe once loaded.
/// </summary>
public sealed partial class WorkingDayCalendar
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>How many days at the end of December a notice may reach back into (元旦 blocks such as 2022-12-31 under 2023).</summary>
    private const int PreviousYearGraceDays = 7;

    private readonly Dictionary<DateOnly, string> offDays;
    private readonly HashSet<DateOnly> makeUpWorkdays;
    private readonly HashSet<int> coveredYears;

    // Day numbers, sorted, for counting in O(log n): weekday days off, and (weekend) make-up workdays.
    private readonly int[] offWeekdayNumbers;
    private readonly int[] makeUpWorkdayNumbers;

    private WorkingDayCalendar(IReadOnlyList<Holiday> holidays, IEnumerable<int> years)
    {
        Holidays = holidays;
        offDays = holidays.SelectMany(h => h.Off.Select(d => (d, h.Name))).ToDictionary(x => x.d, x => x.Name);
        makeUpWorkdays = holidays.SelectMany(h => h.Workdays).ToHashSet();
        coveredYears = years.ToHashSet();
        CoveredYears = [.. coveredYears.Order()];
        offWeekdayNumbers = [.. offDays.Keys.Where(IsWeekday).Select(d => d.DayNumber).Order()];
        makeUpWorkdayNumbers = [.. makeUpWorkdays.Select(d => d.DayNumber).Order()];
    }

    /// <summary>A calendar without holiday data: every Monday–Friday is a working day and no year is covered.</summary>
    public static WorkingDayCalendar WeekdaysOnly { get; } = new([], []);

    /// <summary>The notice years the data covers, ascending (e.g. 2021…2026).</summary>
    public IReadOnlyList<int> CoveredYears { get; }

    /// <summary>Every holiday block, by year and then in notice order.</summary>
    public IReadOnlyList<Holiday> Holidays { get; }

    /// <summary>True when the holiday arrangement for <paramref name="date"/>'s year is known; otherwise answers are plain Monday–Friday.</summary>
    public bool Covers(DateOnly date) => coveredYears.Contains(date.Year);

    /// <summary>The first day the calendar counts: working days are not reckoned before it.</summary>
    public static DateOnly MinDate { get; } = new(1900, 1, 1);

    /// <summary>The last day the calendar counts (a deadline in 9999 is a typing error, not a plan).</summary>
    public static DateOnly MaxDate { get; } = new(2199, 12, 31);

    /// <summary>A listed make-up workday, or a Monday–Friday that is not a holiday day off.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="date"/> (or a day counted from it) is outside <see cref="MinDate"/>…<see cref="MaxDate"/>.</exception>
    public bool IsWorkingDay(DateOnly date) =>
        makeUpWorkdays.Contains(CheckRange(date)) || (IsWeekday(date) && !offDays.ContainsKey(date));

    /// <summary>Refuses a date the calendar does not count, naming it and the range, instead of running off the end of <see cref="DateOnly"/>.</summary>
    private static DateOnly CheckRange(DateOnly date, string name = "date") => date >= MinDate && date <= MaxDate
        ? date
        : throw new ArgumentOutOfRangeException(name, date,
            $"{date.ToString(DateFormat, CultureInfo.InvariantCulture)} is outside the dates the working-day calendar counts "
            + $"({MinDate.ToString(DateFormat, CultureInfo.InvariantCulture)} to {MaxDate.ToString(DateFormat, CultureInfo.InvariantCulture)})");

    /// <summary>The holiday block's name (e.g. "国庆节", "中秋节、国庆节") when <paramref name="date"/> is one of its days off; otherwise null.</summary>
    public string? HolidayName(DateOnly date) => offDays.GetValueOrDefault(date);

    /// <summary><paramref name="date"/> itself if it is a working day, else the first working day after it.</summary>
    public DateOnly WorkingDayOnOrAfter(DateOnly date)
    {
        while (!IsWorkingDay(date))
        {
            date = date.AddDays(1);
        }
        return date;
    }

    /// <summary><paramref name="date"/> itself if it is a working day, else the last working day before it.</summary>
    public DateOnly WorkingDayOnOrBefore(DateOnly date)
    {
        while (!IsWorkingDay(date))
        {
            date = date.AddDays(-1);
        }
        return date;
    }

    /// <summary>
    /// The last working day of the working week <paramref name="date"/> is in: the Monday–Sunday week holding the first working
    /// day on or after <paramref name="date"/> (so on a Saturday, a rest day, or a holiday week it is the coming working week),
    /// and its last working day — usually Friday, a 调休 Saturday or Sunday when one is worked.
    /// </summary>
    public DateOnly EndOfWorkingWeek(DateOnly date)
    {
        var first = WorkingDayOnOrAfter(date);
        var sunday = first.AddDays((7 - (int)first.DayOfWeek) % 7);
        return WorkingDayOnOrBefore(sunday);
    }

    /// <summary>
    /// The <paramref name="n"/>-th working day after <paramref name="from"/> (n &gt; 0), or before it (n &lt; 0:
    /// "3 working days before the deadline" is <c>AddWorkingDays(deadline, -3)</c>). <paramref name="from"/> itself
    /// is never counted; n = 0 returns it unchanged even when it is not a working day.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int n)
    {
        var step = Math.Sign(n);
        var date = from;
        for (var left = Math.Abs(n); left > 0;)
        {
            date = date.AddDays(step);
            if (IsWorkingDay(date))
            {
                left--;
            }
        }
        return date;
    }

    /// <summary>
    /// Working days after <paramref name="from"/> up to and including <paramref name="to"/>; negative when
    /// <paramref name="to"/> is earlier (then minus the working days after <paramref name="to"/> up to and including
    /// <paramref name="from"/>). So from today to a deadline gives the working days left, from a deadline to today the
    /// working days overdue, and <c>WorkingDaysBetween(d, AddWorkingDays(d, n)) == n</c> for n ≥ 0.
    /// </summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        CheckRange(from, nameof(from));
        CheckRange(to, nameof(to));
        if (to < from)
        {
            return -WorkingDaysBetween(to, from);
        }
        int After(int dayNumber) =>
            WeekdaysBefore(dayNumber + 1) - CountAtOrBelow(offWeekdayNumbers, dayNumber) + CountAtOrBelow(makeUpWorkdayNumbers, dayNumber);
        return After(to.DayNumber) - After(from.DayNumber);
    }

    /// <summary>Reads and validates a holiday file such as seed/calendar/cn-holidays.json.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">How errors name the file (defaults to <paramref name="path"/>).</param>
    /// <exception cref="SeedException">Every fault, each with the file, the JSON path and the reason.</exception>
    public static WorkingDayCalendar Load(string path, string? displayName = null)
    {
        var errors = new List<SeedError>();
        var file = SeedJson.Read<HolidayCalendarFile>(path, displayName ?? path, errors);
        return Build(file, displayName ?? path, errors);
    }

    /// <summary>Parses and validates holiday-file JSON already in memory; errors name it <paramref name="displayName"/>.</summary>
    /// <exception cref="SeedException">Every fault, each with the JSON path and the reason.</exception>
    public static WorkingDayCalendar Parse(ReadOnlySpan<byte> json, string displayName)
    {
        var errors = new List<SeedError>();
        var file = SeedJson.Parse<HolidayCalendarFile>(json, displayName, errors);
        return Build(file, displayName, errors);
    }

    private static WorkingDayCalendar Build(HolidayCalendarFile? file, string displayName, List<SeedError> errors)
    {
        // System.Text.Json writes a year key as $.years.2023; use the same $.years['2023'] as the semantic checks.
        for (var i = 0; i < errors.Count; i++)
        {
            errors[i] = errors[i] with { Path = YearKeyPath().Replace(errors[i].Path, "$.years['$1']") };
        }
        var holidays = file is null || errors.Count > 0 ? [] : Validate(file, displayName, errors);
        if (file is null || errors.Count > 0)
        {
            throw new SeedException(errors);
        }
        return new WorkingDayCalendar(holidays, file.Years.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)));
    }

    private static List<Holiday> Validate(HolidayCalendarFile file, string displayName, List<SeedError> errors)
    {
        void Fail(string path, string reason) => errors.Add(new SeedError(displayName, path, reason));

        var holidays = new List<Holiday>();
        // Every date listed anywhere, with where it was first listed and whether as a day off.
        var seen = new Dictionary<DateOnly, (string Path, bool Off)>();
        if (file.Years.Count == 0)
        {
            Fail("$.years", "no years listed");
        }
        foreach (var (key, notice) in file.Years.OrderBy(y => y.Key, StringComparer.Ordinal))
        {
            var yearPath = $"$.years['{key}']";
            if (key.Length != 4 || !int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1)
            {
                Fail(yearPath, $"year key '{key}' is not a year (yyyy)");
                continue;
            }
            if (!TryParseDate(notice.Issued, out _))
            {
                Fail(yearPath + ".issued", $"'{notice.Issued}' is not a date (yyyy-MM-dd)");
            }
            if (notice.Holidays.Count == 0)
            {
                Fail(yearPath + ".holidays", "no holidays listed");
            }
            for (var h = 0; h < notice.Holidays.Count; h++)
            {
                var block = notice.Holidays[h];
                var blockPath = $"{yearPath}.holidays[{h}]";
                if (string.IsNullOrWhiteSpace(block.Name))
                {
                    Fail(blockPath + ".name", "name is empty");
                }
                if (block.Off.Count == 0)
                {
                    Fail(blockPath + ".off", "a holiday needs at least one day off");
                }
                var off = Dates(block.Off, $"{blockPath}.off", isOff: true);
                var workdays = Dates(block.Workdays, $"{blockPath}.workdays", isOff: false);
                holidays.Add(new Holiday(year, block.Name, off, workdays));

                List<DateOnly> Dates(IReadOnlyList<string> texts, string listPath, bool isOff)
                {
                    var dates = new List<DateOnly>();
                    for (var i = 0; i < texts.Count; i++)
                    {
                        var path = $"{listPath}[{i}]";
                        if (!TryParseDate(texts[i], out var date))
                        {
                            Fail(path, $"'{texts[i]}' is not a date (yyyy-MM-dd)");
                            continue;
                        }
                        var text = Format(date);
                        if (date.Year != year && !(date.Year == year - 1 && date.DayOfYear > DaysInYear(year - 1) - PreviousYearGraceDays))
                        {
                            Fail(path, $"{text} is not in {year} (only the last days of December {year - 1} may be filed under {year}, for a 元旦 block)");
                        }
                        if (!isOff && IsWeekday(date))
                        {
                            Fail(path, $"{text} is a {date.DayOfWeek}; a make-up workday (调休上班) must be a Saturday or Sunday");
                        }
                        if (dates.Count > 0 && date <= dates[^1])
                        {
                            Fail(path, $"{text} is out of order: dates must ascend (follows {Format(dates[^1])})");
                        }
                        else if (isOff && dates.Count > 0 && date != dates[^1].AddDays(1))
                        {
                            Fail(path, $"{text} leaves a gap: the days off of a holiday run day by day (expected {Format(dates[^1].AddDays(1))})");
                        }
                        if (seen.TryGetValue(date, out var first))
                        {
                            Fail(path, first.Off == isOff
                                ? $"{text} is already listed at {first.Path}"
                                : $"{text} cannot be both a day off and a workday (also listed at {first.Path})");
                        }
                        else
                        {
                            seen[date] = (path, isOff);
                        }
                        dates.Add(date);
                    }
                    return dates;
                }
            }
        }
        return holidays;
    }

    private static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static int DaysInYear(int year) => DateTime.IsLeapYear(year) ? 366 : 365;

    private static bool IsWeekday(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Monday–Friday days with a day number below <paramref name="dayNumber"/> (day 0, 0001-01-01, is a Monday).</summary>
    private static int WeekdaysBefore(int dayNumber) => dayNumber / 7 * 5 + Math.Min(dayNumber % 7, 5);

    [GeneratedRegex(@"^\$\.years\.(\d+)(?=[.\[]|$)")]
    private static partial Regex YearKeyPath();

    private static int CountAtOrBelow(int[] sorted, int value)
    {
        var i = Array.BinarySearch(sorted, value);
        return i >= 0 ? i + 1 : ~i;
    }
}
