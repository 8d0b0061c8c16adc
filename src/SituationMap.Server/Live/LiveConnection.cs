using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace SituationMap.Server.Live;

/// <summary>
/// One hub connection's delivery: a single pump sends events in sequence order. The publisher offers every event
/// (non-blocking); the pump filters by the current subscription. A subscription with <c>since</c> first replays the
/// change log from the database, then continues with queued events past the replayed position, so nothing is
/// skipped and nothing is sent twice. When more than <see cref="LiveOptions.ConnectionBuffer"/> events wait, the
/// connection is too slow: its queue is dropped, it is told to resync, and it receives nothing until it subscribes
/// again — other connections are never held up by it.
/// </summary>
public sealed class LiveConnection
{
    private readonly Channel<object> _work = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly Func<SerializedHubMessage, Task> _write;
    private readonly ChangeLogReader _log;
    private readonly LiveOptions _options;
    private readonly ILogger _logger;
    private int _queued;
    private bool _paused;
    private LiveFilter _filter = LiveFilter.Nothing;
    private long _position;
    private long _lastDelivered;

    public LiveConnection(string id, long position, Func<SerializedHubMessage, Task> write, ChangeLogReader log, LiveOptions options, ILogger logger)
    {
        Id = id;
        _position = position;
        _lastDelivered = position;
        _write = write;
        _log = log;
        _options = options;
        _logger = logger;
        Pump = Task.Run(PumpAsync);
    }

    public string Id { get; }

    public Task Pump { get; }

    public long Delivered { get; private set; }

    /// <summary>Called by the publisher for every event, in sequence order. Never blocks.</summary>
    public void Offer(ChangeEvent e)
    {
        lock (_gate)
        {
            if (_paused) return;
            if (_queued >= _options.ConnectionBuffer)
            {
                _paused = true;
                _work.Writer.TryWrite(Overflow.Instance);
                return;
            }
            _queued++;
            _work.Writer.TryWrite(new Queued(e, Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>Queues a (re)subscription; events offered after this call are judged by the new filter.</summary>
    public void Subscribe(LiveFilter filter, long? since)
    {
        lock (_gate)
        {
            _paused = false;
            _work.Writer.TryWrite(new Subscription(filter, since));
        }
    }

    public void Complete() => _work.Writer.TryComplete();

    private async Task PumpAsync()
    {
        var dropping = false;
        try
        {
            await foreach (var item in _work.Reader.ReadAllAsync())
            {
                switch (item)
                {
                    case Queued(var e, var offeredAt):
                        Interlocked.Decrement(ref _queued);
                        if (dropping || e.Seq <= _position) continue;
                        _position = e.Seq;
                        var delivery = _filter.Decide(e);
                        if (delivery == Delivery.Skip) break;
                        LiveMetrics.QueueDelay.Record(Stopwatch.GetElapsedTime(offeredAt).TotalMilliseconds);
                        await DeliverAsync(e, delivery);
                        break;
                    case Overflow:
                        dropping = true;
                        await SendResyncAsync(new ResyncNotice("too_slow", _lastDelivered, SnapshotRequired: false));
                        break;
                    case Subscription s:
                        dropping = false;
                        await ApplyUntilDoneAsync(s);
                        break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Live delivery to {Connection} stopped.", Id);
        }
    }

    /// <summary>
    /// A replay needs the database. While it is away (restart, failover) the subscription is retried with back-off —
    /// the client stays connected and gets its replay once the database is back — instead of ending this pump. Events
    /// offered meanwhile wait in the queue (bounded by ConnectionBuffer, as always).
    /// </summary>
    private async Task ApplyUntilDoneAsync(Subscription s)
    {
        var previous = _filter;
        _filter = s.Filter;
        if (s.Since is not { } since) return;
        var replay = new Replay(since);
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await ReplayAsync(s.Filter, previous, replay);
                return;
            }
            catch (Exception e) when (Infrastructure.Database.DatabaseErrors.IsUnavailable(e) && !_work.Reader.Completion.IsCompleted)
            {
                _logger.LogInformation("Replay for {Connection} waits for the database ({Error}); retrying in {Delay}.", Id, e.Message, delay);
                await Task.Delay(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    /// <summary>Replays the log after the client's since, resuming after what an interrupted attempt already handled.</summary>
    private async Task ReplayAsync(LiveFilter filter, LiveFilter previous, Replay replay)
    {
        var since = replay.Since;
        var (head, oldest) = await _log.PositionAsync(CancellationToken.None);
        var reason = since > head ? "unknown_position" : head - since > _options.MaxReplay ? "gap_too_large" : since < oldest - 1 ? "log_expired" : null;
        if (reason is not null)
        {
            _position = Math.Max(_position, head);
            await SendResyncAsync(new ResyncNotice(reason, since, SnapshotRequired: true));
            return;
        }
        const int page = 1_000;
        List<ChangeEvent> batch;
        do
        {
            batch = await _log.ReadAfterAsync(replay.Cursor, page, CancellationToken.None);
            foreach (var e in batch)
            {
                var alreadySent = e.Seq <= _position && previous.Matches(e);
                var delivery = filter.Decide(e);
                if (!alreadySent && delivery != Delivery.Skip) await DeliverAsync(e, delivery);
                replay.Cursor = e.Seq;
            }
        }
        while (batch.Count == page);
        var cursor = replay.Cursor;
        // the log is dense and in commit order, so everything up to cursor has been seen: skip it in the queue
        _position = Math.Max(_position, cursor);
    }

    private async Task DeliverAsync(ChangeEvent e, Delivery delivery)
    {
        await _write(delivery == Delivery.Remove ? e.RemovalMessage : e.Message);
        LiveMetrics.Delivered.Add(1);
        _lastDelivered = e.Seq;
        Delivered++;
    }

    private Task SendResyncAsync(ResyncNotice notice)
    {
        LiveMetrics.Resyncs.Add(1, new KeyValuePair<string, object?>("reason", notice.Reason));
        return _write(LiveConnections.ResyncMessage(notice));
    }

    private sealed record Subscription(LiveFilter Filter, long? Since);

    /// <summary>A replay's progress: the client's since and the last sequence number handled so far.</summary>
    private sealed class Replay(long since)
    {
        public long Since { get; } = since;

        public long Cursor { get; set; } = since;
    }

    private sealed record Queued(ChangeEvent Event, long OfferedAt);

    private sealed class Overflow
    {
        public static readonly Overflow Instance = new();
    }
}
