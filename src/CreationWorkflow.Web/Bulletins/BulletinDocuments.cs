namespace CreationWorkflow.Web.Bulletins;

/// <summary>
/// The bulletin as a DOCX (to print and file) and an XLSX (the same tables, numbers as numbers), written with the
/// acceptance package's writers: no clock and no random id goes in, the files are stamped with the as-of day, so the same
/// figures give the same bytes.
/// </summary>
internal static class BulletinDocuments
{
    public const string Creator = "创建工作领导小组办公室";
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>The sections, as headings in the DOCX and title rows in the XLSX (tests find the tables by them).</summary>
    public const string UnitsSection = "各单位按时率与排名";
    public const string LateSection = "逾期最久的任务";
    public const string RiskSection = "失分风险事项";
    public const string OrdersSection = "督办单下发与办结";
    public const string BurdenSection = "基层负担";

    public static readonly string[] UnitHeaders =
        ["排名", "单位", "本期应交", "本期已交", "本期按时率（%）", "应交", "已交", "逾期", "最长逾期（工作日）", "红灯", "黄灯", "蓝灯", "按时率（%）"];

    private static readonly string[] LateHeaders = ["序号", "单位", "任务", "截止日期", "逾期（工作日）"];
    private static readonly string[] RiskHeaders = ["事项", "风险分值", "原因"];
    private static readonly string[] BurdenHeaders = ["本期表单", "本期填写事项", "本期报送材料", "全程表单", "全程填写事项", "全程报送材料"];
    private static readonly string[] OrderHeaders = ["督办单", "单位", "下发日期", "整改期限", "状态", "销号日期"];

    public static string Subtitle(BulletinContent c) =>
        $"（{c.Period.Label}）";

    public static string Scope(BulletinContent c) =>
        $"统计期间：{ReminderTexts.Date(c.Period.First)}至{ReminderTexts.Date(c.Period.Last)}；数据截至{ReminderTexts.Date(c.AsOf)}（与当日督查看板一致）。";

    public static string Overview(BulletinContent c) =>
        $"截至{ReminderTexts.Date(c.AsOf)}，{c.CampaignName}各单位应交任务{c.Due}项，已交{c.Delivered}项，逾期{c.LateTotal}项，按时率{Pct(c.Rate)}；" +
        $"本期（{c.Period.Label}）到期任务{c.PeriodDue}项，已交{c.PeriodDelivered}项，按时率{Pct(c.PeriodRate)}。" +
        $"目前红灯{c.Counts.Red}项、黄灯{c.Counts.Yellow}项、蓝灯{c.Counts.Blue}项。";

    public static string OrdersLine(BulletinContent c) =>
        $"本期下发督办单{c.Issued.Count}份，办结（销号）{c.Closed.Count}份。";

    public static string BurdenLine(BulletinContent c) =>
        $"本期全市各单位须填报表单{c.Burden.Forms}份、填写事项{c.Burden.Fields}项、报送材料{c.Burden.Files}份；" +
        $"创建活动全程合计表单{c.Burden.CampaignForms}份、填写事项{c.Burden.CampaignFields}项、报送材料{c.Burden.CampaignFiles}份。";

    public static string LateLine(BulletinContent c) =>
        c.LateTotal == 0 ? "目前无逾期任务。" : $"目前逾期任务{c.LateTotal}项，以下为逾期最久的{c.MostLate.Count}项：";

    public static string RiskLine(BulletinContent c) => c.Risks switch
    {
        null => "本活动为单位考核，不计算失分风险。",
        { Count: 0 } => "目前无失分风险事项。",
        var r => $"{r.Count}项共{Num(r.Sum(x => x.Points))}分存在失分风险，按风险分值从高到低：",
    };

    public static string Pct(decimal? rate) => rate is { } r ? Num(r) + "%" : "—";

    private static string Num(decimal v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Task(BoardRow r) => ReminderTexts.Describe(r.ItemNo, r.ItemText, r.StepName, r.Period);

    private static IEnumerable<string> UnitCells(BulletinUnit u) =>
    [
        u.Rank is { } rank ? Text(rank) : "—", u.Board.Label, Text(u.PeriodDue), Text(u.PeriodDelivered), Pct(u.PeriodRate),
        Text(u.Board.Due), Text(u.Board.Delivered), Text(u.Board.Late), Text(u.Board.LongestWorkingDaysLate),
        Text(u.Board.Red), Text(u.Board.Yellow), Text(u.Board.Blue), Pct(u.Board.OnTimeRate),
    ];

    private static IEnumerable<string> OrderCells(BulletinOrder o) =>
        [o.Title, o.Unit, Day(o.IssuedOn), Day(o.RectifyBy), o.State, o.ClosedOn is { } d ? Day(d) : ""];

    public static byte[] Docx(BulletinContent c)
    {
        var w = new WordWriter(OfficeFiles.Song, 24, lineTwips: 300, exactLines: false);
        w.Title(c.Title);
        w.Centered(Subtitle(c));
        w.Paragraph(c.CampaignName, indent: false);
        w.Paragraph(Scope(c), indent: false);

        w.Heading(2, "一、总体情况");
        w.Paragraph(Overview(c));

        w.Heading(2, "二、" + UnitsSection);
        w.Paragraph("排名按本期按时率（本期到期任务中已交的比例）从高到低，并列者名次相同；应交、已交、逾期、灯色与按时率为截至统计日的累计数。");
        w.Table(UnitHeaders, c.Units.Select(u => (IReadOnlyList<string>)[.. UnitCells(u)]), [5, 14, 6, 6, 7, 6, 6, 6, 7, 5, 5, 5, 7],
            Enumerable.Range(0, UnitHeaders.Length).Where(i => i != 1).ToHashSet());

        w.Heading(2, "三、" + LateSection);
        w.Paragraph(LateLine(c));
        if (c.MostLate.Count > 0)
        {
            w.Table(LateHeaders, c.MostLate.Select((r, i) => (IReadOnlyList<string>)[Text(i + 1), r.Unit, Task(r), Day(r.DueDate), Text(r.WorkingDaysLate)]),
                [5, 14, 40, 10, 8], new HashSet<int> { 0, 3, 4 });
        }

        w.Heading(2, "四、" + RiskSection);
        w.Paragraph(RiskLine(c));
        if (c.Risks is { Count: > 0 } risks)
        {
            w.Table(RiskHeaders, risks.Select(r => (IReadOnlyList<string>)[$"第{r.Item}项 {r.Title}", Num(r.Points), r.Why]), [40, 10, 30], new HashSet<int> { 1 });
        }

        w.Heading(2, "五、" + OrdersSection);
        w.Paragraph(OrdersLine(c));
        if (c.Issued.Count > 0)
        {
            w.Heading(4, "本期下发");
            w.Table(OrderHeaders, c.Issued.Select(o => (IReadOnlyList<string>)[.. OrderCells(o)]), [14, 14, 10, 10, 9, 10], new HashSet<int> { 2, 3, 4, 5 });
        }
        if (c.Closed.Count > 0)
        {
            w.Heading(4, "本期办结");
            w.Table(OrderHeaders, c.Closed.Select(o => (IReadOnlyList<string>)[.. OrderCells(o)]), [14, 14, 10, 10, 9, 10], new HashSet<int> { 2, 3, 4, 5 });
        }

        w.Heading(2, "六、" + BurdenSection);
        w.Paragraph(BurdenLine(c));

        w.Blank();
        w.Right(Creator);
        w.Right(ReminderTexts.Date(c.AsOf));
        return w.Save($"{c.Title}（{c.Period.Label}）", Creator, c.AsOf);
    }

    public static byte[] Xlsx(BulletinContent c)
    {
        var widths = new double[] { 7, 22, 10, 10, 12, 8, 8, 8, 12, 7, 7, 7, 11 };
        var last = widths.Length - 1;
        var sheet = new SheetWriter("通报", widths);
        Line(sheet, $"{c.Title}{Subtitle(c)}", SheetStyle.Title, last);
        Line(sheet, c.CampaignName + "　" + Scope(c), SheetStyle.Text, last);
        Line(sheet, Overview(c), SheetStyle.Text, last);

        Line(sheet, UnitsSection, SheetStyle.TotalLabel, last);
        var header = sheet.Row([.. UnitHeaders.Select(h => SheetCell.Of(h, SheetStyle.Header))]);
        foreach (var u in c.Units)
        {
            sheet.Row(
                u.Rank is { } rank ? SheetCell.Of(rank) : SheetCell.Of("—", SheetStyle.Centre), SheetCell.Of(u.Board.Label),
                SheetCell.Of(u.PeriodDue), SheetCell.Of(u.PeriodDelivered), Rate(u.PeriodRate),
                SheetCell.Of(u.Board.Due), SheetCell.Of(u.Board.Delivered), SheetCell.Of(u.Board.Late), SheetCell.Of(u.Board.LongestWorkingDaysLate),
                SheetCell.Of(u.Board.Red), SheetCell.Of(u.Board.Yellow), SheetCell.Of(u.Board.Blue), Rate(u.Board.OnTimeRate));
        }

        Line(sheet, LateSection + "：" + LateLine(c), SheetStyle.TotalLabel, last);
        if (c.MostLate.Count > 0)
        {
            Spread(sheet, LateHeaders.Select(h => SheetCell.Of(h, SheetStyle.Header)).ToArray(), [0, 1, 2, 9, 11, 13]);
            foreach (var (r, i) in c.MostLate.Select((r, i) => (r, i)))
            {
                Spread(sheet, [SheetCell.Of(i + 1), SheetCell.Of(r.Unit), SheetCell.Of(Task(r)), SheetCell.Of(Day(r.DueDate), SheetStyle.Centre), SheetCell.Of(r.WorkingDaysLate)],
                    [0, 1, 2, 9, 11, 13]);
            }
        }

        Line(sheet, RiskSection + "：" + RiskLine(c), SheetStyle.TotalLabel, last);
        if (c.Risks is { Count: > 0 } risks)
        {
            Spread(sheet, RiskHeaders.Select(h => SheetCell.Of(h, SheetStyle.Header)).ToArray(), [0, 8, 9, 13]);
            foreach (var r in risks)
            {
                Spread(sheet, [SheetCell.Of($"第{r.Item}项 {r.Title}"), SheetCell.Of(r.Points), SheetCell.Of(r.Why)], [0, 8, 9, 13]);
            }
        }

        Line(sheet, OrdersSection + "：" + OrdersLine(c), SheetStyle.TotalLabel, last);
        foreach (var (label, orders) in new[] { ("本期下发", c.Issued), ("本期办结", c.Closed) }.Where(x => x.Item2.Count > 0))
        {
            Line(sheet, label, SheetStyle.Text, last);
            Spread(sheet, OrderHeaders.Select(h => SheetCell.Of(h, SheetStyle.Header)).ToArray(), [0, 2, 5, 7, 9, 11, 13]);
            foreach (var o in orders)
            {
                Spread(sheet, [.. OrderCells(o).Select(t => SheetCell.Of(t, SheetStyle.Centre))], [0, 2, 5, 7, 9, 11, 13]);
            }
        }

        Line(sheet, BurdenSection + "：" + BurdenLine(c), SheetStyle.TotalLabel, last);
        Spread(sheet, BurdenHeaders.Select(h => SheetCell.Of(h, SheetStyle.Header)).ToArray(),
            [0, 2, 4, 6, 8, 10, 13]);
        Spread(sheet, [SheetCell.Of(c.Burden.Forms), SheetCell.Of(c.Burden.Fields), SheetCell.Of(c.Burden.Files),
            SheetCell.Of(c.Burden.CampaignForms), SheetCell.Of(c.Burden.CampaignFields), SheetCell.Of(c.Burden.CampaignFiles)], [0, 2, 4, 6, 8, 10, 13]);

        return sheet.Save($"{c.Title}（{c.Period.Label}）", Creator, c.AsOf, headerRow: header);
    }

    private static SheetCell Rate(decimal? rate) => rate is { } r ? SheetCell.Of(r) : SheetCell.Of("—", SheetStyle.Centre);

    /// <summary>A row of one cell merged across the sheet.</summary>
    private static void Line(SheetWriter sheet, string text, SheetStyle style, int lastColumn)
    {
        var row = sheet.Row(SheetCell.Of(text, style));
        sheet.Merge(row, 0, row, lastColumn);
    }

    /// <summary>A row whose cells span columns: cell i from <paramref name="starts"/>[i] to <paramref name="starts"/>[i + 1] − 1.</summary>
    private static void Spread(SheetWriter sheet, SheetCell[] cells, int[] starts)
    {
        var row = new SheetCell[starts[^1]];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = SheetCell.Of((string?)null, cells.Length > 0 ? cells[Math.Min(Array.FindLastIndex(starts, s => s <= i), cells.Length - 1)].Style : SheetStyle.Text);
        }
        for (var i = 0; i < cells.Length; i++)
        {
            row[starts[i]] = cells[i];
        }
        var number = sheet.Row(row);
        for (var i = 0; i < cells.Length; i++)
        {
            sheet.Merge(number, starts[i], number, starts[i + 1] - 1);
        }
    }
}
