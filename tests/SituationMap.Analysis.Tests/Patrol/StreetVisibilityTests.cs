using NetTopologySuite.Geometries;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Tests.Patrol;

/// <summary>
/// Street visibility on a 300 m square grid of streets every 100 m (4 east–west and 4 north–south streets of 300 m:
/// 2,400 m), split into a west (x &lt; 150) and an east district of 1,200 m of road each. Tracks drive 10 m/s with a fix
/// every 5 s, 5 m beside the street's centre line. Lengths in metres, tolerance 1e-6 m.
/// </summary>
public sealed class StreetVisibilityTests
{
    private const double Tolerance = 1e-6;
    private static readonly GeometryFactory Factory = new();
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly ShiftPeriod Shift = new(Start, Start.AddHours(8));

    private static Polygon Rect(double x0, double y0, double x1, double y1) => Factory.CreatePolygon(
        [new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    private static readonly DistrictArea[] Districts = [new("west", Rect(-10, -10, 150, 310)), new("east", Rect(150, -10, 310, 310))];

    private static RoadLine Street(double x0, double y0, double x1, double y1, string highway = "residential") =>
        RoadLine.FromLayer([new Coordinate(x0, y0), new Coordinate(x1, y1)], highway, oneWay: false, maxSpeedKmh: null);

    private static RoadGraph Grid(params RoadLine[] extra)
    {
        var lines = new List<RoadLine>();
        for (var k = 0; k <= 3; k++)
        {
            lines.Add(Street(0, 100 * k, 300, 100 * k));
            lines.Add(Street(100 * k, 0, 100 * k, 300));
        }
        return RoadGraph.Build(lines.Concat(extra));
    }

    /// <summary>A drive through the given corners at 10 m/s with a fix every 5 s (and at every corner), from <paramref name="from"/>.</summary>
    private static UnitTrack Drive(string unit, DateTimeOffset from, params (double X, double Y)[] corners)
    {
        var fixes = new List<TrackFix> { new(corners[0].X, corners[0].Y, from) };
        var t = from;
        for (var i = 0; i + 1 < corners.Length; i++)
        {
            var (a, b) = (corners[i], corners[i + 1]);
            var length = Math.Sqrt((b.X - a.X) * (b.X - a.X) + (b.Y - a.Y) * (b.Y - a.Y));
            var steps = (int)Math.Ceiling(length / 50);
            for (var s = 1; s <= steps; s++)
            {
                var u = (double)s / steps;
                fixes.Add(new TrackFix(a.X + u * (b.X - a.X), a.Y + u * (b.Y - a.Y), t.AddSeconds(u * length / 10)));
            }
            t = t.AddSeconds(length / 10);
        }
        return new UnitTrack(unit, fixes);
    }

    [Fact]
    public void RoadLengthPerDistrictIsExactAndATrackAlongOneStreetPatrolsOnlyThatStreet()
    {
        // Along y = 100 (driving at y = 105) across the whole grid: 150 m of it in each district. The four north–south
        // streets it crosses are at right angles and are not patrolled.
        var report = StreetVisibility.Compute(Grid(), null, Districts, [Drive("P1", Start.AddHours(1), (-20, 105), (320, 105))], Shift);
        var (west, east) = (report.Districts[0], report.Districts[1]);
        Assert.Equal(1200, west.RoadLengthM, Tolerance);
        Assert.Equal(1200, east.RoadLengthM, Tolerance);
        Assert.Equal(150, west.PatrolledLengthM, Tolerance);
        Assert.Equal(150, east.PatrolledLengthM, Tolerance);
        Assert.Equal(0.125, west.Rate, 12);
        Assert.Equal(300.0 / 2400, report.Rate, 12);
        Assert.All(west.Patrolled.Coordinates, c => Assert.Equal(100, c.Y));
        Assert.Equal(150, west.Patrolled.Length, Tolerance);
    }

    [Fact]
    public void APartlyDrivenEdgeCountsOnlyItsDrivenPiecesToTheNearestTenMetres()
    {
        // North along x = 5 (street x = 0) to y = 205, then east along y = 205 to x = 157 and stop. The two legs patrol
        // x = 0 from 0 to 210 (the 200–210 piece's midpoint 205 is reached) and y = 200 from 0 to 160 (midpoint 155).
        var track = Drive("P1", Start.AddHours(2), (5, -10), (5, 205), (157, 205));
        var report = StreetVisibility.Compute(Grid(), null, Districts, [track], Shift);
        Assert.Equal(210 + 150, report.Districts[0].PatrolledLengthM, Tolerance);
        Assert.Equal(10, report.Districts[1].PatrolledLengthM, Tolerance);
        // The same drive with a tighter tolerance than the 5 m offset patrols nothing.
        Assert.Equal(0, StreetVisibility.Compute(Grid(), null, Districts, [track], Shift, toleranceM: 4).PatrolledLengthM);
    }

    [Fact]
    public void StreetsPatrolledByTwoUnitsCountOnceAndOnlyShiftTimeCounts()
    {
        var a = Drive("P1", Start.AddHours(1), (-20, 195), (320, 195));
        var b = Drive("P2", Start.AddHours(3), (320, 205), (-20, 205));
        var beforeShift = Drive("P3", Start.AddHours(-1), (295, -20), (295, 320)); // along x = 300, but an hour before 08:00
        var report = StreetVisibility.Compute(Grid(), null, Districts, [a, b, beforeShift], Shift);
        Assert.Equal(300, report.PatrolledLengthM, Tolerance);
        // A drive that starts 20 s before the shift counts from 08:00 on, when it is at y = 180: pieces 180–300.
        var late = Drive("P4", Start.AddSeconds(-20), (295, -20), (295, 320)); // at 08:00 it is at y = 180
        Assert.Equal(120, StreetVisibility.Compute(Grid(), null, Districts, [late], Shift).PatrolledLengthM, Tolerance);
    }

    [Fact]
    public void FixesFartherApartThanTheMaximumGapPatrolNothingBetweenThem()
    {
        var track = new UnitTrack("P1", [new TrackFix(-20, 105, Start.AddHours(1)), new TrackFix(320, 105, Start.AddHours(1).AddMinutes(6))]);
        Assert.Equal(0, StreetVisibility.Compute(Grid(), null, Districts, [track], Shift).PatrolledLengthM);
        Assert.Equal(300, StreetVisibility.Compute(Grid(), null, Districts, [track], Shift, maxGap: TimeSpan.FromMinutes(10)).PatrolledLengthM, Tolerance);
    }

    [Fact]
    public void TheGraphOverloadCanKeepOnlyTheRoadsAModeMayUse()
    {
        // A 100 m footway across the west district: road for pedestrians, not for cars.
        var graph = Grid(Street(20, 50, 120, 50, "footway"));
        var track = Drive("P1", Start.AddHours(1), (20, 52), (120, 52));
        Assert.Equal(1300, StreetVisibility.Compute(graph, null, Districts, [track], Shift).Districts[0].RoadLengthM, Tolerance);
        var car = StreetVisibility.Compute(graph, TravelMode.Car, Districts, [track], Shift).Districts[0];
        Assert.Equal(1200, car.RoadLengthM, Tolerance);
        Assert.Equal(0, car.PatrolledLengthM);
        var foot = StreetVisibility.Compute(graph, TravelMode.Foot, Districts, [track], Shift).Districts[0];
        Assert.Equal(100, foot.PatrolledLengthM, Tolerance);
    }

    [Fact]
    public void ADiagonalTrackBeyondTheAngleLimitPatrolsNothing()
    {
        // A track at 60° to the street y = 100, crossing it: never alongside.
        var dx = 100 / Math.Tan(Math.PI / 3);
        var track = Drive("P1", Start.AddHours(1), (150 - dx / 2, 50), (150 + dx / 2, 150));
        Assert.Equal(0, StreetVisibility.Compute(Grid(), null, Districts, [track], Shift).PatrolledLengthM);
        Assert.True(StreetVisibility.Compute(Grid(), null, Districts, [track], Shift, maxAngleDeg: 61).PatrolledLengthM > 0);
    }
}
