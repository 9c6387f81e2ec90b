namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>Result of a finished external command.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs external programs for the test server fixtures.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        bool throwOnError = true)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Could not start '{fileName}': {e.Message}", e);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            throw new TimeoutException($"'{Describe(fileName, psi.ArgumentList)}' did not finish within {timeout ?? TimeSpan.FromSeconds(60)}.");
        }

        var result = new ProcessResult(process.ExitCode, await stdout, await stderr);
        if (throwOnError && result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Describe(fileName, psi.ArgumentList)}' exited with code {result.ExitCode}.\nstdout:\n{result.StdOut}\nstderr:\n{result.StdErr}");
        }
        return result;
    }

    public static string Describe(string fileName, IEnumerable<string> arguments) =>
        fileName + " " + string.Join(' ', arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));

    /// <summary>First existing path among the candidates, else the bare name (resolved through PATH).</summary>
    public static string Locate(string name, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists) ?? name;
}
