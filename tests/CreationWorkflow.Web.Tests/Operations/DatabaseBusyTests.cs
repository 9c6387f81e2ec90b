namespace CreationWorkflow.Web.Tests.Operations;

/// <summary>
/// Another process holds SQLite's write lock: after the bounded wait (1 s here) the API answers 503 with Retry-After and a
/// zh-CN ProblemDetails, a page form the zh-CN "服务暂时不可用" page, and nothing is stored; reads go on.
/// </summary>
public sealed class DatabaseBusyTests : IDisposable
{
    private readonly AppFactory app = new()
    {
        Settings = new Dictionary<string, string>
        {
            ["CreationWorkflow:Operations:SqliteBusyTimeoutSeconds"] = "1",
            ["CreationWorkflow:Operations:RetryAfterSeconds"] = "7",
        },
    };

    public void Dispose()
    {
        app.Dispose();
        app.DeleteFolders();
    }

    [Fact]
    public async Task A_held_write_lock_gives_503_with_retry_after_and_a_chinese_page()
    {
        var office = await app.ClientFor(Roles.Office);
        var page = await PageClient.SignInAsync(app, Roles.Office);
        var form = await page.GetStringAsync("/campaigns/new");
        var before = app.WithDb(db => db.Campaigns.Count());

        await using (var holder = new SqliteConnection($"Data Source={Path.Combine(app.DataPath, "creationworkflow.db")};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var api = await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "hechi-2021", startDate = "2022-01-01" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            Assert.Equal("7", api.Headers.RetryAfter!.ToString());
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
            var problem = (await api.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal((DatabaseUnavailableHandler.Title, 503), ((string)problem["title"]!, (int)problem["status"]!));
            Assert.DoesNotContain("Sqlite", problem.ToJsonString(), StringComparison.OrdinalIgnoreCase);

            var posted = await page.PostAsync("/campaigns/new", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["ProgrammeId"] = "hechi-2021", ["StartDate"] = "2022-01-01", ["__RequestVerificationToken"] = PageClient.Token(form),
            }));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, posted.StatusCode);
            Assert.Equal("7", posted.Headers.RetryAfter!.ToString());
            Assert.Equal("text/html", posted.Content.Headers.ContentType!.MediaType);
            var html = await posted.Content.ReadAsStringAsync();
            Assert.Contains("<h1>服务暂时不可用</h1>", html);
            Assert.DoesNotContain("problem", html, StringComparison.OrdinalIgnoreCase);
            // Bounded: both answered well before Microsoft.Data.Sqlite's default 30 s wait each.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), $"took {watch.Elapsed}");

            // Reading still works while the writer holds its lock.
            Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/api/campaigns")).StatusCode);
        }
        Assert.Equal(before, app.WithDb(db => db.Campaigns.Count()));
        Assert.Equal(HttpStatusCode.Created, (await office.PostAsJsonAsync("/api/campaigns", new { programmeId = "taijiang-2022", startDate = "2022-01-01", assessedUnits = new[] { "甲单位" } })).StatusCode);
    }
}
