using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>
/// A small DOCX writer for the letter and the report: A4 with 公文 margins, a title, four heading levels, body
/// paragraphs and bordered tables whose header row repeats, a page number in the footer. Every style names its
/// East Asian face (see <see cref="OfficeFiles.Song"/>) and the text is tagged zh-CN, so Chinese text is set in a
/// Chinese font wherever the document is opened.
/// </summary>
/// <param name="bodyFace">East Asian face of body text.</param>
/// <param name="bodyHalfPoints">Body size in half-points (24 = 小四, 32 = 三号).</param>
/// <param name="lineTwips">Line spacing: twentieths of a point when exact, else 240ths of a line (300 = 1.25 lines).</param>
/// <param name="exactLines">Exact line spacing, as 公文 set it (28 pt for 三号).</param>
internal sealed class WordWriter(string bodyFace, int bodyHalfPoints, int lineTwips, bool exactLines)
{
    /// <summary>Text width of an A4 page with 28 mm / 26 mm side margins, in twentieths of a point.</summary>
    public const int TextWidth = 11906 - 1588 - 1474;

    private readonly Body body = new();

    public void Title(string text) => body.Append(Para(text, "Title"));

    /// <summary>Levels 1 and 2 (黑体), 3 and 4 (宋体, bold): outline levels, so the PDF gets bookmarks.</summary>
    public void Heading(int level, string text, bool newPage = false)
    {
        var paragraph = Para(text, $"Heading{level}");
        if (newPage)
        {
            paragraph.ParagraphProperties!.InsertAfter(new PageBreakBefore(), paragraph.ParagraphProperties.ParagraphStyleId);
        }
        body.Append(paragraph);
    }

    /// <summary>A body paragraph, first line indented two characters as Chinese documents are.</summary>
    public void Paragraph(string text, bool indent = true) =>
        body.Append(Para(text, indent ? "BodyIndent" : null));

    /// <summary>A paragraph whose wrapped lines start <paramref name="leftChars"/> characters in, its first line <paramref name="hangingChars"/> fewer.</summary>
    public void Hanging(string text, int leftChars, int hangingChars)
    {
        var paragraph = Para(text, null);
        paragraph.ParagraphProperties!.Append(new Indentation
        {
            Left = (leftChars * bodyHalfPoints * 10).ToString(),
            LeftChars = leftChars * 100,
            Hanging = (hangingChars * bodyHalfPoints * 10).ToString(),
            HangingChars = hangingChars * 100,
        });
        body.Append(paragraph);
    }

    public void Centered(string text) => body.Append(Para(text, null, JustificationValues.Center));

    public void Right(string text) => body.Append(Para(text, null, JustificationValues.Right));

    public void Blank() => body.Append(new Paragraph());

    /// <summary>A bordered table; <paramref name="widths"/> in parts of the text width; numeric columns centred.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<int> widths, ISet<int>? centred = null)
    {
        var total = widths.Sum();
        var twips = widths.Select(w => TextWidth * w / total).ToList();
        var table = new Table(
            new TableProperties(
                new TableWidth { Width = TextWidth.ToString(), Type = TableWidthUnitValues.Dxa },
                new TableBorders(
                    new TopBorder { Val = BorderValues.Single, Size = 4 },
                    new LeftBorder { Val = BorderValues.Single, Size = 4 },
                    new BottomBorder { Val = BorderValues.Single, Size = 4 },
                    new RightBorder { Val = BorderValues.Single, Size = 4 },
                    new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 },
                    new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }),
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableCellMarginDefault(
                    new TopMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                    new TableCellLeftMargin { Width = 80, Type = TableWidthValues.Dxa },
                    new BottomMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                    new TableCellRightMargin { Width = 80, Type = TableWidthValues.Dxa })),
            new TableGrid(twips.Select(w => new GridColumn { Width = w.ToString() })));
        table.Append(Row(headers, twips, header: true, centred));
        foreach (var row in rows)
        {
            table.Append(Row(row, twips, header: false, centred));
        }
        body.Append(table);
        body.Append(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { Before = "0", After = "0" })));
    }

    private static TableRow Row(IReadOnlyList<string> cells, IReadOnlyList<int> twips, bool header, ISet<int>? centred)
    {
        var row = new TableRow();
        if (header)
        {
            row.Append(new TableRowProperties(new TableHeader(), new CantSplit()));
        }
        for (var i = 0; i < twips.Count; i++)
        {
            var paragraph = Para(i < cells.Count ? cells[i] : "", "TableText",
                header || centred?.Contains(i) == true ? JustificationValues.Center : null, bold: header);
            var props = new TableCellProperties(new TableCellWidth { Width = twips[i].ToString(), Type = TableWidthUnitValues.Dxa });
            if (header)
            {
                props.Append(new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = "E7E6E6" });
            }
            props.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center });
            row.Append(new TableCell(props, paragraph));
        }
        return row;
    }

    private static Paragraph Para(string text, string? style, JustificationValues? align = null, bool bold = false)
    {
        var props = new ParagraphProperties();
        if (style is not null)
        {
            props.Append(new ParagraphStyleId { Val = style });
        }
        if (align is { } a)
        {
            props.Append(new Justification { Val = a });
        }
        var paragraph = new Paragraph(props);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var run = new Run();
            if (bold)
            {
                run.Append(new RunProperties(new Bold()));
            }
            if (i > 0)
            {
                run.Append(new Break());
            }
            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
            paragraph.Append(run);
        }
        return paragraph;
    }

    /// <summary>The finished DOCX, reproducible byte for byte (see <see cref="OfficeFiles"/>).</summary>
    public byte[] Save(string title, string creator, DateOnly date)
    {
        var written = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(written, WordprocessingDocumentType.Document))
        {
            var main = doc.AddNewPart<MainDocumentPart>("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "rId1");
            OfficeFiles.WriteCoreProperties(doc, "rId2", title, creator, date);

            main.AddNewPart<StyleDefinitionsPart>("rId1").Styles = Styles();
            main.AddNewPart<FontTablePart>("rId2").Fonts = FontTable();
            main.AddNewPart<DocumentSettingsPart>("rId3").Settings = new Settings(
                new DefaultTabStop { Val = 420 },
                new CharacterSpacingControl { Val = CharacterSpacingValues.CompressPunctuation },
                new ThemeFontLanguages { Val = "en-US", EastAsia = "zh-CN" });
            var footer = main.AddNewPart<FooterPart>("rId4");
            footer.Footer = new Footer(new Paragraph(
                new ParagraphProperties(new ParagraphStyleId { Val = "TableText" }, new Justification { Val = JustificationValues.Center }),
                new Run(new Text("— ") { Space = SpaceProcessingModeValues.Preserve }),
                new SimpleField(new Run(new Text("1"))) { Instruction = " PAGE " },
                new Run(new Text(" —") { Space = SpaceProcessingModeValues.Preserve })));

            body.Append(new SectionProperties(
                new FooterReference { Type = HeaderFooterValues.Default, Id = "rId4" },
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588, Right = 1474, Header = 851, Footer = 992, Gutter = 0 }));
            main.Document = new Document(body);
        }
        return OfficeFiles.Canonical(written, date);
    }

    private static RunFonts Fonts(string eastAsia) =>
        new() { Ascii = OfficeFiles.Latin, HighAnsi = OfficeFiles.Latin, ComplexScript = OfficeFiles.Latin, EastAsia = eastAsia };

    private Styles Styles()
    {
        Style ParagraphStyle(string id, string name, string face, int halfPoints, bool bold, JustificationValues? align, int? outline,
            int before = 0, int after = 0, bool indent = false, bool single = false)
        {
            var pPr = new StyleParagraphProperties();
            if (outline is not null)
            {
                pPr.Append(new KeepNext());
            }
            var spacing = new SpacingBetweenLines { Before = before.ToString(), After = after.ToString() };
            if (single)
            {
                spacing.Line = "240";
                spacing.LineRule = LineSpacingRuleValues.Auto;
            }
            else if (exactLines && halfPoints * 10 > lineTwips)
            {
                // A line taller than the body's exact spacing (the title) gets its own height.
                spacing.Line = (halfPoints * 15).ToString();
                spacing.LineRule = LineSpacingRuleValues.Exact;
            }
            pPr.Append(spacing);
            if (indent)
            {
                // Two characters: FirstLineChars for Word and WPS, the same in twips for readers that ignore it.
                pPr.Append(new Indentation { FirstLine = (halfPoints * 20).ToString(), FirstLineChars = 200 });
            }
            if (align is { } a)
            {
                pPr.Append(new Justification { Val = a });
            }
            if (outline is { } level)
            {
                pPr.Append(new OutlineLevel { Val = level });
            }
            var rPr = new StyleRunProperties(Fonts(face));
            if (bold)
            {
                rPr.Append(new Bold(), new BoldComplexScript());
            }
            rPr.Append(new FontSize { Val = halfPoints.ToString() }, new FontSizeComplexScript { Val = halfPoints.ToString() });
            var style = new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new PrimaryStyle(), pPr, rPr)
            {
                Type = StyleValues.Paragraph,
                StyleId = id,
            };
            return style;
        }

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    Fonts(bodyFace),
                    new FontSize { Val = bodyHalfPoints.ToString() },
                    new FontSizeComplexScript { Val = bodyHalfPoints.ToString() },
                    new Languages { Val = "en-US", EastAsia = "zh-CN", Bidi = "ar-SA" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { After = "0", Line = lineTwips.ToString(), LineRule = exactLines ? LineSpacingRuleValues.Exact : LineSpacingRuleValues.Auto },
                    new Justification { Val = JustificationValues.Both }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            ParagraphStyle("Title", "Title", OfficeFiles.Hei, 44, false, JustificationValues.Center, null, before: 240, after: 480),
            ParagraphStyle("Heading1", "heading 1", OfficeFiles.Hei, Math.Max(bodyHalfPoints, 32), false, JustificationValues.Center, 0, before: 240, after: 240),
            ParagraphStyle("Heading2", "heading 2", OfficeFiles.Hei, Math.Max(bodyHalfPoints, 28), false, null, 1, before: 240, after: 120),
            ParagraphStyle("Heading3", "heading 3", OfficeFiles.Song, Math.Max(bodyHalfPoints, 26), true, null, 2, before: 180, after: 60),
            ParagraphStyle("Heading4", "heading 4", OfficeFiles.Song, bodyHalfPoints, true, null, 3, before: 120, after: 60),
            ParagraphStyle("BodyIndent", "Body Text First Indent", bodyFace, bodyHalfPoints, false, null, null, indent: true),
            ParagraphStyle("TableText", "Table Text", OfficeFiles.Song, 20, false, null, null, single: true));
    }

    private static Fonts FontTable()
    {
        var fonts = new Fonts();
        foreach (var (name, alt, panose, serif) in OfficeFiles.ChineseFaces)
        {
            fonts.Append(new Font(
                new AltName { Val = alt },
                new Panose1Number { Val = panose },
                new FontCharSet { Val = "86" },
                new FontFamily { Val = serif ? FontFamilyValues.Roman : FontFamilyValues.Modern },
                new Pitch { Val = FontPitchValues.Variable })
            { Name = name });
        }
        fonts.Append(new Font(
            new Panose1Number { Val = "02020603050405020304" },
            new FontCharSet { Val = "00" },
            new FontFamily { Val = FontFamilyValues.Roman },
            new Pitch { Val = FontPitchValues.Variable })
        { Name = OfficeFiles.Latin });
        return fonts;
    }
}
