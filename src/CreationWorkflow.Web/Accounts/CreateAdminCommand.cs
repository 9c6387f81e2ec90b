namespace CreationWorkflow.Web.Accounts;

/// <summary>
/// <c>create-admin NAME</c>: the first office account of a Production install. The host initialises as it would start
/// (seed checked, database migrated, roles created), then creates NAME with the 创建办 role. The password comes from
/// <see cref="PasswordVariable"/> or, if that is unset, from the first line of standard input (typed without echo at a
/// terminal); there is no default. Exit 0: created, or NAME already is an office account (nothing changed);
/// 1: refused (no name, weak password, NAME exists without the office role, a broken seed).
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";
    public const string PasswordVariable = "CREATIONWORKFLOW_ADMIN_PASSWORD";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>The host's own arguments (configuration such as --urls), without the command and its name.</summary>
    public static string[] HostArgs(string[] args) => IsCommand(args) ? args[Math.Min(args.Length, 2)..] : args;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args.Length < 2 || string.IsNullOrWhiteSpace(args[1]) || args[1].StartsWith('-'))
        {
            Console.Error.WriteLine($"用法：{Name} 用户名（密码从环境变量 {PasswordVariable} 或标准输入读取）");
            return 1;
        }
        var userName = args[1].Trim();
        var password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } fromEnv ? fromEnv : ReadPassword();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine($"未提供密码：请设置环境变量 {PasswordVariable}，或从标准输入输入密码。");
            return 1;
        }
        try
        {
            await app.Services.GetServices<IHostedService>().OfType<StartupInitialiser>().Single().StartAsync(CancellationToken.None);
        }
        catch (SeedException ex)
        {
            Console.Error.WriteLine("Start-up stopped: the seed is invalid.");
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync(userName) is { } existing)
        {
            if (await users.IsInRoleAsync(existing, Roles.Office))
            {
                Console.WriteLine($"账户「{userName}」已存在，且已是创建办账户；未作任何改动（密码未更改）。");
                return 0;
            }
            Console.Error.WriteLine($"账户「{userName}」已存在，但不是创建办账户；未作任何改动。请换一个用户名，或由创建办在“账户管理”中设置其角色。");
            return 1;
        }
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var user = new AppUser { UserName = userName, DisplayName = $"创建办 {userName}" };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            Console.Error.WriteLine($"未创建账户「{userName}」：{string.Concat(created.Errors.Select(e => e.Description))}");
            return 1;
        }
        var role = await users.AddToRoleAsync(user, Roles.Office);
        if (!role.Succeeded)
        {
            Console.Error.WriteLine($"未创建账户「{userName}」：{string.Concat(role.Errors.Select(e => e.Description))}");
            return 1;
        }
        db.AddAccountAudit(scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(), $"{Name}（命令行）", AuditActions.AccountCreated, userName,
            null, new { displayName = user.DisplayName, roles = new[] { Roles.Office } });
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        Console.WriteLine($"已创建创建办账户「{userName}」。请在 /account/login 登录。");
        return 0;
    }

    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }
        Console.Write("密码：");
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
        Console.WriteLine();
        return typed.ToString();
    }
}
