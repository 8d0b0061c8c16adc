using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Situation;

public sealed class SituationApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    [Fact]
    public async Task SummaryCountsOpenIncidentsBySeverityUnitsAndCamerasAndComparesWithTheShiftStart()
    {
        var shiftStart = DateTimeOffset.UtcNow.AddMinutes(-1);
        var url = $"/api/situation/summary?shift_start={Uri.EscapeDataString(Iso(shiftStart))}";
        var before = await (await _client.GetAsync(url)).JsonAsync();
        await _client.CreateAsync("incidents", Incident(severity: 4));
        await _client.CreateAsync("incidents", Incident(severity: 4));
        var closed = await _client.CreateAsync("incidents", Incident(severity: 2));
        await server.Database.ExecuteAsync($"UPDATE incidents SET status = 'cancelled' WHERE id = {closed.Id()}");
        await _client.CreateAsync("cameras", Camera());
        await _client.CreateAsync("patrol-units", Feature(Point(), new JsonObject { ["call_sign"] = "SUM-1", ["level"] = 3, ["mode"] = "foot", ["status"] = "busy" }));
        // a snapshot taken "at the shift start" (the server takes one every five minutes)
        await server.Database.ExecuteAsync(
            "INSERT INTO situation_snapshots (taken_at, district, open_severity1, open_severity2, open_severity3, open_severity4, " +
            "units_available, units_busy, units_off_duty, cameras_online, cameras_offline, cameras_fault) " +
            $"VALUES ('{Iso(shiftStart)}', '*', 0, 1, 0, 0, 5, 6, 7, 8, 9, 10) ON CONFLICT DO NOTHING");

        var summary = await (await _client.GetAsync(url)).JsonAsync();
        int Delta(params string[] path) =>
            path.Aggregate(summary, (e, p) => e.GetProperty(p)).GetInt32() - path.Aggregate(before, (e, p) => e.GetProperty(p)).GetInt32();
        Assert.Equal(2, Delta("incidents", "open", "total"));
        Assert.Equal(2, Delta("incidents", "open", "by_severity", "4"));
        Assert.Equal(0, Delta("incidents", "open", "by_severity", "2"));
        Assert.Equal(3, Delta("incidents", "reported_since_shift_start"));
        Assert.Equal(1, Delta("units", "now", "busy"));
        Assert.Equal(1, Delta("cameras", "now", "online"));
        Assert.Equal(1, summary.GetProperty("incidents").GetProperty("open_at_shift_start").GetProperty("total").GetInt32());
        Assert.Equal(6, summary.GetProperty("units").GetProperty("at_shift_start").GetProperty("busy").GetInt32());
        Assert.Equal(10, summary.GetProperty("cameras").GetProperty("at_shift_start").GetProperty("fault").GetInt32());
        Assert.True(summary.GetProperty("change_seq").GetInt64() > 0);
    }

    [Fact]
    public async Task WithoutASnapshotNearTheShiftStartTheHistorySaysWhatExistedThen()
    {
        // long before this database held anything: no snapshot, and the history tells that nothing existed yet
        var summary = await (await _client.GetAsync("/api/situation/summary?shift_start=2020-01-01T00:00:00Z")).JsonAsync();
        Assert.Equal("2020-01-01T00:00:00Z", summary.GetProperty("shift_start").GetString());
        Assert.Equal("history", summary.GetProperty("baseline").GetProperty("units").GetString());
        Assert.Equal(0, summary.GetProperty("units").GetProperty("at_shift_start").GetProperty("available").GetInt32());
        Assert.Equal(0, summary.GetProperty("incidents").GetProperty("open_at_shift_start").GetProperty("total").GetInt32());
        Assert.Equal(0, summary.GetProperty("cameras").GetProperty("at_shift_start").GetProperty("online").GetInt32());
    }

    [Fact]
    public async Task TheDefaultShiftStartIsTheLastEightOClockOrTwentyOClockInTheCityTimeZone()
    {
        var summary = await (await _client.GetAsync("/api/situation/summary")).JsonAsync();
        var start = DateTimeOffset.Parse(summary.GetProperty("shift_start").GetString()!, CultureInfo.InvariantCulture);
        var local = start.ToOffset(TimeSpan.FromHours(8));
        Assert.Contains(local.Hour, new[] { 8, 20 });
        Assert.Equal(0, local.Minute);
        Assert.InRange(DateTimeOffset.UtcNow - start, TimeSpan.Zero, TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task ServerRecordsASnapshotWhenItStarts()
    {
        for (var i = 0; i < 50 && await server.Database.ScalarAsync("SELECT count(*) FROM situation_snapshots") == 0; i++) await Task.Delay(100);
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM situation_snapshots WHERE taken_at > now() - interval '6 minutes'") >= 1);
    }

    [Fact]
    public async Task FeatureHistoryListsItsChangesNewestFirst()
    {
        var created = await _client.CreateAsync("incidents", Incident());
        var id = created.Id();
        await _client.PostAsync($"/api/incidents/{id}/status", Raw("{\"status\":\"dispatched\",\"version\":1}"));
        await _client.PostAsync($"/api/incidents/{id}/status", Raw("{\"status\":\"on_scene\",\"version\":2}"));
        var history = await (await _client.GetAsync($"/api/incidents/{id}/history")).JsonAsync();
        var changes = history.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["updated", "updated", "created"], changes.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal(["on_scene", "dispatched", "reported"], changes.Select(c => c.GetProperty("feature").GetProperty("properties").GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/incidents/99999999/history")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/incidents/{id}/history?limit=0")).StatusCode);
    }

    [Fact]
    public async Task TracksComeAsOneLinePerUnitWithTheTimeOfEachVertex()
    {
        var unit = await _client.CreateAsync("patrol-units", Feature(Point(), new JsonObject { ["call_sign"] = "PLAY-1", ["level"] = 2, ["mode"] = "vehicle" }));
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-20);
        var positions = new JsonArray(Enumerable.Range(0, 5).Select(k => (JsonNode)new JsonObject
        {
            ["unit_id"] = unit.Id(),
            ["recorded_at"] = Iso(t0.AddMinutes(k)),
            ["longitude"] = 114.9 + k * 0.001,
            ["latitude"] = 40.8,
        }).ToArray());
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("/api/patrol-units/positions", Body(new JsonObject { ["positions"] = positions }, "application/json"))).StatusCode);

        var tracks = await (await _client.GetAsync($"/api/patrol-units/tracks?from={Uri.EscapeDataString(Iso(t0.AddSeconds(-1)))}&to={Uri.EscapeDataString(Iso(t0.AddMinutes(3).AddSeconds(1)))}")).JsonAsync();
        var track = Assert.Single(tracks.GetProperty("features").EnumerateArray(), f => f.Id() == unit.Id());
        Assert.Equal("LineString", track.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(4, track.GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
        var times = track.GetProperty("properties").GetProperty("times").EnumerateArray().Select(t => t.GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, 4).Select(k => t0.AddMinutes(k).ToUnixTimeSeconds()), times);
        Assert.Equal("PLAY-1", track.GetProperty("properties").GetProperty("call_sign").GetString());

        var tooLong = await _client.GetAsync("/api/patrol-units/tracks?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }
}
