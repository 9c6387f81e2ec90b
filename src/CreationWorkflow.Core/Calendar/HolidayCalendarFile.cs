namespace CreationWorkflow.Core.Calendar;

/// <summary>
/// seed/calendar/cn-holidays.json as written: the State Council holiday notices keyed by the year ("yyyy")
/// they arrange. Read strictly (unknown or missing properties are errors); dates stay strings here and are
/// checked by <see cref="WorkingDayCalendar.Load"/>.
/// </summary>
public sealed record HolidayCalendarFile(string Format, string Source, IReadOnlyDictionary<string, HolidayNotice> Years);

/// <summary>One year's notice (国务院办公厅关于YYYY年部分节假日安排的通知) and its holiday blocks in notice order.</summary>
public sealed record HolidayNotice(
    string Notice,
    string Title,
    string Issued,
    IReadOnlyList<string> Sources,
    IReadOnlyList<HolidayBlock> Holidays);

/// <summary>
/// One holiday block as the notice heads it (e.g. 国庆节, or 中秋节、国庆节 when combined): every 放假 date
/// (yyyy-MM-dd, ascending, consecutive) and the 调休上班 weekend days that become working days.
/// </summary>
public sealed record HolidayBlock(string Name, IReadOnlyList<string> Off, IReadOnlyList<string> Workdays);

/// <summary>A validated holiday block: the notice year it is filed under, its name, its days off and make-up workdays.</summary>
public sealed record Holiday(int Year, string Name, IReadOnlyList<DateOnly> Off, IReadOnlyList<DateOnly> Workdays);
