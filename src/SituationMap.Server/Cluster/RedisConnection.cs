using StackExchange.Redis;

namespace SituationMap.Server.Cluster;

/// <summary>
/// The one StackExchange.Redis connection of this node, shared by SignalR's Redis backplane and the health check. It
/// never fails start-up: when Redis is unreachable the node runs without the backplane (live changes are unaffected:
/// they come from the change log) and the multiplexer keeps reconnecting in the background.
/// </summary>
public sealed class RedisConnection(string configuration, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;

    /// <summary>Raised when the connection to Redis comes back after an outage.</summary>
    public event Action? Restored;

    public bool IsConnected => _multiplexer?.IsConnected == true;

    public string Endpoint { get; } = configuration;

    public async Task<IConnectionMultiplexer> GetAsync(TextWriter? log = null)
    {
        if (_multiplexer is { } existing) return existing;
        await _gate.WaitAsync();
        try
        {
            if (_multiplexer is not null) return _multiplexer;
            var options = ConfigurationOptions.Parse(Endpoint);
            options.AbortOnConnectFail = false; // keep trying in the background instead of failing start-up
            options.ConnectTimeout = 2_000;
            options.SyncTimeout = options.AsyncTimeout = 2_000;
            options.ChannelPrefix = RedisChannel.Literal("SituationMap");
            options.ClientName = "situationmap";
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(options, log);
            multiplexer.ConnectionFailed += (_, e) => logger.LogWarning("Redis connection lost ({Failure}); cluster-wide notices pause, live changes continue from the change log.", e.FailureType);
            multiplexer.ConnectionRestored += (_, e) =>
            {
                if (e.ConnectionType != ConnectionType.Subscription) return; // the backplane lives on the pub/sub link
                logger.LogInformation("Redis connection restored.");
                Restored?.Invoke();
            };
            if (!multiplexer.IsConnected) logger.LogWarning("Redis at {Endpoint} is not reachable; running without the backplane until it is.", Endpoint);
            return _multiplexer = multiplexer;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is not null) await _multiplexer.DisposeAsync();
        _gate.Dispose();
    }
}
