using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SituationMap.Testing;
using static SituationMap.Server.Tests.Dispatch.RoadGridFixture;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Dispatch;

/// <summary>
/// The patrol side of the three-level patrol control through the server, on the road grid with one constructed scene:
/// a district PT around the grid, a crime cluster around junction (4, 4) (Gi* hot spots), routes of each level, and units
/// with tracks made by hand (parked 12 minutes in the hot cell, a drive along street j = 2, a 3-minute detour).
/// </summary>
public sealed class PatrolAnalyticsTests(PatrolAnalyticsTests.Scene scene) : IClassFixture<PatrolAnalyticsTests.Scene>
{
    private readonly HttpClient _client = scene.CreateClient();

    public sealed class Scene : RoadGridFixture
    {
        /// <summary>When the hand-made tracks start (two hours ago, so everything is in the past).</summary>
        public DateTimeOffset T0 { get; } = new(DateTimeOffset.UtcNow.AddHours(-2).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);

        public long CityRoute { get; private set; }

        public long DistrictRoute { get; private set; }

        public long CommunityRoute { get; private set; }

        public long Parked { get; private set; }

        public long Detour { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await AddDistrictAsync("PT", -15, -15, 20, 20);
            var client = CreateClient();
            // 49 incidents within ±130 m of junction (4, 4), 100 spread over the district (3.5 km square), in the last days
            var (hot, corner) = (At(4, 4), At(-15, -15));
            var (dx, dy) = (At(20, 20)[0] - corner[0], At(20, 20)[1] - corner[1]);
            await Database.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"""
                INSERT INTO incidents (category, severity, status, occurred_at, reported_at, geom, source, district)
                SELECT 'burglary', 2, 'closed', now() - interval '3 days', now() - interval '3 days',
                       ST_SetSRID(ST_MakePoint({hot[0]} + (g % 7 - 3) * 0.0005, {hot[1]} + (g / 7 % 7 - 3) * 0.0004), 4326), 'test', 'PT'
                FROM generate_series(0, 48) g
                UNION ALL
                SELECT 'burglary', 2, 'closed', now() - interval '3 days', now() - interval '3 days',
                       ST_SetSRID(ST_MakePoint({corner[0]} + ((g * 37) % 100) / 100.0 * {dx}, {corner[1]} + ((g * 53) % 101) / 101.0 * {dy}), 4326), 'test', 'PT'
                FROM generate_series(1, 100) g
                """));
            CityRoute = (await client.CreateAsync("patrol-routes", RouteFeature("city diagonal", 1, "vehicle", LineThrough((0, 0), (2, 2)), "draft"))).Id();
            DistrictRoute = (await client.CreateAsync("patrol-routes", RouteFeature("district column 4", 2, "vehicle", LineThrough((4, 0), (4, 5))))).Id();
            CommunityRoute = (await client.CreateAsync("patrol-routes", RouteFeature("community corner", 3, "foot", LineThrough((0, 0), (1, 0))))).Id();


            Parked = await UnitAsync(client, "PARKED", PointAt(0, 2), null);
            Detour = await UnitAsync(client, "DETOUR", PointAt(4, 0), DistrictRoute);
            var fixes = new List<JsonObject>();
            // parked in the hot cell for 12 minutes, a fix every 30 s
            for (var s = 0; s <= 720; s += 30) fixes.Add(Fix(Parked, T0.AddSeconds(s), 4, 4));
            // 10 minutes later: along street j = 2 from (0, 2) to (5, 2) at 10 m/s, a fix every 5 s
            for (var s = 0; s <= 50; s += 5) fixes.Add(Fix(Parked, T0.AddMinutes(22).AddSeconds(s), s / 10.0, 2));
            // on its route (column 4), then 150 m off it for 3 minutes, then back
            for (var s = 0; s <= 600; s += 30)
            {
                var off = s is > 120 and < 300;
                fixes.Add(Fix(Detour, T0.AddSeconds(s), off ? 5.5 : 4, s / 200.0));
            }
            var response = await client.PostAsync("/api/patrol-units/positions", Raw(new JsonObject { ["positions"] = new JsonArray([.. fixes]) }.ToJsonString()));
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        }

        /// <summary>A route feature of district PT, on shift all day.</summary>
        public static JsonObject RouteFeature(string name, int level, string mode, JsonObject geometry, string status = "active") => Feature(geometry, new JsonObject
        {
            ["name"] = name,
            ["level"] = level,
            ["mode"] = mode,
            ["status"] = status,
            ["district"] = "PT",
            ["shift_windows"] = new JsonArray(new JsonObject { ["start"] = "00:00", ["end"] = "12:00", ["days"] = new JsonArray() },
                new JsonObject { ["start"] = "12:00", ["end"] = "00:00", ["days"] = new JsonArray() }),
        });

        private static async Task<long> UnitAsync(HttpClient client, string callSign, JsonObject position, long? route) =>
            (await client.CreateAsync("patrol-units", Feature(position, new JsonObject
            {
                ["call_sign"] = callSign,
                ["level"] = 2,
                ["mode"] = "vehicle",
                ["status"] = "available",
                ["route_id"] = route,
            }))).Id();

        private static JsonObject Fix(long unit, DateTimeOffset at, double i, double j) => new()
        {
            ["unit_id"] = unit,
            ["recorded_at"] = Iso(at),
            ["longitude"] = At(i, j)[0],
            ["latitude"] = At(i, j)[1],
        };
    }

    private static string[] Pointers(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task TheOverviewListsRoutesWithShiftsUnitsOnTheirRouteAndRuleProblems()
    {
        var overview = await (await _client.GetAsync("/api/patrols/overview")).JsonAsync();
        var routes = overview.GetProperty("routes").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt64());
        var city = routes[scene.CityRoute];
        // the diagonal cuts across the blocks: not on roads a car may use
        Assert.Contains(city.GetProperty("problems").EnumerateArray(), p => p.GetProperty("code").GetString() == "off_road");
        Assert.True(city.GetProperty("on_shift_now").GetBoolean());
        var district = routes[scene.DistrictRoute];
        Assert.Empty(district.GetProperty("problems").EnumerateArray());
        Assert.Equal(500, district.GetProperty("length_m").GetDouble(), 0.5);
        // one loop: 500 m and the 500 m straight back, at the vehicle patrol speed (8 m/s)
        Assert.Equal(1000 / 8.0 / 60, district.GetProperty("loop_minutes").GetDouble(), 0.06);
        var unit = Assert.Single(district.GetProperty("units").EnumerateArray());
        Assert.Equal(scene.Detour, unit.GetProperty("unit_id").GetInt64());
        Assert.True(unit.GetProperty("on_route").GetBoolean());
        var levels = overview.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("level").GetInt32()).ToList();
        Assert.Equal(levels.Order(), levels); // grouped by level, city first
    }

    [Fact]
    public async Task ActiveRoutesMustKeepTheRulesWhileDraftsMayNot()
    {
        var before = await scene.Database.ScalarAsync("SELECT count(*) FROM patrol_routes");
        // across the blocks by car
        var offRoad = await _client.PostAsync("/api/patrol-routes", Body(Scene.RouteFeature("shortcut", 1, "vehicle", LineThrough((1, 1), (3, 2)))));
        Assert.Equal(HttpStatusCode.BadRequest, offRoad.StatusCode);
        var problem = await offRoad.JsonAsync();
        Assert.Equal(["/geometry"], Pointers(problem));
        Assert.Contains("draft", problem.GetProperty("errors").GetProperty("/geometry")[0].GetString());
        // a community walk leaving its district: PT ends 1.5 km west of the grid, the walk goes 2 km west
        var outside = await _client.PostAsync("/api/patrol-routes", Body(Scene.RouteFeature("leaves PT", 3, "foot", LineThrough((0, 0), (-20, 0)))));
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("/geometry", Pointers(await outside.JsonAsync()));
        // one loop of 1 km by bicycle does not fit a 2-minute shift
        var shortShift = Scene.RouteFeature("too long", 2, "bicycle", LineThrough((0, 3), (5, 3)))
            .With("shift_windows", new JsonArray(new JsonObject { ["start"] = "08:00", ["end"] = "08:02", ["days"] = new JsonArray() }));
        var tooLong = await _client.PostAsync("/api/patrol-routes", Body(shortShift));
        Assert.Equal(["/properties/shift_windows"], Pointers(await tooLong.JsonAsync()));
        Assert.Equal(before, await scene.Database.ScalarAsync("SELECT count(*) FROM patrol_routes"));
        // the same shortcut as a draft is kept
        await _client.CreateAsync("patrol-routes", Scene.RouteFeature("shortcut draft", 1, "vehicle", LineThrough((1, 1), (3, 2)), "draft"));
    }

    [Fact]
    public async Task HotspotCoverageSaysWhichLevelsReachTheHotCells()
    {
        var response = await _client.GetAsync("/api/patrols/hotspot-coverage?minutes=5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.True(result.GetProperty("hot_cells").GetInt32() >= 1);
        var levels = result.GetProperty("levels").EnumerateArray().ToDictionary(l => l.GetProperty("level").GetInt32());
        // the district route runs through the cluster; the community walk is 700 m away (over 8 minutes on foot)
        Assert.Equal(1.0, levels[2].GetProperty("share").GetDouble());
        Assert.True(levels[3].GetProperty("share").GetDouble() < 1.0);
        Assert.Empty(result.GetProperty("unreached").GetProperty("features").EnumerateArray());
        var narrow = await (await _client.GetAsync("/api/patrols/hotspot-coverage?minutes=1")).JsonAsync();
        Assert.True(narrow.GetProperty("levels").EnumerateArray().Single(l => l.GetProperty("level").GetInt32() == 3).GetProperty("cells_reached").GetInt32() == 0);

        var bad = await _client.GetAsync("/api/patrols/hotspot-coverage?minutes=0&days=3");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["?days", "?minutes"], Pointers(await bad.JsonAsync()));
    }

    [Fact]
    public async Task DosageCountsTheTwelveMinuteStopAsAnEffectiveVisitAndTheDriveAsPatrolledStreet()
    {
        var url = $"/api/patrols/dosage?from={Uri.EscapeDataString(Iso(scene.T0.AddMinutes(-10)))}&to={Uri.EscapeDataString(Iso(scene.T0.AddMinutes(40)))}";
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dosage = await response.JsonAsync();
        // the parked unit's 720 s are one effective visit (the detour unit passes through the same cell too)
        var cell = Assert.Single(dosage.GetProperty("cells").EnumerateArray(), c => c.GetProperty("effective_visits").GetInt32() > 0);
        Assert.Equal(1, cell.GetProperty("effective_visits").GetInt32());
        Assert.InRange(cell.GetProperty("seconds").GetDouble(), 719.9, 1000);
        var parked = dosage.GetProperty("unit_rows").EnumerateArray().Single(u => u.GetProperty("unit_id").GetInt64() == scene.Parked);
        Assert.True(parked.GetProperty("hot_seconds").GetDouble() >= 719);
        var pt = dosage.GetProperty("visibility").GetProperty("districts").EnumerateArray().Single(d => d.GetProperty("district").GetString() == "PT");
        Assert.Equal(6000, pt.GetProperty("road_length_m").GetDouble(), 1);
        // street j = 2 (500 m) by the drive, and 210 m of column 4 by the detour unit (each ± its 10 m pieces)
        Assert.InRange(pt.GetProperty("patrolled_length_m").GetDouble(), 650, 760);

        var tooLong = await _client.GetAsync($"/api/patrols/dosage?from={Uri.EscapeDataString(Iso(scene.T0.AddDays(-2)))}&to={Uri.EscapeDataString(Iso(scene.T0))}");
        Assert.Equal(["?from"], Pointers(await tooLong.JsonAsync()));
    }

    [Fact]
    public async Task DeviationFindsTheThreeMinuteDetour()
    {
        var url = $"/api/patrol-units/{scene.Detour}/deviation?from={Uri.EscapeDataString(Iso(scene.T0))}&to={Uri.EscapeDataString(Iso(scene.T0.AddMinutes(10)))}";
        var report = await (await _client.GetAsync(url)).JsonAsync();
        var off = Assert.Single(report.GetProperty("off_route").EnumerateArray());
        Assert.InRange(off.GetProperty("seconds").GetDouble(), 150, 210);
        Assert.Equal(150, off.GetProperty("max_distance_m").GetDouble(), 1);
        Assert.Equal(scene.DistrictRoute, report.GetProperty("route_id").GetInt64());
        var noRoute = await _client.GetAsync($"/api/patrol-units/{scene.Parked}/deviation");
        Assert.Equal(HttpStatusCode.Conflict, noRoute.StatusCode);
    }

    [Fact]
    public async Task SuggestedLoopsVisitTheHotCellWithinTheBudgetAndBadRequestsAreNamed()
    {
        var body = new JsonObject { ["start"] = new JsonArray(At(0, 0)[0], At(0, 0)[1]), ["mode"] = "vehicle", ["minutes"] = 30, ["dwell_minutes"] = 12 };
        var response = await _client.PostAsync("/api/patrols/suggest", Raw(body.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var loop = await response.JsonAsync();
        Assert.True(loop.GetProperty("total_s").GetDouble() <= 1800);
        var stops = loop.GetProperty("stops").EnumerateArray().ToList();
        Assert.InRange(stops.Count, 1, 2); // 12 minutes per stop in a 30-minute shift
        var start = loop.GetProperty("geometry").GetProperty("coordinates")[0];
        Assert.Equal(At(0, 0)[0], start[0].GetDouble(), 6);
        Assert.Equal(At(0, 0)[1], start[1].GetDouble(), 6);

        var fromUnit = await _client.PostAsync("/api/patrols/suggest", Raw($"{{\"unit_id\": {scene.Detour}, \"minutes\": 60}}"));
        Assert.Equal(HttpStatusCode.OK, fromUnit.StatusCode);

        var bad = await _client.PostAsync("/api/patrols/suggest", Raw("{\"minutes\": 5}"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["/minutes", "/unit_id"], Pointers(await bad.JsonAsync()));
        var far = await _client.PostAsync("/api/patrols/suggest", Raw(new JsonObject { ["start"] = new JsonArray(At(40, 40)[0], At(40, 40)[1]), ["mode"] = "foot" }.ToJsonString()));
        Assert.Equal(["/start"], Pointers(await far.JsonAsync()));
    }
}
