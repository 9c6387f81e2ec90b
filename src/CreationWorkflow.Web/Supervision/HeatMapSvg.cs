using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Html;

namespace CreationWorkflow.Web.Supervision;

/// <summary>
/// The units × months heat map as inline SVG, drawn on the server: one row per unit, one column per month of the due
/// date, each cell coloured by the share of the month's work the unit has delivered on time (按时率), with the figures in
/// its tooltip. It scales to the width of the page (viewBox), so nothing scrolls sideways at phone width.
/// </summary>
/// <remarks>
/// Compact on purpose (a map is ~30 units × 12 months): colours are CSS classes (<c>.hm-95</c> … in site.css), a row is a
/// <c>&lt;g&gt;</c> moved into place, so a cell carries only its column, its class, its rate and a short tooltip; the
/// unit's full name is said once, on its row. Months without work due show the grid's background.
/// </remarks>
public static class HeatMapSvg
{
    private const int LabelWidth = 150, Cell = 34, RowHeight = 20, Header = 22;

    /// <summary>The colour band of an on-time rate (%): ≥95, ≥80, ≥60, below (the CSS class's suffix).</summary>
    public static string Band(decimal rate) => rate switch
    {
        >= 95m => "95",
        >= 80m => "80",
        >= 60m => "60",
        _ => "low",
    };

    /// <summary>Drawn once per list of cells: a kept figure's list (<see cref="Infrastructure.CampaignFigures"/>) is the same object until its campaign changes.</summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<HeatCell>, IHtmlContent> Drawn = new();

    public static IHtmlContent Render(IReadOnlyList<HeatCell> cells) => Drawn.GetValue(cells, Draw);

    private static IHtmlContent Draw(IReadOnlyList<HeatCell> cells)
    {
        if (cells.Count == 0)
        {
            return new HtmlString("<p class=\"meta\">尚无到期任务。</p>");
        }
        var months = cells.Select(c => (c.Year, c.Month)).Distinct().Order().ToList();
        var column = months.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var width = LabelWidth + months.Count * Cell;
        var height = Header + cells.Select(c => c.Unit).Distinct().Count() * RowHeight + 4;
        var inv = CultureInfo.InvariantCulture;
        var svg = new StringBuilder(cells.Count * 110 + 2048);
        svg.Append(inv, $"<svg class=\"heatmap\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"各单位逐月按时率热力图\">");
        svg.Append(inv, $"<rect class=\"hm-none\" x=\"{LabelWidth}\" y=\"{Header}\" width=\"{months.Count * Cell}\" height=\"{height - Header - 4}\"><title>无到期任务</title></rect>");
        svg.Append("<g class=\"hm-months\">");
        for (var m = 0; m < months.Count; m++)
        {
            var (year, month) = months[m];
            var label = month == 1 || m == 0 ? $"{year % 100:00}/{month}" : $"{month}月";
            svg.Append(inv, $"<text x=\"{LabelWidth + m * Cell + Cell / 2}\" y=\"15\">{label}</text>");
        }
        svg.Append("</g>");
        var u = 0;
        foreach (var row in cells.GroupBy(c => c.Unit).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var unit = WebUtility.HtmlEncode(row.Key);
            svg.Append(inv, $"<g transform=\"translate(0 {Header + u++ * RowHeight})\"><text y=\"14\">{WebUtility.HtmlEncode(Assignments.InboxModel.Short(row.Key, 11))}<title>{unit}</title></text>");
            foreach (var c in row.OrderBy(c => c.Year).ThenBy(c => c.Month))
            {
                var rate = c.Rate.ToString("0.#", inv);
                svg.Append(inv, $"<rect x=\"{LabelWidth + column[(c.Year, c.Month)] * Cell + 1}\" y=\"1\" width=\"{Cell - 2}\" height=\"{RowHeight - 2}\" class=\"hm-{Band(c.Rate)}\" data-rate=\"{rate}\"><title>{c.Year}年{c.Month}月 应交{c.Due} 已交{c.Delivered} 按时率{rate}%</title></rect>");
            }
            svg.Append("</g>");
        }
        svg.Append("</svg>");
        // Classes, not style attributes: the CSP allows styles from the site's own files only.
        svg.Append("<p class=\"meta\">按时率：<span class=\"rate-95\">■</span> ≥95% <span class=\"rate-80\">■</span> ≥80% "
            + "<span class=\"rate-60\">■</span> ≥60% <span class=\"rate-low\">■</span> &lt;60% <span class=\"rate-none\">■</span> 无到期任务</p>");
        return new HtmlString(svg.ToString());
    }
}
