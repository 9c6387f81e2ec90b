namespace CreationWorkflow.Web.Accounts;

/// <summary>An import refused: every fault, each naming its row and column ("第3行 角色列：…"). Nothing was stored.</summary>
public sealed class AccountImportException(string fileName, IReadOnlyList<string> errors) : SheetImportException(fileName, errors);

public sealed record ImportedAccount(int Row, string UserName, string DisplayName, string? Unit, IReadOnlyList<string> Roles, string TemporaryPassword);

/// <summary>
/// Bulk creation of accounts from an XLSX sheet with the columns 单位, 姓名, 手机, 邮箱, 角色 (header in row 1, any order).
/// The mobile number is the user name. Every row is checked first and every fault reported; then all accounts are created
/// in one transaction, or none. The temporary passwords are returned once (as a sheet to hand out), never stored.
/// </summary>
public sealed class AccountImport(AppDbContext db, AccountService accounts, UserManager<AppUser> users)
{
    public const long MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxRows = 2000;
    public static readonly IReadOnlyList<string> Columns = ["单位", "姓名", "手机", "邮箱", "角色"];

    public async Task<IReadOnlyList<ImportedAccount>> ImportAsync(string fileName, Stream content, long length, string actor, CancellationToken ct)
    {
        if (length > MaxFileBytes)
        {
            throw new AccountImportException(fileName, [SheetImport.TooLarge(length, MaxFileBytes)]);
        }
        var rows = Read(fileName, content);
        var directory = await accounts.UnitsAsync(ct);
        var errors = new List<string>();
        var parsed = new List<(int Row, NewAccount Account)>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (row, cells) in rows)
        {
            string Cell(string column) => cells.GetValueOrDefault(column)?.Trim() ?? "";
            var rowErrors = new List<string>();
            string? Try(string column, Func<string?> check)
            {
                try
                {
                    return check();
                }
                catch (DomainException e)
                {
                    rowErrors.Add($"第{row}行 {column}列：{e.Message}");
                    return null;
                }
            }
            var name = Try("姓名", () => AccountService.Required("displayName", Cell("姓名"), "姓名", AccountService.MaxDisplayName));
            var phone = Try("手机", () => AccountService.CheckPhone(Cell("手机")) ?? throw new DomainException("phone", "请填写手机号码（用作登录用户名）。"));
            var email = Try("邮箱", () => AccountService.CheckEmail(Cell("邮箱")));
            List<string>? roles = null;
            Try("角色", () =>
            {
                roles = AccountService.CheckRoles(Cell("角色").Split(['、', ',', '，', ';', '；', ' '], StringSplitOptions.RemoveEmptyEntries));
                return null;
            });
            var unit = roles is null ? null : Try("单位", () => AccountService.CheckUnit(roles, Cell("单位"), directory));
            if (phone is not null)
            {
                if (seen.TryGetValue(phone, out var first))
                {
                    rowErrors.Add($"第{row}行 手机列：「{phone}」与第{first}行重复。");
                }
                else if (await users.FindByNameAsync(phone) is not null)
                {
                    rowErrors.Add($"第{row}行 手机列：「{phone}」已是现有账户的用户名。");
                }
                seen.TryAdd(phone, row);
            }
            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }
            parsed.Add((row, new NewAccount(phone!, name!, roles!, unit, phone, email)));
        }
        if (errors.Count == 0 && parsed.Count == 0)
        {
            errors.Add("第2行起没有账户数据。");
        }
        if (errors.Count > 0)
        {
            throw new AccountImportException(fileName, errors);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = new List<ImportedAccount>();
        foreach (var (row, account) in parsed)
        {
            try
            {
                var issued = await accounts.CreateInTransactionAsync(account, actor, directory, ct);
                created.Add(new ImportedAccount(row, issued.Account.UserName, issued.Account.DisplayName, issued.Account.Unit, issued.Account.Roles, issued.TemporaryPassword));
            }
            catch (DomainException e)
            {
                throw new AccountImportException(fileName, [$"第{row}行：{e.Message}"]);
            }
        }
        await tx.CommitAsync(ct);
        return created;
    }

    /// <summary>The data rows of the first sheet, by Excel row number, as column name → text; the header row must name every column.</summary>
    private static List<(int Row, Dictionary<string, string> Cells)> Read(string fileName, Stream content)
    {
        try
        {
            return SheetImport.Read(fileName, content, Columns, [], MaxRows, "账户");
        }
        catch (SheetImportException e)
        {
            throw new AccountImportException(fileName, e.Errors);
        }
    }

    /// <summary>The sheet handed to the units: one row per account with its temporary password, to be changed at the first sign-in.</summary>
    public static byte[] PasswordSheet(IReadOnlyList<ImportedAccount> accounts, string actor, DateOnly date)
    {
        var sheet = new SheetWriter("初始密码", [8, 24, 16, 18, 16, 16]);
        sheet.Row(SheetCell.Of("账户初始密码（首次登录须修改密码；请妥善分发，勿外传）", SheetStyle.Title));
        sheet.Merge(1, 0, 1, 5);
        sheet.Row(SheetCell.Of("行号", SheetStyle.Header), SheetCell.Of("单位", SheetStyle.Header), SheetCell.Of("姓名", SheetStyle.Header),
            SheetCell.Of("用户名", SheetStyle.Header), SheetCell.Of("角色", SheetStyle.Header), SheetCell.Of("初始密码", SheetStyle.Header));
        foreach (var a in accounts)
        {
            sheet.Row(SheetCell.Of(a.Row, SheetStyle.Centre), SheetCell.Of(a.Unit ?? ""), SheetCell.Of(a.DisplayName), SheetCell.Of(a.UserName),
                SheetCell.Of(string.Join("、", a.Roles.Select(Roles.Chinese))), SheetCell.Of(a.TemporaryPassword));
        }
        return sheet.Save("账户初始密码", actor, date, 2);
    }
}
