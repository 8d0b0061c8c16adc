using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Layers;

/// <summary>
/// The list filters of every layer besides incidents: bbox, the time window (?from inclusive, ?to exclusive, on the
/// layer's time column: cameras installed_at, patrol units last_seen, patrol routes, zones and districts updated_at),
/// kind/status/level filters, their validation, and paging through next links that keep every filter.
/// Each test works in its own box, so the features of other tests never match.
/// </summary>
public sealed class LayerFilterTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    private static string Box(double lon, double lat, double half = 0.01) =>
        string.Join(',', new[] { lon - half, lat - half, lon + half, lat + half }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Follows the next links with limit=1 and returns the ids in page order, checking each next link keeps the query.</summary>
    private async Task<List<long>> AllPagesAsync(string route, string query)
    {
        var ids = new List<long>();
        string? url = $"/api/{route}?{query}&limit=1";
        var filters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        while (url is not null)
        {
            var response = await _client.GetAsync(url);
            var page = await response.JsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {page}");
            var features = page.GetProperty("features").EnumerateArray().ToList();
            Assert.True(features.Count <= 1);
            ids.AddRange(features.Select(f => f.Id()));
            url = page.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == "next")
                .Select(l => l.GetProperty("href").GetString()).SingleOrDefault();
            if (url is null) break;
            var next = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), url).Query);
            foreach (var (name, value) in filters) Assert.Equal(value.ToString(), next[name].ToString());
            Assert.Equal("1", next["limit"].ToString());
            Assert.Equal(ids[^1].ToString(System.Globalization.CultureInfo.InvariantCulture), next["after"].ToString());
        }
        return ids;
    }

    private async Task<List<long>> IdsAsync(string route, string query)
    {
        var response = await _client.GetAsync($"/api/{route}?{query}");
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {json}");
        return json.GetProperty("features").EnumerateArray().Select(f => f.Id()).ToList();
    }

    private static string Q(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private static string Q(JsonElement feature, string property) => Uri.EscapeDataString(feature.GetProperty("properties").GetProperty(property).GetString()!);

    /// <summary>Bad windows are 400 problems at ?from / ?to, for every layer.</summary>
    [Theory]
    [InlineData("cameras")]
    [InlineData("patrol-routes")]
    [InlineData("patrol-units")]
    [InlineData("zones")]
    [InlineData("districts")]
    public async Task BadTimeWindowsAre400ProblemsNamingTheParameter(string route)
    {
        foreach (var (query, pointer) in new[]
                 {
                     ("from=2025-06-01T00:00:00Z&to=2025-01-01T00:00:00Z", "?from"),
                     ("from=2025-06-01T00:00:00", "?from"),            // no offset
                     ("to=yesterday", "?to"),
                     ("from=2025-06-01", "?from"),                     // a date is not a date-time
                 })
        {
            var response = await _client.GetAsync($"/api/{route}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains(Errors(await response.JsonAsync()), e => e.StartsWith(pointer + ":", StringComparison.Ordinal));
        }
        // an offset other than Z works ('+' URL-encoded)
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/{route}?from=2025-06-01T08:00:00%2B08:00&to=2025-06-01T08:00:00%2B08:00")).StatusCode);
    }

    [Fact]
    public async Task CamerasFilterByBboxInstalledAtKindAndStatusAndPageWithTheFiltersKept()
    {
        const double lon = 114.51, lat = 40.51;
        async Task<long> CameraAsync(double dLon, string kind, string? installed, string status = "online")
        {
            var camera = Camera(lon + dLon, lat, fov: kind == "fixed" ? 60 : 360, kind: kind).With("status", status);
            if (installed is not null) camera = camera.With("installed_at", installed);
            return (await _client.CreateAsync("cameras", camera)).Id();
        }
        var old = await CameraAsync(0, "fixed", "2019-03-01T00:00:00Z");
        var mid = await CameraAsync(0.001, "ptz", "2021-06-01T00:00:00Z", "fault");
        var recent = await CameraAsync(0.002, "dome", "2024-01-01T00:00:00+08:00");
        var undated = await CameraAsync(0.003, "fixed", null, "offline");
        await CameraAsync(0.05, "fixed", "2021-06-01T00:00:00Z");            // outside the box
        var box = "bbox=" + Box(lon, lat);

        Assert.Equal([old, mid, recent, undated], await IdsAsync("cameras", box));
        Assert.Equal([mid, recent], await IdsAsync("cameras", $"{box}&from=2021-06-01T00:00:00Z"));       // from is inclusive
        Assert.Equal([old], await IdsAsync("cameras", $"{box}&to=2021-06-01T00:00:00Z"));                 // to is exclusive
        Assert.Equal([mid], await IdsAsync("cameras", $"{box}&from=2020-01-01T00:00:00Z&to=2023-12-31T16:00:00Z"));
        Assert.Equal([mid, recent], await IdsAsync("cameras", $"{box}&from=2020-01-01T00:00:00Z&to=2023-12-31T16:00:00.001Z"));
        Assert.Equal([old, undated], await IdsAsync("cameras", $"{box}&kind=fixed"));
        Assert.Equal([mid, undated], await IdsAsync("cameras", $"{box}&status=fault,offline"));
        Assert.Equal([old], await IdsAsync("cameras", $"{box}&kind=fixed&to=2030-01-01T00:00:00Z"));

        Assert.Equal([old, mid, recent, undated], await AllPagesAsync("cameras", box));
        Assert.Equal([mid, recent], await AllPagesAsync("cameras", $"{box}&from=2020-01-01T00:00:00Z&kind=ptz,dome"));
    }

    [Fact]
    public async Task PatrolUnitsFilterByBboxLastSeenLevelModeAndStatus()
    {
        const double lon = 114.52, lat = 40.52;
        var now = DateTimeOffset.UtcNow;
        async Task<long> UnitAsync(double dLon, int level, string mode, string status, DateTimeOffset? lastSeen)
        {
            var props = new JsonObject { ["call_sign"] = "F-" + Guid.NewGuid().ToString("N")[..6], ["level"] = level, ["mode"] = mode, ["status"] = status };
            if (lastSeen is { } seen) props["last_seen"] = Iso(seen);
            return (await _client.CreateAsync("patrol-units", Feature(Point(lon + dLon, lat), props))).Id();
        }
        var stale = await UnitAsync(0, 1, "vehicle", "off_duty", now.AddHours(-3));
        var fresh = await UnitAsync(0.001, 3, "foot", "available", now.AddMinutes(-5));
        var busy = await UnitAsync(0.002, 3, "bicycle", "busy", now.AddMinutes(-1));
        var never = await UnitAsync(0.003, 2, "foot", "available", null);
        await UnitAsync(0.05, 3, "foot", "available", now.AddMinutes(-5));  // outside the box
        var box = "bbox=" + Box(lon, lat);

        Assert.Equal([stale, fresh, busy, never], await IdsAsync("patrol-units", box));
        Assert.Equal([fresh, busy], await IdsAsync("patrol-units", $"{box}&from={Q(now.AddHours(-1))}"));
        Assert.Equal([stale], await IdsAsync("patrol-units", $"{box}&to={Q(now.AddHours(-1))}"));
        Assert.Equal([fresh, busy, never], await IdsAsync("patrol-units", $"{box}&level=3,2"));
        Assert.Equal([fresh, never], await IdsAsync("patrol-units", $"{box}&mode=foot"));
        Assert.Equal([fresh, never], await IdsAsync("patrol-units", $"{box}&status=available"));
        Assert.Equal([fresh], await IdsAsync("patrol-units", $"{box}&status=available&from={Q(now.AddHours(-1))}"));
        Assert.Equal([fresh, busy], await AllPagesAsync("patrol-units", $"{box}&from={Q(now.AddHours(-1))}"));
    }

    [Fact]
    public async Task PatrolRoutesFilterByBboxUpdatedAtLevelModeAndStatus()
    {
        const double lon = 114.53, lat = 40.53;
        async Task<JsonElement> RouteAsync(double dLat, int level, string mode, string status) =>
            await _client.CreateAsync("patrol-routes", Feature(Line((lon, lat + dLat), (lon + 0.002, lat + dLat)),
                new JsonObject { ["name"] = "filter route", ["level"] = level, ["mode"] = mode, ["status"] = status }));
        var first = await RouteAsync(0, 1, "vehicle", "active");
        var second = await RouteAsync(0.001, 2, "foot", "draft");
        var third = await RouteAsync(0.002, 3, "bicycle", "suspended");
        await _client.CreateAsync("patrol-routes", Feature(Line((lon + 0.05, lat), (lon + 0.052, lat)),
            new JsonObject { ["name"] = "elsewhere", ["level"] = 2, ["mode"] = "foot" }));
        var box = "bbox=" + Box(lon, lat);
        var (a, b, c) = (first.Id(), second.Id(), third.Id());

        Assert.Equal([a, b, c], await IdsAsync("patrol-routes", box));
        Assert.Equal([b, c], await IdsAsync("patrol-routes", $"{box}&from={Q(second, "updated_at")}"));
        Assert.Equal([a], await IdsAsync("patrol-routes", $"{box}&to={Q(second, "updated_at")}"));
        Assert.Equal([b], await IdsAsync("patrol-routes", $"{box}&from={Q(second, "updated_at")}&to={Q(third, "updated_at")}"));
        Assert.Equal([a, c], await IdsAsync("patrol-routes", $"{box}&level=1,3"));
        Assert.Equal([b], await IdsAsync("patrol-routes", $"{box}&mode=foot"));
        Assert.Equal([c], await IdsAsync("patrol-routes", $"{box}&status=suspended"));

        // editing a route moves it into a later window
        var edited = await _client.PutAsync($"/api/patrol-routes/{a}", first.ToNode().With("name", "renamed"), ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal([a], await IdsAsync("patrol-routes", $"{box}&from={Q(await edited.JsonAsync(), "updated_at")}"));
        Assert.Equal([a, b, c], await AllPagesAsync("patrol-routes", $"{box}&from={Q(second, "updated_at")}"));
    }

    [Fact]
    public async Task ZonesFilterByBboxUpdatedAtKindAndRiskLevel()
    {
        const double lon = 114.54, lat = 40.54;
        var school = await _client.CreateAsync("zones", Zone("school", lon, lat, 0.0005));
        var market = await _client.CreateAsync("zones", Zone("crowded_public_place", lon + 0.002, lat, 0.0005).With("risk_level", 4));
        var facility = await _client.CreateAsync("zones", Zone("key_facility", lon + 0.004, lat, 0.0005));
        await _client.CreateAsync("zones", Zone("school", lon + 0.05, lat, 0.0005));
        var box = "bbox=" + Box(lon, lat);
        var (s, m, f) = (school.Id(), market.Id(), facility.Id());

        Assert.Equal([s, m, f], await IdsAsync("zones", box));
        Assert.Equal([m, f], await IdsAsync("zones", $"{box}&from={Q(market, "updated_at")}"));
        Assert.Equal([s], await IdsAsync("zones", $"{box}&to={Q(market, "updated_at")}"));
        Assert.Equal([s, f], await IdsAsync("zones", $"{box}&kind=school,key_facility"));
        Assert.Equal([m], await IdsAsync("zones", $"{box}&risk_level=4"));
        Assert.Equal([f], await IdsAsync("zones", $"{box}&kind=school,key_facility&from={Q(market, "updated_at")}"));
        Assert.Equal([m, f], await AllPagesAsync("zones", $"{box}&from={Q(market, "updated_at")}"));
    }

    [Fact]
    public async Task DistrictsFilterByBboxAndUpdatedAt()
    {
        const double lon = 114.20, lat = 40.20;
        async Task<JsonElement> DistrictAsync(double dLon) => await _client.CreateAsync("districts",
            Feature(Square(lon + dLon, lat, 0.002), new JsonObject { ["code"] = "F" + Guid.NewGuid().ToString("N")[..6], ["name"] = "filter district" }));
        var west = await DistrictAsync(0);
        var middle = await DistrictAsync(0.005);
        var east = await DistrictAsync(0.010);
        var box = "bbox=" + Box(lon + 0.005, lat, 0.0075);
        var (w, m, e) = (west.Id(), middle.Id(), east.Id());

        Assert.Equal([w, m, e], await IdsAsync("districts", box));
        Assert.Equal([m], await IdsAsync("districts", "bbox=" + Box(lon + 0.005, lat, 0.001)));
        Assert.Equal([m, e], await IdsAsync("districts", $"{box}&from={Q(middle, "updated_at")}"));
        Assert.Equal([w], await IdsAsync("districts", $"{box}&to={Q(middle, "updated_at")}"));
        Assert.Equal([m, e], await AllPagesAsync("districts", $"{box}&from={Q(middle, "updated_at")}"));
    }
}
