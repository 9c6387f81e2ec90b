using System.Net.Sockets;

namespace CreationWorkflow.Web.Tests.Accounts;

/// <summary>
/// The real executable in Production on an empty data folder, as an installer meets it: the first office account is made
/// with <c>create-admin</c> (password on standard input, or in the environment; weak ones refused), then the host starts
/// with sign-in limits of <see cref="PermitLimit"/> attempts per client address and <see cref="MaxFailures"/> failures per
/// name and address. Clients connect from different loopback addresses (127.0.0.x), so the host sees distinct clients.
/// </summary>
public sealed class ProductionHost : IAsyncLifetime
{
    public const string Admin = "cwadmin";
    public const string AdminPassword = "Hechi-Office-2026";
    public const int PermitLimit = 5;
    public const int MaxFailures = 3;

    private readonly AppFactory folders = new();
    private Process host = null!;

    public string Url { get; private set; } = null!;
    public (int ExitCode, string Stdout, string Stderr) Created { get; private set; }
    public (int ExitCode, string Stdout, string Stderr) Again { get; private set; }
    public (int ExitCode, string Stdout, string Stderr) Weak { get; private set; }
    public (int ExitCode, string Stdout, string Stderr) NoPassword { get; private set; }
    public string Database => Path.Combine(folders.DataPath, "creationworkflow.db");

    public async Task InitializeAsync()
    {
        var timeout = TimeSpan.FromMinutes(3);
        Created = await HostProcess.RunCommandAsync(folders.SeedPath, folders.DataPath, ["create-admin", Admin], AdminPassword, timeout);
        Again = await HostProcess.RunCommandAsync(folders.SeedPath, folders.DataPath, ["create-admin", Admin], "Other-passw0rd-2026", timeout);
        Weak = await HostProcess.RunCommandAsync(folders.SeedPath, folders.DataPath, ["create-admin", "second"], null, timeout,
            ("CREATIONWORKFLOW_ADMIN_PASSWORD", "abc123"));
        NoPassword = await HostProcess.RunCommandAsync(folders.SeedPath, folders.DataPath, ["create-admin", "third"], "", timeout);

        Url = $"http://127.0.0.1:{FreePort.Get()}";
        host = HostProcess.StartOn(Url, folders.SeedPath, folders.DataPath,
            // Production marks sign-in cookies Secure; this host is plain HTTP on loopback.
            ("CreationWorkflow__Operations__SecureCookies", "false"),
            ("CreationWorkflow__SignIn__PermitLimit", PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("CreationWorkflow__SignIn__Window", "00:10:00"),
            ("CreationWorkflow__SignIn__MaxFailures", MaxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await HostProcess.WaitUntilReadyAsync(host, Url);
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any of 127.0.0.0/8 is loopback).</summary>
    public HttpClient From(string localAddress) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri(Url) };

    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            host.Dispose();
        }
        folders.DeleteFolders();
    }
}

public sealed class ProductionHostTests(ProductionHost host) : IClassFixture<ProductionHost>
{
    [Fact]
    public async Task Create_admin_makes_the_first_office_account_once_refuses_weak_passwords_and_the_account_signs_in()
    {
        Assert.True(host.Created.ExitCode == 0, host.Created.Stderr + host.Created.Stdout);
        Assert.Contains($"已创建创建办账户「{ProductionHost.Admin}」", host.Created.Stdout);
        Assert.Equal(0, host.Again.ExitCode);
        Assert.Contains("已存在，且已是创建办账户；未作任何改动（密码未更改）", host.Again.Stdout);
        Assert.Equal(1, host.Weak.ExitCode);
        Assert.Contains("未创建账户「second」：密码太短：至少8个字符。", host.Weak.Stderr);
        Assert.Equal(1, host.NoPassword.ExitCode);
        Assert.Contains("未提供密码", host.NoPassword.Stderr);
        foreach (var run in new[] { host.Created, host.Again, host.Weak, host.NoPassword })
        {
            Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
            Assert.DoesNotContain(ProductionHost.AdminPassword, run.Stderr + run.Stdout);
        }
        Assert.Equal(1, host.Scalar("select count(*) from AspNetUsers"));
        Assert.Equal(1, host.Scalar($"select count(*) from audit_log where Entity = 'account' and Action = 'account.created' and EntityId = '{ProductionHost.Admin}'"));

        // The office signs in by the page (and sees the office home and the account pages) and by token.
        using var browser = host.From("127.0.0.10");
        var form = await browser.GetStringAsync("/account/login");
        var login = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = ProductionHost.Admin, ["Password"] = ProductionHost.AdminPassword, ["__RequestVerificationToken"] = PageClient.Token(form),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/accounts")).StatusCode);
        using var api = host.From("127.0.0.10");
        var token = await api.PostAsJsonAsync("/api/auth/token", new { userName = ProductionHost.Admin, password = ProductionHost.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
        Assert.Equal(["office"], (await api.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["roles"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public async Task The_OpenAPI_document_needs_a_sign_in_in_Production()
    {
        using var anonymous = host.From("127.0.0.11");
        var open = await anonymous.GetAsync("/openapi/v1.json");
        Assert.NotEqual(HttpStatusCode.OK, open.StatusCode);
        Assert.DoesNotContain("/api/accounts", await open.Content.ReadAsStringAsync());

        var token = await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = ProductionHost.Admin, password = ProductionHost.AdminPassword });
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!);
        var signedIn = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("/api/accounts/{id}/deactivate", await signedIn.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A stranger at one address guesses the office's password: after <see cref="ProductionHost.MaxFailures"/> failures the
    /// name is locked for that address only, after <see cref="ProductionHost.PermitLimit"/> attempts the address gets 429
    /// (token and page alike, in Chinese, with Retry-After). The office, at its own address, still signs in at once.
    /// </summary>
    [Fact]
    public async Task A_stranger_is_rate_limited_and_locked_at_his_address_while_the_office_still_signs_in()
    {
        using var stranger = host.From("127.0.0.2");
        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < ProductionHost.PermitLimit; i++)
        {
            var attempt = await stranger.PostAsJsonAsync("/api/auth/token", new { userName = ProductionHost.Admin, password = $"Guess-{i}-passw0rd" });
            answers.Add((attempt.StatusCode, await attempt.Content.ReadAsStringAsync()));
        }
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.All(answers.Take(ProductionHost.MaxFailures - 1), a => Assert.Contains("用户名或密码错误。", a.Body));
        Assert.All(answers.Skip(ProductionHost.MaxFailures - 1), a => Assert.Contains("登录失败次数过多", a.Body));
        var form = await stranger.GetAsync("/account/login"); // showing the form is not an attempt
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);

        var limited = await stranger.PostAsJsonAsync("/api/auth/token", new { userName = ProductionHost.Admin, password = ProductionHost.AdminPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero, "Retry-After missing");
        Assert.Contains("登录尝试过于频繁", await limited.Content.ReadAsStringAsync());
        var page = await stranger.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = ProductionHost.Admin, ["Password"] = ProductionHost.AdminPassword, ["__RequestVerificationToken"] = PageClient.Token(await form.Content.ReadAsStringAsync()),
        }));
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("登录尝试过于频繁", await page.Content.ReadAsStringAsync());

        // The office, from its own address, is neither limited nor locked.
        using var office = host.From("127.0.0.3");
        var signedIn = await office.PostAsJsonAsync("/api/auth/token", new { userName = ProductionHost.Admin, password = ProductionHost.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.True(host.Scalar($"select count(*) from audit_log where Action = 'signin.failed-locked' and EntityId = '{ProductionHost.Admin}'") >= 1);
    }
}
