using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace SituationMap.Analysis.Routing;

/// <summary>
/// One band of an isochrone set: what can be reached within <paramref name="Seconds"/> from the nearest source.
/// <paramref name="Nodes"/> are the reachable nodes (travel time ≤ Seconds); <paramref name="Pieces"/> the reachable parts
/// of edges, cut at the exact position where the time runs out (travel time proportional to length along an edge);
/// <paramref name="Area"/> (null unless polygons were asked for) is the set's buffer distance around the pieces and
/// reachable nodes, on a grid (see <see cref="Isochrones"/> for its tolerance).
/// </summary>
public sealed record IsochroneBand(double Seconds, IReadOnlyList<int> Nodes, IReadOnlyList<LineString> Pieces, NetTopologySuite.Geometries.Geometry? Area);

/// <summary>
/// Isochrones from many sources at once (e.g. every unit's 1/3/5-minute reach): one multi-source <see cref="Dijkstra"/>
/// over the mode's forward arcs, limited to the largest band, then per band the reachable edge pieces and optionally a
/// polygon.
/// <para><b>What "inside" means:</b> the polygon of a band approximates the buffer by <c>bufferM</c> (default
/// <see cref="DefaultBufferM"/>) of the band's reachable pieces and reachable nodes on a square grid of
/// <c>cellM</c> (default <see cref="DefaultCellM"/>, at most bufferM / 2): a cell is in when its centre is within
/// bufferM of something reachable, and the polygon is the union of those cells, in the graph's metric plane. Its
/// boundary lies within <see cref="ToleranceCells"/> · cellM (7.5 m for the defaults) of the exact buffer's: every
/// point within bufferM − 0.75·cellM of something reachable is inside — so every reachable node is inside (covered) —
/// and every point farther than bufferM + 0.75·cellM from everything reachable is outside, in particular every
/// unreachable node that far from every reachable piece. An unreachable node closer than that to a reachable street
/// (across a block, or on the wrong side of a oneway) may be inside the polygon but is not in
/// <see cref="IsochroneBand.Nodes"/>. The polygons are valid (cells touching only at a corner are joined by a cut of
/// cellM/32 into the corner, so no ring touches itself or another) and nested exactly: a band's polygon contains the
/// polygons of the shorter bands.</para>
/// <para><b>Cost:</b> the search is O((V + A) log V) at most; pieces O(E); polygons one grid over the largest band's
/// extent (one byte per cell, about 3·10⁶ cells for Liechtenstein at 10 m), marked per piece segment in O(rows crossed)
/// (a whole edge once, with the lowest band reaching all of it), then traced per band in one pass over the grid plus its
/// boundary. Bands are traced in parallel.</para>
/// </summary>
public static class Isochrones
{
    public const double DefaultBufferM = 50;

    /// <summary>Default grid cell of the polygons, metres.</summary>
    public const double DefaultCellM = 10;

    /// <summary>Largest distance, in cells, between a band's polygon boundary and the exact buffer's boundary.</summary>
    public const double ToleranceCells = GridBuffer.ToleranceCells;

    /// <summary>
    /// The bands (sorted by seconds) for the sources, with polygons when <paramref name="polygons"/> (at most 255 bands
    /// then). Throws <see cref="ArgumentOutOfRangeException"/> when the grid over the largest band would exceed
    /// 2²⁸ cells.
    /// </summary>
    public static IReadOnlyList<IsochroneBand> Compute(RoadGraph graph, TravelMode mode, IReadOnlyList<RoadPosition> sources,
        IReadOnlyList<double> bandSeconds, bool polygons = true, double bufferM = DefaultBufferM, double cellM = DefaultCellM) =>
        Compute(graph, [(mode, sources)], bandSeconds, polygons, bufferM, cellM);

    /// <summary>
    /// The bands for sources travelling by different modes (e.g. cars, bicycle and foot teams): what the nearest source
    /// reaches by its own mode. One search per mode; the pieces and nodes of every mode go into one band (nodes reached
    /// by any mode), and the polygons are traced from one grid, so they are the union over the modes without an
    /// overlay.
    /// </summary>
    public static IReadOnlyList<IsochroneBand> Compute(RoadGraph graph, IReadOnlyList<(TravelMode Mode, IReadOnlyList<RoadPosition> Sources)> groups,
        IReadOnlyList<double> bandSeconds, bool polygons = true, double bufferM = DefaultBufferM, double cellM = DefaultCellM)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(bandSeconds);
        if (groups.Any(g => g.Sources is null)) throw new ArgumentNullException(nameof(groups));
        if (bandSeconds.Any(s => !(s >= 0) || !double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(bandSeconds));
        if (!(bufferM > 0) || !double.IsFinite(bufferM)) throw new ArgumentOutOfRangeException(nameof(bufferM));
        if (!(cellM > 0) || !(cellM <= bufferM / 2)) throw new ArgumentOutOfRangeException(nameof(cellM), "The cell must be at most half the buffer distance.");
        var bands = bandSeconds.Distinct().Order().ToArray();
        if (bands.Length == 0) return [];
        if (polygons && bands.Length > byte.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(bandSeconds), $"At most {byte.MaxValue} bands with polygons.");
        var limit = bands[^1];
        var reached = new bool[bands.Length][];
        var pieces = new List<LineString>[bands.Length];
        // every reachable node lies on a piece except a start node without arcs: those are buffered as points
        var points = new List<Coordinate>[bands.Length];
        for (var b = 0; b < bands.Length; b++) (reached[b], pieces[b], points[b]) = (new bool[graph.NodeCount], [], []);
        foreach (var (mode, sources) in groups)
        {
            var tree = Dijkstra.Search(graph, mode, sources.SelectMany(s => graph.Departures(s, mode)), limit);
            var onEdge = sources.Where(s => s.Edge >= 0).ToLookup(s => s.Edge);
            var arcs = graph.Out(mode);
            for (var b = 0; b < bands.Length; b++)
            {
                for (var v = 0; v < graph.NodeCount; v++)
                {
                    if (!(tree.Seconds[v] <= bands[b])) continue;
                    reached[b][v] = true;
                    if (tree.ParentArc[v] < 0 && arcs.First[v + 1] == arcs.First[v]) points[b].Add(graph.Nodes[v]);
                }
                pieces[b].AddRange(Pieces(graph, mode, tree, onEdge, bands[b]));
            }
        }
        var result = new IsochroneBand[bands.Length];
        for (var b = 0; b < bands.Length; b++)
        {
            var nodes = new List<int>();
            for (var v = 0; v < graph.NodeCount; v++) if (reached[b][v]) nodes.Add(v);
            result[b] = new IsochroneBand(bands[b], nodes, pieces[b], null);
        }
        if (polygons)
        {
            var factory = graph.EdgeGeometry.Count > 0 ? graph.EdgeGeometry[0].Factory : new GeometryFactory();
            // One grid for all bands (the largest reach's extent), each cell marked with the lowest band that covers it.
            var extent = new Envelope();
            foreach (var piece in pieces[^1]) extent.ExpandToInclude(piece.EnvelopeInternal);
            foreach (var point in points[^1]) extent.ExpandToInclude(point);
            var grid = GridBuffer.Create(extent, bufferM, cellM);
            for (var b = result.Length - 1; b >= 0; b--)
            {
                // A whole edge reached in the band below is the same geometry there and will be marked with its lower band.
                var below = b > 0 ? new HashSet<LineString>(pieces[b - 1], ReferenceEqualityComparer.Instance) : null;
                foreach (var piece in pieces[b]) if (below is null || !below.Contains(piece)) grid.Mark(piece, (byte)b);
                foreach (var point in points[b]) grid.Mark(point, (byte)b);
            }
            Parallel.For(0, result.Length, b => result[b] = result[b] with { Area = grid.Trace((byte)b, factory) });
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
