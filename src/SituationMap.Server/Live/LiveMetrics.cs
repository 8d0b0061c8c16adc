using System.Diagnostics.Metrics;

namespace SituationMap.Server.Live;

/// <summary>
/// Live-delivery instruments (meter "SituationMap.Live"), readable with dotnet-counters or an OpenTelemetry exporter:
/// how far the stream runs behind the change log, how long events wait for their connection, deliveries, resyncs.
/// </summary>
public static class LiveMetrics
{
    public static readonly Meter Meter = new("SituationMap.Live");

    /// <summary>From the change being logged (just before its commit) to this server publishing it to its connections.</summary>
    public static readonly Histogram<double> FeedLag = Meter.CreateHistogram<double>("situationmap.live.feed_lag", "ms");

    /// <summary>From publication to the connection's pump picking the event up (matching events only).</summary>
    public static readonly Histogram<double> QueueDelay = Meter.CreateHistogram<double>("situationmap.live.queue_delay", "ms");

    /// <summary>Changes this node read from the log and offered to its connections.</summary>
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("situationmap.live.published", "{event}");

    public static readonly Counter<long> Delivered = Meter.CreateCounter<long>("situationmap.live.delivered", "{event}");

    public static readonly Counter<long> Resyncs = Meter.CreateCounter<long>("situationmap.live.resyncs", "{notice}");

    private static Func<int> _connections = () => 0;
    private static Func<long> _behind = () => 0;

    static LiveMetrics()
    {
        Meter.CreateObservableGauge("situationmap.live.connections", () => _connections(), "{connection}", "Live hub connections held by this node.");
        Meter.CreateObservableGauge("situationmap.live.feed_behind", () => _behind(), "{event}",
            "Changes committed (announced by NOTIFY) that this node has not yet published: the live stream's lag behind the change log.");
    }

    /// <summary>Points the gauges at this process's server (one per process outside tests).</summary>
    public static void Track(LiveConnections connections, ChangeFeed feed)
    {
        _connections = () => connections.Count;
        _behind = () => feed.Behind;
    }
}
