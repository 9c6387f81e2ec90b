using CreationWorkflow.Web.Acceptance;

namespace CreationWorkflow.Web.Tests.Acceptance;

/// <summary>The memory test runs alone, so no other test's allocations land in its measurement.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AcceptanceMemoryCollection
{
    public const string Name = "Acceptance package memory";
}

/// <summary>
/// 1 GB of evidence (64 files × 16 MB of pseudo-random bytes) into a package on disk: the process's peak working
/// set must not grow by more than <see cref="Bound"/>. With CW_BENCH=1 the same run also times <c>zip -r</c> (and
/// <c>zip -r -0</c>) on the same files and a deflating package, for docs/benchmarks.md.
/// </summary>
[Collection(AcceptanceMemoryCollection.Name)]
public sealed class AcceptancePackageMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int Files = 64;
    private const int FileBytes = 16 * 1024 * 1024;
    private const long Bound = 200L * 1024 * 1024;

    private readonly PackageTestData data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task A_package_with_1_GB_of_evidence_is_streamed_in_bounded_memory()
    {
        var folder = Path.Combine(data.Folder, "evidence");
        var evidence = Generate(folder, "application/pdf");
        var zipPath = Path.Combine(data.Folder, "package.zip");
        var input = data.Input() with { Evidence = evidence };

        var run = await Measure(input, zipPath);
        output.WriteLine($"package: {run.Seconds:0.00} s, peak working set +{Mb(run.Growth)} MB (from {Mb(run.Before)} MB to {Mb(run.Peak)} MB; " +
                         $"high-water mark reset: {run.Reset}), {Mb(new FileInfo(zipPath).Length)} MB written");
        Assert.True(run.Growth < Bound, $"Peak working set grew by {Mb(run.Growth)} MB writing 1 GB of evidence (bound {Mb(Bound)} MB).");

        using (var zip = ZipFile.OpenRead(zipPath))
        {
            var stored = zip.Entries.Where(e => e.FullName.StartsWith("证据材料/", StringComparison.Ordinal)).ToList();
            Assert.Equal(Files, stored.Count);
            Assert.All(stored, e => Assert.Equal(FileBytes, e.Length));
            Assert.Equal((long)Files * FileBytes, stored.Sum(e => e.CompressedLength)); // PDFs are stored, not deflated again
        }

        if (Environment.GetEnvironmentVariable("CW_BENCH") == "1")
        {
            await Benchmark(folder, input, run);
        }
    }

    private sealed record Run(double Seconds, long Before, long Peak, bool Reset)
    {
        public long Growth => Peak - Before;
    }

    /// <summary>
    /// Builds the package into a FileStream and reads the peak working set (VmHWM on Linux) before and after. The
    /// peak is a high-water mark: on Linux it is reset first (/proc/self/clear_refs), so the figure is this
    /// package's own; where it cannot be reset, growth above an earlier, higher peak would go unseen.
    /// </summary>
    private static async Task<Run> Measure(PackageInput input, string zipPath)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var reset = ResetPeak();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = reset ? process.WorkingSet64 : process.PeakWorkingSet64;
        var watch = Stopwatch.StartNew();
        await using (var file = new FileStream(zipPath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await PackageBuilder.WriteAsync(input, file);
        }
        watch.Stop();
        process.Refresh();
        return new Run(watch.Elapsed.TotalSeconds, before, process.PeakWorkingSet64, reset);
    }

    private static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>64 files of 16 MB, spread over the items, each hashed as it is written.</summary>
    private static List<EvidenceEntry> Generate(string folder, string contentType)
    {
        Directory.CreateDirectory(folder);
        var items = PackageTestData.Hechi.Items;
        var buffer = new byte[1024 * 1024];
        var evidence = new List<EvidenceEntry>();
        for (var i = 0; i < Files; i++)
        {
            var path = Path.Combine(folder, $"evidence-{i:00}.pdf");
            var random = new Random(i);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                for (var written = 0; written < FileBytes; written += buffer.Length)
                {
                    random.NextBytes(buffer);
                    hash.AppendData(buffer);
                    file.Write(buffer);
                }
            }
            var item = items[i % items.Count].No;
            evidence.Add(new EvidenceEntry(item, $"佐证材料{i:00}.pdf", contentType, FileBytes, Convert.ToHexStringLower(hash.GetHashAndReset()),
                null, $"第{item}项佐证材料（{i:00}）", () => File.OpenRead(path)));
        }
        return evidence;
    }

    private async Task Benchmark(string folder, PackageInput input, Run stored)
    {
        var deflatePath = Path.Combine(data.Folder, "package-deflate.zip");
        var deflate = await Measure(input with { Evidence = input.Evidence.Select(e => e with { ContentType = "application/octet-stream" }).ToList() }, deflatePath);
        File.Delete(deflatePath);

        var lines = new List<string>
        {
            $"machine: {Environment.ProcessorCount} CPUs, {Mb(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} MB memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            "| run | time (s) | peak memory |",
            "|---|---:|---:|",
            $"| PackageBuilder, evidence stored (PDF) | {stored.Seconds:0.00} | +{Mb(stored.Growth)} MB over {Mb(stored.Before)} MB |",
            $"| PackageBuilder, evidence deflated (octet-stream) | {deflate.Seconds:0.00} | +{Mb(deflate.Growth)} MB over {Mb(deflate.Before)} MB |",
        };
        foreach (var (label, args) in new[] { ("zip -r (deflate, level 6)", "-r -q"), ("zip -r -0 (store)", "-r -q -0") })
        {
            var target = Path.Combine(data.Folder, "zip-r.zip");
            var time = File.Exists("/usr/bin/time");
            var command = $"{args} {target} .";
            var watch = Stopwatch.StartNew();
            var result = time
                ? await ProcessRunner.RunAsync("/usr/bin/time", ["-f", "%M", "zip", .. command.Split(' ')], workingDirectory: folder, timeout: TimeSpan.FromMinutes(10))
                : await ProcessRunner.RunAsync("zip", command.Split(' '), workingDirectory: folder, timeout: TimeSpan.FromMinutes(10));
            watch.Stop();
            var rss = time ? $"{long.Parse(result.StdErr.Trim().Split('\n')[^1], CultureInfo.InvariantCulture) / 1024} MB (max RSS)" : "n/a";
            lines.Add($"| {label} | {watch.Elapsed.TotalSeconds:0.00} | {rss} |");
            File.Delete(target);
        }
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
    }

    private static long Mb(long bytes) => bytes / 1024 / 1024;
}
