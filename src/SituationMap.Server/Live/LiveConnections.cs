using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace SituationMap.Server.Live;

/// <summary>The connections of this server process and the one way events reach them.</summary>
public sealed class LiveConnections(
    IHubContext<LiveHub, ILiveClient> hub,
    ChangeLogReader log,
    ChangeFeed feed,
    IOptions<LiveOptions> options,
    ILogger<LiveConnections> logger)
{
    private readonly ConcurrentDictionary<string, LiveConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public LiveConnection Add(string connectionId)
    {
        var client = hub.Clients.Client(connectionId);
        var connection = new LiveConnection(connectionId, feed.Position, client.SendChangeAsync, client.ResyncRequired, log, options.Value, logger);
        _connections[connectionId] = connection;
        return connection;
    }

    public LiveConnection? Get(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public void Remove(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var c)) c.Complete();
    }

    /// <summary>Offers an event to every connection; O(connections), never waits for a client.</summary>
    public void Publish(ChangeEvent e)
    {
        foreach (var c in _connections.Values) c.Offer(e);
    }
}

internal static class LiveClientExtensions
{
    public static Task SendChangeAsync(this ILiveClient client, LiveChange change) => LiveEvents.SendAsync(client, change);
}
