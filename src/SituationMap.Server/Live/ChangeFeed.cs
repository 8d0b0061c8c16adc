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

    /// <summary>The last sequence number published (-1 before start-up read the head).</summary>
    public long Position => Interlocked.Read(ref _position);

    public bool Healthy { get; private set; }

    public DateTimeOffset LastPublishedAt { get; private set; }

    /// <summary>Completes once the feed knows its starting position.</summary>
    public Task Started => _started.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connections = services.GetRequiredService<LiveConnections>();
        var delay = TimeSpan.FromMilliseconds(200);
        var lastPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                if (Position < 0)
                {
                    await using var head = new NpgsqlCommand("SELECT seq FROM change_log_head", connection);
                    Interlocked.Exchange(ref _position, (long)(await head.ExecuteScalarAsync(stoppingToken))!);
                    _started.TrySetResult();
                }
                await using (var listen = new NpgsqlCommand("LISTEN situationmap_changes", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                Healthy = true;
                delay = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                {
                    var events = await ChangeLogReader.ReadAfterAsync(connection, Position, Batch, stoppingToken);
                    foreach (var e in events)
                    {
                        connections.Publish(e);
                        Interlocked.Exchange(ref _position, e.Seq);
                    }
                    if (events.Count > 0) LastPublishedAt = DateTimeOffset.UtcNow;
                    if (events.Count == Batch) continue;
                    if (DateTimeOffset.UtcNow - lastPrune > TimeSpan.FromHours(1))
                    {
                        await PruneAsync(connection, stoppingToken);
                        lastPrune = DateTimeOffset.UtcNow;
                    }
                    await connection.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Healthy = false;
                logger.LogWarning(e, "Change feed lost the database at seq {Position}; retrying in {Delay}.", Position, delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    private async Task PruneAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("DELETE FROM change_log WHERE committed_at < now() - $1::interval", connection);
        cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = options.Value.Retention });
        var pruned = await cmd.ExecuteNonQueryAsync(ct);
        if (pruned > 0) logger.LogInformation("Pruned {Count} change-log rows older than {Retention}.", pruned, options.Value.Retention);
    }
}
