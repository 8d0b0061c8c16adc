using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using SituationMap.Server.Live;
using SituationMap.Testing;
using static SituationMap.Server.Tests.Dispatch.RoadGridFixture;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Dispatch;

/// <summary>
/// Dispatch, routing and response bands through the server on a real PostGIS, on the hand-made road grid of
/// <see cref="RoadGridFixture"/>, so every expected travel time is plain arithmetic.
/// </summary>
public sealed class DispatchApiTests(RoadGridFixture server) : IClassFixture<RoadGridFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    private async Task<long> UnitAsync(string callSign, double i, double j, string mode = "vehicle", string status = "available", int level = 2)
    {
        var feature = Feature(PointAt(i, j), new JsonObject { ["call_sign"] = callSign, ["level"] = level, ["mode"] = mode, ["status"] = status });
        return (await _client.CreateAsync("patrol-units", feature)).Id();
    }

    private async Task<long> IncidentAsync(double i, double j)
    {
        var c = At(i, j);
        return (await _client.CreateAsync("incidents", Incident(c[0], c[1]))).Id();
    }

    private Task<HttpResponseMessage> AssignAsync(long incident, long unit, HttpClient? client = null) =>
        (client ?? _client).PostAsync($"/api/incidents/{incident}/dispatch", Raw($"{{\"unit_id\": {unit}}}"));

    /// <summary>Every unit that is available now is sent off duty, so each test ranks only its own.</summary>
    private Task ClearUnitsAsync() => server.Database.ExecuteAsync("UPDATE patrol_units SET status = 'off_duty' WHERE status = 'available'");

    [Fact]
    public async Task AvailableUnitsAreRankedByRoadTravelTimeWithTheirRoutes()
    {
        await ClearUnitsAsync();
        var incident = await IncidentAsync(2, 2);
        var near = await UnitAsync("CAR-NEAR", 0, 2);        // 200 m straight → 20 s
        var far = await UnitAsync("CAR-FAR", 5, 5);          // 3 + 3 blocks → 60 s
        var walker = await UnitAsync("FOOT-1", 2, 3, "foot"); // 100 m at 5 km/h → 72 s
        await UnitAsync("CAR-BUSY", 2, 1.5, status: "busy");  // next to it, but busy
        var lost = await UnitAsync("CAR-LOST", 30, 2);       // 2.5 km east of the grid: no road within 500 m

        var response = await _client.GetAsync($"/api/incidents/{incident}/dispatch?routes=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var options = await response.JsonAsync();
        var ranked = options.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal([near, far, walker], ranked.Select(c => c.GetProperty("unit_id").GetInt64()));
        Assert.Equal(20, ranked[0].GetProperty("eta_s").GetDouble(), 0.2);
        Assert.Equal(200, ranked[0].GetProperty("distance_m").GetDouble(), 0.5);
        Assert.Equal(60, ranked[1].GetProperty("eta_s").GetDouble(), 0.2);
        Assert.Equal(600, ranked[1].GetProperty("distance_m").GetDouble(), 1);
        Assert.Equal(72, ranked[2].GetProperty("eta_s").GetDouble(), 0.2);
        // route lines for the first two only, from the unit to the incident
        var line = ranked[0].GetProperty("route").GetProperty("coordinates").EnumerateArray().Select(c => new[] { c[0].GetDouble(), c[1].GetDouble() }).ToList();
        Assert.Equal(At(0, 2)[0], line[0][0], 6);
        Assert.Equal(At(2, 2)[0], line[^1][0], 6);
        Assert.Equal(JsonValueKind.Object, ranked[1].GetProperty("route").ValueKind);
        Assert.Equal(JsonValueKind.Null, ranked[2].GetProperty("route").ValueKind);
        var unranked = Assert.Single(options.GetProperty("unranked").EnumerateArray());
        Assert.Equal(lost, unranked.GetProperty("unit_id").GetInt64());
        Assert.Contains("500 m", unranked.GetProperty("unreachable").GetString());
    }

    [Fact]
    public async Task AssigningMakesTheUnitBusyAndTheIncidentDispatchedAuditedAndLive()
    {
        await ClearUnitsAsync();
        var incident = await IncidentAsync(3, 3);
        var unit = await UnitAsync("CAR-LIVE", 3, 0);
        await using var hub = await server.ConnectHubAsync();
        var live = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["incidents", "patrol_units"], null, null));

        var response = await AssignAsync(incident, unit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.Equal("dispatched", result.GetProperty("incident_status").GetString());
        Assert.Equal(30, result.GetProperty("eta_s").GetDouble(), 0.2);
        Assert.Equal(JsonValueKind.Object, result.GetProperty("route").ValueKind);

        var unitNow = await (await _client.GetAsync($"/api/patrol-units/{unit}")).JsonAsync();
        Assert.Equal("busy", unitNow.GetProperty("properties").GetProperty("status").GetString());
        Assert.Equal(incident, unitNow.GetProperty("properties").GetProperty("assigned_incident_id").GetInt64());
        var incidentNow = await (await _client.GetAsync($"/api/incidents/{incident}")).JsonAsync();
        Assert.Equal("dispatched", incidentNow.GetProperty("properties").GetProperty("status").GetString());
        Assert.Equal(1, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM audit_log WHERE action = 'dispatch' AND layer = 'incidents' AND feature_id = {incident} AND actor = '{ServerFixture.OperatorName}' AND detail->>'unit_id' = '{unit}'"));
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM dispatches WHERE incident_id = {incident} AND unit_id = {unit} AND actor = '{ServerFixture.OperatorName}' AND eta_seconds BETWEEN 29.8 AND 30.2"));
        await live.WaitUntilAsync(l => l.LastSeq >= response.ChangeSeq(), "both changes to arrive live");
        Assert.Contains(live.Events, e => e.Name == "IncidentUpdated" && e.Change.Id == incident);
        Assert.Contains(live.Events, e => e.Name == "PatrolUnitUpdated" && e.Change.Id == unit);

        // the options now list it as assigned and no longer as a candidate
        var options = await (await _client.GetAsync($"/api/incidents/{incident}/dispatch")).JsonAsync();
        Assert.Equal(unit, Assert.Single(options.GetProperty("assigned").EnumerateArray()).GetProperty("unit_id").GetInt64());
        Assert.DoesNotContain(options.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("unit_id").GetInt64() == unit);
    }

    [Fact]
    public async Task TwoDispatchersSendingTheSameUnitAtOnceExactlyOneWins()
    {
        for (var round = 0; round < 6; round++)
        {
            var unit = await UnitAsync($"CAR-RACE-{round}", 1, 1);
            var first = await IncidentAsync(4, 1);
            var second = await IncidentAsync(1, 4);
            using var start = new SemaphoreSlim(0);
            var a = Task.Run(async () => { await start.WaitAsync(); return await AssignAsync(first, unit); });
            var b = Task.Run(async () => { await start.WaitAsync(); return await AssignAsync(second, unit); });
            start.Release(2);
            var responses = await Task.WhenAll(a, b);
            var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
            var losers = responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
            Assert.Single(winners);
            Assert.Single(losers);
            var won = (await winners[0].JsonAsync()).GetProperty("incident_id").GetInt64();
            var lost = won == first ? second : first;
            var problem = await losers[0].JsonAsync();
            Assert.Equal("application/problem+json", losers[0].Content.Headers.ContentType?.MediaType);
            Assert.EndsWith("unit-unavailable", problem.GetProperty("type").GetString());
            Assert.Equal(won, problem.GetProperty("assigned_incident_id").GetInt64());
            Assert.Contains($"incident {won}", problem.GetProperty("detail").GetString());
            Assert.Equal(won, await server.Database.ScalarAsync($"SELECT assigned_incident_id FROM patrol_units WHERE id = {unit}"));
            Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM dispatches WHERE unit_id = {unit}"));
            Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE id = {lost} AND status = 'reported'"));
        }
    }

    [Fact]
    public async Task ArrivalIsRecordedAndResolvingTheIncidentReleasesItsUnits()
    {
        var incident = await IncidentAsync(1, 2);
        var unit = await UnitAsync("CAR-RELEASE", 0, 0);
        var other = await UnitAsync("FOOT-RELEASE", 1, 3, "foot");
        Assert.Equal(HttpStatusCode.OK, (await AssignAsync(incident, unit)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AssignAsync(incident, other)).StatusCode); // a second unit to the same incident
        await MoveIncidentAsync(incident, "on_scene");
        Assert.Equal(2, await server.Database.ScalarAsync($"SELECT count(*) FROM dispatches WHERE incident_id = {incident} AND arrived_at IS NOT NULL"));
        await MoveIncidentAsync(incident, "resolved");
        Assert.Equal(2, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM patrol_units WHERE id IN ({unit}, {other}) AND status = 'available' AND assigned_incident_id IS NULL"));
        Assert.Equal(2, await server.Database.ScalarAsync($"SELECT count(*) FROM dispatches WHERE incident_id = {incident} AND released_at IS NOT NULL"));
        // a closed incident takes no more units
        await MoveIncidentAsync(incident, "closed");
        var refused = await AssignAsync(incident, unit);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.EndsWith("incident-not-open", (await refused.JsonAsync()).GetProperty("type").GetString());
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM patrol_units WHERE id = {unit} AND status = 'available'"));
    }

    private async Task MoveIncidentAsync(long id, string status)
    {
        var current = await (await _client.GetAsync($"/api/incidents/{id}")).JsonAsync();
        var body = current.ToNode().With("status", status).With("version", current.Version());
        var response = await _client.PutAsync($"/api/incidents/{id}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BadDispatchRequestsAreRefusedWithProblemsAndChangeNothing()
    {
        var incident = await IncidentAsync(2, 4);
        var unit = await UnitAsync("CAR-BAD", 2, 4);
        var before = await server.Database.ScalarAsync("SELECT count(*) FROM dispatches");

        var missing = await _client.PostAsync($"/api/incidents/{incident}/dispatch", Raw("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(["/unit_id"], Pointers(await missing.JsonAsync()));
        var unknown = await AssignAsync(incident, 987_654);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["/unit_id"], Pointers(await unknown.JsonAsync()));
        var noIncident = await AssignAsync(987_654, unit);
        Assert.Equal(HttpStatusCode.NotFound, noIncident.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/incidents/987654/dispatch")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/incidents/{incident}/dispatch?routes=500")).StatusCode);
        // a viewer may look but not send
        var viewer = server.CreateClient(await server.CreateTokenAsync("dispatch-viewer", [Server.Accounts.Roles.Viewer], []));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/incidents/{incident}/dispatch")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AssignAsync(incident, unit, viewer)).StatusCode);

        Assert.Equal(before, await server.Database.ScalarAsync("SELECT count(*) FROM dispatches"));
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM patrol_units WHERE id = {unit} AND status = 'available'"));
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE id = {incident} AND status = 'reported'"));
    }

    [Fact]
    public async Task RoutesThroughWaypointsFollowTheRoadsAndRespectOneWayStreets()
    {
        var body = new JsonObject { ["mode"] = "vehicle", ["waypoints"] = new JsonArray(Json(At(0, 0)), Json(At(2, 0)), Json(At(2, 3))) };
        var response = await _client.PostAsync("/api/routing/route", Raw(body.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var route = await response.JsonAsync();
        Assert.Equal(500, route.GetProperty("length_m").GetDouble(), 0.5);
        Assert.Equal(50, route.GetProperty("seconds").GetDouble(), 0.1);
        Assert.Equal(2, route.GetProperty("legs").GetArrayLength());
        Assert.Equal("LineString", route.GetProperty("geometry").GetProperty("type").GetString());

        // the top street (j = 5) is one-way eastwards: westwards a car goes round the block, a walker does not
        var west = new JsonObject { ["mode"] = "vehicle", ["waypoints"] = new JsonArray(Json(At(3, 5)), Json(At(2, 5))) };
        var byCar = await (await _client.PostAsync("/api/routing/route", Raw(west.ToJsonString()))).JsonAsync();
        Assert.Equal(300, byCar.GetProperty("length_m").GetDouble(), 0.5);
        west["mode"] = "foot";
        var onFoot = await (await _client.PostAsync("/api/routing/route", Raw(west.ToJsonString()))).JsonAsync();
        Assert.Equal(100, onFoot.GetProperty("length_m").GetDouble(), 0.5);

        // a loop returns to its start
        var loop = new JsonObject { ["mode"] = "foot", ["loop"] = true, ["waypoints"] = new JsonArray(Json(At(0, 0)), Json(At(1, 1))) };
        Assert.Equal(400, (await (await _client.PostAsync("/api/routing/route", Raw(loop.ToJsonString()))).JsonAsync()).GetProperty("length_m").GetDouble(), 0.5);

        // bad input names the offending waypoint
        var bad = new JsonObject { ["mode"] = "vehicle", ["waypoints"] = new JsonArray(Json(At(0, 0)), Json(At(40, 40)), new JsonArray(200, 1)) };
        var problem = await _client.PostAsync("/api/routing/route", Raw(bad.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.Equal(["/waypoints/2"], Pointers(await problem.JsonAsync()));
        bad["waypoints"]!.AsArray().RemoveAt(2);
        var offRoad = await _client.PostAsync("/api/routing/route", Raw(bad.ToJsonString()));
        Assert.Equal(["/waypoints/1"], Pointers(await offRoad.JsonAsync()));
        var noMode = await _client.PostAsync("/api/routing/route", Raw("{\"waypoints\": []}"));
        Assert.Equal(["/mode", "/waypoints"], Pointers(await noMode.JsonAsync()));
    }

    private static string[] Pointers(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)];

    private static JsonArray Json(double[] lonLat) => new(lonLat[0], lonLat[1]);

    [Fact]
    public async Task ResponseBandsCoverWhatAvailableUnitsReachInTimeWithSharesPerDistrict()
    {
        await ClearUnitsAsync();
        // a district around the grid, a residential block beside the first street, incidents near and far
        await server.AddDistrictAsync("GR", -1, -1, 6, 6);
        var home = At(1, 0.1);
        await _client.CreateAsync("zones", Zone("residential_community", home[0], home[1], 0.0001).With("district", "GR"));
        var nearIncident = await IncidentAsync(0.5, 1);
        var farIncident = await IncidentAsync(5, 5);
        await UnitAsync("CAR-BANDS", 0, 0);

        var response = await _client.GetAsync("/api/response-coverage?bands=60,180");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.Equal(1, result.GetProperty("units").GetInt32());
        var bands = result.GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal([60.0, 180.0], bands.Select(b => b.GetProperty("seconds").GetDouble()));
        Assert.All(bands, b => Assert.Equal("MultiPolygon", b.GetProperty("area").GetProperty("type").GetString()));
        var district = Assert.Single(result.GetProperty("districts").EnumerateArray(), d => d.GetProperty("district").GetString() == "GR");
        var shares = district.GetProperty("bands").EnumerateArray().ToList();
        var incidentsInGrid = district.GetProperty("incidents").GetInt32();
        Assert.True(incidentsInGrid >= 2);
        // 60 s by car = 600 m of street from the corner: the near incident is in, the far corner (1,000 m) is not
        var inside60 = await InsideAsync(bands[0], nearIncident, farIncident);
        Assert.Equal((true, false), inside60);
        Assert.Equal((true, true), await InsideAsync(bands[1], nearIncident, farIncident));
        Assert.True(shares[0].GetProperty("area_share").GetDouble() < shares[1].GetProperty("area_share").GetDouble());
        Assert.InRange(shares[0].GetProperty("residential_share").GetDouble(), 0.99, 1);
        Assert.True(shares[1].GetProperty("incident_share").GetDouble() >= shares[0].GetProperty("incident_share").GetDouble());

        var bad = await _client.GetAsync("/api/response-coverage?bands=60,abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["?bands"], Pointers(await bad.JsonAsync()));
    }

    /// <summary>Whether the band's polygon contains each incident (tested in PostGIS).</summary>
    private async Task<(bool, bool)> InsideAsync(JsonElement band, long a, long b)
    {
        var geojson = band.GetProperty("area").GetRawText().Replace("'", "''", StringComparison.Ordinal);
        async Task<bool> One(long id) => await server.Database.ScalarAsync(
            $"SELECT count(*) FROM incidents WHERE id = {id} AND ST_Contains(ST_SetSRID(ST_GeomFromGeoJSON('{geojson}'), 4326), geom)") == 1;
        return (await One(a), await One(b));
    }
}
