using System.Buffers;
using System.IO.Compression;
using System.Text.Encodings.Web;

namespace CreationWorkflow.Web.Acceptance;

/// <summary>What manifest.json lists: every other file of the package with its size and SHA-256.</summary>
public sealed record PackageManifest(
    string Format,
    string ProgrammeId,
    string Programme,
    string? Document,
    string ProgrammeVersion,
    string Applicant,
    string Addressee,
    DateOnly Date,
    ManifestScore Score,
    IReadOnlyList<ManifestFile> Files);

public sealed record ManifestScore(decimal BaseMax, decimal Base, decimal Bonus, decimal Penalty, decimal Total);

public sealed record ManifestFile(string Path, long Size, string Sha256);

/// <summary>
/// Writes the acceptance package for 国家民委 as one ZIP:
/// <list type="number">
/// <item>01-验收申请.docx, 02-自评报告.docx, 03-测评指标得分表.xlsx, 04-佐证材料目录.xlsx;</item>
/// <item>the evidence under 证据材料/{目标}/{指标}/第{n}项/, in the order of 附件2;</item>
/// <item>manifest.json last, with the size and SHA-256 of every other entry, hashed as it was written.</item>
/// </list>
/// <para>
/// Streaming: the ZIP is written on its own thread into a small pipe (about 1 MB) that is copied asynchronously to
/// <c>output</c>, so it works on a non-seekable stream that refuses synchronous writes (an HTTP response), and
/// evidence goes file → ZIP → output one buffer at a time: memory does not grow with the evidence.
/// </para>
/// <para>
/// Reproducible: the input is validated and laid out before the first byte; entries come in a fixed order, all
/// stamped with the application date, and the documents carry no clock time or random id — the same inputs give
/// the same bytes (on the same runtime: the deflate output is the runtime's).
/// </para>
/// </summary>
public static class PackageBuilder
{
    public const string ManifestName = "manifest.json";
    public const string Format = "creationworkflow-acceptance-package/1";

    private const int PipeBytes = 1024 * 1024;
    private const int CopyBuffer = 128 * 1024;

    /// <summary>Types whose content is compressed already: stored as they are, which costs no CPU and loses nothing.</summary>
    private static readonly HashSet<string> Precompressed = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "application/zip",
        "application/x-7z-compressed", "application/x-rar-compressed", "application/gzip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Validates <paramref name="input"/> (a <see cref="DomainException"/> before anything is written), then streams
    /// the package to <paramref name="output"/> and returns its manifest. Evidence whose bytes no longer match the
    /// recorded size and SHA-256 stops the package with a <see cref="DomainException"/> mid-stream.
    /// </summary>
    public static async Task<PackageManifest> WriteAsync(PackageInput input, Stream output, CancellationToken ct = default)
    {
        var outline = PackageOutline.Build(input);
        IReadOnlyList<(string Name, byte[] Bytes)> documents =
        [
            (PackageDocuments.Letter, PackageDocuments.BuildLetter(outline)),
            (PackageDocuments.Report, PackageDocuments.BuildReport(outline)),
            (PackageDocuments.ScoreTable, PackageDocuments.BuildScoreTable(outline)),
            (PackageDocuments.EvidenceIndex, PackageDocuments.BuildEvidenceIndex(outline)),
        ];

        return await OutputPipe.RunAsync(output, (stream, token) => Produce(outline, documents, stream, token), PipeBytes, ct);
    }

    /// <summary>The ZIP itself, written synchronously into the pipe (its writer blocks while the pipe is full).</summary>
    private static PackageManifest Produce(PackageOutline outline, IReadOnlyList<(string Name, byte[] Bytes)> documents, Stream stream, CancellationToken ct)
    {
        var stamp = OfficeFiles.Stamp(outline.Application.Date);
        var files = new List<ManifestFile>();
        PackageManifest manifest;
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
        {
            foreach (var (name, bytes) in documents)
            {
                files.Add(WriteEntry(zip, name, CompressionLevel.Optimal, stamp, to => to.Write(bytes)));
            }
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBuffer);
            try
            {
                foreach (var placed in outline.Evidence)
                {
                    ct.ThrowIfCancellationRequested();
                    var e = placed.Entry;
                    var level = Precompressed.Contains(e.ContentType) ? CompressionLevel.NoCompression : CompressionLevel.Optimal;
                    var file = WriteEntry(zip, placed.Path, level, stamp, to =>
                    {
                        using var from = e.Open();
                        int read;
                        while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
                        {
                            ct.ThrowIfCancellationRequested();
                            to.Write(buffer, 0, read);
                        }
                    });
                    if (file.Size != e.Size || !file.Sha256.Equals(e.Sha256, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new DomainException("evidence",
                            $"佐证材料「{e.FileName}」（{placed.Path}）与登记时不一致：登记 {e.Size} 字节、SHA-256 {e.Sha256}，" +
                            $"现为 {file.Size} 字节、SHA-256 {file.Sha256}。", ErrorKind.Conflict);
                    }
                    files.Add(file);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var programme = outline.Programme;
            var s = outline.Score;
            var app = outline.Application;
            manifest = new PackageManifest(Format, programme.Id, programme.Header.Title, programme.Header.Document.Number, programme.ContentHash,
                app.Applicant, app.Addressee, app.Date, new ManifestScore(s.BaseMax, s.Base, s.Bonus, s.Penalty, s.Total), files);
            var json = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
            WriteEntry(zip, ManifestName, CompressionLevel.Optimal, stamp, to => to.Write(json));
        }
        return manifest;
    }

    private static ManifestFile WriteEntry(ZipArchive zip, string path, CompressionLevel level, DateTimeOffset stamp, Action<Stream> write)
    {
        var entry = zip.CreateEntry(path, level);
        entry.LastWriteTime = stamp;
        using var hashing = new HashingStream(entry.Open());
        write(hashing);
        return new ManifestFile(path, hashing.Length, hashing.Sha256());
    }

    /// <summary>Write-only pass-through that hashes and counts what goes by.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long written;

        public string Sha256() => Convert.ToHexStringLower(hash.GetHashAndReset());

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => written;

        public override long Position
        {
            get => written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
            written += buffer.Length;
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
