using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace CreationWorkflow.Web.Tests;

/// <summary>
/// The real host over HTTP, on a real SQLite file in its own temp folder, with its own copy of seed/
/// (so a test can break it without touching the repository).
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cw-web-" + Guid.NewGuid().ToString("N"));
    public string SeedPath => Path.Combine(Root, "seed");
    public string DataPath => Path.Combine(Root, "data");

    public AppFactory(string? root = null)
    {
        if (root is not null)
        {
            Root = root;
            return;
        }
        CopyDirectory(Path.Combine(RepoRoot, "seed"), SeedPath);
    }

    /// <summary>A second host over the same folders: a restart.</summary>
    public AppFactory Restart() => new(Root) { Clock = Clock, Postgres = Postgres, Scheduling = Scheduling, WorkflowsPath = WorkflowsPath };

    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The host's clock; tests move it. Null: the system clock.</summary>
    public TestClock? Clock { get; init; }

    /// <summary>A PostgreSQL connection string, or null for the embedded SQLite file.</summary>
    public string? Postgres { get; init; }

    /// <summary>The workflows/ folder; the repository's by default.</summary>
    public string? WorkflowsPath { get; init; }

    /// <summary>Any further configuration, e.g. mail settings.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Services replaced for one test class (registered after the host's own).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>Run Quartz in the host; off by default so tests sweep timers themselves.</summary>
    public bool Scheduling { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("CreationWorkflow:SeedPath", SeedPath);
        builder.UseSetting("CreationWorkflow:DataPath", DataPath);
        builder.UseSetting("CreationWorkflow:WorkflowsPath", WorkflowsPath ?? Path.Combine(RepoRoot, "workflows"));
        builder.UseSetting("CreationWorkflow:Scheduling:Enabled", Scheduling ? "true" : "false");
        // In-process requests have no client address, so every test shares one sign-in rate-limit partition; the limit
        // itself is tested against the real executable with several client addresses (ProductionHostTests).
        builder.UseSetting("CreationWorkflow:SignIn:PermitLimit", "100000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (Postgres is not null)
        {
            builder.UseSetting("CreationWorkflow:Database", "Postgres");
            builder.UseSetting("CreationWorkflow:ConnectionString", Postgres);
        }
        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
        if (ExtraServices is not null)
        {
            builder.ConfigureTestServices(ExtraServices);
        }
    }

    /// <summary>Creates a user with the role (bound to a unit for unit users) and returns a client carrying its bearer token.</summary>
    public async Task<HttpClient> ClientFor(string role, string? unit = null)
    {
        var name = await UserAsync(role, unit);
        var client = CreateClient();
        var token = await client.PostAsJsonAsync("/api/auth/token", new { userName = name, password = Password });
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonObject>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body!["accessToken"]!);
        return client;
    }

    /// <summary>Creates a user with the role (bound to a unit for unit users) and <see cref="Password"/>; returns its user name.</summary>
    public async Task<string> UserAsync(string role, string? unit = null, string prefix = "", string displayPrefix = "测试")
    {
        var name = $"{prefix}{role}-{Guid.NewGuid():N}"[..20];
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = name, DisplayName = $"{displayPrefix}{Roles.Chinese(role)}", Unit = unit };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return name;
    }

    /// <summary>
    /// As <see cref="ClientFor"/>, with a longer timeout for requests that start a whole city programme (26,564
    /// assignments) while the rest of the suite loads the machine.
    /// </summary>
    public async Task<HttpClient> PatientClientFor(string role, string? unit = null)
    {
        var signed = await ClientFor(role, unit);
        var client = CreateClient();
        client.Timeout = TimeSpan.FromMinutes(5);
        client.DefaultRequestHeaders.Authorization = signed.DefaultRequestHeaders.Authorization;
        return client;
    }

    /// <summary>Starts a campaign over the API as <paramref name="office"/> (201 asserted) and returns its id.</summary>
    /// <summary>Starts a campaign over the API; on the workflow's version 1 unless told (tests written for one form per item pin it).</summary>
    public static async Task<Guid> StartCampaignAsync(HttpClient office, string programmeId, string startDate, string[]? assessedUnits = null, int workflowVersion = 1)
    {
        var body = new Dictionary<string, object> { ["programmeId"] = programmeId, ["startDate"] = startDate, ["workflowVersion"] = workflowVersion };
        if (assessedUnits is not null)
        {
            body["assessedUnits"] = assessedUnits;
        }
        var started = await office.PostAsJsonAsync("/api/campaigns", body);
        Assert.True(started.StatusCode == System.Net.HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        return (Guid)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    public const string Password = "Test-passw0rd";

    public T WithDb<T>(Func<AppDbContext, T> query)
    {
        using var scope = Services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CreationWorkflow.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CreationWorkflow.sln not found");
    }

    public void DeleteFolders()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
