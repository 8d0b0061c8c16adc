using Microsoft.AspNetCore.SignalR;

namespace SituationMap.Server.Live;

/// <summary>
/// /hubs/live. Thin by design: it only records what each connection wants. Connections are registered by
/// LiveConnections (the hub's lifetime manager); delivery is theirs, fed by ChangeFeed from the change log.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Accounts.Permissions.Read)]
public sealed class LiveHub(LiveConnections connections, LiveSessions sessions, ChangeFeed feed, Microsoft.Extensions.Options.IOptions<Cluster.ClusterOptions> cluster) : Hub<ILiveClient>
{
    /// <summary>Connections of accounts not limited to districts: city-wide notices (HotspotsRecomputed) go only to them.</summary>
    public const string CityWideGroup = "city-wide";

    /// <summary>Connections of accounts limited to a district are in that district's group (one per district of theirs).</summary>
    public static string DistrictGroup(string district) => "district:" + district;

    public override async Task OnConnectedAsync()
    {
        sessions.Add(Context); // rechecked while open: closed when the account or token stops being valid
        var scope = Accounts.UserScope.Of(Context.User);
        if (scope.Districts is null) await Groups.AddToGroupAsync(Context.ConnectionId, CityWideGroup);
        else
        {
            foreach (var district in scope.Districts) await Groups.AddToGroupAsync(Context.ConnectionId, DistrictGroup(district));
        }
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Sets (or replaces) this connection's viewport and layers; with since, first replays what was missed.</summary>
    [Microsoft.AspNetCore.Authorization.Authorize(Policy = Accounts.Permissions.Read)]
    public SubscriptionAccepted Subscribe(LiveSubscription subscription)
    {
        if (LiveFilter.Problem(subscription) is { } problem) throw new HubException("Subscribe: " + problem);
        var connection = connections.Get(Context.ConnectionId) ?? throw new HubException("Subscribe: the connection is closing.");
        var filter = LiveFilter.From(subscription, Accounts.UserScope.Of(Context.User));
        connection.Subscribe(filter, subscription.Since);
        return new SubscriptionAccepted(feed.Position, filter.Layers.Order(StringComparer.Ordinal).ToArray(), cluster.Value.ResolvedNodeName);
    }
}
