using System.Diagnostics.Metrics;

namespace SituationMap.Server.Cluster;

/// <summary>Cluster instruments (meter "SituationMap.Cluster"), exported with the others at /metrics.</summary>
public static class ClusterMetrics
{
    public static readonly Meter Meter = new("SituationMap.Cluster");

    public static readonly Counter<long> LeaderChanges = Meter.CreateCounter<long>("situationmap.cluster.leader_changes", "{change}");

    /// <summary>Requests answered 503 because the database was unreachable (nothing was written).</summary>
    public static readonly Counter<long> Unavailable = Meter.CreateCounter<long>("situationmap.cluster.database_unavailable", "{request}");
}
