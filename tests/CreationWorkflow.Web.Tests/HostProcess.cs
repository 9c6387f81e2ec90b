using System.Diagnostics;

namespace CreationWorkflow.Web.Tests;

/// <summary>Starts the built CreationWorkflow.Web as its own process, on a free loopback port.</summary>
public static class HostProcess
{
    /// <summary>Starts the host and leaves it running (output discarded); the caller kills it.</summary>
    public static Process Start(string seedPath, string dataPath, params (string Name, string Value)[] settings) =>
        StartOn("http://127.0.0.1:0", seedPath, dataPath, settings);

    /// <summary>As <see cref="Start"/>, listening on the given URL.</summary>
    public static Process StartOn(string url, string seedPath, string dataPath, params (string Name, string Value)[] settings)
    {
        var start = Info(seedPath, dataPath);
        start.ArgumentList[2] = url;
        start.RedirectStandardOutput = false;
        start.RedirectStandardError = false;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    private static ProcessStartInfo Info(string seedPath, string dataPath, string? workflowsPath = null)
    {
        var dll = typeof(Program).Assembly.Location;
        return new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            Environment =
            {
                ["CreationWorkflow__SeedPath"] = seedPath,
                ["CreationWorkflow__DataPath"] = dataPath,
                ["CreationWorkflow__WorkflowsPath"] = workflowsPath ?? Path.Combine(AppFactory.RepoRoot, "workflows"),
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            },
        };
    }

    public static async Task<(int ExitCode, string Stderr)> RunUntilExitAsync(string seedPath, string dataPath, TimeSpan timeout, string? workflowsPath = null)
    {
        var start = Info(seedPath, dataPath, workflowsPath);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"host did not exit within {timeout}: {await stdout}");
        }
        return (process.ExitCode, await stderr + await stdout);
    }
}
