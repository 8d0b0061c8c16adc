using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace SituationMap.Analysis.Geometry;

/// <summary>
/// Moves along a route in a metric plane: the point at a distance from its start (wrapping around for closed loops)
/// and the heading there (degrees clockwise from grid north). Cost: O(log vertices) per query after an O(vertices)
/// set-up.
/// </summary>
public sealed class RouteWalker
{
    private readonly LineString _line;
    private readonly LengthIndexedLine _index;

    public RouteWalker(LineString metricLine)
    {
        ArgumentNullException.ThrowIfNull(metricLine);
        if (metricLine.Length <= 0) throw new ArgumentException("The route has no length.", nameof(metricLine));
        _line = metricLine;
        _index = new LengthIndexedLine(metricLine);
        Length = metricLine.Length;
        IsLoop = metricLine.IsClosed;
    }

    public double Length { get; }

    public bool IsLoop { get; }

    /// <summary>The distance along the route of the point on it nearest to <paramref name="c"/>.</summary>
    public double Locate(Coordinate c) => _index.Project(c);

    /// <summary>The position and heading at <paramref name="distance"/> metres from the start; loops wrap around, open
    /// routes are clamped to their ends. <paramref name="forward"/> false walks the route backwards (heading reversed).</summary>
    public (Coordinate Position, double HeadingDeg) At(double distance, bool forward = true)
    {
        var d = IsLoop ? ((distance % Length) + Length) % Length : Math.Clamp(distance, 0, Length);
        var position = _index.ExtractPoint(d);
        var step = Math.Min(1.0, Length / 1000);
        var ahead = _index.ExtractPoint(Math.Min(d + step, Length));
        var behind = _index.ExtractPoint(Math.Max(d - step, 0));
        var (from, to) = (behind, ahead);
        if (!forward) (from, to) = (to, from);
        var heading = Math.Atan2(to.X - from.X, to.Y - from.Y) * 180 / Math.PI;
        return (position, (heading + 360) % 360);
    }

    /// <summary>The distance from <paramref name="c"/> to the route.</summary>
    public double DistanceTo(Coordinate c) => At(Locate(c)).Position.Distance(c);

    /// <summary>The route passing closest to <paramref name="c"/> (O(routes × log vertices)).</summary>
    public static RouteWalker NearestTo(IEnumerable<RouteWalker> routes, Coordinate c) =>
        routes.MinBy(r => r.DistanceTo(c)) ?? throw new ArgumentException("No routes.", nameof(routes));

    /// <summary>The longest line of a (multi)line route, which is what a unit patrols.</summary>
    public static LineString MainLine(NetTopologySuite.Geometries.Geometry route) => route switch
    {
        LineString l => l,
        MultiLineString m => m.Geometries.Cast<LineString>().MaxBy(l => l.Length) ?? throw new ArgumentException("Empty route."),
        _ => throw new ArgumentException($"A route is a LineString or MultiLineString, not {route.GeometryType}."),
    };
}
