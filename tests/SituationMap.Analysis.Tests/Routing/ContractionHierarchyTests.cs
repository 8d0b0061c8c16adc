using NetTopologySuite.Geometries;
using SituationMap.Analysis.Routing;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>
/// The contraction hierarchy gives the same travel times as plain Dijkstra (|Δ| ≤ 1e-6 s, and the same unreachable
/// pairs): all pairs of random small graphs, random pairs and snapped points on the Liechtenstein graph.
/// </summary>
public sealed class ContractionHierarchyTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    /// <summary>A jittered grid of roads with random classes, oneways, limits, some missing streets and a few duplicates.</summary>
    internal static RoadGraph RandomGrid(int seed, int size)
    {
        var random = new Random(seed);
        var points = new Coordinate[size, size];
        for (var i = 0; i < size; i++)
            for (var j = 0; j < size; j++)
                points[i, j] = new Coordinate(i * 100 + random.NextDouble() * 40, j * 100 + random.NextDouble() * 40);
        string[] classes = ["primary", "residential", "footway", "service", "cycleway", "motorway"];
        string?[] oneways = [null, null, null, "yes", "-1", "no"];
        string?[] limits = [null, null, "50", "30 mph", "walk", "20"];
        var lines = new List<RoadLine>();
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                foreach (var (di, dj) in new[] { (1, 0), (0, 1), (1, 1) })
                {
                    if (i + di >= size || j + dj >= size) continue;
                    if (random.NextDouble() < ((di, dj) == (1, 1) ? 0.8 : 0.15)) continue;
                    var a = points[i, j];
                    var b = points[i + di, j + dj];
                    var mid = new Coordinate((a.X + b.X) / 2 + random.NextDouble() * 10, (a.Y + b.Y) / 2);
                    lines.Add(new RoadLine([a, mid, b], classes[random.Next(classes.Length)], oneways[random.Next(oneways.Length)],
                        limits[random.Next(limits.Length)]));
                    if (random.NextDouble() < 0.05) lines.Add(new RoadLine([a, b], "tertiary")); // a parallel, shorter road
                }
            }
        }
        return RoadGraph.Build(lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void EqualsDijkstraOnAllPairsOfRandomGraphs(int seed)
    {
        var graph = RandomGrid(seed, 9);
        foreach (var mode in TravelModeSets.Each)
        {
            var ch = ContractionHierarchy.Build(graph, mode);
            var unreachable = 0;
            for (var s = 0; s < graph.NodeCount; s++)
            {
                var tree = Dijkstra.Search(graph, mode, [(s, 0)]);
                for (var t = 0; t < graph.NodeCount; t++)
                {
                    var expected = tree.Seconds[t];
                    var actual = ch.TravelTime(s, t);
                    if (double.IsPositiveInfinity(expected)) { unreachable++; Assert.True(double.IsPositiveInfinity(actual)); }
                    else Assert.Equal(expected, actual, Tolerance);
                }
            }
            output.WriteLine($"seed {seed} {mode}: {graph.NodeCount} nodes, {ch.ShortcutCount} shortcuts, {unreachable} unreachable pairs");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void UnpackedPathsAreChainsOfRoadEdgesWithTheShortestTime(int seed)
    {
        var graph = RandomGrid(seed, 9);
        foreach (var mode in TravelModeSets.Each)
        {
            var ch = ContractionHierarchy.Build(graph, mode);
            for (var s = 0; s < graph.NodeCount; s += 3)
            {
                var tree = Dijkstra.Search(graph, mode, [(s, 0)]);
                for (var t = 0; t < graph.NodeCount; t += 2)
                {
                    var path = ch.Path(s, t);
                    if (!tree.Reached(t)) { Assert.Null(path); continue; }
                    Assert.NotNull(path);
                    Assert.Equal(tree.Seconds[t], path.Seconds, Tolerance);
                    Assert.Equal(s, path.Nodes[0]);
                    Assert.Equal(t, path.Nodes[^1]);
                    Assert.Equal(path.Nodes.Count - 1, path.Edges.Count);
                    var seconds = 0.0;
                    for (var i = 0; i < path.Edges.Count; i++)
                    {
                        var e = path.Edges[i];
                        var (a, b) = (path.Nodes[i], path.Nodes[i + 1]);
                        Assert.True((graph.EdgeFrom[e], graph.EdgeTo[e]) == (a, b) || (graph.EdgeFrom[e], graph.EdgeTo[e]) == (b, a));
                        seconds += graph.EdgeFrom[e] == a ? graph.ForwardTime(mode, e) : graph.BackwardTime(mode, e);
                    }
                    Assert.Equal(tree.Seconds[t], seconds, Tolerance);
                }
            }
        }
    }

    [Fact]
    public void EqualsDijkstraOnRandomPairsOfTheLiechtensteinCarGraph()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, ch)) return;
        var random = new Random(7);
        var reached = 0;
        // Nodes with car arcs both in and out (footway-only nodes are not part of the car graph).
        var car = Enumerable.Range(0, graph.NodeCount).Where(v => Degree(graph.Out(TravelMode.Car), v) > 0 && Degree(graph.In(TravelMode.Car), v) > 0).ToArray();
        for (var i = 0; i < 500; i++)
        {
            var s = car[random.Next(car.Length)];
            var t = car[random.Next(car.Length)];
            var expected = Dijkstra.Search(graph, TravelMode.Car, [(s, 0)]).Seconds[t];
            var actual = ch.TravelTime(s, t);
            if (double.IsPositiveInfinity(expected)) Assert.True(double.IsPositiveInfinity(actual), $"{s}->{t}");
            else
            {
                Assert.Equal(expected, actual, Tolerance);
                Assert.Equal(expected, ch.Path(s, t)!.Seconds, Tolerance);
                reached++;
            }
        }
        output.WriteLine($"{graph.NodeCount} nodes, {graph.EdgeCount} edges, {ch.ShortcutCount} shortcuts; {reached}/500 pairs connected");
        Assert.True(reached > 450, $"only {reached} of 500 random pairs are connected: the graph is fragmented");
    }

    [Fact]
    public void ManyUnitsToOneIncidentEqualDijkstraFromSnappedPointsInLiechtenstein()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, ch)) return;
        var random = new Random(11);
        var extent = new Envelope();
        foreach (var node in graph.Nodes) extent.ExpandToInclude(node);
        RoadPosition RandomPosition()
        {
            while (true)
            {
                var p = new Coordinate(extent.MinX + random.NextDouble() * extent.Width, extent.MinY + random.NextDouble() * extent.Height);
                if (graph.Snap(p, TravelMode.Car, 500) is { } position) return position;
            }
        }
        for (var round = 0; round < 5; round++)
        {
            var units = Enumerable.Range(0, 60).Select(_ => RandomPosition()).ToList();
            var incident = RandomPosition();
            var times = ch.TravelTimesTo(units, incident);
            var back = ch.TravelTimesFrom(incident, units);
            for (var i = 0; i < units.Count; i++)
            {
                AssertSame(Dijkstra.TravelTime(graph, TravelMode.Car, units[i], incident), times[i]);
                AssertSame(Dijkstra.TravelTime(graph, TravelMode.Car, incident, units[i]), back[i]);
                AssertSame(times[i], ch.TravelTime(units[i], incident));
            }
        }
    }

    [Fact]
    public void BicycleAndFootHierarchiesEqualDijkstraInLiechtenstein()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, _)) return;
        foreach (var mode in new[] { TravelMode.Bicycle, TravelMode.Foot })
        {
            var ch = ContractionHierarchy.Build(graph, mode);
            var random = new Random(13);
            for (var i = 0; i < 100; i++)
            {
                var s = random.Next(graph.NodeCount);
                var tree = Dijkstra.Search(graph, mode, [(s, 0)]);
                var targets = Enumerable.Range(0, 5).Select(_ => random.Next(graph.NodeCount)).ToList();
                var times = ch.TravelTimesFrom(graph.AtNode(s), [.. targets.Select(graph.AtNode)]);
                for (var k = 0; k < targets.Count; k++) AssertSame(tree.Seconds[targets[k]], times[k]);
            }
        }
    }

    private static int Degree(ArcList arcs, int v) => arcs.First[v + 1] - arcs.First[v];

    private static void AssertSame(double expected, double actual)
    {
        if (double.IsPositiveInfinity(expected)) Assert.True(double.IsPositiveInfinity(actual), $"expected unreachable, got {actual}");
        else Assert.Equal(expected, actual, Tolerance);
    }
}
