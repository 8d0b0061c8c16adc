using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Linemerge;

namespace SituationMap.Analysis.Routing;

/// <summary>
/// One band of an isochrone set: what can be reached within <paramref name="Seconds"/> from the nearest source.
/// <paramref name="Nodes"/> are the reachable nodes (travel time ≤ Seconds); <paramref name="Pieces"/> the reachable parts
/// of edges, cut at the exact position where the time runs out (travel time proportional to length along an edge);
/// <paramref name="Area"/> (null unless polygons were asked for) is the union of the pieces and reachable nodes
/// buffered by the set's buffer distance, metres.
/// </summary>
public sealed record IsochroneBand(double Seconds, IReadOnlyList<int> Nodes, IReadOnlyList<LineString> Pieces, NetTopologySuite.Geometries.Geometry? Area);

/// <summary>
/// Isochrones from many sources at once (e.g. every unit's 1/3/5-minute reach): one multi-source <see cref="Dijkstra"/>
/// over the mode's forward arcs, limited to the largest band, then per band the reachable edge pieces and optionally a
/// polygon.
/// <para><b>What "inside" means:</b> the polygon of a band is the buffer by <c>bufferM</c> (default
/// <see cref="DefaultBufferM"/>, round joins, 8 segments per quarter circle) of the band's reachable pieces and reachable
/// nodes. So every reachable node is inside (covered), and a point is inside exactly when it is within <c>bufferM</c>
/// of something reachable, up to the buffer's chord approximation (at most bufferM·(1 − cos(π/32)) ≈ 0.24 m for 50 m).
/// In particular every node that is unreachable and farther than bufferM from every reachable piece is outside; an
/// unreachable node closer than that to a reachable street (across a block, or on the wrong side of a oneway) is inside
/// the polygon but not in <see cref="IsochroneBand.Nodes"/>.</para>
/// <para><b>Cost:</b> the search is O((V + A) log V) at most; pieces O(E); a polygon is one buffer per piece and their
/// cascaded OverlayNG union (O(n log n) in the buffers' vertices) — by far the dominant cost on large reaches. Bands are
/// built in parallel.</para>
/// </summary>
public static class Isochrones
{
    public const double DefaultBufferM = 50;

    /// <summary>Segments per quarter circle of the buffers.</summary>
    public const int QuadrantSegments = 8;

    /// <summary>The bands (sorted by seconds) for the sources, with polygons when <paramref name="polygons"/>.</summary>
    public static IReadOnlyList<IsochroneBand> Compute(RoadGraph graph, TravelMode mode, IReadOnlyList<RoadPosition> sources,
        IReadOnlyList<double> bandSeconds, bool polygons = true, double bufferM = DefaultBufferM)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(bandSeconds);
        if (bandSeconds.Any(s => !(s >= 0) || !double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(bandSeconds));
        if (!(bufferM > 0)) throw new ArgumentOutOfRangeException(nameof(bufferM));
        var bands = bandSeconds.Distinct().Order().ToArray();
        if (bands.Length == 0) return [];
        var limit = bands[^1];
        var tree = Dijkstra.Search(graph, mode, sources.SelectMany(s => graph.Departures(s, mode)), limit);
        var onEdge = sources.Where(s => s.Edge >= 0).ToLookup(s => s.Edge);
        var result = new IsochroneBand[bands.Length];
        for (var b = 0; b < bands.Length; b++)
        {
            var seconds = bands[b];
            var nodes = new List<int>();
            for (var v = 0; v < graph.NodeCount; v++) if (tree.Seconds[v] <= seconds) nodes.Add(v);
            result[b] = new IsochroneBand(seconds, nodes, Pieces(graph, mode, tree, onEdge, seconds), null);
        }
        if (polygons)
        {
            var factory = graph.EdgeGeometry.Count > 0 ? graph.EdgeGeometry[0].Factory : new GeometryFactory();
            var parameters = new BufferParameters(QuadrantSegments, EndCapStyle.Round, JoinStyle.Round, 5);
            Parallel.For(0, result.Length, b =>
            {
                var band = result[b];
                // Every reachable node lies on a piece except a start node without arcs: add those as points.
                var arcs = graph.Out(mode);
                // Pieces merged into maximal lines first (fewer, longer buffers to union).
                var merger = new LineMerger();
                merger.Add(band.Pieces);
                var parts = merger.GetMergedLineStrings().Select(p => BufferOp.Buffer(p, bufferM, parameters))
                    .Concat(band.Nodes.Where(v => tree.ParentArc[v] < 0 && arcs.First[v + 1] == arcs.First[v])
                        .Select(v => BufferOp.Buffer(factory.CreatePoint(graph.Nodes[v]), bufferM, parameters)))
                    .ToList();
                result[b] = band with { Area = Coverage.RobustOverlay.Union(parts, factory) };
            });
        }
        return result;
    }

    private static List<LineString> Pieces(RoadGraph graph, TravelMode mode, ShortestPathTree tree, ILookup<int, RoadPosition> onEdge, double seconds)
    {
        var pieces = new List<LineString>();
        var intervals = new List<(double Start, double End)>();
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            intervals.Clear();
            var length = graph.EdgeLength[e];
            var forward = graph.ForwardTime(mode, e);
            var backward = graph.BackwardTime(mode, e);
            // Fraction of the edge covered in the time left, from a point that is reached with `left` seconds to spare.
            static double Reach(double left, double time) => time > 0 ? Math.Min(1, left / time) : 1;
            var a = tree.Seconds[graph.EdgeFrom[e]];
            var b = tree.Seconds[graph.EdgeTo[e]];
            if (a <= seconds && double.IsFinite(forward)) intervals.Add((0, Reach(seconds - a, forward)));
            if (b <= seconds && double.IsFinite(backward)) intervals.Add((1 - Reach(seconds - b, backward), 1));
            foreach (var source in onEdge[e])
            {
                var f = graph.Fraction(source);
                intervals.Add((f, f));
                if (double.IsFinite(forward)) intervals.Add((f, Math.Min(1, f + Reach(seconds, forward))));
                if (double.IsFinite(backward)) intervals.Add((Math.Max(0, f - Reach(seconds, backward)), f));
            }
            if (intervals.Count == 0) continue;
            intervals.Sort();
            var indexed = new LengthIndexedLine(graph.EdgeGeometry[e]);
            var (start, end) = intervals[0];
            for (var i = 1; i <= intervals.Count; i++)
            {
                if (i < intervals.Count && intervals[i].Start <= end)
                {
                    end = Math.Max(end, intervals[i].End);
                    continue;
                }
                pieces.Add(start <= 0 && end >= 1
                    ? graph.EdgeGeometry[e]
                    : (LineString)indexed.ExtractLine(start * length, end * length));
                if (i < intervals.Count) (start, end) = intervals[i];
            }
        }
        return pieces;
    }
}
