namespace CreationWorkflow.Web.Tests.Access;

/// <summary>
/// The sweep over <see cref="BodyInventory"/>: every operation of the OpenAPI document that takes a body is sent each of
/// its bad bodies by a caller the access table allows, and must answer 400 with a zh-CN ProblemDetails naming the member —
/// no .NET type name, no stack trace — and leave the database and the data folder as they were
/// (<see cref="AccessWorld.Fingerprint"/>). Shares the access sweep's world (one host for both).
/// </summary>
[Collection(AccessCollection.Name)]
public sealed partial class BodySweepTests(AccessWorld world)
{
    /// <summary>The callers tried first, in order: a unit acts on its own data; staff routes go to the office.</summary>
    private static readonly Who[] Preference = [Who.Unit, Who.Office, Who.Inspector, Who.Evaluator, Who.Leader];

    [Fact]
    public async Task Every_body_route_of_the_OpenAPI_document_is_in_the_inventory_with_a_case_for_each_kind()
    {
        var routes = await BodyRoutesAsync();
        var missing = routes.Where(r => !BodyInventory.Cases.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0,
            "Body routes without bad-body cases; add to BodyInventory.Cases:\n" + string.Join("\n", missing.Select(BodyInventory.RowFor)));
        var gone = BodyInventory.Cases.Keys.Where(k => !routes.Contains(k)).ToList();
        Assert.True(gone.Count == 0, "BodyInventory lists routes the document has no body for: " + string.Join(", ", gone));
        var uncovered = BodyInventory.Cases
            .SelectMany(kv => Enum.GetValues<Bad>().Where(kind => kv.Value.All(c => c.Kind != kind)).Select(kind => $"{kv.Key}: no {kind} case (or BodyCase.Na with why)"))
            .ToList();
        Assert.True(uncovered.Count == 0, string.Join("\n", uncovered));
        Assert.True(routes.Count >= 20, $"only {routes.Count} body routes found in the document");
    }

    [Fact]
    public async Task Every_bad_body_is_refused_with_400_naming_the_field_in_Chinese_and_nothing_changes()
    {
        var failures = new List<string>();
        var sent = 0;
        foreach (var (key, cases) in BodyInventory.Cases)
        {
            var ep = EndpointOf(key);
            using var anonymous = PageClient.Anonymous(world.App);
            var client = ep.Allowed == Who.Anyone ? anonymous : world.Api[Preference.First(r => ep.Allowed.HasFlag(r))];
            var owner = world.A;
            foreach (var bad in cases.Where(c => c.Body is not null))
            {
                var before = world.Fingerprint();
                using var request = new HttpRequestMessage(new HttpMethod(ep.Method), world.Fill(ep.Route, owner)) { Content = Content(bad.Body!, owner) };
                var response = await client.SendAsync(request);
                sent++;
                var body = await response.Content.ReadAsStringAsync();
                if (Problem(response, body, bad) is { } why)
                {
                    failures.Add($"{key} {bad}: {why}\n    {(int)response.StatusCode} {Clip(body)}");
                }
                if (world.Fingerprint() is var after && after != before)
                {
                    failures.Add($"{key} {bad} changed data:\n  before {before}\n  after  {after}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} bad bodies not refused as they should be:\n" + string.Join("\n", failures));
        Assert.True(sent >= 4 * 15, $"only {sent} bad bodies sent");
    }

    /// <summary>Why the answer is not a proper refusal of <paramref name="bad"/>, or null when it is.</summary>
    private static string? Problem(HttpResponseMessage response, string body, BodyCase bad)
    {
        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return "not 400";
        }
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return "not problem+json";
        }
        if (DotNetLeak().Match(body) is { Success: true } leak)
        {
            return $"leaks '{leak.Value}'";
        }
        var problem = JsonNode.Parse(body)!.AsObject();
        if (problem["errors"] is not JsonObject errors || !errors.Any(e => Named(e.Key, bad.Field)))
        {
            return $"errors do not name '{bad.Field}'";
        }
        var reasons = errors.Where(e => Named(e.Key, bad.Field)).SelectMany(e => e.Value!.AsArray()).Select(r => (string)r!).ToList();
        if (!reasons.All(r => Chinese().IsMatch(r)) || !Chinese().IsMatch((string?)problem["title"] ?? ""))
        {
            return "reason or title not in Chinese";
        }
        if (bad.Kind == Bad.TooLong && !reasons.Any(r => Regex.IsMatch(r, "\\d+")))
        {
            return "the reason does not name the limit";
        }
        return null;
    }

    /// <summary>The error key names the member: "startDate", "cases[0].content", "$.cases[0].content", "facts.checks['31.1']"…</summary>
    private static bool Named(string key, string field) =>
        key == field || key.EndsWith("." + field, StringComparison.Ordinal) || key.Contains(field, StringComparison.Ordinal);

    private HttpContent Content(string template, Owned owner)
    {
        var body = Long().Replace(world.FillBody(template, owner), m => new string('长', int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        body = Guids().Replace(body, m => "[" + string.Join(",", Enumerable.Range(0, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Select(_ => $"\"{Guid.NewGuid()}\"")) + "]");
        if (!body.StartsWith("multipart:", StringComparison.Ordinal))
        {
            return new StringContent(body, Encoding.UTF8, "application/json");
        }
        var form = new MultipartFormDataContent();
        foreach (var part in body["multipart:".Length..].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
        {
            if (part[0] != "files")
            {
                form.Add(new StringContent(part[1]), part[0]);
                continue;
            }
            for (var i = 0; i < int.Parse(part[1], System.Globalization.CultureInfo.InvariantCulture); i++)
            {
                var pdf = new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray());
                pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                form.Add(pdf, "files", $"扫描件{i}.pdf");
            }
        }
        return form;
    }

    /// <summary>"METHOD /path" for every operation of /openapi/v1.json that declares a request body.</summary>
    private async Task<HashSet<string>> BodyRoutesAsync()
    {
        using var anonymous = PageClient.Anonymous(world.App);
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                if (operation is JsonObject op && op["requestBody"] is not null)
                {
                    routes.Add($"{method.ToUpperInvariant()} {path}");
                }
            }
        }
        return routes;
    }

    /// <summary>The access table's row for a document key: "/api/assignments/{id}" is "/api/assignments/{id:guid}" there.</summary>
    private static Ep EndpointOf(string key) =>
        EndpointInventory.Table.SingleOrDefault(e => $"{e.Method} {Constraint().Replace(e.Route, "}")}" == key)
            ?? throw new InvalidOperationException($"{key} is not in EndpointInventory.Table");

    private static string Clip(string body) => body.Length <= 400 ? body : body[..400] + "…";

    [GeneratedRegex(":[a-z]+\\}")]
    private static partial Regex Constraint();

    [GeneratedRegex("LONG\\((\\d+)\\)")]
    private static partial Regex Long();

    [GeneratedRegex("GUIDS\\((\\d+)\\)")]
    private static partial Regex Guids();

    [GeneratedRegex("\\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    /// <summary>What must never reach a caller: .NET type names, framework messages, stack frames.</summary>
    [GeneratedRegex("System\\.[A-Z]|CreationWorkflow\\.|Microsoft\\.|Exception|\\bat [A-Z]\\w+\\.|could not be converted|JSON deserialization|LineNumber")]
    private static partial Regex DotNetLeak();
}
