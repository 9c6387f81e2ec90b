using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace CreationWorkflow.Web.Tests.Access;

/// <summary>
/// Every endpoint the host exposes is classified in <see cref="EndpointInventory.Table"/>, and every row there exists:
/// a new endpoint or page handler fails this test until someone decides who may call it (and the sweeps then check it).
/// </summary>
[Collection(AccessCollection.Name)]
public sealed class EndpointInventoryTests(AccessWorld world)
{
    [Fact]
    public async Task Every_endpoint_is_classified_and_every_classified_endpoint_exists()
    {
        var found = await EndpointInventory.DiscoverAsync(world.App.Services);
        var missing = found.Where(k => !EndpointInventory.ByKey.ContainsKey(k)).ToList();
        var gone = EndpointInventory.Table.Select(e => e.Key).Where(k => !found.Contains(k)).ToList();
        Assert.True(missing.Count == 0 && gone.Count == 0,
            (missing.Count == 0 ? "" : "Endpoints not classified; add to EndpointInventory.Table (say who may call it):\n"
                + string.Join("\n", missing.Select(EndpointInventory.RowFor)) + "\n")
            + (gone.Count == 0 ? "" : "Rows in EndpointInventory.Table for endpoints that no longer exist; remove:\n" + string.Join("\n", gone)));
        Assert.Equal(EndpointInventory.Table.Count, EndpointInventory.ByKey.Count); // no row twice
        Assert.Contains("GET /api/assignments/{id:guid}", found);
        Assert.Contains("POST /assignments/{id:guid}?handler=Progress", found);
    }

    /// <summary>The table's anonymous rows are exactly the endpoints that carry [AllowAnonymous]; everything else needs a sign-in.</summary>
    [Fact]
    public void Only_the_endpoints_classified_as_open_allow_anonymous_callers()
    {
        var open = world.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").Trim('/')).Distinct().Order(StringComparer.Ordinal).ToList();
        var classified = EndpointInventory.Table.Where(e => e.Allowed == Who.Anyone).Select(e => e.Route).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(classified, open);
    }

    /// <summary>Static files are served before authorization and are public; they are not endpoints, so check one here.</summary>
    [Fact]
    public async Task Static_files_are_public()
    {
        using var anonymous = world.App.CreateClient();
        var css = await anonymous.GetAsync("/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
    }
}
