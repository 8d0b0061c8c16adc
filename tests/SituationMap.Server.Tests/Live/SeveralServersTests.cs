using Microsoft.AspNetCore.SignalR.Client;
using SituationMap.Server.Live;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Live;

public sealed class SeveralServersTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AChangeMadeThroughOneServerReachesClientsOfAnother()
    {
        await using var other = await ServerFixture.StartAnotherOnAsync(server.Database);
        await using var hub = await other.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription([114.7, 40.7, 115.1, 40.9], ["incidents"], null, 0));

        var response = await server.CreateClient().PostAsync("/api/incidents", Body(Incident(114.9, 40.8)));
        await events.WaitUntilAsync(e => e.Events.Any(x => x.Change.Seq == response.ChangeSeq()), "the change made through the first server");
    }

    [Fact]
    public async Task AfterAServerRestartAClientResumesFromItsLastSequenceNumberWithNothingLost()
    {
        long lastSeen;
        var client = server.CreateClient();
        await using (var first = await ServerFixture.StartAnotherOnAsync(server.Database))
        {
            await using var hub = await first.ConnectHubAsync();
            var events = new LiveRecorder(hub);
            await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["incidents"], null, null));
            var response = await client.PostAsync("/api/incidents", Body(Incident(114.91, 40.81)));
            await events.WaitUntilAsync(e => e.LastSeq == response.ChangeSeq(), "the event before the restart");
            lastSeen = events.LastSeq;
        } // that server stops; its client is gone with it

        var missed = new List<long>();
        for (var i = 0; i < 3; i++) missed.Add((await client.PostAsync("/api/incidents", Body(Incident(114.91 + i * 0.001, 40.81)))).ChangeSeq());
        await server.Database.ExecuteAsync("UPDATE incidents SET severity = 4 WHERE id = (SELECT max(id) FROM incidents)");
        missed.Add(await server.Database.ScalarAsync("SELECT seq FROM change_log_head"));

        await using var restarted = await ServerFixture.StartAnotherOnAsync(server.Database);
        await using var again = await restarted.ConnectHubAsync();
        var resumed = new LiveRecorder(again);
        await again.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(null, ["incidents"], lastSeen, null));
        await resumed.WaitUntilAsync(e => e.Events.Count >= missed.Count, "the missed events");
        Assert.Equal(missed, resumed.Events.Select(e => e.Change.Seq));
    }
}
