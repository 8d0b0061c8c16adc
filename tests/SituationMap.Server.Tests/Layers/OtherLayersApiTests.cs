using System.Net;
using System.Text.Json.Nodes;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Layers;

/// <summary>Cameras, patrol routes, patrol units, zones and districts share the incident API's machinery; these tests
/// cover what is particular to each.</summary>
public sealed class OtherLayersApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    [Fact]
    public async Task CameraComesBackWithItsViewSectorMinusItsPrivacyMask()
    {
        var camera = Camera(114.9, 40.8, heading: 0, fov: 90, range: 100);
        ((JsonObject)camera["properties"]!)["privacy_masks"] = Square(114.9, 40.8005, 0.0002);
        var created = await _client.CreateAsync("cameras", camera);
        var p = created.GetProperty("properties");
        Assert.Equal("online", p.GetProperty("status").GetString());
        Assert.Equal("MultiPolygon", p.GetProperty("privacy_masks").GetProperty("type").GetString());
        Assert.Equal("MultiPolygon", p.GetProperty("view_sector").GetProperty("type").GetString());
        var sector = await server.Database.ScalarAsync(
            $"SELECT round(ST_Area(view_sector::geography)) FROM cameras WHERE id = {created.Id()}");
        var mask = await server.Database.ScalarAsync(
            $"SELECT round(ST_Area(ST_Intersection(sm_camera_view(geom, heading_deg, field_of_view_deg, range_m, NULL), privacy_masks)::geography)) FROM cameras WHERE id = {created.Id()}");
        Assert.InRange(sector + mask, 7_854 * 0.98, 7_854 * 1.02); // π·100²/4 with the masked part removed
        Assert.True(mask > 100, $"the mask should remove a visible part of the view, removed {mask} m²");
    }

    [Fact]
    public async Task FixedCameraCannotClaimMoreThan180Degrees()
    {
        var response = await _client.PostAsync("/api/cameras", Body(Camera(fov: 270)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Errors(await response.JsonAsync()), e => e.StartsWith("/properties/field_of_view_deg: a fixed camera", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PatrolRouteAcceptsALineStringStoresAMultiLineStringAndReportsItsLength()
    {
        var route = Feature(Line((114.90, 40.80), (114.91, 40.80), (114.91, 40.81)), new JsonObject
        {
            ["name"] = "Level 3 loop",
            ["level"] = 3,
            ["mode"] = "foot",
            ["shift_windows"] = new JsonArray(new JsonObject { ["start"] = "20:00", ["end"] = "08:00", ["days"] = new JsonArray(5, 6) }),
        });
        var created = await _client.CreateAsync("patrol-routes", route);
        Assert.Equal("MultiLineString", created.GetProperty("geometry").GetProperty("type").GetString());
        var p = created.GetProperty("properties");
        Assert.Equal(3, p.GetProperty("level").GetInt32());
        Assert.Equal("20:00", p.GetProperty("shift_windows")[0].GetProperty("start").GetString());
        // 0.01° of longitude at 40.8°N ≈ 842.6 m, 0.01° of latitude ≈ 1111.0 m (UTM 50N, scale factor ~0.9996-1.0002)
        Assert.InRange(p.GetProperty("length_m").GetDouble(), 1_945, 1_965);

        var bad = route.With("level", 5).With("shift_windows", new JsonArray(new JsonObject { ["start"] = "08:00", ["end"] = "08:00", ["days"] = new JsonArray(9) }));
        var response = await _client.PostAsync("/api/patrol-routes", Body(bad));
        var errors = Errors(await response.JsonAsync());
        Assert.Contains(errors, e => e.StartsWith("/properties/level: expected 1 (city)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShiftWindowRulesAreCheckedOneByOne()
    {
        var route = Feature(Line((114.90, 40.80), (114.91, 40.80)), new JsonObject
        {
            ["name"] = "r",
            ["level"] = 2,
            ["mode"] = "vehicle",
            ["shift_windows"] = new JsonArray(new JsonObject { ["start"] = "08:00", ["end"] = "08:00", ["days"] = new JsonArray(9) }),
        });
        var response = await _client.PostAsync("/api/patrol-routes", Body(route));
        var errors = Errors(await response.JsonAsync());
        Assert.Contains("/properties/shift_windows/0/end: must differ from start.", errors);
        Assert.Contains(errors, e => e.StartsWith("/properties/shift_windows/0/days: must list ISO weekdays", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PositionBatchesExtendTracksAndMoveUnitsToTheirNewestPositionOnly()
    {
        var unit = await _client.CreateAsync("patrol-units", Feature(Point(114.90, 40.80), new JsonObject { ["call_sign"] = "TRK-1", ["level"] = 1, ["mode"] = "vehicle" }));
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);
        var batch = new JsonObject
        {
            ["positions"] = new JsonArray(
                new JsonObject { ["call_sign"] = "TRK-1", ["recorded_at"] = Iso(t0.AddSeconds(60)), ["longitude"] = 114.902, ["latitude"] = 40.80, ["speed_mps"] = 8.5, ["heading_deg"] = 90 },
                new JsonObject { ["unit_id"] = unit.Id(), ["recorded_at"] = Iso(t0), ["longitude"] = 114.901, ["latitude"] = 40.80 },
                new JsonObject { ["unit_id"] = unit.Id(), ["recorded_at"] = Iso(t0.AddSeconds(120)), ["longitude"] = 114.903, ["latitude"] = 40.80, ["speed_mps"] = 9, ["heading_deg"] = 91 }),
        };
        var response = await _client.PostAsync("/api/patrol-units/positions", Body(batch, "application/json"));
        var result = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Equal(3, result.GetProperty("accepted").GetInt32());
        Assert.Equal(1, result.GetProperty("units_moved").GetInt32());

        var current = await (await _client.GetAsync($"/api/patrol-units/{unit.Id()}")).JsonAsync();
        Assert.Equal(114.903, current.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), 9);
        Assert.Equal(91, current.GetProperty("properties").GetProperty("heading_deg").GetDouble());

        // a late, older report only extends the track
        var late = new JsonObject { ["positions"] = new JsonArray(new JsonObject { ["unit_id"] = unit.Id(), ["recorded_at"] = Iso(t0.AddSeconds(30)), ["longitude"] = 114.9015, ["latitude"] = 40.80 }) };
        Assert.Equal(0, (await (await _client.PostAsync("/api/patrol-units/positions", Body(late, "application/json"))).JsonAsync()).GetProperty("units_moved").GetInt32());

        var track = await (await _client.GetAsync($"/api/patrol-units/{unit.Id()}/track")).JsonAsync();
        var lons = track.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble()).ToList();
        Assert.Equal([114.901, 114.9015, 114.902, 114.903], lons);
        var window = await (await _client.GetAsync($"/api/patrol-units/{unit.Id()}/track?from={Uri.EscapeDataString(Iso(t0.AddSeconds(45)))}")).JsonAsync();
        Assert.Equal(2, window.GetProperty("number_returned").GetInt32());
    }

    [Fact]
    public async Task CallSignsAreUnique()
    {
        await _client.CreateAsync("patrol-units", Feature(Point(), new JsonObject { ["call_sign"] = "DUP-1", ["level"] = 2, ["mode"] = "bicycle" }));
        var again = await _client.PostAsync("/api/patrol-units", Body(Feature(Point(), new JsonObject { ["call_sign"] = "DUP-1", ["level"] = 2, ["mode"] = "bicycle" })));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("call_sign", (await again.JsonAsync()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("key_facility", 1.0)]
    [InlineData("crowded_public_place", 0.8)]
    [InlineData("residential_community", 0.7)]
    [InlineData("mining_area", 0.5)]
    public async Task ZoneGetsItsKindsCoverageTargetByDefaultAndItsAreaInSquareMetres(string kind, double target)
    {
        var created = await _client.CreateAsync("zones", Zone(kind, 114.9, 40.8, 0.001));
        var p = created.GetProperty("properties");
        Assert.Equal(target, p.GetProperty("coverage_target").GetDouble());
        // 0.002° × 0.002° at 40.8°N ≈ 168.5 m × 222.2 m ≈ 37,440 m²
        Assert.InRange(p.GetProperty("area_m2").GetDouble(), 37_000, 37_900);
        Assert.Equal("MultiPolygon", created.GetProperty("geometry").GetProperty("type").GetString());
    }

    [Fact]
    public async Task DistrictCodesAreUniqueAndListsFilterZonesByKind()
    {
        await _client.CreateAsync("districts", Feature(Square(116, 42, 0.05), new JsonObject { ["code"] = "U1", ["name"] = "一区" }));
        var again = await _client.PostAsync("/api/districts", Body(Feature(Square(116.2, 42, 0.05), new JsonObject { ["code"] = "U1", ["name"] = "二区" })));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        await _client.CreateAsync("zones", Zone("mining_area", 116.0, 42.0));
        await _client.CreateAsync("zones", Zone("urban_village", 116.01, 42.0));
        var mining = await (await _client.GetAsync("/api/zones?kind=mining_area&bbox=115.9,41.9,116.1,42.1")).JsonAsync();
        var feature = Assert.Single(mining.GetProperty("features").EnumerateArray());
        Assert.Equal("U1", feature.GetProperty("properties").GetProperty("district").GetString());
    }
}
