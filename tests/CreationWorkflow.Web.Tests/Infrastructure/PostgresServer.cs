namespace CreationWorkflow.Web.Tests.Infrastructure;

/// <summary>
/// A real, throw-away PostgreSQL server for tests: <c>initdb</c> into a temp directory, <c>postgres</c> on a free
/// port of 127.0.0.1 (fsync off), one login role with a password and one database for it. Stopped and deleted on
/// dispose. Use as an xunit collection fixture (<see cref="PostgresCollection"/>) so all test classes share one
/// server, and give each test its own database with <see cref="CreateDatabaseAsync(string)"/>.
/// </summary>
/// <remarks>
/// Needs the Debian <c>postgresql</c> package (binaries under /usr/lib/postgresql/*/bin; override with the
/// <c>CW_TEST_PG_BIN</c> environment variable); <c>.ci/install-test-deps.sh</c> installs it. PostgreSQL refuses to
/// run as root, so when the test process is root every server program is run as the <c>postgres</c> OS user via
/// <c>runuser</c>, and the temp directory is created under /tmp and chowned to that user.
/// A watchdog shell process stops the server and deletes the directory if the test process dies without disposing.
/// </remarks>
public sealed partial class PostgresServer : IAsyncLifetime, IDisposable
{
    /// <summary>Bootstrap superuser (trust authentication over the unix socket only).</summary>
    public const string SuperUser = "postgres";

    private const string DirectoryPrefix = "cw-pg-";
    private const string OwnerPidFile = "owner.pid";
    private static readonly bool RunAsPostgresUser = Environment.IsPrivilegedProcess;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private Process? _watchdog;
    private bool _started;
    private bool _disposed;

    public PostgresServer()
    {
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    public string Host => "127.0.0.1";

    /// <summary>TCP port (valid after <see cref="InitializeAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Login role (non-superuser, CREATEDB) that owns <see cref="Database"/> and the created databases.</summary>
    public string Username { get; } = "cw_test";

    public string Password { get; }

    /// <summary>The database created at start-up.</summary>
    public string Database { get; } = "cw_test";

    /// <summary>Npgsql connection string for <see cref="Database"/>.</summary>
    public string ConnectionString => ConnectionStringFor(Database);

    /// <summary>Directory holding the server programs (initdb, postgres, pg_ctl, psql...).</summary>
    public string BinDirectory { get; private set; } = "";

    /// <summary>Temp directory holding data/, sock/ and postgres.log (deleted on dispose).</summary>
    public string RootDirectory { get; private set; } = "";

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public string SocketDirectory => Path.Combine(RootDirectory, "sock");

    public string LogFile => Path.Combine(RootDirectory, "postgres.log");

    /// <summary>Wall-clock time <see cref="InitializeAsync"/> took (initdb + start + role/database creation).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Npgsql connection string for any database on this server, as <see cref="Username"/>.</summary>
    public string ConnectionStringFor(string database) =>
        $"Host={Host};Port={Port.ToString(CultureInfo.InvariantCulture)};Database={database};Username={Username};Password={Password}";

    /// <summary>
    /// Creates (dropping first if it exists) an empty database owned by <see cref="Username"/> and returns its
    /// connection string. Names: letters, digits, underscore; max 63 characters; case-sensitive (always quoted).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        ValidateName(name);
        EnsureStarted();
        await SuperuserSqlAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await SuperuserSqlAsync($"CREATE DATABASE \"{name}\" OWNER \"{Username}\"");
        return ConnectionStringFor(name);
    }

    /// <summary>Creates a database with a unique generated name (see <see cref="CreateDatabaseAsync(string)"/>).</summary>
    public Task<string> CreateDatabaseAsync() => CreateDatabaseAsync("t_" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>Drops a database (terminating its connections), if it exists.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        ValidateName(name);
        EnsureStarted();
        await SuperuserSqlAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>
    /// Runs SQL with <c>psql</c> over TCP as <see cref="Username"/> (password authentication), in
    /// <paramref name="database"/> (default <see cref="Database"/>); fails on the first error. Returns the
    /// unaligned, tuples-only output (columns separated by '|', rows by '\n'), trimmed.
    /// </summary>
    public async Task<string> PsqlAsync(string sql, string? database = null)
    {
        EnsureStarted();
        var result = await ProcessRunner.RunAsync(
            Path.Combine(BinDirectory, "psql"),
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Username, "-d", database ?? Database,
             "-c", sql],
            workingDirectory: RootDirectory,
            environment: ClientEnvironment(Password));
        return result.StdOut.Trim();
    }

    /// <summary>The server log so far (for diagnostics).</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async Task InitializeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                return;
            }
            var clock = Stopwatch.StartNew();
            BinDirectory = FindBinDirectory();
            SweepAbandonedServers();
            try
            {
                await CreateDirectoriesAsync();
                await InitDbAsync();
                await StartServerAsync();
                StartWatchdog();
                await SuperuserSqlAsync($"CREATE ROLE \"{Username}\" LOGIN CREATEDB PASSWORD '{Password}'");
                await SuperuserSqlAsync($"CREATE DATABASE \"{Database}\" OWNER \"{Username}\"");
                _started = true;
            }
            catch
            {
                await StopAndDeleteAsync();
                throw;
            }
            StartupTime = clock.Elapsed;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _started = false;
            await StopAndDeleteAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => Task.Run(DisposeAsync).GetAwaiter().GetResult();

    /// <summary>Stops the server (fast shutdown: open sessions are ended), keeping its data and port, to test an outage.</summary>
    public async Task StopServerAsync()
    {
        EnsureStarted();
        await RunServerProgramAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(45));
    }

    /// <summary>Starts the server stopped by <see cref="StopServerAsync"/> again, on the same port.</summary>
    public async Task StartServerAgainAsync()
    {
        EnsureStarted();
        await RunServerProgramAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start"], TimeSpan.FromSeconds(90));
    }

    // ---------------------------------------------------------------- start-up

    private static string FindBinDirectory()
    {
        var overridden = Environment.GetEnvironmentVariable("CW_TEST_PG_BIN");
        if (!string.IsNullOrEmpty(overridden))
        {
            return HasServerPrograms(overridden)
                ? overridden
                : throw new InvalidOperationException(
                    $"CW_TEST_PG_BIN='{overridden}' does not contain initdb, postgres, pg_ctl, pg_isready and psql.");
        }

        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0m))
                .Where(c => HasServerPrograms(c.Dir))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                "PostgreSQL server binaries not found (looked for /usr/lib/postgresql/*/bin/initdb). " +
                "The Postgres-backed tests start their own throw-away server and need the Debian 'postgresql' package: " +
                "run `.ci/install-test-deps.sh` (as root) from the repository root, or point CW_TEST_PG_BIN at a PostgreSQL bin directory.");
        }
        return candidates[0].Dir;
    }

    private static bool HasServerPrograms(string dir) =>
        new[] { "initdb", "postgres", "pg_ctl", "pg_isready", "psql" }.All(p => File.Exists(Path.Combine(dir, p)));

    private async Task CreateDirectoriesAsync()
    {
        // As root the directory must be reachable by the postgres user: /tmp always is ($TMPDIR might not be).
        var parent = RunAsPostgresUser ? "/tmp" : Path.GetTempPath();
        RootDirectory = Path.Combine(parent, DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(RootDirectory);
        Directory.CreateDirectory(SocketDirectory);
        await File.WriteAllTextAsync(Path.Combine(RootDirectory, OwnerPidFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (RunAsPostgresUser)
        {
            await ProcessRunner.RunAsync("chown", ["-R", "postgres:postgres", RootDirectory]);
        }
    }

    private Task InitDbAsync() =>
        RunServerProgramAsync("initdb",
            ["-D", DataDirectory, "-U", SuperUser, "--auth-local=trust", "--auth-host=scram-sha-256",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            TimeSpan.FromSeconds(120));

    private async Task StartServerAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Get();
            // Settings go in an included file so a retry on another port just rewrites it.
            await File.WriteAllLinesAsync(Path.Combine(DataDirectory, "cw_test.conf"),
            [
                $"port = {Port.ToString(CultureInfo.InvariantCulture)}",
                "listen_addresses = '127.0.0.1'",
                $"unix_socket_directories = '{SocketDirectory}'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 200",
                "shared_buffers = 32MB",
                "log_min_messages = warning",
                "log_line_prefix = '%m [%p] %q%u@%d '",
            ]);
            var mainConf = Path.Combine(DataDirectory, "postgresql.conf");
            if (!(await File.ReadAllTextAsync(mainConf)).Contains("include 'cw_test.conf'", StringComparison.Ordinal))
            {
                await File.AppendAllTextAsync(mainConf, "\ninclude 'cw_test.conf'\n");
            }

            var result = await RunServerProgramAsync("pg_ctl",
                ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start"],
                TimeSpan.FromSeconds(90), throwOnError: false);
            if (result.ExitCode == 0)
            {
                break;
            }
            var log = ReadLog();
            if (attempt < 3 && (log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                                || log.Contains("could not create any TCP/IP sockets", StringComparison.OrdinalIgnoreCase)))
            {
                continue; // lost the race for the free port: try another one
            }
            throw new InvalidOperationException(
                $"PostgreSQL did not start (pg_ctl exit code {result.ExitCode}).\n{result.StdOut}\n{result.StdErr}\nserver log ({LogFile}):\n{log}");
        }

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ready = await ProcessRunner.RunAsync(Path.Combine(BinDirectory, "pg_isready"),
                ["-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-t", "5"],
                workingDirectory: RootDirectory, throwOnError: false);
            if (ready.ExitCode == 0)
            {
                return;
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"PostgreSQL on port {Port} is not ready after 30 s: {ready.StdOut}{ready.StdErr}\n{ReadLog()}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Background shell that stops the server and deletes the directory if this test process dies without
    /// disposing (e.g. the test run is killed). It exits on its own once the directory is gone.
    /// </summary>
    private void StartWatchdog()
    {
        const string script = """
            while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
            [ -d "$2" ] || exit 0
            if [ "$4" = root ]; then
              runuser -u postgres -- "$3/pg_ctl" -D "$2/data" -m immediate stop >/dev/null 2>&1
            else
              "$3/pg_ctl" -D "$2/data" -m immediate stop >/dev/null 2>&1
            fi
            rm -rf "$2"
            """;
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (var arg in new[] { "-c", script, "cw-pg-watchdog",
                     Environment.ProcessId.ToString(CultureInfo.InvariantCulture), RootDirectory, BinDirectory, RunAsPostgresUser ? "root" : "user" })
        {
            psi.ArgumentList.Add(arg);
        }
        _watchdog = Process.Start(psi);
    }

    // ---------------------------------------------------------------- shutdown

    private async Task StopAndDeleteAsync()
    {
        if (_watchdog is { } watchdog)
        {
            _watchdog = null;
            try
            {
                watchdog.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            watchdog.Dispose();
        }
        if (RootDirectory.Length == 0 || !Directory.Exists(RootDirectory))
        {
            return;
        }
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            var stop = await RunServerProgramAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"],
                TimeSpan.FromSeconds(45), throwOnError: false);
            if (stop.ExitCode != 0)
            {
                KillPostmaster(DataDirectory);
            }
        }
        DeleteDirectory(RootDirectory);
    }

    private static void KillPostmaster(string dataDirectory)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            if (int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                using var postmaster = Process.GetProcessById(pid);
                postmaster.Kill(entireProcessTree: true);
                postmaster.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private static void DeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Stops and deletes servers left behind by test processes that no longer exist.</summary>
    private static void SweepAbandonedServers()
    {
        var parent = RunAsPostgresUser ? "/tmp" : Path.GetTempPath();
        string[] dirs;
        try
        {
            dirs = Directory.GetDirectories(parent, DirectoryPrefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var dir in dirs)
        {
            try
            {
                var ownerFile = Path.Combine(dir, OwnerPidFile);
                if (!File.Exists(ownerFile)
                    || !int.TryParse(File.ReadAllText(ownerFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var owner)
                    || Directory.Exists($"/proc/{owner}"))
                {
                    continue;
                }
                var data = Path.Combine(dir, "data");
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    KillPostmaster(data);
                }
                DeleteDirectory(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private Task<ProcessResult> RunServerProgramAsync(string program, IReadOnlyList<string> args, TimeSpan timeout, bool throwOnError = true)
    {
        var path = Path.Combine(BinDirectory, program);
        var env = new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8", ["LANG"] = "C.UTF-8", ["PGDATA"] = null };
        return RunAsPostgresUser
            ? ProcessRunner.RunAsync(ProcessRunner.Locate("runuser", "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"),
                ["-u", "postgres", "--", path, .. args], RootDirectory, env, timeout, throwOnError)
            : ProcessRunner.RunAsync(path, args, RootDirectory, env, timeout, throwOnError);
    }

    private Task<ProcessResult> SuperuserSqlAsync(string sql) =>
        ProcessRunner.RunAsync(
            Path.Combine(BinDirectory, "psql"),
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", SocketDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture),
             "-U", SuperUser, "-d", "postgres", "-c", sql],
            workingDirectory: RootDirectory,
            environment: ClientEnvironment(password: null));

    private static Dictionary<string, string?> ClientEnvironment(string? password) => new()
    {
        ["PGPASSWORD"] = password,
        ["PGPASSFILE"] = "/dev/null",
        ["PGSERVICE"] = null,
        ["PGSERVICEFILE"] = null,
        ["PGOPTIONS"] = null,
        ["PGCONNECT_TIMEOUT"] = "10",
        ["LC_ALL"] = "C.UTF-8",
    };

    private void EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_started)
        {
            throw new InvalidOperationException("PostgresServer is not started: call InitializeAsync() (xunit does this for fixtures).");
        }
    }

    private static void ValidateName(string name)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new ArgumentException($"Invalid database name '{name}': use letters, digits and '_' (max 63, not starting with a digit).", nameof(name));
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex ValidName();
}

/// <summary>xunit collection sharing one <see cref="PostgresServer"/>: <c>[Collection(PostgresCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
