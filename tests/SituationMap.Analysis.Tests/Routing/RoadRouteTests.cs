using NetTopologySuite.Geometries;
using SituationMap.Analysis.Routing;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Routing;

/// <summary>
/// Routes with geometry between snapped positions: the seconds equal the hierarchy's travel time (and Dijkstra's), the
/// line starts and ends at the snapped points, its length is the sum of the pieces, and walking it at each edge's speed
/// takes the reported seconds.
/// </summary>
public sealed class RoadRouteTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void RoutesBetweenRandomPositionsAreExactAndContinuous(int seed)
    {
        var graph = ContractionHierarchyTests.RandomGrid(seed, 8);
        var random = new Random(seed);
        foreach (var mode in TravelModeSets.Each)
        {
            var ch = ContractionHierarchy.Build(graph, mode);
            var checkedRoutes = 0;
            for (var k = 0; k < 200; k++)
            {
                var a = graph.Snap(new Coordinate(random.NextDouble() * 750, random.NextDouble() * 750), mode);
                var b = graph.Snap(new Coordinate(random.NextDouble() * 750, random.NextDouble() * 750), mode);
                if (a is null || b is null) continue;
                var expected = Dijkstra.TravelTime(graph, mode, a, b);
                var route = RoadRoutes.Between(ch, a, b);
                if (double.IsPositiveInfinity(expected))
                {
                    Assert.Null(route);
                    continue;
                }
                Assert.NotNull(route);
                Assert.Equal(expected, route.Seconds, 1e-6);
                Assert.Equal(0, route.Geometry.StartPoint.Coordinate.Distance(a.Point), 1e-6);
                Assert.Equal(0, route.Geometry.EndPoint.Coordinate.Distance(b.Point), 1e-6);
                Assert.Equal(route.Geometry.Length, route.LengthM, 1e-6);
                Assert.Equal(route.Seconds, TimeAlong(graph, mode, route.Geometry), 1e-3);
                checkedRoutes++;
            }
            output.WriteLine($"seed {seed} {mode}: {checkedRoutes} routes checked");
            Assert.True(checkedRoutes >= 10, $"only {checkedRoutes} reachable pairs");
        }
    }

    [Fact]
    public void OneWayStreetsAreDrivenOnlyTheirWayButWalkedBothWays()
    {
        // a square block: the bottom street is one-way eastwards
        Coordinate[] c = [new(0, 0), new(100, 0), new(100, 100), new(0, 100)];
        var graph = RoadGraph.Build([
            new RoadLine([c[0], c[1]], "residential", "yes", "36"),
            new RoadLine([c[1], c[2]], "residential", null, "36"),
            new RoadLine([c[2], c[3]], "residential", null, "36"),
            new RoadLine([c[3], c[0]], "residential", null, "36"),
        ]);
        var car = ContractionHierarchy.Build(graph, TravelMode.Car);
        var east = graph.Snap(new Coordinate(80, 0), TravelMode.Car)!;
        var west = graph.Snap(new Coordinate(20, 0), TravelMode.Car)!;
        var withTheFlow = RoadRoutes.Between(car, west, east)!;
        Assert.Equal(60, withTheFlow.LengthM, 1e-9);
        Assert.Equal(6, withTheFlow.Seconds, 1e-9); // 36 km/h = 10 m/s
        var against = RoadRoutes.Between(car, east, west)!;
        Assert.Equal(20 + 100 + 100 + 100 + 20, against.LengthM, 1e-9); // round the block
        Assert.Equal(34, against.Seconds, 1e-9);
        var foot = RoadRoutes.Between(ContractionHierarchy.Build(graph, TravelMode.Foot), east, west)!;
        Assert.Equal(60, foot.LengthM, 1e-9);
        Assert.Equal(new Coordinate(20, 0), foot.Geometry.EndPoint.Coordinate);
    }

    [Fact]
    public void WaypointsAreVisitedInOrderAndALoopReturnsToTheStart()
    {
        var graph = ContractionHierarchyTests.RandomGrid(21, 6);
        var ch = ContractionHierarchy.Build(graph, TravelMode.Foot);
        var stops = new[] { new Coordinate(50, 50), new Coordinate(420, 120), new Coordinate(300, 450) }
            .Select(p => graph.Snap(p, TravelMode.Foot)!).ToList();
        var (route, legs, failed) = RoadRoutes.Through(ch, stops, loop: true);
        Assert.Equal(-1, failed);
        Assert.NotNull(route);
        Assert.Equal(3, legs.Count);
        Assert.Equal(legs.Sum(l => ch.TravelTime(l.From, l.To)), route.Seconds, 1e-6);
        Assert.Equal(route.Geometry.StartPoint.Coordinate, route.Geometry.EndPoint.Coordinate);
        for (var i = 0; i < stops.Count; i++) Assert.True(route.Geometry.Distance(new Point(stops[i].Point)) < 1e-6);
    }

    /// <summary>Seconds to travel the line by the mode: each segment is matched to the edge it lies on.</summary>
    private static double TimeAlong(RoadGraph graph, TravelMode mode, LineString line)
    {
        var total = 0.0;
        var points = line.Coordinates;
        for (var i = 0; i + 1 < points.Length; i++)
        {
            var (a, b) = (points[i], points[i + 1]);
            if (a.Distance(b) < 1e-9) continue;
            var mid = new Coordinate((a.X + b.X) / 2, (a.Y + b.Y) / 2);
            // the edge the segment lies on and which way it runs along it
            var best = double.PositiveInfinity;
            for (var e = 0; e < graph.EdgeCount; e++)
            {
                var geometry = graph.EdgeGeometry[e];
                if (geometry.Distance(new Point(mid)) > 1e-6 || geometry.Distance(new Point(a)) > 1e-6 || geometry.Distance(new Point(b)) > 1e-6) continue;
                var ia = new NetTopologySuite.LinearReferencing.LengthIndexedLine(geometry).Project(a);
                var ib = new NetTopologySuite.LinearReferencing.LengthIndexedLine(geometry).Project(b);
                var perMetre = (ib > ia ? graph.ForwardTime(mode, e) : graph.BackwardTime(mode, e)) / graph.EdgeLength[e];
                best = Math.Min(best, perMetre * Math.Abs(ib - ia));
            }
            total += best;
        }
        return total;
    }
}
