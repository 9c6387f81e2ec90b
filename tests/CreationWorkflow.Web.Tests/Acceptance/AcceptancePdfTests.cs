namespace CreationWorkflow.Web.Tests.Acceptance;

/// <summary>
/// A real office reader opens the package: LibreOffice (installed by .ci/install-test-deps.sh, with fonts-noto-cjk
/// and poppler-utils) converts each DOCX and XLSX to PDF, and the PDFs use a Chinese font for the Chinese text.
/// Set CW_ACCEPTANCE_OUT to a folder to keep the package and the PDFs there for a look.
/// </summary>
public sealed class AcceptancePdfTests(ITestOutputHelper output) : IDisposable
{
    private readonly PackageTestData data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task LibreOffice_converts_every_document_to_PDF_with_a_Chinese_font()
    {
        var package = await PackageTestData.BuildAsync(data.Input());
        var docs = Path.Combine(data.Folder, "docs");
        var pdfs = Path.Combine(data.Folder, "pdf");
        Directory.CreateDirectory(docs);
        using (var zip = new ZipArchive(new MemoryStream(package)))
        {
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".docx", StringComparison.Ordinal) || e.FullName.EndsWith(".xlsx", StringComparison.Ordinal)))
            {
                if (!entry.FullName.Contains('/'))
                {
                    entry.ExtractToFile(Path.Combine(docs, entry.FullName));
                }
            }
        }
        var files = Directory.GetFiles(docs).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, files.Count);

        var soffice = ProcessRunner.Locate("soffice", "/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice");
        var profile = new Uri(Path.Combine(data.Folder, "lo-profile")).AbsoluteUri;
        var result = await ProcessRunner.RunAsync(soffice,
            [$"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", pdfs, .. files],
            workingDirectory: data.Folder,
            environment: new Dictionary<string, string?> { ["HOME"] = data.Folder },
            timeout: TimeSpan.FromMinutes(4));
        output.WriteLine(result.StdOut);
        output.WriteLine(result.StdErr);
        Assert.Equal(0, result.ExitCode);

        foreach (var file in files)
        {
            var pdf = Path.Combine(pdfs, Path.GetFileNameWithoutExtension(file) + ".pdf");
            Assert.True(File.Exists(pdf), $"LibreOffice wrote no PDF for {Path.GetFileName(file)}:\n{result.StdOut}\n{result.StdErr}");
            var head = new byte[5];
            await using (var stream = File.OpenRead(pdf))
            {
                await stream.ReadExactlyAsync(head);
            }
            Assert.Equal("%PDF-"u8.ToArray(), head);

            // The fonts the PDF embeds: the Chinese is drawn with a CJK face (not boxes from a Latin one).
            var fonts = await ProcessRunner.RunAsync(ProcessRunner.Locate("pdffonts", "/usr/bin/pdffonts"), [pdf]);
            output.WriteLine($"{Path.GetFileName(pdf)}: {new FileInfo(pdf).Length} bytes\n{fonts.StdOut}");
            Assert.Contains("CJK", fonts.StdOut);
        }

        if (Environment.GetEnvironmentVariable("CW_ACCEPTANCE_OUT") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            await File.WriteAllBytesAsync(Path.Combine(keep, "package.zip"), package);
            foreach (var pdf in Directory.GetFiles(pdfs))
            {
                File.Copy(pdf, Path.Combine(keep, Path.GetFileName(pdf)), overwrite: true);
            }
        }
    }
}
