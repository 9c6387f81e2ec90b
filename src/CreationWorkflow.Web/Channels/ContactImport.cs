namespace CreationWorkflow.Web.Channels;

/// <summary>
/// The units' contacts from an XLSX sheet: columns 单位, 角色 (联络员/分管领导), 姓名 and optionally 手机, 邮箱, 企业微信机器人,
/// 钉钉机器人, 钉钉加签密钥, Webhook, Webhook密钥 (header in row 1, any order; read by <see cref="SheetImport"/>, which sniffs
/// and bounds the file). Every row is checked by <see cref="ContactService.Check"/> and every fault reported by row and column
/// (a unit outside the directory, a role twice for a unit); then every contact is saved — each replacing the unit's contact
/// of that role, each audited, and the import itself audited — in one transaction, or none.
/// </summary>
public sealed class ContactImport(AppDbContext db, ContactService contacts, TimeProvider clock)
{
    public const long MaxFileBytes = 2 * 1024 * 1024;
    public const int MaxRows = 2000;
    public static readonly IReadOnlyList<string> Columns = ["单位", "角色", "姓名"];
    public static readonly IReadOnlyList<string> OptionalColumns = ["手机", "邮箱", "企业微信机器人", "钉钉机器人", "钉钉加签密钥", "Webhook", "Webhook密钥"];

    /// <summary>The column a <see cref="ContactInput"/> member is entered in.</summary>
    private static string ColumnOf(string field) => field switch
    {
        "unit" => "单位",
        "role" => "角色",
        "name" => "姓名",
        "phone" => "手机",
        "email" => "邮箱",
        "weComWebhook" => "企业微信机器人",
        "dingTalkWebhook" => "钉钉机器人",
        "dingTalkSecret" => "钉钉加签密钥",
        "webhookUrl" => "Webhook",
        _ => "Webhook密钥",
    };

    /// <summary>Imports the sheet; the number of contacts saved. Refused (nothing stored) with <see cref="SheetImportException"/>.</summary>
    public async Task<int> ImportAsync(string programmeId, string fileName, Stream content, long length, string actor, CancellationToken ct)
    {
        if (length > MaxFileBytes)
        {
            throw new SheetImportException(fileName, [SheetImport.TooLarge(length, MaxFileBytes)]);
        }
        var rows = SheetImport.Read(fileName, content, Columns, OptionalColumns, MaxRows, "联系人");
        var directory = (await db.Units.AsNoTracking().Where(u => u.ProgrammeId == programmeId).Select(u => u.Name).ToListAsync(ct)).ToHashSet();
        var errors = new List<string>();
        var parsed = new List<ContactInput>();
        var seen = new Dictionary<(string, ContactRole), int>();
        foreach (var (row, cells) in rows)
        {
            string? Cell(string column) => cells.GetValueOrDefault(column)?.Trim() is { Length: > 0 } text ? text : null;
            ContactRole? role = Cell("角色") switch
            {
                "联络员" => ContactRole.Liaison,
                "分管领导" => ContactRole.Leader,
                _ => null,
            };
            if (role is null)
            {
                errors.Add($"第{row}行 角色列：「{Cell("角色")}」须为“联络员”或“分管领导”。");
                continue;
            }
            ContactInput contact;
            try
            {
                contact = ContactService.Check(new ContactInput(Cell("单位") ?? "", role.Value, Cell("姓名") ?? "", Cell("手机"), Cell("邮箱"),
                    Cell("企业微信机器人"), Cell("钉钉机器人"), Cell("钉钉加签密钥"), Cell("Webhook"), Cell("Webhook密钥")));
            }
            catch (DomainException e)
            {
                errors.Add($"第{row}行 {ColumnOf(e.Field)}列：{e.Message}");
                continue;
            }
            if (!directory.Contains(contact.Unit))
            {
                errors.Add($"第{row}行 单位列：单位「{contact.Unit}」不在该方案的单位名录中。");
                continue;
            }
            if (seen.TryGetValue((contact.Unit, contact.Role), out var first))
            {
                errors.Add($"第{row}行 角色列：{contact.Unit}的{ContactService.RoleLabel(contact.Role)}与第{first}行重复。");
                continue;
            }
            seen[(contact.Unit, contact.Role)] = row;
            parsed.Add(contact);
        }
        if (errors.Count == 0 && parsed.Count == 0)
        {
            errors.Add("第2行起没有联系人数据。");
        }
        if (errors.Count > 0)
        {
            throw new SheetImportException(fileName, errors);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var contact in parsed)
        {
            await contacts.SaveAsync(programmeId, contact, actor, ct);
        }
        db.AddAudit(clock.GetUtcNow(), actor, AuditActions.UnitContactsImported, AuditEntities.Unit, programmeId,
            after: JsonSerializer.Serialize(new { file = fileName, contacts = parsed.Count }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return parsed.Count;
    }
}
