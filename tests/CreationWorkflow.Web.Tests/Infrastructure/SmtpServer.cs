namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>One message received by <see cref="SmtpServer"/>.</summary>
/// <param name="FileName">Path of the saved .eml file.</param>
/// <param name="Raw">The message exactly as sent in the DATA phase (headers + body; parse with MimeKit if needed).</param>
/// <param name="MailFrom">SMTP envelope sender (MAIL FROM).</param>
/// <param name="Recipients">SMTP envelope recipients (RCPT TO), including Bcc recipients.</param>
public sealed record ReceivedMessage(string FileName, byte[] Raw, string MailFrom, IReadOnlyList<string> Recipients)
{
    /// <summary>The SMTP session (connection) that delivered it: messages sent over one connection share it.</summary>
    public string? SessionId { get; init; }

    /// <summary><see cref="Raw"/> decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Raw);
}

/// <summary>
/// A real SMTP server for tests: Debian's aiosmtpd (<c>python3 -m aiosmtpd</c>) on a free port of 127.0.0.1, with a
/// small handler that saves each message as an .eml file (plus a .json with the envelope) in a temp inbox.
/// Can be stopped and started again on the same port (SMTP outage tests). No authentication, no TLS.
/// Counts SMTP sessions (<see cref="SessionCount"/>) and tags each message with its session, so a test can tell how
/// many connections a sender used; can refuse chosen recipients (<see cref="RejectRecipientPrefix"/>).
/// </summary>
/// <remarks>
/// Needs the Debian package <c>python3-aiosmtpd</c> (<c>.ci/install-test-deps.sh</c> installs it). Runs
/// /usr/bin/python3 (the interpreter apt's packages belong to, even when pyenv or a venv is first on PATH);
/// override with <c>CW_TEST_PYTHON</c>. The Python process exits by itself (and deletes the temp directory) when
/// the test process dies. Use <c>await SmtpServer.StartNewAsync()</c> in a test, or as an xunit class fixture.
/// </remarks>
public sealed class SmtpServer : IAsyncLifetime, IDisposable
{
    private const string HandlerModule = "cw_smtp_handler";

    private const string HandlerSource = """
        # Written by CreationWorkflow.Web.Tests.Infrastructure.SmtpServer.
        import json, os, shutil, sys, threading, time, uuid

        class SaveToDirectory:
            def __init__(self, inbox, parent_pid=0, root=""):
                self.inbox = inbox
                self.sessions = os.path.join(os.path.dirname(inbox), "sessions")
                self.reject_prefix = os.environ.get("CW_SMTP_REJECT_PREFIX", "")
                os.makedirs(inbox, exist_ok=True)
                os.makedirs(self.sessions, exist_ok=True)
                if parent_pid and os.getppid() == parent_pid:
                    threading.Thread(target=self._exit_with_parent, args=(parent_pid, root), daemon=True).start()

            @classmethod
            def from_cli(cls, parser, *args):
                if not 1 <= len(args) <= 3:
                    parser.error("arguments: INBOX_DIR [PARENT_PID [ROOT_DIR_TO_DELETE_ON_PARENT_EXIT]]")
                return cls(args[0], int(args[1]) if len(args) > 1 else 0, args[2] if len(args) > 2 else "")

            @staticmethod
            def _exit_with_parent(parent_pid, root):
                while os.getppid() == parent_pid:
                    time.sleep(0.5)
                if root:
                    shutil.rmtree(root, ignore_errors=True)
                os._exit(0)

            def _session_id(self, session):
                # One id per connection, recorded as a file when the client first greets (EHLO/HELO).
                sid = getattr(session, "cw_session_id", None)
                if sid is None:
                    sid = "%020d-%s" % (time.time_ns(), uuid.uuid4().hex[:8])
                    session.cw_session_id = sid
                    with open(os.path.join(self.sessions, sid + ".tmp"), "w") as f:
                        f.write(str(session.peer))
                    os.replace(os.path.join(self.sessions, sid + ".tmp"), os.path.join(self.sessions, sid + ".session"))
                return sid

            async def handle_EHLO(self, server, session, envelope, hostname, responses):
                session.host_name = hostname
                self._session_id(session)
                return responses

            async def handle_HELO(self, server, session, envelope, hostname):
                session.host_name = hostname
                self._session_id(session)
                return "250 %s" % server.hostname

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                local = address.split("@", 1)[0].lower()
                if self.reject_prefix and local.startswith(self.reject_prefix.lower()):
                    return "550 5.1.1 <%s>: Recipient address rejected" % address
                envelope.rcpt_tos.append(address)
                envelope.rcpt_options.extend(rcpt_options)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                raw = envelope.original_content if envelope.original_content is not None else envelope.content
                if isinstance(raw, str):
                    raw = raw.encode("utf-8", "surrogateescape")
                name = "%020d-%s" % (time.time_ns(), uuid.uuid4().hex[:8])
                base = os.path.join(self.inbox, name)
                with open(base + ".json.tmp", "w", encoding="utf-8") as f:
                    json.dump({"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos),
                               "session": self._session_id(session)}, f)
                with open(base + ".eml.tmp", "wb") as f:
                    f.write(raw)
                # Renames are atomic; the .eml appears last, so a visible .eml always has its .json.
                os.replace(base + ".json.tmp", base + ".json")
                os.replace(base + ".eml.tmp", base + ".eml")
                return "250 Message accepted for delivery"
        """;

    private readonly object _logLock = new();
    private readonly StringBuilder _log = new();
    private readonly SemaphoreSlim _lock = new(1, 1);
    private Process? _process;
    private bool _disposed;

    public SmtpServer()
    {
        RootDirectory = Path.Combine(Path.GetTempPath(), "cw-smtp-" + Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>Starts a new server (on a free port) and returns it.</summary>
    public static async Task<SmtpServer> StartNewAsync()
    {
        var server = new SmtpServer();
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public string Host => "127.0.0.1";

    /// <summary>TCP port; chosen at the first start and kept for later restarts (0 before the first start).</summary>
    public int Port { get; private set; }

    public string RootDirectory { get; }

    /// <summary>Where messages are saved (NNN-xxxx.eml + NNN-xxxx.json per message; names sort by arrival).</summary>
    public string InboxDirectory => Path.Combine(RootDirectory, "inbox");

    /// <summary>One file per SMTP session (connection that greeted with EHLO/HELO).</summary>
    public string SessionsDirectory => Path.Combine(RootDirectory, "sessions");

    /// <summary>
    /// RCPT TO addresses whose local part starts with this (case-insensitive) are refused with 550; null: none.
    /// Takes effect at the next <see cref="StartAsync"/>.
    /// </summary>
    public string? RejectRecipientPrefix { get; set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Wall-clock time of the last <see cref="StartAsync"/> (process start until the port accepts connections).</summary>
    public TimeSpan LastStartupTime { get; private set; }

    /// <summary>stdout/stderr of the Python process(es) so far (for diagnostics).</summary>
    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.Run(Dispose);

    /// <summary>
    /// Starts the server and waits until it accepts connections. The first call picks a free port; later calls
    /// (after <see cref="StopAsync"/>) reuse the same port. No-op when already running.
    /// </summary>
    public async Task StartAsync()
    {
        await _lock.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                return;
            }
            if (_process is not null)
            {
                _process.Dispose();
                _process = null;
            }
            Directory.CreateDirectory(InboxDirectory);
            await File.WriteAllTextAsync(Path.Combine(RootDirectory, HandlerModule + ".py"), HandlerSource);

            var firstStart = Port == 0;
            for (var attempt = 1; ; attempt++)
            {
                var port = firstStart ? FreePort.Get() : Port;
                var clock = Stopwatch.StartNew();
                var error = await TryStartAsync(port);
                if (error is null)
                {
                    Port = port;
                    LastStartupTime = clock.Elapsed;
                    return;
                }
                var lostPortRace = error.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
                    || error.Contains("Errno 98", StringComparison.Ordinal);
                if (firstStart && lostPortRace && attempt < 3)
                {
                    continue;
                }
                if (error.Contains("No module named aiosmtpd", StringComparison.Ordinal)
                    || error.Contains("No module named 'aiosmtpd'", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"aiosmtpd is not installed for {PythonPath()}. The SMTP tests need the Debian package " +
                        "'python3-aiosmtpd': run `.ci/install-test-deps.sh` (as root) from the repository root " +
                        "(or point CW_TEST_PYTHON at a Python that has aiosmtpd).\n" + error);
                }
                throw new InvalidOperationException($"SMTP server did not start on {Host}:{port}.\n{error}");
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Kills the server process; the port then refuses connections until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        await _lock.WaitAsync();
        try
        {
            await Task.Run(Kill);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>All messages received so far (by any run of the server), oldest first.</summary>
    public IReadOnlyList<ReceivedMessage> ReceivedMessages()
    {
        if (!Directory.Exists(InboxDirectory))
        {
            return [];
        }
        var result = new List<ReceivedMessage>();
        foreach (var eml in Directory.GetFiles(InboxDirectory, "*.eml").Order(StringComparer.Ordinal))
        {
            var raw = File.ReadAllBytes(eml);
            var from = "";
            IReadOnlyList<string> to = [];
            string? session = null;
            var json = Path.ChangeExtension(eml, ".json");
            if (File.Exists(json))
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
                from = doc.RootElement.GetProperty("mail_from").GetString() ?? "";
                to = [.. doc.RootElement.GetProperty("rcpt_tos").EnumerateArray().Select(e => e.GetString() ?? "")];
                session = doc.RootElement.TryGetProperty("session", out var s) ? s.GetString() : null;
            }
            result.Add(new ReceivedMessage(eml, raw, from, to) { SessionId = session });
        }
        return result;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived; returns all of them.</summary>
    /// <exception cref="TimeoutException">Fewer messages arrived within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var messages = ReceivedMessages();
            if (messages.Count >= count)
            {
                return messages;
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"Expected {count} message(s) at {Host}:{Port} within {timeout}, got {messages.Count}. " +
                    $"Server running: {IsRunning}. Server output:\n{Log}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>SMTP sessions (connections that greeted with EHLO/HELO) so far, by any run of the server, since the last <see cref="ClearInbox"/>.</summary>
    public int SessionCount() =>
        Directory.Exists(SessionsDirectory) ? Directory.GetFiles(SessionsDirectory, "*.session").Length : 0;

    /// <summary>Deletes all received messages and the session count.</summary>
    public void ClearInbox()
    {
        if (Directory.Exists(SessionsDirectory))
        {
            foreach (var file in Directory.GetFiles(SessionsDirectory))
            {
                File.Delete(file);
            }
        }
        if (!Directory.Exists(InboxDirectory))
        {
            return;
        }
        foreach (var file in Directory.GetFiles(InboxDirectory))
        {
            File.Delete(file);
        }
    }

    /// <summary>Kills the server process and deletes the temp directory.</summary>
    public void Dispose()
    {
        _lock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            Kill();
            for (var attempt = 0; attempt < 5 && Directory.Exists(RootDirectory); attempt++)
            {
                try
                {
                    Directory.Delete(RootDirectory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Thread.Sleep(100);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    // ----------------------------------------------------------------

    private static string PythonPath()
    {
        var overridden = Environment.GetEnvironmentVariable("CW_TEST_PYTHON");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }
        return File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    }

    /// <summary>Starts the process; null when it listens, else the reason it failed.</summary>
    private async Task<string?> TryStartAsync(int port)
    {
        var psi = new ProcessStartInfo(PythonPath())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RootDirectory,
        };
        foreach (var arg in new[]
                 {
                     "-u", "-m", "aiosmtpd", "-n", "-l", $"{Host}:{port.ToString(CultureInfo.InvariantCulture)}",
                     "-c", $"{HandlerModule}.SaveToDirectory",
                     InboxDirectory, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), RootDirectory,
                 })
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["PYTHONPATH"] = RootDirectory;
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment["PYTHONHOME"] = null;
        psi.Environment["PYTHONNOUSERSITE"] = "1";
        psi.Environment["CW_SMTP_REJECT_PREFIX"] = RejectRecipientPrefix ?? "";

        // The port was free before the start, so whoever listens on it afterwards is our process.
        if (await FreePort.IsListeningAsync(port))
        {
            return $"Address already in use: something else listens on {Host}:{port}.";
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        var logStart = Log.Length;
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            process.Dispose();
            return $"Could not run {psi.FileName}: {e.Message}";
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // flush the output events
                _process = null;
                var exitCode = process.ExitCode;
                process.Dispose();
                return $"{psi.FileName} exited with code {exitCode}:\n{Log[logStart..]}";
            }
            if (await FreePort.IsListeningAsync(port))
            {
                return null;
            }
            await Task.Delay(25);
        }
        Kill();
        return $"Timed out waiting for {Host}:{port} to accept connections.\n{Log[logStart..]}";
    }

    private void Kill()
    {
        if (_process is not { } process)
        {
            return;
        }
        _process = null;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        process.WaitForExit(10_000);
        process.Dispose();
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            _log.AppendLine(line);
        }
    }
}
