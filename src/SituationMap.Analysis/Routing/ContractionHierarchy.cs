namespace SituationMap.Analysis.Routing;

/// <summary>
/// Contraction hierarchy of one mode's arcs of a <see cref="RoadGraph"/>, for repeated exact travel-time queries
/// (Geisberger et al. 2008). Nodes are contracted one by one in order of a lazily updated priority (2 × edge difference +
/// contracted neighbours); a shortcut u→x via v is added unless a witness search (Dijkstra from u avoiding v, at most
/// <see cref="WitnessSettleLimit"/> settled nodes) finds a path no longer than u→v→x. A limited witness search only adds
/// superfluous shortcuts, so queries stay exact: the same seconds as <see cref="Dijkstra"/> up to floating-point
/// rounding of sums in a different order (tests: |Δ| ≤ 1e-6 s).
/// <para>Queries search only upward (towards higher-ranked nodes): one-to-one is a bidirectional search (with
/// <see cref="Path"/> unpacking shortcuts back into road edges: each shortcut remembers the node it bypasses);
/// many-to-one (units → incident) is one full backward upward search from the target, then per source a forward upward
/// search pruned at the best time so far; one-to-many the mirror image. Positions on edges enter through both edge ends
/// with partial times (<see cref="RoadGraph.Departures"/>/<see cref="RoadGraph.Arrivals"/>), and two positions on the
/// same edge also consider the direct way along it.</para>
/// <para><b>Cost:</b> preprocessing roughly O(V · witness search) — a second or so for 10⁴–10⁵ nodes; a query settles a few
/// hundred nodes on road networks. Instances are immutable and thread-safe; each query allocates O(V) scratch.</para>
/// </summary>
public sealed class ContractionHierarchy
{
    /// <summary>Settled-node limit of each witness search during preprocessing.</summary>
    public const int WitnessSettleLimit = 500;

    private readonly int[] _upFirst;
    private readonly int[] _upNode;
    private readonly double[] _upWeight;
    private readonly int[] _upMid;
    private readonly int[] _upEdge;
    private readonly int[] _downFirst;
    private readonly int[] _downNode;
    private readonly double[] _downWeight;
    private readonly int[] _downMid;
    private readonly int[] _downEdge;

    private ContractionHierarchy(RoadGraph graph, TravelMode mode, int[] rank, int shortcuts,
        List<(int Node, double W, int Mid, int Edge)>[] up, List<(int Node, double W, int Mid, int Edge)>[] down)
    {
        Graph = graph;
        Mode = mode;
        Rank = rank;
        ShortcutCount = shortcuts;
        (_upFirst, _upNode, _upWeight, _upMid, _upEdge) = Flatten(up);
        (_downFirst, _downNode, _downWeight, _downMid, _downEdge) = Flatten(down);
    }

    public RoadGraph Graph { get; }

    public TravelMode Mode { get; }

    /// <summary>Contraction order of each node (0 = contracted first).</summary>
    public IReadOnlyList<int> Rank { get; }

    /// <summary>Number of shortcut arcs added.</summary>
    public int ShortcutCount { get; }

    /// <summary>Builds the hierarchy for the mode.</summary>
    public static ContractionHierarchy Build(RoadGraph graph, TravelMode mode)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var n = graph.NodeCount;
        var outAdj = new List<(int Node, double W, int Mid, int Edge)>[n];
        var inAdj = new List<(int Node, double W, int Mid, int Edge)>[n];
        for (var v = 0; v < n; v++) { outAdj[v] = []; inAdj[v] = []; }
        var arcs = graph.Out(mode);
        for (var u = 0; u < n; u++)
        {
            for (var a = arcs.First[u]; a < arcs.First[u + 1]; a++)
            {
                var v = arcs.Node[a];
                if (v == u) continue;
                AddOrLower(outAdj[u], v, arcs.Weight[a], -1, arcs.Edge[a]);
                AddOrLower(inAdj[v], u, arcs.Weight[a], -1, arcs.Edge[a]);
            }
        }
        var witness = new WitnessSearch(n);
        var shortcuts = new List<(int From, int To, double W)>();
        var deleted = new int[n];
        var priority = new int[n];
        var contracted = new bool[n];
        var rank = new int[n];
        var up = new List<(int Node, double W, int Mid, int Edge)>[n];
        var down = new List<(int Node, double W, int Mid, int Edge)>[n];
        var queue = new PriorityQueue<int, (int, int)>();
        int Priority(int v)
        {
            shortcuts.Clear();
            witness.Shortcuts(v, outAdj, inAdj, shortcuts);
            return 2 * (shortcuts.Count - outAdj[v].Count - inAdj[v].Count) + deleted[v];
        }
        for (var v = 0; v < n; v++)
        {
            priority[v] = Priority(v);
            queue.Enqueue(v, (priority[v], v));
        }
        var next = 0;
        var total = 0;
        while (queue.TryDequeue(out var v, out var key))
        {
            if (contracted[v] || key.Item1 != priority[v]) continue;
            var current = Priority(v); // also leaves v's shortcuts in the list
            if (current != priority[v] && queue.TryPeek(out _, out var head) && (current, v).CompareTo(head) > 0)
            {
                priority[v] = current;
                queue.Enqueue(v, (current, v));
                continue;
            }
            contracted[v] = true;
            rank[v] = next++;
            up[v] = [.. outAdj[v]];
            down[v] = [.. inAdj[v]];
            foreach (var arc in inAdj[v]) outAdj[arc.Node].RemoveAll(x => x.Node == v);
            foreach (var arc in outAdj[v]) inAdj[arc.Node].RemoveAll(x => x.Node == v);
            foreach (var (from, to, w) in shortcuts)
            {
                AddOrLower(outAdj[from], to, w, v, -1);
                AddOrLower(inAdj[to], from, w, v, -1);
                total++;
            }
            var neighbours = outAdj[v].Select(x => x.Node).Concat(inAdj[v].Select(x => x.Node)).Distinct().ToList();
            outAdj[v] = [];
            inAdj[v] = [];
            foreach (var u in neighbours)
            {
                deleted[u]++;
                priority[u] = Priority(u);
                queue.Enqueue(u, (priority[u], u));
            }
        }
        return new ContractionHierarchy(graph, mode, rank, total, up, down);
    }

    /// <summary>Seconds from one node to another; +∞ when unreachable.</summary>
    public double TravelTime(int from, int to) => TravelTime(Graph.AtNode(from), Graph.AtNode(to));

    /// <summary>Seconds from one position to another (bidirectional upward search); +∞ when unreachable.</summary>
    public double TravelTime(RoadPosition from, RoadPosition to)
    {
        var best = Graph.SameEdgeTime(from, to, Mode);
        var forward = new Search(Graph.NodeCount);
        var backward = new Search(Graph.NodeCount);
        forward.Start(Graph.Departures(from, Mode));
        backward.Start(Graph.Arrivals(to, Mode));
        var forwardDone = false;
        var backwardDone = false;
        while (!forwardDone || !backwardDone)
        {
            if (!forwardDone) forwardDone = !forward.Step(_upFirst, _upNode, _upWeight, backward, ref best);
            if (!backwardDone) backwardDone = !backward.Step(_downFirst, _downNode, _downWeight, forward, ref best);
        }
        return best;
    }

    /// <summary>
    /// Seconds from each source to the one target (e.g. units to an incident), +∞ where unreachable: one full backward
    /// upward search from the target, then a pruned forward upward search per source.
    /// </summary>
    public double[] TravelTimesTo(IReadOnlyList<RoadPosition> sources, RoadPosition target)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var fromTarget = new Search(Graph.NodeCount);
        fromTarget.Start(Graph.Arrivals(target, Mode));
        fromTarget.Exhaust(_downFirst, _downNode, _downWeight);
        var search = new Search(Graph.NodeCount);
        var result = new double[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            var best = Graph.SameEdgeTime(sources[i], target, Mode);
            search.Start(Graph.Departures(sources[i], Mode));
            while (search.Step(_upFirst, _upNode, _upWeight, fromTarget, ref best)) { }
            result[i] = best;
        }
        return result;
    }

    /// <summary>Seconds from the one source to each target (e.g. an incident to hospitals), +∞ where unreachable.</summary>
    public double[] TravelTimesFrom(RoadPosition source, IReadOnlyList<RoadPosition> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var fromSource = new Search(Graph.NodeCount);
        fromSource.Start(Graph.Departures(source, Mode));
        fromSource.Exhaust(_upFirst, _upNode, _upWeight);
        var search = new Search(Graph.NodeCount);
        var result = new double[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            var best = Graph.SameEdgeTime(source, targets[i], Mode);
            search.Start(Graph.Arrivals(targets[i], Mode));
            while (search.Step(_downFirst, _downNode, _downWeight, fromSource, ref best)) { }
            result[i] = best;
        }
        return result;
    }

    private static void AddOrLower(List<(int Node, double W, int Mid, int Edge)> list, int node, double w, int mid, int edge)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Node != node) continue;
            if (w < list[i].W) list[i] = (node, w, mid, edge);
            return;
        }
        list.Add((node, w, mid, edge));
    }

    private static (int[] First, int[] Node, double[] Weight, int[] Mid, int[] Edge) Flatten(List<(int Node, double W, int Mid, int Edge)>[] lists)
    {
        var first = new int[lists.Length + 1];
        for (var v = 0; v < lists.Length; v++) first[v + 1] = first[v] + (lists[v]?.Count ?? 0);
        var node = new int[first[^1]];
        var weight = new double[first[^1]];
        var mid = new int[first[^1]];
        var edge = new int[first[^1]];
        for (var v = 0; v < lists.Length; v++)
        {
            if (lists[v] is null) continue;
            for (var i = 0; i < lists[v].Count; i++)
            {
                (node[first[v] + i], weight[first[v] + i], mid[first[v] + i], edge[first[v] + i]) = lists[v][i];
            }
        }
        return (first, node, weight, mid, edge);
    }

    /// <summary>
    /// The shortest path between two nodes with its road edges (shortcuts unpacked recursively), or null when unreachable.
    /// Where several paths tie, the one found may differ from <see cref="Dijkstra.Path"/>'s; the seconds agree.
    /// </summary>
    public RoutePath? Path(int from, int to)
    {
        var best = from == to ? 0 : double.PositiveInfinity;
        var meet = from;
        var forward = new Search(Graph.NodeCount);
        var backward = new Search(Graph.NodeCount);
        forward.Start([(from, 0)]);
        backward.Start([(to, 0)]);
        var forwardDone = false;
        var backwardDone = false;
        while (!forwardDone || !backwardDone)
        {
            if (!forwardDone) forwardDone = !forward.Step(_upFirst, _upNode, _upWeight, backward, ref best, ref meet);
            if (!backwardDone) backwardDone = !backward.Step(_downFirst, _downNode, _downWeight, forward, ref best, ref meet);
        }
        if (double.IsPositiveInfinity(best)) return null;
        var nodes = new List<int> { from };
        var edges = new List<int>();
        var up = new List<(int Tail, int Head)>();
        for (var v = meet; forward.ParentNode(v) >= 0; v = forward.ParentNode(v)) up.Add((forward.ParentNode(v), v));
        up.Reverse();
        for (var v = meet; backward.ParentNode(v) >= 0; v = backward.ParentNode(v)) up.Add((v, backward.ParentNode(v)));
        foreach (var (tail, head) in up) Unpack(tail, head, nodes, edges);
        return new RoutePath(best, nodes, edges);
    }

    private void Unpack(int tail, int head, List<int> nodes, List<int> edges)
    {
        // The arc tail→head is stored at the lower-ranked end: in up[tail] (towards head) or in down[head] (from tail).
        var (mid, edge) = Rank[tail] < Rank[head] ? Find(_upFirst, _upNode, _upMid, _upEdge, tail, head) : Find(_downFirst, _downNode, _downMid, _downEdge, head, tail);
        if (mid < 0)
        {
            edges.Add(edge);
            nodes.Add(head);
            return;
        }
        Unpack(tail, mid, nodes, edges);
        Unpack(mid, head, nodes, edges);
    }

    private static (int Mid, int Edge) Find(int[] first, int[] node, int[] mid, int[] edge, int at, int other)
    {
        for (var a = first[at]; a < first[at + 1]; a++) if (node[a] == other) return (mid[a], edge[a]);
        throw new InvalidOperationException($"The hierarchy has no arc between {at} and {other}.");
    }

    /// <summary>One upward Dijkstra with reusable scratch (version stamps instead of clearing).</summary>
    private sealed class Search(int n)
    {
        private readonly double[] _seconds = new double[n];
        private readonly int[] _parent = new int[n];
        private readonly int[] _stamp = new int[n];
        private readonly PriorityQueue<int, double> _queue = new();
        private int _version;

        public double SecondsTo(int v) => _stamp[v] == _version ? _seconds[v] : double.PositiveInfinity;

        /// <summary>The node this search reached v from (−1 for a start).</summary>
        public int ParentNode(int v) => _parent[v];

        public void Start(IEnumerable<(int Node, double Seconds)> starts)
        {
            _version++;
            _queue.Clear();
            foreach (var (node, s) in starts)
            {
                if (s < SecondsTo(node))
                {
                    _seconds[node] = s;
                    _parent[node] = -1;
                    _stamp[node] = _version;
                    _queue.Enqueue(node, s);
                }
            }
        }

        /// <summary>Settles one node, meeting the other search there; false when this side can stop.</summary>
        public bool Step(int[] first, int[] node, double[] weight, Search other, ref double best)
        {
            var meet = -1;
            return Step(first, node, weight, other, ref best, ref meet);
        }

        public bool Step(int[] first, int[] node, double[] weight, Search other, ref double best, ref int meet)
        {
            while (_queue.TryPeek(out var v, out var d))
            {
                if (d >= best) return false;
                _queue.Dequeue();
                if (d > _seconds[v]) continue;
                var through = d + other.SecondsTo(v);
                if (through < best)
                {
                    best = through;
                    meet = v;
                }
                Relax(v, d, first, node, weight);
                return true;
            }
            return false;
        }

        public void Exhaust(int[] first, int[] node, double[] weight)
        {
            while (_queue.TryDequeue(out var v, out var d))
            {
                if (d > _seconds[v]) continue;
                Relax(v, d, first, node, weight);
            }
        }

        private void Relax(int v, double d, int[] first, int[] node, double[] weight)
        {
            for (var a = first[v]; a < first[v + 1]; a++)
            {
                var w = node[a];
                var nd = d + weight[a];
                if (nd < SecondsTo(w))
                {
                    _seconds[w] = nd;
                    _parent[w] = v;
                    _stamp[w] = _version;
                    _queue.Enqueue(w, nd);
                }
            }
        }
    }

    /// <summary>The witness searches of one node's contraction.</summary>
    private sealed class WitnessSearch(int n)
    {
        private readonly double[] _seconds = new double[n];
        private readonly int[] _stamp = new int[n];
        private readonly PriorityQueue<int, double> _queue = new();
        private int _version;

        public void Shortcuts(int v, List<(int Node, double W, int Mid, int Edge)>[] outAdj, List<(int Node, double W, int Mid, int Edge)>[] inAdj, List<(int, int, double)> result)
        {
            if (outAdj[v].Count == 0) return;
            foreach (var (u, wu, _, _) in inAdj[v])
            {
                var limit = 0.0;
                foreach (var (x, wx, _, _) in outAdj[v]) if (x != u) limit = Math.Max(limit, wu + wx);
                if (limit == 0 && outAdj[v].All(o => o.Node == u)) continue;
                Run(u, v, limit, outAdj);
                foreach (var (x, wx, _, _) in outAdj[v])
                {
                    if (x == u) continue;
                    var via = wu + wx;
                    var witness = _stamp[x] == _version ? _seconds[x] : double.PositiveInfinity;
                    if (witness > via) result.Add((u, x, via));
                }
            }
        }

        private void Run(int source, int avoid, double limit, List<(int Node, double W, int Mid, int Edge)>[] outAdj)
        {
            _version++;
            _queue.Clear();
            _seconds[source] = 0;
            _stamp[source] = _version;
            _queue.Enqueue(source, 0);
            var settled = 0;
            while (_queue.TryDequeue(out var v, out var d))
            {
                if (d > _seconds[v]) continue;
                if (d > limit || ++settled > WitnessSettleLimit) return;
                foreach (var (w, weight, _, _) in outAdj[v])
                {
                    if (w == avoid) continue;
                    var nd = d + weight;
                    if (_stamp[w] != _version || nd < _seconds[w])
                    {
                        _seconds[w] = nd;
                        _stamp[w] = _version;
                        _queue.Enqueue(w, nd);
                    }
                }
            }
        }
    }
}
