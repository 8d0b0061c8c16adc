using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Patrol;

/// <summary>One AVL fix of a patrol unit: position in metres (one metric plane) and the time it was recorded.</summary>
public readonly record struct TrackFix(double X, double Y, DateTimeOffset Time)
{
    public Coordinate Coordinate => new(X, Y);
}

/// <summary>
/// One unit's track. The fixes need not be sorted: every computation orders them by time first (a stable sort, so fixes
/// with equal times keep their order; the zero-length time between them counts for nothing).
/// </summary>
public sealed record UnitTrack(string UnitId, IReadOnlyList<TrackFix> Fixes);

/// <summary>A hot cell as an area (for dwell time inside it), metres.</summary>
public sealed record HotCellArea(string Id, Polygon Area);

/// <summary>A hot cell as a point with a weight (for reach and route suggestion): its centroid in metres and a priority
/// (e.g. the Gi* z-score or a count; only its relative size matters, it must be ≥ 0 for <see cref="RouteSuggestion"/>).</summary>
public sealed record HotCellTarget(string Id, Coordinate Centroid, double Priority);

/// <summary>A named district polygon, metres.</summary>
public sealed record DistrictArea(string Name, Polygon Area);

/// <summary>A shift as it was worked: the half-open interval [<paramref name="Start"/>, <paramref name="End"/>).</summary>
public sealed record ShiftPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    public double Seconds => (End - Start).TotalSeconds;

    internal void Validate()
    {
        if (End <= Start) throw new ArgumentException("A shift ends after it starts.", "shift");
    }
}

/// <summary>How <see cref="PatrolMode"/>s move on the road graph.</summary>
public static class PatrolModes
{
    /// <summary>Vehicle → car, bicycle → bicycle, foot → foot.</summary>
    public static TravelMode ToTravelMode(this PatrolMode mode) => mode switch
    {
        PatrolMode.Vehicle => TravelMode.Car,
        PatrolMode.Bicycle => TravelMode.Bicycle,
        _ => TravelMode.Foot,
    };
}

/// <summary>
/// The parts of tracks that count as presence: the straight segments between consecutive fixes (sorted by time) that are
/// at most <c>maxGap</c> apart and longer than zero seconds, clipped to the shift. Times are seconds from the shift start.
/// </summary>
internal static class TrackSegments
{
    /// <summary>A counted piece: from (AX, AY) at T0 to (BX, BY) at T1 (already clipped, T1 &gt; T0).</summary>
    internal readonly record struct Segment(double AX, double AY, double BX, double BY, double T0, double T1)
    {
        public double Seconds => T1 - T0;

        public double X(double u) => AX + u * (BX - AX);

        public double Y(double u) => AY + u * (BY - AY);

        public double Time(double u) => u >= 1 ? T1 : T0 + u * (T1 - T0);
    }

    public static List<Segment> Counted(UnitTrack track, ShiftPeriod shift, TimeSpan maxGap)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(track.Fixes);
        var fixes = track.Fixes.OrderBy(f => f.Time).ToArray();
        var result = new List<Segment>();
        var end = shift.Seconds;
        for (var i = 0; i + 1 < fixes.Length; i++)
        {
            var a = fixes[i];
            var b = fixes[i + 1];
            var dt = b.Time - a.Time;
            if (dt <= TimeSpan.Zero || dt > maxGap) continue;
            var ta = (a.Time - shift.Start).TotalSeconds;
            var tb = (b.Time - shift.Start).TotalSeconds;
            if (tb <= 0 || ta >= end) continue;
            var seconds = tb - ta;
            var u0 = ta < 0 ? -ta / seconds : 0;
            var u1 = tb > end ? (end - ta) / seconds : 1;
            double Lerp(double p, double q, double u) => u <= 0 ? p : u >= 1 ? q : p + u * (q - p);
            result.Add(new Segment(Lerp(a.X, b.X, u0), Lerp(a.Y, b.Y, u0), Lerp(a.X, b.X, u1), Lerp(a.Y, b.Y, u1),
                Math.Max(ta, 0), Math.Min(tb, end)));
        }
        return result;
    }

    /// <summary>Merges intervals (sorted or not) that overlap or touch within <paramref name="joinSeconds"/>.</summary>
    public static List<(double Start, double End)> Merge(IEnumerable<(double Start, double End)> intervals, double joinSeconds)
    {
        var merged = new List<(double Start, double End)>();
        foreach (var (s, e) in intervals.OrderBy(i => i.Start).ThenBy(i => i.End))
        {
            if (merged.Count > 0 && s - merged[^1].End <= joinSeconds)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, e));
            }
            else
            {
                merged.Add((s, e));
            }
        }
        return merged;
    }
}
