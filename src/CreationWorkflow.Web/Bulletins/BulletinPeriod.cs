namespace CreationWorkflow.Web.Bulletins;

/// <summary>The month a bulletin reports on: written yyyy-MM in routes and storage, 2022年3月 in the documents.</summary>
public readonly record struct BulletinPeriod(int Year, int Month)
{
    public string Key => $"{Year:D4}-{Month:D2}";
    public string Label => $"{Year}年{Month}月";
    public DateOnly First => new(Year, Month, 1);
    public DateOnly Last => First.AddMonths(1).AddDays(-1);

    public static BulletinPeriod Of(DateOnly day) => new(day.Year, day.Month);

    public BulletinPeriod Previous => Of(First.AddMonths(-1));

    /// <summary>"2022-03", or a refusal naming <paramref name="field"/>.</summary>
    public static BulletinPeriod Parse(string? text, string field = "period") =>
        text is { Length: 7 } t && DateOnly.TryParseExact(t + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? Of(day)
            : throw new DomainException(field, $"统计期间须为月份（yyyy-MM，如 2022-03），而不是 '{Clip(text)}'。");

    private static string Clip(string? text) => text is null ? "" : text.Length <= 20 ? text : text[..20] + "…";

    public override string ToString() => Key;
}
