using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using SituationMap.Analysis.Patrol;

namespace SituationMap.Analysis.Tests.Patrol;

/// <summary>
/// Dwell times in hot cells from tracks whose answers follow from distances and speeds by hand. Cells A = [0,100]² and
/// B = [200,300]×[0,100] m; the shift is 08:00–16:00 (28,800 s). Tolerance 1e-6 s.
/// </summary>
public sealed class PatrolDosageTests
{
    private const double Tolerance = 1e-6;
    private static readonly WKTReader Wkt = new();
    private static readonly DateTimeOffset Day = new(2026, 11, 26, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly ShiftPeriod Shift = new(Day.AddHours(8), Day.AddHours(16));

    private static Polygon Rect(double x0, double y0, double x1, double y1) =>
        (Polygon)Wkt.Read(FormattableString.Invariant($"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"));

    private static readonly HotCellArea[] Cells = [new("A", Rect(0, 0, 100, 100)), new("B", Rect(200, 0, 300, 100))];

    private static DateTimeOffset At(int hour, int minute, double second = 0) => Day.AddHours(hour).AddMinutes(minute).AddSeconds(second);

    /// <summary>Fixes every <paramref name="stepSeconds"/> at one place from <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    private static IEnumerable<TrackFix> Parked(double x, double y, DateTimeOffset from, DateTimeOffset to, double stepSeconds = 60)
    {
        for (var t = from; t <= to; t = t.AddSeconds(stepSeconds)) yield return new TrackFix(x, y, t);
    }

    [Fact]
    public void ATrackParkedTwelveMinutesInACellIsOneEffectiveVisitOf720Seconds()
    {
        var track = new UnitTrack("P1", [.. Parked(50, 50, At(8, 10), At(8, 22))]);
        var report = PatrolDosage.Compute([track], Cells, Shift);
        var a = report.Cells[0];
        Assert.Equal(720, a.Seconds, Tolerance);
        var visit = Assert.Single(a.Visits);
        Assert.Equal(VisitKind.Effective, visit.Kind);
        Assert.Equal(720, visit.Seconds, Tolerance);
        Assert.Equal(At(8, 10), visit.Enter);
        Assert.Equal(At(8, 22), visit.Leave);
        Assert.Equal((1, 0, 0), (a.EffectiveVisits, a.ShortVisits, a.LongVisits));
        Assert.Empty(report.Cells[1].Visits);
        Assert.Equal(0, report.Cells[1].Seconds);
        Assert.Equal(720, report.HotSeconds, Tolerance);
        Assert.Equal(720.0 / 28_800, report.ShareOfShift, 12);
        Assert.Equal(720, report.Units.Single().TrackedSeconds, Tolerance);
    }

    [Fact]
    public void EntryAndExitTimesAreInterpolatedWhereTheSegmentMeetsTheBoundary()
    {
        // From (-100, 50) at 08:09:00 to (50, 50) at 08:11:30: 150 m in 150 s, the edge x = 0 is crossed at 08:10:40.
        // Parked until 08:20:00, then to (50, 250) at 08:20:40: 200 m in 40 s, the edge y = 100 is crossed after 10 s.
        var fixes = new List<TrackFix> { new(-100, 50, At(8, 9)), new(50, 50, At(8, 11, 30)) };
        fixes.AddRange(Parked(50, 50, At(8, 12), At(8, 20)));
        fixes.Add(new TrackFix(50, 250, At(8, 20, 40)));
        var visit = Assert.Single(PatrolDosage.Compute([new UnitTrack("P1", fixes)], Cells, Shift).Cells[0].Visits);
        Assert.Equal(At(8, 10, 40), visit.Enter);
        Assert.Equal(At(8, 20, 10), visit.Leave);
        Assert.Equal(570, visit.Seconds, Tolerance);
        Assert.Equal(VisitKind.Short, visit.Kind);
    }

    [Fact]
    public void PassingThroughAtSpeedIsTooShortForAVisitButItsTimeStillCounts()
    {
        // 10 m/s east along y = 50, a fix every 10 s from x = −500 to 800: 10 s in A and 10 s in B, both entries mid-segment.
        var fixes = Enumerable.Range(0, 131).Select(i => new TrackFix(-500 + 10 * i, 50, At(9, 0, i))).ToList();
        var report = PatrolDosage.Compute([new UnitTrack("P1", fixes)], Cells, Shift);
        Assert.All(report.Cells, c => Assert.Empty(c.Visits));
        Assert.Equal(10, report.Cells[0].Seconds, Tolerance);
        Assert.Equal(10, report.Cells[1].Seconds, Tolerance);
        Assert.Equal(20, report.HotSeconds, Tolerance);
        // With no minimum the drive-through is a visit entering at x = 0, i.e. 50 s after 09:00.
        var visit = Assert.Single(PatrolDosage.Compute([new UnitTrack("P1", fixes)], Cells, Shift, minVisit: TimeSpan.Zero).Cells[0].Visits);
        Assert.Equal(At(9, 0, 50), visit.Enter);
        Assert.Equal(10, visit.Seconds, Tolerance);
    }

    [Fact]
    public void AGapLongerThanTheMaximumSplitsTheVisitAndIsNotCounted()
    {
        // In A 08:00–08:05, silent for 10 min (still in A), then 08:15–08:20: two 300 s visits, not one of 20 min.
        var fixes = Parked(50, 50, At(8, 0), At(8, 5)).Concat(Parked(50, 50, At(8, 15), At(8, 20))).ToList();
        var report = PatrolDosage.Compute([new UnitTrack("P1", fixes)], Cells, Shift);
        var a = report.Cells[0];
        Assert.Equal(600, a.Seconds, Tolerance);
        Assert.Equal([300.0, 300.0], a.Visits.Select(v => Math.Round(v.Seconds, 6)));
        Assert.Equal(At(8, 5), a.Visits[0].Leave);
        Assert.Equal(At(8, 15), a.Visits[1].Enter);
        Assert.Equal(600, report.Units[0].TrackedSeconds, Tolerance);
        // A longer maximum gap bridges it: one long visit of 20 min.
        var bridged = PatrolDosage.Compute([new UnitTrack("P1", fixes)], Cells, Shift, maxGap: TimeSpan.FromMinutes(11)).Cells[0];
        Assert.Equal(VisitKind.Long, Assert.Single(bridged.Visits).Kind);
        Assert.Equal(1200, bridged.Seconds, Tolerance);
    }

    [Fact]
    public void VisitsCrossingTheShiftBoundariesAreClipped()
    {
        var fixes = Parked(50, 50, At(7, 50), At(8, 5)).Concat(Parked(250, 50, At(15, 55), At(16, 10))).ToList();
        var report = PatrolDosage.Compute([new UnitTrack("P1", fixes.AsEnumerable().Reverse().ToList())], Cells, Shift);
        var a = Assert.Single(report.Cells[0].Visits);
        Assert.Equal((At(8, 0), At(8, 5), 300.0), (a.Enter, a.Leave, Math.Round(a.Seconds, 6)));
        var b = Assert.Single(report.Cells[1].Visits);
        Assert.Equal((At(15, 55), At(16, 0), 300.0), (b.Enter, b.Leave, Math.Round(b.Seconds, 6)));
        Assert.Equal(600, report.Units[0].TrackedSeconds, Tolerance);
    }

    [Fact]
    public void SeveralUnitsAddUpPerCellAndOverlappingCellsCountOncePerUnit()
    {
        var p1 = new UnitTrack("P1", [.. Parked(50, 50, At(10, 0), At(10, 12))]);
        var p2 = new UnitTrack("P2", [.. Parked(60, 40, At(10, 5), At(10, 17))]);
        var overlapping = Cells.Append(new HotCellArea("A-west", Rect(0, 0, 55, 100))).ToArray();
        var report = PatrolDosage.Compute([p1, p2], overlapping, Shift);
        var a = report.Cells[0];
        Assert.Equal(1440, a.Seconds, Tolerance);
        Assert.Equal(["P1", "P2"], a.Visits.Select(v => v.UnitId));
        Assert.Equal(2, a.EffectiveVisits);
        Assert.Equal(720, report.Cells[2].Seconds, Tolerance); // only P1 parks west of x = 55
        Assert.Equal([720.0, 720.0], report.Units.Select(u => Math.Round(u.HotSeconds, 6)));
        Assert.Equal(1440, report.HotSeconds, Tolerance);
        Assert.Equal(1440.0 / (2 * 28_800), report.ShareOfShift, 12);
    }

    [Fact]
    public void TimeInAHoleOfACellIsNotInside()
    {
        // A cell with a 20 m hole on the driving line: 100 m of cell minus 20 m of hole at 1 m/s = 80 s, in two pieces.
        var holed = (Polygon)Wkt.Read("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0), (40 40, 60 40, 60 60, 40 60, 40 40))");
        var fixes = new[] { new TrackFix(-10, 50, At(9, 0)), new TrackFix(110, 50, At(9, 2)) };
        var cell = PatrolDosage.Compute([new UnitTrack("P1", fixes)], [new HotCellArea("H", holed)], Shift, minVisit: TimeSpan.Zero).Cells[0];
        Assert.Equal(80, cell.Seconds, Tolerance);
        Assert.Equal(2, cell.Visits.Count);
        Assert.Equal(At(9, 0, 50), cell.Visits[0].Leave);
    }

    [Theory]
    [InlineData(599.999, VisitKind.Short)]
    [InlineData(600, VisitKind.Effective)]
    [InlineData(900, VisitKind.Effective)]
    [InlineData(900.001, VisitKind.Long)]
    public void VisitsAreClassifiedByTheTenToFifteenMinuteRule(double seconds, VisitKind kind) =>
        Assert.Equal(kind, PatrolDosage.Classify(seconds));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void CellSecondsEqualTheTimeIntegralOfBeingInside(int seed)
    {
        // Random walk with irregular fixes (some gaps above 5 min) against three random rectangles, compared with a
        // 0.05 s time sampling of the same piecewise-linear motion: equal within the sampling error (2 × 0.05 s per crossing).
        var random = new Random(seed);
        var cells = Enumerable.Range(0, 3).Select(i =>
        {
            var x = random.NextDouble() * 300;
            var y = random.NextDouble() * 300;
            return new HotCellArea($"C{i}", Rect(x, y, x + 50 + random.NextDouble() * 150, y + 50 + random.NextDouble() * 150));
        }).ToArray();
        var fixes = new List<TrackFix>();
        var (px, py, t) = (150.0, 150.0, At(7, 55));
        while (t < At(9, 0))
        {
            fixes.Add(new TrackFix(px, py, t));
            t = t.AddSeconds(random.NextDouble() < 0.03 ? 400 : 5 + random.Next(60));
            if (random.NextDouble() < 0.7) { px += random.NextDouble() * 160 - 80; py += random.NextDouble() * 160 - 80; }
        }
        var shift = new ShiftPeriod(At(8, 0), At(8, 50));
        var report = PatrolDosage.Compute([new UnitTrack("R", fixes)], cells, shift);
        const double step = 0.05;
        var sampled = new double[cells.Length];
        var crossings = new int[cells.Length];
        var previous = new bool[cells.Length];
        for (var i = 0; i + 1 < fixes.Count; i++)
        {
            var (a, b) = (fixes[i], fixes[i + 1]);
            var seconds = (b.Time - a.Time).TotalSeconds;
            if (seconds > 300) continue;
            for (var s = step / 2; s < seconds; s += step)
            {
                var time = a.Time.AddSeconds(s);
                if (time < shift.Start || time >= shift.End) continue;
                var point = new Point(a.X + (b.X - a.X) * s / seconds, a.Y + (b.Y - a.Y) * s / seconds);
                for (var c = 0; c < cells.Length; c++)
                {
                    var inside = cells[c].Area.Covers(point);
                    if (inside) sampled[c] += step;
                    if (inside != previous[c]) crossings[c]++;
                    previous[c] = inside;
                }
            }
        }
        for (var c = 0; c < cells.Length; c++)
        {
            Assert.Equal(sampled[c], report.Cells[c].Seconds, 2 * step * (crossings[c] + 2));
            Assert.True(report.Cells[c].Visits.Sum(v => v.Seconds) <= report.Cells[c].Seconds + Tolerance);
            Assert.All(report.Cells[c].Visits, v => Assert.True(v.Seconds >= 60 && v.Enter >= shift.Start && v.Leave <= shift.End));
        }
        Assert.True(report.Units[0].HotSeconds <= report.Units[0].TrackedSeconds + Tolerance);
        Assert.True(sampled.Sum() > 60, "the walk should spend time in the cells");
    }
}
