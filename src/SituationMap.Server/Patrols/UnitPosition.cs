using NetTopologySuite.Geometries;

namespace SituationMap.Server.Patrols;

/// <summary>One point of a unit's track. Append-only (the trigger in Patrols/unit_positions_append_only.sql refuses UPDATE and
/// DELETE; rows go only with their unit); indexed by (unit_id, recorded_at), recorded_at (BRIN) and geom (GiST).</summary>
public sealed class UnitPosition
{
    public long Id { get; set; }

    public long UnitId { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public Point Location { get; set; } = null!;

    public double? SpeedMps { get; set; }

    public double? HeadingDeg { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
