using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Situation;

/// <summary>
/// "Change since the start of the shift" when the server took no snapshot then (it was started later): the shift-start
/// counters are rebuilt from the audit trail and the camera status history. A server of its own, because these tests
/// delete the snapshots.
/// </summary>
public sealed class SituationBaselineTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    private async Task<JsonElement> SummaryAsync(DateTimeOffset shiftStart)
    {
        // the server takes a snapshot every five minutes: without one the baseline must come from history
        await server.Database.ExecuteAsync("DELETE FROM situation_snapshots");
        return await (await _client.GetAsync($"/api/situation/summary?shift_start={Uri.EscapeDataString(Iso(shiftStart))}")).JsonAsync();
    }

    private async Task<DateTimeOffset> DatabaseNowAsync()
    {
        await using var cmd = server.Database.DataSource.CreateCommand("SELECT clock_timestamp()");
        var at = (DateTime)(await cmd.ExecuteScalarAsync())!;
        return new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
    }

    private static string Counts(JsonElement e) => e.GetRawText();

    [Fact]
    public async Task WithoutASnapshotTheShiftStartCountersAreRebuiltFromHistoryAndMatchWhatWasCountedThen()
    {
        // before the shift start: open incidents of several severities, a unit, cameras
        var keep = await _client.CreateAsync("incidents", Incident(severity: 2));
        var toCancel = await _client.CreateAsync("incidents", Incident(severity: 3));
        var toDelete = await _client.CreateAsync("incidents", Incident(severity: 1));
        var toEscalate = await _client.CreateAsync("incidents", Incident(severity: 1));
        var closedBefore = await _client.CreateAsync("incidents", Incident(severity: 4));
        await server.Database.ExecuteAsync($"UPDATE incidents SET status = 'closed' WHERE id = {closedBefore.Id()}");
        var unit = await _client.CreateAsync("patrol-units", Feature(Point(), new JsonObject { ["call_sign"] = "BASE-1", ["level"] = 2, ["mode"] = "vehicle", ["status"] = "available" }));
        var camera = await _client.CreateAsync("cameras", Camera());
        var doomedCamera = await _client.CreateAsync("cameras", Camera());
        await Task.Delay(50);

        // the shift starts: what the counters say right now is what the rebuild must find later
        var atStart = await (await _client.GetAsync("/api/situation/summary")).JsonAsync();
        var shiftStart = await DatabaseNowAsync();
        await Task.Delay(50);

        // during the shift
        await _client.CreateAsync("incidents", Incident(severity: 4));
        await _client.PostAsync($"/api/incidents/{toCancel.Id()}/status", Raw($"{{\"status\":\"cancelled\",\"version\":{toCancel.Version()}}}"));
        await server.Database.ExecuteAsync($"DELETE FROM incidents WHERE id = {toDelete.Id()}");
        await server.Database.ExecuteAsync($"UPDATE incidents SET severity = 4 WHERE id = {toEscalate.Id()}");
        await server.Database.ExecuteAsync($"UPDATE incidents SET status = 'dispatched' WHERE id = {keep.Id()}");
        await server.Database.ExecuteAsync($"UPDATE patrol_units SET status = 'busy' WHERE id = {unit.Id()}");
        await server.Database.ExecuteAsync($"UPDATE patrol_units SET status = 'off_duty' WHERE id = {unit.Id()}");
        await server.Database.ExecuteAsync($"UPDATE cameras SET status = 'offline' WHERE id = {camera.Id()}");
        await server.Database.ExecuteAsync($"DELETE FROM cameras WHERE id = {doomedCamera.Id()}");
        await _client.CreateAsync("cameras", Camera());
        await _client.CreateAsync("patrol-units", Feature(Point(), new JsonObject { ["call_sign"] = "BASE-2", ["level"] = 1, ["mode"] = "foot", ["status"] = "busy" }));

        var summary = await SummaryAsync(shiftStart);
        var baseline = summary.GetProperty("baseline");
        Assert.Equal("history", baseline.GetProperty("incidents").GetString());
        Assert.Equal("history", baseline.GetProperty("units").GetString());
        Assert.Equal("history", baseline.GetProperty("cameras").GetString());
        Assert.Equal(Counts(atStart.GetProperty("incidents").GetProperty("open")), Counts(summary.GetProperty("incidents").GetProperty("open_at_shift_start")));
        Assert.Equal(Counts(atStart.GetProperty("units").GetProperty("now")), Counts(summary.GetProperty("units").GetProperty("at_shift_start")));
        Assert.Equal(Counts(atStart.GetProperty("cameras").GetProperty("now")), Counts(summary.GetProperty("cameras").GetProperty("at_shift_start")));
        // and the shift did change things, so the deltas are not zero by construction
        var open = summary.GetProperty("incidents");
        Assert.Equal(-2, open.GetProperty("open").GetProperty("by_severity").GetProperty("1").GetInt32() - open.GetProperty("open_at_shift_start").GetProperty("by_severity").GetProperty("1").GetInt32());
        Assert.Equal(2, open.GetProperty("open").GetProperty("by_severity").GetProperty("4").GetInt32() - open.GetProperty("open_at_shift_start").GetProperty("by_severity").GetProperty("4").GetInt32());
        Assert.Equal(-1, open.GetProperty("open").GetProperty("by_severity").GetProperty("3").GetInt32() - open.GetProperty("open_at_shift_start").GetProperty("by_severity").GetProperty("3").GetInt32());
        var units = summary.GetProperty("units");
        Assert.Equal(-1, units.GetProperty("now").GetProperty("available").GetInt32() - units.GetProperty("at_shift_start").GetProperty("available").GetInt32());
        Assert.Equal(1, units.GetProperty("now").GetProperty("off_duty").GetInt32() - units.GetProperty("at_shift_start").GetProperty("off_duty").GetInt32());
        var cameras = summary.GetProperty("cameras");
        Assert.Equal(-1, cameras.GetProperty("now").GetProperty("online").GetInt32() - cameras.GetProperty("at_shift_start").GetProperty("online").GetInt32());
        Assert.Equal(1, cameras.GetProperty("now").GetProperty("offline").GetInt32() - cameras.GetProperty("at_shift_start").GetProperty("offline").GetInt32());
    }

    [Fact]
    public async Task ALayerBulkLoadedSinceTheShiftStartHasNoBaselineAndSaysSo()
    {
        await _client.CreateAsync("incidents", Incident(severity: 2));
        var shiftStart = await DatabaseNowAsync();
        await Task.Delay(20);
        // an import / bulk load writes rows without per-row history
        await server.Database.ExecuteAsync("SELECT sm_log_layer_reloaded('patrol_units')");

        var summary = await SummaryAsync(shiftStart);
        var baseline = summary.GetProperty("baseline");
        Assert.Equal("none", baseline.GetProperty("units").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("units").GetProperty("at_shift_start").ValueKind);
        Assert.Equal("history", baseline.GetProperty("incidents").GetString());
        Assert.Equal(JsonValueKind.Object, summary.GetProperty("incidents").GetProperty("open_at_shift_start").ValueKind);
        Assert.Equal("history", baseline.GetProperty("cameras").GetString());
    }

    [Fact]
    public async Task ASnapshotOfTheShiftStartIsPreferredAndNamedAsTheSource()
    {
        var shiftStart = DateTimeOffset.Parse("2026-01-01T08:00:00Z", CultureInfo.InvariantCulture);
        await server.Database.ExecuteAsync(
            "INSERT INTO situation_snapshots (taken_at, district, open_severity1, open_severity2, open_severity3, open_severity4, " +
            "units_available, units_busy, units_off_duty, cameras_online, cameras_offline, cameras_fault) " +
            $"VALUES ('{Iso(shiftStart)}', '*', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) ON CONFLICT DO NOTHING");
        var summary = await (await _client.GetAsync($"/api/situation/summary?shift_start={Uri.EscapeDataString(Iso(shiftStart))}")).JsonAsync();
        Assert.Equal("snapshot", summary.GetProperty("baseline").GetProperty("units").GetString());
        Assert.Equal(10, summary.GetProperty("incidents").GetProperty("open_at_shift_start").GetProperty("total").GetInt32());
    }
}
