using NetTopologySuite.Geometries;

namespace SituationMap.Server.Buildings;

/// <summary>
/// A building footprint: reference data for the basemap and for camera coverage (buildings block cameras' sight).
/// Loaded by the seed command (the demo city) or imported; Polygon or MultiPolygon, courtyards as holes.
/// </summary>
public sealed class Building
{
    public long Id { get; set; }

    /// <summary>The source's identifier (the demo city's B000001…, an OSM way id…), unique per source.</summary>
    public string? Ref { get; set; }

    public string Source { get; set; } = "";

    /// <summary>residential, commercial, industrial, public, other.</summary>
    public string Kind { get; set; } = "other";

    public int? Levels { get; set; }

    public double? HeightM { get; set; }

    public string? District { get; set; }

    public MultiPolygon Geometry { get; set; } = null!;
}
