using NetTopologySuite.Geometries;
using SituationMap.Analysis.Routing;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>Graph building (splitting, oneway), snapping with offsets and partial edge times. Metres, seconds; 1e-9 tolerance.</summary>
public sealed class RoadGraphTests(ITestOutputHelper output)
{
    private static Coordinate C(double x, double y) => new(x, y);

    // A square block 0..100 m: south side (0,0)->(100,0) oneway east, the other three sides two-way; 36 km/h = 10 m/s.
    private static RoadGraph Block() => RoadGraph.Build(
    [
        RoadLine.FromLayer([C(0, 0), C(100, 0)], "residential", oneWay: true, maxSpeedKmh: 36),
        RoadLine.FromLayer([C(100, 0), C(100, 100), C(0, 100), C(0, 0)], "residential", oneWay: false, maxSpeedKmh: 36),
    ]);

    private static int NodeAt(RoadGraph graph, double x, double y) =>
        Enumerable.Range(0, graph.NodeCount).Single(v => graph.Nodes[v].X == x && graph.Nodes[v].Y == y);

    [Fact]
    public void OneWayStreetsAreOnlyDrivenForwardButWalkedBothWays()
    {
        var graph = Block();
        var west = NodeAt(graph, 0, 0);
        var east = NodeAt(graph, 100, 0);
        Assert.Equal(10, Dijkstra.Path(graph, TravelMode.Car, west, east)!.Seconds, 1e-9);
        // Against the oneway the car goes round the other three sides: 300 m.
        var back = Dijkstra.Path(graph, TravelMode.Car, east, west)!;
        Assert.Equal(30, back.Seconds, 1e-9);
        Assert.Equal(30, ContractionHierarchy.Build(graph, TravelMode.Car).TravelTime(east, west), 1e-9);
        // Bicycles obey oneway too; pedestrians (5 km/h) do not.
        Assert.Equal(300 / (18 / 3.6), Dijkstra.Path(graph, TravelMode.Bicycle, east, west)!.Seconds, 1e-9);
        Assert.Equal(100 / (5 / 3.6), Dijkstra.Path(graph, TravelMode.Foot, east, west)!.Seconds, 1e-9);
        Assert.Single(back.Edges); // the three other sides are one line, one edge
        var south = Enumerable.Range(0, graph.EdgeCount).Single(e => graph.EdgeFrom[e] == west && graph.EdgeTo[e] == east);
        Assert.True(double.IsPositiveInfinity(graph.BackwardTime(TravelMode.Car, south)));
        Assert.Equal(graph.ForwardTime(TravelMode.Foot, south), graph.BackwardTime(TravelMode.Foot, south));
    }

    [Fact]
    public void ClosedWaysAreSplitSoThatNoEdgeIsALoop()
    {
        // A roundabout drawn as one closed way, touched by one approach road: no self-loop edge, oneway by junction tag.
        var ring = new RoadLine([C(0, 0), C(10, 0), C(10, 10), C(0, 10), C(0, 0)], "primary", Junction: "roundabout");
        var approach = new RoadLine([C(-50, 0), C(0, 0)], "primary");
        var graph = RoadGraph.Build([ring, approach]);
        Assert.All(Enumerable.Range(0, graph.EdgeCount), e => Assert.NotEqual(graph.EdgeFrom[e], graph.EdgeTo[e]));
        Assert.Equal(40 + 50, graph.EdgeLength.Sum(), 1e-9);
        var entry = NodeAt(graph, 0, 0);
        var far = NodeAt(graph, 10, 10);
        // Anticlockwise (as drawn) 20 m to the far corner either way round, but only forward for cars.
        Assert.Equal(20 / (70 / 3.6), Dijkstra.Path(graph, TravelMode.Car, entry, far)!.Seconds, 1e-9);
        Assert.Equal(20 / (70 / 3.6), Dijkstra.Path(graph, TravelMode.Car, far, entry)!.Seconds, 1e-9);
        Assert.True(Dijkstra.Path(graph, TravelMode.Car, entry, far)!.Nodes.Count >= 2);
    }

    [Fact]
    public void LinesAreSplitAtSharedNodesAndNotAtMereCrossings()
    {
        // A crosses B at (50, 0) sharing that vertex; C crosses A at (20, 0) without a vertex there.
        var a = new RoadLine([C(0, 0), C(20, 0), C(50, 0), C(100, 0)], "residential");
        var b = new RoadLine([C(50, -50), C(50, 0), C(50, 50)], "residential");
        var c = new RoadLine([C(25, -50), C(25, 50)], "residential");
        var graph = RoadGraph.Build([a, b, c]);
        Assert.Equal(7, graph.NodeCount); // 0,0 · 50,0 · 100,0 · 50,±50 · 25,±50
        Assert.Equal(5, graph.EdgeCount);
        Assert.Equal(3, graph.EdgeGeometry.Single(g => g.StartPoint.X == 0).NumPoints);
    }

    [Fact]
    public void OsmNodeIdsJoinWaysRegardlessOfCoordinates()
    {
        var a = new RoadLine([C(0, 0), C(100, 0)], "residential", NodeIds: [1, 2]);
        var b = new RoadLine([C(100.001, 0), C(200, 0)], "residential", NodeIds: [2, 3]);
        var graph = RoadGraph.Build([a, b]);
        Assert.Equal(3, graph.NodeCount);
        Assert.NotNull(Dijkstra.Path(graph, TravelMode.Car, 0, 2));
    }

    [Fact]
    public void SnappingGivesTheNearestEdgeTheOffsetAlongItAndPartialTimes()
    {
        var graph = Block();
        // 30 m south of the oneway street, 25 m from its west end.
        var position = graph.Snap(C(25, -30), TravelMode.Car)!;
        var south = position.Edge;
        Assert.Equal(0, graph.Nodes[graph.EdgeFrom[south]].Y);
        Assert.Equal(0, graph.Nodes[graph.EdgeTo[south]].Y);
        Assert.Equal(25, position.Offset, 1e-9);
        Assert.Equal(30, position.DistanceM, 1e-9);
        Assert.Equal(25, position.Point.X, 1e-9);
        // A car there can only drive on east (75 m = 7.5 s); a pedestrian can walk either way.
        Assert.Equal(new[] { (graph.EdgeTo[south], 7.5) }, graph.Departures(position, TravelMode.Car));
        Assert.Equal(2, graph.Departures(position, TravelMode.Foot).Count);
        // Offsets along a multi-vertex edge: (100,40) on the east side → 40 m from (100,0) along the two-way ring.
        var ring = graph.Snap(C(130, 40), TravelMode.Car)!;
        Assert.Equal(30, ring.DistanceM, 1e-9);
        Assert.Equal(graph.Nodes[graph.EdgeFrom[ring.Edge]].X == 100 ? 40 : graph.EdgeLength[ring.Edge] - 40, ring.Offset, 1e-9);
        // From the south-side point to the east-side point: 7.5 s to the corner, then 4 s north.
        Assert.Equal(11.5, Dijkstra.TravelTime(graph, TravelMode.Car, position, ring), 1e-9);
        Assert.Equal(11.5, ContractionHierarchy.Build(graph, TravelMode.Car).TravelTime(position, ring), 1e-9);
        // And back: north side round to (0,0), then east 2.5 s along the oneway: 6 + 10 + 10 + 2.5 + ... = 36 s - 11.5 s.
        Assert.Equal(6 + 10 + 10 + 2.5, Dijkstra.TravelTime(graph, TravelMode.Car, ring, position), 1e-9);
    }

    [Fact]
    public void TwoPointsOnTheSameEdgeUseItDirectlyOnlyInTheAllowedDirection()
    {
        var graph = Block();
        var ch = ContractionHierarchy.Build(graph, TravelMode.Car);
        var west = graph.Snap(C(20, 1), TravelMode.Car)!;
        var east = graph.Snap(C(70, 1), TravelMode.Car)!;
        Assert.Equal(5, Dijkstra.TravelTime(graph, TravelMode.Car, west, east), 1e-9);
        Assert.Equal(5, ch.TravelTime(west, east), 1e-9);
        // Backwards: 3 s east to the corner, 30 s round, 2 s along again.
        Assert.Equal(35, Dijkstra.TravelTime(graph, TravelMode.Car, east, west), 1e-9);
        Assert.Equal(35, ch.TravelTime(east, west), 1e-9);
        Assert.Equal(35, ch.TravelTimesTo([east], west).Single(), 1e-9);
    }

    [Fact]
    public void SnappingIgnoresEdgesTheModeCannotUseAndGivesUpBeyondTheLimit()
    {
        var graph = RoadGraph.Build(
        [
            new RoadLine([C(0, 0), C(100, 0)], "footway"),
            new RoadLine([C(0, 50), C(100, 50)], "residential"),
        ]);
        Assert.Equal(0, graph.Snap(C(50, 5), TravelMode.Foot)!.Point.Y);
        Assert.Equal(50, graph.Snap(C(50, 5), TravelMode.Car)!.Point.Y);
        Assert.Null(graph.Snap(C(50, 5), TravelMode.Car, maxDistanceM: 40));
    }

    [Fact]
    public void TheLiechtensteinExtractBuildsAConnectedRoadGraphWithOneWays()
    {
        if (LiechtensteinRoads.Get(output) is not var (graph, _)) return;
        var oneway = Enumerable.Range(0, graph.EdgeCount)
            .Count(e => double.IsFinite(graph.ForwardTime(TravelMode.Car, e)) != double.IsFinite(graph.BackwardTime(TravelMode.Car, e)));
        output.WriteLine($"{graph.NodeCount} nodes, {graph.EdgeCount} edges, {oneway} car oneway edges, UTM zone {graph.Projection!.UtmZone}");
        Assert.Equal(32, graph.Projection.UtmZone);
        // The 2013 extract has 2,753 highway ways (2,749 of road classes, 32,162 vertices): about 4,000 junctions and ends.
        Assert.InRange(graph.NodeCount, 3_000, 6_000);
        Assert.True(oneway > 50);
        // Foot ignores oneway: every edge a pedestrian may use is walkable both ways.
        Assert.All(Enumerable.Range(0, graph.EdgeCount), e =>
            Assert.Equal(double.IsFinite(graph.ForwardTime(TravelMode.Foot, e)), double.IsFinite(graph.BackwardTime(TravelMode.Foot, e))));
        // No car arc runs against a oneway edge.
        var arcs = graph.Out(TravelMode.Car);
        for (var v = 0; v < graph.NodeCount; v++)
        {
            for (var a = arcs.First[v]; a < arcs.First[v + 1]; a++)
            {
                var e = arcs.Edge[a];
                Assert.True(graph.EdgeFrom[e] == v ? double.IsFinite(graph.ForwardTime(TravelMode.Car, e)) : double.IsFinite(graph.BackwardTime(TravelMode.Car, e)));
            }
        }
    }
}
