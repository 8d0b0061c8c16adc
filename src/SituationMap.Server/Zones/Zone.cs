using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Zones;

public sealed class Zone : ILayerEntity, IExternallyKeyed
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string? NameEn { get; set; }

    public ZoneKind Kind { get; set; }

    /// <summary>1 (low) … 4 (very high).</summary>
    public int RiskLevel { get; set; }

    /// <summary>Required video coverage as a fraction of the area, [0, 1]; defaults by kind (see CoverageTargets).</summary>
    public double? CoverageTarget { get; set; }

    public string? District { get; set; }

    /// <summary>The system the row came from ("api" for rows made in SituationMap, else the import's source).</summary>
    public string Source { get; set; } = "api";

    /// <summary>The row's id in <see cref="Source"/>; unique per source where set (imports update instead of duplicating).</summary>
    public string? ExternalId { get; set; }

    [JsonPropertyName("geom")]
    public MultiPolygon Area { get; set; } = null!;

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
