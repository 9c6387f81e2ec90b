using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// The units × months heat map as inline SVG, drawn on the server: one row per unit, one column per month of the due
/// date, each cell coloured by the share of the month's work the unit has delivered (按时率), with the figures in its
/// tooltip. It scales to the width of the page (viewBox), so nothing scrolls sideways at phone width.
/// </summary>
public static class HeatMapSvg
{
    private const int LabelWidth = 150, Cell = 34, RowHeight = 20, Header = 22;

    /// <summary>The colour band of an on-time rate (%): ≥95 green, ≥80 light green, ≥60 amber, below red.</summary>
    public static string Colour(decimal rate) => rate switch
    {
        >= 95m => "#31a354",
        >= 80m => "#a1d99b",
        >= 60m => "#fdd49e",
        _ => "#ef6548",
    };

    public static IHtmlContent Render(IReadOnlyList<HeatCell> cells)
    {
        if (cells.Count == 0)
        {
            return new HtmlString("<p class=\"meta\">尚无到期任务。</p>");
        }
        var months = cells.Select(c => (c.Year, c.Month)).Distinct().Order().ToList();
        var units = cells.Select(c => c.Unit).Distinct().Order(StringComparer.Ordinal).ToList();
        var width = LabelWidth + months.Count * Cell;
        var height = Header + units.Count * RowHeight + 4;
        var byKey = cells.ToDictionary(c => (c.Unit, c.Year, c.Month));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"heatmap\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"各单位逐月按时率热力图\">");
        for (var m = 0; m < months.Count; m++)
        {
            var (year, month) = months[m];
            var label = month == 1 || m == 0 ? $"{year % 100:00}/{month}" : $"{month}月";
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{LabelWidth + m * Cell + Cell / 2}\" y=\"15\" font-size=\"11\" text-anchor=\"middle\" fill=\"#52606d\">{label}</text>");
        }
        for (var u = 0; u < units.Count; u++)
        {
            var y = Header + u * RowHeight;
            var unit = WebUtility.HtmlEncode(units[u]);
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"0\" y=\"{y + 14}\" font-size=\"12\" fill=\"#1f2933\">{WebUtility.HtmlEncode(Assignments.InboxModel.Short(units[u], 11))}</text>");
            for (var m = 0; m < months.Count; m++)
            {
                var (year, month) = months[m];
                var x = LabelWidth + m * Cell;
                if (byKey.TryGetValue((units[u], year, month), out var c))
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{Cell - 2}\" height=\"{RowHeight - 2}\" fill=\"{Colour(c.Rate)}\" data-rate=\"{c.Rate.ToString("0.#", CultureInfo.InvariantCulture)}\">"
                        + $"<title>{unit} {year}年{month}月：应交{c.Due}，已交{c.Delivered}，按时率{c.Rate.ToString("0.#", CultureInfo.InvariantCulture)}%</title></rect>");
                }
                else
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{Cell - 2}\" height=\"{RowHeight - 2}\" fill=\"#f3f4f6\"><title>{unit} {year}年{month}月：无到期任务</title></rect>");
                }
            }
        }
        svg.Append("</svg>");
        // Classes, not style attributes: the CSP allows styles from the site's own files only.
        svg.Append("<p class=\"meta\">按时率：<span class=\"rate-95\">■</span> ≥95% <span class=\"rate-80\">■</span> ≥80% "
            + "<span class=\"rate-60\">■</span> ≥60% <span class=\"rate-low\">■</span> &lt;60% <span class=\"rate-none\">■</span> 无到期任务</p>");
        return new HtmlString(svg.ToString());
    }
}
