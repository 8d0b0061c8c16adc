namespace SituationMap.Server.Live;

/// <summary>
/// One committed change, written by the trigger <c>sm_log_change</c> in the same transaction as the change itself.
/// <see cref="Seq"/> comes from the single-row counter <c>change_log_head</c>, so it is dense (1, 2, 3 … with no
/// gaps, even when transactions roll back) and in commit order (the counter row is locked until commit).
/// </summary>
public sealed class ChangeLogEntry
{
    public long Seq { get; set; }

    public DateTimeOffset CommittedAt { get; set; }

    /// <summary>Layer name (incidents, cameras, patrol_routes, patrol_units, zones, districts).</summary>
    public string Layer { get; set; } = "";

    /// <summary>created, updated, deleted, moved, status_changed or reloaded.</summary>
    public string Kind { get; set; } = "";

    public long FeatureId { get; set; }

    /// <summary>[district before, district after] (null where there is none), for district-scoped delivery.</summary>
    public string?[] Districts { get; set; } = [];

    /// <summary>Bounding box (WGS84 degrees) of the old and the new geometry together; null for layer-wide events.</summary>
    public double? MinX { get; set; }

    public double? MinY { get; set; }

    public double? MaxX { get; set; }

    public double? MaxY { get; set; }

    /// <summary>The row after the change as JSON (column names as keys, geometries as GeoJSON); null for deletes.</summary>
    public string? Row { get; set; }
}
