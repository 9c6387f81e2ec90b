namespace CreationWorkflow.Web.Tests.Operations;

/// <summary>
/// /health/live and /health/ready against a real PostgreSQL that is stopped and started again; while it is down the API
/// answers 503 with Retry-After and a zh-CN ProblemDetails, pages the zh-CN "服务暂时不可用" page.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthTests(PostgresServer postgres)
{
    [Fact]
    public async Task Health_follows_the_database_down_and_up_again()
    {
        var clock = new TestClock(new DateTimeOffset(2022, 1, 10, 9, 0, 0, TimeSpan.FromHours(8)));
        using var app = new AppFactory
        {
            Postgres = await postgres.CreateDatabaseAsync(), Clock = clock,
            Settings = new Dictionary<string, string> { ["CreationWorkflow:Operations:OutboxWarnAfter"] = "00:30:00" },
        };
        try
        {
            var office = await app.ClientFor(Roles.Office);
            var page = await PageClient.SignInAsync(app, Roles.Office);
            var anonymous = app.CreateClient();

            var live = await anonymous.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            var ready = await ReadyAsync(anonymous);
            Assert.Equal((HttpStatusCode.OK, "Healthy"), (ready.Status, ready.Body["status"]!.GetValue<string>()));
            Assert.Equal(["database", "outbox", "scheduler", "timers"], Names(ready.Body));

            // Mail waiting longer than the threshold: still ready (200), but Degraded, saying why.
            app.WithDb(db =>
            {
                db.Outbox.Add(new OutboxMessage
                {
                    MessageId = "<health-test@cw>", To = "office@example.org", ToName = "创建办", Subject = "测试", BodyText = "测试",
                    State = OutboxState.Pending, CreatedAt = clock.GetUtcNow().AddHours(-2), NextAttemptAt = clock.GetUtcNow(),
                });
                return db.SaveChanges();
            });
            ready = await ReadyAsync(anonymous);
            Assert.Equal((HttpStatusCode.OK, "Degraded"), (ready.Status, Check(ready.Body, "outbox")["status"]!.GetValue<string>()));
            Assert.Contains("7200 s", Check(ready.Body, "outbox")["description"]!.GetValue<string>());

            await postgres.StopServerAsync();
            try
            {
                Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
                ready = await ReadyAsync(anonymous);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
                Assert.Equal("Unhealthy", Check(ready.Body, "database")["status"]!.GetValue<string>());

                var api = await office.GetAsync("/api/campaigns");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
                Assert.Equal("10", api.Headers.RetryAfter!.ToString());
                var problem = await api.Content.ReadFromJsonAsync<JsonObject>();
                Assert.Equal(DatabaseUnavailableHandler.Title, (string)problem!["title"]!);

                var html = await page.GetAsync("/");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, html.StatusCode);
                Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
                Assert.NotNull(html.Headers.RetryAfter);
                Assert.Contains("<h1>服务暂时不可用</h1>", await html.Content.ReadAsStringAsync());
            }
            finally
            {
                await postgres.StartServerAgainAsync();
            }

            // Back up: ready again, and the API answers (the pool recovers).
            for (var attempt = 0; (ready = await ReadyAsync(anonymous)).Status != HttpStatusCode.OK && attempt < 40; attempt++)
            {
                await Task.Delay(250);
            }
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/api/campaigns")).StatusCode);
        }
        finally
        {
            app.DeleteFolders();
        }
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static List<string> Names(JsonObject body) =>
        [.. body["checks"]!.AsArray().Select(c => (string)c!["name"]!).Order(StringComparer.Ordinal)];

    private static JsonObject Check(JsonObject body, string name) =>
        body["checks"]!.AsArray().Single(c => (string)c!["name"]! == name)!.AsObject();
}
