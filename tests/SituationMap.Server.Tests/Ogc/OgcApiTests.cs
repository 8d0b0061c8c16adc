using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SituationMap.Server.Tests.Interop;
using SituationMap.Server.Tests.Security;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Ogc;

/// <summary>OGC API - Features (Part 1: Core, GeoJSON) under /ogc, on the two-district server (west SA, east SB; a commander scoped to SA).</summary>
public sealed class OgcApiTests(ScopedServer server) : IClassFixture<ScopedServer>
{
    private readonly HttpClient _client = server.CreateClient();
    private const double West = ScopedServer.West, East = ScopedServer.East, Lat = ScopedServer.Lat;

    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84", Epsg = "http://www.opengis.net/def/crs/EPSG/0/";

    private static readonly string[] CollectionIds = ["incidents", "cameras", "camera_views", "patrol_routes", "patrol_units", "zones", "districts"];

    private static string Href(JsonElement document, string rel) =>
        document.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == rel).GetProperty("href").GetString()!;

    private static bool HasLink(JsonElement document, string rel) =>
        document.GetProperty("links").EnumerateArray().Any(l => l.GetProperty("rel").GetString() == rel);

    private static List<long> Ids(JsonElement collection) =>
        collection.GetProperty("features").EnumerateArray().Select(f => f.Id()).ToList();

    private async Task<JsonElement> GetOkAsync(string url, string mediaType = "application/json")
    {
        var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task LandingPageConformanceAndCollectionsDescribeEveryLayerWithItsExtent()
    {
        await _client.CreateAsync("incidents", Incident(West - 0.003, Lat + 0.002, occurredAt: new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)));

        var landing = await GetOkAsync("/ogc");
        Assert.Equal("SituationMap", landing.GetProperty("title").GetString());
        Assert.Equal(new Uri(server.BaseAddress, "/ogc").ToString(), Href(landing, "self"));
        Assert.EndsWith("/openapi/v1.json", Href(landing, "service-desc"));
        Assert.EndsWith("/ogc/conformance", Href(landing, "conformance"));
        Assert.EndsWith("/ogc/collections", Href(landing, "data"));

        var conformance = await GetOkAsync("/ogc/conformance");
        Assert.Equal(
            [
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
            ],
            conformance.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()));

        var collections = await GetOkAsync("/ogc/collections");
        Assert.Equal(CollectionIds, collections.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        var incidents = await GetOkAsync("/ogc/collections/incidents");
        Assert.Equal("feature", incidents.GetProperty("itemType").GetString());
        var crsList = incidents.GetProperty("crs").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal([Crs84, Epsg + "4326", Epsg + "3857", Epsg + "4490", Epsg + "4547"], crsList.Take(5));
        Assert.Equal(Enumerable.Range(32601, 60).Concat(Enumerable.Range(32701, 60)).Select(code => $"{Epsg}{code}"), crsList.Skip(5));
        Assert.Equal(Crs84, incidents.GetProperty("storageCrs").GetString());
        Assert.EndsWith("/ogc/collections/incidents/items", Href(incidents, "items"));
        var bbox = incidents.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var dbBox = await server.Database.ScalarAsync("SELECT round(ST_XMin(ST_Extent(geom))::numeric * 1e6) FROM incidents");
        Assert.Equal(dbBox, Math.Round(bbox[0] * 1e6), 0);
        Assert.True(bbox[0] <= West - 0.003 && bbox[1] <= Lat + 0.002 && bbox[2] >= West - 0.003 && bbox[3] >= Lat + 0.002);
        var interval = incidents.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0];
        Assert.True(DateTimeOffset.Parse(interval[0].GetString()!, CultureInfo.InvariantCulture) <= new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

        var cameras = await GetOkAsync("/ogc/collections/cameras");
        Assert.False(cameras.GetProperty("extent").TryGetProperty("temporal", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/ogc/collections/secrets")).StatusCode);
    }

    [Fact]
    public async Task NextLinksWalkThroughEveryMatchingFeatureExactlyOnce()
    {
        const double lon = 117.50;
        var created = new List<long>();
        for (var i = 0; i < 5; i++) created.Add((await _client.CreateAsync("incidents", Incident(lon + i * 0.001, Lat))).Id());

        string? url = $"/ogc/collections/incidents/items?bbox={lon - 0.01},{Lat - 0.01},{lon + 0.01},{Lat + 0.01}&limit=2";
        var seen = new List<long>();
        var pages = 0;
        while (url is not null)
        {
            var page = await GetOkAsync(url, "application/geo+json");
            Assert.Equal("FeatureCollection", page.GetProperty("type").GetString());
            Assert.Equal(5, page.GetProperty("numberMatched").GetInt64());
            Assert.Equal(page.GetProperty("features").GetArrayLength(), page.GetProperty("numberReturned").GetInt32());
            Assert.True(DateTimeOffset.Parse(page.GetProperty("timeStamp").GetString()!, CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));
            Assert.StartsWith(server.BaseAddress.ToString(), Href(page, "self"));
            seen.AddRange(Ids(page));
            url = HasLink(page, "next") ? Href(page, "next") : null;
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(created, seen);
    }

    [Fact]
    public async Task BboxAndDatetimeSelectTheFeaturesInsideThemWithInclusiveAndOpenIntervals()
    {
        const double lon = 117.60;
        var t = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var early = (await _client.CreateAsync("incidents", Incident(lon, Lat, occurredAt: t))).Id();
        var middle = (await _client.CreateAsync("incidents", Incident(lon + 0.002, Lat, occurredAt: t.AddDays(1)))).Id();
        var late = (await _client.CreateAsync("incidents", Incident(lon + 0.004, Lat, occurredAt: t.AddDays(2)))).Id();
        var box = $"bbox={lon - 0.001},{Lat - 0.001},{lon + 0.005},{Lat + 0.001}";

        async Task<List<long>> Select(string query) => Ids(await GetOkAsync($"/ogc/collections/incidents/items?{box}&{query}", "application/geo+json"));

        Assert.Equal([early, middle, late], await Select("limit=10"));
        Assert.Equal([middle, late], Ids(await GetOkAsync($"/ogc/collections/incidents/items?bbox={lon + 0.001},{Lat - 0.001},{lon + 0.005},{Lat + 0.001}", "application/geo+json")));
        Assert.Equal([middle], await Select("datetime=" + Iso(t.AddDays(1))));
        Assert.Equal([early, middle], await Select($"datetime={Iso(t)}/{Iso(t.AddDays(1))}"));
        Assert.Equal([early, middle], await Select($"datetime=../{Iso(t.AddDays(1))}"));
        Assert.Equal([middle, late], await Select($"datetime={Iso(t.AddDays(1))}/.."));
        Assert.Equal([late], await Select($"datetime={Iso(t.AddDays(1).AddSeconds(1))}/"));
    }

    [Fact]
    public async Task QueryablePropertiesFilterByEquality()
    {
        const double lon = 117.70;
        var burglary = (await _client.CreateAsync("incidents", Incident(lon, Lat, "burglary"))).Id();
        await _client.CreateAsync("incidents", Incident(lon + 0.001, Lat, "fraud"));
        var box = $"bbox={lon - 0.01},{Lat - 0.01},{lon + 0.01},{Lat + 0.01}";
        Assert.Equal([burglary], Ids(await GetOkAsync($"/ogc/collections/incidents/items?{box}&category=burglary", "application/geo+json")));

        var ptz = (await _client.CreateAsync("cameras", Camera(lon, Lat, kind: "ptz"))).Id();
        await _client.CreateAsync("cameras", Camera(lon + 0.001, Lat));
        Assert.Equal([ptz], Ids(await GetOkAsync($"/ogc/collections/cameras/items?{box}&kind=ptz&status=online", "application/geo+json")));
        Assert.Empty(Ids(await GetOkAsync($"/ogc/collections/cameras/items?{box}&status=offline", "application/geo+json")));
    }

    [Fact]
    public async Task OneItemIsAGeoJsonFeatureWithLinksAndMissingOnesAre404()
    {
        var created = await _client.CreateAsync("incidents", Incident(117.80, Lat, "robbery"));
        var feature = await GetOkAsync($"/ogc/collections/incidents/items/{created.Id()}", "application/geo+json");
        Assert.Equal("Feature", feature.GetProperty("type").GetString());
        Assert.Equal(created.Id(), feature.Id());
        Assert.Equal("robbery", feature.GetProperty("properties").GetProperty("category").GetString());
        Assert.Equal(117.80, feature.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), 9);
        Assert.EndsWith($"/ogc/collections/incidents/items/{created.Id()}", Href(feature, "self"));
        Assert.EndsWith("/ogc/collections/incidents", Href(feature, "collection"));

        foreach (var missing in new[] { "/ogc/collections/incidents/items/999999999", "/ogc/collections/incidents/items/abc", "/ogc/collections/nope/items/1", "/ogc/collections/nope/items" })
        {
            var response = await _client.GetAsync(missing);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
    }

    private async Task<(double A, double B, string? ContentCrs)> CoordinatesAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {await response.Content.ReadAsStringAsync()}");
        var json = await response.JsonAsync();
        var feature = json.TryGetProperty("features", out var features) ? Assert.Single(features.EnumerateArray()) : json;
        var c = feature.GetProperty("geometry").GetProperty("coordinates");
        return (c[0].GetDouble(), c[1].GetDouble(), response.Headers.TryGetValues("Content-Crs", out var v) ? v.Single() : null);
    }

    [Fact]
    public async Task CrsReturnsCoordinatesInTheAxisOrderOfTheRequestedCrsAndNamesItInContentCrs()
    {
        const double lon = 114.9, lat = 40.8;
        var id = (await _client.CreateAsync("incidents", Incident(lon, lat, "fire_hazard"))).Id();
        var items = $"/ogc/collections/incidents/items?bbox={lon - 0.0001},{lat - 0.0001},{lon + 0.0001},{lat + 0.0001}";

        Assert.Equal((lon, lat, $"<{Crs84}>"), await CoordinatesAsync(items));
        Assert.Equal((lat, lon, $"<{Epsg}4326>"), await CoordinatesAsync($"{items}&crs={Epsg}4326"));
        Assert.Equal((lat, lon, $"<{Epsg}4490>"), await CoordinatesAsync($"/ogc/collections/incidents/items/{id}?crs={Epsg}4490"));

        // reference values from PROJ 9 (gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857 / EPSG:4490 -> EPSG:4547 -output_xy)
        var (x, y, mercator) = await CoordinatesAsync($"{items}&crs={Epsg}3857");
        Assert.Equal(12790609.4921471, x, 0.001);
        Assert.Equal(4982886.31657054, y, 0.001);
        Assert.Equal($"<{Epsg}3857>", mercator);
        var (northing, easting, gaussKruger) = await CoordinatesAsync($"{items}&crs={Epsg}4547");
        Assert.Equal(4518752.68803166, northing, 0.01);
        Assert.Equal(575950.555587043, easting, 0.01);
        Assert.Equal($"<{Epsg}4547>", gaussKruger);
    }

    [Fact]
    public async Task BboxCrsTakesTheBoxInTheAxisOrderAndUnitsOfItsCrs()
    {
        const double lon = 114.93, lat = 40.83;
        var id = (await _client.CreateAsync("incidents", Incident(lon, lat, "fire_hazard"))).Id();
        var near = (await _client.CreateAsync("incidents", Incident(lon + 0.003, lat, "fire_hazard"))).Id();
        async Task<List<long>> Select(string crs, double a0, double b0, double a1, double b1) => Ids(await GetOkAsync(
            string.Create(CultureInfo.InvariantCulture, $"/ogc/collections/incidents/items?category=fire_hazard&bbox-crs={Epsg}{crs}&bbox={a0},{b0},{a1},{b1}"),
            "application/geo+json"));

        Assert.Equal([id], await Select("4326", lat - 0.001, lon - 0.001, lat + 0.001, lon + 0.001));
        Assert.Equal([id, near], await Select("4490", lat - 0.001, lon - 0.001, lat + 0.001, lon + 0.004));
        // Web Mercator metres: a 100 m box around the point, then one east of it
        var x = 6378137 * lon * Math.PI / 180;
        var y = 6378137 * Math.Log(Math.Tan(Math.PI / 4 + lat * Math.PI / 360));
        Assert.Equal([id], await Select("3857", x - 100, y - 100, x + 100, y + 100));
        Assert.Equal([near], await Select("3857", x + 200, y - 100, x + 400, y + 100));
        // Gauss-Kruger boxes are (northing, easting): the same box with the axes swapped selects nothing
        var (n, e, _) = await CoordinatesAsync($"/ogc/collections/incidents/items/{id}?crs={Epsg}4547");
        Assert.Equal([id], await Select("4547", n - 50, e - 50, n + 50, e + 50));
        Assert.Empty(await Select("4547", e - 50, n - 50, e + 50, n + 50));
    }

    [Fact]
    public async Task AUtmZoneCrsReturnsAndQueriesEastingNorthingInMetresAsPostGisComputesThem()
    {
        // the two-district city lies at 118°E 41°N: UTM zone 50N (EPSG:32650), x = easting, y = northing
        var id = (await _client.CreateAsync("incidents", Incident(West + 0.0042, Lat + 0.0017, "fire_hazard"))).Id();
        var near = (await _client.CreateAsync("incidents", Incident(West + 0.0062, Lat + 0.0017, "fire_hazard"))).Id();
        var expected = new[]
        {
            await server.Database.ScalarDoubleAsync($"SELECT ST_X(ST_Transform(geom, 32650)) FROM incidents WHERE id = {id}"),
            await server.Database.ScalarDoubleAsync($"SELECT ST_Y(ST_Transform(geom, 32650)) FROM incidents WHERE id = {id}"),
        };

        var (x, y, contentCrs) = await CoordinatesAsync($"/ogc/collections/incidents/items/{id}?crs={Epsg}32650");
        Assert.Equal($"<{Epsg}32650>", contentCrs);
        Assert.Equal(expected[0], x, 0.001);
        Assert.Equal(expected[1], y, 0.001);

        var url = string.Create(CultureInfo.InvariantCulture,
            $"/ogc/collections/incidents/items?category=fire_hazard&bbox-crs={Epsg}32650&bbox={x - 50},{y - 50},{x + 50},{y + 50}");
        Assert.Equal([id], Ids(await GetOkAsync(url, "application/geo+json")));
        // the second incident lies 0.002° (≈ 168 m) east: a box reaching 250 m east takes both
        var wider = string.Create(CultureInfo.InvariantCulture,
            $"/ogc/collections/incidents/items?category=fire_hazard&bbox-crs={Epsg}32650&bbox={x - 50},{y - 50},{x + 250},{y + 50}");
        Assert.Equal([id, near], Ids(await GetOkAsync(wider, "application/geo+json")));
    }

    [Theory]
    [InlineData("incidents", "limit=0", "?limit")]
    [InlineData("incidents", "limit=10001", "?limit")]
    [InlineData("incidents", "bbox=1,2,3", "?bbox")]
    [InlineData("incidents", "bbox=10,50,5,60", "?bbox")]
    [InlineData("incidents", "datetime=yesterday", "?datetime")]
    [InlineData("incidents", "datetime=../..", "?datetime")]
    [InlineData("incidents", "datetime=2026-02-01T00:00:00Z/2026-01-01T00:00:00Z", "?datetime")]
    [InlineData("incidents", "category=spying", "?category")]
    [InlineData("incidents", "from=2026-01-01T00:00:00Z", "?from")]
    [InlineData("incidents", "colour=red", "?colour")]
    [InlineData("cameras", "datetime=2026-01-01T00:00:00Z", "?datetime")]
    [InlineData("cameras", "status=broken", "?status")]
    [InlineData("districts", "district=SA", "?district")]
    [InlineData("incidents", "crs=EPSG:4326", "?crs")]
    [InlineData("incidents", "bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2000&bbox=1,2,3,4", "?bbox-crs")]
    [InlineData("incidents", "bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857&bbox=1,2,3", "?bbox")]
    public async Task BadParametersAre400ProblemsNamingTheParameter(string collection, string query, string pointer)
    {
        var response = await _client.GetAsync($"/ogc/collections/{collection}/items?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(Errors(await response.JsonAsync()), e => e.StartsWith(pointer + ": ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADistrictScopedAccountSeesOnlyItsDistrictsFeaturesAndAnonymousSeesNothing()
    {
        var mine = (await _client.CreateAsync("incidents", Incident(West + 0.001, Lat))).Id();
        var theirs = (await _client.CreateAsync("incidents", Incident(East + 0.001, Lat))).Id();
        var scoped = server.CreateClient(server.ScopedToken);
        var box = $"bbox={West - 0.05},{Lat - 0.05},{East + 0.05},{Lat + 0.05}";

        var page = await (await scoped.GetAsync($"/ogc/collections/incidents/items?{box}&limit=1000")).JsonAsync();
        Assert.Contains(mine, Ids(page));
        Assert.DoesNotContain(theirs, Ids(page));
        Assert.All(page.GetProperty("features").EnumerateArray(), f => Assert.Equal("SA", f.GetProperty("properties").GetProperty("district").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/ogc/collections/incidents/items/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/ogc/collections/incidents/items/{mine}")).StatusCode);
        var districts = await (await scoped.GetAsync("/ogc/collections/districts/items")).JsonAsync();
        Assert.Equal(["SA"], districts.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("code").GetString()));
        var extent = (await (await scoped.GetAsync("/ogc/collections/districts")).JsonAsync()).GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0];
        Assert.True(extent[2].GetDouble() < East - 0.0099, "the extent covers only the districts the account may see");

        var anonymous = server.CreateClient("");
        foreach (var url in new[] { "/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/incidents/items" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task GdalsOapifDriverListsTheCollectionsAndCopiesEveryFeatureIntoAGeoPackage()
    {
        // at least two pages' worth of incidents at the client's page size, and one feature of every other kind
        const double lon = 117.90;
        for (var i = 0; i < 12; i++) await _client.CreateAsync("incidents", Incident(lon + i * 0.0005, Lat, "traffic"));
        await _client.CreateAsync("incidents", Incident(117.912345, 41.023456, "dispute"));
        await _client.CreateAsync("cameras", Camera(lon, Lat));
        await _client.CreateAsync("zones", Zone("key_facility", lon, Lat));
        var header = new[] { "--config", "GDAL_HTTP_HEADERS", $"Authorization: Bearer {server.Token}" };
        var source = $"OAPIF:{new Uri(server.BaseAddress, "/ogc")}";

        var listing = await Gdal.RunAsync("ogrinfo", [.. header, "-ro", "-q", source]);
        foreach (var id in CollectionIds) Assert.Contains(id, listing);

        var dir = Directory.CreateTempSubdirectory("oapif");
        var gpkg = Path.Combine(dir.FullName, "copy.gpkg");
        await Gdal.RunAsync("ogr2ogr", [.. header, "-oo", "PAGE_SIZE=5", "-f", "GPKG", gpkg, source]);
        foreach (var id in CollectionIds)
        {
            var expected = await server.Database.ScalarAsync($"SELECT count(*) FROM {(id == "camera_views" ? "cameras" : id)}");
            var summary = await Gdal.RunAsync("ogrinfo", "-ro", "-so", gpkg, id);
            Assert.True(summary.Contains($"Feature Count: {expected}\n", StringComparison.Ordinal), $"{id}: the database holds {expected}; the GeoPackage: {summary}");
        }
        var point = await Gdal.RunAsync("ogrinfo", "-ro", "-q", gpkg, "incidents", "-where", "category = 'dispute'");
        Assert.Contains("POINT (117.912345 41.023456)", point);
        Assert.Contains($"Test road near No. 1", point);
        var view = await Gdal.RunAsync("ogrinfo", "-ro", "-so", gpkg, "camera_views");
        Assert.Contains("Geometry: Multi Polygon", view);
    }

    [Fact]
    public async Task QueryablesDescribeTheFilterParametersWithTheirTypesAndCodedValues()
    {
        var collection = await GetOkAsync("/ogc/collections/incidents");
        Assert.EndsWith("/ogc/collections/incidents/queryables", Href(collection, "http://www.opengis.net/def/rel/ogc/1.0/queryables"));
        var schema = await GetOkAsync("/ogc/collections/incidents/queryables", "application/schema+json");
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.EndsWith("/ogc/collections/incidents/queryables", schema.GetProperty("$id").GetString());
        var properties = schema.GetProperty("properties");
        Assert.Equal(["category", "severity", "status", "district", "datetime"], properties.EnumerateObject().Select(p => p.Name));
        Assert.Equal("integer", properties.GetProperty("severity").GetProperty("type").GetString());
        Assert.Contains("property_theft", properties.GetProperty("category").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("on_scene", properties.GetProperty("status").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("date-time", properties.GetProperty("datetime").GetProperty("format").GetString());
        // every queryable works as an items parameter
        foreach (var name in properties.EnumerateObject().Select(p => p.Name).Where(n => n != "datetime"))
        {
            var value = name == "severity" ? "2" : name == "district" ? "SA" : properties.GetProperty(name).GetProperty("enum")[0].GetString();
            Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/ogc/collections/incidents/items?{name}={value}")).StatusCode);
        }
        var zones = await GetOkAsync("/ogc/collections/zones/queryables", "application/schema+json");
        Assert.Contains("urban_village", zones.GetProperty("properties").GetProperty("kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.False(zones.GetProperty("properties").TryGetProperty("datetime", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/ogc/collections/secrets/queryables")).StatusCode);
    }
}
