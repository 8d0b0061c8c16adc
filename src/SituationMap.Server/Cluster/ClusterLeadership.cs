using Microsoft.Extensions.Options;
using Npgsql;

namespace SituationMap.Server.Cluster;

/// <summary>
/// Elects one node of the cluster to run the work that must happen once per deployment, not once per process: the
/// demo simulator, situation snapshots, the retention purge, change-log pruning and the cluster-wide live notices
/// (hotspots recomputed, coverage updated). The leader is whoever holds a PostgreSQL session-level advisory lock on a
/// dedicated connection: PostgreSQL releases it the moment that session ends (process killed, connection lost,
/// database restarted), and another node takes it at its next check. No Redis or consensus service involved.
/// </summary>
public sealed class ClusterLeadership(NpgsqlDataSource dataSource, IOptions<ClusterOptions> options, ILogger<ClusterLeadership> logger)
    : BackgroundService
{
    /// <summary>The advisory lock key (two int4: "SituationMap", "leader").</summary>
    private const string TryLock = "SELECT pg_try_advisory_lock(hashtext('SituationMap'), hashtext('leader'))";

    private readonly TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _leader;

    /// <summary>Completes after the first attempt to take the lead (won, lost or failed), so once-per-cluster work that
    /// runs at start-up knows whether it is this node's.</summary>
    public Task Decided => _decided.Task;

    /// <summary>Waits (at most 10 s) for the first election, then tells whether this node leads.</summary>
    public async Task<bool> IsLeaderAfterStartAsync(CancellationToken ct)
    {
        await Decided.WaitAsync(TimeSpan.FromSeconds(10), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        return _leader;
    }

    /// <summary>True while this node holds the leader lock (checked every LeaderCheckInterval).</summary>
    public bool IsLeader => _leader;

    public DateTimeOffset? LeaderSince { get; private set; }

    /// <summary>Whether this node sends the derived live notices (HotspotsRecomputed, CoverageUpdated): with the Redis
    /// backplane only the leader does, and the backplane carries them to the clients of every node; without it every
    /// node tells its own clients (each keeps its own results current from the change log).</summary>
    public bool SendsNotices => string.IsNullOrWhiteSpace(options.Value.Redis) || _leader;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.LeaderCheckInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!_leader)
                    {
                        await using var cmd = new NpgsqlCommand(TryLock, connection);
                        if ((bool)(await cmd.ExecuteScalarAsync(stoppingToken))!) Become(true);
                        _decided.TrySetResult();
                    }
                    else
                    {
                        // the lock lives as long as this session: a round trip proves the session is still there
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                    await Task.Delay(interval, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (_leader) logger.LogWarning(e, "Lost the database session that held the leader lock; stepping down.");
                Become(false);
                _decided.TrySetResult();
                try
                {
                    await Task.Delay(interval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        Become(false);
    }

    private void Become(bool leader)
    {
        if (_leader == leader) return;
        _leader = leader;
        LeaderSince = leader ? DateTimeOffset.UtcNow : null;
        ClusterMetrics.LeaderChanges.Add(1);
        logger.LogInformation(leader ? "This node is now the cluster leader (runs the once-per-cluster work)." : "This node is no longer the cluster leader.");
    }
}
