using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SituationMap.Server.Tests.Security;
using SituationMap.Testing;
using Xunit.Abstractions;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Validation;

/// <summary>
/// Every rejected write gets a 4xx problem+json that names what is wrong and where (a JSON pointer), and nothing is
/// written: no row, no change-log entry. The class checks the latter after each case. Each case tried is counted
/// (<see cref="HostileInputTally"/>).
/// </summary>
public sealed class BadInputTests(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    public static TheoryData<string, string, string, string> BadIncidents => new()
    {
        // name, body, expected pointer, words expected in the message
        { "longitude out of range", Incident(200, 40).ToJsonString(), "/geometry/coordinates/0", "longitude 200 is outside [-180, 180]" },
        { "latitude out of range", Incident(114, -91).ToJsonString(), "/geometry/coordinates/1", "latitude -91 is outside [-90, 90]" },
        { "huge number", """{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,40]},"properties":{"category":"violent","severity":2,"occurred_at":"2026-01-01T00:00:00Z"}}""", "/geometry/coordinates/0", "not a finite number" },
        { "string coordinate", """{"type":"Feature","geometry":{"type":"Point","coordinates":["114.9",40.8]},"properties":{"category":"violent","severity":2,"occurred_at":"2026-01-01T00:00:00Z"}}""", "/geometry/coordinates/0", "must be a number" },
        { "one-number position", """{"type":"Feature","geometry":{"type":"Point","coordinates":[114.9]},"properties":{"category":"violent","severity":2,"occurred_at":"2026-01-01T00:00:00Z"}}""", "/geometry/coordinates", "2 or 3 numbers" },
        { "empty point", """{"type":"Feature","geometry":{"type":"Point","coordinates":[]},"properties":{"category":"violent","severity":2,"occurred_at":"2026-01-01T00:00:00Z"}}""", "/geometry/coordinates", "2 or 3 numbers" },
        { "null geometry", """{"type":"Feature","geometry":null,"properties":{"category":"violent","severity":2,"occurred_at":"2026-01-01T00:00:00Z"}}""", "/geometry", "a geometry is required" },
        { "wrong geometry type", Feature(Line((114.9, 40.8), (114.91, 40.81)), IncidentProperties()).ToJsonString(), "/geometry/type", "this layer takes Point" },
        { "foreign crs", """{"type":"Feature","geometry":{"type":"Point","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"coordinates":[12790000,4980000]},"properties":{"category":"violent","severity":2,"occurred_at":"2026-01-01T00:00:00Z"}}""", "/geometry/crs", "only WGS84" },
        { "severity out of range", Incident().With("severity", 7).ToJsonString(), "/properties/severity", "7 is outside [1, 4]" },
        { "severity of wrong type", Incident().With("severity", "high").ToJsonString(), "/properties/severity", "expected an integer" },
        { "unknown category", Incident().With("category", "espionage").ToJsonString(), "/properties/category", "'espionage' is not one of: violent, property_theft" },
        { "category as integer", Incident().With("category", 3).ToJsonString(), "/properties/category", "expected a string" },
        { "missing category", Incident().With("category", null).ToJsonString(), "/properties/category", "is required" },
        { "time without offset", Incident().With("occurred_at", "2026-11-01T08:00:00").ToJsonString(), "/properties/occurred_at", "with an offset" },
        { "time in the future", Incident().With("occurred_at", Iso(DateTimeOffset.UtcNow.AddDays(2))).ToJsonString(), "/properties/occurred_at", "in the future" },
        { "reported before it occurred", Incident().With("reported_at", Iso(DateTimeOffset.UtcNow.AddHours(-5))).ToJsonString(), "/properties/reported_at", "before occurred_at" },
        { "unknown property", Incident().With("suspect_name", "x").ToJsonString(), "/properties/suspect_name", "unknown property" },
        { "enormous string", Incident().With("description", new string('x', 5000)).ToJsonString(), "/properties/description", "at most 4000" },
        { "NUL character", Incident().With("address", "a\u0000b").ToJsonString(), "/properties/address", "NUL" },
        { "not a feature", """{"type":"FeatureCollection","features":[]}""", "/type", "must be \"Feature\"" },
        { "array body", "[1,2,3]", "", "must be a GeoJSON Feature object" },
        { "malformed JSON", """{"type":"Feature","geometry":{"type":"Point","coordinates":[114.9,40.8]},"properties":{"category":"violent",}""", "", "not valid JSON at line 1" },
        { "NaN literal", """{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,40.8]},"properties":{}}""", "", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadIncidents))]
    public async Task BadIncidentIsRefusedWithWhatAndWhereAndNothingIsWritten(string name, string body, string pointer, string words)
    {
        var response = await RefusedAsync("/api/incidents", Encoding.UTF8.GetBytes(body), name);
        var problem = await response.JsonAsync();
        var errors = Errors(problem);
        Assert.True(errors.Any(e => e.StartsWith(pointer + ": ", StringComparison.Ordinal) && e.Contains(words, StringComparison.Ordinal)),
            $"{name}: expected '{pointer}: …{words}…' in [{string.Join(" | ", errors)}]");
    }

    [Fact]
    public async Task SelfIntersectingPolygonIsRefusedWithTheLocationOfTheCrossing()
    {
        var bowtie = """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.81],[114.91,40.80],[114.90,40.81],[114.90,40.80]]]}""";
        var response = await RefusedAsync("/api/zones", Zone(bowtie), "bow-tie");
        var error = Assert.Single(Errors(await response.JsonAsync()));
        Assert.StartsWith("/geometry: invalid geometry: self-intersection at (114.905, 40.805)", error);
    }

    [Fact]
    public async Task SpikeInAPolygonIsRefused()
    {
        var spike = """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.80],[114.91,40.81],[114.905,40.81],[114.905,40.85],[114.905,40.81],[114.90,40.81],[114.90,40.80]]]}""";
        var response = await RefusedAsync("/api/zones", Zone(spike), "spike");
        Assert.Contains("/geometry: invalid geometry", Assert.Single(Errors(await response.JsonAsync())));
    }

    [Fact]
    public async Task UnclosedRingIsRefusedNamingTheRing()
    {
        var open = """{"type":"Polygon","coordinates":[[[114.90,40.80],[114.91,40.80],[114.91,40.81],[114.90,40.81]]]}""";
        var response = await RefusedAsync("/api/zones", Zone(open), "unclosed");
        Assert.StartsWith("/geometry/coordinates/0: the ring is not closed", Assert.Single(Errors(await response.JsonAsync())));
    }

    [Fact]
    public async Task EmptyMultiPolygonIsRefused()
    {
        var response = await RefusedAsync("/api/zones", Zone("""{"type":"MultiPolygon","coordinates":[]}"""), "empty");
        Assert.StartsWith("/geometry/coordinates: the geometry is empty", Assert.Single(Errors(await response.JsonAsync())));
    }

    /// <summary>10⁶ vertices (about 30 MB of GeoJSON) are over the 8 MiB body limit: refused before the body is read.</summary>
    [Fact]
    public async Task GeometryWithAMillionVerticesIsRefusedWithoutBeingRead()
    {
        var before = await HeadAsync();
        var zones = await server.Database.ScalarAsync("SELECT count(*) FROM zones");
        var body = "{\"type\":\"Feature\",\"geometry\":" + WritePathHostileInputTests.MillionVertexRing() + ",\"properties\":{\"name\":\"z\",\"kind\":\"school\",\"risk_level\":2}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/zones") { Content = Raw(body, "application/geo+json") };
        request.Headers.ExpectContinue = true;
        var response = await _client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.True(detail!.Contains("MiB", StringComparison.Ordinal) || detail.Contains("too many positions", StringComparison.Ordinal), detail);
        Assert.Equal(before, await HeadAsync());
        Assert.Equal(zones, await server.Database.ScalarAsync("SELECT count(*) FROM zones"));
        HostileInputTally.Report(output, nameof(GeometryWithAMillionVerticesIsRefusedWithoutBeingRead), 1);
    }

    /// <summary>Under the body limit, 120,000 positions are stopped by the geometry reader's limit of 100,000.</summary>
    [Fact]
    public async Task GeometryWithTooManyVerticesIsRefusedEarly()
    {
        var ring = Enumerable.Range(0, 120_000).Select(i => (114.9 + 0.01 * Math.Cos(i * 2 * Math.PI / 120_000), 40.8 + 0.01 * Math.Sin(i * 2 * Math.PI / 120_000))).ToList();
        ring.Add(ring[0]);
        var coordinates = string.Join(",", ring.Select(p => FormattableString.Invariant($"[{p.Item1},{p.Item2}]")));
        var response = await RefusedAsync("/api/zones", Zone($$"""{"type":"Polygon","coordinates":[[{{coordinates}}]]}"""), "too many vertices");
        Assert.Contains(Errors(await response.JsonAsync()), e => e.Contains("too many positions: at most 100000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CameraValuesOutOfRangeAreEachReported()
    {
        var camera = Camera().With("heading_deg", 360).With("field_of_view_deg", 0).With("range_m", 1500);
        var response = await RefusedAsync("/api/cameras", camera.ToJsonString(), "camera ranges");
        var errors = Errors(await response.JsonAsync());
        Assert.Contains(errors, e => e.StartsWith("/properties/heading_deg: 360 is outside [0, 360)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/properties/field_of_view_deg: 0 is outside (0, 360]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/properties/range_m: 1500 is outside (0, 1000]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongContentTypeIs415()
    {
        var before = await HeadAsync();
        HostileInputTally.Report(output, nameof(WrongContentTypeIs415), 1);
        var response = await _client.PostAsync("/api/incidents", new StringContent(Incident().ToJsonString(), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await HeadAsync());
    }

    [Fact]
    public async Task BodyOverTheSizeLimitIs413()
    {
        var before = await HeadAsync();
        HostileInputTally.Report(output, nameof(BodyOverTheSizeLimitIs413), 1);
        var padding = new string(' ', 9 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = Raw(Incident().ToJsonString() + padding) };
        request.Headers.ExpectContinue = true; // the server answers before the body is sent
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await HeadAsync());
    }

    [Theory]
    [InlineData("/api/incidents?bbox=1,2,3", "?bbox", "four numbers")]
    [InlineData("/api/incidents?bbox=10,50,5,60", "?bbox", "min must not exceed max")]
    [InlineData("/api/incidents?bbox=-200,0,10,10", "?bbox", "within [-180, 180]")]
    [InlineData("/api/incidents?limit=0", "?limit", "between 1 and 10000")]
    [InlineData("/api/incidents?limit=100001", "?limit", "between 1 and 10000")]
    [InlineData("/api/incidents?after=-5", "?after", "0 or more")]
    [InlineData("/api/incidents?category=violent,espionage", "?category", "'espionage' is not one of")]
    [InlineData("/api/incidents?severity=9", "?severity", "not an integer in [1, 4]")]
    [InlineData("/api/incidents?from=yesterday", "?from", "ISO 8601")]
    [InlineData("/api/cameras?status=broken", "?status", "'broken' is not one of: online, offline, fault")]
    [InlineData("/api/patrol-routes?level=4", "?level", "not an integer in [1, 3]")]
    public async Task BadListQueryIsRefusedNamingTheParameter(string url, string pointer, string words)
    {
        HostileInputTally.Report(output, url, 1);
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Errors(await response.JsonAsync());
        Assert.True(errors.Any(e => e.StartsWith(pointer + ": ", StringComparison.Ordinal) && e.Contains(words, StringComparison.Ordinal)),
            $"expected '{pointer}: …{words}…' in [{string.Join(" | ", errors)}]");
    }

    [Fact]
    public async Task PositionBatchWithOneBadReportWritesNoneOfIt()
    {
        var unit = await _client.CreateAsync("patrol-units", Feature(Point(), new JsonObject { ["call_sign"] = "VAL-1", ["level"] = 2, ["mode"] = "vehicle" }));
        HostileInputTally.Report(output, nameof(PositionBatchWithOneBadReportWritesNoneOfIt), 1);
        var tracksBefore = await server.Database.ScalarAsync("SELECT count(*) FROM unit_positions");
        var before = await HeadAsync();
        var now = Iso(DateTimeOffset.UtcNow);
        var body = $$"""{"positions":[{"unit_id":{{unit.Id()}},"recorded_at":"{{now}}","longitude":114.91,"latitude":40.81},{"call_sign":"VAL-1","recorded_at":"{{now}}","longitude":114.91,"latitude":95},{"call_sign":"GHOST","recorded_at":"{{now}}","longitude":1,"latitude":1}]}""";
        var response = await _client.PostAsync("/api/patrol-units/positions", Raw(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Errors(await response.JsonAsync());
        Assert.Contains(errors, e => e.StartsWith("/positions/1/latitude: must be within [-90, 90]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/positions/2/call_sign: there is no patrol unit 'GHOST'", StringComparison.Ordinal));
        Assert.Equal(tracksBefore, await server.Database.ScalarAsync("SELECT count(*) FROM unit_positions"));
        Assert.Equal(before, await HeadAsync());
    }

    private static string Zone(string geometry) =>
        "{\"type\":\"Feature\",\"geometry\":" + geometry + ",\"properties\":{\"name\":\"z\",\"kind\":\"school\",\"risk_level\":2}}";

    private Task<long> HeadAsync() => server.Database.ScalarAsync("SELECT seq FROM change_log_head");

    [Fact]
    public async Task InvalidUtf8IsRefusedAsMalformedJson()
    {
        var prefix = Encoding.UTF8.GetBytes(Incident().With("address", "X").ToJsonString());
        var at = Array.IndexOf(prefix, (byte)'X');
        var body = prefix[..at].Concat(new byte[] { 0xC3, 0x28 }).Concat(prefix[(at + 1)..]).ToArray();
        var response = await RefusedAsync("/api/incidents", body, "invalid UTF-8");
        Assert.Contains("not valid JSON", Assert.Single(Errors(await response.JsonAsync())));
    }

    private Task<HttpResponseMessage> RefusedAsync(string url, string body, string name) => RefusedAsync(url, Encoding.UTF8.GetBytes(body), name);

    private async Task<HttpResponseMessage> RefusedAsync(string url, byte[] body, string name)
    {
        var before = await HeadAsync();
        var rowsBefore = await server.Database.ScalarAsync("SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM zones) + (SELECT count(*) FROM cameras)");
        HostileInputTally.Report(output, name, 1);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/geo+json");
        var response = await _client.PostAsync(url, content);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: expected 400, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await HeadAsync());
        Assert.Equal(rowsBefore, await server.Database.ScalarAsync("SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM zones) + (SELECT count(*) FROM cameras)"));
        return response;
    }
}
