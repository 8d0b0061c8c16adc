using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace SituationMap.Analysis.Coverage;

/// <summary>
/// Polygon overlay that does not give up: OverlayNG with its own robustness chain (floating, snapping, snap-rounding),
/// then, if that still throws, the inputs repaired (<see cref="GeometryFixer"/>, the modern buffer(0)) and overlaid
/// again on a 1 mm fixed precision grid. Results keep only their polygonal parts.
/// </summary>
public static class RobustOverlay
{
    private static readonly PrecisionModel Millimetre = new(1000);

    public static NetTopologySuite.Geometries.Geometry Union(IReadOnlyCollection<NetTopologySuite.Geometries.Geometry> geometries, GeometryFactory factory)
    {
        if (geometries.Count == 0) return factory.CreatePolygon();
        if (geometries.Count == 1) return geometries.First();
        try
        {
            return Polygonal(OverlayNGRobust.Union(geometries, factory), factory);
        }
        catch (TopologyException)
        {
            var fixedParts = geometries.Select(g => GeometryFixer.Fix(g)).ToList();
            return Polygonal(UnaryUnionNG.Union(factory.BuildGeometry(fixedParts), Millimetre), factory);
        }
    }

    public static NetTopologySuite.Geometries.Geometry Intersection(NetTopologySuite.Geometries.Geometry a, NetTopologySuite.Geometries.Geometry b) =>
        Overlay(a, b, SpatialFunction.Intersection);

    public static NetTopologySuite.Geometries.Geometry Difference(NetTopologySuite.Geometries.Geometry a, NetTopologySuite.Geometries.Geometry b) =>
        Overlay(a, b, SpatialFunction.Difference);

    private static NetTopologySuite.Geometries.Geometry Overlay(NetTopologySuite.Geometries.Geometry a, NetTopologySuite.Geometries.Geometry b, SpatialFunction function)
    {
        try
        {
            return Polygonal(OverlayNGRobust.Overlay(a, b, function), a.Factory);
        }
        catch (TopologyException)
        {
            return Polygonal(OverlayNG.Overlay(GeometryFixer.Fix(a), GeometryFixer.Fix(b), function, Millimetre), a.Factory);
        }
    }

    /// <summary>The polygonal parts of a geometry (lines and points from degenerate overlays dropped).</summary>
    public static NetTopologySuite.Geometries.Geometry Polygonal(NetTopologySuite.Geometries.Geometry geometry, GeometryFactory factory)
    {
        if (geometry is Polygon or MultiPolygon) return geometry;
        var polygons = Flatten(geometry).ToList();
        return polygons.Count switch
        {
            0 => factory.CreatePolygon(),
            1 => polygons[0],
            _ => factory.CreateMultiPolygon([.. polygons]),
        };
    }

    private static IEnumerable<Polygon> Flatten(NetTopologySuite.Geometries.Geometry geometry)
    {
        if (geometry is Polygon polygon)
        {
            if (!polygon.IsEmpty) yield return polygon;
            yield break;
        }
        if (geometry is not GeometryCollection collection) yield break;
        foreach (var part in collection.Geometries)
        {
            foreach (var p in Flatten(part)) yield return p;
        }
    }
}
