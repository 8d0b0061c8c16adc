using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Tests.Patrol;

/// <summary>
/// Each rule passing and failing on a 300 m grid of residential streets every 100 m with one footway from (20, 50) to
/// (120, 50). Road-check samples are 20 m apart, so off-road stretches are known to the sample. Lengths in metres.
/// </summary>
public sealed class RouteValidationTests
{
    private static readonly WKTReader Wkt = new();
    private static readonly ShiftWindow DayShift = new(new TimeOnly(8, 0), new TimeOnly(16, 0), []);

    private static readonly RoadGraph Graph = BuildGraph();

    private static RoadGraph BuildGraph()
    {
        RoadLine Street(double x0, double y0, double x1, double y1, string highway = "residential") =>
            RoadLine.FromLayer([new Coordinate(x0, y0), new Coordinate(x1, y1)], highway, oneWay: false, maxSpeedKmh: null);
        var lines = new List<RoadLine> { Street(20, 50, 120, 50, "footway") };
        for (var k = 0; k <= 3; k++)
        {
            lines.Add(Street(0, 100 * k, 300, 100 * k));
            lines.Add(Street(100 * k, 0, 100 * k, 300));
        }
        return RoadGraph.Build(lines);
    }

    private static MultiLineString Lines(string wkt) => Wkt.Read(wkt) switch
    {
        MultiLineString m => m,
        LineString l => new GeometryFactory().CreateMultiLineString([l]),
        var g => throw new ArgumentException(g.GeometryType),
    };

    private static PatrolRoutePlan Plan(string wkt, PatrolLevel level, PatrolMode mode, Polygon? area = null, params ShiftWindow[] shifts) =>
        new(Lines(wkt), level, mode, shifts.Length == 0 ? [DayShift] : shifts, area);

    [Fact]
    public void ACityRouteAlongCarRoadsThatFitsItsShiftHasNoProblems()
    {
        var route = Plan("LINESTRING (0 0, 300 0, 300 300, 0 300, 0 0)", PatrolLevel.City, PatrolMode.Vehicle);
        Assert.Empty(RouteValidation.Validate(route, Graph));
    }

    [Fact]
    public void ACityRouteThroughTheBlocksIsReportedStretchByStretch()
    {
        // Part 2 runs along y = 150, 50 m from the streets: on road only at the north–south streets x = 0, 100, 200, 300.
        var route = Plan("MULTILINESTRING ((0 0, 300 0), (0 150, 300 150))", PatrolLevel.City, PatrolMode.Vehicle);
        var problems = RouteValidation.Validate(route, Graph);
        Assert.All(problems, p => Assert.Equal(RouteProblemCodes.OffRoad, p.Code));
        Assert.Equal([new RouteStretch(1, 20, 80), new RouteStretch(1, 120, 180), new RouteStretch(1, 220, 280)], problems.Select(p => p.Stretch));
        var first = Assert.IsType<LineString>(problems[0].Where);
        Assert.Equal(new Coordinate(20, 150), first.StartPoint.Coordinate);
        Assert.Equal(new Coordinate(80, 150), first.EndPoint.Coordinate);
        // A looser tolerance than the 50 m to the streets accepts it.
        Assert.Empty(RouteValidation.Validate(route, Graph, roadToleranceM: 51));
    }

    [Fact]
    public void AFootwayIsNotACarRoadButIsFineForACommunityFootPatrol()
    {
        // Samples at x = 20 … 120: x = 100 lies on a street, x = 20 and 120 are 20 m from one, the rest 40–50 m.
        var vehicle = RouteValidation.Validate(Plan("LINESTRING (20 50, 120 50)", PatrolLevel.City, PatrolMode.Vehicle), Graph);
        Assert.Equal([new RouteStretch(0, 0, 60), new RouteStretch(0, 100, 100)], vehicle.Select(p => p.Stretch));
        Assert.Equal(new Coordinate(120, 50), Assert.IsType<Point>(vehicle[1].Where).Coordinate);
        var area = (Polygon)Wkt.Read("POLYGON ((0 0, 150 0, 150 100, 0 100, 0 0))");
        Assert.Empty(RouteValidation.Validate(Plan("LINESTRING (20 50, 120 50)", PatrolLevel.Community, PatrolMode.Foot, area), graph: null));
    }

    [Fact]
    public void ACommunityRouteLeavingItsAreaReportsTheLengthOutside()
    {
        var area = (Polygon)Wkt.Read("POLYGON ((-5 -5, 100 -5, 100 100, -5 100, -5 -5))");
        // Within the 10 m tolerance up to x = 110: 90 m outside.
        var problem = Assert.Single(RouteValidation.Validate(Plan("LINESTRING (0 0, 200 0)", PatrolLevel.Community, PatrolMode.Foot, area), null));
        Assert.Equal(RouteProblemCodes.OutsideArea, problem.Code);
        Assert.Equal(90, problem.Where!.Length, 1e-6);
        Assert.Equal(110, problem.Where.Coordinates.Min(c => c.X), 1e-6);
        Assert.Empty(RouteValidation.Validate(Plan("LINESTRING (0 0, 105 0)", PatrolLevel.Community, PatrolMode.Foot, area), null));
        Assert.Equal(RouteProblemCodes.AreaMissing,
            Assert.Single(RouteValidation.Validate(Plan("LINESTRING (0 0, 105 0)", PatrolLevel.Community, PatrolMode.Bicycle), null)).Code);
    }

    [Fact]
    public void OneLoopMustFitTheShortestShiftAtTheNominalPatrolSpeed()
    {
        // 1,200 m loop at 8 m/s = 150 s: fits 3 min, not a 2 min window across midnight.
        const string Loop = "LINESTRING (0 0, 300 0, 300 300, 0 300, 0 0)";
        Assert.Equal(1200, RouteValidation.LoopLengthM(Lines(Loop)), 1e-9);
        var threeMinutes = new ShiftWindow(new TimeOnly(8, 0), new TimeOnly(8, 3), []);
        var acrossMidnight = new ShiftWindow(new TimeOnly(23, 59), new TimeOnly(0, 1), [6, 7]);
        Assert.Empty(RouteValidation.Validate(Plan(Loop, PatrolLevel.City, PatrolMode.Vehicle, null, DayShift, threeMinutes), Graph));
        var problem = Assert.Single(RouteValidation.Validate(Plan(Loop, PatrolLevel.City, PatrolMode.Vehicle, null, DayShift, acrossMidnight), Graph));
        Assert.Equal(RouteProblemCodes.TooLongForShift, problem.Code);
        Assert.Contains("23:59", problem.Message, StringComparison.Ordinal);
        // An open foot route is walked there and back: 2 × 130 m at 1.3 m/s = 200 s.
        const string Open = "LINESTRING (0 0, 0 130)";
        Assert.Equal(260, RouteValidation.LoopLengthM(Lines(Open)), 1e-9);
        var area = (Polygon)Wkt.Read("POLYGON ((-50 -50, 50 -50, 50 200, -50 200, -50 -50))");
        Assert.Single(RouteValidation.Validate(Plan(Open, PatrolLevel.Community, PatrolMode.Foot, area, threeMinutes), null));
        Assert.Empty(RouteValidation.Validate(Plan(Open, PatrolLevel.Community, PatrolMode.Foot, area,
            new ShiftWindow(new TimeOnly(8, 0), new TimeOnly(8, 4), [])), null));
    }

    [Fact]
    public void ARouteWithoutShiftsOrWithoutLengthIsReported()
    {
        var noShifts = new PatrolRoutePlan(Lines("LINESTRING (0 0, 300 0)"), PatrolLevel.District, PatrolMode.Foot, []);
        Assert.Equal(RouteProblemCodes.NoShiftWindows, Assert.Single(RouteValidation.Validate(noShifts, null)).Code);
        var empty = new PatrolRoutePlan(new GeometryFactory().CreateMultiLineString(), PatrolLevel.City, PatrolMode.Vehicle, [DayShift]);
        Assert.Equal(RouteProblemCodes.EmptyRoute, Assert.Single(RouteValidation.Validate(empty, Graph)).Code);
    }
}
