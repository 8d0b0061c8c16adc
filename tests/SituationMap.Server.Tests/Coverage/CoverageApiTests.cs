using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Accounts;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Coverage;

/// <summary>
/// Coverage through the server on a real PostGIS: each test builds its own scene (zones, cameras, building footprints)
/// a few kilometres from the others and checks hand-computed areas. The model is rebuilt when zones change and updated
/// camera by camera, asynchronously, so tests wait for the state they expect.
/// </summary>
public sealed class CoverageApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly MetricProjection Utm = MetricProjection.ForLocation(Lon, Lat);
    private readonly HttpClient _client = server.CreateClient();

    /// <summary>A scene's centre: Lon + offset, in WGS84 and UTM metres.</summary>
    private static (double Lon, double Lat, double X, double Y) Place(double lonOffset)
    {
        var c = Utm.ToMetric(Lon + lonOffset, Lat);
        return (Lon + lonOffset, Lat, c.X, c.Y);
    }

    private static double[] LonLat(double x, double y)
    {
        var c = Utm.ToWgs84(x, y);
        return [c.X, c.Y];
    }

    /// <summary>A building footprint, as a metric rectangle, inserted directly (buildings are reference data).</summary>
    private async Task AddBuildingAsync(string reference, double x0, double y0, double x1, double y1)
    {
        var ring = new[] { (x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0) }.Select(p => LonLat(p.Item1, p.Item2))
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c[0]} {c[1]}"));
        await server.Database.ExecuteAsync(
            $"INSERT INTO buildings (ref, source, kind, geom) VALUES ('{reference}', 'test', 'other', ST_Multi(ST_GeomFromText('POLYGON(({string.Join(",", ring)}))', 4326)))");
    }

    private async Task<long> CreateZoneAsync(string kind, double lon, double lat, double half)
    {
        return (await _client.CreateAsync("zones", Zone(kind, lon, lat, half))).Id();
    }

    private async Task<long> CreateCameraAsync(double lon, double lat, double heading, double fov, double range, string kind = "fixed") =>
        (await _client.CreateAsync("cameras", Camera(lon, lat, heading, fov, range, kind))).Id();

    /// <summary>Polls GET /api/coverage until the zone's row satisfies the condition (coverage updates are asynchronous).</summary>
    private async Task<(JsonElement Report, JsonElement Zone)> WaitForZoneAsync(long zoneId, Func<JsonElement, bool> condition, HttpClient? client = null)
    {
        client ??= _client;
        JsonElement last = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await client.GetAsync("/api/coverage");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var report = await response.JsonAsync();
                foreach (var zone in report.GetProperty("zones").EnumerateArray())
                {
                    if (zone.GetProperty("id").GetInt64() != zoneId) continue;
                    last = zone;
                    if (condition(zone)) return (report, zone);
                }
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"zone {zoneId} never reached the expected coverage; last row: {last}");
    }

    private static string[] Pointers(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)];

    private static double Covered(JsonElement zone) => zone.GetProperty("covered_m2").GetDouble();

    [Fact]
    public async Task AZoneIsMeasuredAgainstItsTargetWithTheViewOccludedByABuilding()
    {
        var p = Place(0.01);
        // a PTZ camera (full circle, 30 m) with a building 10–40 m east of it, taller than the circle is wide: the view
        // is the disc minus the circular segment beyond the chord at 10 m: π·30² − (30²·acos(1/3) − 10·√800) = 2002.4 m²
        await AddBuildingAsync("occluder-1", p.X + 10, p.Y - 40, p.X + 40, p.Y + 40);
        var zoneId = await CreateZoneAsync("key_facility", p.Lon, p.Lat, 0.002);
        var cameraId = await CreateCameraAsync(p.Lon, p.Lat, 0, 360, 30, "ptz");
        const double Expected = Math.PI * 900 - (900 * 1.2309594173407747 - 10 * 28.284271247461902);

        var (report, zone) = await WaitForZoneAsync(zoneId, z => Math.Abs(Covered(z) - Expected) < 0.01 * Expected);
        var area = zone.GetProperty("area_m2").GetDouble();
        var geodesic = await server.Database.ScalarDoubleAsync($"SELECT ST_Area(geom::geography) FROM zones WHERE id = {zoneId}");
        Assert.Equal(geodesic, area, geodesic * 0.002); // UTM vs the ellipsoid: within 0.2 %
        Assert.Equal(1.0, zone.GetProperty("target").GetDouble());
        Assert.Equal(Covered(zone) / area, zone.GetProperty("covered").GetDouble(), 1e-5);
        Assert.Equal("red", zone.GetProperty("rag").GetString());
        Assert.True(zone.GetProperty("below_target").GetBoolean());
        Assert.Equal(1, zone.GetProperty("cameras").GetInt32());
        Assert.Contains(zoneId, report.GetProperty("below_target").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Contains(report.GetProperty("by_kind").EnumerateArray(), k => k.GetProperty("kind").GetString() == "key_facility" && k.GetProperty("target").GetDouble() == 1.0);

        // the blind spot is the rest of the zone
        var spots = await (await _client.GetAsync("/api/coverage/blind-spots?kind=key_facility")).JsonAsync();
        var spot = spots.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("properties").GetProperty("zone_id").GetInt64() == zoneId);
        Assert.Equal(area - Covered(zone), spot.GetProperty("properties").GetProperty("blind_m2").GetDouble(), 1.0);
        Assert.Equal("Polygon", spot.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(2, spot.GetProperty("geometry").GetProperty("coordinates").GetArrayLength()); // the zone with the view as a hole

        // the camera's view polygon with its occlusion
        var box = string.Create(CultureInfo.InvariantCulture, $"{p.Lon - 0.001},{p.Lat - 0.001},{p.Lon + 0.001},{p.Lat + 0.001}");
        var views = await (await _client.GetAsync($"/api/coverage/views?bbox={box}")).JsonAsync();
        var view = views.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetInt64() == cameraId).GetProperty("properties");
        Assert.Equal(Expected, view.GetProperty("area_m2").GetDouble(), Expected * 0.001);
        Assert.Equal(Math.PI * 900, view.GetProperty("sector_area_m2").GetDouble(), 1);
        async Task<bool> ViewListedAsync(string b) => (await (await _client.GetAsync($"/api/coverage/views?bbox={b}")).JsonAsync())
            .GetProperty("features").EnumerateArray().Any(f => f.GetProperty("id").GetInt64() == cameraId);
        Assert.False(await ViewListedAsync(string.Create(CultureInfo.InvariantCulture, $"{p.Lon + 0.001},{p.Lat - 0.001},{p.Lon + 0.003},{p.Lat + 0.001}"))); // 85 m east of it
        Assert.True(await ViewListedAsync("-180,-85,180,85")); // the whole world: no metric prefilter

        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/coverage/views?bbox=1,2,3")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/coverage/blind-spots?kind=castle")).StatusCode);
    }

    [Fact]
    public async Task ACameraGoingOfflineUpdatesOnlyTheZonesItSawAndIsPushedLive()
    {
        var p = Place(0.03);
        var far = Place(0.06);
        var zoneId = await CreateZoneAsync("crowded_public_place", p.Lon, p.Lat, 0.002);
        var farZoneId = await CreateZoneAsync("crowded_public_place", far.Lon, far.Lat, 0.002);
        var cameraId = await CreateCameraAsync(p.Lon, p.Lat, 0, 90, 50);
        const double Quarter = Math.PI * 2500 / 4; // a 90° sector of 50 m, nothing in the way
        await WaitForZoneAsync(zoneId, z => Math.Abs(Covered(z) - Quarter) < 0.005 * Quarter);

        var received = new ConcurrentQueue<JsonElement>();
        await using var hub = await server.ConnectHubAsync();
        hub.On<JsonElement>("CoverageUpdated", n => received.Enqueue(n));
        var scopedReceived = new ConcurrentQueue<JsonElement>();
        await using var scopedHub = await server.ConnectHubAsync(token: await server.CreateTokenAsync("coverage-scoped", [Roles.Viewer], ["ZZ"]));
        scopedHub.On<JsonElement>("CoverageUpdated", n => scopedReceived.Enqueue(n));

        await server.Database.ExecuteAsync($"UPDATE cameras SET status = 'offline' WHERE id = {cameraId}");

        JsonElement notice = default;
        for (var i = 0; i < 100 && !received.Any(n => n.GetProperty("cause").GetString() == "cameras"); i++) await Task.Delay(100);
        notice = received.First(n => n.GetProperty("cause").GetString() == "cameras");
        var zones = notice.GetProperty("zones").EnumerateArray().ToList();
        var row = Assert.Single(zones, z => z.GetProperty("id").GetInt64() == zoneId);
        Assert.Equal(0, Covered(row));
        Assert.Equal("red", row.GetProperty("rag").GetString());
        Assert.DoesNotContain(zones, z => z.GetProperty("id").GetInt64() == farZoneId); // only the affected zones
        Assert.Equal(JsonValueKind.Object, notice.GetProperty("total").ValueKind);
        await WaitForZoneAsync(zoneId, z => Covered(z) == 0);
        await Task.Delay(300);
        Assert.Empty(scopedReceived); // the zone is outside district ZZ: nothing about it reaches that account
    }

    [Fact]
    public async Task TheEvidenceFinderRanksTheCamerasThatSawTheIncidentAndSaysWhyOthersDidNot()
    {
        var p = Place(0.09);
        // a camera looking east (90° FOV, 60 m) with a small building 20–25 m east, 5–15 m north of it
        await AddBuildingAsync("occluder-2", p.X + 20, p.Y + 5, p.X + 25, p.Y + 15);
        await CreateZoneAsync("school", p.Lon + 0.001, p.Lat + 0.001, 0.0005); // a zone change rebuilds the model with the building
        var east = await CreateCameraAsync(p.Lon, p.Lat, 90, 90, 60);
        var behind = await CreateCameraAsync(LonLat(p.X + 70, p.Y)[0], LonLat(p.X + 70, p.Y)[1], 90, 60, 50); // looks away
        await Task.Delay(1_500); // the model is rebuilt with the building; the cameras' status history starts now

        var seen = LonLat(p.X + 40, p.Y - 10);
        var hidden = LonLat(p.X + 40, p.Y + 10); // behind the building
        var now = DateTimeOffset.UtcNow;
        var inView = (await _client.CreateAsync("incidents", Incident(seen[0], seen[1], occurredAt: now.AddSeconds(-0.5)))).Id();
        var occluded = (await _client.CreateAsync("incidents", Incident(hidden[0], hidden[1], occurredAt: now.AddSeconds(-0.5)))).Id();
        var beforeInstall = (await _client.CreateAsync("incidents", Incident(seen[0], seen[1], occurredAt: now.AddDays(-1)))).Id();
        await server.Database.ExecuteAsync($"UPDATE cameras SET status = 'fault' WHERE id = {east}");
        await Task.Delay(50);
        var whileFaulty = (await _client.CreateAsync("incidents", Incident(seen[0], seen[1], occurredAt: DateTimeOffset.UtcNow))).Id();

        async Task<JsonElement> EvidenceAsync(long incident) => await (await _client.GetAsync($"/api/incidents/{incident}/evidence?search_m=200")).JsonAsync();
        string Verdict(JsonElement evidence, long camera) => evidence.GetProperty("candidates").EnumerateArray().Concat(evidence.GetProperty("others").EnumerateArray())
            .Single(c => c.GetProperty("camera_id").GetInt64() == camera).GetProperty("verdict").GetString()!;

        var e = await EvidenceAsync(inView);
        var candidate = Assert.Single(e.GetProperty("candidates").EnumerateArray());
        Assert.Equal(east, candidate.GetProperty("camera_id").GetInt64());
        Assert.Equal("online", candidate.GetProperty("status_at_time").GetString());
        Assert.Equal("fault", candidate.GetProperty("status_now").GetString());
        Assert.Equal(Math.Sqrt(40 * 40 + 10 * 10), candidate.GetProperty("distance_m").GetDouble(), 0.5);
        Assert.Equal(90 + Math.Atan2(10, 40) * 180 / Math.PI, candidate.GetProperty("bearing_deg").GetDouble(), 0.2);
        Assert.Equal("out_of_view", Verdict(e, behind));
        Assert.Equal("occluded", Verdict(await EvidenceAsync(occluded), east));
        Assert.Equal("not_installed", Verdict(await EvidenceAsync(beforeInstall), east));
        Assert.Equal("offline_at_time", Verdict(await EvidenceAsync(whileFaulty), east));
        Assert.Empty((await EvidenceAsync(whileFaulty)).GetProperty("candidates").EnumerateArray());

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/incidents/999999999/evidence")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/incidents/{inView}/evidence?search_m=5000")).StatusCode);
        var scoped = server.CreateClient(await server.CreateTokenAsync("evidence-scoped", [Roles.Viewer], ["ZZ"]));
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/incidents/{inView}/evidence")).StatusCode); // not in its districts
    }

    [Fact]
    public async Task RecommendationsPickTheSiteThatCoversTheZoneAndMatchTheExhaustiveOptimum()
    {
        var p = Place(0.12);
        var zoneId = await CreateZoneAsync("key_facility", p.Lon, p.Lat, 0.001); // ±84 m × ±111 m: any 40 m sector from the centre fits
        await WaitForZoneAsync(zoneId, _ => true);
        var cameras = await server.Database.ScalarAsync("SELECT count(*) FROM cameras");
        var far = LonLat(p.X + 600, p.Y);
        var request = new JsonObject
        {
            ["budget"] = 1,
            ["camera"] = new JsonObject { ["kind"] = "fixed", ["field_of_view_deg"] = 90, ["range_m"] = 40 },
            ["headings"] = 4,
            ["zone_ids"] = new JsonArray(zoneId),
            ["candidates"] = new JsonObject { ["source"] = "list", ["points"] = new JsonArray(new JsonArray(far[0], far[1]), new JsonArray(p.Lon, p.Lat)) },
        };
        var response = await _client.PostAsync("/api/coverage/recommendations", Raw(request.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        var pick = Assert.Single(result.GetProperty("picks").EnumerateArray());
        Assert.Equal(p.Lon, pick.GetProperty("location")[0].GetDouble(), 1e-6); // the pole in the zone, not the one 600 m away
        Assert.Equal(Math.PI * 1600 / 4, pick.GetProperty("newly_covered_m2").GetDouble(), Math.PI * 1600 / 4 * 0.05);
        Assert.Equal(1.0, result.GetProperty("optimality").GetDouble(), 1e-9); // 8 options, budget 1: solved exactly too
        Assert.Equal(2, result.GetProperty("sites").GetInt32());
        var change = Assert.Single(result.GetProperty("zones_after").EnumerateArray());
        Assert.Equal(zoneId, change.GetProperty("zone_id").GetInt64());
        Assert.True(change.GetProperty("after").GetDouble() > change.GetProperty("before").GetDouble());
        Assert.Equal(cameras, await server.Database.ScalarAsync("SELECT count(*) FROM cameras")); // nothing written

        var bad = await _client.PostAsync("/api/coverage/recommendations", Raw("""{"budget":0,"camera":{"range_m":2000},"kind_weights":{"castle":1}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["/budget", "/camera/range_m", "/kind_weights/castle"], Pointers(await bad.JsonAsync()));
        var viewer = server.CreateClient(await server.CreateTokenAsync("coverage-viewer", [Roles.Viewer], []));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/coverage/recommendations", Raw(request.ToJsonString()))).StatusCode);
    }

    [Fact]
    public async Task AScenarioShowsTheChangePerZoneWithoutWritingAnything()
    {
        var p = Place(0.15);
        var zoneId = await CreateZoneAsync("residential_community", p.Lon, p.Lat, 0.001);
        var existing = await CreateCameraAsync(p.Lon, p.Lat, 0, 60, 40);
        var (_, zone) = await WaitForZoneAsync(zoneId, z => Covered(z) > 0);
        var cameras = await server.Database.ScalarAsync("SELECT count(*) FROM cameras");
        var scenario = new JsonObject
        {
            ["changes"] = new JsonArray(
                new JsonObject { ["op"] = "add", ["ref"] = "new-pole", ["location"] = new JsonArray(p.Lon, p.Lat), ["heading_deg"] = 180, ["field_of_view_deg"] = 60, ["range_m"] = 40 },
                new JsonObject { ["op"] = "update", ["id"] = existing, ["heading_deg"] = 90 }),
        };
        var response = await _client.PostAsync("/api/coverage/scenarios/evaluate", Raw(scenario.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        var changed = Assert.Single(result.GetProperty("zones").EnumerateArray(), z => z.GetProperty("id").GetInt64() == zoneId);
        var before = zone.GetProperty("covered").GetDouble();
        Assert.Equal(before, changed.GetProperty("before").GetDouble(), 1e-6);
        Assert.Equal(2 * before, changed.GetProperty("after").GetDouble(), before * 0.01); // two disjoint 60° sectors instead of one
        Assert.True(result.GetProperty("total_after").GetProperty("covered_m2").GetDouble() > result.GetProperty("total_before").GetProperty("covered_m2").GetDouble());
        Assert.Equal(2, result.GetProperty("views").GetArrayLength());
        Assert.Equal(cameras, await server.Database.ScalarAsync("SELECT count(*) FROM cameras"));
        var (_, after) = await WaitForZoneAsync(zoneId, _ => true);
        Assert.Equal(before, after.GetProperty("covered").GetDouble()); // the current coverage did not change

        var bad = await _client.PostAsync("/api/coverage/scenarios/evaluate", Raw("""{"changes":[{"op":"remove","id":987654321}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["/changes/0/id"], Pointers(await bad.JsonAsync()));
        var shape = await _client.PostAsync("/api/coverage/scenarios/evaluate", Raw("""{"changes":[{"op":"add","heading_deg":400},{"op":"spin"}]}"""));
        Assert.Equal(["/changes/0/heading_deg", "/changes/0/location", "/changes/1/op"], Pointers(await shape.JsonAsync()));
    }

    private static JsonObject Footprint(string? reference, string? kind, params double[][] metricCorners)
    {
        var ring = new JsonArray([.. metricCorners.Append(metricCorners[0]).Select(c => (JsonNode)new JsonArray(LonLat(c[0], c[1])[0], LonLat(c[0], c[1])[1]))]);
        var properties = new JsonObject { ["ref"] = reference, ["building"] = "house", ["levels"] = 3 };
        if (kind is not null) properties["kind"] = kind;
        return new JsonObject { ["type"] = "Feature", ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) }, ["properties"] = properties };
    }

    private static StringContent Collection(params JsonNode[] features) =>
        Body(new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(features) });

    [Fact]
    public async Task ImportedBuildingFootprintsReplaceTheirSourceAndBlockTheCamerasSight()
    {
        var p = Place(0.21);
        // a PTZ camera (30 m) in a zone, nothing in the way: the full disc
        var zoneId = await CreateZoneAsync("key_facility", p.Lon, p.Lat, 0.002);
        await CreateCameraAsync(p.Lon, p.Lat, 0, 360, 30, "ptz");
        await WaitForZoneAsync(zoneId, z => Math.Abs(Covered(z) - Math.PI * 900) < 0.01 * Math.PI * 900);

        // a bad file is refused whole, naming each problem
        var bad = await _client.PutAsync("/api/buildings/sources/test-import", Collection(
            Footprint("a", null, [p.X + 10, p.Y - 40], [p.X + 40, p.Y - 40], [p.X + 40, p.Y + 40], [p.X + 10, p.Y + 40]),
            new JsonObject { ["type"] = "Feature", ["geometry"] = Point(p.Lon, p.Lat), ["properties"] = new JsonObject() },
            Footprint("a", "castle", [p.X - 40, p.Y - 40], [p.X - 35, p.Y - 40], [p.X - 35, p.Y - 35], [p.X - 40, p.Y - 35])));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["/features/1/geometry/type", "/features/2/properties/kind", "/features/2/properties/ref"], Pointers(await bad.JsonAsync()));
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'test-import'"));

        // the same building as in the occlusion test: the view loses the circular segment beyond x = 10 m
        var ok = await _client.PutAsync("/api/buildings/sources/test-import", Collection(
            Footprint("a", null, [p.X + 10, p.Y - 40], [p.X + 40, p.Y - 40], [p.X + 40, p.Y + 40], [p.X + 10, p.Y + 40]),
            Footprint("b", "public", [p.X - 200, p.Y - 200], [p.X - 190, p.Y - 200], [p.X - 190, p.Y - 190], [p.X - 200, p.Y - 190])));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var result = await ok.JsonAsync();
        Assert.Equal(2, result.GetProperty("imported").GetInt32());
        Assert.Equal(0, result.GetProperty("replaced").GetInt32());
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'test-import' AND ref = 'a' AND kind = 'residential' AND levels = 3"));
        const double Expected = Math.PI * 900 - (900 * 1.2309594173407747 - 10 * 28.284271247461902);
        await WaitForZoneAsync(zoneId, z => Math.Abs(Covered(z) - Expected) < 0.01 * Expected);
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'import' AND layer = 'buildings'") >= 1);

        // importing the source again replaces it: the occluder is gone
        var again = await _client.PutAsync("/api/buildings/sources/test-import", Collection(
            Footprint("b", "public", [p.X - 200, p.Y - 200], [p.X - 190, p.Y - 200], [p.X - 190, p.Y - 190], [p.X - 200, p.Y - 190])));
        Assert.Equal(2, (await again.JsonAsync()).GetProperty("replaced").GetInt32());
        await WaitForZoneAsync(zoneId, z => Math.Abs(Covered(z) - Math.PI * 900) < 0.01 * Math.PI * 900);

        var viewer = server.CreateClient(await server.CreateTokenAsync("buildings-viewer", [Roles.Viewer], []));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync("/api/buildings/sources/test-import", Collection())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PutAsync("/api/buildings/sources/Bad%20Name", Collection())).StatusCode);
    }

    [Fact]
    public async Task RealOpenStreetMapFootprintsConvertedByOgr2ogrImportWhole()
    {
        if (GeoDataExternal.Find(Path.Combine("osm-liechtenstein", "liechtenstein-2013-08-03.osm.pbf")) is not { } pbf) return;
        // the conversion README shows: OSM multipolygons with a building tag, the way id as ref
        var file = Path.Combine(Path.GetTempPath(), $"osm-buildings-{Guid.NewGuid():N}.geojson");
        var ogr = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ogr2ogr",
            ["-f", "GeoJSON", file, pbf, "-dialect", "SQLite", "-sql",
             "SELECT building, COALESCE(osm_way_id, osm_id) AS ref, geometry FROM multipolygons WHERE building IS NOT NULL"])
        { RedirectStandardError = true })!;
        await ogr.WaitForExitAsync();
        Assert.True(ogr.ExitCode == 0, await ogr.StandardError.ReadToEndAsync());
        try
        {
            var features = JsonDocument.Parse(await File.ReadAllBytesAsync(file)).RootElement.GetProperty("features").GetArrayLength();
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            content.Headers.ContentType = new("application/geo+json");
            var response = await _client.PutAsync("/api/buildings/sources/osm-liechtenstein", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(features > 3_000, $"{features} footprints");
            Assert.Equal(features, (await response.JsonAsync()).GetProperty("imported").GetInt32());
            Assert.Equal(features, await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'osm-liechtenstein' AND ST_IsValid(geom)"));
            Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'osm-liechtenstein' AND kind = 'residential'") > 0);
        }
        finally
        {
            File.Delete(file);
            await _client.PutAsync("/api/buildings/sources/osm-liechtenstein", Collection());
        }
    }

    [Fact]
    public async Task APtzCameraWithPresetsSeesOneSectorPerPresetInItsStoredViewAndInCoverage()
    {
        var p = Place(0.24);
        var zoneId = await CreateZoneAsync("crowded_public_place", p.Lon, p.Lat, 0.002);
        var ptz = Camera(p.Lon, p.Lat, heading: 0, fov: 60, range: 30, kind: "ptz");
        ptz["properties"]!["preset_headings_deg"] = new JsonArray(0, 180);
        var id = (await _client.CreateAsync("cameras", ptz)).Id();
        const double TwoSectors = 2 * Math.PI * 900 / 6; // two 60° sectors of 30 m
        await WaitForZoneAsync(zoneId, z => Math.Abs(Covered(z) - TwoSectors) < 0.01 * TwoSectors);
        // the stored sector (display, tiles) follows the same rule, geodesic with 5° arcs
        Assert.Equal(TwoSectors, await server.Database.ScalarDoubleAsync($"SELECT ST_Area(view_sector::geography) FROM cameras WHERE id = {id}"), TwoSectors * 0.01);
        var feature = await (await _client.GetAsync($"/api/cameras/{id}")).JsonAsync();
        Assert.Equal([0.0, 180.0], feature.GetProperty("properties").GetProperty("preset_headings_deg").EnumerateArray().Select(e => e.GetDouble()));

        // without presets a PTZ camera sees the full circle, whatever its lens
        var edited = feature.ToNode().With("preset_headings_deg", null);
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/api/cameras/{id}", edited, ifMatch: "\"1\"")).StatusCode);
        Assert.Equal(Math.PI * 900, await server.Database.ScalarDoubleAsync($"SELECT ST_Area(view_sector::geography) FROM cameras WHERE id = {id}"), Math.PI * 900 * 0.01);
        await WaitForZoneAsync(zoneId, z => Math.Abs(Covered(z) - Math.PI * 900) < 0.01 * Math.PI * 900);

        var fixedWithPresets = Camera(p.Lon, p.Lat, kind: "fixed");
        fixedWithPresets["properties"]!["preset_headings_deg"] = new JsonArray(10);
        var refused = await _client.PostAsync("/api/cameras", Body(fixedWithPresets));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["/properties/preset_headings_deg"], Pointers(await refused.JsonAsync()));
        var outOfRange = Camera(p.Lon, p.Lat, kind: "dome");
        outOfRange["properties"]!["preset_headings_deg"] = new JsonArray(90, 360);
        Assert.Equal(["/properties/preset_headings_deg"], Pointers(await (await _client.PostAsync("/api/cameras", Body(outOfRange))).JsonAsync()));
    }

    [Fact]
    public async Task TheComplianceTableAndBlindSpotsExportAreAuditedAndNeedTheExportPermission()
    {
        var p = Place(0.18);
        var zoneId = await CreateZoneAsync("school", p.Lon, p.Lat, 0.0005);
        await WaitForZoneAsync(zoneId, _ => true);
        var csv = await _client.GetAsync("/api/coverage.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("zone_id,name,name_en,kind,district,target,area_m2,covered_m2,covered,shortfall,rag", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith($"{zoneId},", StringComparison.Ordinal) && l.Contains(",school,", StringComparison.Ordinal) && l.Contains(",red,", StringComparison.Ordinal));
        var geojson = await _client.GetAsync("/api/coverage/blind-spots.geojson");
        Assert.Equal("application/geo+json", geojson.Content.Headers.ContentType?.MediaType);
        Assert.Equal("FeatureCollection", (await geojson.JsonAsync()).GetProperty("type").GetString());
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'export' AND layer = 'coverage'") >= 2);
        var viewer = server.CreateClient(await server.CreateTokenAsync("coverage-export-viewer", [Roles.Viewer], []));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/coverage.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/coverage/blind-spots.geojson")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/coverage")).StatusCode);
    }
}
