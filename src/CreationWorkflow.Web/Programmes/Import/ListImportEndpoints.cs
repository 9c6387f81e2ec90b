using CreationWorkflow.Core.Programmes.Lists;

namespace CreationWorkflow.Web.Programmes.Import;

/// <summary>The API twins of the import pages (office only) and the list export (signed in, like the list itself).</summary>
public static class ListImportEndpoints
{
    public static IEndpointRouteBuilder MapListImport(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/programmes/imports").WithTags("Programmes").RequireAuthorization(Policies.Office);
        api.MapPost("/", Upload).DisableAntiforgery().WithName("ImportList")
            .WithSummary("Uploads a responsibility list (XLSX or DOCX, 附件2 layout; form fields file, programmeId, title, baseProgramme): a draft, or every fault by table, row and column. Nothing is published.")
            .WithMetadata(new RequestSizeLimitAttribute(ListFiles.MaxFileBytes + 64 * 1024));
        api.MapGet("/", List).WithName("ListImportDrafts").WithSummary("The drafts waiting to be published, each with its entries, unconfirmed units and open problems.");
        api.MapPut("/{draft}/entries/{item}/rules", SetRules).WithName("SetDraftRules")
            .WithSummary("Sets one entry's rules (item key: 7, B1, P1, N1); its flags are resolved.");
        api.MapPut("/{draft}/units", SetUnits).WithName("SetDraftUnits")
            .WithSummary("Confirms names the directory does not know: alias of a known unit or group, a new unit (kind), or a new group (members).");
        api.MapPost("/{draft}/publish", Publish).WithName("PublishDraft")
            .WithSummary("Publishes the draft as a new programme or a new version of one; refused (409) while anything is unconfirmed.");
        api.MapDelete("/{draft}", Discard).WithName("DiscardDraft");
        app.MapGet("/api/programmes/{id}/list.xlsx", Export).RequireAuthorization().WithTags("Programmes").WithName("ExportList")
            .WithSummary("The programme's responsibility list as XLSX in the import layout, with the 规则 sheet; importing it gives the same programme.");
        app.MapGet("/programmes/{id}/list.xlsx", Export).RequireAuthorization().WithName("ExportListPage").ExcludeFromDescription();
        return app;
    }

    public static async Task<Results<Created<DraftView>, ValidationProblem>> Upload(
        IFormFile? file, [FromForm] string? programmeId, [FromForm] string? title, [FromForm] string? baseProgramme,
        HttpContext http, ListImportService import, CancellationToken ct)
    {
        if (file is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["请上传 XLSX 或 DOCX 文件（表单字段 file）。"] }, title: "请求有误");
        }
        try
        {
            await using var content = file.OpenReadStream();
            var draft = await import.UploadAsync(file.FileName, content, file.Length, programmeId, title, baseProgramme, http.User.NameOf(), ct);
            return TypedResults.Created($"/programmes/import?draft={draft.Id}", draft);
        }
        catch (ListFormatException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [.. e.Errors.Select(x => x.ToString())] },
                detail: e.Message, title: "清单未导入，未保存任何内容");
        }
    }

    public static async Task<Ok<IReadOnlyList<DraftView>>> List(ListImportService import, CancellationToken ct) =>
        TypedResults.Ok(await import.ListAsync(ct));

    public static async Task<Results<Ok<DraftView>, NotFound>> SetRules(string draft, string item, EntryRules body, HttpContext http, ListImportService import, CancellationToken ct) =>
        Guid.TryParse(draft, out var id) ? TypedResults.Ok(await import.SetRulesAsync(id, item, body.Rules, http.User.NameOf(), ct)) : TypedResults.NotFound();

    public static async Task<Results<Ok<DraftView>, NotFound>> SetUnits(string draft, UnitDecisions body, HttpContext http, ListImportService import, CancellationToken ct) =>
        Guid.TryParse(draft, out var id) ? TypedResults.Ok(await import.SetUnitsAsync(id, body.Decisions, http.User.NameOf(), ct)) : TypedResults.NotFound();

    public static async Task<Results<Ok<PublishedList>, NotFound>> Publish(string draft, HttpContext http, ListImportService import, CancellationToken ct) =>
        Guid.TryParse(draft, out var id) ? TypedResults.Ok(await import.PublishAsync(id, http.User.NameOf(), ct)) : TypedResults.NotFound();

    public static async Task<Results<NoContent, NotFound>> Discard(string draft, HttpContext http, ListImportService import, CancellationToken ct)
    {
        if (!Guid.TryParse(draft, out var id))
        {
            return TypedResults.NotFound();
        }
        await import.DiscardAsync(id, http.User.NameOf(), ct);
        return TypedResults.NoContent();
    }

    public static Results<FileContentHttpResult, NotFound> Export(string id, ProgrammeCatalog catalog, HttpContext http, TimeProvider clock)
    {
        if (catalog.Find(id) is not { } p)
        {
            return TypedResults.NotFound();
        }
        var today = ChinaTime.Today(clock.GetUtcNow());
        return TypedResults.File(ListImportService.Export(p, http.User.NameOf(), today), SheetWriter.ContentType, $"{p.Id}-责任清单.xlsx");
    }
}
