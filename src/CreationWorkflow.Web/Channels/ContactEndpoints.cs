namespace CreationWorkflow.Web.Channels;

/// <summary>A contact as the API takes it; the role (liaison, leader) is in the route.</summary>
public sealed record ContactBody(
    string Name, string? Phone = null, string? Email = null, string? WeComWebhook = null, string? DingTalkWebhook = null,
    string? DingTalkSecret = null, string? WebhookUrl = null, string? WebhookSecret = null);

/// <summary>测试发送: the channel to try (weCom, dingTalk, webhook, sms).</summary>
public sealed record ChannelTestBody(string Channel);

public sealed record ChannelTestQueued(long OutboxId, string Channel);

/// <summary>
/// The units' contacts and their channels, office only: a unit's contacts hold the robots' keys and secrets, which no
/// unit user needs to see (units tell the office their robot addresses; the office enters them).
/// </summary>
public static class ContactEndpoints
{
    public static RouteGroupBuilder MapContacts(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/programmes/{id}").WithTags("Programmes").RequireAuthorization(Policies.Office);
        api.MapGet("/contacts", List).WithName("ListUnitContacts")
            .WithSummary("The units' contacts (联络员, 分管领导) and which channels each has; URLs and secrets are never shown.");
        api.MapPut("/units/{name}/contacts/{role}", Save).WithName("SaveUnitContact")
            .WithSummary("Creates or replaces the unit's contact of that role (liaison = 联络员, leader = 分管领导).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/units/{name}/contacts/{role}/test", Test).WithName("TestUnitContactChannel")
            .WithSummary("测试发送: queues a test message to one channel of the contact; it leaves with the next outbox run.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/contacts/import", Import).DisableAntiforgery().WithName("ImportUnitContacts")
            .WithSummary("XLSX with the columns 单位, 角色 (联络员/分管领导), 姓名, 手机, 邮箱, 企业微信机器人, 钉钉机器人, 钉钉加签密钥, Webhook, Webhook密钥: all rows or none (第N行 X列：…).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public sealed record ContactsImported(int Imported);

    public static async Task<Results<Ok<ContactsImported>, NotFound, ValidationProblem>> Import(
        string id, IFormFile? file, ProgrammeCatalog programmes, ContactImport import, HttpContext http, CancellationToken ct)
    {
        if (programmes.Find(id) is null)
        {
            return TypedResults.NotFound();
        }
        var answer = await SheetImport.UploadAsync(file, async (f, content) =>
            new ContactsImported(await import.ImportAsync(id, f.FileName, content, f.Length, http.User.NameOf(), ct)), "导入失败，未保存任何联系人");
        return answer.Result is Ok<ContactsImported> ok ? ok : (ValidationProblem)answer.Result;
    }

    public static async Task<Ok<IReadOnlyList<ContactView>>> List(string id, string? unit, ContactService contacts, CancellationToken ct) =>
        TypedResults.Ok(await contacts.ListAsync(id, unit, ct));

    public static async Task<Ok<ContactView>> Save(string id, string name, string role, ContactBody body, ContactService contacts, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await contacts.SaveAsync(id, new ContactInput(name, ContactService.ParseRole(role), body.Name, body.Phone, body.Email, body.WeComWebhook,
            body.DingTalkWebhook, body.DingTalkSecret, body.WebhookUrl, body.WebhookSecret), http.User.NameOf(), ct));

    public static async Task<Accepted<ChannelTestQueued>> Test(
        string id, string name, string role, ChannelTestBody body, ChannelFanout fanout, HttpContext http, CancellationToken ct)
    {
        var channel = ContactService.ParseChannel(body.Channel);
        var outboxId = await fanout.QueueTestAsync(id, name, ContactService.ParseRole(role), channel, http.User.NameOf(), ct);
        return TypedResults.Accepted((string?)null, new ChannelTestQueued(outboxId, ChannelFanout.ChannelLabel(channel)));
    }
}
