using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Distance;

namespace SituationMap.Analysis.Patrol;

/// <summary>One fix within the shift: its distance to the route (metres) and whether it exceeds the threshold.</summary>
public sealed record FixDeviation(DateTimeOffset Time, double DistanceM, bool OffRoute);

/// <summary>A reported off-route period: farther than the threshold from the route for at least the minimum duration.
/// <paramref name="MaxDistanceM"/> is the largest distance at a fix or sample point within it.</summary>
public sealed record OffRoutePeriod(DateTimeOffset Start, DateTimeOffset End, double Seconds, double MaxDistanceM);

/// <summary>
/// A unit's track against its route over a shift. <paramref name="TrackedSeconds"/> is the time covered by counted track
/// segments; <paramref name="OnRouteSeconds"/> = tracked − the reported off-route periods (excursions shorter than the
/// minimum duration count as on route); <see cref="ShareOnRoute"/> divides by the whole shift (untracked time is not
/// on route), <see cref="ShareOfTrackedOnRoute"/> by the tracked time.
/// </summary>
public sealed record RouteDeviationReport(string UnitId, IReadOnlyList<FixDeviation> Fixes, IReadOnlyList<OffRoutePeriod> OffRoute,
    double ShiftSeconds, double TrackedSeconds, double OnRouteSeconds)
{
    public double OffRouteSeconds => OffRoute.Sum(p => p.Seconds);

    public double ShareOnRoute => ShiftSeconds > 0 ? OnRouteSeconds / ShiftSeconds : 0;

    public double ShareOfTrackedOnRoute => TrackedSeconds > 0 ? OnRouteSeconds / TrackedSeconds : 0;
}

/// <summary>
/// Route adherence: how far a unit's track strays from its assigned route (a LineString or MultiLineString, metres).
/// <para><b>Semantics.</b> The distance is the Euclidean distance to the nearest point of any part of the route. Between
/// two fixes at most <c>maxGap</c> apart (default 5 min) the unit moves along the straight segment at constant speed
/// (as in <see cref="PatrolDosage"/>); the segment is sampled every ≤ 10 m and where the off/on state changes between
/// samples the crossing of the threshold is found by bisection (to 1e-9 of the segment), so a segment that cuts a corner
/// far from the route is off route in its middle even when both fixes are on it. Off-route stretches touching each other
/// (within 1 ms) are joined; those lasting at least <c>minDuration</c> (default 2 min) are reported. Gaps longer than
/// <c>maxGap</c> are neither on nor off and end a period. All is clipped to the shift [start, end).</para>
/// <para><b>Cost:</b> O(V log V) to index the route's V vertices, then O(log V) per distance: (fixes + track length / 10 m
/// + 40 per threshold crossing) distances.</para>
/// </summary>
public static class RouteDeviation
{
    public const double DefaultThresholdM = 50;

    public static readonly TimeSpan DefaultMinDuration = TimeSpan.FromMinutes(2);

    private const double SampleM = 10;

    /// <summary>The deviation report of the track against the route.</summary>
    public static RouteDeviationReport Compute(UnitTrack track, NetTopologySuite.Geometries.Geometry route, ShiftPeriod shift,
        double thresholdM = DefaultThresholdM, TimeSpan? minDuration = null, TimeSpan? maxGap = null)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(shift);
        shift.Validate();
        if (route is not (LineString or MultiLineString) || route.IsEmpty) throw new ArgumentException("A route is a non-empty LineString or MultiLineString.", nameof(route));
        if (!(thresholdM >= 0)) throw new ArgumentOutOfRangeException(nameof(thresholdM));
        var shortest = (minDuration ?? DefaultMinDuration).TotalSeconds;
        var distance = new IndexedFacetDistance(route);
        var factory = route.Factory;
        double DistanceAt(double x, double y) => distance.Distance(factory.CreatePoint(new Coordinate(x, y)));

        var fixes = track.Fixes.Where(f => f.Time >= shift.Start && f.Time < shift.End).OrderBy(f => f.Time)
            .Select(f =>
            {
                var d = DistanceAt(f.X, f.Y);
                return new FixDeviation(f.Time, d, d > thresholdM);
            }).ToList();
        var segments = TrackSegments.Counted(track, shift, maxGap ?? PatrolDosage.DefaultMaxGap);
        var off = new List<(double Start, double End, double Max)>();
        foreach (var s in segments)
        {
            var length = Math.Sqrt((s.BX - s.AX) * (s.BX - s.AX) + (s.BY - s.AY) * (s.BY - s.AY));
            var n = Math.Max(1, (int)Math.Ceiling(length / SampleM));
            var u0 = 0.0;
            var d0 = DistanceAt(s.AX, s.AY);
            for (var k = 1; k <= n; k++)
            {
                var u1 = (double)k / n;
                var d1 = DistanceAt(s.X(u1), s.Y(u1));
                bool Off(double d) => d > thresholdM;
                if (Off(d0) == Off(d1))
                {
                    if (Off(d0)) off.Add((s.Time(u0), s.Time(u1), Math.Max(d0, d1)));
                }
                else
                {
                    // Bisect for the threshold crossing between the two samples.
                    double lo = u0, hi = u1;
                    for (var i = 0; i < 40 && hi - lo > 1e-9; i++)
                    {
                        var mid = (lo + hi) / 2;
                        if (Off(DistanceAt(s.X(mid), s.Y(mid))) == Off(d0)) lo = mid; else hi = mid;
                    }
                    var cut = (lo + hi) / 2;
                    off.Add(Off(d0) ? (s.Time(u0), s.Time(cut), d0) : (s.Time(cut), s.Time(u1), d1));
                }
                (u0, d0) = (u1, d1);
            }
        }
        var periods = new List<OffRoutePeriod>();
        for (var i = 0; i < off.Count;)
        {
            var (start, end, max) = off[i];
            var j = i + 1;
            for (; j < off.Count && off[j].Start - end <= 1e-3; j++)
            {
                end = Math.Max(end, off[j].End);
                max = Math.Max(max, off[j].Max);
            }
            if (end - start >= shortest)
            {
                periods.Add(new OffRoutePeriod(shift.Start + TimeSpan.FromSeconds(start), shift.Start + TimeSpan.FromSeconds(end), end - start, max));
            }
            i = j;
        }
        var tracked = segments.Sum(s => s.Seconds);
        return new RouteDeviationReport(track.UnitId, fixes, periods, shift.Seconds, tracked, tracked - periods.Sum(p => p.Seconds));
    }
}
