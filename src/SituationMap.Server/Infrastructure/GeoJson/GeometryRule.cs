using NetTopologySuite.Geometries;

namespace SituationMap.Server.Infrastructure.GeoJson;

/// <summary>
/// Which GeoJSON geometry types a layer accepts and what it stores. A Polygon sent to a MultiPolygon layer (or a
/// LineString to a MultiLineString layer) is promoted; anything else is refused with the accepted types named.
/// </summary>
public sealed record GeometryRule(string StoredType, IReadOnlyList<string> AcceptedTypes, int MaxVertices = 100_000)
{
    public static readonly GeometryRule Point = new("Point", ["Point"], 1);
    public static readonly GeometryRule Lines = new("MultiLineString", ["LineString", "MultiLineString"]);
    public static readonly GeometryRule Areas = new("MultiPolygon", ["Polygon", "MultiPolygon"]);

    public NetTopologySuite.Geometries.Geometry Normalise(NetTopologySuite.Geometries.Geometry g) => (StoredType, g) switch
    {
        ("MultiPolygon", Polygon p) => p.Factory.CreateMultiPolygon([p]),
        ("MultiLineString", LineString l) => l.Factory.CreateMultiLineString([l]),
        _ => g,
    };
}
