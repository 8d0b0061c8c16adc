using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Patrol;

namespace SituationMap.Analysis.Tests.Patrol;

/// <summary>
/// Tracks against straight and L-shaped routes, moving at 1 m/s so that metres and seconds coincide; the shift is
/// 08:00–08:20 (1,200 s). Times to 1 ms (bisection), distances to 1e-9 m.
/// </summary>
public sealed class RouteDeviationTests
{
    private static readonly WKTReader Wkt = new();
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly ShiftPeriod Shift = new(Start, Start.AddMinutes(20));
    private static readonly NetTopologySuite.Geometries.Geometry Straight = Wkt.Read("LINESTRING (0 0, 1000 0)");

    private static TrackFix Fix(double x, double y, double seconds) => new(x, y, Start.AddSeconds(seconds));

    [Fact]
    public void ATrackAlongTheRouteIsOnRouteForAllItsTrackedTime()
    {
        var track = new UnitTrack("P1", [.. Enumerable.Range(0, 11).Select(i => Fix(100 * i, 10, 60 * i))]);
        var report = RouteDeviation.Compute(track, Straight, Shift);
        Assert.Empty(report.OffRoute);
        Assert.All(report.Fixes, f => Assert.Equal(10, f.DistanceM, 1e-9));
        Assert.Equal(600, report.TrackedSeconds, 1e-6);
        Assert.Equal(600, report.OnRouteSeconds, 1e-6);
        Assert.Equal(0.5, report.ShareOnRoute, 9);
        Assert.Equal(1, report.ShareOfTrackedOnRoute, 9);
    }

    [Fact]
    public void AnExcursionIsOffRouteFromTheThresholdCrossingOutToTheCrossingBack()
    {
        // North 200 m at 1 m/s, parked 200 s, back: beyond 50 m from t = 50 s to t = 550 s.
        var track = new UnitTrack("P1", [Fix(0, 0, 0), Fix(0, 100, 100), Fix(0, 200, 200), Fix(0, 200, 300), Fix(0, 200, 400), Fix(0, 0, 600)]);
        var report = RouteDeviation.Compute(track, Straight, Shift);
        var period = Assert.Single(report.OffRoute);
        Assert.Equal(50, (period.Start - Start).TotalSeconds, 3);
        Assert.Equal(550, (period.End - Start).TotalSeconds, 3);
        Assert.Equal(500, period.Seconds, 3);
        Assert.Equal(200, period.MaxDistanceM, 9);
        Assert.Equal(100, report.OnRouteSeconds, 3);
        Assert.Equal(100.0 / 1200, report.ShareOnRoute, 5);
        Assert.Equal([false, true, true, true, true, false], report.Fixes.Select(f => f.OffRoute));
    }

    [Fact]
    public void ExcursionsShorterThanTheMinimumDurationAreNotReportedAndCountAsOnRoute()
    {
        // Out to 100 m and back: beyond 50 m from t = 50 to t = 150, 100 s < 2 min.
        var track = new UnitTrack("P1", [Fix(0, 0, 0), Fix(0, 100, 100), Fix(0, 0, 200)]);
        var report = RouteDeviation.Compute(track, Straight, Shift);
        Assert.Empty(report.OffRoute);
        Assert.Equal(200, report.OnRouteSeconds, 6);
        // With a 90 s minimum it is reported.
        Assert.Equal(100, Assert.Single(RouteDeviation.Compute(track, Straight, Shift, minDuration: TimeSpan.FromSeconds(90)).OffRoute).Seconds, 3);
    }

    [Fact]
    public void ASegmentCuttingACornerIsOffRouteInItsMiddleThoughBothFixesAreOnTheRoute()
    {
        // Route north along x = 0 then east along y = 1000. The track goes straight from (0, 500) to (500, 1000) in 250 s:
        // at x = s it is min(s, 500 − s) from the route, beyond 50 m for x in (50, 450), i.e. for t in (25 s, 225 s).
        var route = Wkt.Read("LINESTRING (0 0, 0 1000, 1000 1000)");
        var track = new UnitTrack("P1", [Fix(0, 500, 0), Fix(500, 1000, 250)]);
        var report = RouteDeviation.Compute(track, route, Shift);
        Assert.All(report.Fixes, f => Assert.False(f.OffRoute));
        var period = Assert.Single(report.OffRoute);
        Assert.Equal(25, (period.Start - Start).TotalSeconds, 3);
        Assert.Equal(200, period.Seconds, 3);
        // The largest distance, 250 m at the segment's middle, as seen at the ≤ 10 m samples (71 of 9.96 m: within 5 m).
        Assert.InRange(period.MaxDistanceM, 245, 250);
    }

    [Fact]
    public void GapsEndPeriodsAndTheShiftClipsThem()
    {
        // Off the route (at 300 m) 07:58–08:03 (clipped to 08:00–08:03, 180 s), silent 6 min, off again 08:09–08:10 (60 s).
        var track = new UnitTrack("P1", [Fix(0, 300, -120), Fix(0, 300, 180), Fix(0, 300, 540), Fix(0, 300, 600)]);
        var report = RouteDeviation.Compute(track, Straight, Shift);
        var period = Assert.Single(report.OffRoute);
        Assert.Equal(Start, period.Start);
        Assert.Equal(180, period.Seconds, 6);
        Assert.Equal(240, report.TrackedSeconds, 6);
        Assert.Equal(60, report.OnRouteSeconds, 6); // the 60 s excursion is below the minimum
        Assert.Equal(3, report.Fixes.Count);        // the 07:58 fix is outside the shift
    }

    [Fact]
    public void TheDistanceIsToTheNearestPartOfAMultiLineRoute()
    {
        var route = Wkt.Read("MULTILINESTRING ((0 0, 1000 0), (0 400, 1000 400))");
        var track = new UnitTrack("P1", [Fix(500, 380, 0), Fix(500, 200, 180), Fix(500, 20, 360)]);
        var report = RouteDeviation.Compute(track, route, Shift);
        Assert.Equal([20.0, 200.0, 20.0], report.Fixes.Select(f => Math.Round(f.DistanceM, 9)));
        // Beyond 50 m from y = 350 (t = 30 s) down to y = 50 (t = 330 s): 300 m at 1 m/s.
        Assert.Equal(300, Assert.Single(report.OffRoute).Seconds, 3);
    }
}
