namespace SituationMap.Server.Live;

/// <summary>Configuration section "Live".</summary>
public sealed class LiveOptions
{
    /// <summary>Events waiting for one connection before it is declared too slow and told to resync.</summary>
    public int ConnectionBuffer { get; set; } = 5_000;

    /// <summary>The most events replayed for one subscription; beyond that the client reloads over HTTP.</summary>
    public int MaxReplay { get; set; } = 100_000;

    /// <summary>How long change-log rows are kept (replay horizon).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Poll interval when no NOTIFY arrives (covers lost notifications and other writers).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
