using System.Collections.Concurrent;

namespace CreationWorkflow.Web.Operations;

/// <summary>
/// One acceptance-package build per campaign at a time. In this process a second request is refused at once (409,
/// zh-CN); another instance writing the same package holds its <c>.zip.part</c> exclusively, which refuses it too.
/// A crash leaves a <c>.part</c> behind: start-up removes them.
/// </summary>
public static class PackageBuilds
{
    public const string Busy = "该创建活动的验收申请材料正在生成，请稍候再试。";

    private static readonly ConcurrentDictionary<Guid, object> Running = new();

    /// <summary>The build's claim; dispose to release. Throws a 409 <see cref="DomainException"/> when one runs.</summary>
    public static IDisposable Begin(Guid campaignId)
    {
        var token = new object();
        if (!Running.TryAdd(campaignId, token))
        {
            throw new DomainException("package", Busy, ErrorKind.Conflict);
        }
        return new Claim(campaignId, token);
    }

    /// <summary>Opens the partial file exclusively; another process writing it makes this a 409.</summary>
    public static FileStream OpenPart(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        }
        catch (IOException)
        {
            throw new DomainException("package", Busy, ErrorKind.Conflict);
        }
    }

    /// <summary>Deletes partial packages a crashed build left in the data folder.</summary>
    public static void RemoveLeftovers(string dataPath, ILogger log)
    {
        var folder = Path.Combine(dataPath, "packages");
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (var part in Directory.EnumerateFiles(folder, "*.part", SearchOption.AllDirectories))
        {
            File.Delete(part);
            log.LogWarning("Removed the partial package {Path} left by an interrupted build", part);
        }
    }

    private sealed class Claim(Guid campaignId, object token) : IDisposable
    {
        public void Dispose() => Running.TryRemove(new KeyValuePair<Guid, object>(campaignId, token));
    }
}
