using Microsoft.Extensions.Options;
using Npgsql;

namespace SituationMap.Server.Live;

/// <summary>
/// Follows the change log and publishes every row, in order, to this process's connections. Woken by
/// LISTEN situationmap_changes (NOTIFY from the trigger, at commit) and polling every PollInterval as a fallback, so
/// changes from other server processes and from plain SQL arrive too. Survives database restarts: it reconnects with
/// back-off and resumes from its position, losing nothing (the log is the source of truth). Also prunes the log
/// after Retention.
/// </summary>
public sealed class ChangeFeed(NpgsqlDataSource dataSource, IServiceProvider services, IOptions<LiveOptions> options, ILogger<ChangeFeed> logger)
    : BackgroundService
{
    private const int Batch = 1_000;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _position = -1;
    private long _incidentsVersion = -1;
    private long _notifiedHead = -1;

    /// <summary>The last sequence number published (-1 before start-up read the head).</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>The sequence number of the last incident change seen (the start position until one arrives): derived
    /// results such as hotspot maps are valid while it stays the same.</summary>
    public long IncidentsVersion => Interlocked.Read(ref _incidentsVersion);

    /// <summary>Changes committed (as announced by NOTIFY) but not yet published by this node: the live stream's lag
    /// behind the change log, in events.</summary>
    public long Behind => Math.Max(0, Interlocked.Read(ref _notifiedHead) - Position);

    public bool Healthy { get; private set; }

    public DateTimeOffset LastPublishedAt { get; private set; }

    /// <summary>Completes once the feed knows its starting position.</summary>
    public Task Started => _started.Task;

    /// <summary>
    /// Runs on a dedicated thread with Npgsql's synchronous calls, so waking up on a NOTIFY never waits in the thread
    /// pool's queue behind the delivery work of hundreds of connections.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Follow(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Follow(CancellationToken stoppingToken)
    {
        var connections = services.GetRequiredService<LiveConnections>();
        var leadership = services.GetRequiredService<Cluster.ClusterLeadership>();
        LiveMetrics.Track(connections, this);
        var observers = services.GetServices<IChangeObserver>().ToArray();
        var delay = TimeSpan.FromMilliseconds(200);
        var lastPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var connection = dataSource.OpenConnection();
                connection.Notification += (_, n) =>
                {
                    if (long.TryParse(n.Payload, out var seq) && seq > Interlocked.Read(ref _notifiedHead)) Interlocked.Exchange(ref _notifiedHead, seq);
                };
                if (Position < 0)
                {
                    using var head = new NpgsqlCommand("SELECT seq FROM change_log_head", connection);
                    Interlocked.Exchange(ref _position, (long)head.ExecuteScalar()!);
                    Interlocked.Exchange(ref _incidentsVersion, Position);
                    _started.TrySetResult();
                }
                using (var listen = new NpgsqlCommand("LISTEN situationmap_changes", connection)) listen.ExecuteNonQuery();
                Healthy = true;
                delay = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                {
                    var events = ChangeLogReader.ReadAfter(connection, Position, Batch);
                    foreach (var e in events)
                    {
                        LiveMetrics.FeedLag.Record((DateTimeOffset.UtcNow - e.Change.At).TotalMilliseconds);
                        connections.Publish(e);
                        LiveMetrics.Published.Add(1);
                        foreach (var observer in observers) observer.Observe(e);
                        Interlocked.Exchange(ref _position, e.Seq);
                        if (e.Layer == "incidents") Interlocked.Exchange(ref _incidentsVersion, e.Seq);
                    }
                    if (events.Count > 0) LastPublishedAt = DateTimeOffset.UtcNow;
                    if (events.Count == Batch) continue;
                    if (leadership.IsLeader && DateTimeOffset.UtcNow - lastPrune > TimeSpan.FromHours(1))
                    {
                        Prune(connection);
                        lastPrune = DateTimeOffset.UtcNow;
                    }
                    connection.Wait(options.Value.PollInterval);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (Healthy)
                {
                    // the database went away (restart, failover): drop pooled connections to the old server, so that
                    // requests after its return open fresh ones instead of failing on dead sockets
                    dataSource.Clear();
                }
                Healthy = false;
                logger.LogWarning(e, "Change feed lost the database at seq {Position}; retrying in {Delay}.", Position, delay);
                stoppingToken.WaitHandle.WaitOne(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private void Prune(NpgsqlConnection connection)
    {
        using var cmd = new NpgsqlCommand("DELETE FROM change_log WHERE committed_at < now() - $1::interval", connection);
        cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = options.Value.Retention });
        var pruned = cmd.ExecuteNonQuery();
        if (pruned > 0) logger.LogInformation("Pruned {Count} change-log rows older than {Retention}.", pruned, options.Value.Retention);
    }
}

/// <summary>Follows committed changes in this process, after they were published to the live connections (derived
/// results such as coverage). Called on the feed's thread, in change-log order: must return at once (queue the work).</summary>
public interface IChangeObserver
{
    void Observe(ChangeEvent change);
}
