using System.Net;
using SituationMap.Testing;

namespace SituationMap.Server.Tests;

public sealed class ServerBasicsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    [Fact]
    public async Task OpenApiDocumentListsEveryLayerAndDescribesGeometriesAsGeoJson()
    {
        var response = await _client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await response.JsonAsync();
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var route in new[] { "/api/incidents", "/api/cameras", "/api/patrol-routes", "/api/patrol-units", "/api/zones", "/api/districts", "/api/roads", "/api/patrol-units/positions", "/tiles/{layer}/{z}/{x}/{y}" })
            Assert.Contains(paths, p => p.StartsWith(route, StringComparison.Ordinal));
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.Equal(["type", "coordinates"], schemas.GetProperty("Geometry").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Contains("property_theft", schemas.GetProperty("IncidentCategory").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        var parameters = doc.GetProperty("paths").GetProperty("/api/zones").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["kind", "risk_level", "district", "bbox", "limit", "after"], parameters);
    }

    [Fact]
    public async Task HealthReportsTheLiveFeed()
    {
        for (var i = 0; i < 50 && (await _client.GetAsync("/health")).StatusCode != HttpStatusCode.OK; i++) await Task.Delay(100);
        Assert.Equal("Healthy", await (await _client.GetAsync("/health")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownRoutesAreProblemDetails()
    {
        var response = await _client.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
