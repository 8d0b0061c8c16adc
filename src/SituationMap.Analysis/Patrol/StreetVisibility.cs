using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using SituationMap.Analysis.Routing;

namespace SituationMap.Analysis.Patrol;

/// <summary>
/// Road length and patrolled road length of one district, metres; <see cref="Rate"/> is the street visibility rate
/// (patrolled ÷ road length, 0 for a district without roads). <paramref name="Patrolled"/> is the patrolled road as
/// lines (runs of consecutive patrolled pieces), for the map.
/// </summary>
public sealed record DistrictVisibility(string District, double RoadLengthM, double PatrolledLengthM, MultiLineString Patrolled)
{
    public double Rate => RoadLengthM > 0 ? PatrolledLengthM / RoadLengthM : 0;
}

/// <summary>Per district in input order, and the sums over districts (a road in two overlapping districts counts in both).</summary>
public sealed record StreetVisibilityReport(IReadOnlyList<DistrictVisibility> Districts, double RoadLengthM, double PatrolledLengthM)
{
    public double Rate => RoadLengthM > 0 ? PatrolledLengthM / RoadLengthM : 0;
}

/// <summary>
/// Street visibility rate: the share of each district's road length that units patrolled within a shift.
/// <para><b>Semantics.</b> Each road is clipped to the district exactly (polygon intersection), so road length per
/// district is exact. The clipped lines are cut into pieces of at most <see cref="MaxPieceM"/> (10 m): every
/// vertex-to-vertex segment into ⌈length / 10⌉ equal parts. A piece is patrolled when a unit passed alongside it:
/// the foot of the perpendicular from the piece's midpoint falls on a counted track segment (the straight line
/// between two fixes at most <c>maxGap</c> apart, clipped to the shift; see <see cref="PatrolDosage"/>), at most
/// <c>toleranceM</c> (default 25 m, GPS error plus half a street) from it, and that segment runs within
/// <c>maxAngleDeg</c> (default 45°) of the piece, either way. So a track crossing a street does not patrol it, a
/// parked unit (a zero-length segment) patrols nothing, and a partly driven edge counts only its driven pieces: the
/// patrolled length is exact up to one piece (≤ 10 m) at each end of a driven stretch. Tracks of several units are
/// combined: a piece patrolled by two units counts once.</para>
/// <para><b>Cost:</b> O(S log S) to index S track segments; per district O(R log R) to find its roads, one
/// line–polygon intersection per candidate road, then per piece an STR-tree query (O(log S + k)).</para>
/// </summary>
public static class StreetVisibility
{
    public const double DefaultToleranceM = 25;

    public const double DefaultMaxAngleDeg = 45;

    public const double MaxPieceM = 10;

    /// <summary>The rates for the roads of a graph: all its edges, or only those the mode may use (in some direction).</summary>
    public static StreetVisibilityReport Compute(RoadGraph graph, TravelMode? mode, IReadOnlyList<DistrictArea> districts,
        IReadOnlyList<UnitTrack> tracks, ShiftPeriod shift, double toleranceM = DefaultToleranceM, TimeSpan? maxGap = null,
        double maxAngleDeg = DefaultMaxAngleDeg)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var roads = Enumerable.Range(0, graph.EdgeCount)
            .Where(e => mode is not { } m || double.IsFinite(graph.ForwardTime(m, e)) || double.IsFinite(graph.BackwardTime(m, e)))
            .Select(e => graph.EdgeGeometry[e]).ToList();
        return Compute(roads, districts, tracks, shift, toleranceM, maxGap, maxAngleDeg);
    }

    /// <summary>The rates for the given road lines (metres).</summary>
    public static StreetVisibilityReport Compute(IReadOnlyList<LineString> roads, IReadOnlyList<DistrictArea> districts,
        IReadOnlyList<UnitTrack> tracks, ShiftPeriod shift, double toleranceM = DefaultToleranceM, TimeSpan? maxGap = null,
        double maxAngleDeg = DefaultMaxAngleDeg)
    {
        ArgumentNullException.ThrowIfNull(roads);
        ArgumentNullException.ThrowIfNull(districts);
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(shift);
        shift.Validate();
        if (!(toleranceM >= 0)) throw new ArgumentOutOfRangeException(nameof(toleranceM));
        if (!(maxAngleDeg is >= 0 and <= 90)) throw new ArgumentOutOfRangeException(nameof(maxAngleDeg));
        var gap = maxGap ?? PatrolDosage.DefaultMaxGap;
        var segments = tracks.SelectMany(t => TrackSegments.Counted(t, shift, gap))
            .Where(s => s.AX != s.BX || s.AY != s.BY).ToArray();
        var trackIndex = new STRtree<int>();
        for (var i = 0; i < segments.Length; i++) trackIndex.Insert(new Envelope(segments[i].AX, segments[i].BX, segments[i].AY, segments[i].BY), i);
        trackIndex.Build();
        var roadIndex = new STRtree<int>();
        for (var r = 0; r < roads.Count; r++) roadIndex.Insert(roads[r].EnvelopeInternal, r);
        roadIndex.Build();
        var minCos = Math.Cos(maxAngleDeg * Math.PI / 180) - 1e-12;
        var factory = roads.Count > 0 ? roads[0].Factory : new GeometryFactory();

        bool Patrolled(double ax, double ay, double bx, double by)
        {
            var mx = (ax + bx) / 2;
            var my = (ay + by) / 2;
            var px = bx - ax;
            var py = by - ay;
            var pieceLength = Math.Sqrt(px * px + py * py);
            var envelope = new Envelope(mx - toleranceM, mx + toleranceM, my - toleranceM, my + toleranceM);
            foreach (var i in trackIndex.Query(envelope))
            {
                var s = segments[i];
                var dx = s.BX - s.AX;
                var dy = s.BY - s.AY;
                var length2 = dx * dx + dy * dy;
                var t = ((mx - s.AX) * dx + (my - s.AY) * dy) / length2;
                if (t < 0 || t > 1) continue;
                var fx = s.AX + t * dx - mx;
                var fy = s.AY + t * dy - my;
                if (fx * fx + fy * fy > toleranceM * toleranceM) continue;
                if (Math.Abs(px * dx + py * dy) >= minCos * pieceLength * Math.Sqrt(length2)) return true;
            }
            return false;
        }

        var result = new DistrictVisibility[districts.Count];
        for (var d = 0; d < districts.Count; d++)
        {
            var district = districts[d];
            ArgumentNullException.ThrowIfNull(district?.Area, nameof(districts));
            var roadLength = 0.0;
            var patrolledLength = 0.0;
            var runs = new List<LineString>();
            foreach (var r in roadIndex.Query(district.Area.EnvelopeInternal).Order())
            {
                var clipped = roads[r].Intersection(district.Area);
                for (var g = 0; g < clipped.NumGeometries; g++)
                {
                    if (clipped.GetGeometryN(g) is not LineString { Length: > 0 } line) continue;
                    roadLength += line.Length;
                    var run = new List<Coordinate>();
                    void Close()
                    {
                        if (run.Count >= 2) runs.Add(factory.CreateLineString([.. run]));
                        run = [];
                    }
                    var c = line.Coordinates;
                    for (var k = 0; k + 1 < c.Length; k++)
                    {
                        var length = c[k].Distance(c[k + 1]);
                        if (length == 0) continue;
                        var n = (int)Math.Ceiling(length / MaxPieceM);
                        for (var p = 0; p < n; p++)
                        {
                            var (u0, u1) = ((double)p / n, (double)(p + 1) / n);
                            var a = new Coordinate(c[k].X + u0 * (c[k + 1].X - c[k].X), c[k].Y + u0 * (c[k + 1].Y - c[k].Y));
                            var b = p + 1 == n ? c[k + 1].Copy() : new Coordinate(c[k].X + u1 * (c[k + 1].X - c[k].X), c[k].Y + u1 * (c[k + 1].Y - c[k].Y));
                            if (Patrolled(a.X, a.Y, b.X, b.Y))
                            {
                                patrolledLength += length / n;
                                if (run.Count == 0) run.Add(a);
                                run.Add(b);
                            }
                            else
                            {
                                Close();
                            }
                        }
                    }
                    Close();
                }
            }
            result[d] = new DistrictVisibility(district.Name, roadLength, patrolledLength, factory.CreateMultiLineString([.. runs]));
        }
        return new StreetVisibilityReport(result, result.Sum(d => d.RoadLengthM), result.Sum(d => d.PatrolledLengthM));
    }
}
