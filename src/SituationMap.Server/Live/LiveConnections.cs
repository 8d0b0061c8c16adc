using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using SituationMap.Server.Cluster;

namespace SituationMap.Server.Live;

/// <summary>
/// The hub's lifetime manager. It registers every /hubs/live connection for live delivery (holding the
/// HubConnectionContext lets each connection's pump write a change's pre-serialised message: one serialisation per
/// change, not one per client) and hands everything else — groups, users, sends through IHubContext — to SignalR's own
/// manager: the default one on a single node, the Redis backplane (RedisHubLifetimeManager) in a cluster.
/// <para>A Redis outage must not stop a client from connecting or from receiving changes: while Redis is unreachable
/// new connections are registered here only, and are handed to the backplane (with their groups) once Redis is back.</para>
/// </summary>
public sealed class LiveConnections : HubLifetimeManager<LiveHub>, IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);
    private readonly HubLifetimeManager<LiveHub> _signalR;
    private readonly RedisConnection? _redis;
    private readonly ChangeLogReader _log;
    private readonly ChangeFeed _feed;
    private readonly IOptions<LiveOptions> _options;
    private readonly ILogger<LiveConnection> _logger;

    public LiveConnections(HubLifetimeManager<LiveHub> signalR, RedisConnection? redis, ChangeLogReader log, ChangeFeed feed,
        IOptions<LiveOptions> options, ILogger<LiveConnection> logger)
    {
        _signalR = signalR;
        _redis = redis;
        _log = log;
        _feed = feed;
        _options = options;
        _logger = logger;
        if (redis is not null)
        {
            redis.Restored += () => _ = Task.Run(RejoinBackplaneAsync);
            // and a safety net: whatever the reason a connection missed the backplane, it joins within seconds
            _rejoinTimer = new Timer(_ => { if (redis.IsConnected) _ = RejoinBackplaneAsync(); }, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        }
    }

    private readonly Timer? _rejoinTimer;
    private int _rejoining;

    public int Count => _connections.Count;

    public void Dispose() => _rejoinTimer?.Dispose();

    /// <summary>Connections registered here but not (yet) with the Redis backplane.</summary>
    public int OffBackplane => _connections.Values.Count(e => !e.OnBackplane && e.Live is not null);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        var entry = new Entry(connection);
        _connections[connection.ConnectionId] = entry;
        await JoinBackplaneAsync(entry);
        await _feed.Started.WaitAsync(TimeSpan.FromSeconds(30));
        entry.Live = new LiveConnection(connection.ConnectionId, _feed.Position,
            message => connection.WriteAsync(message).AsTask(), _log, _options.Value, _logger);
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (!_connections.TryRemove(connection.ConnectionId, out var entry)) return;
        entry.Live?.Complete();
        if (entry.OnBackplane) await Guarded(() => _signalR.OnDisconnectedAsync(connection), "disconnect");
    }

    public LiveConnection? Get(string connectionId) => _connections.GetValueOrDefault(connectionId)?.Live;

    /// <summary>Offers an event to every connection; O(connections), never waits for a client.</summary>
    public void Publish(ChangeEvent e)
    {
        foreach (var entry in _connections.Values) entry.Live?.Offer(e);
    }

    public static SerializedHubMessage ResyncMessage(ResyncNotice notice) =>
        new(new InvocationMessage(nameof(ILiveClient.ResyncRequired), [notice]));

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_connections.TryGetValue(connectionId, out var entry))
        {
            lock (entry.Groups) entry.Groups.Add(groupName);
            if (!entry.OnBackplane) return; // joined when Redis is back
        }
        await Guarded(() => _signalR.AddToGroupAsync(connectionId, groupName, cancellationToken), "group join");
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_connections.TryGetValue(connectionId, out var entry))
        {
            lock (entry.Groups) entry.Groups.Remove(groupName);
            if (!entry.OnBackplane) return;
        }
        await Guarded(() => _signalR.RemoveFromGroupAsync(connectionId, groupName, cancellationToken), "group leave");
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _signalR.SendAllAsync(methodName, args, cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _signalR.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _signalR.SendConnectionAsync(connectionId, methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _signalR.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _signalR.SendGroupAsync(groupName, methodName, args, cancellationToken);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _signalR.SendGroupsAsync(groupNames, methodName, args, cancellationToken);

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _signalR.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _signalR.SendUserAsync(userId, methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _signalR.SendUsersAsync(userIds, methodName, args, cancellationToken);

    private async Task JoinBackplaneAsync(Entry entry)
    {
        if (entry.OnBackplane || _redis is { IsConnected: false }) return; // Redis down: do not make the client wait for it
        if (Interlocked.CompareExchange(ref entry.Joining, 1, 0) != 0) return; // another attempt is under way
        try
        {
            if (!await Guarded(() => _signalR.OnConnectedAsync(entry.Context), "connect")) return;
            entry.OnBackplane = true;
        }
        finally
        {
            Volatile.Write(ref entry.Joining, 0);
        }
        string[] groups;
        lock (entry.Groups) groups = [.. entry.Groups];
        foreach (var group in groups) await Guarded(() => _signalR.AddToGroupAsync(entry.Context.ConnectionId, group), "group join");
    }

    private async Task RejoinBackplaneAsync()
    {
        if (Interlocked.Exchange(ref _rejoining, 1) == 1) return;
        try
        {
            var waiting = _connections.Values.Where(e => !e.OnBackplane && e.Live is not null).ToList();
            if (waiting.Count == 0) return;
            foreach (var entry in waiting)
            {
                if (_connections.ContainsKey(entry.Context.ConnectionId)) await JoinBackplaneAsync(entry);
            }
            _logger.LogInformation("Handed {Count} connections made during the Redis outage to the backplane.", waiting.Count(e => e.OnBackplane));
        }
        finally
        {
            Volatile.Write(ref _rejoining, 0);
        }
    }

    /// <summary>Backplane operations may fail while Redis is unreachable: log, never fail the client's connection.</summary>
    private async Task<bool> Guarded(Func<Task> operation, string what)
    {
        try
        {
            await operation().WaitAsync(TimeSpan.FromSeconds(3));
            return true;
        }
        catch (Exception e) when (_redis is not null && e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Redis backplane {What} failed; the connection keeps receiving live changes from the change log.", what);
            return false;
        }
    }

    private sealed class Entry(HubConnectionContext context)
    {
        public HubConnectionContext Context { get; } = context;

        public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

        public volatile bool OnBackplane;

        public int Joining;

        public LiveConnection? Live { get; set; }
    }
}
