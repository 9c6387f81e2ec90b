namespace CreationWorkflow.Core;

/// <summary>How numbers, points, section numerals and sizes are written on pages, in notices and in documents: one spelling each.</summary>
public static class Display
{
    /// <summary>A score or count without trailing zeros: 92.5, 3, 0.25.</summary>
    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Points as the lists write them: 2分, 0.5分.</summary>
    public static string Points(decimal points) => Number(points) + "分";

    /// <summary>1 → 一, 12 → 十二, 20 → 二十 (as the documents number their sections).</summary>
    public static string Numeral(int n) => n switch
    {
        < 10 => Digits[n],
        < 20 => "十" + Digits[n - 10],
        _ => Digits[n / 10] + "十" + Digits[n % 10],
    };

    private static readonly string[] Digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    /// <summary>A file's size: 812 B, 35.2 KB, 16 MB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024m).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024m / 1024m).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>A limit as people say it in a refusal: 20MB, 4KB, 500字节.</summary>
    public static string Limit(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / 1024 / 1024}MB",
        >= 1024 * 1024 => $"{bytes / 1024d / 1024:0.#}MB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024}KB",
        >= 1024 => $"{bytes / 1024d:0.#}KB",
        _ => $"{bytes}字节",
    };
}
