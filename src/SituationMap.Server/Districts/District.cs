using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Districts;

/// <summary>An administrative area used to aggregate, scope and label everything else. Code is unique and stable.</summary>
public sealed class District : ILayerEntity
{
    public long Id { get; set; }

    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string? NameEn { get; set; }

    [JsonPropertyName("geom")]
    public MultiPolygon Area { get; set; } = null!;

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
