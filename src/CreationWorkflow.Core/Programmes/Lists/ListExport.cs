namespace CreationWorkflow.Core.Programmes.Lists;

/// <summary>One data row of an exported list, in the columns of <see cref="ResponsibilityList.Columns"/>.</summary>
public sealed record ExportRow(string Target, string Indicator, string Content, decimal? Points, string Lead, string Responsible, string Method);

/// <summary>
/// A programme laid out as 附件2: data rows (targets and indicators repeated in their first row only, to be merged
/// over <see cref="Merges"/>: first and last data row, 0-based, and the column), and the 规则 sheet's machine rows
/// (key → JSON) that carry what the layout cannot: rules, sources, the header, the directory and key tasks.
/// </summary>
public sealed record ListExport(IReadOnlyList<ExportRow> Rows, IReadOnlyList<(int First, int Last, int Column)> Merges, IReadOnlyList<(string Key, string Json)> Machine)
{
    public static ListExport Of(Programme p)
    {
        var rows = new List<ExportRow>();
        var merges = new List<(int, int, int)>();
        var machine = new List<(string, string)>
        {
            ("programme", Json(p.Header)),
            ("units", Json(new UnitsFile(p.Units.Units, p.Units.Groups))),
            ("keyTasks", Json(p.KeyTasks)),
        };
        static string Names(IReadOnlyList<string>? names) => string.Join("、", names ?? []);
        static string Methods(IReadOnlyList<EvaluationMethod>? methods) =>
            string.Join("\n", (methods ?? []).Select(m => ResponsibilityList.MethodNames.First(n => n.Value == m).Key));
        foreach (var target in p.Targets)
        {
            machine.Add(($"target:{target.No}", Json(target.Source)));
            var targetStart = rows.Count;
            foreach (var indicator in target.Indicators)
            {
                machine.Add(($"indicator:{indicator.No}", Json(indicator.Source)));
                var start = rows.Count;
                foreach (var item in p.Items.Where(i => i.Indicator == indicator.No))
                {
                    rows.Add(new ExportRow(rows.Count == targetStart ? $"{Display.Numeral(target.No)}、{target.Name}" : "",
                        rows.Count == start ? $"（{Display.Numeral(indicator.No)}）{indicator.Name}" : "",
                        item.Text, item.Points, Names(item.Lead), Names(item.Responsible), Methods(item.Methods)));
                    machine.Add(("entry:" + ListEntry.KeyOf(ListSection.Item, item.No), Json(new SheetEntry(item.Text, item.Rules, item.Source))));
                }
                merges.Add((start, rows.Count - 1, 1));
            }
            merges.Add((targetStart, rows.Count - 1, 0));
        }
        var adjustStart = rows.Count;
        var indicatorNo = p.Indicators.Count();
        foreach (var (section, title, list) in new[]
        {
            (ListSection.Bonus, "加分事项", p.Adjustments.BonusItems), (ListSection.Penalty, "减分事项", p.Adjustments.PenaltyItems),
            (ListSection.Negative, "负面清单", p.Adjustments.NegativeItems),
        })
        {
            if (list.Count == 0)
            {
                continue;
            }
            var start = rows.Count;
            indicatorNo++;
            foreach (var a in list)
            {
                rows.Add(new ExportRow(rows.Count == adjustStart ? $"{Display.Numeral(p.Targets.Count + 1)}、奖惩清单" : "",
                    rows.Count == start ? $"（{Display.Numeral(indicatorNo)}）{title}" : "",
                    a.Text, null, Names(a.Lead), Names(a.Responsible), Methods(a.Methods)));
                machine.Add(("entry:" + ListEntry.KeyOf(section, a.No), Json(new SheetEntry(a.Text, a.Rules, a.Source, a.HighestPerContent))));
            }
            merges.Add((start, rows.Count - 1, 1));
        }
        if (rows.Count > adjustStart)
        {
            merges.Add((adjustStart, rows.Count - 1, 0));
        }
        return new ListExport(rows, [.. merges.Where(m => m.Item2 > m.Item1)], machine);
    }

    private static readonly JsonSerializerOptions Compact = new(SeedJson.Options) { WriteIndented = false };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Compact);
}
