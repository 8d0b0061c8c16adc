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
}
