namespace SituationMap.Analysis.Routing;

/// <summary>Travel times from a search: seconds per node (+∞ unreached) and the arc each node was reached by (−1 none).</summary>
public sealed record ShortestPathTree(double[] Seconds, int[] ParentArc, bool Backward)
{
    public bool Reached(int node) => double.IsFinite(Seconds[node]);
}

/// <summary>One shortest path: total seconds, the nodes visited and the edges taken, in travel order.</summary>
public sealed record RoutePath(double Seconds, IReadOnlyList<int> Nodes, IReadOnlyList<int> Edges);

/// <summary>
/// Plain Dijkstra over one mode's arcs of a <see cref="RoadGraph"/>: the reference the faster
/// <see cref="ContractionHierarchy"/> is checked against, and the engine of <see cref="Isochrones"/> (multi-source, with
/// a time limit). Ties between equal-cost paths go to the arc relaxed first (lower arc index).
/// <para><b>Cost:</b> O((V + A) log V) for V nodes and A arcs (a binary heap with lazy deletion), less with a limit.</para>
/// </summary>
public static class Dijkstra
{
    /// <summary>
    /// Seconds from the nearest of the given starts (node, initial seconds) to every node, over forward arcs, or over
    /// backward arcs (times <i>to</i> the starts) when <paramref name="backward"/>. Nodes beyond
    /// <paramref name="limitSeconds"/> stay +∞.
    /// </summary>
    public static ShortestPathTree Search(RoadGraph graph, TravelMode mode, IEnumerable<(int Node, double Seconds)> starts,
        double limitSeconds = double.PositiveInfinity, bool backward = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(starts);
        var arcs = backward ? graph.In(mode) : graph.Out(mode);
        var seconds = new double[graph.NodeCount];
        var parent = new int[graph.NodeCount];
        Array.Fill(seconds, double.PositiveInfinity);
        Array.Fill(parent, -1);
        var queue = new PriorityQueue<int, double>();
        foreach (var (node, s) in starts)
        {
            if (s <= limitSeconds && s < seconds[node])
            {
                seconds[node] = s;
                queue.Enqueue(node, s);
            }
        }
        while (queue.TryDequeue(out var v, out var d))
        {
            if (d > seconds[v]) continue;
            for (var a = arcs.First[v]; a < arcs.First[v + 1]; a++)
            {
                var w = arcs.Node[a];
                var nd = d + arcs.Weight[a];
                if (nd < seconds[w] && nd <= limitSeconds)
                {
                    seconds[w] = nd;
                    parent[w] = a;
                    queue.Enqueue(w, nd);
                }
            }
        }
        return new ShortestPathTree(seconds, parent, backward);
    }

    /// <summary>The shortest path between two nodes, or null when the target cannot be reached.</summary>
    public static RoutePath? Path(RoadGraph graph, TravelMode mode, int from, int to)
    {
        var tree = Search(graph, mode, [(from, 0)]);
        if (!tree.Reached(to)) return null;
        var arcs = graph.Out(mode);
        var nodes = new List<int> { to };
        var edges = new List<int>();
        for (var v = to; tree.ParentArc[v] >= 0;)
        {
            var a = tree.ParentArc[v];
            edges.Add(arcs.Edge[a]);
            v = Tail(arcs, a);
            nodes.Add(v);
        }
        nodes.Reverse();
        edges.Reverse();
        return new RoutePath(tree.Seconds[to], nodes, edges);
    }

    /// <summary>Seconds between two positions (snapped points or nodes); +∞ when unreachable.</summary>
    public static double TravelTime(RoadGraph graph, TravelMode mode, RoadPosition from, RoadPosition to)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var tree = Search(graph, mode, graph.Departures(from, mode));
        var best = graph.SameEdgeTime(from, to, mode);
        foreach (var (node, s) in graph.Arrivals(to, mode)) best = Math.Min(best, tree.Seconds[node] + s);
        return best;
    }

    private static int Tail(ArcList arcs, int arc)
    {
        // The CSR rows are sorted by tail: binary search the row containing the arc.
        int lo = 0, hi = arcs.First.Length - 2;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (arcs.First[mid] <= arc) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
