namespace CreationWorkflow.Web.Channels;

/// <summary>A contact as the office enters it (clear text; stored protected).</summary>
public sealed record ContactInput(
    string Unit, ContactRole Role, string Name, string? Phone, string? Email,
    string? WeComWebhook, string? DingTalkWebhook, string? DingTalkSecret, string? WebhookUrl, string? WebhookSecret);

/// <summary>A contact as shown: which channels it has, never the URLs' keys or the secrets.</summary>
public sealed record ContactView(int Id, string Unit, ContactRole Role, string Name, string? Phone, string? Email,
    bool WeCom, bool DingTalk, bool DingTalkSigned, bool Webhook, bool WebhookSigned);

/// <summary>The units' contacts (联络员, 分管领导) and their channels: checked, stored protected, audited.</summary>
public sealed class ContactService(AppDbContext db, ContactSecrets secrets, TimeProvider clock)
{
    public async Task<IReadOnlyList<ContactView>> ListAsync(string programmeId, string? unit, CancellationToken ct) =>
        [.. (await db.Contacts.AsNoTracking().Where(c => c.ProgrammeId == programmeId && (unit == null || c.UnitName == unit))
            .OrderBy(c => c.UnitName).ThenBy(c => c.Role).ToListAsync(ct)).Select(View)];

    /// <summary>Creates or replaces the unit's contact of that role; every field checked first (zh-CN errors naming it).</summary>
    public async Task<ContactView> SaveAsync(string programmeId, ContactInput input, string actor, CancellationToken ct)
    {
        var checkedInput = Check(input);
        if (!await db.Units.AnyAsync(u => u.ProgrammeId == programmeId && u.Name == checkedInput.Unit, ct))
        {
            throw new DomainException("unit", $"单位「{checkedInput.Unit}」不在该方案的单位名录中。", ErrorKind.NotFound);
        }
        var now = clock.GetUtcNow();
        var row = await db.Contacts.SingleOrDefaultAsync(c => c.ProgrammeId == programmeId && c.UnitName == checkedInput.Unit && c.Role == checkedInput.Role, ct);
        var before = row is null ? null : JsonSerializer.Serialize(View(row));
        if (row is null)
        {
            db.Contacts.Add(row = new ContactRecord { ProgrammeId = programmeId, UnitName = checkedInput.Unit, Role = checkedInput.Role, Name = checkedInput.Name });
        }
        row.Name = checkedInput.Name;
        row.Phone = checkedInput.Phone;
        row.Email = checkedInput.Email;
        row.WeComWebhookProtected = secrets.Protect(checkedInput.WeComWebhook);
        row.DingTalkWebhookProtected = secrets.Protect(checkedInput.DingTalkWebhook);
        row.DingTalkSecretProtected = secrets.Protect(checkedInput.DingTalkSecret);
        row.WebhookUrlProtected = secrets.Protect(checkedInput.WebhookUrl);
        row.WebhookSecretProtected = secrets.Protect(checkedInput.WebhookSecret);
        row.UpdatedAt = now;
        // The audit names the channels a contact has, never their URLs or secrets.
        db.AddAudit(now, actor, AuditActions.UnitContactSaved, AuditEntities.Unit, $"{programmeId}/{checkedInput.Unit}/{checkedInput.Role}",
            before, JsonSerializer.Serialize(View(row)));
        await db.SaveChangesAsync(ct);
        return View(row);
    }

    /// <summary>
    /// The page's input with the stored channels kept: the page never shows a URL or secret back, so a field left blank keeps
    /// what is stored, unless its channel is in <paramref name="clear"/> (清除). A new contact is taken as given.
    /// </summary>
    public async Task<ContactInput> WithStoredChannelsAsync(string programmeId, ContactInput input, IReadOnlySet<DeliveryChannel> clear, CancellationToken ct)
    {
        var row = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.ProgrammeId == programmeId && c.UnitName == input.Unit && c.Role == input.Role, ct);
        string? Keep(string? given, string? stored, DeliveryChannel channel) =>
            clear.Contains(channel) ? null : string.IsNullOrWhiteSpace(given) ? secrets.Unprotect(stored) : given;
        return row is null ? input : input with
        {
            WeComWebhook = Keep(input.WeComWebhook, row.WeComWebhookProtected, DeliveryChannel.WeCom),
            DingTalkWebhook = Keep(input.DingTalkWebhook, row.DingTalkWebhookProtected, DeliveryChannel.DingTalk),
            DingTalkSecret = Keep(input.DingTalkSecret, row.DingTalkSecretProtected, DeliveryChannel.DingTalk),
            WebhookUrl = Keep(input.WebhookUrl, row.WebhookUrlProtected, DeliveryChannel.Webhook),
            WebhookSecret = Keep(input.WebhookSecret, row.WebhookSecretProtected, DeliveryChannel.Webhook),
        };
    }

    /// <summary>A contact role as the API and the page spell it: liaison (联络员), leader (分管领导).</summary>
    public static ContactRole ParseRole(string? role) => role switch
    {
        "liaison" => ContactRole.Liaison,
        "leader" => ContactRole.Leader,
        _ => throw new DomainException("role", "联系人角色须为 liaison（联络员）或 leader（分管领导）。", ErrorKind.NotFound),
    };

    public static string Spelling(ContactRole role) => role == ContactRole.Leader ? "leader" : "liaison";

    public static string RoleLabel(ContactRole role) => role == ContactRole.Leader ? "分管领导" : "联络员";

    /// <summary>A channel as the API and the page spell it: weCom, dingTalk, webhook, sms.</summary>
    public static DeliveryChannel ParseChannel(string? channel) => Input.Text(channel, "channel", required: true, max: 16) switch
    {
        "weCom" => DeliveryChannel.WeCom,
        "dingTalk" => DeliveryChannel.DingTalk,
        "webhook" => DeliveryChannel.Webhook,
        "sms" => DeliveryChannel.Sms,
        _ => throw new DomainException("channel", "字段「channel」须为 weCom、dingTalk、webhook 或 sms。"),
    };

    public static string Spelling(DeliveryChannel channel) => JsonNamingPolicy.CamelCase.ConvertName(channel.ToString());

    /// <summary>The HTTP channels a contact has, in the order the page shows them (SMS needs a phone).</summary>
    public static IReadOnlyList<DeliveryChannel> ChannelsOf(ContactView c) =>
        [.. new[] { (c.WeCom, DeliveryChannel.WeCom), (c.DingTalk, DeliveryChannel.DingTalk), (c.Webhook, DeliveryChannel.Webhook), (c.Phone is not null, DeliveryChannel.Sms) }
            .Where(x => x.Item1).Select(x => x.Item2)];

    /// <summary>The checks of one contact, shared by the API, the page and the XLSX import (which prefixes the row).</summary>
    public static ContactInput Check(ContactInput c)
    {
        var unit = Input.Text(c.Unit, "unit", required: true, max: Input.NameLength)!;
        var name = Input.Text(c.Name, "name", required: true, max: Input.NameLength)!;
        var phone = Input.Text(c.Phone, "phone", required: false, max: 50);
        if (phone is not null && !System.Text.RegularExpressions.Regex.IsMatch(phone, @"^\+?[0-9][0-9\- ]{5,19}$"))
        {
            throw new DomainException("phone", "手机号码格式不正确。");
        }
        var email = Input.Text(c.Email, "email", required: false, max: 254);
        if (email is not null && !MailAddresses.IsValid(email))
        {
            throw new DomainException("email", "邮箱地址格式不正确。");
        }
        var wecom = Url(c.WeComWebhook, "weComWebhook", "企业微信机器人地址");
        var dingtalk = Url(c.DingTalkWebhook, "dingTalkWebhook", "钉钉机器人地址");
        var dingSecret = Input.Text(c.DingTalkSecret, "dingTalkSecret", required: false, max: 200);
        if (dingSecret is not null && dingtalk is null)
        {
            throw new DomainException("dingTalkSecret", "填写了钉钉加签密钥，但没有填写钉钉机器人地址。");
        }
        var webhook = Url(c.WebhookUrl, "webhookUrl", "Webhook地址");
        var webhookSecret = Input.Text(c.WebhookSecret, "webhookSecret", required: false, max: 200);
        if (webhookSecret is not null && webhook is null)
        {
            throw new DomainException("webhookSecret", "填写了Webhook密钥，但没有填写Webhook地址。");
        }
        return new ContactInput(unit, c.Role, name, phone, email, wecom, dingtalk, dingSecret, webhook, webhookSecret);
    }

    private static string? Url(string? value, string field, string label)
    {
        var text = Input.Text(value, field, required: false, max: 1000);
        if (text is null)
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new DomainException(field, $"{label}须为以 https:// 开头的完整网址。");
        }
        return text;
    }

    private static ContactView View(ContactRecord c) => new(c.Id, c.UnitName, c.Role, c.Name, c.Phone, c.Email,
        c.WeComWebhookProtected is not null, c.DingTalkWebhookProtected is not null, c.DingTalkSecretProtected is not null,
        c.WebhookUrlProtected is not null, c.WebhookSecretProtected is not null);
}
