using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Identity;

namespace CreationWorkflow.Web.Tests.Accounts;

/// <summary>Counts the password hashes verified, so a test can see that an unknown user name costs the same hash work as a known one.</summary>
public sealed class CountingHasher : IPasswordHasher<AppUser>
{
    private readonly PasswordHasher<AppUser> inner = new();
    private int verified;

    public int Verified => Volatile.Read(ref verified);

    public string HashPassword(AppUser user, string password) => inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref verified);
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>One host for the account tests (each test makes its own accounts): the office by token and by cookie.</summary>
public sealed partial class AccountsWorld : IAsyncLifetime
{
    public CountingHasher Hasher { get; } = new();
    public AppFactory App { get; }
    public HttpClient OfficeApi { get; private set; } = null!;
    public HttpClient OfficePages { get; private set; } = null!;

    public AccountsWorld() => App = new AppFactory { ExtraServices = services => services.AddSingleton<IPasswordHasher<AppUser>>(Hasher) };

    public async Task InitializeAsync()
    {
        OfficeApi = await App.ClientFor(Roles.Office);
        OfficePages = await PageClient.SignInAsync(App, Roles.Office);
    }

    public Task DisposeAsync()
    {
        OfficeApi.Dispose();
        OfficePages.Dispose();
        App.Dispose();
        App.DeleteFolders();
        return Task.CompletedTask;
    }

    /// <summary>Signs in through the login form; returns the client and the answer (a redirect on success).</summary>
    public async Task<(HttpClient Client, HttpResponseMessage Response)> LoginAsync(string userName, string password)
    {
        var client = PageClient.Anonymous(App);
        var form = await client.GetStringAsync("/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = password, ["__RequestVerificationToken"] = PageClient.Token(form),
        }));
        return (client, response);
    }

    /// <summary>A bearer token for the name and password, or the refusal.</summary>
    public async Task<(HttpClient? Client, HttpResponseMessage Response)> TokenAsync(string userName, string password)
    {
        var client = App.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password });
        if (!response.IsSuccessStatusCode)
        {
            client.Dispose();
            return (null, response);
        }
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body!["accessToken"]!);
        return (client, response);
    }

    /// <summary>Creates an account over the API as the office; returns its id and temporary password.</summary>
    public async Task<(string Id, string UserName, string Password)> CreateAsync(string role, string? unit = null)
    {
        var userName = $"u{Guid.NewGuid():N}"[..14];
        var created = await OfficeApi.PostAsJsonAsync("/api/accounts", new { userName, displayName = "测试用户", roles = new[] { role }, unit });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.Content.ReadFromJsonAsync<JsonObject>();
        return ((string)body!["account"]!["id"]!, userName, (string)body["temporaryPassword"]!);
    }

    /// <summary>An account past its forced password change: created, the temporary password changed to <see cref="AppFactory.Password"/>.</summary>
    public async Task<(string Id, string UserName)> ReadyAsync(string role, string? unit = null)
    {
        var (id, userName, temporary) = await CreateAsync(role, unit);
        var (client, _) = await TokenAsync(userName, temporary);
        using (client)
        {
            var changed = await client!.PostAsJsonAsync("/api/accounts/me/password", new { currentPassword = temporary, newPassword = AppFactory.Password });
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }
        return (id, userName);
    }

    public int AuditCount(string action, string userName) =>
        App.WithDb(db => db.Audit.Count(a => a.Entity == "account" && a.Action == action && a.EntityId == userName));

    /// <summary>The temporary password a page shows once.</summary>
    public static string ShownPassword(string html)
    {
        var match = PasswordPattern().Match(html);
        Assert.True(match.Success, "no temporary password on the page");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("<strong class=\"password\">([^<]+)</strong>")]
    private static partial Regex PasswordPattern();

    /// <summary>An XLSX built here with the Open XML SDK: a header row and the data rows, all cells as inline strings.</summary>
    public static byte[] Workbook(IReadOnlyList<string> header, params string[][] rows)
    {
        var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var all = new[] { header.ToArray() }.Concat(rows).ToList();
            for (var r = 0; r < all.Count; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < all[r].Length; c++)
                {
                    row.Append(new Cell
                    {
                        CellReference = $"{(char)('A' + c)}{r + 1}",
                        DataType = CellValues.InlineString,
                        InlineString = new InlineString(new Text(all[r][c])),
                    });
                }
                data.Append(row);
            }
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "账户" }));
        }
        return stream.ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class AccountsCollection : ICollectionFixture<AccountsWorld>
{
    public const string Name = "accounts";
}
