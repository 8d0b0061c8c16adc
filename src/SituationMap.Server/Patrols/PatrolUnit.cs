using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Patrols;

/// <summary>A patrol unit (a car, a foot or bicycle team): a resource with a position, not a person.</summary>
public sealed class PatrolUnit : ILayerEntity
{
    public long Id { get; set; }

    public string CallSign { get; set; } = "";

    public PatrolLevel Level { get; set; }

    public PatrolMode Mode { get; set; }

    public PatrolUnitStatus Status { get; set; }

    public string? District { get; set; }

    /// <summary>Last reported position; null until the unit reports.</summary>
    [JsonPropertyName("geom")]
    public Point? Position { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    public double? SpeedMps { get; set; }

    /// <summary>Degrees clockwise from north, [0, 360).</summary>
    public double? HeadingDeg { get; set; }

    /// <summary>The incident the unit was dispatched to while busy (cleared when the unit is no longer busy).</summary>
    public long? AssignedIncidentId { get; set; }

    /// <summary>The patrol route the unit is assigned to, if any.</summary>
    public long? RouteId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
