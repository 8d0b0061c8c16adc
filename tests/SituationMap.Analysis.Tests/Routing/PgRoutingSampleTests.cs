using NetTopologySuite.Geometries;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>
/// Dijkstra (and the contraction hierarchy) against pgRouting's documented pgr_dijkstra results on its sample graph
/// (/work/shared/reference/pgrouting-sample.md, copied here). Every edge is 1 unit long (17 and 18 are longer), built as a
/// residential road in metres with maxspeed 3.6 km/h (1 m/s), so a pgRouting cost of 1 is 1 s; cost/reverse_cost &lt; 0
/// become oneway or a missing road. Costs exact to 1e-9; node sequences checked where the shortest path is unique.
/// </summary>
public sealed class PgRoutingSampleTests
{
    private static readonly (double X, double Y)[] Vertices =
    [
        (0, 2), (0.5, 3.5), (1, 2), (1.999999999999, 3.5), (2, 0), (2, 1), (2, 2), (2, 3), (2, 4),
        (3, 1), (3, 2), (3, 3), (3.5, 2.3), (3.5, 4), (4, 1), (4, 2), (4, 3),
    ];

    private static readonly (int Source, int Target, double Cost, double Reverse)[] Edges =
    [
        (5, 6, 1, 1), (6, 10, -1, 1), (10, 15, -1, 1), (6, 7, 1, 1), (10, 11, 1, -1), (1, 3, 1, 1), (3, 7, 1, 1),
        (7, 11, 1, 1), (11, 16, 1, 1), (7, 8, 1, 1), (11, 12, 1, -1), (8, 12, 1, -1), (12, 17, 1, -1), (8, 9, 1, 1),
        (16, 17, 1, 1), (15, 16, 1, 1), (2, 4, 1, 1), (13, 14, 1, 1),
    ];

    public enum Variant
    {
        DirectedWithReverse,
        UndirectedWithReverse,
        DirectedCostOnly,
        UndirectedCostOnly,
    }

    private static RoadGraph Sample(Variant variant)
    {
        var lines = new List<RoadLine>();
        foreach (var (s, t, cost, reverse) in Edges)
        {
            string? oneway = variant switch
            {
                Variant.DirectedWithReverse => cost < 0 ? "-1" : reverse < 0 ? "yes" : "no",
                Variant.UndirectedWithReverse => "no",
                Variant.DirectedCostOnly => cost < 0 ? null : "yes",
                _ => cost < 0 ? null : "no",
            };
            if (oneway is null) continue;
            var a = Vertices[s - 1];
            var b = Vertices[t - 1];
            lines.Add(new RoadLine([new Coordinate(a.X, a.Y), new Coordinate(b.X, b.Y)], "residential", oneway, "3.6"));
        }
        return RoadGraph.Build(lines);
    }

    private static int Node(RoadGraph graph, int vid)
    {
        var (x, y) = Vertices[vid - 1];
        for (var v = 0; v < graph.NodeCount; v++) if (graph.Nodes[v].X == x && graph.Nodes[v].Y == y) return v;
        return -1;
    }

    [Theory]
    [InlineData(Variant.DirectedWithReverse, 6, 10, 5.0, new[] { 6, 7, 11, 16, 15, 10 })]
    [InlineData(Variant.DirectedWithReverse, 6, 17, 4.0, null)]
    [InlineData(Variant.DirectedWithReverse, 1, 17, 5.0, null)]
    [InlineData(Variant.DirectedWithReverse, 6, 7, 1.0, new[] { 6, 7 })]
    [InlineData(Variant.DirectedWithReverse, 12, 10, 4.0, new[] { 12, 17, 16, 15, 10 })]
    [InlineData(Variant.DirectedWithReverse, 12, 7, 4.0, new[] { 12, 17, 16, 11, 7 })]
    [InlineData(Variant.DirectedWithReverse, 7, 10, 4.0, null)]
    [InlineData(Variant.DirectedWithReverse, 7, 15, 3.0, null)]
    [InlineData(Variant.DirectedWithReverse, 10, 7, 2.0, null)]
    [InlineData(Variant.DirectedWithReverse, 10, 15, 3.0, null)]
    [InlineData(Variant.DirectedWithReverse, 15, 7, 3.0, null)]
    [InlineData(Variant.DirectedWithReverse, 15, 10, 1.0, null)]
    [InlineData(Variant.UndirectedWithReverse, 6, 10, 1.0, new[] { 6, 10 })]
    [InlineData(Variant.UndirectedWithReverse, 6, 7, 1.0, null)]
    [InlineData(Variant.UndirectedWithReverse, 12, 10, 2.0, null)]
    [InlineData(Variant.UndirectedWithReverse, 12, 7, 2.0, null)] // not unique, despite the reference: 12 (11) 11 (8) 7 also costs 2
    [InlineData(Variant.UndirectedWithReverse, 1, 10, 4.0, new[] { 1, 3, 7, 6, 10 })]
    [InlineData(Variant.UndirectedWithReverse, 1, 17, 5.0, null)]
    [InlineData(Variant.UndirectedWithReverse, 6, 17, 4.0, null)]
    [InlineData(Variant.UndirectedWithReverse, 5, 6, 1.0, null)]
    [InlineData(Variant.UndirectedWithReverse, 5, 10, 2.0, null)]
    [InlineData(Variant.UndirectedWithReverse, 6, 5, 1.0, null)]
    [InlineData(Variant.UndirectedWithReverse, 6, 15, 2.0, null)]
    [InlineData(Variant.DirectedCostOnly, 6, 7, 1.0, new[] { 6, 7 })]
    [InlineData(Variant.UndirectedCostOnly, 6, 10, 3.0, new[] { 6, 7, 11, 10 })]
    [InlineData(Variant.UndirectedCostOnly, 12, 10, 2.0, new[] { 12, 11, 10 })]
    [InlineData(Variant.UndirectedCostOnly, 12, 7, 2.0, null)] // idem
    public void DijkstraCostsMatchPgRouting(Variant variant, int from, int to, double cost, int[]? uniquePath)
    {
        var graph = Sample(variant);
        var path = Dijkstra.Path(graph, TravelMode.Car, Node(graph, from), Node(graph, to));
        Assert.NotNull(path);
        Assert.Equal(cost, path.Seconds, 1e-9);
        // Whatever the tie-breaking, the path is a chain of edges whose times add up to the cost.
        Assert.Equal(path.Nodes.Count - 1, path.Edges.Count);
        Assert.Equal(cost, path.Edges.Sum(e => graph.EdgeLength[e]), 1e-9);
        var ch = ContractionHierarchy.Build(graph, TravelMode.Car);
        Assert.Equal(cost, ch.TravelTime(Node(graph, from), Node(graph, to)), 1e-9);
        Assert.Equal(cost, ch.Path(Node(graph, from), Node(graph, to))!.Seconds, 1e-9);
        if (uniquePath is not null)
        {
            Assert.Equal(uniquePath.Select(v => Node(graph, v)), path.Nodes);
            Assert.Equal(uniquePath.Select(v => Node(graph, v)), ch.Path(Node(graph, from), Node(graph, to))!.Nodes);
        }
    }

    [Theory]
    [InlineData(Variant.DirectedCostOnly, 6, 10)]
    [InlineData(Variant.DirectedCostOnly, 12, 10)]
    [InlineData(Variant.DirectedCostOnly, 12, 7)]
    [InlineData(Variant.UndirectedWithReverse, 6, 14)]
    [InlineData(Variant.UndirectedWithReverse, 6, 2)]
    [InlineData(Variant.UndirectedWithReverse, 6, 13)]
    public void PairsWithoutAPathInPgRoutingHaveNone(Variant variant, int from, int to)
    {
        var graph = Sample(variant);
        Assert.Null(Dijkstra.Path(graph, TravelMode.Car, Node(graph, from), Node(graph, to)));
        Assert.True(double.IsPositiveInfinity(ContractionHierarchy.Build(graph, TravelMode.Car).TravelTime(Node(graph, from), Node(graph, to))));
    }

    [Fact]
    public void TheTrapEdgesStayUnconnected()
    {
        // Edge 17 ends 1e-12 short of edge 14 and edge 18 crosses edge 13 without a shared vertex: 17 nodes, no joins.
        var graph = Sample(Variant.UndirectedWithReverse);
        Assert.Equal(17, graph.NodeCount);
        Assert.Equal(18, graph.EdgeCount);
        Assert.All(Enumerable.Range(1, 17), v => Assert.True(Node(graph, v) >= 0));
    }
}
