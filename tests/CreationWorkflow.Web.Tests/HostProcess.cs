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

    /// <summary>Runs a command of the host (e.g. <c>create-admin NAME</c>) to its end, with <paramref name="stdin"/> as its input.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCommandAsync(
        string seedPath, string dataPath, IReadOnlyList<string> args, string? stdin, TimeSpan timeout, params (string Name, string Value)[] settings)
    {
        var start = Info(seedPath, dataPath);
        start.ArgumentList.Clear();
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.RedirectStandardInput = true;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }
        process.StandardInput.Close();
        await WaitForExitAsync(process, timeout, string.Join(' ', args), stdout);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Waits for the process to exit; kills it and throws when it does not within <paramref name="timeout"/>.</summary>
    private static async Task WaitForExitAsync(Process process, TimeSpan timeout, string what, Task<string> stdout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not exit within {timeout}: {await stdout}");
        }
    }

    /// <summary>Polls <paramref name="url"/>/account/login until the started host answers (240 s at most).</summary>
    public static async Task WaitUntilReadyAsync(Process host, string url)
    {
        using var http = new HttpClient();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(host.HasExited, "the host exited during start-up");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(240), "the host did not start");
            try
            {
                if ((await http.GetAsync($"{url}/account/login")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
    }

    public static async Task<(int ExitCode, string Stderr)> RunUntilExitAsync(string seedPath, string dataPath, TimeSpan timeout, string? workflowsPath = null)
    {
        var start = Info(seedPath, dataPath, workflowsPath);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await WaitForExitAsync(process, timeout, "host", stdout);
        return (process.ExitCode, await stderr + await stdout);
    }
}
