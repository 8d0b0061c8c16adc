using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Patrols;

public sealed class PatrolRoute : ILayerEntity
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public PatrolLevel Level { get; set; }

    public PatrolMode Mode { get; set; }

    [JsonPropertyName("geom")]
    public MultiLineString Geometry { get; set; } = null!;

    public string? OwnerUnit { get; set; }

    public List<ShiftWindow> ShiftWindows { get; set; } = [];

    public PatrolRouteStatus Status { get; set; }

    public string? District { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
