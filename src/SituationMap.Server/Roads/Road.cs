using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;

namespace SituationMap.Server.Roads;

/// <summary>A road segment (reference data for the basemap and routing). Class is the OpenStreetMap highway value.</summary>
public sealed class Road
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string? NameEn { get; set; }

    public string Class { get; set; } = "";

    public bool OneWay { get; set; }

    public int? MaxSpeedKmh { get; set; }

    [JsonPropertyName("geom")]
    public LineString Geometry { get; set; } = null!;
}
