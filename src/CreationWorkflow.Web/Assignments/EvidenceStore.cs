using CreationWorkflow.Core;

namespace CreationWorkflow.Web.Assignments;

/// <summary>Upload limits ("CreationWorkflow:Uploads").</summary>
public sealed class UploadOptions
{
    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;
    public int MaxFilesPerReport { get; set; } = 10;
}

public sealed record StoredFile(string FileName, string StoredName, string ContentType, long Size, string Sha256);

/// <summary>
/// Evidence files: bounded in size, sniffed against their declared type, stored under a server-chosen name in the
/// data folder (outside the web root) and only ever served back as a download.
/// </summary>
public sealed class EvidenceStore(IOptions<AppOptions> app, IOptions<UploadOptions> limits, IWebHostEnvironment env)
{
    /// <summary>What we accept: declared type → how its first bytes look.</summary>
    private static readonly Dictionary<string, (string Name, string[] Extensions, byte[][] Magic)> Accepted = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/pdf"] = ("PDF", [".pdf"], [[0x25, 0x50, 0x44, 0x46]]),
        ["image/jpeg"] = ("JPEG", [".jpg", ".jpeg"], [[0xFF, 0xD8, 0xFF]]),
        ["image/png"] = ("PNG", [".png"], [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]]),
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ("DOCX", [".docx"], [[0x50, 0x4B, 0x03, 0x04]]),
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ("XLSX", [".xlsx"], [[0x50, 0x4B, 0x03, 0x04]]),
        ["application/msword"] = ("DOC", [".doc"], [[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]]),
        ["application/vnd.ms-excel"] = ("XLS", [".xls"], [[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]]),
    };

    /// <summary>Characters no evidence file name may hold: path separators and what Windows reserves (the file is downloaded there).</summary>
    private static readonly char[] Reserved = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

    public long MaxFileBytes => limits.Value.MaxFileBytes;

    public string Folder => Path.Combine(app.Value.ResolveDataPath(env.ContentRootPath), "evidence");

    /// <summary>Checks every file before any is stored; a refusal names the file and the reason.</summary>
    public void Validate(IReadOnlyList<IFormFile> files)
    {
        if (files.Count > limits.Value.MaxFilesPerReport)
        {
            throw new DomainException("files", $"一次最多上传{limits.Value.MaxFilesPerReport}个文件。");
        }
        foreach (var file in files)
        {
            var name = file.FileName;
            if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Reserved) >= 0 || name.Contains("..", StringComparison.Ordinal) || name.Any(char.IsControl) || name.Length > 200)
            {
                // Refused, not silently cleaned: the user learns which file and why. Control characters are shown as �.
                throw new DomainException("files", $"文件名「{Shown(name)}」不合规：不得包含路径（/、\\、..）、盘符、控制字符或 :*?\"<>| 等特殊字符，且不超过200个字符。");
            }
            if (file.Length == 0)
            {
                throw new DomainException("files", $"文件「{name}」为空。");
            }
            if (file.Length > MaxFileBytes)
            {
                throw new DomainException("files", $"文件「{name}」超过大小上限（{Display.Limit(MaxFileBytes)}），已拒收。", ErrorKind.TooLarge);
            }
            if (!Accepted.TryGetValue(file.ContentType ?? "", out var kind))
            {
                throw new DomainException("files", $"文件「{name}」的类型（{file.ContentType}）不受支持：仅接受 PDF、图片（JPEG/PNG）和 Word/Excel 文档。");
            }
            if (!kind.Extensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase))
            {
                throw new DomainException("files", $"文件「{name}」的扩展名与声明的类型（{kind.Name}）不符，已拒收：{kind.Name}文件的扩展名应为{string.Join("或", kind.Extensions)}。");
            }
            var head = new byte[8];
            using var stream = file.OpenReadStream();
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (!kind.Magic.Any(m => read >= m.Length && head.AsSpan(0, m.Length).SequenceEqual(m)))
            {
                throw new DomainException("files", $"文件「{name}」的内容与声明的类型（{kind.Name}）不符，已拒收。");
            }
        }
    }

    /// <summary>A name as a message shows it: control characters as �, at most 60 characters.</summary>
    private static string Shown(string name)
    {
        var shown = new string([.. name.Select(c => char.IsControl(c) ? '\uFFFD' : c)]);
        return shown.Length > 60 ? shown[..60] + "…" : shown;
    }

    public async Task<StoredFile> SaveAsync(IFormFile file, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var stored = $"{Guid.NewGuid():N}.bin";
        var path = Path.Combine(Folder, stored);
        using var sha = SHA256.Create();
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        await using (var hashing = new CryptoStream(target, sha, CryptoStreamMode.Write))
        {
            await file.CopyToAsync(hashing, ct);
        }
        return new StoredFile(file.FileName, stored, file.ContentType, file.Length, Convert.ToHexStringLower(sha.Hash!));
    }

    /// <summary>
    /// Saves <paramref name="uploads"/> and runs the change that records them. Nothing half-stored: when saving or the
    /// change fails (a refusal, a conflict), the files saved so far go with it.
    /// </summary>
    public async Task<T> KeepingAsync<T>(IEnumerable<IFormFile> uploads, Func<IReadOnlyList<StoredFile>, Task<T>> change, CancellationToken ct)
    {
        var stored = new List<StoredFile>();
        try
        {
            foreach (var file in uploads)
            {
                stored.Add(await SaveAsync(file, ct));
            }
            return await change(stored);
        }
        catch
        {
            stored.ForEach(f => Delete(f.StoredName));
            throw;
        }
    }

    /// <summary>The headers every evidence download carries: never sniffed, never run (a sandboxing CSP).</summary>
    public static void AsDownload(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
    }

    /// <summary>A stored file as a page sends it: always an attachment under its original name (<see cref="AsDownload"/>).</summary>
    public FileStreamResult Download(PageModel page, string storedName, string fileName)
    {
        AsDownload(page.Response);
        return page.File(Open(storedName), "application/octet-stream", fileName);
    }

    public Stream Open(string storedName) => File.OpenRead(Path.Combine(Folder, Path.GetFileName(storedName)));

    public void Delete(string storedName) => File.Delete(Path.Combine(Folder, Path.GetFileName(storedName)));
}
