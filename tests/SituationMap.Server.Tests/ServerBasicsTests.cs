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
        Assert.Equal(["kind", "risk_level", "district", "from", "to", "bbox", "limit", "after"], parameters);
    }

    [Fact]
    public async Task HealthReportsTheLiveFeed()
    {
        for (var i = 0; i < 50 && (await _client.GetAsync("/health")).StatusCode != HttpStatusCode.OK; i++) await Task.Delay(100);
        var response = await _client.GetAsync("/health");
        using var health = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        Assert.StartsWith("change feed at seq", health.RootElement.GetProperty("checks").GetProperty("live-feed").GetProperty("description").GetString());
        Assert.True(health.RootElement.GetProperty("leader").GetBoolean(), "a lone node leads");
        Assert.Equal(health.RootElement.GetProperty("node").GetString(), response.Headers.GetValues("X-SituationMap-Node").Single());
    }

    [Fact]
    public async Task MetricsArePrometheusTextForAdministratorsOnly()
    {
        await _client.GetAsync("/api/incidents?limit=1"); // at least one request to count
        var admin = server.CreateClient(await server.CreateTokenAsync("metrics-admin", ["admin"], []));
        string text = "";
        for (var i = 0; i < 50 && !text.Contains("http_server_request_duration", StringComparison.Ordinal); i++)
        {
            if (i > 0) await Task.Delay(200);
            var response = await admin.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("http_server_request_duration", text); // request rates, per route and status
        Assert.Contains("situationmap_live_feed_behind", text); // the live stream's lag behind the change log
        Assert.Contains("situationmap_live_connections", text);
        var viewer = server.CreateClient(await server.CreateTokenAsync("metrics-viewer", ["viewer"], []));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task LivenessAnswersWithoutChecks()
    {
        var response = await _client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(health.RootElement.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task UnknownRoutesAreProblemDetails()
    {
        var response = await _client.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
