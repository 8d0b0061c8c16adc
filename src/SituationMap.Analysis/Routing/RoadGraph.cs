using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Analysis.Routing;

/// <summary>
/// Arcs of one mode in compressed sparse row form: the arcs of node <c>v</c> are <c>First[v] .. First[v + 1] - 1</c>;
/// <see cref="Node"/> is the other end (head for out-arcs, tail for in-arcs), <see cref="Weight"/> the travel time in
/// seconds and <see cref="Edge"/> the road edge the arc runs along.
/// </summary>
public sealed record ArcList(int[] First, int[] Node, double[] Weight, int[] Edge)
{
    public int ArcCount => Node.Length;
}

/// <summary>
/// An immutable routable road graph in metres: nodes are road ends and junctions, edges are the road pieces between them
/// (with their geometry, length and per-mode travel times). Ways are split where they share a node (an OSM node id, or
/// for lines without ids identical coordinates); a piece that would start and end at the same node (a closed way) is
/// split at its middle vertex, so no edge is a loop. Per <see cref="TravelMode"/> there is a forward (<see cref="Out"/>) and backward (<see cref="In"/>) arc list;
/// an edge the mode may not use, or not in a direction (oneway), has no arc that way.
/// <para><b>Cost:</b> building is O(V log V) in the V vertices of the lines (hashing, sorting the arcs, an STR-tree of
/// the edges for <see cref="Snap"/>); memory O(V).</para>
/// </summary>
public sealed class RoadGraph
{
    private readonly ArcList[] _out;
    private readonly ArcList[] _in;
    private readonly double[][] _forwardTime;
    private readonly double[][] _backwardTime;
    private readonly STRtree<int> _edgeIndex = new();

    private RoadGraph(Coordinate[] nodes, int[] from, int[] to, LineString[] geometry, string[] highway, string?[] name,
        double[][] forwardTime, double[][] backwardTime, MetricProjection? projection)
    {
        Nodes = nodes;
        EdgeFrom = from;
        EdgeTo = to;
        EdgeGeometry = geometry;
        EdgeHighway = highway;
        EdgeName = name;
        EdgeLength = [.. geometry.Select(g => g.Length)];
        _forwardTime = forwardTime;
        _backwardTime = backwardTime;
        Projection = projection;
        _out = new ArcList[TravelModeSets.Each.Length];
        _in = new ArcList[TravelModeSets.Each.Length];
        foreach (var mode in TravelModeSets.Each)
        {
            var m = (int)mode;
            var tails = new List<(int Tail, int Head, double W, int Edge)>();
            for (var e = 0; e < from.Length; e++)
            {
                if (double.IsFinite(forwardTime[m][e])) tails.Add((from[e], to[e], forwardTime[m][e], e));
                if (double.IsFinite(backwardTime[m][e])) tails.Add((to[e], from[e], backwardTime[m][e], e));
            }
            _out[m] = Csr(nodes.Length, tails, a => a.Tail, a => a.Head);
            _in[m] = Csr(nodes.Length, tails, a => a.Head, a => a.Tail);
        }
        for (var e = 0; e < geometry.Length; e++) _edgeIndex.Insert(geometry[e].EnvelopeInternal, e);
        _edgeIndex.Build();
    }

    /// <summary>Node positions, metres.</summary>
    public IReadOnlyList<Coordinate> Nodes { get; }

    public int NodeCount => Nodes.Count;

    public int EdgeCount => EdgeFrom.Count;

    /// <summary>The node at the start of each edge's geometry.</summary>
    public IReadOnlyList<int> EdgeFrom { get; }

    /// <summary>The node at the end of each edge's geometry.</summary>
    public IReadOnlyList<int> EdgeTo { get; }

    /// <summary>Edge geometry from <see cref="EdgeFrom"/> to <see cref="EdgeTo"/>, metres.</summary>
    public IReadOnlyList<LineString> EdgeGeometry { get; }

    /// <summary>Edge length along its geometry, metres.</summary>
    public IReadOnlyList<double> EdgeLength { get; }

    public IReadOnlyList<string> EdgeHighway { get; }

    public IReadOnlyList<string?> EdgeName { get; }

    /// <summary>The projection the graph's metres are in, when it was built from WGS84 data.</summary>
    public MetricProjection? Projection { get; }

    /// <summary>Arcs leaving each node for the mode.</summary>
    public ArcList Out(TravelMode mode) => _out[(int)mode];

    /// <summary>Arcs entering each node for the mode (<see cref="ArcList.Node"/> is the tail).</summary>
    public ArcList In(TravelMode mode) => _in[(int)mode];

    /// <summary>Seconds to travel the whole edge from <see cref="EdgeFrom"/> to <see cref="EdgeTo"/>; +∞ when not allowed.</summary>
    public double ForwardTime(TravelMode mode, int edge) => _forwardTime[(int)mode][edge];

    /// <summary>Seconds to travel the whole edge from <see cref="EdgeTo"/> to <see cref="EdgeFrom"/>; +∞ when not allowed.</summary>
    public double BackwardTime(TravelMode mode, int edge) => _backwardTime[(int)mode][edge];

    /// <summary>
    /// Builds the graph from road lines (metric coordinates). Lines of non-road classes, with fewer than two vertices,
    /// or usable by no mode are dropped; nodes that no edge uses are not kept.
    /// </summary>
    public static RoadGraph Build(IEnumerable<RoadLine> lines, MetricProjection? projection = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var factory = projection?.Factory ?? new GeometryFactory();
        var kept = lines.Where(l => l.Coordinates.Count >= 2 && RoadProfile.IsRoad(l.Highway)
            && TravelModeSets.Each.Any(m => RoadProfile.SpeedKmh(m, l) is not null)).ToList();
        // Node keys: OSM ids, or exact coordinates for lines without ids (the two kinds never meet).
        var idKeys = new Dictionary<long, int>();
        var coordinateKeys = new Dictionary<(double, double), int>();
        var uses = new List<int>();
        int Key(RoadLine line, int i)
        {
            int key;
            if (line.NodeIds is { } ids)
            {
                if (!idKeys.TryGetValue(ids[i], out key)) { key = uses.Count; idKeys[ids[i]] = key; uses.Add(0); }
            }
            else
            {
                var c = line.Coordinates[i];
                if (!coordinateKeys.TryGetValue((c.X, c.Y), out key)) { key = uses.Count; coordinateKeys[(c.X, c.Y)] = key; uses.Add(0); }
            }
            return key;
        }
        var keys = new int[kept.Count][];
        for (var l = 0; l < kept.Count; l++)
        {
            var line = kept[l];
            if (line.NodeIds is { } ids && ids.Count != line.Coordinates.Count)
                throw new ArgumentException("NodeIds must have one id per coordinate.", nameof(lines));
            keys[l] = new int[line.Coordinates.Count];
            for (var i = 0; i < keys[l].Length; i++)
            {
                keys[l][i] = Key(line, i);
                uses[keys[l][i]]++;
            }
        }
        var nodeOfKey = new int[uses.Count];
        Array.Fill(nodeOfKey, -1);
        var nodes = new List<Coordinate>();
        int NodeOf(int key, Coordinate c)
        {
            if (nodeOfKey[key] < 0) { nodeOfKey[key] = nodes.Count; nodes.Add(c.Copy()); }
            return nodeOfKey[key];
        }
        var from = new List<int>();
        var to = new List<int>();
        var geometry = new List<LineString>();
        var source = new List<RoadLine>();
        for (var l = 0; l < kept.Count; l++)
        {
            var line = kept[l];
            var k = keys[l];
            var n = k.Length;
            void Emit(int start, int end)
            {
                if (k[start] == k[end])
                {
                    // A loop (closed way or a way returning to a node): split at its middle vertex; drop a bare repeat.
                    if (end - start >= 2)
                    {
                        Emit(start, (start + end) / 2);
                        Emit((start + end) / 2, end);
                    }
                    return;
                }
                var coordinates = new Coordinate[end - start + 1];
                for (var j = start; j <= end; j++) coordinates[j - start] = line.Coordinates[j].Copy();
                from.Add(NodeOf(k[start], line.Coordinates[start]));
                to.Add(NodeOf(k[end], line.Coordinates[end]));
                geometry.Add(factory.CreateLineString(coordinates));
                source.Add(line);
            }
            var start = 0;
            for (var i = 1; i < n; i++)
            {
                if (i < n - 1 && uses[k[i]] <= 1) continue;
                Emit(start, i);
                start = i;
            }
        }
        var modes = TravelModeSets.Each.Length;
        var forward = new double[modes][];
        var backward = new double[modes][];
        foreach (var mode in TravelModeSets.Each)
        {
            var m = (int)mode;
            forward[m] = new double[from.Count];
            backward[m] = new double[from.Count];
            for (var e = 0; e < from.Count; e++)
            {
                var line = source[e];
                var speed = RoadProfile.SpeedKmh(mode, line);
                var seconds = speed is { } s ? geometry[e].Length / (s / 3.6) : double.PositiveInfinity;
                var direction = RoadProfile.ParseOneWay(mode, line);
                forward[m][e] = direction == OneWayDirection.Backward ? double.PositiveInfinity : seconds;
                backward[m][e] = direction == OneWayDirection.Forward ? double.PositiveInfinity : seconds;
            }
        }
        return new RoadGraph([.. nodes], [.. from], [.. to], [.. geometry], [.. source.Select(s => s.Highway)],
            [.. source.Select(s => s.Name)], forward, backward, projection);
    }

    /// <summary>
    /// The nearest point of an edge usable by the mode (in either direction) within <paramref name="maxDistanceM"/> of
    /// the given metric point, or null. Ties go to the lower edge id. Cost: STR-tree queries with a doubling radius
    /// (from 25 m), then exact point–segment distances for the candidate edges.
    /// </summary>
    public RoadPosition? Snap(Coordinate point, TravelMode mode, double maxDistanceM = 1_000)
    {
        ArgumentNullException.ThrowIfNull(point);
        for (var radius = Math.Min(25.0, maxDistanceM); ; radius = Math.Min(radius * 2, maxDistanceM))
        {
            var envelope = new Envelope(point);
            envelope.ExpandBy(radius);
            RoadPosition? best = null;
            foreach (var edge in _edgeIndex.Query(envelope).OrderBy(e => e))
            {
                if (!double.IsFinite(ForwardTime(mode, edge)) && !double.IsFinite(BackwardTime(mode, edge))) continue;
                var candidate = Project(edge, point);
                if (candidate.DistanceM <= radius && (best is null || candidate.DistanceM < best.DistanceM)) best = candidate;
            }
            if (best is not null) return best;
            if (radius >= maxDistanceM) return null;
        }
    }

    /// <summary>The position of a node (for routing from or to it).</summary>
    public RoadPosition AtNode(int node) => new(-1, 0, Nodes[node].Copy(), 0, node);

    /// <summary>The closest point of the edge to the given point: offset from the edge's start along its geometry.</summary>
    public RoadPosition Project(int edge, Coordinate point)
    {
        var coordinates = EdgeGeometry[edge].Coordinates;
        var bestDistance = double.PositiveInfinity;
        var bestOffset = 0.0;
        Coordinate bestPoint = coordinates[0];
        var walked = 0.0;
        for (var i = 0; i + 1 < coordinates.Length; i++)
        {
            var a = coordinates[i];
            var b = coordinates[i + 1];
            var dx = b.X - a.X;
            var dy = b.Y - a.Y;
            var length2 = dx * dx + dy * dy;
            var t = length2 > 0 ? Math.Clamp(((point.X - a.X) * dx + (point.Y - a.Y) * dy) / length2, 0, 1) : 0;
            var p = new Coordinate(a.X + t * dx, a.Y + t * dy);
            var d = p.Distance(point);
            if (d < bestDistance)
            {
                bestDistance = d;
                bestOffset = walked + t * Math.Sqrt(length2);
                bestPoint = p;
            }
            walked += Math.Sqrt(length2);
        }
        var length = EdgeLength[edge];
        bestOffset = Math.Min(bestOffset, length);
        var node = bestOffset <= 0 ? EdgeFrom[edge] : bestOffset >= length ? EdgeTo[edge] : -1;
        return new RoadPosition(edge, bestOffset, bestPoint, bestDistance, node);
    }

    /// <summary>
    /// Where a trip from the position enters the graph: (node, seconds to reach it). A position on an edge reaches its
    /// end node by the remaining part of the edge (if allowed that way) and its start node by the part behind it (if
    /// allowed backwards); travel time is proportional to length along the edge. A position at an edge's end also starts
    /// from that node directly.
    /// </summary>
    public IReadOnlyList<(int Node, double Seconds)> Departures(RoadPosition position, TravelMode mode)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Edge < 0) return [(position.Node, 0)];
        var e = position.Edge;
        var fraction = Fraction(position);
        var list = new List<(int, double)>(3);
        if (position.Node >= 0) list.Add((position.Node, 0));
        if (double.IsFinite(ForwardTime(mode, e))) list.Add((EdgeTo[e], ForwardTime(mode, e) * (1 - fraction)));
        if (double.IsFinite(BackwardTime(mode, e))) list.Add((EdgeFrom[e], BackwardTime(mode, e) * fraction));
        return list;
    }

    /// <summary>Where a trip to the position leaves the graph: (node, seconds from it to the position).</summary>
    public IReadOnlyList<(int Node, double Seconds)> Arrivals(RoadPosition position, TravelMode mode)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Edge < 0) return [(position.Node, 0)];
        var e = position.Edge;
        var fraction = Fraction(position);
        var list = new List<(int, double)>(3);
        if (position.Node >= 0) list.Add((position.Node, 0));
        if (double.IsFinite(ForwardTime(mode, e))) list.Add((EdgeFrom[e], ForwardTime(mode, e) * fraction));
        if (double.IsFinite(BackwardTime(mode, e))) list.Add((EdgeTo[e], BackwardTime(mode, e) * (1 - fraction)));
        return list;
    }

    /// <summary>Seconds from one position to another along their common edge without leaving it; +∞ if not possible.</summary>
    public double SameEdgeTime(RoadPosition from, RoadPosition to, TravelMode mode)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Edge < 0 && to.Edge < 0) return from.Node == to.Node ? 0 : double.PositiveInfinity;
        if (from.Edge != to.Edge) return double.PositiveInfinity;
        var delta = Fraction(to) - Fraction(from);
        var time = delta >= 0 ? ForwardTime(mode, from.Edge) * delta : BackwardTime(mode, from.Edge) * -delta;
        return delta == 0 ? 0 : time;
    }

    internal double Fraction(RoadPosition position) =>
        EdgeLength[position.Edge] > 0 ? Math.Clamp(position.Offset / EdgeLength[position.Edge], 0, 1) : 0;

    private static ArcList Csr(int nodeCount, List<(int Tail, int Head, double W, int Edge)> arcs,
        Func<(int Tail, int Head, double W, int Edge), int> owner, Func<(int Tail, int Head, double W, int Edge), int> other)
    {
        var first = new int[nodeCount + 1];
        foreach (var a in arcs) first[owner(a) + 1]++;
        for (var v = 0; v < nodeCount; v++) first[v + 1] += first[v];
        var next = (int[])first.Clone();
        var node = new int[arcs.Count];
        var weight = new double[arcs.Count];
        var edge = new int[arcs.Count];
        foreach (var a in arcs)
        {
            var i = next[owner(a)]++;
            node[i] = other(a);
            weight[i] = a.W;
            edge[i] = a.Edge;
        }
        return new ArcList(first, node, weight, edge);
    }
}

/// <summary>
/// A point on the road graph: on edge <paramref name="Edge"/> at <paramref name="Offset"/> metres from its start node
/// (along the geometry), or, when <paramref name="Edge"/> is −1, exactly at node <paramref name="Node"/>.
/// <paramref name="Node"/> is also set when a snapped point falls on an edge's end. <paramref name="DistanceM"/> is the
/// distance from the snapped point to <paramref name="Point"/> on the road.
/// </summary>
public sealed record RoadPosition(int Edge, double Offset, Coordinate Point, double DistanceM, int Node = -1);
