using CreationWorkflow.Core.Coverage;
using CreationWorkflow.Core.Seeding;

namespace CreationWorkflow.Web.Tests.Coverage;

/// <summary>
/// One host (real SQLite file) on 2023-06-01 for a test class of the register: API clients for the office, two counties
/// (金城江区, 宜州区), a leader, a lead unit of item 47 (市民宗委) and a unit with no part in the register (市教育局). The
/// coverage definition is read from the repository's seed/, so targets in expectations come from the same file.
/// </summary>
public sealed class CoverageWorld : IAsyncLifetime
{
    public const string Programme = "hechi-2021";
    public const string Jinchengjiang = "金城江区";
    public const string Yizhou = "宜州区";
    public const string Lead = "市民宗委";
    public const string Outsider = "市教育局";

    public TestClock Clock { get; } = new(new DateTimeOffset(2023, 6, 1, 10, 0, 0, TimeSpan.FromHours(8)));
    public AppFactory App { get; }
    public HttpClient Office { get; private set; } = null!;
    public HttpClient County { get; private set; } = null!;
    public HttpClient OtherCounty { get; private set; } = null!;
    public HttpClient Leader { get; private set; } = null!;
    public HttpClient LeadUnit { get; private set; } = null!;
    public HttpClient OutsiderUnit { get; private set; } = null!;

    public static CoverageDefinition Definition { get; } = CoverageLoader.LoadAll(
        Path.Combine(AppFactory.RepoRoot, "seed"), SeedLoader.LoadAll(Path.Combine(AppFactory.RepoRoot, "seed")).ToDictionary(p => p.Id)).Single();

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public CoverageWorld() => App = new AppFactory { Clock = Clock };

    public async Task InitializeAsync()
    {
        Office = await App.ClientFor(Roles.Office);
        County = await App.ClientFor(Roles.Unit, Jinchengjiang);
        OtherCounty = await App.ClientFor(Roles.Unit, Yizhou);
        Leader = await App.ClientFor(Roles.Leader);
        LeadUnit = await App.ClientFor(Roles.Unit, Lead);
        OutsiderUnit = await App.ClientFor(Roles.Unit, Outsider);
    }

    public static string Api(string rest) => $"/api/programmes/{Programme}/{rest}";

    /// <summary>Enters a place (201 asserted) and returns its view.</summary>
    public static async Task<JsonObject> AddAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync(Api("register"), body, Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public int Places() => App.WithDb(db => db.Places.Count());

    public int Audits() => App.WithDb(db => db.Audit.Count(a => !a.Action.StartsWith("signin.")));

    public Task DisposeAsync()
    {
        App.Dispose();
        App.DeleteFolders();
        return Task.CompletedTask;
    }
}
