using System.Diagnostics;
using System.Net;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Tiles;

public sealed class TilesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    /// <summary>XYZ tile containing a WGS84 point (Web Mercator).</summary>
    public static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var latRad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - Math.Log(Math.Tan(latRad) + 1 / Math.Cos(latRad)) / Math.PI) / 2 * n);
        return (x, y);
    }

    private static NetTopologySuite.IO.VectorTiles.VectorTile Decode(byte[] bytes, int z, int x, int y)
    {
        using var stream = new MemoryStream(bytes);
        return new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, z));
    }

    private async Task<(HttpResponseMessage Response, byte[] Bytes)> TileAsync(string layer, int z, int x, int y, string query = "")
    {
        var response = await _client.GetAsync($"/tiles/{layer}/{z}/{x}/{y}.mvt{query}");
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task IncidentTileDecodesWithOneFeaturePerIncidentAtStreetZoom()
    {
        const double lon = 114.70, lat = 40.90;
        for (var i = 0; i < 5; i++) await _client.CreateAsync("incidents", Incident(lon + i * 0.0002, lat, i % 2 == 0 ? "robbery" : "fraud", 2 + i % 3));
        var (x, y) = TileOf(lon + 0.0004, lat, 16);
        var (response, bytes) = await TileAsync("incidents", 16, x, y);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType!.MediaType);

        var tile = Decode(bytes, 16, x, y);
        var layer = Assert.Single(tile.Layers);
        Assert.Equal("incidents", layer.Name);
        Assert.Equal(5, layer.Features.Count);
        Assert.All(layer.Features, f => Assert.Equal(1L, Convert.ToInt64(f.Attributes["point_count"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(3, layer.Features.Count(f => (string)f.Attributes["category"] == "robbery"));
        var first = layer.Features.MinBy(f => f.Geometry.Coordinate.X)!;
        Assert.Equal(lon, first.Geometry.Coordinate.X, 3);
        Assert.Equal(lat, first.Geometry.Coordinate.Y, 3);
    }

    [Fact]
    public async Task AtLowZoomIncidentsAreClusteredWithTheirCount()
    {
        const double lon = 114.60, lat = 40.95;
        for (var i = 0; i < 30; i++) await _client.CreateAsync("incidents", Incident(lon + i * 0.00001, lat, "violent", 1 + i % 4));
        var (x, y) = TileOf(lon, lat, 10);
        var (_, bytes) = await TileAsync("incidents", 10, x, y);
        var features = Decode(bytes, 10, x, y).Layers.Single().Features;
        var cluster = features.Single(f => Math.Abs(f.Geometry.Coordinate.X - lon) < 0.01 && Math.Abs(f.Geometry.Coordinate.Y - lat) < 0.01);
        Assert.Equal(30L, Convert.ToInt64(cluster.Attributes["point_count"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4L, Convert.ToInt64(cluster.Attributes["severity"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("violent", cluster.Attributes["category"]);
    }

    [Fact]
    public async Task IncidentTilesHonourTheTimeWindowAndCategories()
    {
        const double lon = 114.65, lat = 40.85;
        await _client.CreateAsync("incidents", Incident(lon, lat, "traffic", 2, DateTimeOffset.UtcNow.AddDays(-10)));
        await _client.CreateAsync("incidents", Incident(lon + 0.0001, lat, "traffic", 2));
        await _client.CreateAsync("incidents", Incident(lon + 0.0002, lat, "dispute", 2));
        var (x, y) = TileOf(lon, lat, 17);
        var from = Uri.EscapeDataString(Iso(DateTimeOffset.UtcNow.AddDays(-1)));
        var (_, recent) = await TileAsync("incidents", 17, x, y, $"?from={from}");
        Assert.Equal(2, Decode(recent, 17, x, y).Layers.Single().Features.Count);
        var (_, traffic) = await TileAsync("incidents", 17, x, y, "?category=traffic");
        Assert.Equal(2, Decode(traffic, 17, x, y).Layers.Single().Features.Count);
    }

    [Fact]
    public async Task EmptyTileIs204()
    {
        var (response, bytes) = await TileAsync("incidents", 14, 1, 1);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(bytes);
    }

    [Fact]
    public async Task TilesCarryAnETagAndRevalidateWith304UntilTheDataChanges()
    {
        const double lon = 114.55, lat = 40.65;
        await _client.CreateAsync("incidents", Incident(lon, lat));
        var (x, y) = TileOf(lon, lat, 15);
        var (first, _) = await TileAsync("incidents", 15, x, y);
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, first.Headers.CacheControl?.ToString());
        var etag = first.Headers.ETag!;

        using (var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/tiles/incidents/15/{x}/{y}.mvt"))
        {
            revalidate.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(revalidate)).StatusCode);
        }
        await _client.CreateAsync("incidents", Incident(lon + 0.0001, lat));
        using var changed = new HttpRequestMessage(HttpMethod.Get, $"/tiles/incidents/15/{x}/{y}.mvt");
        changed.Headers.IfNoneMatch.Add(etag);
        var response = await _client.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(etag, response.Headers.ETag);
    }

    [Fact]
    public async Task CameraTilesIncludeFieldOfViewSectorsAtStreetZoom()
    {
        const double lon = 114.75, lat = 40.60;
        await _client.CreateAsync("cameras", Camera(lon, lat, heading: 45, fov: 90, range: 100));
        await _client.CreateAsync("cameras", Camera(lon + 0.0005, lat, kind: "ptz", fov: 360, range: 60));
        var (x, y) = TileOf(lon, lat, 16);
        var (_, bytes) = await TileAsync("cameras", 16, x, y);
        var tile = Decode(bytes, 16, x, y);
        Assert.Equal(["camera_views", "cameras"], tile.Layers.Select(l => l.Name).Order());
        Assert.Equal(2, tile.Layers.Single(l => l.Name == "cameras").Features.Count);
        var views = tile.Layers.Single(l => l.Name == "camera_views").Features;
        Assert.Equal(2, views.Count);
        Assert.All(views, v => Assert.Contains("Polygon", v.Geometry.GeometryType, StringComparison.Ordinal));
        // a 90° sector of 100 m has about π·100²/4 ≈ 7,854 m²; the tile quantises, so allow 10 %
        var sector = views.Single(v => (string)v.Attributes["kind"] == "fixed").Geometry;
        var area = SituationMap.Analysis.Geometry.MetricProjection.ForLocation(lon, lat).ToMetric(sector).Area;
        Assert.InRange(area, 7_854 * 0.9, 7_854 * 1.1);

        var (lowX, lowY) = TileOf(lon, lat, 12);
        var low = Decode((await TileAsync("cameras", 12, lowX, lowY)).Bytes, 12, lowX, lowY);
        Assert.Equal(["cameras"], low.Layers.Select(l => l.Name));
    }

    [Theory]
    [InlineData("/tiles/incidents/23/0/0.mvt", "/z")]
    [InlineData("/tiles/incidents/3/8/0.mvt", "/x")]
    [InlineData("/tiles/incidents/3/0/-1.mvt", "/y")]
    [InlineData("/tiles/incidents/3/0/abc.mvt", "/y")]
    [InlineData("/tiles/incidents/10/1/1.mvt?category=spying", "?category")]
    public async Task BadTileRequestsAre400(string url, string pointer)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Errors(await response.JsonAsync()), e => e.StartsWith(pointer + ": ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownLayerIs404AndNeverReachesSql()
    {
        var response = await _client.GetAsync("/tiles/incidents;DROP TABLE incidents/1/1/1.mvt");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'incidents'") == 1);
    }

    [Fact]
    public async Task TileJsonDescribesTheLayerForMapClients()
    {
        var json = await (await _client.GetAsync("/tiles/cameras.json")).JsonAsync();
        Assert.Equal("3.0.0", json.GetProperty("tilejson").GetString());
        Assert.EndsWith("/tiles/cameras/{z}/{x}/{y}.mvt", json.GetProperty("tiles")[0].GetString());
        Assert.Equal(["cameras", "camera_views"], json.GetProperty("vector_layers").EnumerateArray().Select(l => l.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task BuildingFootprintsAreBasemapTilesFromZoom14AndAReadOnlyApi()
    {
        const double lon = 114.61, lat = 40.71;
        await server.Database.ExecuteAsync(
            "INSERT INTO buildings (ref, source, kind, levels, height_m, district, geom) VALUES ('T1', 'tests', 'residential', 6, 18.5, NULL, " +
            $"ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326), 0.0002, 'quad_segs=1')))");
        var (x, y) = TileOf(lon, lat, 15);
        var (response, bytes) = await TileAsync("buildings", 15, x, y);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var layer = Assert.Single(Decode(bytes, 15, x, y).Layers);
        Assert.Equal("buildings", layer.Name);
        var feature = Assert.Single(layer.Features);
        Assert.Equal("residential", feature.Attributes["kind"]);
        Assert.Equal(18.5, Convert.ToDouble(feature.Attributes["height_m"], System.Globalization.CultureInfo.InvariantCulture));
        var (z13x, z13y) = TileOf(lon, lat, 13);
        Assert.Equal(HttpStatusCode.NoContent, (await TileAsync("buildings", 13, z13x, z13y)).Response.StatusCode);

        var list = await (await _client.GetAsync($"/api/buildings?bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}")).JsonAsync();
        var listed = Assert.Single(list.GetProperty("features").EnumerateArray());
        Assert.Equal("T1", listed.GetProperty("properties").GetProperty("ref").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _client.PostAsync("/api/buildings", Raw("{}"))).StatusCode);

        // pages follow ids: a second footprint nearby is on the page the first page's "next" link points to
        await server.Database.ExecuteAsync(
            "INSERT INTO buildings (ref, source, kind, geom) VALUES ('T2', 'tests', 'public', " +
            $"ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint({lon + 0.001}, {lat}), 4326), 0.0002, 'quad_segs=1')))");
        var bbox = $"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}";
        var first = await (await _client.GetAsync($"/api/buildings?bbox={bbox}&limit=1")).JsonAsync();
        Assert.Equal("T1", Assert.Single(first.GetProperty("features").EnumerateArray()).GetProperty("properties").GetProperty("ref").GetString());
        var next = first.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "next").GetProperty("href").GetString()!;
        var second = await (await _client.GetAsync(next)).JsonAsync();
        Assert.Equal("T2", Assert.Single(second.GetProperty("features").EnumerateArray()).GetProperty("properties").GetProperty("ref").GetString());
        Assert.DoesNotContain(second.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "next");
    }

    [Fact]
    public async Task GdalReadsOurTilesWithTheRightLayerAndFeatureCount()
    {
        const double lon = 114.45, lat = 40.55;
        for (var i = 0; i < 3; i++) await _client.CreateAsync("incidents", Incident(lon + i * 0.0003, lat));
        var (x, y) = TileOf(lon, lat, 15);
        var (_, bytes) = await TileAsync("incidents", 15, x, y);
        var output = await OgrInfoAsync(bytes, 15, x, y);
        Assert.Contains("Layer name: incidents", output);
        Assert.Contains("Feature Count: 3", output);
        Assert.Contains("category: String", output);
    }

    /// <summary>Runs ogrinfo (GDAL's MVT driver) on a tile and returns its summary output.</summary>
    private static async Task<string> OgrInfoAsync(byte[] bytes, int z, int x, int y)
    {
        var dir = Directory.CreateTempSubdirectory("mvt");
        var file = Path.Combine(dir.FullName, "tile.mvt");
        await File.WriteAllBytesAsync(file, bytes);
        var info = Process.Start(new ProcessStartInfo("ogrinfo", $"-ro -al -so -oo X={x} -oo Y={y} -oo Z={z} {file}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("ogrinfo (Debian's gdal-bin) is needed; scripts/test.sh installs it.");
        var output = await info.StandardOutput.ReadToEndAsync();
        await info.WaitForExitAsync();
        Assert.True(info.ExitCode == 0, output + await info.StandardError.ReadToEndAsync());
        dir.Delete(recursive: true);
        return output;
    }

    [Fact]
    public async Task GdalReadsTheCameraTileWithItsTwoLayersAtStreetZoom()
    {
        const double lon = 114.35, lat = 40.45;
        await _client.CreateAsync("cameras", Camera(lon, lat, heading: 180, fov: 70, range: 120));
        await _client.CreateAsync("cameras", Camera(lon + 0.0004, lat, kind: "dome", fov: 360, range: 50));
        await _client.CreateAsync("cameras", Camera(lon + 0.0008, lat, heading: 10, fov: 40, range: 90));
        var (x, y) = TileOf(lon + 0.0004, lat, 14);
        var (response, bytes) = await TileAsync("cameras", 14, x, y);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tile = Decode(bytes, 14, x, y);
        Assert.Equal(["camera_views", "cameras"], tile.Layers.Select(l => l.Name).Order());
        Assert.Equal(3, tile.Layers.Single(l => l.Name == "cameras").Features.Count);
        Assert.Equal(3, tile.Layers.Single(l => l.Name == "camera_views").Features.Count);

        var output = await OgrInfoAsync(bytes, 14, x, y);
        var cameras = output.IndexOf("Layer name: cameras", StringComparison.Ordinal);
        var views = output.IndexOf("Layer name: camera_views", StringComparison.Ordinal);
        Assert.True(cameras >= 0 && views >= 0, output);
        // each layer's own summary: "Feature Count: 3" and its fields
        var camerasPart = cameras < views ? output[cameras..views] : output[cameras..];
        var viewsPart = views < cameras ? output[views..cameras] : output[views..];
        Assert.Contains("Feature Count: 3", camerasPart);
        Assert.Contains("heading_deg: ", camerasPart);
        Assert.Contains("name: String", camerasPart);
        Assert.Contains("Feature Count: 3", viewsPart);
        Assert.Contains("kind: String", viewsPart);
        Assert.DoesNotContain("heading_deg", viewsPart);
    }

    [Fact]
    public async Task PatrolRouteUnitZoneAndDistrictTilesDecodeWithTheirLayerNamesAndCounts()
    {
        const double lon = 114.25, lat = 40.35;
        await _client.CreateAsync("patrol-routes", Feature(Line((lon, lat), (lon + 0.002, lat), (lon + 0.002, lat + 0.001)),
            new System.Text.Json.Nodes.JsonObject { ["name"] = "tile route", ["level"] = 2, ["mode"] = "vehicle" }));
        await _client.CreateAsync("patrol-routes", Feature(Line((lon, lat + 0.0005), (lon + 0.001, lat + 0.0005)),
            new System.Text.Json.Nodes.JsonObject { ["name"] = "tile route 2", ["level"] = 3, ["mode"] = "foot" }));
        for (var i = 0; i < 3; i++)
        {
            await _client.CreateAsync("patrol-units", Feature(Point(lon + i * 0.0003, lat + 0.0002),
                new System.Text.Json.Nodes.JsonObject { ["call_sign"] = $"TILE-{i}", ["level"] = 3, ["mode"] = "foot" }));
        }
        await _client.CreateAsync("zones", Zone("school", lon + 0.001, lat + 0.001, 0.0003));
        await _client.CreateAsync("districts", Feature(Square(lon + 0.001, lat + 0.001, 0.002),
            new System.Text.Json.Nodes.JsonObject { ["code"] = "TILEDIST", ["name"] = "Tile district" }));

        var (x, y) = TileOf(lon + 0.001, lat + 0.0005, 15);
        foreach (var (layer, names, counts) in new[]
                 {
                     ("patrol_routes", new[] { "patrol_routes" }, new[] { 2 }),
                     ("patrol_units", new[] { "patrol_units" }, new[] { 3 }),
                     ("zones", new[] { "zones" }, new[] { 1 }),
                     ("districts", new[] { "district_labels", "districts" }, new[] { 1, 1 }),
                 })
        {
            var (response, bytes) = await TileAsync(layer, 15, x, y);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{layer}: {(int)response.StatusCode}");
            Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType!.MediaType);
            var tile = Decode(bytes, 15, x, y);
            Assert.Equal(names, tile.Layers.Select(l => l.Name).Order());
            Assert.Equal(counts, names.Select(n => tile.Layers.Single(l => l.Name == n).Features.Count));
        }

        // the attributes come through: the route levels and a unit's call sign
        var routes = Decode((await TileAsync("patrol_routes", 15, x, y)).Bytes, 15, x, y).Layers.Single();
        Assert.Equal([2L, 3L], routes.Features.Select(f => Convert.ToInt64(f.Attributes["level"], System.Globalization.CultureInfo.InvariantCulture)).Order());
        var units = Decode((await TileAsync("patrol_units", 15, x, y)).Bytes, 15, x, y).Layers.Single();
        Assert.Equal(["TILE-0", "TILE-1", "TILE-2"], units.Features.Select(f => (string)f.Attributes["call_sign"]).Order());
        var zone = Decode((await TileAsync("zones", 15, x, y)).Bytes, 15, x, y).Layers.Single().Features.Single();
        Assert.Equal("school", (string)zone.Attributes["kind"]);
        Assert.Contains("Polygon", zone.Geometry.GeometryType, StringComparison.Ordinal);
    }
}
