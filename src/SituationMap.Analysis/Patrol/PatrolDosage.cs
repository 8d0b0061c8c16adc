using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace SituationMap.Analysis.Patrol;

/// <summary>How long a visit to a hot cell lasted, against the 10–15 minute dosage hot-spot policing research recommends
/// (Koper 1995: stops of about 10–15 minutes deter longest; shorter ones less, longer ones bring no further gain).</summary>
public enum VisitKind
{
    /// <summary>Under 10 minutes.</summary>
    Short,

    /// <summary>10 to 15 minutes, both included.</summary>
    Effective,

    /// <summary>Over 15 minutes.</summary>
    Long,
}

/// <summary>One continuous stay of one unit in one hot cell, clipped to the shift. <paramref name="Seconds"/> is
/// <paramref name="Leave"/> − <paramref name="Enter"/> as computed (not rounded to ticks).</summary>
public sealed record CellVisit(string CellId, string UnitId, DateTimeOffset Enter, DateTimeOffset Leave, double Seconds)
{
    public VisitKind Kind => PatrolDosage.Classify(Seconds);
}

/// <summary>
/// Dosage of one hot cell over all units: <paramref name="Seconds"/> is unit-seconds inside (two units inside together
/// count twice), including stays too short to be a visit; <paramref name="Visits"/> are the stays of at least the
/// minimum visit length, by enter time (then unit id).
/// </summary>
public sealed record CellDosage(string CellId, double Seconds, IReadOnlyList<CellVisit> Visits)
{
    public int ShortVisits => Visits.Count(v => v.Kind == VisitKind.Short);

    public int EffectiveVisits => Visits.Count(v => v.Kind == VisitKind.Effective);

    public int LongVisits => Visits.Count(v => v.Kind == VisitKind.Long);
}

/// <summary>
/// One unit's shift totals: <paramref name="TrackedSeconds"/> is the time covered by counted track segments (fixes at most
/// the maximum gap apart), <paramref name="HotSeconds"/> the time inside at least one hot cell (overlapping cells count
/// once), <paramref name="ShareOfShift"/> = HotSeconds / shift seconds.
/// </summary>
public sealed record UnitDosage(string UnitId, double TrackedSeconds, double HotSeconds, double ShareOfShift);

/// <summary>
/// The dosage report of a shift: per cell (in the order the cells were given), per unit (in input order) and in total.
/// <paramref name="HotSeconds"/> sums the units' <see cref="UnitDosage.HotSeconds"/>; <paramref name="ShareOfShift"/> is
/// that over (units × shift seconds), i.e. the mean unit's share of its shift spent in hot cells (0 without units).
/// </summary>
public sealed record PatrolDosageReport(ShiftPeriod Shift, IReadOnlyList<CellDosage> Cells, IReadOnlyList<UnitDosage> Units,
    double HotSeconds, double ShareOfShift);

/// <summary>
/// Patrol dosage in hot cells: how long units stayed in each cell and in how many visits.
/// <para><b>Semantics.</b> Between two consecutive fixes (sorted by time) a unit is taken to move along the straight
/// segment at constant speed, so the times it enters and leaves a cell are interpolated exactly where the segment meets
/// the cell's boundary (a point on the boundary is inside). Fixes more than <c>maxGap</c> apart (default 5 min) count
/// as no presence at all: the time between them is not counted and a visit ends at the last fix before the gap, even
/// when the fixes either side are in the same cell. Everything is clipped to the shift [start, end). Stays in one cell
/// joined end to start (within 1 ms) form one visit; a visit shorter than <c>minVisit</c> (default 1 min; a drive
/// through) is not listed, but its time still counts in the cell's seconds and the totals.</para>
/// <para><b>Cost:</b> O(C log C) to index C cells, then per track segment the cells whose envelope meets the segment's:
/// O(r) ring-segment intersections and O(log r) point-in-polygon tests each (r = ring vertices).</para>
/// </summary>
public static class PatrolDosage
{
    public static readonly TimeSpan DefaultMaxGap = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan DefaultMinVisit = TimeSpan.FromMinutes(1);

    /// <summary>Shortest effective visit, seconds (10 min).</summary>
    public const double EffectiveFromSeconds = 600;

    /// <summary>Longest effective visit, seconds (15 min).</summary>
    public const double EffectiveToSeconds = 900;

    private const double JoinSeconds = 1e-3;

    /// <summary>Short below 600 s, effective 600–900 s inclusive, long above 900 s.</summary>
    public static VisitKind Classify(double seconds) =>
        seconds < EffectiveFromSeconds ? VisitKind.Short : seconds <= EffectiveToSeconds ? VisitKind.Effective : VisitKind.Long;

    /// <summary>The dosage of the given units' tracks in the hot cells over the shift.</summary>
    public static PatrolDosageReport Compute(IReadOnlyList<UnitTrack> tracks, IReadOnlyList<HotCellArea> cells, ShiftPeriod shift,
        TimeSpan? maxGap = null, TimeSpan? minVisit = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(shift);
        shift.Validate();
        var gap = maxGap ?? DefaultMaxGap;
        var shortest = (minVisit ?? DefaultMinVisit).TotalSeconds;
        if (gap <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxGap));
        var index = new STRtree<int>();
        var locators = new IndexedPointInAreaLocator[cells.Count];
        for (var c = 0; c < cells.Count; c++)
        {
            ArgumentNullException.ThrowIfNull(cells[c]?.Area, nameof(cells));
            locators[c] = new IndexedPointInAreaLocator(cells[c].Area);
            index.Insert(cells[c].Area.EnvelopeInternal, c);
        }
        index.Build();
        var cellSeconds = new double[cells.Count];
        var visits = new List<CellVisit>[cells.Count];
        for (var c = 0; c < cells.Count; c++) visits[c] = [];
        var units = new List<UnitDosage>(tracks.Count);
        foreach (var track in tracks)
        {
            var segments = TrackSegments.Counted(track, shift, gap);
            var inside = new Dictionary<int, List<(double Start, double End)>>();
            foreach (var s in segments)
            {
                var envelope = new Envelope(s.AX, s.BX, s.AY, s.BY);
                foreach (var c in index.Query(envelope))
                {
                    foreach (var interval in Inside(s, cells[c].Area, locators[c]))
                    {
                        if (!inside.TryGetValue(c, out var list)) inside[c] = list = [];
                        list.Add(interval);
                    }
                }
            }
            foreach (var (c, list) in inside)
            {
                foreach (var (start, end) in TrackSegments.Merge(list, JoinSeconds))
                {
                    var seconds = end - start;
                    cellSeconds[c] += seconds;
                    if (seconds >= shortest)
                    {
                        visits[c].Add(new CellVisit(cells[c].Id, track.UnitId, shift.Start + TimeSpan.FromSeconds(start),
                            shift.Start + TimeSpan.FromSeconds(end), seconds));
                    }
                }
            }
            var hot = TrackSegments.Merge(inside.Values.SelectMany(l => l), JoinSeconds).Sum(i => i.End - i.Start);
            units.Add(new UnitDosage(track.UnitId, segments.Sum(s => s.Seconds), hot, hot / shift.Seconds));
        }
        var result = new CellDosage[cells.Count];
        for (var c = 0; c < cells.Count; c++)
        {
            result[c] = new CellDosage(cells[c].Id, cellSeconds[c],
                [.. visits[c].OrderBy(v => v.Enter).ThenBy(v => v.UnitId, StringComparer.Ordinal)]);
        }
        var total = units.Sum(u => u.HotSeconds);
        return new PatrolDosageReport(shift, result, units, total, units.Count == 0 ? 0 : total / (units.Count * shift.Seconds));
    }

    /// <summary>The time intervals of the segment inside the polygon (boundary included).</summary>
    private static IEnumerable<(double Start, double End)> Inside(TrackSegments.Segment s, Polygon polygon, IndexedPointInAreaLocator locator)
    {
        var cuts = new List<double> { 0, 1 };
        var dx = s.BX - s.AX;
        var dy = s.BY - s.AY;
        if (dx != 0 || dy != 0)
        {
            AddCrossings(s, dx, dy, polygon.ExteriorRing, cuts);
            foreach (var hole in polygon.InteriorRings) AddCrossings(s, dx, dy, hole, cuts);
        }
        cuts.Sort();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var (u0, u1) = (cuts[i], cuts[i + 1]);
            if (u1 <= u0) continue;
            var mid = (u0 + u1) / 2;
            if (locator.Locate(new Coordinate(s.X(mid), s.Y(mid))) != Location.Exterior) yield return (s.Time(u0), s.Time(u1));
        }
    }

    /// <summary>Parameters u ∈ (0, 1) along the segment where it meets the ring (ends of collinear overlaps included).</summary>
    private static void AddCrossings(TrackSegments.Segment s, double dx, double dy, LineString ring, List<double> cuts)
    {
        var points = ring.CoordinateSequence;
        var length2 = dx * dx + dy * dy;
        for (var k = 0; k + 1 < points.Count; k++)
        {
            double px = points.GetX(k), py = points.GetY(k), qx = points.GetX(k + 1), qy = points.GetY(k + 1);
            var ex = qx - px;
            var ey = qy - py;
            var denominator = dx * ey - dy * ex;
            var wx = px - s.AX;
            var wy = py - s.AY;
            if (Math.Abs(denominator) > 1e-12 * Math.Sqrt(length2 * (ex * ex + ey * ey)))
            {
                var u = (wx * ey - wy * ex) / denominator;
                var v = (wx * dy - wy * dx) / denominator;
                if (u > 0 && u < 1 && v >= 0 && v <= 1) cuts.Add(u);
            }
            else if (Math.Abs(wx * dy - wy * dx) <= 1e-9 * length2)
            {
                // Collinear: the overlap's ends are cuts.
                foreach (var u in new[] { (wx * dx + wy * dy) / length2, ((qx - s.AX) * dx + (qy - s.AY) * dy) / length2 })
                {
                    if (u > 0 && u < 1) cuts.Add(u);
                }
            }
        }
    }
}
