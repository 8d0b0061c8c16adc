using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging.Abstractions;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Server.Live;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Seeding;

public sealed class DemoDataLoaderTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task DemoCityLoadsEveryLayerOnceAndTellsConnectedMapsToReload()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, null, null, null));
        var loader = new DemoDataLoader(server.Database.DataSource, NullLogger<DemoDataLoader>.Instance);
        var headBefore = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");

        await loader.LoadAsync(incidentCount: 3_000, ifEmpty: true, reset: false, CancellationToken.None);

        Assert.Equal(7, await server.Database.ScalarAsync("SELECT count(*) FROM districts"));
        Assert.Equal(1_500, await server.Database.ScalarAsync("SELECT count(*) FROM cameras"));
        // each camera's status is known since its installation
        Assert.Equal(1_500, await server.Database.ScalarAsync(
            "SELECT count(*) FROM camera_status_history h JOIN cameras c ON c.id = h.camera_id WHERE h.valid_to IS NULL AND h.status = c.status AND h.valid_from = c.installed_at"));
        Assert.Equal(60, await server.Database.ScalarAsync("SELECT count(*) FROM patrol_units"));
        Assert.Equal(60 * (24 * 60 + 1), await server.Database.ScalarAsync("SELECT count(*) FROM unit_positions"));
        // each unit's track ends at its current position
        Assert.Equal(0, await server.Database.ScalarAsync(
            "SELECT count(*) FROM patrol_units u WHERE NOT EXISTS (SELECT 1 FROM unit_positions p WHERE p.unit_id = u.id AND p.recorded_at = u.last_seen AND ST_DWithin(p.geom::geography, u.geom::geography, 1))"));
        Assert.Equal(3_000, await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'demo'"));
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM roads") > 3_000);
        Assert.Equal(3, await server.Database.ScalarAsync("SELECT count(DISTINCT level) FROM patrol_routes"));
        // building footprints: valid, inside the city, each with its district
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'demo-city'") > 5_000);
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE NOT ST_IsValid(geom) OR district IS NULL"));
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE ST_NumInteriorRings(ST_GeometryN(geom, 1)) > 0") > 0);
        // every incident got its district and lies inside it; every camera's view sector was computed
        Assert.Equal(0, await server.Database.ScalarAsync(
            "SELECT count(*) FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM districts d WHERE d.code = i.district AND ST_Intersects(d.geom, i.geom))"));
        Assert.Equal(0, await server.Database.ScalarAsync("SELECT count(*) FROM cameras WHERE view_sector IS NULL"));
        // the most recent incidents are from the last hour, the oldest a year ago
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE occurred_at > now() - interval '1 day'") > 0);
        Assert.True(await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE occurred_at < now() - interval '360 days'") > 0);

        // one 'reloaded' event per live layer instead of thousands of row events
        Assert.Equal(headBefore + 6, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
        await events.WaitUntilAsync(e => e.Events.Count == 6, "six LayerReloaded events");
        Assert.All(events.Events, e => Assert.Equal("LayerReloaded", e.Name));
        Assert.Equal(["cameras", "districts", "incidents", "patrol_routes", "patrol_units", "zones"], events.Events.Select(e => e.Change.Layer).Order());

        // a second run with --if-empty leaves everything as it is
        await loader.LoadAsync(incidentCount: 3_000, ifEmpty: true, reset: false, CancellationToken.None);
        Assert.Equal(3_000, await server.Database.ScalarAsync("SELECT count(*) FROM incidents"));
        Assert.Equal(headBefore + 6, await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));
    }
}
