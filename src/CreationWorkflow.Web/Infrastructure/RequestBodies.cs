namespace CreationWorkflow.Web.Infrastructure;

/// <summary>
/// Why a request could not be read, in zh-CN, keyed by the JSON member (or parameter) at fault: a missing required
/// member, a value of the wrong type, an unknown member, a null, broken JSON, a missing or non-JSON body. Never a .NET
/// type name or the framework's English message.
/// </summary>
public static partial class RequestBodies
{
    public static Dictionary<string, string[]> Explain(JsonException e, Type? bodyType = null)
    {
        var message = e.Message;
        var path = e.Path is { Length: > 1 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        string Under(string member) => path is null ? member : $"{path}.{member}";
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            return Quoted().Matches(missing.Groups[1].Value).ToDictionary(m => Under(m.Groups[1].Value), m => new[] { $"缺少必填字段「{m.Groups[1].Value}」。" });
        }
        if (UnmappedMember().Match(message) is { Success: true } unknown)
        {
            var member = unknown.Groups[1].Value;
            var field = path is not null && path.EndsWith(member, StringComparison.Ordinal) ? path : Under(member);
            return One(field, $"不认识的字段「{member}」。");
        }
        if (NullNotAllowed().Match(message) is { Success: true } isNull)
        {
            var member = isNull.Groups[1].Value;
            return One(path ?? member, $"字段「{path ?? member}」不能为 null。");
        }
        if (NotConverted().IsMatch(message))
        {
            var field = path ?? "$";
            var expected = Expected(MemberType(bodyType, path));
            return One(field, path is null ? $"请求体须为{expected}。" : $"字段「{field}」须为{expected}。");
        }
        if (e.LineNumber is { } line)
        {
            return One(path ?? "$", $"请求体不是有效的 JSON（第{line + 1}行第{(e.BytePositionInLine ?? 0) + 1}个字节附近）。");
        }
        return One(path ?? "$", path is null ? "请求体格式有误。" : $"字段「{path}」的值有误。");
    }

    public static Dictionary<string, string[]> Explain(BadHttpRequestException e)
    {
        var message = e.Message;
        var parameter = Parameter().Match(message) is { Success: true } m ? m.Groups[1].Value : null;
        if (message.Contains("from body", StringComparison.Ordinal) || message.Contains("but no body was provided", StringComparison.Ordinal))
        {
            return One("$", "请求体不能为空，须为 JSON 对象。");
        }
        if (message.Contains("JSON media type", StringComparison.Ordinal))
        {
            return One("$", "请求体须为 JSON（Content-Type: application/json）。");
        }
        if (message.Contains("form content type", StringComparison.Ordinal) || message.Contains("as form", StringComparison.Ordinal))
        {
            return One(parameter ?? "$", "请求须为表单（multipart/form-data），且不超过上传限制。");
        }
        if (parameter is not null && message.Contains("was not provided", StringComparison.Ordinal))
        {
            return One(parameter, $"缺少必填参数「{parameter}」。");
        }
        if (parameter is not null && message.StartsWith("Failed to bind parameter", StringComparison.Ordinal))
        {
            return One(parameter, $"参数「{parameter}」的格式不对。");
        }
        return One(parameter ?? "$", e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "请求体过大。" : "请求格式有误。");
    }

    /// <summary>What a value of <paramref name="type"/> is, to a person.</summary>
    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "正确类型的值",
            _ when type == typeof(DateOnly) => "日期（yyyy-MM-dd）",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "时间（ISO 8601）",
            _ when type == typeof(Guid) => "编号（GUID）",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "整数",
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "数字",
            _ when type == typeof(bool) => "true 或 false",
            _ when type == typeof(string) => "文本（字符串）",
            _ when type.IsEnum => $"以下取值之一：{string.Join("、", Enum.GetNames(type).Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}",
            _ when DictionaryValue(type) is not null => "对象（键值对）",
            _ when ElementOf(type) is not null => "数组",
            _ => "对象",
        };
    }

    /// <summary>The type of the member at a JSON path ("cases[0].content", "facts.checks['31.1']") under <paramref name="root"/>, or null.</summary>
    private static Type? MemberType(Type? root, string? path)
    {
        var type = root;
        foreach (Match step in PathStep().Matches(path ?? ""))
        {
            if (type is null)
            {
                return null;
            }
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (step.Groups["name"].Success)
            {
                var name = step.Groups["name"].Value;
                type = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType
                    ?? DictionaryValue(type);
            }
            else if (step.Groups["key"].Success)
            {
                type = DictionaryValue(type);
            }
            else
            {
                type = ElementOf(type);
            }
        }
        return type;
    }

    private static Type? DictionaryValue(Type type) => type.GetInterfaces().Append(type)
        .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))?.GetGenericArguments()[1];

    private static Type? ElementOf(Type type) => type == typeof(string) ? null : type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
        .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };

    [GeneratedRegex("missing required properties including: (.*)\\.", RegexOptions.Singleline)]
    private static partial Regex MissingRequired();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("(?:property or field|constructor parameter) '([^']*)' on type '[^']*' doesn't allow (?:setting|getting)? ?null")]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex("could not be converted to ")]
    private static partial Regex NotConverted();

    /// <summary>One step of a JSON path: a member name, a quoted key (['31.1']), or an index ([0]).</summary>
    [GeneratedRegex("(?<name>[^.\\[\\]']+)|\\['(?<key>[^']*)'\\]|\\[(?<index>\\d+)\\]")]
    private static partial Regex PathStep();

    [GeneratedRegex("parameter \"(?:[^\"]* )?([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex Parameter();
}
