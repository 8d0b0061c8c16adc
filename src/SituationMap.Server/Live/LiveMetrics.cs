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

    public static readonly Counter<long> Delivered = Meter.CreateCounter<long>("situationmap.live.delivered", "{event}");

    public static readonly Counter<long> Resyncs = Meter.CreateCounter<long>("situationmap.live.resyncs", "{notice}");
}
