namespace CreationWorkflow.Web.Tests.Access;

/// <summary>
/// Evidence uploads, through the API (multipart with a bearer token) and the page form (/assignments/{id}?handler=Progress),
/// by unit A on its own acknowledged assignment: a body that lies about its type, a file over the limit (4 KB here) and a
/// path-traversal or control-character name are each refused with a zh-CN message naming the file and the reason, and
/// nothing is stored (no row, no file in the data folder). Evidence comes back only as a sniff-proof attachment.
/// </summary>
[Collection(AccessCollection.Name)]
public sealed class UploadTests(AccessWorld world)
{
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();

    /// <summary>(file name as sent, declared type, body, status, what the message must say).</summary>
    public static TheoryData<string, string, string, int, string> Refusals => new()
    {
        // Content that lies about its type.
        { "报告.pdf", "application/pdf", "html", 400, "文件「报告.pdf」的内容与声明的类型（PDF）不符，已拒收。" },
        { "setup.pdf", "application/pdf", "exe", 400, "文件「setup.pdf」的内容与声明的类型（PDF）不符，已拒收。" },
        { "scan.png", "image/png", "html", 400, "文件「scan.png」的内容与声明的类型（PNG）不符，已拒收。" },
        { "报告.pdf", "text/html", "html", 400, "文件「报告.pdf」的类型（text/html）不受支持" },
        { "setup.exe", "application/x-msdownload", "exe", 400, "文件「setup.exe」的类型（application/x-msdownload）不受支持" },
        { "page.html", "application/pdf", "pdf", 400, "文件「page.html」的扩展名与声明的类型（PDF）不符" },
        { "noextension", "application/pdf", "pdf", 400, "文件「noextension」的扩展名与声明的类型（PDF）不符" },
        // Over the limit (4 KB in this world).
        { "大文件.pdf", "application/pdf", "big", 413, "文件「大文件.pdf」超过大小上限（4KB），已拒收。" },
        // Paths and control characters in the name.
        { "../../evil.pdf", "application/pdf", "pdf", 400, "文件名「../../evil.pdf」不合规" },
        { "..\\x.pdf", "application/pdf", "pdf", 400, "不合规：不得包含路径" },
        { "/etc/cron.d/evil.pdf", "application/pdf", "pdf", 400, "文件名「/etc/cron.d/evil.pdf」不合规" },
        { "C:\\Windows\\evil.pdf", "application/pdf", "pdf", 400, "不合规：不得包含路径" },
        { "C:evil.pdf", "application/pdf", "pdf", 400, "文件名「C:evil.pdf」不合规" },
        { "..", "application/pdf", "pdf", 400, "文件名「..」不合规" },
        { "evil%00.pdf", "application/pdf", "pdf", 400, "文件名「evil\uFFFD.pdf」不合规" },
        { "evil%0D%0A.pdf", "application/pdf", "pdf", 400, "文件名「evil\uFFFD\uFFFD.pdf」不合规" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_upload_through_the_API_is_refused_with_a_clear_message_and_nothing_is_stored(string name, string type, string body, int status, string message)
    {
        var before = world.Fingerprint();
        var form = new MultipartFormDataContent { { new StringContent("附件进展"), "text" } };
        form.Add(Part(name, type, body));
        var response = await world.Api[Who.Unit].PostAsync($"/api/assignments/{world.A.Assignment}/progress", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(message, System.Text.Json.Nodes.JsonNode.Parse(text)!["errors"]!["files"]![0]!.GetValue<string>());
        Assert.Equal(before, world.Fingerprint());
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_upload_through_the_page_form_is_refused_with_a_clear_message_and_nothing_is_stored(string name, string type, string body, int status, string message)
    {
        var client = world.Pages[Who.Unit];
        var page = $"/assignments/{world.A.Assignment}";
        var html = await client.GetStringAsync(page);
        Assert.Contains("进展填报", html);
        var before = world.Fingerprint();
        var form = new MultipartFormDataContent
        {
            { new StringContent(PageClient.Token(html)), "__RequestVerificationToken" },
            { new StringContent("附件进展"), "text" },
        };
        form.Add(Part(name, type, body));
        var response = await client.PostAsync($"{page}?handler=Progress", form);
        var text = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        Assert.Contains(message, text);
        Assert.Contains("class=\"error\"", text);
        Assert.Contains("附件进展", text); // the text is kept on the form
        Assert.Equal(before, world.Fingerprint());
    }

    [Fact]
    public async Task Evidence_is_served_only_as_a_sniff_proof_attachment()
    {
        var api = await world.Api[Who.Unit].GetAsync($"/api/assignments/{world.A.Assignment}/evidence/{world.A.File}");
        var page = await world.Pages[Who.Unit].GetAsync($"/assignments/{world.A.Assignment}?handler=Evidence&fileId={world.A.File}");
        foreach (var response in new[] { api, page })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(world.A.FileName, response.Content.Headers.ContentDisposition.FileNameStar);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("%PDF-", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
        }
    }

    /// <summary>
    /// A file part with the Content-Disposition written by hand, as a hostile client would: the name goes on the wire as
    /// given ("%XX" is decoded first, so control characters can be sent), in filename* (RFC 5987) when it is not plain ASCII.
    /// </summary>
    private static ByteArrayContent Part(string name, string type, string body)
    {
        var bytes = body switch
        {
            "pdf" => Pdf,
            "html" => "<html><body><script>alert(document.cookie)</script></body></html>"u8.ToArray(),
            "exe" => [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00],
            "big" => [.. Pdf, .. new byte[AccessWorld.MaxUploadBytes]],
            _ => throw new ArgumentOutOfRangeException(nameof(body)),
        };
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(type);
        var raw = Uri.UnescapeDataString(name);
        var disposition = raw.All(c => c is >= ' ' and < (char)127)
            ? $"form-data; name=\"files\"; filename=\"{name}\""
            : $"form-data; name=\"files\"; filename*=UTF-8''{Uri.EscapeDataString(raw)}";
        Assert.True(part.Headers.TryAddWithoutValidation("Content-Disposition", disposition));
        return part;
    }
}
