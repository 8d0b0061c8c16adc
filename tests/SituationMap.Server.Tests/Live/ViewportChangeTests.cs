using Microsoft.AspNetCore.SignalR.Client;
using SituationMap.Server.Live;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Server.Tests.Live;

/// <summary>
/// "A client can change its viewport at any time": one open HubConnection subscribes again with another bbox. From
/// then on it receives only changes in the new viewport; with since = the last seq it saw, the server first sends the
/// changes after that seq which the old viewport did not deliver but the new one covers (the catch-up of the newly
/// covered area, LiveConnection.ReplayAsync), never one it already sent.
/// </summary>
public sealed class ViewportChangeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly HttpClient _client = server.CreateClient();

    // two viewports far apart (no margin), and one covering both
    private static readonly double[] West = [114.40, 40.40, 114.41, 40.41];
    private static readonly double[] East = [114.50, 40.40, 114.51, 40.41];
    private static readonly double[] Both = [114.40, 40.40, 114.51, 40.41];

    private async Task<long> CreateAsync(double lon)
    {
        var response = await _client.PostAsync("/api/incidents", Body(Incident(lon, 40.405)));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return response.ChangeSeq();
    }

    [Fact]
    public async Task ResubscribingWithAnotherBboxDeliversOnlyTheNewViewportAndCatchesUpOnTheNewlyCoveredArea()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        var start = await server.Database.ScalarAsync("SELECT seq FROM change_log_head");
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(West, ["incidents"], start, 0));

        var west1 = await CreateAsync(114.405);
        await events.WaitUntilAsync(e => e.LastSeq >= west1, "the change in the west viewport");
        var east1 = await CreateAsync(114.505);     // not in the west viewport: not delivered
        var seen = events.LastSeq;
        Assert.Equal(west1, seen);

        // move the viewport east, catching up from the last seq seen: east1 arrives (once), west changes do not
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(East, ["incidents"], seen, 0));
        var west2 = await CreateAsync(114.406);
        var east2 = await CreateAsync(114.506);
        var east3 = await CreateAsync(114.507);
        await events.WaitUntilAsync(e => e.LastSeq >= east3, "the changes in the east viewport");
        var quiet = await events.QuietAsync(0, TimeSpan.FromMilliseconds(800));
        Assert.Equal([west1, east1, east2, east3], quiet.Select(e => e.Change.Seq));
        Assert.DoesNotContain(west2, quiet.Select(e => e.Change.Seq));

        // widen to both: the catch-up holds exactly what the east viewport skipped after the last seq seen (west2);
        // east2 and east3 were delivered already and are not sent again
        var before = events.Events.Count;
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(Both, ["incidents"], west1, 0));
        await events.WaitUntilAsync(e => e.Events.Count > before, "the catch-up of the newly covered area");
        var west3 = await CreateAsync(114.407);
        var east4 = await CreateAsync(114.508);
        await events.WaitUntilAsync(e => e.LastSeq >= east4, "live changes in the widened viewport");
        var after = await events.QuietAsync(before, TimeSpan.FromMilliseconds(800));
        Assert.Equal([west2, west3, east4], after.Select(e => e.Change.Seq));
        Assert.All(after, e => Assert.Equal("IncidentCreated", e.Name));

        // every seq arrived once; apart from the catch-up (an older seq by design), in order
        var all = events.Events.Select(e => e.Change.Seq).ToList();
        Assert.Equal([west1, east1, east2, east3, west2, west3, east4], all);
    }

    [Fact]
    public async Task ResubscribingWithoutSinceSwitchesTheViewportFromNowOn()
    {
        await using var hub = await server.ConnectHubAsync();
        var events = new LiveRecorder(hub);
        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(West, ["incidents"], null, 0));
        var west1 = await CreateAsync(114.401);
        await events.WaitUntilAsync(e => e.LastSeq >= west1, "the west change");

        await hub.InvokeAsync<SubscriptionAccepted>("Subscribe", new LiveSubscription(East, ["incidents"], null, 0));
        var west2 = await CreateAsync(114.402);
        var east1 = await CreateAsync(114.502);
        await events.WaitUntilAsync(e => e.LastSeq >= east1, "the east change");
        var quiet = await events.QuietAsync(0, TimeSpan.FromMilliseconds(800));
        Assert.Equal([west1, east1], quiet.Select(e => e.Change.Seq));
        Assert.DoesNotContain(west2, quiet.Select(e => e.Change.Seq));
    }
}
