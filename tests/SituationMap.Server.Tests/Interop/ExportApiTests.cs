using System.Globalization;
using System.Net;
using SituationMap.Server.Accounts;
using SituationMap.Server.Interop.Formats;
using SituationMap.Server.Tests.Security;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Interop;

/// <summary>GET /api/exports/{collection}.{ext} on the two-district server (west SA, east SB; a commander scoped to SA), checked with GDAL.</summary>
public sealed class ExportApiTests(ScopedServer server) : IClassFixture<ScopedServer>, IDisposable
{
    private readonly HttpClient _client = server.CreateClient();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("export-tests");
    private const double West = ScopedServer.West, East = ScopedServer.East, Lat = ScopedServer.Lat;

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Box(double lon, double lat, double half = 0.01) =>
        string.Create(CultureInfo.InvariantCulture, $"bbox={lon - half},{lat - half},{lon + half},{lat + half}");

    /// <summary>Downloads an export into a file named as the server names it.</summary>
    private async Task<string> DownloadAsync(string url, HttpClient? client = null)
    {
        var response = await (client ?? _client).GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var path = Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N")[..8] + "-" + response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        await using var file = File.Create(path);
        await response.Content.CopyToAsync(file);
        return path;
    }

    public static TheoryData<string, string> FormatsAndCollections()
    {
        var data = new TheoryData<string, string>();
        foreach (var format in new[] { "geojson", "csv", "gpkg", "shp.zip", "kml" })
        {
            foreach (var collection in new[] { "incidents", "zones" }) data.Add(collection, format);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndCollections))]
    public async Task GdalOpensEveryFormatWithTheSelectedFeaturesFieldsAndCoordinates(string collection, string format)
    {
        // a region of its own per case, so the bbox selects exactly this case's features
        var index = FormatsAndCollections().Select(r => ((string)r[0], (string)r[1])).ToList().IndexOf((collection, format));
        var lon = 100.0 + index;
        const double lat = 30.000321;
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var x = lon + i * 0.002 + 0.000123;
            ids.Add((await _client.CreateAsync(collection, collection == "incidents"
                ? Incident(x, lat, "burglary", severity: 4, occurredAt: new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero))
                : Zone("school", x, lat, half: 0.0005))).Id());
        }
        await _client.CreateAsync(collection, collection == "incidents" ? Incident(lon + 0.5, lat) : Zone("school", lon + 0.5, lat, 0.0005));

        var file = await DownloadAsync($"/api/exports/{collection}.{format}?{Box(lon, lat)}");
        var summary = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-so", file);
        Assert.Contains("Feature Count: 3\n", summary);
        var geometryType = format is "kml" or "csv" ? "Geometry: Unknown" : collection == "incidents" ? "Point" : "Polygon";
        Assert.True(summary.Contains(geometryType, StringComparison.Ordinal), summary);
        string[] fields = collection == "incidents" ? ["category", "severity", "occurred_at", "district", "description"] : ["name", "kind", "risk_level", "area_m2"];
        // DBF cuts names to 10 characters; GDAL's LIBKML driver reads Data "name" as its own Name field
        foreach (var field in fields.Select(f => format == "shp.zip" ? ShapefileZipWriter.FieldNames([f])[0] : format == "kml" && f == "name" ? "Name" : f))
            Assert.True(summary.Contains($"\n{field}: ", StringComparison.Ordinal), $"no field {field} in {summary}");
        if (format is "geojson" or "gpkg" or "shp.zip")
        {
            // typed formats keep numbers numbers; GeoJSON and GeoPackage also keep instants
            Assert.Matches(collection == "incidents" ? "\nseverity: Integer" : "\nrisk_level: Integer", summary);
            if (collection == "zones") Assert.Contains("\narea_m2: Real", summary);
            if (format != "shp.zip" && collection == "incidents") Assert.Contains("\noccurred_at: DateTime", summary);
        }

        if (format == "gpkg")
        {
            Assert.Contains("HasSpatialIndex (Integer) = 1", await Gdal.RunAsync("ogrinfo", "-ro", file, "-sql", $"SELECT HasSpatialIndex('{collection}', 'geom')"));
            var west = string.Create(CultureInfo.InvariantCulture, $"{lon - 0.001}");
            var filtered = await Gdal.RunAsync("ogrinfo", "-ro", "-so", file, collection, "-spat", west, "29", string.Create(CultureInfo.InvariantCulture, $"{lon + 0.001}"), "31");
            Assert.Contains("Feature Count: 1\n", filtered);
        }

        var all = await Gdal.RunAsync("ogrinfo", "-ro", "-al", file);
        var first = lon + 0.000123;
        Assert.Contains(collection == "incidents"
            ? string.Create(CultureInfo.InvariantCulture, $"POINT ({first} {lat})")
            : string.Create(CultureInfo.InvariantCulture, $"(({first - 0.0005} {lat - 0.0005}"), all.Replace("MULTIPOLYGON (((", "((("));
        // the id is the feature id (GeoJSON, GeoPackage) or an id field (the others)
        foreach (var id in ids) Assert.Matches($@"(\):{id}\n|  id \((Integer64|String)\) = {id}\n)", all);
        if (collection == "incidents")
        {
            Assert.Contains("burglary", all);
            Assert.Contains("2026", all);
        }
    }

    [Theory]
    [InlineData("geojson")]
    [InlineData("csv")]
    [InlineData("gpkg")]
    [InlineData("shp.zip")]
    [InlineData("kml")]
    public async Task EveryCollectionExportsInEveryFormat(string format)
    {
        // cameras carry arrays and geometries among their properties (JSON text), routes are lines, units have a level number
        var lon = 112.0 + Array.IndexOf(["geojson", "csv", "gpkg", "shp.zip", "kml"], format) * 0.1;
        var camera = Camera(lon, Lat);
        camera["properties"]!["privacy_masks"] = Square(lon, Lat + 0.0005, 0.0002);
        await _client.CreateAsync("cameras", camera);
        await _client.CreateAsync("patrol-routes", Feature(Line((lon, Lat), (lon + 0.001, Lat), (lon + 0.001, Lat + 0.001)), new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = "Route " + format,
            ["level"] = 2,
            ["mode"] = "foot",
            ["shift_windows"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["start"] = "20:00", ["end"] = "08:00", ["days"] = new System.Text.Json.Nodes.JsonArray(5, 6) }),
        }));
        await _client.CreateAsync("patrol-units", Feature(Point(lon, Lat), new System.Text.Json.Nodes.JsonObject { ["call_sign"] = "EXP-" + format, ["level"] = 1, ["mode"] = "vehicle" }));

        foreach (var collection in new[] { "cameras", "camera_views", "patrol_routes", "patrol_units" })
        {
            var file = await DownloadAsync($"/api/exports/{collection}.{format}?{Box(lon, Lat, 0.005)}");
            Assert.Contains("Feature Count: 1\n", await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-so", file));
        }
        var districts = await DownloadAsync($"/api/exports/districts.{format}");
        Assert.Contains($"Feature Count: {await server.Database.ScalarAsync("SELECT count(*) FROM districts")}\n", await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-so", districts));
    }

    [Fact]
    public async Task TheShapefileAndGeoPackageExportsReadBackThroughTheImportSourcesWithTheStoredValues()
    {
        const double lon = 110.5;
        var created = await _client.CreateAsync("zones", Zone("key_facility", lon, Lat, 0.001));
        var url = $"/api/exports/zones.{{0}}?{Box(lon, Lat, 0.002)}";
        var stored = created.GetProperty("properties");
        var geometry = await server.Database.ScalarAsync(
            $"SELECT round(ST_XMin(geom)::numeric * 1e9) FROM zones WHERE id = {created.Id()}");

        using (var gpkg = new GeoPackageSource(await DownloadAsync(string.Format(CultureInfo.InvariantCulture, url, "gpkg"))))
        {
            var row = Assert.Single(gpkg.Read(CancellationToken.None));
            Assert.Equal("EPSG:4326", gpkg.DeclaredCrs);
            Assert.Equal("key_facility", row.Attributes["kind"]);
            Assert.Equal(2L, row.Attributes["risk_level"]);
            Assert.Equal(stored.GetProperty("area_m2").GetDouble(), (double)row.Attributes["area_m2"]!);
            Assert.Equal(DateTimeOffset.Parse(stored.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture),
                (DateTimeOffset)row.Attributes["created_at"]!, TimeSpan.FromMilliseconds(1));
            Assert.Equal(geometry, Math.Round(row.Geometry!.EnvelopeInternal.MinX * 1e9));
            Assert.Equal("MultiPolygon", row.Geometry.GeometryType);
        }
        using (var shp = new ShapefileSource(await DownloadAsync(string.Format(CultureInfo.InvariantCulture, url, "shp.zip"))))
        {
            var row = Assert.Single(shp.Read(CancellationToken.None));
            Assert.Equal("EPSG:4326", shp.DeclaredCrs);
            Assert.Equal(created.Id(), row.Attributes["id"]);
            Assert.Equal("key_facility", row.Attributes["kind"]);
            Assert.Equal(2L, row.Attributes["risk_level"]);
            Assert.Equal(stored.GetProperty("area_m2").GetDouble(), (double)row.Attributes["area_m2"]!, 6);
            Assert.Equal(DateTimeOffset.Parse(stored.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture),
                DateTimeOffset.Parse((string)row.Attributes["created_at"]!, CultureInfo.InvariantCulture));
            Assert.Equal(geometry, Math.Round(row.Geometry!.EnvelopeInternal.MinX * 1e9));
        }
    }

    [Fact]
    public async Task ADistrictScopedAccountExportsOnlyItsDistrictsFeatures()
    {
        var mine = (await _client.CreateAsync("incidents", Incident(West + 0.002, Lat + 0.003))).Id();
        var theirs = (await _client.CreateAsync("incidents", Incident(East + 0.002, Lat + 0.003))).Id();
        var scoped = server.CreateClient(server.ScopedToken);
        var box = string.Create(CultureInfo.InvariantCulture, $"bbox={West - 0.05},{Lat - 0.05},{East + 0.05},{Lat + 0.05}");

        var file = await DownloadAsync($"/api/exports/incidents.csv?{box}", scoped);
        var ogr = await Gdal.RunAsync("ogrinfo", "-ro", "-al", file);
        Assert.Contains($"id (String) = {mine}\n", ogr);
        Assert.DoesNotContain($"id (String) = {theirs}\n", ogr);
        Assert.DoesNotContain("district (String) = SB", ogr);
        var inSa = await server.Database.ScalarAsync(string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM incidents WHERE district = 'SA' AND geom && ST_MakeEnvelope({West - 0.05}, {Lat - 0.05}, {East + 0.05}, {Lat + 0.05}, 4326)"));
        var summary = await Gdal.RunAsync("ogrinfo", "-ro", "-al", "-so", file);
        Assert.Contains($"Feature Count: {inSa}\n", summary);

        var districts = await DownloadAsync("/api/exports/districts.geojson", scoped);
        Assert.Contains("code (String) = SA", await Gdal.RunAsync("ogrinfo", "-ro", "-al", districts));
        Assert.DoesNotContain("code (String) = SB", await Gdal.RunAsync("ogrinfo", "-ro", "-al", districts));
    }

    [Fact]
    public async Task EveryExportIsAuditedAndIncidentFreeTextIsRedactedUnlessAskedNotTo()
    {
        const double lon = 111.5;
        var incident = Incident(lon, Lat, "fraud");
        incident["properties"]!["description"] = "报警人张女士 电话13812345678";
        incident["properties"]!["address"] = "联系 someone@example.com";
        await _client.CreateAsync("incidents", incident);
        var query = $"{Box(lon, Lat)}&category=fraud";

        var redacted = await _client.GetStringAsync($"/api/exports/incidents.geojson?{query}");
        Assert.Contains("电话[PHONE]", redacted);
        Assert.Contains("[EMAIL]", redacted);
        Assert.DoesNotContain("13812345678", redacted);
        var plain = await _client.GetStringAsync($"/api/exports/incidents.kml?{query}&redact=false");
        Assert.Contains("13812345678", plain);
        Assert.Contains("someone@example.com", plain);

        Assert.Equal(1, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM audit_log WHERE action = 'export' AND layer = 'incidents' AND detail->>'format' = 'geojson' " +
            $"AND detail->>'query' = '?{query}' AND (detail->>'rows')::int = 1 AND detail->>'redacted' = 'true'"));
        Assert.Equal(1, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM audit_log WHERE action = 'export' AND layer = 'incidents' AND detail->>'format' = 'kml' " +
            $"AND (detail->>'rows')::int = 1 AND detail->>'redacted' = 'false'"));
    }

    [Fact]
    public async Task ExportingNeedsTheExportPermission()
    {
        var viewer = server.CreateClient(await server.CreateTokenAsync("export-viewer", [Roles.Viewer], []));
        var before = await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'export'");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/exports/incidents.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CreateClient("").GetAsync("/api/exports/incidents.csv")).StatusCode);
        Assert.Equal(before, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'export'"));
    }

    [Theory]
    [InlineData("incidents.csv", "bbox=1,2,3", "?bbox")]
    [InlineData("incidents.csv", "bbox=10,50,5,60", "?bbox")]
    [InlineData("incidents.geojson", "limit=10", "?limit")]
    [InlineData("incidents.geojson", "crs=http://www.opengis.net/def/crs/EPSG/0/3857", "?crs")]
    [InlineData("incidents.gpkg", "colour=red", "?colour")]
    [InlineData("incidents.gpkg", "category=spying", "?category")]
    [InlineData("zones.kml", "datetime=2026-01-01T00:00:00Z", "?datetime")]
    [InlineData("zones.kml", "redact=maybe", "?redact")]
    [InlineData("incidents.xlsx", "", "{file}")]
    [InlineData("incidents", "", "{file}")]
    public async Task BadParametersAndUnknownFormatsAre400ProblemsNamingTheCulprit(string file, string query, string pointer)
    {
        var response = await _client.GetAsync($"/api/exports/{file}?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(Errors(await response.JsonAsync()), e => e.StartsWith(pointer + ": ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownCollectionIs404()
    {
        var response = await _client.GetAsync("/api/exports/secrets.geojson");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
