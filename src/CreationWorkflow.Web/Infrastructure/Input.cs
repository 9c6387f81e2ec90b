namespace CreationWorkflow.Web.Infrastructure;

/// <summary>
/// The limits every request is held to, in one place: texts by length, lists by count, numbers and dates by range.
/// Services call these before they look anything up, so the API and the pages refuse the same input with the same
/// zh-CN reason naming the field (the JSON member name) and the limit.
/// </summary>
public static class Input
{
    /// <summary>Names: a unit, a person, an account, a group, a campaign's title.</summary>
    public const int NameLength = 100;

    /// <summary>A title that may carry a whole programme's name (a campaign).</summary>
    public const int TitleLength = 200;

    /// <summary>A reason, a requirement, feedback, a decision, a progress report.</summary>
    public const int TextLength = Core.Assignments.AssignmentLifecycle.MaxReasonLength;

    /// <summary>The application letter's free summary.</summary>
    public const int SummaryLength = 5000;

    /// <summary>A mail address (RFC 5321's path limit).</summary>
    public const int EmailLength = 254;

    /// <summary>A telephone number, a short code or source note.</summary>
    public const int ShortLength = 50;

    /// <summary>Where a survey rate comes from (机构、时间、样本).</summary>
    public const int SourceLength = 200;

    /// <summary>A password as typed.</summary>
    public const int PasswordLength = 200;

    /// <summary>Ids in one request (a 督办单's assignments, a batch): the size of the largest page.</summary>
    public const int MaxIds = Paging.MaxPageSize;

    /// <summary>Trimmed text; a required one must not be blank; none longer than <paramref name="max"/> characters.</summary>
    public static string? Text(string? value, string field, bool required, int max = TextLength)
    {
        var text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (text is null && required)
        {
            throw new DomainException(field, "此项不能为空。");
        }
        if (text is { Length: var length } && length > max)
        {
            throw new DomainException(field, $"不能超过{max}个字（现为{length}个字）。");
        }
        return text;
    }

    /// <summary>A text only checked for its length (kept as given: a password is not trimmed).</summary>
    public static string? Bounded(string? value, string field, int max)
    {
        if (value is { Length: var length } && length > max)
        {
            throw new DomainException(field, $"不能超过{max}个字（现为{length}个字）。");
        }
        return value;
    }

    /// <summary>A list of at most <paramref name="max"/> entries.</summary>
    public static IReadOnlyList<T> Count<T>(IReadOnlyList<T>? values, string field, int max = MaxIds)
    {
        values ??= [];
        if (values.Count > max)
        {
            throw new DomainException(field, $"最多{max}项（现为{values.Count}项）。");
        }
        return values;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Between(int value, string field, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new DomainException(field, $"须在{min}到{max}之间（现为{value}）。");
        }
        return value;
    }

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static decimal Between(decimal value, string field, decimal min, decimal max)
    {
        if (value < min || value > max)
        {
            throw new DomainException(field, $"须在{min:0.##}到{max:0.##}之间（现为{value:0.##}）。");
        }
        return value;
    }

    /// <summary>A date within [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="span"/> says what the range is (本次创建活动的期限…).</summary>
    public static DateOnly Within(DateOnly value, string field, DateOnly min, DateOnly max, string span)
    {
        if (value < min || value > max)
        {
            throw new DomainException(field, $"日期（{value:yyyy-MM-dd}）须在{span}内：{min:yyyy-MM-dd} 至 {max:yyyy-MM-dd}。");
        }
        return value;
    }

    /// <summary>
    /// An enum value by its English name (any case); null when blank. Anything else, a number among them, is refused with
    /// <paramref name="refusal"/> (which names the choices and what was sent).
    /// </summary>
    public static T? Choice<T>(string? value, string field, string refusal)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        if (!char.IsLetter(text[0]) || !Enum.TryParse<T>(text, ignoreCase: true, out var parsed))
        {
            throw new DomainException(field, refusal);
        }
        return parsed;
    }
}
