using Microsoft.AspNetCore.SignalR;

namespace SituationMap.Server.Live;

/// <summary>
/// /hubs/live. Thin by design: it registers connections and their subscriptions; delivery is LiveConnections'
/// business, fed by ChangeFeed from the change log.
/// </summary>
public sealed class LiveHub(LiveConnections connections, ChangeFeed feed) : Hub<ILiveClient>
{
    public override async Task OnConnectedAsync()
    {
        await feed.Started.WaitAsync(TimeSpan.FromSeconds(30));
        connections.Add(Context.ConnectionId);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Sets (or replaces) this connection's viewport and layers; with since, first replays what was missed.</summary>
    public SubscriptionAccepted Subscribe(LiveSubscription subscription)
    {
        if (LiveFilter.Problem(subscription) is { } problem) throw new HubException("Subscribe: " + problem);
        var connection = connections.Get(Context.ConnectionId) ?? throw new HubException("Subscribe: the connection is closing.");
        var filter = LiveFilter.From(subscription);
        connection.Subscribe(filter, subscription.Since);
        return new SubscriptionAccepted(feed.Position, filter.Layers.Order(StringComparer.Ordinal).ToArray());
    }
}
