using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using SituationMap.Server.Live;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Live;

public sealed class LiveUpdatesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    private static LiveSubscription Around(double lon, double lat, long? since = null, string[]? layers = null) =>
        new([lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01], layers, since, 0);

    [Fact]
    public async Task ClientReceivesAnIncidentCreatedThroughTheApiAsTheSameFeatureRestServes()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", Around(114.80, 40.70));

        var response = await _client.PostAsync("/api/incidents", Body(Incident(114.80, 40.70, "burglary", 2)));
        var seq = response.ChangeSeq();
        var created = await response.JsonAsync();
        await events.WaitUntilAsync(e => e.Events.Any(x => x.Change.Seq == seq), "IncidentCreated");

        var (name, change) = events.Events.Single(x => x.Change.Seq == seq);
        Assert.Equal("IncidentCreated", name);
        Assert.Equal("incidents", change.Layer);
        Assert.Equal("created", change.Kind);
        Assert.Equal(created.Id(), change.Id);
        var rest = await (await _client.GetAsync($"/api/incidents/{created.Id()}")).JsonAsync();
        Assert.Equal(JsonNode.Parse(rest.GetRawText())!.ToJsonString(), JsonNode.Parse(change.Feature!.Value.GetRawText())!.ToJsonString());
    }

    [Fact]
    public async Task ChangesMadeDirectlyInSqlReachClientsWithTheirKinds()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", Around(114.81, 40.71));

        await server.Database.ExecuteAsync(
            "INSERT INTO cameras (name, geom, kind, heading_deg, field_of_view_deg, range_m, mounting_height_m, status) " +
            "VALUES ('sql-cam', ST_SetSRID(ST_MakePoint(114.81, 40.71), 4326), 'dome', 0, 360, 50, 8, 'online')");
        await server.Database.ExecuteAsync("UPDATE cameras SET status = 'fault' WHERE name = 'sql-cam'");
        await server.Database.ExecuteAsync(
            "INSERT INTO patrol_units (call_sign, level, mode, status, geom) VALUES ('SQL-1', 3, 'foot', 'available', ST_SetSRID(ST_MakePoint(114.81, 40.71), 4326))");
        await server.Database.ExecuteAsync("UPDATE patrol_units SET geom = ST_SetSRID(ST_MakePoint(114.8105, 40.7101), 4326), last_seen = now() WHERE call_sign = 'SQL-1'");
        await server.Database.ExecuteAsync("DELETE FROM cameras WHERE name = 'sql-cam'");

        await events.WaitUntilAsync(e => e.Events.Count >= 5, "five SQL changes");
        Assert.Equal(["CameraCreated", "CameraStatusChanged", "PatrolUnitCreated", "UnitMoved", "CameraDeleted"], events.Events.Select(e => e.Name));
        var camera = events.Events[0].Change.Feature!.Value;
        Assert.Equal("MultiPolygon", camera.GetProperty("properties").GetProperty("view_sector").GetProperty("type").GetString());
        Assert.Equal("fault", events.Events[1].Change.Feature!.Value.GetProperty("properties").GetProperty("status").GetString());
        Assert.Null(events.Events[4].Change.Feature);
        var seqs = events.Events.Select(e => e.Change.Seq).ToList();
        Assert.Equal(seqs.Order(), seqs);
    }

    [Fact]
    public async Task OnlyChangesInsideTheViewportAndItsLayersAreDelivered()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription([114.82, 40.72, 114.83, 40.73], ["incidents"], null, 0.5));

        await _client.CreateAsync("incidents", Incident(114.95, 40.90));           // far away
        await _client.CreateAsync("cameras", Camera(114.825, 40.725));             // inside, but not a subscribed layer
        await _client.CreateAsync("incidents", Incident(114.8345, 40.725));        // outside the bbox, inside the 50 % margin
        var inside = await _client.CreateAsync("incidents", Incident(114.825, 40.725));
        await events.WaitUntilAsync(e => e.Events.Any(x => x.Change.Id == inside.Id()), "the incident inside");
        var late = await events.QuietAsync(0, TimeSpan.FromMilliseconds(800));
        Assert.Equal(2, late.Count);
        Assert.All(late, e => Assert.Equal("IncidentCreated", e.Name));
    }

    [Fact]
    public async Task AnUpdateMovingAFeatureOutOfTheViewportIsStillDeliveredSoTheClientCanRemoveIt()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", Around(114.84, 40.74));
        var created = await _client.CreateAsync("incidents", Incident(114.84, 40.74));
        var moved = created.ToNode();
        moved["geometry"] = Point(115.5, 41.5);
        ((JsonObject)moved["properties"]!)["version"] = 1;
        var response = await _client.PutAsync($"/api/incidents/{created.Id()}", moved);
        await events.WaitUntilAsync(e => e.Events.Any(x => x.Change.Seq == response.ChangeSeq()), "the update that moved it away");
    }

    [Fact]
    public async Task ReconnectingClientReceivesExactlyTheEventsItMissedInOrderThenLiveOnes()
    {
        var hub = await server.ConnectHubAsync();
        var before = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", Around(114.85, 40.75));
        var first = await _client.CreateAsync("incidents", Incident(114.85, 40.75));
        await before.WaitUntilAsync(e => e.Events.Any(x => x.Change.Id == first.Id()), "the first event");
        var lastSeen = before.LastSeq;
        await hub.DisposeAsync(); // the network drops

        var missed = new List<long>();
        var a = await _client.PostAsync("/api/incidents", Body(Incident(114.851, 40.751)));
        missed.Add(a.ChangeSeq());
        var aId = (await a.JsonAsync()).Id();
        missed.Add((await _client.PostAsync($"/api/incidents/{aId}/status", Raw("{\"status\":\"dispatched\",\"version\":1}"))).ChangeSeq());
        await _client.CreateAsync("incidents", Incident(115.9, 41.9)); // elsewhere: not for this client
        missed.Add((await _client.DeleteAsync($"/api/incidents/{first.Id()}")).ChangeSeq());
        await server.Database.ExecuteAsync("UPDATE incidents SET severity = 1 WHERE id = " + aId);
        missed.Add(await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));

        await using var again = await server.ConnectHubAsync();
        var after = new LiveRecorder(again);
        await again.InvokeAsync<SubscriptionAccepted>("Subscribe", Around(114.85, 40.75, since: lastSeen));
        await after.WaitUntilAsync(e => e.Events.Count >= missed.Count, "the missed events");
        Assert.Equal(missed, after.Events.Select(e => e.Change.Seq));
        Assert.Equal(["IncidentCreated", "IncidentUpdated", "IncidentDeleted", "IncidentUpdated"], after.Events.Select(e => e.Name));

        var live = await _client.PostAsync("/api/incidents", Body(Incident(114.852, 40.752)));
        await after.WaitUntilAsync(e => e.Events.Any(x => x.Change.Seq == live.ChangeSeq()), "a live event after the replay");
        var all = after.Events.Select(e => e.Change.Seq).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        Assert.Equal(all.Order(), all);
    }

    [Fact]
    public async Task SnapshotPlusSubscribeSinceItsChangeSeqLosesAndRepeatsNothingUnderConcurrentWrites()
    {
        const double lon = 114.86, lat = 40.76;
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            var client = server.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                await client.PostAsync("/api/incidents", Body(Incident(lon + (written % 50) * 0.0001, lat)));
                Interlocked.Increment(ref written);
            }
        });
        await Task.Delay(300);

        var snapshot = await (await _client.GetAsync($"/api/incidents?bbox={lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}&limit=10000")).JsonAsync();
        var ids = snapshot.GetProperty("features").EnumerateArray().Select(f => f.Id()).ToList();
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", Around(lon, lat, since: snapshot.GetProperty("change_seq").GetInt64()));
        // keep writing for a while after the subscription, and until plenty were written (slower on a busy machine)
        var after = Volatile.Read(ref written);
        await Task.Delay(700);
        for (var wait = 0; wait < 300 && Volatile.Read(ref written) < Math.Max(30, after + 15); wait++) await Task.Delay(100);
        await stop.CancelAsync();
        await writer;
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        await events.WaitUntilAsync(e => e.LastSeq >= head, "every change up to the head");

        ids.AddRange(events.Events.Where(e => e.Name == "IncidentCreated").Select(e => e.Change.Id));
        var inDatabase = new List<long>();
        await using (var cmd = server.Database.DataSource.CreateCommand(
            $"SELECT id FROM incidents WHERE geom && ST_MakeEnvelope({lon - 0.01}, {lat - 0.01}, {lon + 0.01}, {lat + 0.01}, 4326) ORDER BY id"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) inDatabase.Add(reader.GetInt64(0));
        }
        Assert.True(inDatabase.Count > 20, $"the writer should have created plenty, made {inDatabase.Count}");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(inDatabase, ids.Order());
    }

    [Fact]
    public async Task BadSubscriptionIsRefusedWithAReason()
    {
        await using var hub = await server.ConnectHubAsync();
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription([1, 2, 3], null, null, null)));
        Assert.Contains("bbox must be [minLon, minLat, maxLon, maxLat]", error.Message);
        error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["secrets"], null, null)));
        Assert.Contains("unknown layer 'secrets'", error.Message);
    }

    [Fact]
    public async Task ASinceBeyondTheReplayLimitAsksForASnapshot()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        var head = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, null, head + 1000, null));
        await events.WaitUntilAsync(e => e.Resyncs.Count == 1, "a resync notice");
        Assert.True(events.Resyncs[0].SnapshotRequired);
        Assert.Equal("unknown_position", events.Resyncs[0].Reason);
        // the largest possible since is the same case, not an overflow
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, null, long.MaxValue, null));
        await events.WaitUntilAsync(e => e.Resyncs.Count == 2, "a second resync notice");
        Assert.Equal("unknown_position", events.Resyncs[1].Reason);
    }
}
