using System.Threading.Channels;

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
    private readonly Func<LiveChange, Task> _send;
    private readonly Func<ResyncNotice, Task> _sendResync;
    private readonly ChangeLogReader _log;
    private readonly LiveOptions _options;
    private readonly ILogger _logger;
    private int _queued;
    private bool _paused;
    private LiveFilter _filter = LiveFilter.Nothing;
    private long _position;
    private long _lastDelivered;

    public LiveConnection(string id, long position, Func<LiveChange, Task> send, Func<ResyncNotice, Task> sendResync,
        ChangeLogReader log, LiveOptions options, ILogger logger)
    {
        Id = id;
        _position = position;
        _lastDelivered = position;
        _send = send;
        _sendResync = sendResync;
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
            _work.Writer.TryWrite(e);
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
                    case ChangeEvent e:
                        Interlocked.Decrement(ref _queued);
                        if (dropping || e.Seq <= _position) continue;
                        _position = e.Seq;
                        if (_filter.Matches(e)) await DeliverAsync(e.Change);
                        break;
                    case Overflow:
                        dropping = true;
                        await _sendResync(new ResyncNotice("too_slow", _lastDelivered, SnapshotRequired: false));
                        break;
                    case Subscription s:
                        dropping = false;
                        await ApplyAsync(s);
                        break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Live delivery to {Connection} stopped.", Id);
        }
    }

    private async Task ApplyAsync(Subscription s)
    {
        var previous = _filter;
        _filter = s.Filter;
        if (s.Since is not { } since) return;
        var (head, oldest) = await _log.PositionAsync(CancellationToken.None);
        var reason = since > head ? "unknown_position" : head - since > _options.MaxReplay ? "gap_too_large" : since < oldest - 1 ? "log_expired" : null;
        if (reason is not null)
        {
            _position = Math.Max(_position, head);
            await _sendResync(new ResyncNotice(reason, since, SnapshotRequired: true));
            return;
        }
        const int page = 1_000;
        var cursor = since;
        List<ChangeEvent> batch;
        do
        {
            batch = await _log.ReadAfterAsync(cursor, page, CancellationToken.None);
            foreach (var e in batch)
            {
                var alreadySent = e.Seq <= _position && previous.Matches(e);
                if (!alreadySent && s.Filter.Matches(e)) await DeliverAsync(e.Change);
                cursor = e.Seq;
            }
        }
        while (batch.Count == page);
        // the log is dense and in commit order, so everything up to cursor has been seen: skip it in the queue
        _position = Math.Max(_position, cursor);
    }

    private async Task DeliverAsync(LiveChange change)
    {
        await _send(change);
        _lastDelivered = change.Seq;
        Delivered++;
    }

    private sealed record Subscription(LiveFilter Filter, long? Since);

    private sealed class Overflow
    {
        public static readonly Overflow Instance = new();
    }
}
