using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace SituationMap.Server.Live;

/// <summary>
/// The hub's lifetime manager: SignalR's default one, which also registers every /hubs/live connection for live
/// delivery. Holding the HubConnectionContext lets each connection's pump write a change's pre-serialised message
/// (one serialisation per change, not one per client).
/// </summary>
public sealed class LiveConnections(
    ChangeLogReader log,
    ChangeFeed feed,
    IOptions<LiveOptions> options,
    ILogger<DefaultHubLifetimeManager<LiveHub>> signalRLogger,
    ILogger<LiveConnection> logger)
    : DefaultHubLifetimeManager<LiveHub>(signalRLogger)
{
    private readonly ConcurrentDictionary<string, LiveConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await base.OnConnectedAsync(connection);
        await feed.Started.WaitAsync(TimeSpan.FromSeconds(30));
        _connections[connection.ConnectionId] = new LiveConnection(
            connection.ConnectionId, feed.Position,
            message => connection.WriteAsync(message).AsTask(),
            log, options.Value, logger);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_connections.TryRemove(connection.ConnectionId, out var c)) c.Complete();
        return base.OnDisconnectedAsync(connection);
    }

    public LiveConnection? Get(string connectionId) => _connections.GetValueOrDefault(connectionId);

    /// <summary>Offers an event to every connection; O(connections), never waits for a client.</summary>
    public void Publish(ChangeEvent e)
    {
        foreach (var c in _connections.Values) c.Offer(e);
    }

    public static SerializedHubMessage ResyncMessage(ResyncNotice notice) =>
        new(new InvocationMessage(nameof(ILiveClient.ResyncRequired), [notice]));
}
