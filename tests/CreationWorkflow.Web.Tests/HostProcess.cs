using System.Diagnostics;

namespace CreationWorkflow.Web.Tests;

/// <summary>Starts the built CreationWorkflow.Web as its own process, on a free loopback port.</summary>
public static class HostProcess
{
    public static async Task<(int ExitCode, string Stderr)> RunUntilExitAsync(string seedPath, string dataPath, TimeSpan timeout)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            Environment =
            {
                ["CreationWorkflow__SeedPath"] = seedPath,
                ["CreationWorkflow__DataPath"] = dataPath,
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            },
        };
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
