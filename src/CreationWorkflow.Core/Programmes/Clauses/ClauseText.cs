namespace CreationWorkflow.Core.Programmes.Clauses;

/// <summary>
/// Text helpers of the clause reader. <see cref="Normalise"/> maps full-width digits and punctuation to one
/// spelling character for character, so every offset in the normalised text is an offset in the original.
/// </summary>
internal static class ClauseText
{
    public static string Normalise(string text) => string.Create(text.Length, text, static (span, s) =>
    {
        for (var i = 0; i < s.Length; i++)
        {
            span[i] = Map(s[i]);
        }
    });

    private static char Map(char c) => c switch
    {
        >= '０' and <= '９' => (char)('0' + (c - '０')),
        >= 'Ａ' and <= 'Ｚ' => (char)('A' + (c - 'Ａ')),
        >= 'ａ' and <= 'ｚ' => (char)('a' + (c - 'ａ')),
        '％' or '﹪' => '%',
        '．' => '.',
        '（' or '﹙' => '(',
        '）' or '﹚' => ')',
        '，' or '﹐' => ',',
        '；' or '﹔' => ';',
        '：' or '﹕' => ':',
        '＞' => '>',
        '＜' => '<',
        '≧' => '≥',
        '≦' => '≤',
        '＝' => '=',
        '＋' => '+',
        '—' or '–' or '－' or '‐' or '‑' or '‒' or '―' or '﹣' or '−' => '-',
        '～' or '〜' or '∼' => '~',
                _ => c,
    };

    /// <summary>The text without whitespace, and for each of its characters the offset it had.</summary>
    public static (string Text, int[] Map) Compact(string text)
    {
        var chars = new char[text.Length];
        var map = new int[text.Length];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                chars[n] = text[i];
                map[n++] = i;
            }
        }
        return (new string(chars, 0, n), map[..n]);
    }

    /// <summary>Clause separators (after normalisation).</summary>
    public static bool IsDelimiter(char c) => c is ',' or ';' or ':' or '。' or '、';

    /// <summary>Separators that end a sentence-like segment (a tier's measure, a category's label start after one).</summary>
    public static bool IsSegmentBreak(char c) => c is ',' or ';' or ':' or '。' or '(' or ')';

    public static decimal Number(string digits) => decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>An Arabic number, or a small Chinese one (一…九十九, 两).</summary>
    public static int? Count(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }
        static int? Digit(char c) => "零一二三四五六七八九".IndexOf(c) is var i and >= 0 ? i : c == '两' ? 2 : null;
        var ten = text.IndexOf('十');
        if (ten < 0)
        {
            return text.Length == 1 ? Digit(text[0]) : null;
        }
        var tens = ten == 0 ? 1 : ten == 1 ? Digit(text[0]) : null;
        var ones = ten == text.Length - 1 ? 0 : ten == text.Length - 2 ? Digit(text[^1]) : null;
        return tens is { } t && ones is { } o ? t * 10 + o : null;
    }

    /// <summary>The index of the ')' closing the '(' at <paramref name="open"/>, or -1.</summary>
    public static int MatchParen(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }
        return -1;
    }
}
