namespace CreationWorkflow.Web.Accounts;

/// <summary>批量导入账户 (/accounts/import, office): all rows or none; the answer to a good sheet is the sheet of initial passwords.</summary>
[Authorize(Policy = Policies.Office)]
[RequestSizeLimit(AccountImport.MaxFileBytes + 64 * 1024)]
public sealed class ImportModel(AccountImport import, TimeProvider clock) : PageModel
{
    [BindProperty] public IFormFile? Upload { get; set; }

    public string? FileName { get; private set; }
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Upload is null)
        {
            (FileName, Errors) = ("", ["请选择要导入的 XLSX 文件。"]);
            this.Invalid();
            return Page();
        }
        FileName = Upload.FileName;
        try
        {
            await using var content = Upload.OpenReadStream();
            var created = await import.ImportAsync(Upload.FileName, content, Upload.Length, User.NameOf(), ct);
            Response.Headers.CacheControl = "no-store";
            var today = ChinaTime.Today(clock.GetUtcNow());
            return File(AccountImport.PasswordSheet(created, User.NameOf(), today), SheetWriter.ContentType, $"账户初始密码-{today:yyyyMMdd}.xlsx");
        }
        catch (AccountImportException e)
        {
            Errors = e.Errors;
            this.Invalid();
            return Page();
        }
    }
}
