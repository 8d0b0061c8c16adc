namespace SituationMap.Server.Cluster;

/// <summary>Configuration section "Cluster": how this process takes part in a deployment of several nodes.</summary>
public sealed class ClusterOptions
{
    /// <summary>This node's name in responses (X-SituationMap-Node), health and logs; default host:pid.</summary>
    public string? NodeName { get; set; }

    /// <summary>StackExchange.Redis configuration of the SignalR backplane (e.g. "127.0.0.1:6379"); unset = one node
    /// without Redis. Live changes never depend on it (every node follows the change log); cluster-wide notices do.</summary>
    public string? Redis { get; set; }

    /// <summary>How often the leader checks that it still holds the lock, and others try to take it.</summary>
    public TimeSpan LeaderCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>State-changing requests (all accounts together) this node works on at once.</summary>
    public int MaxConcurrentWrites { get; set; } = 64;

    /// <summary>State-changing requests that may wait for a slot; beyond that 429 with Retry-After.</summary>
    public int WriteQueue { get; set; } = 1_024;

    /// <summary>Seconds a client is told to wait (Retry-After) when the database is unavailable.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    public string ResolvedNodeName => string.IsNullOrWhiteSpace(NodeName) ? $"{Environment.MachineName}:{Environment.ProcessId}" : NodeName;
}
