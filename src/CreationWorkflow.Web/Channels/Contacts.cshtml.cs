namespace CreationWorkflow.Web.Channels;

/// <summary>One contact as the page's form posts it; a URL or secret left blank keeps the stored one unless its 清除 is ticked.</summary>
public sealed class ContactForm
{
    public string? Unit { get; set; }
    public string? Role { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? WeComWebhook { get; set; }
    public string? DingTalkWebhook { get; set; }
    public string? DingTalkSecret { get; set; }
    public string? WebhookUrl { get; set; }
    public string? WebhookSecret { get; set; }
    public bool ClearWeCom { get; set; }
    public bool ClearDingTalk { get; set; }
    public bool ClearWebhook { get; set; }
}

/// <summary>One unit on the page: its contacts (by role) and how many of its notices are unread.</summary>
public sealed record UnitContacts(string Unit, int Unread, ContactView? Liaison, ContactView? Leader)
{
    public ContactView? Of(ContactRole role) => role == ContactRole.Leader ? Leader : Liaison;
}

/// <summary>
/// 联系人与消息通道 (/programmes/{id}/contacts, office only): per unit its 联络员 and 分管领导, the channels each has (never
/// the URLs or secrets), the unit's unread notices (<see cref="UnreadQuery"/>, as on /operations), a form per contact
/// (<see cref="ContactService"/>'s checks; the error names the field on the form), 测试发送 per channel
/// (<see cref="ChannelFanout.QueueTestAsync"/>, as the API) and the XLSX import (<see cref="ContactImport"/>).
/// </summary>
[Authorize(Policy = Policies.Office)]
[RequestSizeLimit(ContactImport.MaxFileBytes + 64 * 1024)]
public sealed class ContactsModel(ProgrammeCatalog programmes, AppDbContext db, ContactService contacts, ChannelFanout fanout, ContactImport import) : PageModel
{
    public string ProgrammeId { get; private set; } = "";
    public string ProgrammeTitle { get; private set; } = "";
    public IReadOnlyList<(string Id, string Title)> Programmes { get; private set; } = [];
    public IReadOnlyList<UnitContacts> Units { get; private set; } = [];

    /// <summary>The contact being edited (a unit and role chosen, or a refused form posted back).</summary>
    public ContactForm? Edit { get; private set; }

    /// <summary>Whether <see cref="Edit"/> has a stored contact (its blank URL fields then keep the stored ones).</summary>
    public ContactView? Stored { get; private set; }

    /// <summary>The refused field (ContactInput's member name) and why.</summary>
    public (string Field, string Message)? FieldError { get; private set; }

    public IReadOnlyList<string> ImportErrors { get; private set; } = [];
    public string? ImportFile { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(string id, string? unit, string? role, CancellationToken ct) =>
        RenderAsync(id, ct, async () =>
        {
            if (!string.IsNullOrWhiteSpace(unit) && !string.IsNullOrWhiteSpace(role))
            {
                var r = ContactService.ParseRole(role);
                var stored = (await contacts.ListAsync(id, unit, ct)).FirstOrDefault(c => c.Role == r);
                Edit = new ContactForm { Unit = unit, Role = ContactService.Spelling(r), Name = stored?.Name, Phone = stored?.Phone, Email = stored?.Email };
            }
        });

    public Task<IActionResult> OnPostSaveAsync(string id, [FromForm] ContactForm form, CancellationToken ct) =>
        RenderAsync(id, ct, async () =>
        {
            ContactRole role;
            try
            {
                role = ContactService.ParseRole(form.Role);
            }
            catch (DomainException e)
            {
                // No contact of that role to show a form for: the refusal alone.
                Error = this.Refused(e, namedByForm: true).Message;
                return;
            }
            Edit = form;
            try
            {
                var clear = new HashSet<DeliveryChannel>();
                if (form.ClearWeCom) { clear.Add(DeliveryChannel.WeCom); }
                if (form.ClearDingTalk) { clear.Add(DeliveryChannel.DingTalk); }
                if (form.ClearWebhook) { clear.Add(DeliveryChannel.Webhook); }
                var input = await contacts.WithStoredChannelsAsync(id, new ContactInput(form.Unit ?? "", role, form.Name ?? "", form.Phone, form.Email,
                    form.WeComWebhook, form.DingTalkWebhook, form.DingTalkSecret, form.WebhookUrl, form.WebhookSecret), clear, ct);
                var saved = await contacts.SaveAsync(id, input, User.NameOf(), ct);
                Message = $"已保存{saved.Unit}的{ContactService.RoleLabel(saved.Role)}：{saved.Name}。";
                Edit = null;
            }
            catch (DomainException e)
            {
                var refusal = this.Refused(e, namedByForm: true);
                FieldError = (refusal.Field, refusal.Message);
            }
        });

    public Task<IActionResult> OnPostTestAsync(string id, string? unit, string? role, string? channel, CancellationToken ct) =>
        RenderAsync(id, ct, async () =>
        {
            try
            {
                var c = ContactService.ParseChannel(channel);
                await fanout.QueueTestAsync(id, unit ?? "", ContactService.ParseRole(role), c, User.NameOf(), ct);
                Message = $"已向{unit}的{ContactService.RoleLabel(ContactService.ParseRole(role))}排入一条{ChannelFanout.ChannelLabel(c)}测试消息，随下一次发送送出；发送失败会显示在运维页。";
            }
            catch (DomainException e)
            {
                Error = this.Refused(e, namedByForm: true).Message;
            }
        });

    public Task<IActionResult> OnPostImportAsync(string id, IFormFile? upload, CancellationToken ct) =>
        RenderAsync(id, ct, async () =>
        {
            if (upload is null)
            {
                (ImportFile, ImportErrors) = ("", ["请选择要导入的 XLSX 文件。"]);
                this.Invalid();
                return;
            }
            ImportFile = upload.FileName;
            try
            {
                await using var content = upload.OpenReadStream();
                var count = await import.ImportAsync(id, upload.FileName, content, upload.Length, User.NameOf(), ct);
                Message = $"已从「{upload.FileName}」导入 {count} 位联系人。";
            }
            catch (SheetImportException e)
            {
                ImportErrors = e.Errors;
                this.Invalid();
            }
        });

    private async Task<IActionResult> RenderAsync(string id, CancellationToken ct, Func<Task> action)
    {
        if (programmes.Find(id) is not { } programme)
        {
            return NotFound();
        }
        (ProgrammeId, ProgrammeTitle) = (programme.Id, programme.Header.Title);
        Programmes = [.. programmes.All.Select(p => (p.Id, p.Header.Title))];
        try
        {
            await action();
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            return this.Denied(e);
        }
        var names = await db.Units.AsNoTracking().Where(u => u.ProgrammeId == id).OrderBy(u => u.Id).Select(u => u.Name).ToListAsync(ct);
        var all = (await contacts.ListAsync(id, null, ct)).ToLookup(c => c.Unit);
        var unread = (await UnreadQuery.ByUnitAsync(db, null, ct, id)).ToDictionary(u => u.Unit, u => u.Unread);
        Units = [.. names.Select(n => new UnitContacts(n, unread.GetValueOrDefault(n),
            all[n].FirstOrDefault(c => c.Role == ContactRole.Liaison), all[n].FirstOrDefault(c => c.Role == ContactRole.Leader)))];
        if (Edit is { Unit: { } unit, Role: { } role })
        {
            Stored = Units.FirstOrDefault(u => u.Unit == unit)?.Of(ContactService.ParseRole(role));
        }
        return Page();
    }

    /// <summary>The form's error for <paramref name="field"/>, if it is the refused one.</summary>
    public string? ErrorFor(string field) => FieldError is { } e && string.Equals(e.Field, field, StringComparison.OrdinalIgnoreCase) ? e.Message : null;
}
