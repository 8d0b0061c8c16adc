using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Patrol;

/// <summary>One stop of a suggested loop: the cell, the road point the unit stops at (metres), and seconds from the
/// start of the loop to its arrival and departure (departure = arrival + dwell).</summary>
public sealed record SuggestedStop(string CellId, double Priority, Coordinate Position, double ArrivalSeconds, double DepartureSeconds);

/// <summary>
/// A suggested closed loop start → stops → start. <paramref name="TravelSeconds"/> + <paramref name="DwellSeconds"/>
/// = <see cref="TotalSeconds"/> ≤ the budget; <paramref name="Geometry"/> is the loop along the roads (empty without stops);
/// <paramref name="Unreachable"/> lists the candidates with no road within the snap distance, or from or to which the mode
/// has no way on the graph.
/// </summary>
public sealed record SuggestedLoop(IReadOnlyList<SuggestedStop> Stops, double TravelSeconds, double DwellSeconds, double CollectedPriority,
    LineString Geometry, IReadOnlyList<string> Unreachable)
{
    public double TotalSeconds => TravelSeconds + DwellSeconds;
}

/// <summary>The pure ordering step of <see cref="RouteSuggestion"/>: candidate indexes (1-based, 0 is the start) in visit order.</summary>
public sealed record LoopOrder(IReadOnlyList<int> Stops, double TravelSeconds, double DwellSeconds, double CollectedPriority)
{
    public double TotalSeconds => TravelSeconds + DwellSeconds;
}

/// <summary>
/// A patrol loop through hot cells for one unit (an orienteering problem): from its start, visit cells, dwell at each
/// (default 12 min, an effective visit in the sense of <see cref="PatrolDosage"/>) and return, maximising the collected
/// priority with travel + dwell within the time budget.
/// <para><b>Positions.</b> The start and each cell centroid are snapped to the nearest road the hierarchy's mode may use
/// (within <c>snapM</c>, default 250 m); the unit stops at that road point. Travel times between the snapped points are
/// exact on the graph (<see cref="ContractionHierarchy.TravelTimesFrom"/>, entering and leaving through the points'
/// edges with partial times), and the geometry follows the same way: the part of the start edge to the node it leaves by,
/// the unpacked <see cref="ContractionHierarchy.Path"/> between nodes, the part of the end edge to the stop (or the
/// stretch of one shared edge), so the geometry agrees with the times.</para>
/// <para><b>Heuristic</b> (deterministic; <see cref="Order"/>): (1) greedy insertion — repeatedly insert the candidate and
/// position with the highest priority^e ÷ added seconds (travel detour + dwell) that still fits; (2) improve the order by
/// 2-opt (reversing a stretch) and relocation of single stops, accepting only shorter loops, then insert again into the
/// time saved; (3) swap — replace a visited stop by an unvisited higher-priority candidate at its cheapest position
/// when it fits; (4) forced insertion — insert an unvisited candidate anyway, drop the stops with the least priority per
/// second saved until the loop fits, refill greedily, and keep it if it collects more; after each change (2) again,
/// until neither (3) nor (4) finds anything. The whole is run with e = 1, 2 and 8 and the best loop kept (most priority,
/// then shortest). Candidates with priority ≤ 0 are never visited. Tests: against brute force on 239 instances of 3–6
/// candidates (road-graph and shortest-path-closed random travel times) it was optimal in 238 and reached ≥ 95 % of the
/// optimum in all.</para>
/// <para><b>Cost:</b> the matrix is n + 1 one-to-many hierarchy queries for n candidates; the heuristic O(n² k) per
/// insertion round and O(k³) per improvement pass for k stops — milliseconds for n ≤ 200.</para>
/// </summary>
public static class RouteSuggestion
{
    /// <summary>12 minutes: within the 10–15 minute effective visit.</summary>
    public const double DefaultDwellSeconds = 720;

    public const double DefaultSnapM = 250;

    private const double Epsilon = 1e-9;

    /// <summary>The suggested loop for the hierarchy's mode. An unsnappable start gives an empty loop with every candidate unreachable.</summary>
    public static SuggestedLoop Suggest(ContractionHierarchy hierarchy, Coordinate start, IReadOnlyList<HotCellTarget> candidates,
        double budgetSeconds, double dwellSeconds = DefaultDwellSeconds, double snapM = DefaultSnapM)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(candidates);
        var graph = hierarchy.Graph;
        var mode = hierarchy.Mode;
        var factory = graph.EdgeGeometry.Count > 0 ? graph.EdgeGeometry[0].Factory : new GeometryFactory();
        var origin = graph.Snap(start, mode, snapM);
        if (origin is null) return new SuggestedLoop([], 0, 0, 0, factory.CreateLineString(), [.. candidates.Select(c => c.Id)]);
        // Position 0 is the start, k ≥ 1 the snapped candidates (index into `kept`).
        var kept = new List<(HotCellTarget Cell, RoadPosition Position)>();
        var unreachable = new List<string>();
        foreach (var c in candidates)
        {
            if (graph.Snap(c.Centroid, mode, snapM) is { } p) kept.Add((c, p)); else unreachable.Add(c.Id);
        }
        var positions = new List<RoadPosition> { origin };
        positions.AddRange(kept.Select(k => k.Position));
        var n = positions.Count;
        var times = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            var row = hierarchy.TravelTimesFrom(positions[i], positions);
            for (var j = 0; j < n; j++) times[i, j] = i == j ? 0 : row[j];
        }
        for (var k = 1; k < n; k++)
        {
            if (!double.IsFinite(times[0, k]) || !double.IsFinite(times[k, 0])) unreachable.Add(kept[k - 1].Cell.Id);
        }
        var order = Order(times, [0, .. kept.Select(k => k.Cell.Priority)], dwellSeconds, budgetSeconds);
        var stops = new List<SuggestedStop>();
        var clock = 0.0;
        var previous = 0;
        var coordinates = new CoordinateList();
        foreach (var k in order.Stops)
        {
            clock += times[previous, k];
            AppendLeg(hierarchy, positions[previous], positions[k], coordinates);
            stops.Add(new SuggestedStop(kept[k - 1].Cell.Id, kept[k - 1].Cell.Priority, positions[k].Point.Copy(), clock, clock + dwellSeconds));
            clock += dwellSeconds;
            previous = k;
        }
        if (stops.Count > 0) AppendLeg(hierarchy, positions[previous], origin, coordinates);
        var geometry = coordinates.Count >= 2 ? factory.CreateLineString(coordinates.ToCoordinateArray())
            : stops.Count > 0 ? factory.CreateLineString([origin.Point.Copy(), origin.Point.Copy()]) : factory.CreateLineString();
        return new SuggestedLoop(stops, order.TravelSeconds, order.DwellSeconds, order.CollectedPriority, geometry, unreachable);
    }

    /// <summary>
    /// The heuristic on a travel-time matrix: <paramref name="seconds"/>[i, j] from point i to point j (0 = start,
    /// 1..n candidates, +∞ unreachable), <paramref name="priority"/>[i] per point (entry 0 is ignored). Returns the visit
    /// order with travel + n·dwell ≤ <paramref name="budgetSeconds"/> (up to 1e-9 s).
    /// </summary>
    public static LoopOrder Order(double[,] seconds, IReadOnlyList<double> priority, double dwellSeconds, double budgetSeconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        ArgumentNullException.ThrowIfNull(priority);
        var n = seconds.GetLength(0);
        if (seconds.GetLength(1) != n || priority.Count != n) throw new ArgumentException("A square matrix and one priority per point (start first).", nameof(priority));
        if (!(dwellSeconds >= 0) || !double.IsFinite(dwellSeconds)) throw new ArgumentOutOfRangeException(nameof(dwellSeconds));
        LoopOrder? best = null;
        foreach (var exponent in ScoreExponents)
        {
            var tour = new OrienteeringSearch(seconds, priority, dwellSeconds, budgetSeconds + Epsilon, exponent).Run();
            if (best is null || tour.CollectedPriority > best.CollectedPriority + Epsilon
                || (Math.Abs(tour.CollectedPriority - best.CollectedPriority) <= Epsilon && tour.TotalSeconds < best.TotalSeconds - 1e-7))
            {
                best = tour;
            }
        }
        return best!;
    }

    /// <summary>The greedy score is priority^e ÷ added seconds; each exponent is one run, the best run wins (e = 8 is nearly
    /// "highest priority first").</summary>
    private static readonly double[] ScoreExponents = [1, 2, 8];

    /// <summary>One deterministic run of the heuristic.</summary>
    private sealed class OrienteeringSearch(double[,] seconds, IReadOnlyList<double> priority, double dwell, double budget, double exponent)
    {
        private readonly int _n = seconds.GetLength(0);
        private List<int> _tour = [];
        private double _cost;

        public LoopOrder Run()
        {
            var candidates = Enumerable.Range(1, _n - 1).Where(c => priority[c] > 0 && seconds[0, c] + dwell + seconds[c, 0] <= budget).ToList();
            Fill(_tour, candidates);
            _cost = Cost(_tour);
            Improve();
            Fill(_tour, candidates);
            _cost = Cost(_tour);
            for (var round = 0; round < 4 * _n + 10; round++)
            {
                if (!Swap(candidates) && !ForcedInsertion(candidates)) break;
                Improve();
                Fill(_tour, candidates);
                _cost = Cost(_tour);
            }
            return new LoopOrder([.. _tour], _tour.Count == 0 ? 0 : _cost - _tour.Count * dwell, _tour.Count * dwell, Collected(_tour));
        }

        private double Collected(List<int> tour) => tour.Sum(s => priority[s]);

        private double Cost(List<int> tour)
        {
            var total = 0.0;
            var at = 0;
            foreach (var s in tour) { total += seconds[at, s] + dwell; at = s; }
            return total + seconds[at, 0];
        }

        /// <summary>Cheapest insertion of c into the tour: (added seconds, position; −1 when unreachable). Ties: first position.</summary>
        private (double Added, int Position) BestInsertion(List<int> tour, int c)
        {
            var best = (double.PositiveInfinity, -1);
            for (var p = 0; p <= tour.Count; p++)
            {
                var before = p == 0 ? 0 : tour[p - 1];
                var after = p == tour.Count ? 0 : tour[p];
                var added = seconds[before, c] + seconds[c, after] - seconds[before, after] + dwell;
                if (added < best.Item1 - Epsilon) best = (added, p);
            }
            return best;
        }

        /// <summary>Greedy insertion by score until nothing more fits. Ties: higher priority, then lower index.</summary>
        private void Fill(List<int> tour, List<int> candidates)
        {
            var cost = Cost(tour);
            while (true)
            {
                var (bestC, bestP, bestScore) = (-1, -1, double.NegativeInfinity);
                foreach (var c in candidates)
                {
                    if (tour.Contains(c)) continue;
                    var (added, p) = BestInsertion(tour, c);
                    if (p < 0 || cost + added > budget) continue;
                    var score = Math.Pow(priority[c], exponent) / Math.Max(added, Epsilon);
                    if (score > bestScore * (1 + 1e-12) || (score >= bestScore * (1 - 1e-12) && bestC >= 0 && priority[c] > priority[bestC]))
                    {
                        (bestC, bestP, bestScore) = (c, p, score);
                    }
                }
                if (bestC < 0) return;
                tour.Insert(bestP, bestC);
                cost = Cost(tour);
            }
        }

        /// <summary>2-opt (reversing a stretch) and relocation of one stop, first improvement, until neither shortens the loop.</summary>
        private void Improve()
        {
            for (var improved = true; improved;)
            {
                improved = false;
                for (var i = 0; i < _tour.Count - 1 && !improved; i++)
                {
                    for (var j = i + 1; j < _tour.Count && !improved; j++)
                    {
                        var trial = new List<int>(_tour);
                        trial.Reverse(i, j - i + 1);
                        improved = Accept(trial);
                    }
                }
                for (var i = 0; i < _tour.Count && !improved; i++)
                {
                    for (var j = 0; j < _tour.Count && !improved; j++)
                    {
                        if (i == j) continue;
                        var trial = new List<int>(_tour);
                        var s = trial[i];
                        trial.RemoveAt(i);
                        trial.Insert(j, s);
                        improved = Accept(trial);
                    }
                }
            }
        }

        private bool Accept(List<int> trial)
        {
            var cost = Cost(trial);
            if (!(cost < _cost - 1e-7)) return false;
            (_tour, _cost) = (trial, cost);
            return true;
        }

        /// <summary>Replaces one visited stop by an unvisited higher-priority candidate at its cheapest position, if it fits.</summary>
        private bool Swap(List<int> candidates)
        {
            foreach (var u in candidates.Where(c => !_tour.Contains(c)).OrderByDescending(c => priority[c]).ThenBy(c => c))
            {
                foreach (var v in _tour.Where(v => priority[v] < priority[u]).OrderBy(v => priority[v]).ThenBy(v => v).ToList())
                {
                    var trial = new List<int>(_tour);
                    trial.Remove(v);
                    var (_, p) = BestInsertion(trial, u);
                    if (p < 0) continue;
                    trial.Insert(p, u);
                    var cost = Cost(trial);
                    if (cost > budget) continue;
                    (_tour, _cost) = (trial, cost);
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Inserts an unvisited candidate even though it does not fit, drops the stops with the least priority per second
        /// saved until the loop fits, refills greedily, and keeps the result when it collects more.
        /// </summary>
        private bool ForcedInsertion(List<int> candidates)
        {
            var collected = Collected(_tour);
            foreach (var u in candidates.Where(c => !_tour.Contains(c)).OrderByDescending(c => priority[c]).ThenBy(c => c))
            {
                var trial = new List<int>(_tour);
                var (_, p) = BestInsertion(trial, u);
                if (p < 0) continue;
                trial.Insert(p, u);
                var cost = Cost(trial);
                while (cost > budget && trial.Count > 1)
                {
                    var (drop, dropScore) = (-1, double.PositiveInfinity);
                    for (var i = 0; i < trial.Count; i++)
                    {
                        if (trial[i] == u) continue;
                        var before = i == 0 ? 0 : trial[i - 1];
                        var after = i == trial.Count - 1 ? 0 : trial[i + 1];
                        var saved = seconds[before, trial[i]] + seconds[trial[i], after] - seconds[before, after] + dwell;
                        var score = priority[trial[i]] / Math.Max(saved, Epsilon);
                        if (score < dropScore) (drop, dropScore) = (i, score);
                    }
                    trial.RemoveAt(drop);
                    cost = Cost(trial);
                }
                if (cost > budget) continue;
                Fill(trial, candidates);
                if (Collected(trial) > collected + Epsilon)
                {
                    (_tour, _cost) = (trial, Cost(trial));
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Appends the fastest way from one road position to another (<see cref="RoadRoutes.Between"/>: the way the
    /// hierarchy's times take).</summary>
    private static void AppendLeg(ContractionHierarchy hierarchy, RoadPosition from, RoadPosition to, CoordinateList coordinates)
    {
        if (RoadRoutes.Between(hierarchy, from, to) is { } leg) Append(coordinates, leg.Geometry.Coordinates); // unreachable cannot happen for chosen stops
    }

    private static void Append(CoordinateList list, IEnumerable<Coordinate> coordinates)
    {
        foreach (var c in coordinates) list.Add(c.Copy(), allowRepeated: false);
    }
}
