namespace CreationWorkflow.Web.Reminders;

/// <summary>
/// The renderings of one notice text (<see cref="ReminderText"/>, from <see cref="ReminderTexts"/>): plain text for mail
/// and SMS, Markdown for the 企业微信 and 钉钉 robots. The text is written once; only its layout differs.
/// </summary>
public static class NoticeFormats
{
    /// <summary>企业微信 群机器人: markdown.content is at most 4096 bytes (UTF-8).</summary>
    public const int WeComMarkdownBytes = 4096;

    /// <summary>钉钉 自定义机器人: the message body is kept under 20000 bytes.</summary>
    public const int DingTalkMarkdownBytes = 20000;

    /// <summary>An SMS template parameter: operators cap a variable at about 35 characters.</summary>
    public const int SmsParameterLength = 35;

    /// <summary>
    /// The body with its link absolute: a body naming the link relative to the platform (fine in-app) gets it whole,
    /// a body without it gets a 办理入口 line; absolute links stay.
    /// </summary>
    public static string WithAbsoluteLink(string body, string? link, string baseUrl, string? absoluteLink = null)
    {
        body = body.Trim();
        if (link is not { Length: > 0 })
        {
            return body;
        }
        var absolute = absoluteLink ?? AbsoluteLink(baseUrl, link);
        if (body.Contains(absolute, StringComparison.Ordinal))
        {
            return body;
        }
        return body.Contains(link, StringComparison.Ordinal)
            ? body.Replace(link, absolute, StringComparison.Ordinal)
            : body + "\n办理入口：" + absolute;
    }

    /// <summary>A link as it leaves the platform: absolute links unchanged, relative ones under <paramref name="baseUrl"/>.</summary>
    public static string AbsoluteLink(string baseUrl, string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? link
            : baseUrl.TrimEnd('/') + "/" + link.TrimStart('/');

    /// <summary>Plain text (mail, the generic webhook's <c>text</c>): title, body, the link absolute.</summary>
    public static string Plain(ReminderText text, string? link, string baseUrl) =>
        text.Title + "\n" + WithAbsoluteLink(text.Body, link, baseUrl);

    /// <summary>
    /// Markdown for a robot: the title as a heading, each line of the body a paragraph, the link as [查看和办理](url).
    /// Cut to <paramref name="maxBytes"/> UTF-8 bytes (the body shortened with …, the link always kept).
    /// </summary>
    public static string Markdown(ReminderText text, string? link, string baseUrl, int maxBytes)
    {
        var absolute = link is { Length: > 0 } ? AbsoluteLink(baseUrl, link) : null;
        var body = text.Body.Trim();
        if (link is { Length: > 0 })
        {
            // The link goes in its own line below; drop the text's 办理入口 line that names it.
            body = body.Replace("\n办理入口：" + link, "", StringComparison.Ordinal).Replace("\n办理入口：" + absolute, "", StringComparison.Ordinal);
        }
        var head = "### " + Escape(text.Title) + "\n\n";
        var tail = absolute is null ? "" : $"\n\n[查看和办理]({absolute})";
        var paragraphs = string.Join("\n\n", body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Escape));
        var budget = maxBytes - Encoding.UTF8.GetByteCount(head) - Encoding.UTF8.GetByteCount(tail);
        return head + Cut(paragraphs, Math.Max(budget, 0)) + tail;
    }

    /// <summary>The SMS template's parameters: <c>title</c> (shortened) and <c>link</c>; the template holds the rest of the wording.</summary>
    public static IReadOnlyDictionary<string, string> SmsParameters(ReminderText text, string? link, string baseUrl) => new Dictionary<string, string>
    {
        ["title"] = Shorten(text.Title, SmsParameterLength),
        ["link"] = link is { Length: > 0 } ? AbsoluteLink(baseUrl, link) : baseUrl,
    };

    /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes of <paramref name="text"/>, cut at a character and ended with … when cut.</summary>
    public static string Cut(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }
        var ellipsis = Encoding.UTF8.GetByteCount("…");
        var result = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > maxBytes - ellipsis)
            {
                break;
            }
            result.Append(rune.ToString());
            used += rune.Utf8SequenceLength;
        }
        return result.Append('…').ToString();
    }

    private static string Shorten(string text, int max)
    {
        var runes = text.EnumerateRunes().ToList();
        return runes.Count <= max ? text : string.Concat(runes.Take(max - 1).Select(r => r.ToString())) + "…";
    }

    /// <summary>Markdown characters a notice's own text must not turn into markup (a unit's text with * or [ ]).</summary>
    private static string Escape(string line)
    {
        var b = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (c is '*' or '_' or '[' or ']' or '`' or '<' or '>' or '#')
            {
                b.Append('\\');
            }
            b.Append(c);
        }
        return b.ToString();
    }
}
