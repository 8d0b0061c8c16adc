using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Live;

namespace SituationMap.Cluster.Tests;

/// <summary>
/// A live client as the dashboard is one: WebSockets only (skipNegotiation, so any node may take it), a bearer token,
/// and its own loop that reconnects when the connection drops — trying its endpoints in order (say a node, then nginx)
/// — and subscribes again with since = the last seq it received. too_slow resyncs resubscribe the same way. Records
/// every event it receives, duplicates included, so tests can check exactly-once delivery.
/// </summary>
public sealed class ResilientLiveClient : IAsyncDisposable
{
    private readonly List<Received> _events = [];
    private readonly List<string> _history = [];
    private readonly List<ResyncNotice> _resyncs = [];
    private readonly List<(string Method, object? Notice)> _notices = [];
    private readonly SemaphoreSlim _reconnecting = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly IReadOnlyList<Uri> _endpoints;
    private readonly string _token;
    private HubConnection? _connection;
    private long _lastSeq;
    private int _generation;

    private ResilientLiveClient(string label, IReadOnlyList<Uri> endpoints, string token, LiveView view, long since)
    {
        Label = label;
        _endpoints = endpoints;
        _token = token;
        View = view;
        _lastSeq = since;
    }

    public string Label { get; }

    public LiveView View { get; }

    /// <summary>Every change event received, in arrival order (duplicates kept).</summary>
    public IReadOnlyList<Received> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    /// <summary>Derived notices received (HotspotsRecomputed, CoverageUpdated): no seq, not replayed.</summary>
    public IReadOnlyList<(string Method, object? Notice)> Notices
    {
        get { lock (_events) return _notices.ToList(); }
    }

    public IReadOnlyList<ResyncNotice> Resyncs
    {
        get { lock (_events) return _resyncs.ToList(); }
    }

    /// <summary>Connections and subscriptions made, with the node that accepted each (when the server says).</summary>
    public IReadOnlyList<string> History
    {
        get { lock (_events) return _history.ToList(); }
    }

    /// <summary>The nodes that accepted this client's subscriptions, in order (from SubscriptionAccepted.node).</summary>
    public List<string> Nodes { get; } = [];

    public int Connections { get; private set; }

    /// <summary>Where the current connection goes (a node or nginx).</summary>
    public Uri? Endpoint { get; private set; }

    public long LastSeq => Interlocked.Read(ref _lastSeq);

    public bool Connected => _connection?.State == HubConnectionState.Connected;

    public static async Task<ResilientLiveClient> StartAsync(string label, IReadOnlyList<Uri> endpoints, string token, LiveView view, long since)
    {
        var client = new ResilientLiveClient(label, endpoints, token, view, since);
        await client.ConnectAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    private HubConnection Build(Uri endpoint, int generation)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(endpoint, "/hubs/live"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(_token);
            })
            .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(30);
        foreach (var method in typeof(ILiveClient).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = method.Name;
            var parameter = method.GetParameters().Single().ParameterType;
            if (parameter == typeof(LiveChange))
            {
                connection.On<LiveChange>(name, c =>
                {
                    lock (_events)
                    {
                        _events.Add(new Received(c.Seq, name, c.Layer, c.Kind, c.Id, generation));
                        if (c.Seq > _lastSeq) Interlocked.Exchange(ref _lastSeq, c.Seq);
                    }
                });
            }
            else if (parameter == typeof(ResyncNotice))
            {
                connection.On<ResyncNotice>(name, n =>
                {
                    lock (_events)
                    {
                        _resyncs.Add(n);
                        _history.Add($"{DateTime.UtcNow:HH:mm:ss.fff} resync {n.Reason} last_delivered {n.LastDeliveredSeq} snapshot_required {n.SnapshotRequired}");
                    }
                    // not from inside the handler: the answer to Subscribe arrives on this connection's receive loop
                    if (!n.SnapshotRequired) _ = Task.Run(() => ResubscribeAsync(connection));
                });
            }
            else
            {
                connection.On(name, [parameter], args =>
                {
                    lock (_events) _notices.Add((name, args[0]));
                    return Task.CompletedTask;
                });
            }
        }
        connection.Closed += e =>
        {
            lock (_events) _history.Add($"{DateTime.UtcNow:HH:mm:ss.fff} closed (generation {generation}): {e?.Message}");
            if (!_closing.IsCancellationRequested) _ = Task.Run(() => ConnectAsync(TimeSpan.FromSeconds(60)));
            return Task.CompletedTask;
        };
        return connection;
    }

    private async Task ResubscribeAsync(HubConnection connection)
    {
        try
        {
            await SubscribeAsync(connection);
        }
        catch (Exception e) when (!_closing.IsCancellationRequested)
        {
            lock (_events) _history.Add($"{DateTime.UtcNow:HH:mm:ss.fff} resubscribe failed: {e.Message}");
        }
    }

    /// <summary>Subscribes again on the current connection with since = the last seq (as a dashboard does when the
    /// viewport changes).</summary>
    public Task ResubscribeAsync() => SubscribeAsync(_connection ?? throw new InvalidOperationException(Label + " is not connected"));

    private async Task SubscribeAsync(HubConnection connection)
    {
        var since = LastSeq;
        var accepted = await connection.InvokeAsync<JsonElement>("Subscribe", View.Subscription(since), _closing.Token);
        var node = accepted.TryGetProperty("node", out var n) ? n.GetString() : null;
        lock (_events)
        {
            if (node is not null) Nodes.Add(node);
            _history.Add($"{DateTime.UtcNow:HH:mm:ss.fff} subscribed since {since} on {node ?? "?"} (head {accepted.GetProperty("head_seq")})");
        }
    }

    /// <summary>Connects (trying each endpoint in turn, again and again) and subscribes with since = the last seq.</summary>
    private async Task ConnectAsync(TimeSpan timeout)
    {
        await _reconnecting.WaitAsync();
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            var attempt = 0;
            while (!_closing.IsCancellationRequested)
            {
                if (_connection?.State == HubConnectionState.Connected) return;
                var endpoint = _endpoints[attempt++ % _endpoints.Count];
                var generation = Interlocked.Increment(ref _generation);
                var connection = Build(endpoint, generation);
                try
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                    cts.CancelAfter(TimeSpan.FromSeconds(10));
                    await connection.StartAsync(cts.Token);
                    var old = _connection;
                    _connection = connection;
                    Endpoint = endpoint;
                    Connections++;
                    lock (_events) _history.Add($"{DateTime.UtcNow:HH:mm:ss.fff} connected to {endpoint} (generation {generation})");
                    await SubscribeAsync(connection);
                    if (old is not null) _ = old.DisposeAsync().AsTask();
                    return;
                }
                catch (Exception e) when (!_closing.IsCancellationRequested)
                {
                    lock (_events) _history.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {endpoint} failed: {e.GetType().Name} {e.Message}");
                    await connection.DisposeAsync();
                    if (ReferenceEquals(_connection, connection)) _connection = null;
                    if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Label} could not connect within {timeout}:\n{string.Join('\n', History.TakeLast(10))}");
                    await Task.Delay(attempt % _endpoints.Count == 0 ? 300 : 0);
                }
            }
        }
        finally
        {
            _reconnecting.Release();
        }
    }

    /// <summary>Waits until the client has received seq (or more), or the timeout passes (the assertions then say what is missing).</summary>
    public async Task<bool> WaitForSeqAsync(long seq, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (LastSeq < seq)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(100);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await _reconnecting.WaitAsync(TimeSpan.FromSeconds(10));
        if (_connection is not null) await _connection.DisposeAsync();
    }
}

/// <summary>One event as received: seq, hub method, layer, kind, feature id, and which connection of the client got it.</summary>
public sealed record Received(long Seq, string Method, string Layer, string Kind, long Id, int Generation);
