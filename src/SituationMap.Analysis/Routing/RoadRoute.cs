using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace SituationMap.Analysis.Routing;

/// <summary>
/// A route between two positions on the road graph: travel seconds for the hierarchy's mode, length in metres and the
/// road geometry in the graph's metric plane, starting at <paramref name="From"/>'s point on the road and ending at
/// <paramref name="To"/>'s (partial edges at both ends, whole edges oriented in the direction of travel between).
/// </summary>
public sealed record RoadRoute(double Seconds, double LengthM, LineString Geometry, RoadPosition From, RoadPosition To);

/// <summary>Routes with their geometry, from a <see cref="ContractionHierarchy"/>.</summary>
public static class RoadRoutes
{
    /// <summary>
    /// The fastest route from one position to another, or null when the target cannot be reached. Exact: every way
    /// into the graph from <paramref name="from"/> (<see cref="RoadGraph.Departures"/>) is combined with every way out
    /// to <paramref name="to"/> (<see cref="RoadGraph.Arrivals"/>) through a hierarchy path (at most 3 × 3 queries),
    /// and the direct way along a shared edge is considered too; so the seconds equal
    /// <see cref="ContractionHierarchy.TravelTime(RoadPosition, RoadPosition)"/>.
    /// </summary>
    public static RoadRoute? Between(ContractionHierarchy hierarchy, RoadPosition from, RoadPosition to)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var graph = hierarchy.Graph;
        var mode = hierarchy.Mode;
        var best = graph.SameEdgeTime(from, to, mode);
        RoutePath? bestPath = null;
        var (bestDeparture, bestArrival) = (-1, -1);
        foreach (var (d, ds) in graph.Departures(from, mode))
        {
            foreach (var (a, @as) in graph.Arrivals(to, mode))
            {
                if (ds + @as >= best) continue;
                var path = hierarchy.Path(d, a);
                if (path is null || ds + path.Seconds + @as >= best) continue;
                (best, bestPath, bestDeparture, bestArrival) = (ds + path.Seconds + @as, path, d, a);
            }
        }
        if (double.IsPositiveInfinity(best)) return null;

        var coordinates = new CoordinateList();
        var length = 0.0;
        void Add(LineString piece)
        {
            coordinates.Add(piece.Coordinates, allowRepeated: false);
            length += piece.Length;
        }
        if (bestPath is null)
        {
            Add(Piece(graph, from.Edge, from.Offset, to.Offset));
        }
        else
        {
            if (from.Edge >= 0 && from.Node != bestDeparture)
            {
                Add(Piece(graph, from.Edge, from.Offset, bestDeparture == graph.EdgeTo[from.Edge] ? graph.EdgeLength[from.Edge] : 0));
            }
            for (var i = 0; i < bestPath.Edges.Count; i++)
            {
                var e = bestPath.Edges[i];
                var forward = graph.EdgeFrom[e] == bestPath.Nodes[i];
                Add(forward ? graph.EdgeGeometry[e] : (LineString)graph.EdgeGeometry[e].Reverse());
            }
            if (to.Edge >= 0 && to.Node != bestArrival)
            {
                Add(Piece(graph, to.Edge, bestArrival == graph.EdgeTo[to.Edge] ? graph.EdgeLength[to.Edge] : 0, to.Offset));
            }
        }
        if (coordinates.Count == 0) coordinates.Add(from.Point.Copy(), true);
        if (coordinates.Count == 1) coordinates.Add(coordinates[0].Copy(), true); // from = to: a line of no length
        var factory = graph.EdgeGeometry.Count > 0 ? graph.EdgeGeometry[0].Factory : new GeometryFactory();
        return new RoadRoute(best, length, factory.CreateLineString(coordinates.ToCoordinateArray()), from, to);
    }

    /// <summary>
    /// A route through the waypoints in order (each leg fastest, <see cref="Between"/>), optionally back to the first;
    /// null (with the index of the first leg that failed) when a leg cannot be driven/walked.
    /// </summary>
    public static (RoadRoute? Route, IReadOnlyList<RoadRoute> Legs, int FailedLeg) Through(ContractionHierarchy hierarchy, IReadOnlyList<RoadPosition> waypoints, bool loop = false)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        ArgumentNullException.ThrowIfNull(waypoints);
        if (waypoints.Count < 2) throw new ArgumentException("at least two waypoints are needed", nameof(waypoints));
        var stops = loop ? [.. waypoints, waypoints[0]] : waypoints;
        var legs = new List<RoadRoute>(stops.Count - 1);
        for (var i = 0; i + 1 < stops.Count; i++)
        {
            if (Between(hierarchy, stops[i], stops[i + 1]) is not { } leg) return (null, legs, i);
            legs.Add(leg);
        }
        var coordinates = new CoordinateList();
        foreach (var leg in legs) coordinates.Add(leg.Geometry.Coordinates, allowRepeated: false);
        if (coordinates.Count == 1) coordinates.Add(coordinates[0].Copy(), true);
        var line = legs[0].Geometry.Factory.CreateLineString(coordinates.ToCoordinateArray());
        return (new RoadRoute(legs.Sum(l => l.Seconds), legs.Sum(l => l.LengthM), line, stops[0], stops[^1]), legs, -1);
    }

    private static LineString Piece(RoadGraph graph, int edge, double start, double end) =>
        (LineString)new LengthIndexedLine(graph.EdgeGeometry[edge]).ExtractLine(start, end);
}
