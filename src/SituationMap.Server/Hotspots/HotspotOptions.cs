namespace SituationMap.Server.Hotspots;

/// <summary>Configuration section "Hotspots".</summary>
public sealed class HotspotOptions
{
    /// <summary>How often the default views are recomputed when incidents changed (and clients told).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
