using CreationWorkflow.Core;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// The four documents of the package, each written from the <see cref="PackageOutline"/>: the application letter,
/// the self-assessment report, the score table in the layout of 附件2, and the evidence index.
/// </summary>
internal static class PackageDocuments
{
    public const string Letter = "01-验收申请.docx";
    public const string Report = "02-自评报告.docx";
    public const string ScoreTable = "03-测评指标得分表.xlsx";
    public const string EvidenceIndex = "04-佐证材料目录.xlsx";

    private static string N(decimal v) => PackageOutline.Number(v);

    private static string TargetLabel(OutlineTarget t) => $"{Display.Numeral(t.No)}、{t.Name}";

    private static string IndicatorLabel(OutlineIndicator i) => $"（{Display.Numeral(i.No)}）{i.Name}";

    private static string Date(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";

    /// <summary>我市 / 我县 / 我州 by what the programme creates; 我们 otherwise.</summary>
    private static string We(PackageOutline o) => o.Honour.Length > 0 && "市县州区盟旗".Contains(o.Honour[^1]) ? "我" + o.Honour[^1] : "我们";

    private static string Cited(PackageOutline o)
    {
        var doc = o.Programme.Header.Document;
        return $"《{o.Programme.Header.Title}》{(doc.Number is { } n ? $"（{n}）" : "")}";
    }

    /// <summary>01: the application to 国家民委 (or whoever the addressee is) once the self-score reaches the gate.</summary>
    public static byte[] BuildLetter(PackageOutline o)
    {
        var app = o.Application;
        var s = o.Score;
        var w = new WordWriter(OfficeFiles.Song, 32, lineTwips: 560, exactLines: true);
        w.Title($"关于申请{o.Honour}验收的请示");
        w.Paragraph($"{app.Addressee}：", indent: false);
        w.Paragraph($"根据{Cited(o)}部署，按照{o.Standard}要求，{We(o)}通过各级各部门互观互检、召开座谈会和经验交流会等方式，对照测评指标逐项开展了创建工作自查自评。");
        w.Paragraph($"经自查自评，{We(o)}创建工作自评得分{Display.Points(s.Total)}，其中基础分{Display.Points(s.Base)}（满分{Display.Points(s.BaseMax)}），加分{Display.Points(s.Bonus)}，减分{Display.Points(s.Penalty)}，" +
                    $"达到自评分{Display.Points(o.Gate.MinScore)}以上申请验收的条件。现按程序提出验收申请，恳请{app.Addressee}予以验收。");
        if (!string.IsNullOrWhiteSpace(app.Summary))
        {
            w.Paragraph(app.Summary.Trim());
        }
        w.Paragraph("妥否，请批示。");
        w.Blank();
        // 附件：1.… with the further attachments and every wrapped line aligned after "附件：" (GB/T 9704).
        w.Hanging($"附件：1.{o.Subject}自评报告", leftChars: 6, hangingChars: 4);
        w.Hanging($"2.{o.Subject}测评指标得分表", leftChars: 6, hangingChars: 1);
        w.Hanging($"3.佐证材料目录（共{o.Evidence.Count()}份）", leftChars: 6, hangingChars: 1);
        w.Blank();
        w.Blank();
        w.Right(app.Applicant);
        w.Right(Date(app.Date));
        w.Blank();
        w.Paragraph($"（联系人：{app.ContactName}；联系电话：{app.ContactPhone}）");
        return w.Save($"关于申请{o.Honour}验收的请示", app.Applicant, app.Date);
    }

    /// <summary>02: per target / indicator / item the score, the explanation trail and the evidence cited.</summary>
    public static byte[] BuildReport(PackageOutline o)
    {
        var app = o.Application;
        var s = o.Score;
        var w = new WordWriter(OfficeFiles.Song, 24, lineTwips: 300, exactLines: false);
        w.Title($"{o.Subject}自评报告");
        w.Centered(app.Applicant);
        w.Centered(Date(app.Date));

        w.Heading(1, "第一部分　自评总体情况");
        w.Paragraph($"按照{o.Standard}要求，对照{Cited(o)}所列测评指标逐项自查自评，自评总分{Display.Points(s.Total)}：" +
                    $"基础分{Display.Points(s.Base)}（满分{Display.Points(s.BaseMax)}），加分{Display.Points(s.Bonus)}，减分{Display.Points(s.Penalty)}。" +
                    $"自评分达到{Display.Points(o.Gate.MinScore)}以上的，按程序向{app.Addressee}提出验收申请（{o.Gate.Standard}）。");
        if (!string.IsNullOrWhiteSpace(app.Summary))
        {
            w.Paragraph(app.Summary.Trim());
        }
        w.Paragraph("每项得分均由评分规则依据所填报的事实逐条计算得出；以下逐项列出评分依据（规则、事实、认定、得分）及所引佐证材料在本材料包中的位置。");
        var overview = o.Targets.Where(t => !t.IsAdjustments)
            .Select(t => (IReadOnlyList<string>)[TargetLabel(t), N(t.Max!.Value), N(t.Score!.Value)])
            .Append(["基础分", N(s.BaseMax), N(s.Base)])
            .Append(["加分", "", N(s.Bonus)])
            .Append(["减分", "", N(-s.Penalty)])
            .Append(["自评总分", "", N(s.Total)]);
        w.Table(["测评目标", "分值", "自评得分"], overview, [70, 15, 15], new HashSet<int> { 1, 2 });

        w.Heading(1, "第二部分　分项自评情况", newPage: true);
        foreach (var target in o.Targets)
        {
            if (target.IsAdjustments)
            {
                w.Heading(1, "第三部分　加分和减分事项", newPage: true);
                w.Heading(2, TargetLabel(target));
            }
            else
            {
                w.Heading(2, $"{TargetLabel(target)}（分值{Display.Points(target.Max!.Value)}，自评{Display.Points(target.Score!.Value)}）");
            }
            foreach (var indicator in target.Indicators)
            {
                w.Heading(3, indicator.Kind is null
                    ? $"{IndicatorLabel(indicator)}（分值{Display.Points(indicator.Max!.Value)}，自评{Display.Points(indicator.Score)}）"
                    : $"{IndicatorLabel(indicator)}（{(indicator.Kind == AdjustmentKind.Bonus ? "加" : "减")}{Display.Points(indicator.Score)}）");
                foreach (var item in indicator.Items)
                {
                    WriteItem(w, item);
                }
            }
        }
        return w.Save($"{o.Subject}自评报告", app.Applicant, app.Date);
    }

    private static void WriteItem(WordWriter w, OutlineItem item)
    {
        w.Heading(4, item.Kind switch
        {
            null => $"第{item.No}项　分值{Display.Points(item.Max!.Value)}，自评{Display.Points(item.Score)}",
            _ when item.Score == 0 => $"第{item.No}项　未发生",
            AdjustmentKind.Bonus => $"第{item.No}项　加{Display.Points(item.Score)}",
            _ => $"第{item.No}项　减{Display.Points(item.Score)}",
        });
        w.Paragraph($"{item.No}.{item.Text}");
        w.Paragraph($"牵头单位：{Join(item.Lead)}；责任单位：{Join(item.Responsible)}；测评方法：{Join(item.Methods.Select(PackageOutline.MethodName))}。");
        w.Table(["规则", "条款", "事实", "认定", "得分"],
            item.Lines.Select(l => (IReadOnlyList<string>)[l.RuleId, l.Rule, l.Fact, l.Reason, N(l.Points)]),
            [9, 41, 18, 24, 8], new HashSet<int> { 0, 4 });
        foreach (var source in item.Lines.Select(l => l.Source).Distinct())
        {
            w.Paragraph($"条款出处：{source}");
        }
        if (item.Evidence.Count == 0)
        {
            w.Paragraph("佐证材料：未提供。");
            return;
        }
        w.Paragraph($"佐证材料（{item.Evidence.Count}份）：");
        foreach (var e in item.Evidence)
        {
            var rule = e.Entry.RuleId is { } r ? $"规则{r}；" : "";
            w.Paragraph($"{e.Seq}. {e.Entry.Description}（{rule}{e.Entry.FileName}，{Display.Size(e.Entry.Size)}；见 {e.Path}）");
        }
    }

    private static string Join(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "—" : string.Join("、", list);
    }

    private static SheetCell[] Headers(params string[] names) => names.Select(h => SheetCell.Of(h, SheetStyle.Header)).ToArray();

    /// <summary>03: 测评目标 | 测评指标 | 测评内容 | 分值 | 自评得分 | 牵头单位 | 责任单位 | 测评方法, then the totals.</summary>
    public static byte[] BuildScoreTable(PackageOutline o)
    {
        var s = o.Score;
        var sheet = new SheetWriter("测评指标得分表", [12, 14, 62, 7, 9, 16, 22, 12]);
        var title = $"{o.Subject}测评指标自评得分表";
        sheet.Row(SheetCell.Of(title, SheetStyle.Title));
        sheet.Merge(1, 0, 1, 7);
        sheet.Row(Headers("测评目标", "测评指标", "测评内容", "分值", "自评得分", "牵头单位", "责任单位", "测评方法"));
        foreach (var target in o.Targets)
        {
            var targetFirst = 0;
            foreach (var indicator in target.Indicators)
            {
                var indicatorFirst = 0;
                foreach (var item in indicator.Items)
                {
                    // Merged down the rows of the target / indicator, as in 附件2: the label only in the first row.
                    var row = sheet.Row(
                        SheetCell.Of(targetFirst == 0 ? TargetLabel(target) : "", SheetStyle.Centre),
                        SheetCell.Of(indicatorFirst == 0 ? IndicatorLabel(indicator) : "", SheetStyle.Centre),
                        SheetCell.Of($"{item.No}.{item.Text}"),
                        SheetCell.Of(item.Max),
                        SheetCell.Of(item.Contribution),
                        SheetCell.Of(string.Join("、", item.Lead), SheetStyle.Centre),
                        SheetCell.Of(string.Join("、", item.Responsible), SheetStyle.Centre),
                        SheetCell.Of(string.Join("\n", item.Methods.Select(PackageOutline.MethodName)), SheetStyle.Centre));
                    targetFirst = targetFirst == 0 ? row : targetFirst;
                    indicatorFirst = indicatorFirst == 0 ? row : indicatorFirst;
                }
                if (indicatorFirst > 0)
                {
                    sheet.Merge(indicatorFirst, 1, indicatorFirst + indicator.Items.Count - 1, 1);
                }
            }
            if (targetFirst > 0)
            {
                sheet.Merge(targetFirst, 0, targetFirst + target.Indicators.Sum(i => i.Items.Count) - 1, 0);
            }
        }
        void Total(string label, decimal? max, decimal value)
        {
            var row = sheet.Row(SheetCell.Of(label, SheetStyle.TotalLabel), SheetCell.Of("", SheetStyle.TotalLabel), SheetCell.Of("", SheetStyle.TotalLabel),
                SheetCell.Of(max, SheetStyle.TotalNumber), SheetCell.Of(value, SheetStyle.TotalNumber),
                SheetCell.Of("", SheetStyle.TotalLabel), SheetCell.Of("", SheetStyle.TotalLabel), SheetCell.Of("", SheetStyle.TotalLabel));
            sheet.Merge(row, 0, row, 2);
            sheet.Merge(row, 5, row, 7);
        }
        Total("基础分", s.BaseMax, s.Base);
        Total("加分", null, s.Bonus);
        Total("减分", null, -s.Penalty);
        Total("自评总分", null, s.Total);
        return sheet.Save(title, o.Application.Applicant, o.Application.Date, headerRow: 2);
    }

    /// <summary>04: every evidence file in indicator order with its size, SHA-256 and path in the ZIP.</summary>
    public static byte[] BuildEvidenceIndex(PackageOutline o)
    {
        var sheet = new SheetWriter("佐证材料目录", [6, 16, 16, 8, 7, 26, 30, 12, 12, 34, 50]);
        var title = $"{o.Subject}佐证材料目录";
        sheet.Row(SheetCell.Of(title, SheetStyle.Title));
        sheet.Merge(1, 0, 1, 10);
        sheet.Row(Headers("序号", "测评目标", "测评指标", "测评项目", "规则", "文件名", "说明", "大小", "大小（字节）", "SHA-256", "包内路径"));
        foreach (var target in o.Targets)
        {
            foreach (var indicator in target.Indicators)
            {
                foreach (var item in indicator.Items)
                {
                    foreach (var e in item.Evidence)
                    {
                        sheet.Row(
                            SheetCell.Of(e.Seq),
                            SheetCell.Of(TargetLabel(target), SheetStyle.Centre),
                            SheetCell.Of(IndicatorLabel(indicator), SheetStyle.Centre),
                            SheetCell.Of($"第{item.No}项", SheetStyle.Centre),
                            SheetCell.Of(e.Entry.RuleId ?? "", SheetStyle.Centre),
                            SheetCell.Of(e.Entry.FileName),
                            SheetCell.Of(e.Entry.Description),
                            SheetCell.Of(Display.Size(e.Entry.Size), SheetStyle.Centre),
                            SheetCell.Of(e.Entry.Size),
                            SheetCell.Of(e.Entry.Sha256.ToLowerInvariant()),
                            SheetCell.Of(e.Path));
                    }
                }
            }
        }
        if (!o.Evidence.Any())
        {
            var row = sheet.Row(SheetCell.Of("（未提供佐证材料）", SheetStyle.Centre));
            sheet.Merge(row, 0, row, 10);
        }
        return sheet.Save(title, o.Application.Applicant, o.Application.Date, headerRow: 2);
    }
}
