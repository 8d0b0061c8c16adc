using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Precision;
using SituationMap.Analysis.Geometry;

namespace SituationMap.DemoCity;

/// <summary>
/// Turns metric geometries into the WGS84 output geometries (<see cref="Wgs84.Factory"/>), rounding every
/// coordinate to 7 decimals (about 1 cm) so that the layers, the export and the database hold the same numbers.
/// Equal metric coordinates give equal output coordinates, so shared junctions and district edges stay shared.
/// </summary>
internal sealed class Wgs84Output(MetricProjection projection)
{
    public const int Decimals = 7;

    private static readonly PrecisionModel Precision = new(1e7);

    public MetricProjection Projection { get; } = projection;

    public static double Round(double degrees) => Math.Round(degrees, Decimals, MidpointRounding.AwayFromZero);

    public Coordinate ToWgs84(Coordinate metric)
    {
        var c = Projection.ToWgs84(metric.X, metric.Y);
        return new Coordinate(Round(c.X), Round(c.Y));
    }

    public Point Point(Coordinate metric) => Wgs84.Factory.CreatePoint(ToWgs84(metric));

    public LineString Line(IReadOnlyList<Coordinate> metric) => Wgs84.Factory.CreateLineString(metric.Select(ToWgs84).ToArray());

    public MultiLineString Lines(IEnumerable<IReadOnlyList<Coordinate>> metric) =>
        Wgs84.Factory.CreateMultiLineString(metric.Select(Line).ToArray());

    /// <summary>A metric polygon (holes kept) as a WGS84 polygon; snap-rounded if rounding made it invalid.</summary>
    public Polygon Polygon(Polygon metric)
    {
        var shell = Wgs84.Factory.CreateLinearRing(metric.ExteriorRing.Coordinates.Select(ToWgs84).ToArray());
        var holes = metric.InteriorRings.Select(h => Wgs84.Factory.CreateLinearRing(h.Coordinates.Select(ToWgs84).ToArray())).ToArray();
        var result = Wgs84.Factory.CreatePolygon(shell, holes);
        if (result.IsValid) return result;
        return PolygonExtracter.GetPolygons(GeometryPrecisionReducer.Reduce(result, Precision)).Cast<Polygon>().MaxBy(p => p.Area)!;
    }

    /// <summary>A polygonal metric geometry as a valid WGS84 MultiPolygon.</summary>
    public MultiPolygon Area(Geometry metric)
    {
        var polygons = PolygonExtracter.GetPolygons(metric).Cast<Polygon>().Select(p =>
        {
            var shell = Wgs84.Factory.CreateLinearRing(p.ExteriorRing.Coordinates.Select(ToWgs84).ToArray());
            var holes = p.InteriorRings.Select(h => Wgs84.Factory.CreateLinearRing(h.Coordinates.Select(ToWgs84).ToArray())).ToArray();
            return Wgs84.Factory.CreatePolygon(shell, holes);
        }).ToArray();
        var result = Wgs84.Factory.CreateMultiPolygon(polygons);
        if (result.IsValid) return result;
        // rounding folded a sliver: snap-round instead (keeps the result valid)
        var reduced = GeometryPrecisionReducer.Reduce(result, Precision);
        return Wgs84.Factory.CreateMultiPolygon(PolygonExtracter.GetPolygons(reduced).Cast<Polygon>().ToArray());
    }

    /// <summary>Compass heading (degrees, 0 = true north, clockwise, [0, 360), 0.1° steps) from one metric point towards
    /// another. Uses true north, not UTM grid north (they differ by about 1.4° here).</summary>
    public double Heading(Coordinate fromMetric, Coordinate toMetric)
    {
        var a = Projection.ToWgs84(fromMetric.X, fromMetric.Y);
        var b = Projection.ToWgs84(toMetric.X, toMetric.Y);
        return CompassBearing(a, b);
    }

    /// <summary>Initial great-circle bearing from a to b (longitude/latitude degrees), rounded to 0.1° in [0, 360).</summary>
    public static double CompassBearing(Coordinate a, Coordinate b)
    {
        const double ToRad = Math.PI / 180;
        var (phi1, phi2) = (a.Y * ToRad, b.Y * ToRad);
        var dLambda = (b.X - a.X) * ToRad;
        var y = Math.Sin(dLambda) * Math.Cos(phi2);
        var x = (Math.Cos(phi1) * Math.Sin(phi2)) - (Math.Sin(phi1) * Math.Cos(phi2) * Math.Cos(dLambda));
        return NormaliseHeading(Math.Atan2(y, x) / ToRad);
    }

    public static double NormaliseHeading(double degrees)
    {
        var h = Math.Round(((degrees % 360) + 360) % 360, 1, MidpointRounding.AwayFromZero);
        return h >= 360 ? 0 : h;
    }
}
