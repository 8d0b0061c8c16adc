using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging.Abstractions;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Server.Live;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Demo;

/// <summary>The demo city with simulated activity at a fast pace.</summary>
public sealed class LivelyDemoServer : ServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Demo:Activity"] = "true",
        ["Demo:UnitInterval"] = "00:00:00.500",
        ["Demo:IncidentInterval"] = "00:00:01",
        ["Demo:IncidentStepAfter"] = "00:00:01",
    };

    public override async Task InitializeAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await new DemoDataLoader(database.DataSource, NullLogger<DemoDataLoader>.Instance).LoadAsync(2_000, ifEmpty: true, reset: false, CancellationToken.None);
        await StartOnAsync(database);
    }
}

public sealed class DemoActivityTests(LivelyDemoServer server) : IClassFixture<LivelyDemoServer>
{
    [Fact]
    public async Task UnitsPatrolAndSimulatedIncidentsArriveOverTheLiveHub()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["patrol_units", "incidents"], null, null));
        await events.WaitUntilAsync(e => e.Events.Count(x => x.Name == "UnitMoved") >= 40 && e.Events.Any(x => x.Name == "IncidentCreated"),
            "units moving and a simulated incident", TimeSpan.FromSeconds(30));

        var created = events.Events.First(x => x.Name == "IncidentCreated").Change.Feature!.Value.GetProperty("properties");
        Assert.Equal("demo-sim", created.GetProperty("source").GetString());
        Assert.Contains("simulated", created.GetProperty("description").GetString());
        Assert.False(string.IsNullOrEmpty(created.GetProperty("district").GetString()));
        // moving units stay on the roads (their routes follow the road network)
        Assert.Equal(0, await server.Database.ScalarAsync(
            "SELECT count(*) FROM patrol_units u WHERE u.status <> 'off_duty' AND NOT EXISTS (SELECT 1 FROM roads r WHERE ST_DWithin(r.geom::geography, u.geom::geography, 2))"));
    }

    [Fact]
    public async Task SimulatedIncidentsGetTheNearestUnitWhichDrivesThere()
    {
        // the simulator dispatches like a dispatcher would (audited as system:demo) …
        long unit = 0, incident = 0;
        for (var attempt = 0; attempt < 150 && unit == 0; attempt++)
        {
            await Task.Delay(200);
            var open = await server.Database.ScalarAsync(
                "SELECT coalesce(max(d.unit_id * 1000000 + d.incident_id), 0) FROM dispatches d JOIN patrol_units u ON u.id = d.unit_id " +
                "WHERE d.actor = 'system:demo' AND d.released_at IS NULL AND d.arrived_at IS NULL AND u.assigned_incident_id = d.incident_id AND d.distance_m > 200");
            if (open > 0) (unit, incident) = (open / 1000000, open % 1000000);
        }
        Assert.True(unit > 0, "no simulated incident was dispatched within 30 s");
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE id = {incident} AND status = 'dispatched'"));
        Assert.Equal(1, await server.Database.ScalarAsync($"SELECT count(*) FROM audit_log WHERE action = 'dispatch' AND feature_id = {incident} AND actor = 'system:demo'"));
        // … and the unit responds: it moves at response speed (patrols are slower), on the roads, until it is there
        var before = await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions WHERE unit_id = {unit}");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var responding = await server.Database.ScalarAsync(
            $"SELECT count(*) FROM (SELECT speed_mps FROM unit_positions WHERE unit_id = {unit} ORDER BY recorded_at DESC, id DESC LIMIT 3) p " +
            "WHERE p.speed_mps IN (0, 12, 5.2, 1.7)");
        Assert.True(await server.Database.ScalarAsync($"SELECT count(*) FROM unit_positions WHERE unit_id = {unit}") >= before + 3);
        Assert.Equal(3, responding);
        Assert.Equal(0, await server.Database.ScalarAsync(
            $"SELECT count(*) FROM patrol_units u WHERE u.id = {unit} AND NOT EXISTS (SELECT 1 FROM roads r WHERE ST_DWithin(r.geom::geography, u.geom::geography, 2))"));
    }
}
