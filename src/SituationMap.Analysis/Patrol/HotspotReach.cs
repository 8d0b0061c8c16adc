using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Patrol;

/// <summary>A patrol route for reach analysis: its level, mode and lines (LineString or MultiLineString, metres).</summary>
public sealed record PatrolRouteLine(string Id, PatrolLevel Level, PatrolMode Mode, NetTopologySuite.Geometries.Geometry Geometry);

/// <summary>What the reach limit measures: travel seconds of the route's mode, or metres along the roads the mode may use.</summary>
public enum ReachMeasure
{
    TravelSeconds,
    NetworkMetres,
}

/// <summary>
/// One level's reach: the hot cells within the limit of any of its routes (ids in input order), out of all cells;
/// <see cref="Share"/> by count, <see cref="PriorityShare"/> weighted by priority (0 when there are none).
/// </summary>
public sealed record LevelReach(PatrolLevel Level, int RouteCount, IReadOnlyList<string> CellsReached, int TotalCells, double PriorityReached, double PriorityTotal)
{
    public double Share => TotalCells > 0 ? (double)CellsReached.Count / TotalCells : 0;

    public double PriorityShare => PriorityTotal > 0 ? PriorityReached / PriorityTotal : 0;
}

/// <summary>One cell: per level that reaches it, the nearest route's seconds or metres (only values within the limit).</summary>
public sealed record CellReach(string CellId, IReadOnlyDictionary<PatrolLevel, double> ByLevel);

/// <summary>Per level (city, district, community, always all three), per cell in input order, and the cells no level reaches.</summary>
public sealed record HotspotReachReport(ReachMeasure Measure, double Limit, IReadOnlyList<LevelReach> Levels, IReadOnlyList<CellReach> Cells,
    IReadOnlyList<string> ReachedByNoLevel);

/// <summary>
/// Hotspot coverage of routes: which hot cells lie within a travel time (or network distance) of each level's routes,
/// travelling by the route's mode (vehicle → car, bicycle, foot).
/// <para><b>Semantics.</b> Each route is sampled every ≤ 20 m along each part (equal steps, ends included) and every sample
/// is snapped to the nearest road the mode may use within <c>routeSnapM</c> (default 25 m; samples farther from any such
/// road are ignored). Per level and mode, one multi-source Dijkstra over the mode's arcs starts at all those road
/// positions (entering the graph through both ends of their edge with partial times, as <see cref="RoadGraph.Departures"/>)
/// and stops at the limit. A cell's centroid is snapped the same way within <c>cellSnapM</c> (default 250 m; a cell with
/// no road that near is reached by nothing); the cell is reached when that road point is within the limit: at 0 when the
/// route itself passes within <c>routeSnapM</c> of it, else through an end of its edge (<see cref="RoadGraph.Arrivals"/>)
/// or directly along the edge from a route sample's position on it. The way
/// from the road to the centroid itself is not counted. Oneways count: the reach is from the route to the cell.</para>
/// <para><b>Cost:</b> per level and mode one snap per route sample, one limited Dijkstra (O((V + A) log V) at most),
/// and one snap per cell.</para>
/// </summary>
public static class HotspotReach
{
    public const double DefaultRouteSnapM = 25;

    public const double DefaultCellSnapM = 250;

    public const double SampleM = 20;

    private static readonly PatrolLevel[] AllLevels = [PatrolLevel.City, PatrolLevel.District, PatrolLevel.Community];

    /// <summary>The reach of each level's routes to the cells within <paramref name="limit"/> (seconds or metres).</summary>
    public static HotspotReachReport Compute(RoadGraph graph, IReadOnlyList<HotCellTarget> cells, IReadOnlyList<PatrolRouteLine> routes,
        double limit, ReachMeasure measure = ReachMeasure.TravelSeconds, double routeSnapM = DefaultRouteSnapM, double cellSnapM = DefaultCellSnapM)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(routes);
        if (!(limit >= 0) || !double.IsFinite(limit)) throw new ArgumentOutOfRangeException(nameof(limit));
        var byLevel = new Dictionary<PatrolLevel, double>[cells.Count];
        for (var c = 0; c < cells.Count; c++) byLevel[c] = [];
        var snapped = new Dictionary<TravelMode, RoadPosition?[]>();
        RoadPosition?[] CellPositions(TravelMode mode)
        {
            if (!snapped.TryGetValue(mode, out var positions))
            {
                positions = [.. cells.Select(c => graph.Snap(c.Centroid, mode, cellSnapM))];
                snapped[mode] = positions;
            }
            return positions;
        }
        foreach (var group in routes.GroupBy(r => (r.Level, Mode: r.Mode.ToTravelMode())))
        {
            var (level, mode) = group.Key;
            var sources = group.SelectMany(r => Samples(r.Geometry)).Select(p => graph.Snap(p, mode, routeSnapM))
                .OfType<RoadPosition>().ToList();
            if (sources.Count == 0) continue;
            var reach = Search(graph, mode, measure, sources, limit);
            var onEdge = sources.Where(s => s.Edge >= 0).ToLookup(s => s.Edge);
            var positions = CellPositions(mode);
            var lines = group.Select(r => r.Geometry).ToList();
            for (var c = 0; c < cells.Count; c++)
            {
                if (positions[c] is not { } target) continue;
                var point = lines[0].Factory.CreatePoint(target.Point);
                var best = lines.Any(l => l.IsWithinDistance(point, routeSnapM)) ? 0 : double.PositiveInfinity;
                foreach (var (node, s) in graph.Arrivals(target, mode)) best = Math.Min(best, reach[node] + Scale(graph, measure, target, node, s));
                if (target.Edge >= 0)
                {
                    foreach (var source in onEdge[target.Edge])
                    {
                        var seconds = graph.SameEdgeTime(source, target, mode);
                        if (!double.IsFinite(seconds)) continue;
                        best = Math.Min(best, measure == ReachMeasure.TravelSeconds ? seconds
                            : Math.Abs(target.Offset - source.Offset));
                    }
                }
                if (best <= limit && (!byLevel[c].TryGetValue(level, out var old) || best < old)) byLevel[c][level] = best;
            }
        }
        var levels = AllLevels.Select(level =>
        {
            var reached = Enumerable.Range(0, cells.Count).Where(c => byLevel[c].ContainsKey(level)).ToList();
            return new LevelReach(level, routes.Count(r => r.Level == level), [.. reached.Select(c => cells[c].Id)], cells.Count,
                reached.Sum(c => cells[c].Priority), cells.Sum(c => c.Priority));
        }).ToList();
        return new HotspotReachReport(measure, limit, levels,
            [.. cells.Select((cell, c) => new CellReach(cell.Id, byLevel[c]))],
            [.. Enumerable.Range(0, cells.Count).Where(c => byLevel[c].Count == 0).Select(c => cells[c].Id)]);
    }

    /// <summary>Points every ≤ <see cref="SampleM"/> along each part of a (multi)line, ends included.</summary>
    internal static IEnumerable<Coordinate> Samples(NetTopologySuite.Geometries.Geometry route)
    {
        ArgumentNullException.ThrowIfNull(route);
        for (var i = 0; i < route.NumGeometries; i++)
        {
            if (route.GetGeometryN(i) is not LineString { IsEmpty: false } line) continue;
            if (line.Length <= 0)
            {
                yield return line.StartPoint.Coordinate;
                continue;
            }
            var indexed = new LengthIndexedLine(line);
            var n = (int)Math.Ceiling(line.Length / SampleM);
            for (var k = 0; k <= n; k++) yield return indexed.ExtractPoint(line.Length * k / n);
        }
    }

    /// <summary>Seconds (the graph's arc weights) or metres (edge lengths) from the sources to every node, +∞ beyond the limit.</summary>
    private static double[] Search(RoadGraph graph, TravelMode mode, ReachMeasure measure, List<RoadPosition> sources, double limit)
    {
        var starts = sources.SelectMany(s => graph.Departures(s, mode).Select(d => (d.Node, Scale(graph, measure, s, d.Node, d.Seconds))));
        if (measure == ReachMeasure.TravelSeconds) return Dijkstra.Search(graph, mode, starts, limit).Seconds;
        var arcs = graph.Out(mode);
        var metres = new double[graph.NodeCount];
        Array.Fill(metres, double.PositiveInfinity);
        var queue = new PriorityQueue<int, double>();
        foreach (var (node, m) in starts)
        {
            if (m <= limit && m < metres[node]) { metres[node] = m; queue.Enqueue(node, m); }
        }
        while (queue.TryDequeue(out var v, out var d))
        {
            if (d > metres[v]) continue;
            for (var a = arcs.First[v]; a < arcs.First[v + 1]; a++)
            {
                var w = arcs.Node[a];
                var nd = d + graph.EdgeLength[arcs.Edge[a]];
                if (nd < metres[w] && nd <= limit) { metres[w] = nd; queue.Enqueue(w, nd); }
            }
        }
        return metres;
    }

    /// <summary>A departure/arrival's seconds as given, or in metres: the part of the position's edge between it and the node.</summary>
    private static double Scale(RoadGraph graph, ReachMeasure measure, RoadPosition position, int node, double seconds)
    {
        if (measure == ReachMeasure.TravelSeconds || seconds == 0 || position.Edge < 0) return measure == ReachMeasure.TravelSeconds ? seconds : 0;
        var length = graph.EdgeLength[position.Edge];
        return node == graph.EdgeTo[position.Edge] ? length - position.Offset : position.Offset;
    }
}
